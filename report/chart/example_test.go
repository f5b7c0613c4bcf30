package chart_test

import (
	"bytes"
	"fmt"
	"log"
	"time"

	"github.com/optsweep/sweep/report/chart"
	"github.com/optsweep/sweep/sim/metrics"
)

// markers returns the chart markers of an SVG's root element.
func markers(svg []byte) string {
	return string(svg[:bytes.Index(svg, []byte(" font-family"))])
}

func ExampleLines() {
	days := []int32{19723, 19724, 19725, 19726} // 2024-01-01 … 2024-01-04
	equity := []float64{100, 104, 101, 107}
	high := make([]float64, len(equity))
	metrics.HighWater(high, equity)

	svg, err := chart.Lines(chart.Options{Title: "Equity", YLabel: "USD"}, days,
		chart.Series{Name: "equity", Y: equity},
		chart.Series{Name: "high water", Y: high, Dashed: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(markers(svg))
	// Output: <svg class="chart" data-kind="lines" data-points="8"
}

func ExampleHeatmap() {
	rows, cols, z := chart.MonthlyGrid([]metrics.Month{
		{Year: 2024, Month: time.January, Return: 0.012},
		{Year: 2024, Month: time.February, Return: -0.034},
	})
	svg, err := chart.Heatmap(chart.Options{Title: "Monthly returns"}, rows, cols, z, "%.1f%%")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(markers(svg))
	fmt.Println(bytes.Contains(svg, []byte(">-3.4%<")))
	// Output:
	// <svg class="chart" data-kind="heatmap" data-points="2"
	// true
}

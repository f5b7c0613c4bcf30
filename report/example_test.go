package report_test

import (
	"fmt"
	"time"

	"github.com/optsweep/sweep/report"
	"github.com/optsweep/sweep/sweep/results"
)

// A sweep's page ranks its cells and judges the best one's neighbourhood: a
// Sharpe ratio of 2.0 among neighbours of 1.6 to 1.8 is a plateau.
func ExampleNewSweepPage() {
	sharpe := [3][3]float64{{1.6, 1.8, 1.6}, {1.8, 2.0, 1.8}, {1.6, 1.8, 1.6}}
	var cells []results.CellRow
	for i, delta := range []string{"0.2", "0.25", "0.3"} {
		for j, dte := range []string{"30", "35", "40"} {
			cells = append(cells, results.CellRow{Cell: results.Cell{Key: fmt.Sprintf("cell-%d%d-0000", i, j), Strategy: "wheel",
				Symbols: []string{"SPY"}, From: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC),
				Params: map[string]string{"delta_min": delta, "dte_min": dte}},
				Metrics: map[string]float64{"sharpe": sharpe[i][j]}})
		}
	}
	p, err := report.NewSweepPage(results.RunRow{Run: results.Run{ID: "demo"}}, cells, "sharpe", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("best:", p.Best.Params["delta_min"], p.Best.Params["dte_min"])
	fmt.Println("neighbours:", p.Robust.Neighbours, "mean", p.Robust.Mean.Text, "verdict", p.Robust.Verdict)
	fmt.Println("heatmaps:", len(p.Heatmaps))
	// Output:
	// best: 0.25 35
	// neighbours: 8 mean 1.70 verdict plateau
	// heatmaps: 1
}

package indicators_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim/indicators"
)

func ExampleSMA() {
	x := []float64{1, 2, 3, 4, 5}
	dst := make([]float64, len(x))
	indicators.SMA(dst, x, 3)
	fmt.Println(dst)
	// Output: [NaN NaN 2 3 4]
}

// An entry gate in the style of the cash-secured-put seed (which uses
// RSI(14) and SMA(50), shortened here): RSI of the simple form strictly
// inside (30, 70) and the SMA rising for 3 days.
func ExampleRSISimple() {
	close := []float64{10, 12, 11, 13, 11.5, 13.5, 12}
	rsi := make([]float64, len(close))
	sma := make([]float64, len(close))
	// The last 4 changes are +2, -1.5, +2, -1.5: RSI = 100*4/(4+3).
	indicators.RSISimple(rsi, close, 4)
	// SMA(2) at indexes 3..6: 12, 12.25, 12.5, 12.75.
	indicators.SMA(sma, close, 2)
	last := len(close) - 1
	fmt.Printf("RSI %.1f, in band %v, SMA rising %v\n",
		rsi[last], rsi[last] > 30 && rsi[last] < 70, indicators.Rising(sma, last, 3))
	// Output: RSI 57.1, in band true, SMA rising true
}

func ExampleIVRank() {
	iv := []float64{0.20, 0.30, 0.10, 0.40, 0.35}
	rank := make([]float64, len(iv))
	pct := make([]float64, len(iv))
	indicators.IVRank(rank, iv, 5)
	indicators.IVPercentile(pct, iv, 5)
	fmt.Printf("rank %.3f, percentile %.2f\n", rank[4], pct[4])
	// Output: rank 0.833, percentile 0.75
}

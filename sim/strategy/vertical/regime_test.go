package vertical_test

import (
	"math"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy/vertical"
)

func TestClassify(t *testing.T) {
	nan := math.NaN()
	c := vertical.DefaultRegimeConfig()
	for _, tc := range []struct {
		name          string
		vix, rank, hv float64 // hv is HV/IV
		want          vertical.Regime
	}{
		{"low: VIX 12 < 15, rank 0.2 < 0.3", 12, 0.2, 0.5, vertical.LowVol},
		{"low beats expansion", 14.9, 0.29, 1.5, vertical.LowVol},
		{"VIX 15 is not < 15: falls to contraction (0.5 < 0.6, 0.2 < 0.5)", 15, 0.2, 0.5, vertical.IVContraction},
		{"high: VIX 26 > 25", 26, 0.5, 1.0, vertical.HighVol},
		{"high: rank 0.81 > 0.8", 20, 0.81, 0.7, vertical.HighVol},
		{"high: low VIX but rank 0.85", 12, 0.85, 0.5, vertical.HighVol},
		{"VIX 25 is not > 25, rank 0.8 not > 0.8: neutral", 25, 0.8, 0.7, vertical.Neutral},
		{"expansion: HV/IV 1.0 > 0.9, rank 0.6 > 0.5", 20, 0.6, 1.0, vertical.IVExpansion},
		{"rank 0.5 is not > 0.5, HV/IV 1.0 not < 0.6: neutral", 20, 0.5, 1.0, vertical.Neutral},
		{"contraction: HV/IV 0.5 < 0.6, rank 0.4 < 0.5", 20, 0.4, 0.5, vertical.IVContraction},
		{"HV/IV 0.7 between: neutral", 20, 0.4, 0.7, vertical.Neutral},
		{"warm-up (rank NaN), VIX 20: neutral", 20, nan, 1.0, vertical.Neutral},
		{"warm-up, VIX 12: neutral (the rank test fails)", 12, nan, 0.5, vertical.Neutral},
		{"warm-up, VIX 30: high", 30, nan, nan, vertical.HighVol},
		{"no HV: contraction cannot fire", 20, 0.4, nan, vertical.Neutral},
	} {
		got := vertical.Classify(vertical.Features{VIX: tc.vix, VIXRank: tc.rank, HVIV: tc.hv}, c)
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestPercentileOfScore(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		xs    []float64
		score float64
		want  float64
	}{
		{[]float64{1, 2, 3, 4}, 3, 0.75},    // scipy's example: (2·2 + 1 + 1)/8 = 75 %
		{[]float64{1, 2, 3, 3, 4}, 3, 0.70}, // scipy's example: (2·2 + 2 + 1)/10 = 70 %
		{[]float64{5, 4, 3}, 3, 1.0 / 3},    // the lowest of 3: (0 + 1 + 1)/6
		{[]float64{1, 2}, 3, 1},             // above all, absent: (2·2 + 0 + 0)/4
		{[]float64{1, nan, 2}, 2, 1},        // NaN skipped, n = 2: (2·1 + 1 + 1)/4
		{[]float64{nan}, 2, nan},
		{[]float64{1, 2}, nan, nan},
	} {
		got := vertical.PercentileOfScore(tc.xs, tc.score)
		if !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)) && math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("PercentileOfScore(%v, %g) = %g, want %g", tc.xs, tc.score, got, tc.want)
		}
	}
}

func TestMeasureReadsClosedSessionsOnly(t *testing.T) {
	c := vertical.DefaultRegimeConfig()
	c.VIXRankWindow, c.HVWindow = 5, 2
	// VIX closes 20, 18, 16, 14, 12: the last, 12, is the lowest of 5:
	// rank (0 + 1 + 1)/10 = 0.2 < 0.3 and 12 < 15: low_vol. Today's open of
	// 40 (VIX.Now) is not a closed session and must not count.
	snap := &sim.Snapshot{VIX: sim.Index{Now: 40, History: sim.Bars{Close: []float64{20, 18, 16, 14, 12}}}}
	m := &sim.Market{Symbol: "AAA", Spot: 500, History: sim.Bars{Close: []float64{100, 110, 99}}}
	r, f := vertical.Detect(snap, m, c)
	// HV 2.252523 (indicators.TestRealizedVolLast) / (12/100) = 18.77102.
	if r != vertical.LowVol || f.VIX != 12 || math.Abs(f.VIXRank-0.2) > 1e-12 || math.Abs(f.HVIV-18.77102) > 1e-5 {
		t.Errorf("got %s %+v", r, f)
	}
	// A window of 6 closes is not filled: warm-up, rank NaN, neutral.
	c.VIXRankWindow = 6
	if r, f := vertical.Detect(snap, m, c); r != vertical.Neutral || !math.IsNaN(f.VIXRank) {
		t.Errorf("warm-up: got %s %+v", r, f)
	}
	// No VIX history at all: everything NaN, neutral.
	if r, f := vertical.Detect(&sim.Snapshot{}, nil, c); r != vertical.Neutral || !math.IsNaN(f.VIX) || !math.IsNaN(f.HV) {
		t.Errorf("empty: got %s %+v", r, f)
	}
}

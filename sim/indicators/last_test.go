package indicators_test

import (
	"math"
	"testing"

	"github.com/optsweep/sweep/sim/indicators"
)

// The single-value forms: cases worked by hand (moved from the strategy that
// had its own copies), and agreement with the slice forms' last value.

func TestRealizedVolLast(t *testing.T) {
	// Returns ln(1.1) = 0.0953102 and ln(0.9) = −0.1053605; the sample std of
	// two values is |a − b|/√2 = 0.2006707/1.4142136 = 0.1418963; × √252
	// (15.8745079) = 2.252523.
	if got := indicators.RealizedVolLast([]float64{50, 100, 110, 99}, 2, 252); math.Abs(got-2.252523) > 1e-6 {
		t.Errorf("RealizedVolLast = %g, want 2.252523", got)
	}
	if got := indicators.RealizedVolLast([]float64{110, 99}, 2, 252); !math.IsNaN(got) {
		t.Errorf("2 closes for 2 returns: %g, want NaN", got)
	}
	if got := indicators.RealizedVolLast([]float64{100, 0, 99}, 2, 252); !math.IsNaN(got) {
		t.Errorf("zero close: %g, want NaN", got)
	}
}

func TestIVRankPercentileLast(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		f    func([]float64, int) float64
		iv   []float64
		n    int
		want float64
	}{
		{"rank", indicators.IVRankLast, []float64{0.20, 0.22, 0.30}, 3, 1},                 // (0.30 − 0.20)/(0.30 − 0.20)
		{"rank", indicators.IVRankLast, []float64{0.30, 0.28, 0.20}, 3, 0},                 // today is the minimum
		{"rank", indicators.IVRankLast, []float64{0.9, 0.20, 0.30, 0.25}, 3, 0.5},          // window 0.20..0.30 (0.9 dropped): 0.05/0.10
		{"rank", indicators.IVRankLast, []float64{0.20, 0.30}, 3, nan},                     // warm-up
		{"rank", indicators.IVRankLast, []float64{0.20, 0.30, nan}, 3, nan},                // today unknown
		{"rank", indicators.IVRankLast, []float64{nan, nan, 0.30}, 3, nan},                 // 1 valid < (3+1)/2
		{"rank", indicators.IVRankLast, []float64{0.25, 0.25, 0.25}, 3, 0},                 // flat
		{"percentile", indicators.IVPercentileLast, []float64{0.20, 0.22, 0.30}, 3, 1},     // both others below
		{"percentile", indicators.IVPercentileLast, []float64{0.30, 0.20, 0.25}, 3, 0.5},   // one of two below
		{"percentile", indicators.IVPercentileLast, []float64{0.20, 0.30}, 3, nan},         // warm-up
		{"percentile", indicators.IVPercentileLast, []float64{0.20, 0.30, nan}, 3, nan},    // today unknown
		{"percentile", indicators.IVPercentileLast, []float64{nan, 0.30, 0.30, nan}, 3, 0}, // 0.30 is not below 0.30
		{"percentile", indicators.IVPercentileLast, []float64{nan, nan, 0.30}, 3, nan},     // 1 valid < (3+1)/2
		{"percentile", indicators.IVPercentileLast, []float64{0.30}, 1, 0},                 // the only valid entry
		{"percentile", indicators.IVPercentileLast, nil, 3, nan},
	} {
		got := tc.f(tc.iv, tc.n)
		if !(math.IsNaN(got) && math.IsNaN(tc.want)) && math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("IV %s last (%v, %d) = %g, want %g", tc.name, tc.iv, tc.n, got, tc.want)
		}
	}
}

// TestLastMatchesSlice checks each single-value form against the slice
// form's value at every prefix of a series with gaps: IV rank and percentile
// exactly, realized volatility to 1e-12 relative (running sums against two
// passes).
func TestLastMatchesSlice(t *testing.T) {
	x := make([]float64, 300)
	for i := range x {
		x[i] = 100 + 10*math.Sin(float64(i)/7) + float64(i%5)
		if i%37 == 3 {
			x[i] = math.NaN()
		}
	}
	dst := make([]float64, len(x))
	for _, n := range []int{1, 2, 5, 20, 252} {
		for i := 1; i <= len(x); i++ {
			indicators.IVRank(dst[:i], x[:i], n)
			if got, want := indicators.IVRankLast(x[:i], n), dst[i-1]; !same(got, want, 0) {
				t.Fatalf("IVRankLast n=%d i=%d: %g, slice %g", n, i, got, want)
			}
			indicators.IVPercentile(dst[:i], x[:i], n)
			if got, want := indicators.IVPercentileLast(x[:i], n), dst[i-1]; !same(got, want, 0) {
				t.Fatalf("IVPercentileLast n=%d i=%d: %g, slice %g", n, i, got, want)
			}
			if n < 2 {
				continue
			}
			indicators.RealizedVol(dst[:i], x[:i], n, 252)
			if got, want := indicators.RealizedVolLast(x[:i], n, 252), dst[i-1]; !same(got, want, 1e-12) {
				t.Fatalf("RealizedVolLast n=%d i=%d: %g, slice %g", n, i, got, want)
			}
		}
	}
}

// same reports whether a and b are both NaN or agree to rel relative.
func same(a, b, rel float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= rel*math.Abs(b)
}

package indicators

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomWalk returns n closes of a geometric random walk starting at level,
// with daily log-return volatility sigma.
func randomWalk(rng *rand.Rand, n int, level, sigma float64) []float64 {
	x := make([]float64, n)
	p := level
	for i := range x {
		p *= math.Exp(sigma * rng.NormFloat64())
		x[i] = p
	}
	return x
}

// naiveMeanStd computes the mean and sample standard deviation of w by two
// passes.
func naiveMeanStd(w []float64) (mean, std float64) {
	for _, v := range w {
		mean += v
	}
	mean /= float64(len(w))
	var ss float64
	for _, v := range w {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(w)-1))
}

// rollingStd writes the rolling sample standard deviation that Bollinger
// uses, which the bands themselves hide behind the rounding of mid ± band.
func rollingStd(dst, x []float64, n int) {
	r := newRoller(x, srcRaw, n)
	for i := range x {
		r.push(i)
		dst[i] = math.NaN()
		if r.full(i) {
			dst[i] = r.std()
		}
	}
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}

// TestRollingExact checks the O(1) rolling updates against a naive
// recomputation of every window on long series at several price levels.
func TestRollingExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const size = 20000
	for _, level := range []float64{1e-3, 100, 1e6} {
		x := randomWalk(rng, size, level, 0.02)
		for _, n := range []int{2, 20, 252} {
			sma := make([]float64, size)
			lo, mid, hi := make([]float64, size), make([]float64, size), make([]float64, size)
			rv := make([]float64, size)
			SMA(sma, x, n)
			Bollinger(lo, mid, hi, x, n, 2)
			RealizedVol(rv, x, n, 252)
			sd := make([]float64, size)
			rollingStd(sd, x, n)
			ret := make([]float64, size)
			for i := 1; i < size; i++ {
				ret[i] = math.Log(x[i] / x[i-1])
			}
			var worst float64
			for i := n - 1; i < size; i++ {
				m, s := naiveMeanStd(x[i-n+1 : i+1])
				worst = math.Max(worst, relErr(sma[i], m))
				worst = math.Max(worst, relErr(mid[i], m))
				worst = math.Max(worst, relErr(lo[i], m-2*s))
				worst = math.Max(worst, relErr(hi[i], m+2*s))
				worst = math.Max(worst, relErr(sd[i], s))
				if i >= n {
					_, rs := naiveMeanStd(ret[i-n+1 : i+1])
					worst = math.Max(worst, relErr(rv[i], rs*math.Sqrt(252)))
				}
			}
			if worst > 1e-12 {
				t.Errorf("level %g, n %d: worst relative error %g > 1e-12", level, n, worst)
			}
		}
	}
}

// TestRSISimpleNaive checks RSISimple against per-window sums of gains and
// losses.
func TestRSISimpleNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const size, n = 5000, 14
	c := randomWalk(rng, size, 100, 0.01)
	got := make([]float64, size)
	RSISimple(got, c, n)
	for i := n; i < size; i++ {
		var g, l float64
		for j := i - n + 1; j <= i; j++ {
			if d := c[j] - c[j-1]; d > 0 {
				g += d
			} else {
				l -= d
			}
		}
		if want := 100 * g / (g + l); relErr(got[i], want) > 1e-12 {
			t.Fatalf("RSISimple[%d] = %v, want %v", i, got[i], want)
		}
	}
}

// indicatorFuncs runs every indicator over x, returning its outputs.
var indicatorFuncs = map[string]func(x []float64) [][]float64{
	"SMA":          func(x []float64) [][]float64 { d := out(x, 1); SMA(d[0], x, 5); return d },
	"EMA":          func(x []float64) [][]float64 { d := out(x, 1); EMA(d[0], x, 5); return d },
	"RSIWilder":    func(x []float64) [][]float64 { d := out(x, 1); RSIWilder(d[0], x, 14); return d },
	"RSISimple":    func(x []float64) [][]float64 { d := out(x, 1); RSISimple(d[0], x, 14); return d },
	"Bollinger":    func(x []float64) [][]float64 { d := out(x, 3); Bollinger(d[0], d[1], d[2], x, 20, 2); return d },
	"MACD":         func(x []float64) [][]float64 { d := out(x, 3); MACD(d[0], d[1], d[2], x, 12, 26, 9); return d },
	"RealizedVol":  func(x []float64) [][]float64 { d := out(x, 1); RealizedVol(d[0], x, 20, 252); return d },
	"IVRank":       func(x []float64) [][]float64 { d := out(x, 1); IVRank(d[0], x, 30); return d },
	"IVPercentile": func(x []float64) [][]float64 { d := out(x, 1); IVPercentile(d[0], x, 30); return d },
	"Rising": func(x []float64) [][]float64 {
		d := out(x, 1)
		for i := range x {
			d[0][i] = 0
			if Rising(x, i, 3) {
				d[0][i] = 1
			}
		}
		return d
	},
}

func out(x []float64, k int) [][]float64 {
	d := make([][]float64, k)
	for i := range d {
		d[i] = make([]float64, len(x))
	}
	return d
}

// TestNoLookAhead perturbs x[j] for every j > i and checks that no output at
// an index ≤ i changes.
func TestNoLookAhead(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const size = 120
	base := randomWalk(rng, size, 20, 0.03)
	for name, f := range indicatorFuncs {
		ref := f(base)
		for _, i := range []int{0, 1, 5, 13, 14, 19, 29, 40, 60, 100, size - 2} {
			for _, perturb := range []func() float64{
				func() float64 { return 1000 * rng.Float64() },
				func() float64 { return math.NaN() },
				func() float64 { return math.Inf(1) },
			} {
				x := append([]float64(nil), base...)
				for j := i + 1; j < size; j++ {
					x[j] = perturb()
				}
				got := f(x)
				for k := range got {
					for m := 0; m <= i; m++ {
						if math.Float64bits(got[k][m]) != math.Float64bits(ref[k][m]) &&
							!(math.IsNaN(got[k][m]) && math.IsNaN(ref[k][m])) {
							t.Fatalf("%s: output %d at %d changed from %v to %v when x after %d changed",
								name, k, m, ref[k][m], got[k][m], i)
						}
					}
				}
			}
		}
	}
}

// TestNoAllocs checks that no indicator allocates.
func TestNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const size = 600
	x := randomWalk(rng, size, 100, 0.02)
	a, b, c := make([]float64, size), make([]float64, size), make([]float64, size)
	fns := map[string]func(){
		"SMA":          func() { SMA(a, x, 50) },
		"EMA":          func() { EMA(a, x, 50) },
		"RSIWilder":    func() { RSIWilder(a, x, 14) },
		"RSISimple":    func() { RSISimple(a, x, 14) },
		"Bollinger":    func() { Bollinger(a, b, c, x, 20, 2) },
		"MACD":         func() { MACD(a, b, c, x, 12, 26, 9) },
		"RealizedVol":  func() { RealizedVol(a, x, 20, 252) },
		"IVRank":       func() { IVRank(a, x, IVWindow) },
		"IVPercentile": func() { IVPercentile(a, x, IVWindow) },
		"Rising":       func() { Rising(x, size-1, 3) },
	}
	for name, f := range fns {
		if allocs := testing.AllocsPerRun(10, f); allocs != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, allocs)
		}
	}
}

//go:build goexperiment.simd && amd64

package greeks

import (
	"math"
	"math/rand/v2"
	"testing"

	"simd/archsimd"
)

// needVector skips the test or benchmark on processors without AVX-512.
func needVector(tb testing.TB) {
	tb.Helper()
	if !archsimd.X86.AVX512() {
		tb.Skip("no AVX-512")
	}
}

// sentinel fills the results before a kernel runs, so that a result the kernel
// should have written but did not shows.
var sentinel = laneOut{-1, -2, -3, -4, -5, -6, -7, -8}

// checkKernels runs the vector and the scalar kernel on copies of lanes and reports
// every result that is not the same bit for bit (NaNs match any NaN); the padding of
// a laneOut is not a result. nres is the number of results the lanes write. It
// stops the test at the first block that differs.
func checkKernels(t *testing.T, name string, lanes []euroLane, exps []laneExpiry, r float64, nres int) {
	t.Helper()
	want, got := make([]laneOut, nres+1), make([]laneOut, nres+1)
	for i := range want {
		want[i], got[i] = sentinel, sentinel
	}
	ls, lv := append([]euroLane(nil), lanes...), append([]euroLane(nil), lanes...)
	runEuropeanScalar(ls, exps, r, want)
	runEuropeanVec(lv, exps, r, got)
	bad := 0
	for i := range want {
		for f := range outRho + 1 {
			w, g := want[i][f], got[i][f]
			if math.Float64bits(w) != math.Float64bits(g) && !(math.IsNaN(w) && math.IsNaN(g)) {
				if bad++; bad <= 5 {
					t.Errorf("%s: result %d field %d: vector %v (%#x), scalar %v (%#x)",
						name, i, f, g, math.Float64bits(g), w, math.Float64bits(w))
				}
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%s: %d results differ in all", name, bad)
	}
}

// TestVectorKernelChain checks the vector kernel against the scalar one on the lane
// blocks Compute forms from synthetic chains.
func TestVectorKernelChain(t *testing.T) {
	needVector(t)
	for seed := range uint64(6) {
		c, vol, _ := SyntheticChain(4096, seed+1)
		var b laneBatch
		var g Greeks
		b.start(c, vol, &g)
		for i := 0; i < c.Len(); {
			j := b.fill(i)
			if b.n == 0 {
				t.Fatalf("seed %d: contract %d not queued", seed+1, i)
			}
			checkKernels(t, "chain", b.lanes[:b.n], b.exps[:b.nex], c.Rate, b.m)
			b.n, b.m, b.nex = 0, 0, 0
			i = j
		}
	}
}

// laneSet builds blocks of lanes for a spot of 1 (the kernel depends on S and K only
// through F/K and the expiry factors) and a rate and dividend yield.
type laneSet struct {
	s, r, q float64
	lanes   []euroLane
	exps    []laneExpiry
	m       int // results written
}

// expiry appends an expiry of t years and returns its index.
func (ls *laneSet) expiry(t float64) int {
	var e expiry
	e.set(t, ls.r, ls.q)
	var x laneExpiry
	x.set(&e, ls.s, ls.q)
	ls.exps = append(ls.exps, x)
	return len(ls.exps) - 1
}

// add appends a lane at strike k and volatility sigma on expiry ex, serving a call
// and a put (pair) or the side put alone.
func (ls *laneSet) add(k, sigma float64, ex int, put, pair bool) {
	l := euroLane{k: k, sigma: sigma, ex: ex, at: ls.m}
	if put {
		l.put = 1
	}
	ls.lanes = append(ls.lanes, l)
	ls.m++
	if pair {
		ls.m++
	}
}

// logUniform returns a random number between lo and hi, uniform in its logarithm.
func logUniform(rng *rand.Rand, lo, hi float64) float64 {
	return math.Exp(math.Log(lo) + (math.Log(hi)-math.Log(lo))*rng.Float64())
}

// TestVectorKernelGrid checks the vector kernel against the scalar one on a grid of
// expiries from a minute to three years, strikes from 0.3 to 3 times the spot,
// volatilities from 1% to 300% and rates and dividend yields from −5% to 10%, with
// lanes serving a call and a put or one side alone.
func TestVectorKernelGrid(t *testing.T) {
	needVector(t)
	years := []float64{1.0 / 525600, 1.0 / 8760, 1.0 / 365, 7.0 / 365, 0.1, 0.5, 1, 3}
	moneyness := []float64{0.3, 0.5, 0.8, 0.95, 0.99, 1, 1.01, 1.05, 1.25, 2, 3}
	vols := []float64{0.01, 0.05, 0.2, 0.5, 1, 3}
	rates := []float64{-0.05, 0, 0.1}
	for _, r := range rates {
		for _, q := range rates {
			ls := laneSet{s: 1, r: r, q: q}
			for _, t := range years {
				ex := ls.expiry(t)
				for i, km := range moneyness {
					for j, v := range vols {
						ls.add(km, v, ex, (i+j)%2 == 1, (i+j)%3 != 0)
					}
				}
			}
			// Blocks of 64 like Compute's, with the lanes left at the end.
			for i := 0; i < len(ls.lanes); i += laneBlock {
				l := ls.lanes[i:min(i+laneBlock, len(ls.lanes))]
				checkKernels(t, "grid", l, ls.exps, r, ls.m)
			}
		}
	}
}

// TestVectorKernelRandom checks the vector kernel against the scalar one on random
// blocks of 1 to 70 lanes over one to four expiries, in random order or sorted.
func TestVectorKernelRandom(t *testing.T) {
	needVector(t)
	rng := rand.New(rand.NewPCG(3, 5))
	for round := range 2000 {
		n := 1 + round%70
		ls := laneSet{s: 100, r: -0.05 + 0.15*rng.Float64(), q: -0.05 + 0.15*rng.Float64()}
		for range 1 + rng.IntN(4) {
			ls.expiry(logUniform(rng, 1.0/525600, 3))
		}
		for i := range n {
			ex := rng.IntN(len(ls.exps))
			if round%2 == 0 {
				ex = len(ls.exps) * i / n // sorted, as Compute queues them
			}
			ls.add(ls.s*logUniform(rng, 0.3, 3), logUniform(rng, 0.01, 3), ex, rng.IntN(2) == 1, rng.IntN(2) == 1)
		}
		checkKernels(t, "random", ls.lanes, ls.exps, ls.r, ls.m)
	}
}

// TestVectorKernelExtremes checks lanes that leave the fast paths: F/K infinite,
// subnormal or zero (fastLog's fallback), densities that underflow (fastExp's) and
// Mills ratio arguments of 8 and more (its asymptotic series), among ordinary lanes.
func TestVectorKernelExtremes(t *testing.T) {
	needVector(t)
	ls := laneSet{s: 1, r: 0.03, q: 0.01}
	ex := ls.expiry(0.5)
	short := ls.expiry(1.0 / 525600)
	odd := []struct{ k, sigma float64 }{
		{1e-310, 0.2}, {1e308, 0.2}, {math.MaxFloat64, 0.2}, {2e-308, 0.2}, {3e307, 1e-300},
		{0.3, 0.01}, {3, 0.01}, {1, 1e-200}, {1.5, 0.05}, {0.7, 0.05}, {1, 300}, {1, 1e300},
		{0x1p-1074, 1}, {1, 8 / math.Sqrt(0.5) * 2}, {1, 16 / math.Sqrt(0.5) * 2},
		// F/K subnormal at volatilities where the results depend on ln(F/K).
		{1e308, 40}, {1e308, 53}, {math.MaxFloat64, 53}, {math.MaxFloat64, 60},
	}
	for i, o := range odd {
		for j := range 8 {
			if j == i%8 {
				ls.add(o.k, o.sigma, ex, i%2 == 0, i%3 != 1)
				ls.add(o.k, o.sigma, short, i%2 == 1, i%3 == 1)
			} else {
				ls.add(1+0.01*float64(j), 0.2, ex, j%2 == 0, j%3 != 0)
			}
		}
	}
	checkKernels(t, "extremes", ls.lanes, ls.exps, ls.r, ls.m)
}

// benchKernel times a kernel on the lane blocks Compute forms from SyntheticChain(4096,
// 1), and reports the time per option.
func benchKernel(b *testing.B, run func([]euroLane, []laneExpiry, float64, []laneOut)) {
	c, vol, _ := benchChain(b)
	type block struct {
		lanes []euroLane
		exps  []laneExpiry
	}
	var blocks []block
	var lb laneBatch
	var g Greeks
	lb.start(c, vol, &g)
	for i := 0; i < c.Len(); {
		i = lb.fill(i)
		blocks = append(blocks, block{append([]euroLane(nil), lb.lanes[:lb.n]...), append([]laneExpiry(nil), lb.exps[:lb.nex]...)})
		lb.n, lb.m, lb.nex = 0, 0, 0
	}
	var res [2*laneBlock + 1]laneOut
	b.ResetTimer()
	for b.Loop() {
		for _, bl := range blocks {
			run(bl.lanes, bl.exps, c.Rate, res[:])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.Len()), "ns/option")
}

// BenchmarkComputeKernel times the European kernel alone, scalar and vector, on the
// chain of BenchmarkCompute.
func BenchmarkComputeKernel(b *testing.B) {
	b.Run("scalar", func(b *testing.B) { benchKernel(b, runEuropeanScalar) })
	b.Run("vector", func(b *testing.B) {
		needVector(b)
		benchKernel(b, runEuropeanVec)
	})
}

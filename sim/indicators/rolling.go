package indicators

import (
	"math"
	"strconv"
)

// source says how a roller derives the value at index j from its input.
type source uint8

const (
	srcRaw    source = iota // x[j]
	srcLogRet               // log(x[j]/x[j-1])
	srcGain                 // max(x[j]-x[j-1], 0)
	srcLoss                 // max(x[j-1]-x[j], 0)
)

// roller keeps the sum and sum of squares of the last n derived values in
// O(1) per step. Values are accumulated relative to shift, the window mean at
// the last recomputation, which keeps the sum of squares free of
// cancellation; the sums are recomputed from scratch every n steps so that
// rounding cannot drift. Non-finite values are counted, not summed.
type roller struct {
	x       []float64
	src     source
	n       int
	first   int // first index at which the derived value exists
	shift   float64
	s1, s2  float64 // sums of (v-shift) and (v-shift)² over finite values
	e1, e2  float64 // rounding error bounds of s1 and s2, in units of eps
	bad     int     // non-finite values in the window
	nonzero int     // finite non-zero values in the window
	since   int     // pushes since the last recomputation
	last    int     // index the window ends at
}

// eps is the unit roundoff of float64.
const eps = 0x1p-53

// stdTol is the relative error bound on the variance above which std
// recomputes its window from scratch instead of trusting the running sums.
const stdTol = 1e-12

func newRoller(x []float64, src source, n int) roller {
	r := roller{x: x, src: src, n: n}
	if src != srcRaw {
		r.first = 1
	}
	return r
}

// at returns the derived value at index j ≥ r.first.
func (r *roller) at(j int) float64 {
	switch r.src {
	case srcLogRet:
		return math.Log(r.x[j] / r.x[j-1])
	case srcGain:
		d := r.x[j] - r.x[j-1]
		if d < 0 {
			return 0
		}
		return d // NaN stays NaN
	case srcLoss:
		d := r.x[j-1] - r.x[j]
		if d < 0 {
			return 0
		}
		return d
	}
	return r.x[j]
}

// full reports whether the window ending at i holds n derived values.
func (r *roller) full(i int) bool { return i >= r.first+r.n-1 }

// push moves the window to end at i. It must be called for i = r.first,
// r.first+1, ... in order.
func (r *roller) push(i int) {
	if i-r.n >= r.first {
		r.update(r.at(i-r.n), -1)
	}
	r.update(r.at(i), 1)
	r.last = i
	r.since++
	if r.since >= r.n && r.full(i) {
		r.recompute(i)
	}
}

// update adds (sign = 1) or removes (sign = -1) v.
func (r *roller) update(v float64, sign int) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		r.bad += sign
		return
	}
	if v != 0 {
		r.nonzero += sign
	}
	d := v - r.shift
	if sign > 0 {
		r.s1 += d
		r.s2 += d * d
	} else {
		r.s1 -= d
		r.s2 -= d * d
	}
	// Each operation rounds by at most eps times its result; d and d² add
	// their own rounding.
	r.e1 += math.Abs(r.s1) + math.Abs(d)
	r.e2 += math.Abs(r.s2) + 2*d*d
}

// recompute rebuilds the sums over the window ending at i, re-centred on
// the window mean.
func (r *roller) recompute(i int) {
	lo := i - r.n + 1
	var sum float64
	var cnt int
	for j := lo; j <= i; j++ {
		if v := r.at(j); !math.IsNaN(v) && !math.IsInf(v, 0) {
			sum += v
			cnt++
		}
	}
	r.shift = 0
	if cnt > 0 {
		r.shift = sum / float64(cnt)
	}
	r.s1, r.s2, r.e1, r.e2 = 0, 0, 0, 0
	r.bad, r.nonzero, r.since = 0, 0, 0
	for j := lo; j <= i; j++ {
		r.update(r.at(j), 1)
	}
}

// mean returns the window mean, NaN if the window holds a non-finite value.
func (r *roller) mean() float64 {
	switch {
	case r.bad > 0:
		return math.NaN()
	case r.nonzero == 0:
		return 0
	}
	return r.shift + r.s1/float64(r.n)
}

// std returns the sample (ddof=1) standard deviation of the window, NaN if
// the window holds a non-finite value. It needs n ≥ 2. When the running sums
// cannot guarantee the variance to stdTol (the window's spread has shrunk
// far below what the sums have carried), it recomputes the window first.
func (r *roller) std() float64 {
	if r.bad > 0 {
		return math.NaN()
	}
	n := float64(r.n)
	m2 := r.s2 - r.s1*r.s1/n
	if bound := eps * (r.e2 + 2*math.Abs(r.s1)*r.e1/n); bound > stdTol*m2 && r.since > 0 {
		r.recompute(r.last)
		m2 = r.s2 - r.s1*r.s1/n
	}
	if m2 <= 0 {
		return 0
	}
	return math.Sqrt(m2 / (n - 1))
}

// SMA writes into dst the simple moving average of the last n values of x:
// dst[i] = (x[i-n+1] + ... + x[i]) / n. dst[i] is NaN for i < n-1 and where
// the window holds a NaN or ±Inf. SMA panics if len(dst) != len(x) or n < 1.
func SMA(dst, x []float64, n int) {
	checkLen("SMA", len(dst), len(x))
	checkPeriod("SMA", "n", n, 1)
	r := newRoller(x, srcRaw, n)
	for i := range x {
		r.push(i)
		if r.full(i) {
			dst[i] = r.mean()
		} else {
			dst[i] = math.NaN()
		}
	}
}

// Bollinger writes Bollinger bands over the last n values of x: mid is the
// SMA(n), and lower and upper are mid ∓ k times the sample standard
// deviation (ddof=1, as pandas rolling(n).std()) of the same window. All
// three are NaN for i < n-1 and where the window holds a NaN or ±Inf.
// Bollinger panics if the slice lengths differ or n < 2.
func Bollinger(lower, mid, upper, x []float64, n int, k float64) {
	checkLen("Bollinger", len(lower), len(x))
	checkLen("Bollinger", len(mid), len(x))
	checkLen("Bollinger", len(upper), len(x))
	checkPeriod("Bollinger", "n", n, 2)
	r := newRoller(x, srcRaw, n)
	for i := range x {
		r.push(i)
		if !r.full(i) {
			lower[i], mid[i], upper[i] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		m, band := r.mean(), k*r.std()
		lower[i], mid[i], upper[i] = m-band, m, m+band
	}
}

// RealizedVol writes into dst the annualized realized volatility of close:
// the sample (ddof=1) standard deviation of the last n log returns
// log(close[j]/close[j-1]), times sqrt(periodsPerYear) (252 for daily bars).
// The first valid index is n, the first with n returns. dst[i] is NaN
// earlier and where a return in the window is NaN or ±Inf (a missing or
// non-positive close). RealizedVol panics if len(dst) != len(close) or n < 2.
func RealizedVol(dst, close []float64, n int, periodsPerYear float64) {
	checkLen("RealizedVol", len(dst), len(close))
	checkPeriod("RealizedVol", "n", n, 2)
	scale := math.Sqrt(periodsPerYear)
	r := newRoller(close, srcLogRet, n)
	for i := range close {
		if i < r.first {
			dst[i] = math.NaN()
			continue
		}
		r.push(i)
		if r.full(i) {
			dst[i] = r.std() * scale
		} else {
			dst[i] = math.NaN()
		}
	}
}

// RealizedVolLast returns the annualized realized volatility of the last n
// log returns of close, the value RealizedVol writes at the last index,
// without a destination slice. It is computed in two passes over the window
// (mean, then squared deviations), exact to rounding rather than from
// running sums, so it can differ from RealizedVol in the last bits. It is
// NaN with fewer than n+1 closes, n < 2, or a close in the window that is
// not positive.
func RealizedVolLast(close []float64, n int, periodsPerYear float64) float64 {
	if n < 2 || len(close) < n+1 {
		return math.NaN()
	}
	w := close[len(close)-n-1:]
	mean := 0.0
	for i := 1; i <= n; i++ {
		if !(w[i] > 0 && w[i-1] > 0) {
			return math.NaN()
		}
		mean += math.Log(w[i] / w[i-1])
	}
	mean /= float64(n)
	ss := 0.0
	for i := 1; i <= n; i++ {
		d := math.Log(w[i]/w[i-1]) - mean
		ss += d * d
	}
	return math.Sqrt(ss/float64(n-1)) * math.Sqrt(periodsPerYear)
}

func checkLen(fn string, got, want int) {
	if got != want {
		panic("indicators: " + fn + ": slice lengths do not match")
	}
}

func checkPeriod(fn, name string, n, min int) {
	if n < min {
		panic("indicators: " + fn + ": " + name + " must be at least " + strconv.Itoa(min))
	}
}

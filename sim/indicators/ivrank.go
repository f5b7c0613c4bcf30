package indicators

import "math"

// IVWindow is the default IVRank and IVPercentile window: 252 trading days,
// one year.
const IVWindow = 252

// IVRank writes into dst the implied volatility rank of iv over the window
// of the last n entries including i: (iv[i] − min)/(max − min) over the
// valid (non-NaN) entries, a fraction in [0, 1]. dst[i] is 0 when every
// valid entry is equal, and NaN for i < n-1, when iv[i] is NaN, or when
// fewer than (n+1)/2 entries of the window are valid. It costs O(n) per
// index. IVRank panics if len(dst) != len(iv) or n < 1.
func IVRank(dst, iv []float64, n int) { window("IVRank", dst, iv, n, ivRankAt) }

// IVRankLast returns the IV rank of the last entry of iv over its last n
// entries, as IVRank computes dst[len(iv)-1], without a destination slice:
// NaN when iv is empty or shorter than n, or n < 1.
func IVRankLast(iv []float64, n int) float64 { return lastOf(iv, n, ivRankAt) }

// ivRankAt returns IVRank's value at index i.
func ivRankAt(iv []float64, i, n int) float64 {
	v := iv[i]
	if i < n-1 || math.IsNaN(v) {
		return math.NaN()
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	valid := 0
	for _, w := range iv[i-n+1 : i+1] {
		if math.IsNaN(w) {
			continue
		}
		valid++
		if w < lo {
			lo = w
		}
		if w > hi {
			hi = w
		}
	}
	switch {
	case valid < (n+1)/2:
		return math.NaN()
	case hi == lo:
		return 0
	}
	return (v - lo) / (hi - lo)
}

// IVPercentile writes into dst the implied volatility percentile of iv: the
// fraction of the other valid (non-NaN) entries in the window of the last n
// entries including i that are strictly below iv[i], a fraction in [0, 1].
// dst[i] is NaN for i < n-1, when iv[i] is NaN, or when fewer than (n+1)/2
// entries of the window are valid, and 0 when iv[i] is the window's only
// valid entry. It costs O(n) per index. IVPercentile panics if
// len(dst) != len(iv) or n < 1.
func IVPercentile(dst, iv []float64, n int) { window("IVPercentile", dst, iv, n, ivPercentileAt) }

// IVPercentileLast returns the IV percentile of the last entry of iv over
// its last n entries, as IVPercentile computes dst[len(iv)-1], without a
// destination slice: NaN when iv is empty or shorter than n, or n < 1.
func IVPercentileLast(iv []float64, n int) float64 { return lastOf(iv, n, ivPercentileAt) }

// ivPercentileAt returns IVPercentile's value at index i.
func ivPercentileAt(iv []float64, i, n int) float64 {
	v := iv[i]
	if i < n-1 || math.IsNaN(v) {
		return math.NaN()
	}
	valid, below := 0, 0
	for _, w := range iv[i-n+1 : i+1] {
		if math.IsNaN(w) {
			continue
		}
		valid++
		if w < v {
			below++
		}
	}
	switch {
	case valid < (n+1)/2:
		return math.NaN()
	case valid == 1:
		return 0
	}
	return float64(below) / float64(valid-1)
}

// window writes at(iv, i, n) into dst[i] for every i, after fn's checks.
func window(fn string, dst, iv []float64, n int, at func(iv []float64, i, n int) float64) {
	checkLen(fn, len(dst), len(iv))
	checkPeriod(fn, "n", n, 1)
	for i := range iv {
		dst[i] = at(iv, i, n)
	}
}

// lastOf returns at's value at the last index of iv, NaN when iv is empty
// or n < 1.
func lastOf(iv []float64, n int, at func(iv []float64, i, n int) float64) float64 {
	if n < 1 || len(iv) == 0 {
		return math.NaN()
	}
	return at(iv, len(iv)-1, n)
}

package indicators

import "math"

// EMA writes into dst the exponential moving average of x with
// alpha = 2/(n+1): dst[n-1] is the simple mean of x[0..n-1], and for i ≥ n,
// dst[i] = alpha*x[i] + (1-alpha)*dst[i-1]. dst[i] is NaN for i < n-1; a NaN
// input makes every later output NaN. EMA panics if len(dst) != len(x) or
// n < 1.
func EMA(dst, x []float64, n int) {
	checkLen("EMA", len(dst), len(x))
	checkPeriod("EMA", "n", n, 1)
	emaFrom(dst, x, n, 0)
}

// emaFrom writes the EMA of x[start:] into dst[start:], seeded with the mean
// of x[start..start+n-1]; dst[:start+n-1] is NaN.
func emaFrom(dst, x []float64, n, start int) {
	seed := start + n - 1
	for i := 0; i < len(x) && i < seed; i++ {
		dst[i] = math.NaN()
	}
	if seed >= len(x) {
		return
	}
	var sum float64
	for _, v := range x[start : seed+1] {
		sum += v
	}
	prev := sum / float64(n)
	dst[seed] = prev
	alpha := 2 / float64(n+1)
	for i := seed + 1; i < len(x); i++ {
		prev = alpha*x[i] + (1-alpha)*prev
		dst[i] = prev
	}
}

// MACD writes the moving average convergence/divergence of x:
// macd = EMA(fast) − EMA(slow), signal = EMA(signalN) of macd, seeded with
// the mean of the first signalN valid macd values, and hist = macd − signal.
// macd is valid from index slow-1, signal and hist from slow+signalN-2;
// earlier values are NaN. The usual periods are 12, 26 and 9. The outputs
// are also used as scratch, so none may alias x. MACD panics if the slice
// lengths differ, a period is below 1, or fast ≥ slow.
func MACD(macd, signal, hist, x []float64, fast, slow, signalN int) {
	checkLen("MACD", len(macd), len(x))
	checkLen("MACD", len(signal), len(x))
	checkLen("MACD", len(hist), len(x))
	checkPeriod("MACD", "fast", fast, 1)
	checkPeriod("MACD", "signalN", signalN, 1)
	if fast >= slow {
		panic("indicators: MACD: fast must be less than slow")
	}
	emaFrom(macd, x, fast, 0)
	emaFrom(hist, x, slow, 0) // hist holds EMA(slow) for now
	for i := range macd {
		macd[i] -= hist[i]
	}
	emaFrom(signal, macd, signalN, slow-1)
	for i := range hist {
		hist[i] = macd[i] - signal[i]
	}
}

package indicators

import "math"

// RSIWilder writes into dst Wilder's relative strength index of close over
// n periods. With changes d[j] = close[j] − close[j-1], gains max(d, 0) and
// losses max(−d, 0), the first average gain G and loss L (at index n) are
// the simple means of the first n gains and losses; after that
// G = (G_prev*(n-1) + gain)/n, and likewise L. dst[i] = 100·G/(G+L): 100
// when L = 0, 50 when G = L = 0. dst[i] is NaN for i < n; a NaN close makes
// every later output NaN. RSIWilder panics if len(dst) != len(close) or
// n < 1. See the package documentation for how it differs from RSISimple.
func RSIWilder(dst, close []float64, n int) {
	checkLen("RSIWilder", len(dst), len(close))
	checkPeriod("RSIWilder", "n", n, 1)
	var g, l float64
	for i := range close {
		if i == 0 {
			dst[i] = math.NaN()
			continue
		}
		gain, loss := gainLoss(close[i] - close[i-1])
		switch {
		case i < n:
			g += gain
			l += loss
			dst[i] = math.NaN()
			continue
		case i == n:
			g = (g + gain) / float64(n)
			l = (l + loss) / float64(n)
		default:
			g = (g*float64(n-1) + gain) / float64(n)
			l = (l*float64(n-1) + loss) / float64(n)
		}
		dst[i] = rsi(g, l)
	}
}

// RSISimple writes into dst the relative strength index of close computed
// from the simple means G and L of the last n gains and losses (the pandas
// form diff().clip().rolling(n).mean()): dst[i] = 100·G/(G+L), 100 when
// L = 0, 50 when G = L = 0. This is the form and, with n = 14, the period the
// cash-secured-put seed strategy uses. dst[i] is NaN for i < n and where the
// window of changes holds a NaN. RSISimple panics if len(dst) != len(close)
// or n < 1.
func RSISimple(dst, close []float64, n int) {
	checkLen("RSISimple", len(dst), len(close))
	checkPeriod("RSISimple", "n", n, 1)
	gains := newRoller(close, srcGain, n)
	losses := newRoller(close, srcLoss, n)
	for i := range close {
		if i < 1 {
			dst[i] = math.NaN()
			continue
		}
		gains.push(i)
		losses.push(i)
		if gains.full(i) {
			dst[i] = rsi(gains.mean(), losses.mean())
		} else {
			dst[i] = math.NaN()
		}
	}
}

// gainLoss splits a price change into its gain and loss parts; NaN gives
// NaN for both.
func gainLoss(d float64) (gain, loss float64) {
	switch {
	case d > 0:
		return d, 0
	case d < 0:
		return 0, -d
	case d == 0:
		return 0, 0
	}
	return d, d
}

// rsi maps average gain g and average loss l to [0, 100], with 100 for
// l = 0 and 50 for g = l = 0. Averages a rounding error below zero count
// as zero.
func rsi(g, l float64) float64 {
	switch {
	case math.IsNaN(g) || math.IsNaN(l):
		return math.NaN()
	case l <= 0 && g <= 0:
		return 50
	case l <= 0:
		return 100
	}
	return 100 * g / (g + l)
}

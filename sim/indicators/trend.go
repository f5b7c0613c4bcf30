package indicators

// Rising reports whether x rose at each of the lookback steps ending at i:
// x[i-k] > x[i-k-1] for k = 0, ..., lookback-1. It is the seed strategy's
// sma_trend applied to an SMA series. Rising is false when i < lookback (not
// enough history) or when any compared value is NaN; the seed's pandas
// comparison lets a NaN pass instead. Rising panics if lookback < 1 or
// i ≥ len(x).
func Rising(x []float64, i, lookback int) bool {
	checkPeriod("Rising", "lookback", lookback, 1)
	if i >= len(x) {
		panic("indicators: Rising: index out of range")
	}
	if i < lookback {
		return false
	}
	for k := 0; k < lookback; k++ {
		if !(x[i-k] > x[i-k-1]) {
			return false
		}
	}
	return true
}

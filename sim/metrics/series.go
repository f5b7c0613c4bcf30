package metrics

import (
	"math"
	"time"
)

// Returns writes the simple daily returns of equity into dst:
// dst[i] = equity[i+1]/equity[i] − 1. It panics unless len(dst) == len(equity)−1
// (or both are empty).
func Returns(dst, equity []float64) {
	if len(equity) == 0 && len(dst) == 0 {
		return
	}
	if len(dst) != len(equity)-1 {
		panic("metrics: Returns: len(dst) != len(equity)-1")
	}
	for i := range dst {
		dst[i] = equity[i+1]/equity[i] - 1
	}
}

// HighWater writes the running maximum of equity into dst:
// dst[i] = max(equity[0..i]). It panics unless len(dst) == len(equity).
func HighWater(dst, equity []float64) {
	if len(dst) != len(equity) {
		panic("metrics: HighWater: len(dst) != len(equity)")
	}
	peak := math.Inf(-1)
	for i, e := range equity {
		peak = max(peak, e)
		dst[i] = peak
	}
}

// Drawdown writes the underwater curve of equity into dst:
// dst[i] = equity[i]/max(equity[0..i]) − 1, which is ≤ 0 and 0 at a new high.
// It panics unless len(dst) == len(equity).
func Drawdown(dst, equity []float64) {
	if len(dst) != len(equity) {
		panic("metrics: Drawdown: len(dst) != len(equity)")
	}
	peak := math.Inf(-1)
	for i, e := range equity {
		peak = max(peak, e)
		dst[i] = e/peak - 1
	}
}

// Sharpe returns the annualised Sharpe ratio of daily returns:
// mean(x)/std(x)·√252 with x = r − riskFree/252 and std the sample standard
// deviation (ddof = 1). It returns 0 when x has no variance (see the package
// documentation) or fewer than two elements.
func Sharpe(returns []float64, riskFree float64) float64 {
	return sharpe(returns, riskFree/TradingDaysPerYear)
}

// sharpe is Sharpe with the daily risk-free rate rf.
func sharpe(r []float64, rf float64) float64 {
	n := len(r)
	if n < 2 {
		return 0
	}
	var sum float64
	for _, v := range r {
		sum += v - rf
	}
	mean := sum / float64(n)
	var ss, sq float64
	for _, v := range r {
		x := v - rf
		ss += (x - mean) * (x - mean)
		sq += x * x
	}
	std := math.Sqrt(ss / float64(n-1))
	rms := math.Sqrt(sq / float64(n))
	if std <= zeroVarianceTol*rms {
		return 0
	}
	return mean / std * math.Sqrt(TradingDaysPerYear)
}

// Sortino returns the annualised Sortino ratio of daily returns:
// mean(x)/DD·√252 with x = r − riskFree/252 and downside deviation
// DD = √(mean(min(x, 0)²)) over all days. With DD = 0 it returns +Inf if
// mean(x) > 0 and 0 otherwise, including for no returns.
func Sortino(returns []float64, riskFree float64) float64 {
	n := len(returns)
	if n == 0 {
		return 0
	}
	rf := riskFree / TradingDaysPerYear
	var sum, down float64
	for _, v := range returns {
		x := v - rf
		sum += x
		if x < 0 {
			down += x * x
		}
	}
	mean := sum / float64(n)
	if down == 0 {
		if mean > 0 {
			return math.Inf(1)
		}
		return 0
	}
	return mean / math.Sqrt(down/float64(n)) * math.Sqrt(TradingDaysPerYear)
}

// RollingSharpe writes into dst the annualised Sharpe ratio (as Sharpe computes it)
// of each window of n daily returns ending at i: dst[i] is the ratio of
// returns[i−n+1..i], and NaN for i < n−1 while the window warms up. It panics
// unless len(dst) == len(returns) and n ≥ 2.
func RollingSharpe(dst, returns []float64, n int, riskFree float64) {
	if len(dst) != len(returns) {
		panic("metrics: RollingSharpe: len(dst) != len(returns)")
	}
	if n < 2 {
		panic("metrics: RollingSharpe: window shorter than 2")
	}
	rf := riskFree / TradingDaysPerYear
	for i := range dst {
		if i < n-1 {
			dst[i] = math.NaN()
			continue
		}
		dst[i] = sharpe(returns[i-n+1:i+1], rf)
	}
}

// Month is one calendar month's return.
type Month struct {
	Year   int        // calendar year
	Month  time.Month // calendar month
	Return float64    // month-end equity over the previous month-end, minus 1, a fraction
}

// MonthlyReturns returns the return of every calendar month that has at least one
// date, in order: the last equity of the month over the last equity of the previous
// such month, minus 1; the first month is measured from the first equity value. A
// month without dates is skipped, and the next month's return spans the gap.
// days must be ascending (as Compute requires); MonthlyReturns panics if the
// lengths differ and returns nil for an empty curve.
func MonthlyReturns(days []int32, equity []float64) []Month {
	if len(days) != len(equity) {
		panic("metrics: MonthlyReturns: len(days) != len(equity)")
	}
	if len(days) == 0 {
		return nil
	}
	var out []Month
	base := equity[0]
	y, m, _ := civil(days[0])
	for i := 1; i < len(days); i++ {
		yi, mi, _ := civil(days[i])
		if yi == y && mi == m {
			continue
		}
		end := equity[i-1]
		out = append(out, Month{Year: y, Month: m, Return: end/base - 1})
		base, y, m = end, yi, mi
	}
	return append(out, Month{Year: y, Month: m, Return: equity[len(equity)-1]/base - 1})
}

// civil returns the calendar date of d days since 1970-01-01.
func civil(d int32) (year int, month time.Month, day int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

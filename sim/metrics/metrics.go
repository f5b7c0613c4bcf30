package metrics

import (
	"fmt"
	"math"
	"slices"
)

// Annualisation constants.
const (
	// TradingDaysPerYear annualises Sharpe and Sortino ratios.
	TradingDaysPerYear = 252
	// CalendarDaysPerYear converts a calendar span into years for CAGR.
	CalendarDaysPerYear = 365.25
)

// zeroVarianceTol is the largest ratio of standard deviation to root mean square
// that still counts as no variance: rounding noise in a constant series.
const zeroVarianceTol = 1e-10

// Trade is one closed trade as metrics sees it.
type Trade struct {
	Gross      float64 // P&L before fees, dollars
	Fees       float64 // commissions and fees, dollars (>= 0)
	Collateral float64 // capital at risk (e.g. strike*100*contracts), dollars (> 0); ROC = Net/Collateral
	DaysHeld   float64 // calendar days from entry to exit (>= 0)
	ExitReason string  // why the trade closed, as the strategy names it
}

// Net returns the trade's P&L after fees, Gross − Fees, in dollars.
func (t Trade) Net() float64 { return t.Gross - t.Fees }

// Summary is the performance of one backtest. Fractions are plain ratios (0.1 is
// 10%); dollar amounts are in the account currency. See the package documentation
// for the conventions and for the values of undefined statistics.
type Summary struct {
	// Trades is the number of closed trades.
	Trades int
	// Wins is the number of trades with Net > 0.
	Wins int
	// Losses is the number of trades with Net < 0.
	Losses int
	// WinRate is Wins/Trades, a fraction; NaN with no trades.
	WinRate float64

	// GrossPnL is Σ Gross over trades, dollars.
	GrossPnL float64
	// Fees is Σ Fees over trades, dollars.
	Fees float64
	// NetPnL is Σ Net = GrossPnL − Fees, dollars.
	NetPnL float64

	// ROCMean is the mean of Net/Collateral over trades, a fraction per trade.
	ROCMean float64
	// ROCMedian is the median of Net/Collateral (the mean of the middle two for an
	// even count), a fraction per trade.
	ROCMedian float64
	// ROCStd is the sample standard deviation (ddof = 1) of Net/Collateral, a
	// fraction per trade; NaN with fewer than two trades.
	ROCStd float64
	// ROCMin is the smallest Net/Collateral, a fraction.
	ROCMin float64
	// ROCMax is the largest Net/Collateral, a fraction.
	ROCMax float64

	// StartEquity is the first equity value, dollars.
	StartEquity float64
	// EndEquity is the last equity value, dollars.
	EndEquity float64
	// TotalReturn is EndEquity/StartEquity − 1, a fraction.
	TotalReturn float64
	// CAGR is (EndEquity/StartEquity)^(365.25/D) − 1, D the calendar days from the
	// first to the last date, a fraction per year; 0 when D = 0.
	CAGR float64
	// Sharpe is mean(x)/std(x)·√252 over daily excess returns x = r − rf/252,
	// std with ddof = 1; 0 with no variance or fewer than two returns.
	Sharpe float64
	// Sortino is mean(x)/√(mean(min(x,0)²))·√252 over all daily excess returns;
	// +Inf with no downside and mean(x) > 0, 0 with no downside otherwise.
	Sortino float64
	// Calmar is CAGR/MaxDrawdown; +Inf with no drawdown and CAGR > 0, else 0 with
	// no drawdown.
	Calmar float64

	// MaxDrawdown is max over days of 1 − equity/running max, a positive fraction
	// (0.25 is a fall of 25%); 0 if equity never falls.
	MaxDrawdown float64
	// MaxDrawdownDays is the calendar days from the peak of the deepest drawdown to
	// its recovery, or to the last date if equity never recovered.
	MaxDrawdownDays int
	// MaxDrawdownStart is the date of that drawdown's peak, days since 1970-01-01.
	MaxDrawdownStart int32
	// MaxDrawdownTrough is the date of that drawdown's lowest equity, days since
	// 1970-01-01.
	MaxDrawdownTrough int32
	// MaxDrawdownEnd is the date of the recovery (the first day back at or above the
	// peak), or the last date if equity never recovered, days since 1970-01-01.
	// With no drawdown, Start, Trough and End are all the first date.
	MaxDrawdownEnd int32
	// Recovered reports whether equity got back to the peak of the deepest drawdown
	// (true when there was no drawdown).
	Recovered bool

	// ProfitFactor is Σ winning nets / |Σ losing nets|: +Inf with wins and no
	// losses, 0 with no wins, NaN with no trades.
	ProfitFactor float64
	// Expectancy is NetPnL/Trades, dollars per trade.
	Expectancy float64
	// AvgDaysHeld is the mean of DaysHeld, calendar days.
	AvgDaysHeld float64
	// AvgWin is the mean net of winning trades, dollars (> 0); NaN with no wins.
	AvgWin float64
	// AvgLoss is the mean net of losing trades, dollars (< 0); NaN with no losses.
	AvgLoss float64

	// ExitReasons counts trades by ExitReason; empty, not nil, with no trades.
	ExitReasons map[string]int
}

// Compute returns the Summary of a backtest. days are dates as days since
// 1970-01-01, strictly ascending, one per trading day; equity is the account value
// at each date; trades are the closed trades; riskFree is the annual risk-free rate
// as a fraction.
//
// Compute returns an error if days and equity differ in length or are empty, if
// days are not strictly ascending, if an equity value is not positive and finite,
// if riskFree is not finite, or if a trade has a non-finite amount, negative fees,
// a collateral that is not positive or a negative holding period.
func Compute(days []int32, equity []float64, trades []Trade, riskFree float64) (Summary, error) {
	if err := validate(days, equity, riskFree); err != nil {
		return Summary{}, err
	}
	for i, t := range trades {
		if err := t.validate(); err != nil {
			return Summary{}, fmt.Errorf("metrics: trade %d: %w", i, err)
		}
	}
	var s Summary
	n := len(equity)
	s.StartEquity, s.EndEquity = equity[0], equity[n-1]
	s.TotalReturn = s.EndEquity/s.StartEquity - 1
	if span := float64(days[n-1] - days[0]); span > 0 {
		s.CAGR = math.Pow(s.EndEquity/s.StartEquity, CalendarDaysPerYear/span) - 1
	}

	r := make([]float64, n-1)
	Returns(r, equity)
	s.Sharpe = Sharpe(r, riskFree)
	s.Sortino = Sortino(r, riskFree)

	drawdownStats(&s, days, equity)
	switch {
	case s.MaxDrawdown > 0:
		s.Calmar = s.CAGR / s.MaxDrawdown
	case s.CAGR > 0:
		s.Calmar = math.Inf(1)
	}

	tradeStats(&s, trades)
	return s, nil
}

// validate checks the equity curve and the risk-free rate.
func validate(days []int32, equity []float64, riskFree float64) error {
	if len(days) != len(equity) {
		return fmt.Errorf("metrics: %d days but %d equity values", len(days), len(equity))
	}
	if len(days) == 0 {
		return fmt.Errorf("metrics: empty equity curve")
	}
	if math.IsNaN(riskFree) || math.IsInf(riskFree, 0) {
		return fmt.Errorf("metrics: risk-free rate %v is not finite", riskFree)
	}
	for i, e := range equity {
		if !(e > 0) || math.IsInf(e, 1) {
			return fmt.Errorf("metrics: equity[%d] = %v (day %d) is not positive and finite", i, e, days[i])
		}
		if i > 0 && days[i] <= days[i-1] {
			return fmt.Errorf("metrics: days not ascending: days[%d] = %d after days[%d] = %d", i, days[i], i-1, days[i-1])
		}
	}
	return nil
}

// validate checks one trade's fields.
func (t Trade) validate() error {
	switch {
	case !finite(t.Gross):
		return fmt.Errorf("gross %v is not finite", t.Gross)
	case !finite(t.Fees) || t.Fees < 0:
		return fmt.Errorf("fees %v are not finite and >= 0", t.Fees)
	case !finite(t.Collateral) || t.Collateral <= 0:
		return fmt.Errorf("collateral %v is not finite and > 0", t.Collateral)
	case !finite(t.DaysHeld) || t.DaysHeld < 0:
		return fmt.Errorf("days held %v is not finite and >= 0", t.DaysHeld)
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// drawdownStats fills the MaxDrawdown fields of s from a validated curve.
func drawdownStats(s *Summary, days []int32, equity []float64) {
	peak, peakIdx := equity[0], 0
	ddPeak, ddTrough := 0, 0
	for i, e := range equity {
		if e >= peak {
			peak, peakIdx = e, i
			continue
		}
		if dd := 1 - e/peak; dd > s.MaxDrawdown {
			s.MaxDrawdown, ddPeak, ddTrough = dd, peakIdx, i
		}
	}
	s.MaxDrawdownStart = days[ddPeak]
	s.MaxDrawdownTrough = days[ddTrough]
	s.MaxDrawdownEnd = days[ddPeak]
	s.Recovered = true
	if s.MaxDrawdown == 0 {
		return
	}
	end := len(equity) - 1
	s.Recovered = false
	for i := ddTrough + 1; i < len(equity); i++ {
		if equity[i] >= equity[ddPeak] {
			end = i
			s.Recovered = true
			break
		}
	}
	s.MaxDrawdownEnd = days[end]
	s.MaxDrawdownDays = int(days[end] - days[ddPeak])
}

// tradeStats fills the trade fields of s from validated trades.
func tradeStats(s *Summary, trades []Trade) {
	n := len(trades)
	s.Trades = n
	s.ExitReasons = make(map[string]int)
	if n == 0 {
		nan := math.NaN()
		s.WinRate, s.ProfitFactor, s.Expectancy, s.AvgDaysHeld = nan, nan, nan, nan
		s.ROCMean, s.ROCMedian, s.ROCStd, s.ROCMin, s.ROCMax = nan, nan, nan, nan, nan
		s.AvgWin, s.AvgLoss = nan, nan
		return
	}
	roc := make([]float64, n)
	var winSum, lossSum, daysSum, rocSum float64
	for i, t := range trades {
		net := t.Net()
		s.GrossPnL += t.Gross
		s.Fees += t.Fees
		s.NetPnL += net
		daysSum += t.DaysHeld
		switch {
		case net > 0:
			s.Wins++
			winSum += net
		case net < 0:
			s.Losses++
			lossSum += net
		}
		roc[i] = net / t.Collateral
		rocSum += roc[i]
		s.ExitReasons[t.ExitReason]++
	}
	s.WinRate = float64(s.Wins) / float64(n)
	s.Expectancy = s.NetPnL / float64(n)
	s.AvgDaysHeld = daysSum / float64(n)
	s.AvgWin, s.AvgLoss = math.NaN(), math.NaN()
	if s.Wins > 0 {
		s.AvgWin = winSum / float64(s.Wins)
	}
	if s.Losses > 0 {
		s.AvgLoss = lossSum / float64(s.Losses)
	}
	switch {
	case s.Wins == 0:
		s.ProfitFactor = 0
	case s.Losses == 0:
		s.ProfitFactor = math.Inf(1)
	default:
		s.ProfitFactor = winSum / -lossSum
	}
	rocStats(s, roc, rocSum)
}

// rocStats fills the ROC fields of s from the per-trade returns on collateral and
// their sum; it sorts roc.
func rocStats(s *Summary, roc []float64, rocSum float64) {
	n := len(roc)
	s.ROCMean = rocSum / float64(n)
	s.ROCStd = math.NaN()
	if n > 1 {
		var ss float64
		for _, v := range roc {
			d := v - s.ROCMean
			ss += d * d
		}
		s.ROCStd = math.Sqrt(ss / float64(n-1))
	}
	slices.Sort(roc)
	s.ROCMin, s.ROCMax = roc[0], roc[n-1]
	if n%2 == 1 {
		s.ROCMedian = roc[n/2]
	} else {
		s.ROCMedian = (roc[n/2-1] + roc[n/2]) / 2
	}
}

package metrics

import (
	"math"
	"strings"
	"testing"
	"time"
)

// day returns the date s (YYYY-MM-DD) as days since 1970-01-01.
func day(s string) int32 {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return int32(t.Unix() / 86400)
}

// dates returns day of each s.
func dates(ss ...string) []int32 {
	out := make([]int32, len(ss))
	for i, s := range ss {
		out[i] = day(s)
	}
	return out
}

// near reports whether got equals want to within 1e-12 relative (1e-15 absolute
// near zero); NaN equals NaN and an infinity only itself.
func near(got, want float64) bool {
	switch {
	case math.IsNaN(want):
		return math.IsNaN(got)
	case math.IsInf(want, 0):
		return got == want
	}
	return math.Abs(got-want) <= 1e-12*math.Abs(want)+1e-15
}

// sq is √x, for writing hand-derived expected values.
func sq(x float64) float64 { return math.Sqrt(x) }

func TestDay(t *testing.T) {
	// 1970..2023 is 54 years with 13 leap days (1972, 1976, ..., 2020):
	// 54·365 + 13 = 19723 for 2024-01-01; 2024-01-29 is 28 days later.
	if got := day("2024-01-01"); got != 19723 {
		t.Fatalf("day(2024-01-01) = %d, want 19723", got)
	}
	if got := day("2024-01-29"); got != 19751 {
		t.Fatalf("day(2024-01-29) = %d, want 19751", got)
	}
}

// curveA is a week across a month boundary built from the daily returns
// r = +2%, −1%, +3%, 0%, −2%, +4%:
//
//	2024-01-29 100
//	2024-01-30 102            = 100 · 1.02
//	2024-01-31 100.98         = 102 · 0.99
//	2024-02-01 104.0094       = 100.98 · 1.03
//	2024-02-02 104.0094       = 104.0094 · 1.00
//	2024-02-05 101.929212     = 104.0094 · 0.98
//	2024-02-06 106.00638048   = 101.929212 · 1.04
var (
	curveADays   = dates("2024-01-29", "2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02", "2024-02-05", "2024-02-06")
	curveAEquity = []float64{100, 102, 100.98, 104.0094, 104.0094, 101.929212, 106.00638048}
	curveARet    = []float64{0.02, -0.01, 0.03, 0, -0.02, 0.04}
)

// equityWant holds the equity-curve fields of a Summary.
type equityWant struct {
	start, end, total, cagr, sharpe, sortino, calmar float64
	maxDD                                            float64
	ddDays                                           int
	ddStart, ddTrough, ddEnd                         int32
	recovered                                        bool
}

func TestComputeEquity(t *testing.T) {
	// Curve A, rf = 0. In units of 0.01 the returns are 2, −1, 3, 0, −2, 4.
	//   mean = 6/6 = 1 → 0.01
	//   deviations 1, −2, 2, −1, −3, 3; squares 1+4+4+1+9+9 = 28 → 28e-4
	//   var (ddof 1) = 28e-4/5 = 5.6e-4
	//   Sharpe = 0.01/√5.6e-4 · √252 = √(1e-4·252/5.6e-4) = √45
	//   downside min(r,0): −0.01, −0.02 → squares 1e-4 + 4e-4 = 5e-4, over all 6 days
	//   DD = √(5e-4/6); Sortino = 0.01/√(5e-4/6) · √252 = √(1e-4·6·252/5e-4) = √302.4
	// Drawdowns: 102 → 100.98 is −1% (recovered 02-01). The high 104.0094 is set on
	// 02-01 and held on 02-02 (the peak is the last day at the high), falls 2% to
	// 101.929212 on 02-05 and is beaten on 02-06: 4 calendar days from 02-02.
	// Span 01-29 → 02-06 is 8 days: CAGR = 1.0600638048^(365.25/8) − 1.
	cagrA := math.Pow(1.0600638048, 365.25/8) - 1
	// Curve A, rf = 0.252: daily rf = 0.252/252 = 0.001, excess x = 1.9, −1.1, 2.9,
	// −0.1, −2.1, 3.9 (units 0.01 → 0.019, ...). mean = 0.009; deviations and std
	// are unchanged, so Sharpe = 0.009/0.01 · √45 = 0.9·√45.
	//   downside: −0.011, −0.001, −0.021 → 121e-6 + 1e-6 + 441e-6 = 563e-6
	//   Sortino = 0.009/√(563e-6/6) · √252 = √(81·6·252/563)
	tests := []struct {
		name   string
		days   []int32
		equity []float64
		rf     float64
		want   equityWant
	}{
		{"curve A rf 0", curveADays, curveAEquity, 0, equityWant{
			start: 100, end: 106.00638048, total: 0.06006380480, cagr: cagrA,
			sharpe: sq(45), sortino: sq(302.4), calmar: cagrA / 0.02,
			maxDD: 0.02, ddDays: 4, ddStart: day("2024-02-02"), ddTrough: day("2024-02-05"), ddEnd: day("2024-02-06"), recovered: true,
		}},
		{"curve A rf 25.2%", curveADays, curveAEquity, 0.252, equityWant{
			start: 100, end: 106.00638048, total: 0.06006380480, cagr: cagrA,
			sharpe: 0.9 * sq(45), sortino: sq(81.0 * 6 * 252 / 563), calmar: cagrA / 0.02,
			maxDD: 0.02, ddDays: 4, ddStart: day("2024-02-02"), ddTrough: day("2024-02-05"), ddEnd: day("2024-02-06"), recovered: true,
		}},
		// 110 → 88 is −20% (1 − 88/110 = 22/110); back above 110 at 121 on 01-18,
		// 16 days after the peak on 01-02. 121 → 115 is only −6/121 ≈ −5%.
		// Span 01-01 → 01-19 = 18 days, total 115/100 − 1 = 0.15.
		{"recovered with gaps", dates("2024-01-01", "2024-01-02", "2024-01-08", "2024-01-09", "2024-01-18", "2024-01-19"),
			[]float64{100, 110, 88, 105, 121, 115}, 0, equityWant{
				start: 100, end: 115, total: 0.15, cagr: math.Pow(1.15, 365.25/18) - 1,
				sharpe: math.NaN(), sortino: math.NaN(), calmar: (math.Pow(1.15, 365.25/18) - 1) / 0.2,
				maxDD: 0.2, ddDays: 16, ddStart: day("2024-01-02"), ddTrough: day("2024-01-08"), ddEnd: day("2024-01-18"), recovered: true,
			}},
		// 110 → 99 is −10%, recovered at 120 on 01-05; 120 → 102 is −15%
		// (18/120) and 108 never regains 120: the drawdown runs to the last date,
		// 01-07, 2 days after the peak on 01-05. Span 6 days, total 0.08.
		{"never recovered", dates("2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06", "2024-01-07"),
			[]float64{100, 110, 99, 105, 120, 102, 108}, 0, equityWant{
				start: 100, end: 108, total: 0.08, cagr: math.Pow(1.08, 365.25/6) - 1,
				sharpe: math.NaN(), sortino: math.NaN(), calmar: (math.Pow(1.08, 365.25/6) - 1) / 0.15,
				maxDD: 0.15, ddDays: 2, ddStart: day("2024-01-05"), ddTrough: day("2024-01-06"), ddEnd: day("2024-01-07"), recovered: false,
			}},
		// Two −10% drawdowns (110 → 99 twice): the first counts, peak 01-02,
		// trough 01-03, recovery 01-04.
		{"equal drawdowns", dates("2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06"),
			[]float64{100, 110, 99, 110, 99, 100}, 0, equityWant{
				start: 100, end: 100, total: 0, cagr: 0,
				sharpe: math.NaN(), sortino: math.NaN(), calmar: 0,
				maxDD: 0.1, ddDays: 2, ddStart: day("2024-01-02"), ddTrough: day("2024-01-03"), ddEnd: day("2024-01-04"), recovered: true,
			}},
		// 1461 days = 4·365.25, so CAGR = 1.4641^(1/4) − 1 = 1.1 − 1 = 0.1. One
		// return: Sharpe 0 (no std); no downside and mean > 0: Sortino +Inf; no
		// drawdown and CAGR > 0: Calmar +Inf; drawdown dates at the first date.
		{"four years", []int32{0, 1461}, []float64{100, 146.41}, 0, equityWant{
			start: 100, end: 146.41, total: 0.4641, cagr: 0.1,
			sharpe: 0, sortino: math.Inf(1), calmar: math.Inf(1),
			recovered: true,
		}},
		// Flat curve, rf 5%: every excess return is −0.05/252, no variance →
		// Sharpe 0; Sortino = (−0.05/252)/(0.05/252) · √252 = −√252.
		{"flat rf 5%", dates("2024-01-02", "2024-01-03", "2024-01-04"), []float64{100, 100, 100}, 0.05, equityWant{
			start: 100, end: 100, sharpe: 0, sortino: -sq(252), calmar: 0,
			ddStart: day("2024-01-02"), ddTrough: day("2024-01-02"), ddEnd: day("2024-01-02"), recovered: true,
		}},
		{"flat rf 0", []int32{10, 11, 12}, []float64{100, 100, 100}, 0, equityWant{
			start: 100, end: 100, ddStart: 10, ddTrough: 10, ddEnd: 10, recovered: true,
		}},
		// Constant growth 1% a day: the returns differ only by rounding, which is no
		// variance → Sharpe 0. Span 3 days: CAGR = 1.01^(3·365.25/3) − 1 = 1.01^365.25 − 1.
		{"constant growth", []int32{0, 1, 2, 3}, []float64{100, 101, 102.01, 103.0301}, 0, equityWant{
			start: 100, end: 103.0301, total: 0.030301, cagr: math.Pow(1.01, 365.25) - 1,
			sharpe: 0, sortino: math.Inf(1), calmar: math.Inf(1), recovered: true,
		}},
		{"single day", []int32{5}, []float64{100}, 0.03, equityWant{
			start: 100, end: 100, ddStart: 5, ddTrough: 5, ddEnd: 5, recovered: true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compute(tt.days, tt.equity, nil, tt.rf)
			if err != nil {
				t.Fatal(err)
			}
			w := tt.want
			floats := []struct {
				name      string
				got, want float64
			}{
				{"StartEquity", s.StartEquity, w.start}, {"EndEquity", s.EndEquity, w.end},
				{"TotalReturn", s.TotalReturn, w.total}, {"CAGR", s.CAGR, w.cagr},
				{"Sharpe", s.Sharpe, w.sharpe}, {"Sortino", s.Sortino, w.sortino},
				{"Calmar", s.Calmar, w.calmar}, {"MaxDrawdown", s.MaxDrawdown, w.maxDD},
			}
			for _, f := range floats {
				if math.IsNaN(f.want) {
					continue // not worked out by hand for this case
				}
				if !near(f.got, f.want) {
					t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
				}
			}
			if s.MaxDrawdownDays != w.ddDays || s.MaxDrawdownStart != w.ddStart || s.MaxDrawdownTrough != w.ddTrough ||
				s.MaxDrawdownEnd != w.ddEnd || s.Recovered != w.recovered {
				t.Errorf("drawdown days %d start %d trough %d end %d recovered %v, want %d %d %d %d %v",
					s.MaxDrawdownDays, s.MaxDrawdownStart, s.MaxDrawdownTrough, s.MaxDrawdownEnd, s.Recovered,
					w.ddDays, w.ddStart, w.ddTrough, w.ddEnd, w.recovered)
			}
		})
	}
}

// tradeWant holds the trade fields of a Summary.
type tradeWant struct {
	trades, wins, losses                               int
	winRate, gross, fees, net                          float64
	rocMean, rocMedian, rocStd, rocMin, rocMax         float64
	profitFactor, expectancy, avgDays, avgWin, avgLoss float64
	reasons                                            map[string]int
}

func TestComputeTrades(t *testing.T) {
	// Four trades:
	//   net 200 − 2 = 198,   ROC 198/5000 =  0.0396, 10 days, profit_target (win)
	//   net −300 − 3 = −303, ROC −303/5000 = −0.0606, 20 days, stop_loss (loss)
	//   net 102 − 2 = 100,   ROC 100/4000 =  0.025,  30 days, profit_target (win)
	//   net 1 − 1 = 0,       ROC 0,                  40 days, expiry (neither)
	// gross 200 − 300 + 102 + 1 = 3, fees 8, net −5; win rate 2/4
	// profit factor (198 + 100)/303 = 298/303; expectancy −5/4 = −1.25
	// avg days (10+20+30+40)/4 = 25; avg win 298/2 = 149; avg loss −303
	// ROC mean (0.0396 − 0.0606 + 0.025 + 0)/4 = 0.004/4 = 0.001
	// ROC sorted −0.0606, 0, 0.025, 0.0396 → median (0 + 0.025)/2 = 0.0125
	// ROC deviations 0.0386, −0.0616, 0.024, −0.001 → squares
	//   0.00148996 + 0.00379456 + 0.000576 + 0.000001 = 0.00586152; std = √(0.00586152/3)
	four := []Trade{
		{Gross: 200, Fees: 2, Collateral: 5000, DaysHeld: 10, ExitReason: "profit_target"},
		{Gross: -300, Fees: 3, Collateral: 5000, DaysHeld: 20, ExitReason: "stop_loss"},
		{Gross: 102, Fees: 2, Collateral: 4000, DaysHeld: 30, ExitReason: "profit_target"},
		{Gross: 1, Fees: 1, Collateral: 2000, DaysHeld: 40, ExitReason: "expiry"},
	}
	nan := math.NaN()
	tests := []struct {
		name   string
		trades []Trade
		want   tradeWant
	}{
		{"four trades", four, tradeWant{
			trades: 4, wins: 2, losses: 1, winRate: 0.5, gross: 3, fees: 8, net: -5,
			rocMean: 0.001, rocMedian: 0.0125, rocStd: sq(0.00586152 / 3), rocMin: -0.0606, rocMax: 0.0396,
			profitFactor: 298.0 / 303, expectancy: -1.25, avgDays: 25, avgWin: 149, avgLoss: -303,
			reasons: map[string]int{"profit_target": 2, "stop_loss": 1, "expiry": 1},
		}},
		// Wins only: profit factor +Inf, no average loss. ROC 0.0396 and 0.025:
		// mean 0.0323, median 0.0323, std |0.0396 − 0.025|/√2 = 0.0146/√2.
		{"wins only", []Trade{four[0], four[2]}, tradeWant{
			trades: 2, wins: 2, winRate: 1, gross: 302, fees: 4, net: 298,
			rocMean: 0.0323, rocMedian: 0.0323, rocStd: 0.0146 / sq(2), rocMin: 0.025, rocMax: 0.0396,
			profitFactor: math.Inf(1), expectancy: 149, avgDays: 20, avgWin: 149, avgLoss: nan,
			reasons: map[string]int{"profit_target": 2},
		}},
		// One loss: profit factor 0, no average win, no ROC std.
		{"one loss", []Trade{four[1]}, tradeWant{
			trades: 1, losses: 1, winRate: 0, gross: -300, fees: 3, net: -303,
			rocMean: -0.0606, rocMedian: -0.0606, rocStd: nan, rocMin: -0.0606, rocMax: -0.0606,
			profitFactor: 0, expectancy: -303, avgDays: 20, avgWin: nan, avgLoss: -303,
			reasons: map[string]int{"stop_loss": 1},
		}},
		// Break-even only: no wins (profit factor 0) and no losses.
		{"break-even", []Trade{four[3]}, tradeWant{
			trades: 1, winRate: 0, gross: 1, fees: 1, net: 0,
			rocStd: nan, profitFactor: 0, expectancy: 0, avgDays: 40, avgWin: nan, avgLoss: nan,
			reasons: map[string]int{"expiry": 1},
		}},
		{"no trades", nil, tradeWant{
			winRate: nan, rocMean: nan, rocMedian: nan, rocStd: nan, rocMin: nan, rocMax: nan,
			profitFactor: nan, expectancy: nan, avgDays: nan, avgWin: nan, avgLoss: nan,
			reasons: map[string]int{},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compute([]int32{0, 1}, []float64{100, 100}, tt.trades, 0)
			if err != nil {
				t.Fatal(err)
			}
			w := tt.want
			if s.Trades != w.trades || s.Wins != w.wins || s.Losses != w.losses {
				t.Errorf("trades/wins/losses = %d/%d/%d, want %d/%d/%d", s.Trades, s.Wins, s.Losses, w.trades, w.wins, w.losses)
			}
			floats := []struct {
				name      string
				got, want float64
			}{
				{"WinRate", s.WinRate, w.winRate}, {"GrossPnL", s.GrossPnL, w.gross}, {"Fees", s.Fees, w.fees},
				{"NetPnL", s.NetPnL, w.net}, {"ROCMean", s.ROCMean, w.rocMean}, {"ROCMedian", s.ROCMedian, w.rocMedian},
				{"ROCStd", s.ROCStd, w.rocStd}, {"ROCMin", s.ROCMin, w.rocMin}, {"ROCMax", s.ROCMax, w.rocMax},
				{"ProfitFactor", s.ProfitFactor, w.profitFactor}, {"Expectancy", s.Expectancy, w.expectancy},
				{"AvgDaysHeld", s.AvgDaysHeld, w.avgDays}, {"AvgWin", s.AvgWin, w.avgWin}, {"AvgLoss", s.AvgLoss, w.avgLoss},
			}
			for _, f := range floats {
				if !near(f.got, f.want) {
					t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
				}
			}
			if s.ExitReasons == nil || len(s.ExitReasons) != len(w.reasons) {
				t.Fatalf("ExitReasons = %v, want %v", s.ExitReasons, w.reasons)
			}
			for k, v := range w.reasons {
				if s.ExitReasons[k] != v {
					t.Errorf("ExitReasons[%q] = %d, want %d", k, s.ExitReasons[k], v)
				}
			}
		})
	}
}

func TestComputeErrors(t *testing.T) {
	good := Trade{Gross: 10, Fees: 1, Collateral: 1000, DaysHeld: 3}
	tests := []struct {
		name   string
		days   []int32
		equity []float64
		trades []Trade
		rf     float64
		want   string // a fragment of the error
	}{
		{"length mismatch", []int32{1, 2}, []float64{100}, nil, 0, "2 days but 1 equity"},
		{"empty", nil, nil, nil, 0, "empty"},
		{"repeated day", []int32{1, 2, 2}, []float64{100, 101, 102}, nil, 0, "days[2] = 2 after days[1] = 2"},
		{"descending", []int32{3, 2}, []float64{100, 101}, nil, 0, "not ascending"},
		{"zero equity", []int32{1, 2}, []float64{100, 0}, nil, 0, "equity[1] = 0"},
		{"negative equity", []int32{1, 2}, []float64{-5, 100}, nil, 0, "equity[0] = -5"},
		{"NaN equity", []int32{1, 2}, []float64{100, math.NaN()}, nil, 0, "equity[1] = NaN"},
		{"Inf equity", []int32{1, 2}, []float64{math.Inf(1), 100}, nil, 0, "equity[0] = +Inf"},
		{"NaN risk-free", []int32{1}, []float64{100}, nil, math.NaN(), "risk-free"},
		{"zero collateral", []int32{1}, []float64{100}, []Trade{good, {Gross: 1}}, 0, "trade 1: collateral 0"},
		{"negative fees", []int32{1}, []float64{100}, []Trade{{Gross: 1, Fees: -1, Collateral: 5}}, 0, "trade 0: fees -1"},
		{"NaN gross", []int32{1}, []float64{100}, []Trade{{Gross: math.NaN(), Collateral: 5}}, 0, "trade 0: gross NaN"},
		{"negative days held", []int32{1}, []float64{100}, []Trade{{Collateral: 5, DaysHeld: -1}}, 0, "days held -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compute(tt.days, tt.equity, tt.trades, tt.rf)
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

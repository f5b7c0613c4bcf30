package metrics

import (
	"math"
	"testing"
	"time"
)

// neverRecovered is the curve 100, 110, 99, 105, 120, 102, 108.
var neverRecovered = []float64{100, 110, 99, 105, 120, 102, 108}

func TestSeries(t *testing.T) {
	tests := []struct {
		name string
		fill func(dst, equity []float64)
		dstN func(n int) int
		in   []float64
		want []float64
	}{
		// 110/100 − 1 = 0.1; 99/110 − 1 = −0.1; 105/99 − 1 = 6/99;
		// 120/105 − 1 = 15/105 = 1/7; 102/120 − 1 = −0.15; 108/102 − 1 = 6/102 = 1/17.
		{"Returns", Returns, func(n int) int { return n - 1 }, neverRecovered,
			[]float64{0.1, -0.1, 6.0 / 99, 1.0 / 7, -0.15, 1.0 / 17}},
		{"Returns curve A", Returns, func(n int) int { return n - 1 }, curveAEquity, curveARet},
		{"Returns empty", Returns, func(int) int { return 0 }, nil, []float64{}},
		{"HighWater", HighWater, func(n int) int { return n }, neverRecovered,
			[]float64{100, 110, 110, 110, 120, 120, 120}},
		// e/max − 1: 0, 0, 99/110 − 1 = −0.1, 105/110 − 1 = −1/22, 0, 102/120 − 1 = −0.15,
		// 108/120 − 1 = −0.1.
		{"Drawdown", Drawdown, func(n int) int { return n }, neverRecovered,
			[]float64{0, 0, -0.1, -1.0 / 22, 0, -0.15, -0.1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := make([]float64, tt.dstN(len(tt.in)))
			tt.fill(dst, tt.in)
			if len(dst) != len(tt.want) {
				t.Fatalf("len = %d, want %d", len(dst), len(tt.want))
			}
			for i := range dst {
				if !near(dst[i], tt.want[i]) {
					t.Errorf("[%d] = %v, want %v", i, dst[i], tt.want[i])
				}
			}
		})
	}
}

func TestRollingSharpe(t *testing.T) {
	// Curve A's returns in units of 0.01: 2, −1, 3, 0, −2, 4; windows of 3, rf 0:
	//   [2, −1, 3]: mean 4/3, deviations 2/3, −7/3, 5/3 → (4+49+25)/9 = 26/3, var 13/3
	//               Sharpe = (4/3)/√(13/3) · √252 = (4/3)·√(3/13)·√252
	//   [−1, 3, 0]: mean 2/3, deviations −5/3, 7/3, −2/3 → 78/9, var 13/3 → (2/3)·√(3/13)·√252
	//   [3, 0, −2]: mean 1/3, deviations 8/3, −1/3, −7/3 → 114/9, var 19/3 → (1/3)·√(3/19)·√252
	//   [0, −2, 4]: mean 2/3, deviations −2/3, −8/3, 10/3 → 168/9, var 28/3
	//               → (2/3)·√(3·252/28) = (2/3)·√27 = 2√3
	// With rf = 0.252 (0.1 a day in these units) the last window's mean is
	// 2/3 − 1/10 = 17/30 and its std unchanged: (17/30)·√27 = 1.7·√3.
	nan := math.NaN()
	tests := []struct {
		name    string
		returns []float64
		n       int
		rf      float64
		want    []float64
	}{
		{"window 3", curveARet, 3, 0, []float64{nan, nan,
			4.0 / 3 * sq(3.0/13*252), 2.0 / 3 * sq(3.0/13*252), 1.0 / 3 * sq(3.0/19*252), 2 * sq(3)}},
		{"window 3 rf", curveARet[3:], 3, 0.252, []float64{nan, nan, 1.7 * sq(3)}},
		// [0.01, 0.01] has no variance → 0; [0.01, 0.03]: mean 0.02, std 0.01·√2
		// → 0.02/(0.01·√2)·√252 = √2·√252 = √504.
		{"zero variance", []float64{0.01, 0.01, 0.03}, 2, 0, []float64{nan, 0, sq(504)}},
		{"shorter than window", []float64{0.01, 0.02}, 5, 0, []float64{nan, nan}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := make([]float64, len(tt.returns))
			RollingSharpe(dst, tt.returns, tt.n, tt.rf)
			for i := range dst {
				if !near(dst[i], tt.want[i]) {
					t.Errorf("[%d] = %v, want %v", i, dst[i], tt.want[i])
				}
			}
		})
	}
}

func TestSharpeSortino(t *testing.T) {
	// Hand values as in TestComputeEquity (curve A).
	tests := []struct {
		name            string
		returns         []float64
		rf              float64
		sharpe, sortino float64
	}{
		{"curve A", curveARet, 0, sq(45), sq(302.4)},
		{"curve A rf", curveARet, 0.252, 0.9 * sq(45), sq(81.0 * 6 * 252 / 563)},
		{"empty", nil, 0, 0, 0},
		{"one return", []float64{-0.01}, 0, 0, -sq(252)}, // Sortino: −0.01/√(1e-4) · √252
		{"all zero", []float64{0, 0, 0}, 0, 0, 0},
		// [0.01, 0.03]: Sharpe √504 (see TestRollingSharpe); no downside → +Inf.
		{"no downside", []float64{0.01, 0.03}, 0, sq(504), math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sharpe(tt.returns, tt.rf); !near(got, tt.sharpe) {
				t.Errorf("Sharpe = %v, want %v", got, tt.sharpe)
			}
			if got := Sortino(tt.returns, tt.rf); !near(got, tt.sortino) {
				t.Errorf("Sortino = %v, want %v", got, tt.sortino)
			}
		})
	}
}

func TestMonthlyReturns(t *testing.T) {
	tests := []struct {
		name   string
		days   []int32
		equity []float64
		want   []Month
	}{
		// Curve A: January ends at 100.98 on 01-31 → 100.98/100 − 1 = 0.0098;
		// February ends at 106.00638048 → 106.00638048/100.98 − 1
		// = 1.03 · 1.00 · 0.98 · 1.04 − 1 = 1.049776 − 1 = 0.049776.
		{"month boundary", curveADays, curveAEquity, []Month{
			{2024, time.January, 0.0098}, {2024, time.February, 0.049776}}},
		// Across a year end with an empty month (March):
		// Dec 2023: 100/100 − 1 = 0; Jan: 110/100 − 1 = 0.1; Feb: 121/110 − 1 = 0.1
		// (99 on 02-01 is not a month end); Apr: 133.1/121 − 1 = 0.1 over Mar and Apr.
		{"year end and gap", dates("2023-12-29", "2024-01-31", "2024-02-01", "2024-02-29", "2024-04-01"),
			[]float64{100, 110, 99, 121, 133.1}, []Month{
				{2023, time.December, 0}, {2024, time.January, 0.1}, {2024, time.February, 0.1}, {2024, time.April, 0.1}}},
		{"one day", dates("2024-03-15"), []float64{100}, []Month{{2024, time.March, 0}}},
		{"empty", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MonthlyReturns(tt.days, tt.equity)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Year != w.Year || g.Month != w.Month || !near(g.Return, w.Return) {
					t.Errorf("[%d] = %v, want %v", i, g, w)
				}
			}
		})
	}
}

func TestPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"Returns", func() { Returns(make([]float64, 3), make([]float64, 3)) }},
		{"HighWater", func() { HighWater(make([]float64, 2), make([]float64, 3)) }},
		{"Drawdown", func() { Drawdown(make([]float64, 4), make([]float64, 3)) }},
		{"RollingSharpe length", func() { RollingSharpe(make([]float64, 2), make([]float64, 3), 2, 0) }},
		{"RollingSharpe window", func() { RollingSharpe(make([]float64, 3), make([]float64, 3), 1, 0) }},
		{"MonthlyReturns", func() { MonthlyReturns(make([]int32, 2), make([]float64, 3)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tt.f()
		})
	}
}

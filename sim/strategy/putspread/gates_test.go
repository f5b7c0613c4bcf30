package putspread_test

import (
	"strconv"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/putspread"
)

// TestGateLog checks the ENTRY_EVAL notes of 2024-03-04 field by field
// (values worked out in the comment on history).
func TestGateLog(t *testing.T) {
	res := run(t, base(), config())
	got := simtest.NoteTexts(res, "2024-03-04", putspread.KindEntryEval)
	want := [][][2]string{
		{{"gate", "1"}, {"name", "regime"}, {"value", "bullish_calm"}, {"threshold", "not_crisis_or_bear"}, {"result", "PASS"}},
		// Percentile of 0.20 among {0.15, 0.20}: 1 of 1 below.
		{{"gate", "2"}, {"name", "iv_rank"}, {"value", "100.0"}, {"threshold", ">50"}, {"result", "PASS"}},
		// 16 / 20.
		{{"gate", "3"}, {"name", "term_structure"}, {"value", "0.800"}, {"threshold", "<1.05"}, {"result", "PASS"},
			{"vix", "16.00"}, {"vix3m", "20.00"}},
		{{"gate", "4"}, {"name", "trend"}, {"value", "5350.00"}, {"threshold", ">5325.00"}, {"result", "PASS"}, {"ema_period", "3"}},
		{{"gate", "5"}, {"name", "bb_touch"}, {"value", "5200.00"}, {"threshold", "<=5220.90"}, {"result", "PASS"},
			{"bar", "2024-02-29"}, {"lookback", "5"}},
		// 5350/5200 − 1 = 2.88 %.
		{{"gate", "6"}, {"name", "mean_reversion"}, {"value", "5350.00"}, {"threshold", ">5237.50"}, {"result", "PASS"},
			{"up_closes", "1"}, {"min_up_closes", "1"}, {"change_pct", "2.88"}},
		{{"gate", "7"}, {"name", "rsi"}, {"value", "57.14"}, {"threshold", ">30,rising"}, {"result", "PASS"}, {"prior", "25.00"}},
		{{"gate", "8"}, {"name", "macd"}, {"value", "off"}, {"threshold", "off"}, {"result", "SKIP"}},
		{{"gate", "9"}, {"name", "capacity"}, {"value", "0"}, {"threshold", "<8"}, {"result", "PASS"}},
		{{"gate", "10"}, {"name", "spacing"}, {"value", "none"}, {"threshold", ">=3"}, {"result", "PASS"}},
		{{"signal", "ENTRY_TRIGGERED"}, {"signal_bar", "2024-03-01"}},
		// Risk 2 %, no drawdown, credit 40 − 30 = 10, max loss 4,000.
		{{"risk", "APPROVED"}, {"contracts", "2"}, {"risk_pct", "2.00"}, {"drawdown_pct", "0.00"}, {"conviction", "1.000"},
			{"regime_mult", "1"}, {"credit", "10.00"}, {"max_loss_per_contract", "4000.00"}, {"short_strike", "5100"},
			{"long_strike", "5050"}, {"expiration", exp}, {"dte", "46"}, {"short_delta", "-0.160"}, {"target_delta", "-0.16"}},
	}
	if len(got) != len(want) {
		t.Fatalf("%d ENTRY_EVAL notes, want %d:\n%q", len(got), len(want), got)
	}
	for i, w := range want {
		f := putspread.Fields(got[i])
		if len(f) != len(w) {
			t.Errorf("note %d: %q, want %d fields", i, got[i], len(w))
			continue
		}
		for k := range w {
			if f[k] != w[k] {
				t.Errorf("note %d field %d: %s=%s, want %s=%s", i, k, f[k][0], f[k][1], w[k][0], w[k][1])
			}
		}
	}
	if len(res.Trades) != 1 || res.Trades[0].Quantity != 2 {
		t.Errorf("trades %+v", res.Trades)
	}
}

// TestGateOrder makes each gate the first to fail in turn and checks that the
// chain stops there: the earlier gates pass, no later gate is evaluated and
// nothing is bought.
func TestGateOrder(t *testing.T) {
	rising := []float64{5000, 5050, 5100, 5150, 5200, 5250, 5300, 5350}
	flat := []float64{5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000}
	tests := []struct {
		name  string
		day   string // the day whose gates are checked
		build func() *simtest.Builder
		cfg   func(*putspread.Config)
		fail  int
		value string
	}{
		{name: "regime crisis", day: "2024-03-04", fail: 1, value: "crisis",
			// VIX opens at 40 on 03-04 (the builder sorts the two bars; only
			// 03-04's open is read).
			build: func() *simtest.Builder { return withVIX(40) }},
		{name: "iv rank", day: "2024-03-04", fail: 2, value: "0.0",
			build: func() *simtest.Builder { return base().ATMIV("SPX", "2024-03-01", 0.25) }},
		{name: "term structure", day: "2024-03-04", fail: 3, value: "1.060",
			// VIX 21.2 / VIX3M 20 = 1.06 ≥ 1.05; crisis only from 1.10.
			build: func() *simtest.Builder { return withVIX(21.2) },
			cfg:   func(c *putspread.Config) { c.CrisisTermRatio = 1.10 }},
		{name: "trend", day: "2024-03-04", fail: 4, value: "5000.00",
			// Flat closes: the close equals its EMA, not Bear Trend (not
			// below) but not above either.
			build: func() *simtest.Builder { return withCloses(flat) }},
		{name: "bb touch", day: "2024-03-04", fail: 5, value: "5350.00",
			// A steady rise never reaches its lower band: every window
			// (a, a+50, a+100, a+150) has mean a+75, sd 50·√(5/3) = 64.55 and
			// lower band a+10.45, 139.55 below its last close. On that tie the
			// latest bar is reported: 5350 against 5210.45 on 2024-03-01.
			build: func() *simtest.Builder { return withCloses(rising) }},
		{name: "mean reversion", day: "2024-03-04", fail: 6, value: "5340.00",
			// One more close, 5340, a down-close after the bounce.
			build: func() *simtest.Builder { return withCloses(append(history[1:len(history):len(history)], 5340)) }},
		{name: "rsi", day: "2024-03-04", fail: 7, value: "57.14",
			build: func() *simtest.Builder { return base() },
			cfg:   func(c *putspread.Config) { c.RSIOversold = 60 }},
		{name: "macd", day: "2024-03-04", fail: 8, value: "-0.9259",
			// MACD(2, 3, 2): EMA(2) ends 5283.33, 5327.78; EMA(3) 5300, 5325;
			// MACD −16.67, 2.78; signal 5.56, 3.70; histogram −22.22, −0.93.
			build: func() *simtest.Builder { return base() },
			cfg: func(c *putspread.Config) {
				c.UseMACD, c.MACDFast, c.MACDSlow, c.MACDSignal = true, 2, 3, 2
			}},
		{name: "capacity", day: "2024-03-05", fail: 9, value: "1",
			build: func() *simtest.Builder { return again() },
			cfg:   func(c *putspread.Config) { c.MaxConcurrentTotal = 1 }},
		{name: "spacing", day: "2024-03-05", fail: 10, value: "1",
			build: func() *simtest.Builder { return again() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			res := run(t, tt.build(), cfg)
			got := simtest.NoteTexts(res, tt.day, putspread.KindEntryEval)
			if len(got) != tt.fail+1 {
				t.Fatalf("%d notes, want %d gates and the signal: %q", len(got), tt.fail, got)
			}
			for i, n := range got[:tt.fail] {
				wantRes := "PASS"
				if i == tt.fail-1 {
					wantRes = "FAIL"
				} else if field(n, "name") == "macd" {
					wantRes = "SKIP"
				}
				if field(n, "gate") != strconv.Itoa(i+1) || field(n, "result") != wantRes {
					t.Errorf("note %d: %q, want gate %d %s", i, n, i+1, wantRes)
				}
			}
			last := got[tt.fail-1]
			if field(last, "value") != tt.value {
				t.Errorf("failing gate %q, want value %s", last, tt.value)
			}
			if s := got[tt.fail]; field(s, "signal") != "NO_TRADE" || field(s, "failed") != field(last, "name") ||
				field(s, "gates_evaluated") != strconv.Itoa(tt.fail) {
				t.Errorf("signal note %q", s)
			}
			opened := 0
			for _, tr := range res.Trades {
				if sim.DayString(tr.Opened) == tt.day {
					opened++
				}
			}
			if opened != 0 {
				t.Errorf("%d spreads opened on %s", opened, tt.day)
			}
		})
	}
}

// withVIX returns the base tape with VIX opening at v on 2024-03-04.
func withVIX(v float64) *simtest.Builder {
	b := simtest.New("2024-03-01", "2024-03-04").Cash("SPX").
		Closes("SPX", "2024-03-04", history...).
		Spot("SPX", "2024-03-04", 5360).
		ATMIV("SPX", "2024-03-01", 0.15).ATMIV("SPX", "2024-03-04", 0.20).
		Quote("SPX", "2024-03-04", chain(40, 30)...)
	return b.VIX("2024-03-01", 16, 16).VIX("2024-03-04", v, v)
}

// withCloses returns the base tape with other closes before 2024-03-04.
func withCloses(closes []float64) *simtest.Builder {
	b := simtest.New("2024-03-01", "2024-03-04").Cash("SPX").
		Closes("SPX", "2024-03-04", closes...).
		Spot("SPX", "2024-03-04", 5360).
		ATMIV("SPX", "2024-03-01", 0.15).ATMIV("SPX", "2024-03-04", 0.20).
		Quote("SPX", "2024-03-04", chain(40, 30)...)
	return b.VIX("2024-03-01", 16, 16).VIX("2024-03-04", 16, 16)
}

// again returns the base tape and 2024-03-05, where IV rises again (0.25 >
// 0.20) and the spread of 03-04 is held (debit 6): 1 position open, 1
// business day since the entry.
func again() *simtest.Builder {
	return base("2024-03-05").ATMIV("SPX", "2024-03-05", 0.25).Quote("SPX", "2024-03-05", chain(46, 40)...)
}

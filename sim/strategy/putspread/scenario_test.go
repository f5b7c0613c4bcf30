package putspread_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/putspread"
)

// The scenarios share one history: eight closed sessions before 2024-03-04,
//
//	2024-02-21 … 2024-03-01: 5000 5100 5200 5300 5400 5500 5200 5350
//
// with short lookbacks (trend_ema_period 3, bb_period 4 with bb_std_dev 1,
// rsi_period 2, iv_rank_lookback 2), worked out by hand for the signal bar
// 2024-03-01 (index 7):
//
//   - EMA(3), alpha 1/2, seeded with (5000+5100+5200)/3 = 5100 at index 2:
//     5200, 5300, 5400, then ½·5200+½·5400 = 5300, then ½·5350+½·5300 = 5325.
//     The close 5350 > 5325: the trend holds.
//   - Bollinger(4, 1) at index 6 (2024-02-29): window 5300 5400 5500 5200,
//     mean 5350, squared deviations 2500+2500+22500+22500 = 50000, sample
//     variance 50000/3, sd 129.0994; lower band 5220.90 ≥ the close 5200: a
//     touch. At index 7: window 5400 5500 5200 5350, mean 5362.5, squared
//     deviations 1406.25+18906.25+26406.25+156.25 = 46875, variance 15625,
//     sd 125; lower 5237.50 < 5350: back above the band, after one up-close.
//   - RSI(2), Wilder: changes +100 ×5, −300, +150. At index 2 G = 100, L = 0;
//     through index 5 G = 100, L = 0; index 6: G = (100+0)/2 = 50,
//     L = (0+300)/2 = 150, RSI = 100·50/200 = 25; index 7: G = (50+150)/2 =
//     100, L = 150/2 = 75, RSI = 100·100/175 = 57.14 > 30 and rising.
//
// ATM IV rises from 0.15 on 2024-03-01 to 0.20 on 2024-03-04: its percentile
// over the 2-session window is 1/1 = 100 % > 50. VIX opens at 16 and VIX3M
// at 20: ratio 0.8, Bullish Calm. The first day is warm-up: it sees seven
// closes of the eight needed (bb_period + bb_touch_lookback − 1 = 8) and one
// ATM IV of two.
var history = []float64{5000, 5100, 5200, 5300, 5400, 5500, 5200, 5350}

const exp = "2024-04-19" // 46 days after 2024-03-04

// chain returns the 2024-04-19 puts with the short 5100 put at mid s and the
// long 5050 put at mid l (both ±1 wide), and two further strikes whose
// deltas are farther from −0.16.
func chain(s, l float64) []simtest.Quote {
	return []simtest.Quote{
		{Exp: exp, PC: sim.Put, K: 5000, Bid: l/2 - 1, Ask: l/2 + 1, Delta: -0.08, IV: 0.2},
		{Exp: exp, PC: sim.Put, K: 5050, Bid: l - 1, Ask: l + 1, Delta: -0.13, IV: 0.2},
		{Exp: exp, PC: sim.Put, K: 5100, Bid: s - 1, Ask: s + 1, Delta: -0.16, IV: 0.2},
		{Exp: exp, PC: sim.Put, K: 5150, Bid: s + 9, Ask: s + 11, Delta: -0.21, IV: 0.2},
		// Outside the 30–60 DTE window.
		{Exp: "2024-03-28", PC: sim.Put, K: 5100, Bid: 9, Ask: 11, Delta: -0.16, IV: 0.2},
	}
}

// base returns a builder over 2024-03-01, 2024-03-04 and days: the history,
// spot 5360 and the entry chain (short mid 40, long mid 30: credit 10) on
// 2024-03-04, VIX 16 every day. ATM IV falls after 2024-03-04 so that no
// second spread opens.
func base(days ...string) *simtest.Builder {
	b := simtest.New(append([]string{"2024-03-01", "2024-03-04"}, days...)...).Cash("SPX").
		Closes("SPX", "2024-03-04", history...).
		Spot("SPX", "2024-03-01", 5350).Spot("SPX", "2024-03-04", 5360).
		ATMIV("SPX", "2024-03-01", 0.15).ATMIV("SPX", "2024-03-04", 0.20).
		Quote("SPX", "2024-03-04", chain(40, 30)...)
	for _, d := range append([]string{"2024-03-01", "2024-03-04"}, days...) {
		b.VIX(d, 16, 16)
	}
	for _, d := range days {
		b.ATMIV("SPX", d, 0.10).Spot("SPX", d, 5360)
	}
	return b
}

// config returns the scenarios' configuration: the document's defaults with
// short lookbacks and without conviction scaling.
func config() putspread.Config {
	c := putspread.Default()
	c.TrendEMAPeriod, c.BBPeriod, c.BBStdDev, c.RSIPeriod, c.IVRankLookback = 3, 4, 1, 2, 2
	c.UseConviction = false
	return c
}

// vix3m sets VIX3M bars at level on every VIX day of t.
func vix3m(t *sim.Tape, level float64) {
	for _, d := range t.VIX.Days {
		t.VIX3M.Days = append(t.VIX3M.Days, d)
		for _, s := range []*[]float64{&t.VIX3M.Open, &t.VIX3M.High, &t.VIX3M.Low, &t.VIX3M.Close} {
			*s = append(*s, level)
		}
	}
}

// field returns the value of key in a key=value note.
func field(text, key string) string {
	for _, kv := range putspread.Fields(text) {
		if kv[0] == key {
			return kv[1]
		}
	}
	return "<missing>"
}

// checkEntry checks the spread opened on 2024-03-04: 2 × (−5100P +5050P)
// at a credit of 10 (mids 40 and 30). Risk 2 % of $500,000 = $10,000 over a
// max loss of (50 − 10) × 100 = $4,000: floor(2.5) = 2 contracts.
func checkEntry(t *testing.T, tr sim.Trade) {
	t.Helper()
	if tr.Phase != putspread.Phase || tr.Tag != putspread.Tag || tr.Quantity != 2 || !simtest.Near(tr.Entry, -10) ||
		len(tr.Legs) != 2 || tr.Legs[0].Contract.Strike != 5100 || tr.Legs[0].Qty != -2 ||
		tr.Legs[1].Contract.Strike != 5050 || tr.Legs[1].Qty != 2 || sim.DayString(tr.Opened) != "2024-03-04" {
		t.Errorf("entry: %+v", tr)
	}
	if tr.Info.DTE != 46 || tr.Info.Delta != -0.16 || tr.Info.VIX != 16 || tr.Info.Spot != 5360 || tr.Info.IVP != 1 {
		t.Errorf("entry info %+v", tr.Info)
	}
	// Package bid −41+29 = −12, ask −39+31 = −8: (ask − bid)/credit = 4/10.
	if !simtest.Near(tr.Info.SpreadPct, 0.4) {
		t.Errorf("spread pct %g, want 0.4", tr.Info.SpreadPct)
	}
}

func TestExits(t *testing.T) {
	tests := []struct {
		name   string
		build  func() *simtest.Builder
		cfg    func(*putspread.Config)
		reason string
		closed string
		debit  float64 // per share paid at the close
	}{
		{
			// 03-05: debit 46 − 40 = 6 > 10 × 50 % = 5: hold. 03-06: debit
			// 35 − 30 = 5 ≤ 5: profit target. Gross 200 × (10 − 5) = $1,000.
			name: "profit target",
			build: func() *simtest.Builder {
				return base("2024-03-05", "2024-03-06").
					Quote("SPX", "2024-03-05", chain(46, 40)...).
					Quote("SPX", "2024-03-06", chain(35, 30)...)
			},
			reason: putspread.ReasonProfitTarget, closed: "2024-03-06", debit: 5,
		},
		{
			// 03-05: debit 58 − 40 = 18 < 2 × 10: hold. 03-06: 60 − 40 = 20 ≥
			// 20: stop. Gross 200 × (10 − 20) = −$2,000.
			name: "stop loss",
			build: func() *simtest.Builder {
				return base("2024-03-05", "2024-03-06").
					Quote("SPX", "2024-03-05", chain(58, 40)...).
					Quote("SPX", "2024-03-06", chain(60, 40)...)
			},
			reason: putspread.ReasonStopLoss, closed: "2024-03-06", debit: 20,
		},
		{
			// 03-28: DTE 22 > 21, debit 8 between 5 and 20: hold. 03-29 is
			// Good Friday; 04-01: DTE 18 ≤ 21: time stop at debit 8. Gross
			// 200 × (10 − 8) = $400.
			name: "time stop",
			build: func() *simtest.Builder {
				return base("2024-03-28", "2024-04-01").
					Quote("SPX", "2024-03-28", chain(20, 12)...).
					Quote("SPX", "2024-04-01", chain(20, 12)...)
			},
			reason: putspread.ReasonTimeStop, closed: "2024-04-01", debit: 8,
		},
		{
			// With the dynamic target, DTE 22 ≤ 28 targets 30 %: debit 7 ≤
			// 10 × 0.7 closes for profit where the fixed 50 % would hold.
			name: "dynamic profit target",
			build: func() *simtest.Builder {
				return base("2024-03-28").Quote("SPX", "2024-03-28", chain(19, 12)...)
			},
			cfg:    func(c *putspread.Config) { c.DynamicProfitTarget = true },
			reason: putspread.ReasonProfitTarget, closed: "2024-03-28", debit: 7,
		},
		{
			// 03-04 closes at 5000: on 03-05 the EMA is ½·5000 + ½·5325 =
			// 5162.5 > 5000, Bear Trend, and every spread closes at debit
			// 46 − 38 = 8 (neither target nor stop). Gross $400.
			name: "regime shift",
			build: func() *simtest.Builder {
				return base("2024-03-05").Quote("SPX", "2024-03-05", chain(46, 38)...).
					Bar("SPX", "2024-03-04", 5350, 5360, 4990, 5000)
			},
			reason: putspread.ReasonRegimeShift, closed: "2024-03-05", debit: 8,
		},
		{
			// No time stop and no quotes on the expiration day: the engine
			// settles at the close 5080. The short 5100 put pays 20, the long
			// 5050 put nothing: debit 20, gross 200 × (10 − 20) = −$2,000.
			name: "cash settled partly in the money",
			build: func() *simtest.Builder {
				return base(exp).Bar("SPX", exp, 5100, 5110, 5070, 5080)
			},
			cfg:    func(c *putspread.Config) { c.TimeStopDTE = 0 },
			reason: sim.EventSettled, closed: exp, debit: 20,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			res := run(t, tt.build(), cfg)
			if len(res.Trades) != 1 {
				t.Fatalf("%d trades, want 1: %+v", len(res.Trades), res.Trades)
			}
			tr := res.Trades[0]
			checkEntry(t, tr)
			if tr.Reason != tt.reason || sim.DayString(tr.Closed) != tt.closed || !simtest.Near(tr.Exit, -tt.debit) ||
				!simtest.Near(tr.Gross, 200*(10-tt.debit)) {
				t.Errorf("closed %q on %s at %g, gross %g; want %q on %s at %g, gross %g",
					tr.Reason, sim.DayString(tr.Closed), -tr.Exit, tr.Gross, tt.reason, tt.closed, tt.debit, 200*(10-tt.debit))
			}
			last := len(res.Equity) - 1
			if !simtest.Near(res.Equity[last], 500_000+200*(10-tt.debit)) {
				t.Errorf("final equity %g", res.Equity[last])
			}
			closed := simtest.NoteTexts(res, "", putspread.KindTradeClosed)
			if len(closed) != 1 || field(closed[0], "reason") != tt.reason || field(closed[0], "date") != tt.closed ||
				field(closed[0], "exit_debit") != fmt.Sprintf("%.2f", tt.debit) {
				t.Errorf("TRADE_CLOSED notes %q", closed)
			}
		})
	}
}

func TestTradeNotes(t *testing.T) {
	res := run(t, base("2024-03-05", "2024-03-06").
		Quote("SPX", "2024-03-05", chain(46, 40)...).
		Quote("SPX", "2024-03-06", chain(35, 30)...), config())
	if w := simtest.NoteTexts(res, "2024-03-01", putspread.KindWarmup); len(w) != 1 || field(w[0], "bars_remaining") != "1" {
		t.Errorf("warm-up notes %q", w)
	}
	if e := simtest.NoteTexts(res, "2024-03-01", putspread.KindEntryEval); len(e) != 0 {
		t.Errorf("gates evaluated in the warm-up: %q", e)
	}
	// Logged at the next decision (2024-03-05), dated by the fill.
	op := simtest.NoteTexts(res, "2024-03-05", putspread.KindTradeOpened)
	if len(op) != 1 {
		t.Fatalf("TRADE_OPENED notes %q", op)
	}
	// Max loss (50 − 10) × 100 = 4,000 per contract, 8,000 in all: 1.60 %
	// of the $500,000 equity; max profit 1,000 × 2 = 2,000; 4000/1000 = 4.0:1.
	// Targets: 10 × 0.5 = 5, stop 10 × 2 = 20; time stop 04-19 − 21 = 03-29.
	want := map[string]string{
		"date": "2024-03-04", "short_strike": "5100", "short_price": "40.00", "short_delta": "-0.160",
		"long_strike": "5050", "long_price": "30.00", "credit": "10.00", "credit_per_contract": "1000.00",
		"contracts": "2", "width": "50", "max_loss_per_contract": "4000.00", "max_loss": "8000.00",
		"max_profit": "2000.00", "risk_reward": "4.0", "dte": "46", "expiration": exp,
		"profit_target": "5.00", "stop_loss": "20.00", "time_stop": "2024-03-29",
		"portfolio_risk_pct": "1.60", "total_exposure_pct": "1.60", "open_positions": "1",
	}
	for k, v := range want {
		if got := field(op[0], k); got != v {
			t.Errorf("TRADE_OPENED %s = %s, want %s", k, got, v)
		}
	}
	// Closed 03-06 for +$1,000: return on risk 1000/8000 = 12.5 %, held 2
	// days, DTE 44 at the close; 1 win, 0 losses.
	cl := simtest.NoteTexts(res, "", putspread.KindTradeClosed)
	want = map[string]string{"date": "2024-03-06", "reason": "profit_target", "entry_credit": "10.00",
		"exit_debit": "5.00", "pnl_per_share": "5.00", "pnl": "1000.00", "return_on_risk_pct": "12.50",
		"days_held": "2", "dte_at_close": "44", "result": "WIN", "wins": "1", "losses": "0",
		"win_rate_pct": "100.00", "profit_factor": "inf"}
	for k, v := range want {
		if got := field(cl[0], k); got != v {
			t.Errorf("TRADE_CLOSED %s = %s, want %s", k, got, v)
		}
	}
	// 03-05's dashboard: one spread; marks of 03-04 (mids 40, 30) give no
	// P&L; heat 8,000 / 500,000 = 1.60 %; delta dollars over equity
	// 200 × (0.16 − 0.13) × 5360 / 500,000 = 0.064; DTE 45 to expiry.
	d := simtest.NoteTexts(res, "2024-03-05", putspread.KindDashboard)
	want = map[string]string{"regime": "bullish_calm", "vix": "16.00", "open_positions": "1", "aggregate_pnl": "0.00",
		"aggregate_delta": "0.064", "aggregate_theta": "0.00", "heat_pct": "1.60", "nearest_expiry": exp,
		"nearest_dte": "45", "alert": "none", "circuit_breaker": "OFF", "opened_today": "0", "closed_today": "0"}
	for k, v := range want {
		if got := field(d[0], k); got != v {
			t.Errorf("DAILY_DASHBOARD %s = %s, want %s", k, got, v)
		}
	}
	// 03-05: IV fell to the window's low: percentile 0, gate 2 fails.
	s := simtest.NoteTexts(res, "2024-03-05", putspread.KindDailySummary)
	if len(s) != 1 || field(s[0], "blocked") != "iv_rank" || field(s[0], "days_since_last_entry") != "1" ||
		field(s[0], "heat_pct") != "1.60" {
		t.Errorf("DAILY_SUMMARY %q", s)
	}
	for _, n := range res.Notes {
		for _, tok := range strings.Fields(n.Text) {
			if !strings.Contains(tok, "=") {
				t.Errorf("%s note has a token without key=value: %q in %q", n.Kind, tok, n.Text)
			}
		}
	}
}

// run runs cfg on b under simtest.Exec with $500,000, VIX3M at 20.
func run(t *testing.T, b *simtest.Builder, cfg putspread.Config) *sim.Result {
	t.Helper()
	return runTape(t, b, cfg, nil)
}

// runTape is run with the tape edited by edit (when not nil) first.
func runTape(t *testing.T, b *simtest.Builder, cfg putspread.Config, edit func(*sim.Tape)) *sim.Result {
	t.Helper()
	tape, err := b.Tape()
	if err != nil {
		t.Fatal(err)
	}
	vix3m(tape, 20)
	if edit != nil {
		edit(tape)
	}
	return simtest.RunTape(t, tape, putspread.New, cfg, simtest.Exec(500_000))
}

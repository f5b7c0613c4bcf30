package vertical_test

import (
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/vertical"
)

// The scenarios run on AAA over 2024-02-28 (Wed), 02-29, 03-01 (Fri, the
// entry) and later days. Windows are short so that a few days warm them up:
// VIX rank over 10 closes, HV over 5 returns (AAA's closes are flat at 100:
// HV 0), IV rank over 3 sessions of ATM IV. Fills are at the mid, without
// fees, from $100,000.

// lowVIX are the VIX closes of the 12 sessions to 2024-02-29: on 03-01 the
// last 10 are 18 … 12.6, and 12.6 is the lowest: rank (0 + 1 + 1)/20 = 0.1
// < 0.3 and 12.6 < 15: low_vol.
var lowVIX = []float64{20, 19, 18, 17, 16, 15, 14.5, 14, 13.5, 13, 12.8, 12.6}

// vix adds VIX closes on the trading days ending on last.
func vix(b *simtest.Builder, last string, closes ...float64) {
	d := sim.DayTime(simtest.Day(last))
	for i := len(closes) - 1; i >= 0; i-- {
		b.VIX(sim.DayString(sim.DayOf(d)), closes[i], closes[i])
		d = calendar.PrevTradingDay(d)
	}
}

func put(exp string, k, bid, ask, delta float64) simtest.Quote {
	return simtest.Quote{Exp: exp, PC: sim.Put, K: k, Bid: bid, Ask: ask, Delta: delta, IV: 0.3}
}

func call(exp string, k, bid, ask, delta float64) simtest.Quote {
	return simtest.Quote{Exp: exp, PC: sim.Call, K: k, Bid: bid, Ask: ask, Delta: delta, IV: 0.3}
}

// tape starts a scenario: the three warm-up/entry days, then days; VIX as
// pre (12 closes to 02-29) and post (closes from 03-01 on); ATM IV of the
// three first days.
func tape(pre, post []float64, ivs [3]float64, days ...string) *simtest.Builder {
	all := append([]string{"2024-02-28", "2024-02-29", "2024-03-01"}, days...)
	b := simtest.New(all...).Closes("AAA", "2024-02-28", 100, 100, 100, 100, 100, 100)
	vix(b, "2024-02-29", pre...)
	for i, c := range post {
		b.VIX(all[2+i], c, c)
	}
	for i, iv := range ivs {
		b.ATMIV("AAA", all[i], iv)
	}
	return b.Spot("AAA", "2024-03-01", 100)
}

// creditTape enters the put credit spread on 03-01: IV rank (0.30 − 0.20)/
// (0.30 − 0.20) = 1 > 0.7 in low_vol. The 03-08 95 put (DTE 7, delta −0.25)
// is sold, the 90 bought; the 03-04 95 put (delta −0.22) is 0.03 off target
// and the 03-15 one is outside DTE [3, 7]. Natural credit 1.00 − 0.40 =
// 0.60, max risk 5 − 0.60 = 4.40; quantity floor(100,000 × 2 % / 440) = 4,
// × 1.0 (low_vol); confidence min(1, 0.95) × 1.0 = 0.95 ≥ 0.75: full size.
// Filled at the mids: 1.05 − 0.35 = 0.70 credit, $280.
func creditTape(post []float64, days ...string) *simtest.Builder {
	return tape(lowVIX, post, [3]float64{0.20, 0.22, 0.30}, days...).Quote("AAA", "2024-03-01",
		put("2024-03-04", 95, 0.40, 0.50, -0.22),
		put("2024-03-08", 90, 0.30, 0.40, -0.10),
		put("2024-03-08", 95, 1.00, 1.10, -0.25),
		put("2024-03-08", 100, 2.40, 2.60, -0.45),
		put("2024-03-15", 95, 1.60, 1.80, -0.25))
}

// spreadQuotes quotes the 95/90 spread on day.
func spreadQuotes(b *simtest.Builder, day string, b95, a95, b90, a90 float64) *simtest.Builder {
	return b.Quote("AAA", day, put("2024-03-08", 90, b90, a90, -0.1), put("2024-03-08", 95, b95, a95, -0.2))
}

func config() vertical.Config {
	c := vertical.Default()
	c.Regime.VIXRankWindow, c.Regime.HVWindow, c.IVRankWindow = 10, 5, 3
	return c
}

// checkCredit checks the one credit-spread trade: 4 units at 0.70, closed on
// day for reason at exit (package value per share), gross 400 × (0.70 − exit);
// the entry's VIX is 03-01's open, vix.
func checkCredit(t *testing.T, res *sim.Result, day, reason string, exit, vix float64) {
	t.Helper()
	if len(res.Trades) != 1 {
		t.Fatalf("%d trades, notes %v", len(res.Trades), res.Notes)
	}
	tr := res.Trades[0]
	if tr.Phase != vertical.PhaseCredit || tr.Tag != "low_vol" || tr.Quantity != 4 || !simtest.Near(tr.Entry, -0.70) || tr.Opened != simtest.Day("2024-03-01") {
		t.Errorf("entry: %+v", tr)
	}
	if l := tr.Legs; len(l) != 2 || l[0].Contract.Strike != 95 || l[0].Qty != -4 || l[1].Contract.Strike != 90 || l[1].Qty != 4 ||
		l[0].Contract.Expiration != simtest.Day("2024-03-08") {
		t.Errorf("legs %+v", tr.Legs)
	}
	// Spread % = (0.10 + 0.10)/0.70.
	if in := tr.Info; in.DTE != 7 || in.Delta != -0.25 || in.IVP != 1 || in.Spot != 100 || !simtest.Near(in.SpreadPct, 0.2/0.7) || in.VIX != vix {
		t.Errorf("entry info %+v", tr.Info)
	}
	if tr.Reason != reason || tr.Closed != simtest.Day(day) || !simtest.Near(tr.Gross, 400*(0.70-exit)) {
		t.Errorf("closed %s %q gross %g, want %s %q %g", sim.DayString(tr.Closed), tr.Reason, tr.Gross, day, reason, 400*(0.70-exit))
	}
}

func TestCreditSpreadProfitTarget(t *testing.T) {
	// Monday: spread value 0.35 − 0.10 = 0.25, P&L 0.70 − 0.25 = 0.45 ≥ 50 %
	// of the max profit 0.70 = 0.35. Bought back at 0.25: gross 400 × 0.45 =
	// $180; equity 100,180. Entry day: equity 100,000 (the $280 credit is
	// marked back at the mids), collateral 5 × 100 × 4 = $2,000.
	b := spreadQuotes(creditTape([]float64{12.4, 12.2}, "2024-03-04"), "2024-03-04", 0.30, 0.40, 0.05, 0.15)
	res := run(t, b, config())
	checkCredit(t, res, "2024-03-04", vertical.ReasonProfit, 0.25, 12.4)
	if !simtest.Near(res.Equity[2], 100_000) || res.Collateral[2] != 2000 || !simtest.Near(res.Equity[3], 100_180) {
		t.Errorf("equity %v collateral %v", res.Equity, res.Collateral)
	}
	if !simtest.HasNote(res, vertical.NoteExit, "profit_target: P&L 0.45 ≥ 0.35 = 0.5 × max profit 0.70") ||
		!simtest.HasNote(res, vertical.NoteEntry, "put_credit_spread 4 × -1 AAA 2024-03-08 P 95 / +1 AAA 2024-03-08 P 90: credit 0.60") ||
		!simtest.HasNote(res, vertical.NoteEval, "no IV rank (warm-up: 1 of 3 sessions)") ||
		!simtest.HasNote(res, vertical.NoteRegime, "none → low_vol") {
		t.Errorf("notes %v", res.Notes)
	}
}

func TestCreditSpreadStopLoss(t *testing.T) {
	// Monday: value 3.00 − 0.80 = 2.20, P&L 0.70 − 2.20 = −1.50 ≤ −2 × 0.70
	// = −1.40. Gross 400 × (0.70 − 2.20) = −$600.
	b := spreadQuotes(creditTape([]float64{12.4, 12.2}, "2024-03-04"), "2024-03-04", 2.95, 3.05, 0.75, 0.85)
	res := run(t, b, config())
	checkCredit(t, res, "2024-03-04", vertical.ReasonStop, 2.20, 12.4)
	if !simtest.Near(res.Equity[3], 99_400) || !simtest.HasNote(res, vertical.NoteExit, "stop_loss: P&L -1.50 ≤ -1.40") {
		t.Errorf("equity %v notes %v", res.Equity, res.Notes)
	}
}

func TestCreditSpreadTimeStop(t *testing.T) {
	// Value 0.80 − 0.30 = 0.50 every day: P&L 0.20, inside (−1.40, 0.35).
	// Entered Friday 03-01 with DTE 7; 80 % of 7 is 5.6 days: Monday (3),
	// Tuesday (4) and Wednesday (5) hold; Thursday 03-07 (6 ≥ 5.6) closes.
	// Gross 400 × 0.20 = $80. VIX keeps falling (each close a new low): low_vol.
	days := []string{"2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07"}
	b := creditTape([]float64{12.4, 12.2, 12.0, 11.8, 11.6}, days...)
	for _, d := range days {
		spreadQuotes(b, d, 0.75, 0.85, 0.25, 0.35)
	}
	res := run(t, b, config())
	checkCredit(t, res, "2024-03-07", vertical.ReasonTime, 0.50, 12.4)
	if !simtest.HasNote(res, vertical.NoteExit, "time_stop: 6 of 7 days held ≥ 0.8") {
		t.Errorf("notes %v", res.Notes)
	}
}

func TestRegimeShiftExit(t *testing.T) {
	// VIX closes at 30 on 03-01. On Monday the last close is 30 > 25:
	// high_vol, and the spread opened in low_vol is closed although its P&L
	// (0.20) and time (3/7) fire nothing. Gross $80.
	build := func() *simtest.Builder {
		return spreadQuotes(creditTape([]float64{30, 30}, "2024-03-04"), "2024-03-04", 0.75, 0.85, 0.25, 0.35)
	}
	res := run(t, build(), config())
	checkCredit(t, res, "2024-03-04", vertical.ReasonRegimeShift, 0.50, 30)
	if !simtest.HasNote(res, vertical.NoteRegime, "low_vol → high_vol: VIX 30.00") {
		t.Errorf("notes %v", res.Notes)
	}
	// With regime_shift_exit off the position stays open.
	cfg := config()
	cfg.RegimeShiftExit = false
	if res := run(t, build(), cfg); len(res.Trades) != 1 || res.Trades[0].Reason != "open" {
		t.Errorf("regime_shift_exit off: %+v", res.Trades)
	}
}

func TestDebitSpreadAtLowIVRank(t *testing.T) {
	// ATM IV 0.30, 0.28, 0.20: IV rank 0 < 0.3 in low_vol (a buy regime).
	// Bull call vertical: buy the call nearest delta 0.50 (the 100), sell
	// the 105. Natural debit 2.20 − 0.50 = 1.70 = max risk; quantity
	// floor(2,000/170) = 11 × 1.0; confidence min(1 − 0, 0.95) × 0.8 = 0.76 ≥
	// 0.75: full size. Filled at the mids 2.10 − 0.55 = 1.55, $1,705 paid,
	// no collateral (a long vertical cannot lose more than its debit).
	// Monday: value 4.50 − 1.20 = 3.30, P&L 1.75 ≥ 50 % of the max profit
	// 5 − 1.55 = 3.45, i.e. 1.725: profit target, gross 1,100 × 1.75 = $1,925.
	b := tape(lowVIX, []float64{12.4, 12.2}, [3]float64{0.30, 0.28, 0.20}, "2024-03-04").
		Quote("AAA", "2024-03-01",
			call("2024-03-08", 95, 4.90, 5.10, 0.70),
			call("2024-03-08", 100, 2.00, 2.20, 0.50),
			call("2024-03-08", 105, 0.50, 0.60, 0.20)).
		Quote("AAA", "2024-03-04",
			call("2024-03-08", 100, 4.40, 4.60, 0.70),
			call("2024-03-08", 105, 1.10, 1.30, 0.35))
	res := run(t, b, config())
	if len(res.Trades) != 1 {
		t.Fatalf("%d trades, notes %v", len(res.Trades), res.Notes)
	}
	tr := res.Trades[0]
	if tr.Phase != vertical.PhaseCallDeb || tr.Tag != "low_vol" || tr.Quantity != 11 || !simtest.Near(tr.Entry, 1.55) ||
		tr.Legs[0].Contract.Strike != 100 || tr.Legs[0].Qty != 11 || tr.Legs[1].Contract.Strike != 105 || tr.Legs[1].Qty != -11 {
		t.Errorf("entry %+v", tr)
	}
	if tr.Reason != vertical.ReasonProfit || !simtest.Near(tr.Gross, 1925) || res.Collateral[2] != 0 || !simtest.Near(res.Equity[3], 101_925) {
		t.Errorf("exit %q gross %g, collateral %v equity %v", tr.Reason, tr.Gross, res.Collateral, res.Equity)
	}
}

func TestNoEntry(t *testing.T) {
	// On 03-01 with the credit chain, each case blocks the entry.
	// Neutral VIX: the last 10 closes 16 … 20 put 20 above 5 of them:
	// rank (10 + 1 + 1)/20 = 0.6; VIX 20 is neither low nor high, HV/IV 0
	// is not > 0.9 and rank 0.6 is not < 0.5: neutral.
	neutral := []float64{20, 20, 16, 17, 18, 19, 21, 22, 23, 24, 15, 20}
	// Contraction: 20 is the lowest of 21 … 24.5, 20: rank 0.1; 20 ≥ 15,
	// HV/IV 0 < 0.6: iv_contraction, not a buy regime.
	contraction := []float64{20, 20, 21, 22, 23, 24, 25, 21.5, 22.5, 23.5, 24.5, 20}
	for _, tc := range []struct {
		name string
		b    *simtest.Builder
		note string
	}{
		{"neutral", tape(neutral, nil, [3]float64{0.20, 0.22, 0.30}), "regime neutral, IV rank 1.000: neutral regime, no new positions"},
		{"between thresholds", tape(lowVIX, nil, [3]float64{0.20, 0.30, 0.25}), "IV rank within [0.3, 0.7], no signal"},
		{"low IV rank in iv_contraction", tape(contraction, nil, [3]float64{0.30, 0.28, 0.20}), "below 0.3 but iv_contraction is not in buy_regimes"},
		{"earnings blackout", creditTape(nil).Event("AAA", "2024-03-05", sim.Earnings, 0), "earnings on 2024-03-05 within earnings_blackout_days 5"},
	} {
		res := run(t, tc.b, config())
		if len(res.Trades) != 0 || !simtest.HasNote(res, vertical.NoteEval, tc.note) {
			t.Errorf("%s: %d trades, notes %v", tc.name, len(res.Trades), res.Notes)
		}
	}
}

func TestSizing(t *testing.T) {
	c := vertical.Default()
	for _, tc := range []struct {
		name         string
		equity, risk float64
		conf         float64
		regime       vertical.Regime
		want         int
	}{
		{"seed example: 10,000 × 2 % / 300 = 0.67 → at least 1", 10_000, 3, 0.9, vertical.LowVol, 1},
		{"100,000 × 2 % / 440 = 4.5 → 4", 100_000, 4.4, 0.9, vertical.LowVol, 4},
		{"high_vol halves: 4 × 0.5 = 2", 100_000, 4.4, 0.9, vertical.HighVol, 2},
		{"iv_expansion: floor(4 × 0.75) = 3", 100_000, 4.4, 0.9, vertical.IVExpansion, 3},
		{"neutral: 0", 100_000, 4.4, 0.9, vertical.Neutral, 0},
		{"confidence 0.7 < 0.75 halves: 2", 100_000, 4.4, 0.7, vertical.LowVol, 2},
		{"confidence 0.7 lifts high_vol's 0 back to 1: floor(1 × 0.5) = 0 → max(1, 0)", 10_000, 3, 0.7, vertical.HighVol, 1},
		{"confidence 0.59 < 0.6: 0", 100_000, 4.4, 0.59, vertical.LowVol, 0},
	} {
		if got := c.Quantity(tc.equity, tc.risk, tc.conf, tc.regime); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	// Confidence: sale at IV rank 0.8 in high_vol: 0.8 × 0.7 = 0.56; purchase
	// at 0.1 in iv_expansion: min(0.9, 0.95) × 1.2 = 1.08, capped at 0.98.
	if got := vertical.Confidence(0.8, vertical.HighVol, true); !simtest.Near(got, 0.56) {
		t.Errorf("Confidence sell = %g", got)
	}
	if got := vertical.Confidence(0.1, vertical.IVExpansion, false); got != 0.98 {
		t.Errorf("Confidence buy = %g", got)
	}
}

func TestDeliveredSharesAreSold(t *testing.T) {
	// The debit spread of TestDebitSpreadAtLowIVRank (11 × +100 C / −105 C
	// expiring 03-08, 1.55 paid) gets no quotes after its entry, so no exit
	// can be priced and it reaches expiry. AAA closes 03-08 at 103: the long
	// 100 call is exercised, +1,100 shares at 100; the 105 expires. The
	// option trade loses its debit: 1,100 × (0 − 2.10) + 1,100 × 0.55 =
	// −$1,705. On 03-11 the position holds shares only, so it is closed
	// ("delivered") and the shares are sold at the spot, 104: the stock
	// trade's gross is 1,100 × (104 − 100) = $4,400, and equity is 100,000 −
	// 1,705 + 4,400 = $102,695.
	b := tape(lowVIX, []float64{12.4, 12.2, 12.0}, [3]float64{0.30, 0.28, 0.20}, "2024-03-08", "2024-03-11").
		Quote("AAA", "2024-03-01",
			call("2024-03-08", 95, 4.90, 5.10, 0.70),
			call("2024-03-08", 100, 2.00, 2.20, 0.50),
			call("2024-03-08", 105, 0.50, 0.60, 0.20)).
		Bar("AAA", "2024-03-08", 103, 103, 103, 103).Spot("AAA", "2024-03-08", 103).
		Bar("AAA", "2024-03-11", 104, 104, 104, 104).Spot("AAA", "2024-03-11", 104)
	res := run(t, b, config())
	if len(res.Trades) != 2 {
		t.Fatalf("%d trades %+v, notes %v", len(res.Trades), res.Trades, res.Notes)
	}
	opt, stock := res.Trades[0], res.Trades[1]
	if opt.Phase != vertical.PhaseCallDeb || opt.Closed != simtest.Day("2024-03-08") || !simtest.Near(opt.Gross, -1705) {
		t.Errorf("option trade %+v", opt)
	}
	if stock.Phase != "stock" || stock.Quantity != 1100 || stock.Reason != vertical.ReasonDelivered ||
		stock.Closed != simtest.Day("2024-03-11") || !simtest.Near(stock.Gross, 4400) {
		t.Errorf("stock trade %+v", stock)
	}
	if n := len(res.Equity); !simtest.Near(res.Equity[n-1], 102_695) {
		t.Errorf("equity %v", res.Equity)
	}
	if !simtest.HasNote(res, vertical.NoteExit, "delivered: +1100 shares delivered at expiry, basis 100.00") {
		t.Errorf("notes %v", res.Notes)
	}
}

// run runs cfg on b under simtest.Exec with $100,000.
func run(t *testing.T, b *simtest.Builder, cfg vertical.Config) *sim.Result {
	t.Helper()
	return simtest.Run(t, b, vertical.New, cfg, simtest.Exec(100_000))
}

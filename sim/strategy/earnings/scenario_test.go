package earnings_test

import (
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/earnings"
)

// The scenarios trade AAA around a report on Thursday 2024-03-07, over
// 02-29, 03-01, 03-04 (Mon), 03-05, 03-07 and 03-08 (Fri). ATM IV 0.30,
// 0.35, 0.45, 0.50 on the first four days: with a 3-session window the IV
// percentile on 03-04 and 03-05 is 2 of 2 others below = 1 ≥ 0.6. Fills at
// the mid, no fees.

var days = []string{"2024-02-29", "2024-03-01", "2024-03-04", "2024-03-05", "2024-03-07", "2024-03-08"}

func q(exp string, pc byte, k, bid, ask, delta float64) simtest.Quote {
	return simtest.Quote{Exp: exp, PC: pc, K: k, Bid: bid, Ask: ask, Delta: delta, IV: 0.5}
}

// chain quotes the entry chain on day: the 03-06 expiration expires before
// the report and is skipped; on 03-08 (DTE 4 from Monday) the 105 call and
// 95 put have |delta| 0.25; the ATM straddle's mid 2.50 + 2.50 = 5.00 is
// 5 % of the spot 100 ≤ 10 %.
func chain(b *simtest.Builder, day string) {
	b.Spot("AAA", day, 100).Quote("AAA", day,
		q("2024-03-06", sim.Call, 105, 0.50, 0.60, 0.25), q("2024-03-06", sim.Put, 95, 0.40, 0.50, -0.25),
		q("2024-03-08", sim.Put, 90, 0.25, 0.35, -0.10), q("2024-03-08", sim.Put, 95, 0.90, 1.00, -0.25),
		q("2024-03-08", sim.Call, 100, 2.40, 2.60, 0.50), q("2024-03-08", sim.Put, 100, 2.40, 2.60, -0.50),
		q("2024-03-08", sim.Call, 105, 1.00, 1.10, 0.25), q("2024-03-08", sim.Call, 110, 0.30, 0.40, 0.10))
}

// build makes the tape; event adds the report.
func build(event bool, ivs ...float64) *simtest.Builder {
	return buildThu(event, [4]float64{0.85, 0.95, 0.95, 1.05}, ivs...)
}

// buildThu makes the tape with the report day's 95 put and 105 call quoted
// at thu (put bid, ask, call bid, ask).
func buildThu(event bool, thu [4]float64, ivs ...float64) *simtest.Builder {
	b := simtest.New(days...)
	for i, iv := range ivs {
		b.ATMIV("AAA", days[i], iv)
	}
	chain(b, "2024-03-04")
	chain(b, "2024-03-05")
	// Report day: by default strangle value 1.00 + 0.90 = 1.90 (P&L 0.10,
	// nothing fires).
	b.Quote("AAA", "2024-03-07", q("2024-03-08", sim.Put, 95, thu[0], thu[1], -0.2), q("2024-03-08", sim.Call, 105, thu[2], thu[3], 0.2))
	// The day after: the IV is crushed. Strangle 0.10 + 0.15 = 0.25; straddle
	// 1.00 + 1.50 = 2.50.
	b.Quote("AAA", "2024-03-08",
		q("2024-03-08", sim.Put, 95, 0.10, 0.20, -0.05), q("2024-03-08", sim.Call, 100, 0.90, 1.10, 0.4),
		q("2024-03-08", sim.Put, 100, 1.40, 1.60, -0.6), q("2024-03-08", sim.Call, 105, 0.05, 0.15, 0.05))
	if event {
		b.Event("AAA", "2024-03-07", sim.Earnings, 0)
	}
	return b
}

func config() earnings.Config {
	c := earnings.Default()
	c.IVWindow = 3
	return c
}

func TestStrangleAroundEarnings(t *testing.T) {
	// Monday 03-04 is 3 days before the report (in [1, 5]): sell the 03-08
	// 105 call and 95 put. Collateral per unit, the engine's worst payoff:
	// at 0 the put owes 95 × 100 = 9,500, at 3 × 105 = 315 the call owes
	// (315 − 105) × 100 = 21,000: $21,000. 20 % of $1,000,000 buying power
	// is 200,000 / 21,000 = 9.5: 9 units. Filled at the mids 1.05 + 0.95 =
	// 2.00, $1,800. Held through the report day (P&L 0.10); closed on Friday,
	// the trading day after the report, at 0.25: gross 900 × 1.75 = $1,575.
	res := run(t, build(true, 0.30, 0.35, 0.45, 0.50), config(), 1_000_000)
	if len(res.Trades) != 1 {
		t.Fatalf("%d trades, notes %v", len(res.Trades), res.Notes)
	}
	tr := res.Trades[0]
	if tr.Phase != earnings.Strangle || tr.Tag != "earnings 2024-03-07" || tr.Quantity != 9 || !simtest.Near(tr.Entry, -2.00) ||
		tr.Opened != simtest.Day("2024-03-04") || tr.Info.DTE != 4 || tr.Info.IVP != 1 {
		t.Errorf("entry %+v", tr)
	}
	if l := tr.Legs; len(l) != 2 || l[0].Contract.Strike != 105 || l[0].Contract.PutCall != sim.Call || l[0].Qty != -9 ||
		l[1].Contract.Strike != 95 || l[1].Contract.PutCall != sim.Put || l[1].Qty != -9 || l[0].Contract.Expiration != simtest.Day("2024-03-08") {
		t.Errorf("legs %+v", tr.Legs)
	}
	if tr.Reason != earnings.ReasonPostEarnings || tr.Closed != simtest.Day("2024-03-08") || !simtest.Near(tr.Gross, 1575) {
		t.Errorf("exit %s %q gross %g", sim.DayString(tr.Closed), tr.Reason, tr.Gross)
	}
	if res.Collateral[2] != 189_000 || !simtest.Near(res.Equity[5], 1_001_575) {
		t.Errorf("collateral %v equity %v", res.Collateral, res.Equity)
	}
	if !simtest.HasNote(res, earnings.NoteEntry, "report 2024-03-07 in 3 days: sell 9 × strangle AAA 2024-03-08 C 105 / AAA 2024-03-08 P 95: credit 1.90") ||
		!simtest.HasNote(res, earnings.NoteExit, "post_earnings: report on 2024-03-07") {
		t.Errorf("notes %v", res.Notes)
	}
}

func TestProfitAndStopBeforeTheReport(t *testing.T) {
	// On the report day the strangle is worth 0.45 + 0.45 = 0.90: P&L 2.00 −
	// 0.90 = 1.10 ≥ 50 % of 2.00: profit_target, gross 900 × 1.10 = $990.
	// Worth 2.00 + 2.05 = 4.05: P&L −2.05 ≤ −1 × 2.00: stop_loss, gross
	// 900 × −2.05 = −$1,845.
	for _, tc := range []struct {
		thu    [4]float64
		reason string
		gross  float64
	}{
		{[4]float64{0.40, 0.50, 0.40, 0.50}, earnings.ReasonProfit, 990},
		{[4]float64{1.95, 2.05, 2.00, 2.10}, earnings.ReasonStop, -1845},
	} {
		res := run(t, buildThu(true, tc.thu, 0.30, 0.35, 0.45, 0.50), config(), 1_000_000)
		if len(res.Trades) != 1 {
			t.Fatalf("%s: %d trades", tc.reason, len(res.Trades))
		}
		tr := res.Trades[0]
		if tr.Reason != tc.reason || tr.Closed != simtest.Day("2024-03-07") || !simtest.Near(tr.Gross, tc.gross) {
			t.Errorf("%s: closed %s %q gross %g", tc.reason, sim.DayString(tr.Closed), tr.Reason, tr.Gross)
		}
	}
}

func TestEntryDaysBefore(t *testing.T) {
	// With the window [2, 2], Monday (3 days before) does not qualify and
	// Tuesday (2 days) does.
	cfg := config()
	cfg.MinDaysToEarnings, cfg.MaxDaysToEarnings = 2, 2
	res := run(t, build(true, 0.30, 0.35, 0.45, 0.50), cfg, 1_000_000)
	if len(res.Trades) != 1 || res.Trades[0].Opened != simtest.Day("2024-03-05") || res.Trades[0].Reason != earnings.ReasonPostEarnings {
		t.Errorf("trades %+v", res.Trades)
	}
}

func TestStraddle(t *testing.T) {
	// The 100 call and put. Collateral: at 0 the put owes 10,000, at 300 the
	// call owes 20,000: $20,000 a unit; 200,000 / 20,000 = 10 units at 5.00.
	// Friday at 1.00 + 1.50 = 2.50: gross 1,000 × 2.50 = $2,500.
	cfg := config()
	cfg.Structure = earnings.Straddle
	res := run(t, build(true, 0.30, 0.35, 0.45, 0.50), cfg, 1_000_000)
	if len(res.Trades) != 1 {
		t.Fatalf("%d trades, notes %v", len(res.Trades), res.Notes)
	}
	tr := res.Trades[0]
	if tr.Phase != earnings.Straddle || tr.Quantity != 10 || !simtest.Near(tr.Entry, -5) || tr.Legs[0].Contract.Strike != 100 ||
		tr.Legs[1].Contract.Strike != 100 || tr.Reason != earnings.ReasonPostEarnings || !simtest.Near(tr.Gross, 2500) {
		t.Errorf("trade %+v", tr)
	}
}

func TestNoTrade(t *testing.T) {
	small := config()
	small.MaxExpectedMove = 0.04
	for _, tc := range []struct {
		name string
		b    *simtest.Builder
		cfg  earnings.Config
		cash float64
		note string // "" for no evaluation at all
	}{
		{"no event", build(false, 0.30, 0.35, 0.45, 0.50), config(), 1_000_000, ""},
		{"report too far", build(false, 0.30, 0.35, 0.45, 0.50).Event("AAA", "2024-03-15", sim.Earnings, 0), config(), 1_000_000, ""},
		{"another symbol's report", build(false, 0.30, 0.35, 0.45, 0.50).Event("BBB", "2024-03-07", sim.Earnings, 0), config(), 1_000_000, ""},
		// IV falling: 0.45 on 03-04 is the lowest of 0.50, 0.48, 0.45: 0 below.
		{"low IV percentile", build(true, 0.50, 0.48, 0.45, 0.44), config(), 1_000_000, "IV percentile 0.000 below min_iv_percentile 0.6"},
		{"expected move", build(true, 0.30, 0.35, 0.45, 0.50), small, 1_000_000, "expected move 5.00% above max_expected_move 4.00%"},
		// 20 % of $100,000 is $20,000 < $21,000 a unit.
		{"buying power", build(true, 0.30, 0.35, 0.45, 0.50), config(), 100_000, "collateral $21000 per unit exceeds 0.2 of buying power $100000"},
	} {
		res := run(t, tc.b, tc.cfg, tc.cash)
		if len(res.Trades) != 0 {
			t.Errorf("%s: %d trades", tc.name, len(res.Trades))
		}
		if tc.note == "" && len(res.Notes) != 0 {
			t.Errorf("%s: notes %v", tc.name, res.Notes)
		}
		if tc.note != "" && !simtest.HasNote(res, earnings.NoteEval, tc.note) {
			t.Errorf("%s: notes %v", tc.name, res.Notes)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		set  func(*earnings.Config)
		want string
	}{
		{func(c *earnings.Config) { c.MinDaysToEarnings = 6 }, "min_days_to_earnings 6 / max_days_to_earnings 5"},
		{func(c *earnings.Config) { c.Structure = "condor" }, `structure "condor"`},
		{func(c *earnings.Config) { c.StrikeMode = "pct" }, `strike_mode "pct"`},
		{func(c *earnings.Config) { c.MaxDTE = 1 }, "max_dte 1 ≤ min_days_to_earnings 1"},
		{func(c *earnings.Config) { c.MinIVPercentile = 60 }, "min_iv_percentile 60"},
		{func(c *earnings.Config) { c.MaxBuyingPowerPct = 0 }, "max_buying_power_pct 0"},
		{func(c *earnings.Config) { c.MaxContracts = -1 }, "max_contracts -1"},
	} {
		c := earnings.Default()
		tc.set(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	c := earnings.Default()
	if err := c.Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

// run runs cfg on b under simtest.Exec with cash.
func run(t *testing.T, b *simtest.Builder, cfg earnings.Config, cash float64) *sim.Result {
	t.Helper()
	return simtest.Run(t, b, earnings.New, cfg, simtest.Exec(cash))
}

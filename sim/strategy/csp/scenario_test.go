package csp_test

import (
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/csp"
)

// history returns 59 closes x[i] = 50 + 0.1·i (+1 at odd i) for the sessions
// before 2024-03-04; that day's price is x[59] = 56.9. With bb_std 2 the
// equity filter passes on that day (see zigzag in pieces_test.go: SMA8 56.05,
// SMA20 55.45, SMA50 53.95 rising, RSI 55, band [55.45, 57.08]).
func history() []float64 {
	x := make([]float64, 59)
	for i := range x {
		x[i] = 50 + 0.1*float64(i)
		if i%2 == 1 {
			x[i]++
		}
	}
	return x
}

// put is the 2024-03-08 50 put.
func put(bid, ask, delta float64) simtest.Quote {
	return simtest.Quote{Exp: "2024-03-08", PC: sim.Put, K: 50, Bid: bid, Ask: ask, Delta: delta, IV: 0.30}
}

// entryTape starts a tape on which AAA's 50 put is sold on 2024-03-04. The put
// is the only one in the chain's range: strikes in [0.5 × 56.9, SMA20 55.45],
// DTE 4 (Monday to Friday). Its daily return is 0.40/(4 + 15/390)/50 =
// 0.001981 ≥ 0.0015 and |delta| 0.20 ≤ 0.40. VIX 22 deploys everything;
// the quantity is floor(100,000 × 10 % / 5,000) = 2 contracts. The fill
// (optimistic: the mid, the ladder's first rung) is 0.45, a credit of
// 0.45 × 100 × 2 = $90.
func entryTape(days ...string) *simtest.Builder {
	b := simtest.New(append([]string{"2024-03-04"}, days...)...).
		Closes("AAA", "2024-03-04", history()...).
		Spot("AAA", "2024-03-04", 56.9).
		Quote("AAA", "2024-03-04", put(0.40, 0.50, -0.20)).
		VIX("2024-03-04", 22, 22)
	for _, d := range days {
		b.VIX(d, 22, 22)
	}
	return b
}

func config() csp.Config {
	c := csp.Default()
	c.BBStd = 2
	return c
}

// checkTrade checks the option trade: 2 contracts sold at 0.45, closed for
// reason at exit per share, with gross P&L 200 × (0.45 − exit).
func checkTrade(t *testing.T, res *sim.Result, reason string, exit float64) {
	t.Helper()
	if len(res.Trades) == 0 {
		t.Fatal("no trades")
	}
	tr := res.Trades[0]
	if tr.Phase != "csp" || tr.Tag != "AAA" || tr.Quantity != 2 || !simtest.Near(tr.Entry, -0.45) {
		t.Errorf("entry: phase %q tag %q qty %d price %g", tr.Phase, tr.Tag, tr.Quantity, tr.Entry)
	}
	if tr.Info.DTE != 4 || tr.Info.Delta != -0.20 || tr.Info.VIX != 22 || tr.Info.Spot != 56.9 {
		t.Errorf("entry info %+v", tr.Info)
	}
	if tr.Reason != reason || !simtest.Near(tr.Gross, 200*(0.45-exit)) {
		t.Errorf("trade closed %q gross %g, want %q %g", tr.Reason, tr.Gross, reason, 200*(0.45-exit))
	}
}

func TestEarlyExit(t *testing.T) {
	// Tuesday, 1 day of 4 held: target 1/4 + 0.15 = 40 %. The ask 0.20
	// captures (0.45 − 0.20)/0.45 = 55.6 %. Bought back at the mid 0.175:
	// gross 200 × (0.45 − 0.175) = $55. The put's daily return is now
	// 0.15/(3 + 15/390)/50 = 0.00099 < 0.0015, so nothing is re-entered.
	b := entryTape("2024-03-05").Spot("AAA", "2024-03-05", 57).
		Quote("AAA", "2024-03-05", put(0.15, 0.20, -0.10))
	res := run(t, b, config())
	checkTrade(t, res, csp.ReasonEarlyExit, 0.175)
	if len(res.Trades) != 1 || !simtest.Near(res.Equity[1], 100_055) {
		t.Errorf("%d trades, equity %v", len(res.Trades), res.Equity)
	}
	if !simtest.HasNote(res, "exit", "early_exit: captured 55.6% >= target 40.0%") {
		t.Errorf("notes %v", res.Notes)
	}
	if !simtest.HasNote(res, "entry", "sell 2 AAA 2024-03-08 P 50") || !simtest.HasNote(res, "options", "1 puts in strikes [28.45, 55.45]") {
		t.Errorf("notes %v", res.Notes)
	}
}

func TestDeltaStop(t *testing.T) {
	// |delta| 0.45 ≥ 2 × 0.20. Bought back at the mid 0.95: 200 × (0.45 − 0.95)
	// = −$100. Re-entry fails the delta check (0.45 > 0.40).
	b := entryTape("2024-03-05").Spot("AAA", "2024-03-05", 56).
		Quote("AAA", "2024-03-05", put(0.90, 1.00, -0.45))
	res := run(t, b, config())
	checkTrade(t, res, csp.ReasonDeltaStop, 0.95)
	if len(res.Trades) != 1 || !simtest.HasNote(res, "exit", "|delta| 0.450 >= 0.400") {
		t.Errorf("%d trades, notes %v", len(res.Trades), res.Notes)
	}
}

func TestStockDrop(t *testing.T) {
	// 54.00 ≤ 56.9 × 0.95 = 54.055 while |delta| 0.30 < 0.40. Bought back at
	// 0.75: 200 × (0.45 − 0.75) = −$60. Re-entry fails the equity filter. (The
	// note prints 54.055 as 54.05: its binary value is just below.)
	b := entryTape("2024-03-05").Spot("AAA", "2024-03-05", 54).
		Quote("AAA", "2024-03-05", put(0.70, 0.80, -0.30))
	res := run(t, b, config())
	checkTrade(t, res, csp.ReasonStockDrop, 0.75)
	if len(res.Trades) != 1 || !simtest.HasNote(res, "exit", "price 54.00 <= 54.05") {
		t.Errorf("%d trades, notes %v", len(res.Trades), res.Notes)
	}
}

func TestExpiresWorthless(t *testing.T) {
	// Friday (expiry), 4 of 4 days held: the early-exit target 1 + 0.15 cannot
	// be met. The close 57 is above the strike: the put expires, the $90 credit
	// is kept and equity is 100,090. Collateral: 2 × 50 × 100 = 10,000, then 0.
	b := entryTape("2024-03-08").Spot("AAA", "2024-03-08", 57).
		Bar("AAA", "2024-03-08", 57, 57, 57, 57).
		Quote("AAA", "2024-03-08", put(0.01, 0.05, -0.02))
	res := run(t, b, config())
	checkTrade(t, res, sim.EventExpired, 0)
	if !simtest.Near(res.Equity[1], 100_090) || res.Collateral[0] != 10_000 || res.Collateral[1] != 0 {
		t.Errorf("equity %v collateral %v", res.Equity, res.Collateral)
	}
}

func TestAssigned(t *testing.T) {
	// Stops off: the close 48 on expiry is below the strike, so 200 shares are
	// delivered at 50: cash 100,000 + 90 − 10,000 = 90,090, shares marked at
	// 48: equity 90,090 + 9,600 = 99,690. On Monday the shares are sold at the
	// spot 48.5: stock P&L 200 × (48.5 − 50) = −$300, equity 99,790.
	cfg := config()
	cfg.EnableStockDropStop, cfg.EnableDeltaStop = false, false
	b := entryTape("2024-03-08", "2024-03-11").Spot("AAA", "2024-03-08", 48).
		Bar("AAA", "2024-03-08", 48, 48, 48, 48).
		Quote("AAA", "2024-03-08", put(1.95, 2.05, -0.95)).
		Spot("AAA", "2024-03-11", 48.5)
	res := run(t, b, cfg)
	checkTrade(t, res, sim.EventAssigned, 0)
	if len(res.Trades) != 2 {
		t.Fatalf("%d trades", len(res.Trades))
	}
	st := res.Trades[1]
	if st.Phase != "stock" || st.Quantity != 200 || st.Entry != 50 || st.Reason != csp.ReasonAssignedSold || !simtest.Near(st.Gross, -300) {
		t.Errorf("stock trade %+v", st)
	}
	if !simtest.Near(res.Equity[1], 99_690) || !simtest.Near(res.Equity[2], 99_790) {
		t.Errorf("equity %v", res.Equity)
	}
}

func TestBlackout(t *testing.T) {
	for _, c := range []struct {
		sym, kind, note string
		allow           func(*csp.Config)
	}{
		{"AAA", sim.Earnings, "earnings on 2024-03-08 within 10 days", func(c *csp.Config) { c.TradeDuringEarnings = true }},
		{"AAA", sim.ExDividend, "ex-dividend on 2024-03-08", func(c *csp.Config) { c.TradeDuringDividends = true }},
		{"*", sim.FOMC, "FOMC on 2024-03-08", func(c *csp.Config) { c.TradeDuringFOMC = true }},
	} {
		res := run(t, entryTape().Event(c.sym, "2024-03-08", c.kind, 0.5), config())
		if len(res.Trades) != 0 || !simtest.HasNote(res, "event", c.note) {
			t.Errorf("%s: %d trades, notes %v", c.kind, len(res.Trades), res.Notes)
		}
		cfg := config()
		c.allow(&cfg)
		if res := run(t, entryTape().Event(c.sym, "2024-03-08", c.kind, 0.5), cfg); len(res.Trades) != 1 {
			t.Errorf("%s allowed: %d trades", c.kind, len(res.Trades))
		}
	}
	// An event after today + max_dte (2024-03-14) does not block.
	if res := run(t, entryTape().Event("AAA", "2024-03-15", sim.Earnings, 0), config()); len(res.Trades) != 1 {
		t.Errorf("late earnings: %d trades", len(res.Trades))
	}
}

func TestLowVIXDeploysNothing(t *testing.T) {
	// VIX 11 is in the 0-12 band: nothing to deploy, no scan.
	b := simtest.New("2024-03-04").Closes("AAA", "2024-03-04", history()...).
		Spot("AAA", "2024-03-04", 56.9).Quote("AAA", "2024-03-04", put(0.40, 0.50, -0.20)).
		VIX("2024-03-04", 11, 11)
	res := run(t, b, config())
	if len(res.Trades) != 0 || !simtest.HasNote(res, "entry", "no cash to deploy: VIX 11.00 deploys 0") {
		t.Errorf("%d trades, notes %v", len(res.Trades), res.Notes)
	}
}

func TestRankAcrossTickersAndCap(t *testing.T) {
	// AAA and BBB have the same history; BBB's put has the lower strike (45),
	// so lowest_strike_price ranks BBB first, and with num_tickers 1 only BBB
	// is entered. BBB: floor(10,000/4,500) = 2 contracts.
	build := func() *simtest.Builder {
		return entryTape().Closes("BBB", "2024-03-04", history()...).Spot("BBB", "2024-03-04", 56.9).
			Quote("BBB", "2024-03-04", simtest.Quote{Exp: "2024-03-08", PC: sim.Put, K: 45, Bid: 0.40, Ask: 0.50, Delta: -0.10, IV: 0.35})
	}
	cfg := config()
	cfg.NumTickers = 1
	res := run(t, build(), cfg)
	if len(res.Trades) != 1 || res.Trades[0].Symbol != "BBB" || res.Trades[0].Quantity != 2 {
		t.Fatalf("trades %+v", res.Trades)
	}
	if !simtest.HasNote(res, "entry", "skip AAA 2024-03-08 P 50: 1 positions open, num_tickers 1") {
		t.Errorf("notes %v", res.Notes)
	}
	// Uncapped, both; max_candidates_total 1 keeps only the best (BBB).
	if res := run(t, build(), config()); len(res.Trades) != 2 || res.Trades[0].Symbol != "BBB" {
		t.Errorf("uncapped: %d trades", len(res.Trades))
	}
	cfg = config()
	cfg.MaxCandidatesTotal = 1
	if res := run(t, build(), cfg); len(res.Trades) != 1 || res.Trades[0].Symbol != "BBB" {
		t.Errorf("max_candidates_total 1: %d trades", len(res.Trades))
	}
}

func TestVIXFallsBackToLastClose(t *testing.T) {
	// No VIX bar today: the last close (22, on 2024-03-01) sets the deployment.
	b := simtest.New("2024-03-04").Closes("AAA", "2024-03-04", history()...).
		Spot("AAA", "2024-03-04", 56.9).Quote("AAA", "2024-03-04", put(0.40, 0.50, -0.20)).
		VIX("2024-03-01", 20, 22)
	res := run(t, b, config())
	if len(res.Trades) != 1 || res.Trades[0].Info.VIX != 22 {
		t.Errorf("trades %+v", res.Trades)
	}
}

func TestDeltaStopExpirationDay(t *testing.T) {
	// Friday 2024-03-08 is the put's expiration day. The chain's delta −0.90,
	// computed on the 15 minutes to settlement, is ≥ 2 × 0.20, but the seed's
	// delta on 0 days to expiry is undefined and it falls back to the entry
	// delta 0.20 < 0.40: no delta stop. The spot 55 is above the stock-drop
	// line 56.9 × 0.95 = 54.055, and the early exit needs 4/4 + 0.15 of the
	// premium, so the position is held and settles: the close 49.80 is below
	// the strike, 200 shares are delivered at 50.
	b := entryTape("2024-03-08").Spot("AAA", "2024-03-08", 55).
		Bar("AAA", "2024-03-08", 55, 55, 49.8, 49.8).
		Quote("AAA", "2024-03-08", put(0.40, 0.50, -0.90))
	res := run(t, b, config())
	checkTrade(t, res, sim.EventAssigned, 0)
	if simtest.HasNote(res, "exit", "delta_stop") {
		t.Errorf("delta stop on the expiration day: notes %v", res.Notes)
	}
	// The day before, the same chain delta stops the position out.
	b = entryTape("2024-03-07").Spot("AAA", "2024-03-07", 55).
		Quote("AAA", "2024-03-07", put(0.40, 0.50, -0.90))
	res = run(t, b, config())
	checkTrade(t, res, csp.ReasonDeltaStop, 0.45)
}

// run runs cfg on b under simtest.Exec with $100,000.
func run(t *testing.T, b *simtest.Builder, cfg csp.Config) *sim.Result {
	t.Helper()
	return simtest.Run(t, b, csp.New, cfg, simtest.Exec(100_000))
}

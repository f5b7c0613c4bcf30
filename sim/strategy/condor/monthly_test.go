package condor_test

import (
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/condor"
)

// q is a quote of SPX option exp/pc/k with a 0.20-wide market around mid.
func q(exp string, pc byte, k, mid, delta float64) simtest.Quote {
	return simtest.Quote{Exp: exp, PC: pc, K: k, Bid: mid - 0.10, Ask: mid + 0.10, Delta: delta, IV: 0.2}
}

// condorQuotes returns the 2024-04-24 condor 4825/4850 P · 5100/5125 C at the
// given mids and deltas of the short strikes.
func condorQuotes(lp, sp, sc, lc, dsp, dsc float64) []simtest.Quote {
	const exp = "2024-04-24"
	return []simtest.Quote{
		q(exp, sim.Put, 4825, lp, dsp+0.02), q(exp, sim.Put, 4850, sp, dsp),
		q(exp, sim.Call, 5100, sc, dsc), q(exp, sim.Call, 5125, lc, dsc-0.03),
	}
}

// entryDay builds the tape's first day, Wednesday 2024-03-06, on which the
// monthly condor opens. VIX closed at 15 on 03-05 and opens at vixOpen on
// 03-06: 18 is +20 % (18/15 − 1 = 0.2). Spot is 5000.
//
// The 2024-04-19 expiration (DTE 44 < 49) is skipped; 2024-04-24 is DTE 49
// (Mar 6 → Mar 31 is 25 days, + 24). Its puts: 4875 (125 points from spot,
// exactly the floor; |delta| 0.12), 4850 (|delta| 0.10, chosen), 4825 (the
// wing; its own wing 4800 is not listed). Calls: 5100 (100 points, |delta|
// 0.10, chosen), 5125 (the wing). Credit at the mids:
// 7.00 + 5.00 − 5.00 − 3.00 = 4.00 ≥ 3.00.
func entryDay(days ...string) *simtest.Builder {
	b := simtest.New(append([]string{"2024-03-06"}, days...)...).Cash("SPX").
		Spot("SPX", "2024-03-06", 5000).
		Quote("SPX", "2024-03-06",
			q("2024-04-19", sim.Put, 4825, 4.5, -0.08), q("2024-04-19", sim.Put, 4850, 6, -0.10),
			q("2024-04-19", sim.Call, 5100, 4.5, 0.10), q("2024-04-19", sim.Call, 5125, 2.5, 0.07),
			q("2024-04-24", sim.Put, 4875, 9, -0.12)).
		Quote("SPX", "2024-03-06", condorQuotes(5, 7, 5, 3, -0.10, 0.10)...).
		VIX("2024-03-05", 15, 15)
	return b
}

// TestMonthlyRedLineHalfAndTimeStop follows one condor of 2 units from entry
// to the time exit, with a half close at the first red line.
//
//	03-06 open 2 × 4825/4850 P · 5100/5125 C at −4.00 (credit 4.00): cash +800.
//	03-07 spot 5055: the short 5100 call is 45 ≤ 50 points away: red line.
//	      Reduce 1 unit at the mids 5.50 + 9.00 − 4.00 − 6.00 = 4.50:
//	      cash −450, P&L (4.00 − 4.50) × 100 = −50.
//	03-08 spot 5080, short call |delta| 0.35 ≥ 0.30: a red line again, but
//	      the position was already reduced once: hold.
//	03-22 DTE 33 > 30: hold.
//	03-25 DTE 30 ≤ 30: close the last unit at 2.50 + 2.50 − 1.50 − 1.00 =
//	      2.50: cash −250, P&L (4.00 − 2.50) × 100 = +150.
//
// Trade: gross −50 + 150 = +100; Exit (received per unit, averaged over the
// two exits) = −(4.50 + 2.50)/2 = −3.50. Cash 100,000 + 800 − 450 − 250 =
// 100,100.
func TestMonthlyRedLineHalfAndTimeStop(t *testing.T) {
	b := entryDay("2024-03-07", "2024-03-08", "2024-03-22", "2024-03-25").
		VIX("2024-03-06", 18, 25).
		Spot("SPX", "2024-03-07", 5055).Quote("SPX", "2024-03-07", condorQuotes(4, 5.5, 9, 6, -0.07, 0.22)...).
		VIX("2024-03-07", 20, 20). // −20 % against 25: no entry
		Spot("SPX", "2024-03-08", 5080).Quote("SPX", "2024-03-08", condorQuotes(3.5, 5, 12, 8, -0.05, 0.35)...).
		VIX("2024-03-08", 21, 21).
		Spot("SPX", "2024-03-22", 5000).Quote("SPX", "2024-03-22", condorQuotes(2, 3, 3, 1.5, -0.06, 0.12)...).
		Spot("SPX", "2024-03-25", 5000).Quote("SPX", "2024-03-25", condorQuotes(1.5, 2.5, 2.5, 1, -0.06, 0.10)...)
	res := runMonthly(t, b, condor.DefaultMonthly())

	if len(res.Trades) != 1 {
		t.Fatalf("%d trades, want 1: %+v", len(res.Trades), res.Trades)
	}
	tr := res.Trades[0]
	if tr.Quantity != 2 || !simtest.Near(tr.Entry, -4) || tr.Phase != condor.Phase {
		t.Errorf("trade opened %d at %g phase %q, want 2 at -4 iron_condor", tr.Quantity, tr.Entry, tr.Phase)
	}
	wantLegs := []struct {
		pc  byte
		k   float64
		qty int
	}{{sim.Put, 4825, 2}, {sim.Put, 4850, -2}, {sim.Call, 5100, -2}, {sim.Call, 5125, 2}}
	for i, w := range wantLegs {
		l := tr.Legs[i]
		if l.Contract.PutCall != w.pc || l.Contract.Strike != w.k || l.Qty != w.qty || sim.DayString(l.Contract.Expiration) != "2024-04-24" || l.Contract.AM {
			t.Errorf("leg %d = %v ×%d, want %c %g ×%d on 2024-04-24 PM", i, l.Contract, l.Qty, w.pc, w.k, w.qty)
		}
	}
	if !simtest.Near(tr.Gross, 100) || !simtest.Near(tr.Exit, -3.5) || tr.Reason != condor.ReasonTimeStop || sim.DayString(tr.Closed) != "2024-03-25" {
		t.Errorf("trade gross %g exit %g reason %q closed %s, want 100, -3.5, time_stop, 2024-03-25",
			tr.Gross, tr.Exit, tr.Reason, sim.DayString(tr.Closed))
	}
	cash := []float64{100_800, 100_350, 100_350, 100_350, 100_100}
	for i, c := range cash {
		if !simtest.Near(res.Cash[i], c) {
			t.Errorf("day %d cash %g, want %g", i, res.Cash[i], c)
		}
	}
	exits := simtest.Notes(res, condor.KindExit)
	if len(exits) != 2 || !strings.Contains(exits[0].Text, "red_line_half 1 of 2") || !strings.Contains(exits[1].Text, "time_stop 1 of 1") {
		t.Errorf("exit notes %v", exits)
	}
	// The orders: open 2, reduce 1, close (1).
	if res.Orders != 3 || res.Rejected != 0 {
		t.Errorf("%d orders, %d rejected; want 3, 0", res.Orders, res.Rejected)
	}
	if n := simtest.Notes(res, condor.KindSpike); len(n) != 1 || sim.DayString(n[0].Day) != "2024-03-06" {
		t.Errorf("spike notes %v, want one on 2024-03-06", n)
	}
}

// TestMonthlyVIXTrigger checks the spike threshold on both bases. Previous
// close 15: 18 is +20.0 % (enters), 17.985 is +19.9 % (does not).
func TestMonthlyVIXTrigger(t *testing.T) {
	tests := []struct {
		name    string
		basis   string
		open    float64 // VIX open on 03-06 (Snapshot.VIX.Now)
		prev    float64 // VIX close on 03-04 (the close basis compares 03-05 with it)
		entered bool
	}{
		{"now 20%", condor.BasisNow, 18, 15, true},
		{"now 19.9%", condor.BasisNow, 17.985, 15, false},
		{"now falling", condor.BasisNow, 12, 15, false},
		// Close basis: 03-05 closed at 15; 03-04 at 12.5 is +20 %, 12.51 is +19.9 %.
		// Today's open (30) does not count.
		{"close 20%", condor.BasisClose, 30, 12.5, true},
		{"close 19.9%", condor.BasisClose, 30, 12.51, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := entryDay().VIX("2024-03-04", tc.prev, tc.prev).VIX("2024-03-06", tc.open, tc.open)
			cfg := condor.DefaultMonthly()
			cfg.VIXChangeBasis = tc.basis
			res := runMonthly(t, b, cfg)
			if got := len(res.Trades) == 1; got != tc.entered {
				t.Errorf("entered = %v, want %v (notes %v)", got, tc.entered, res.Notes)
			}
		})
	}
}

// TestMonthlySkips checks the credit floor and max_positions.
func TestMonthlySkips(t *testing.T) {
	b := entryDay().VIX("2024-03-06", 18, 18)
	cfg := condor.DefaultMonthly()
	cfg.MinCredit = 4.01 // the credit is 4.00
	res := runMonthly(t, b, cfg)
	if len(res.Trades) != 0 {
		t.Fatalf("entered with credit 4.00 < 4.01")
	}
	if s := simtest.Notes(res, condor.KindSkip); len(s) != 1 || !strings.Contains(s[0].Text, "credit 4.00 < min_credit 4.01") {
		t.Errorf("skip notes %v", s)
	}
}

// TestMonthlySettlesAtIntrinsic holds a condor to expiry (time exit off) and
// lets the engine cash-settle it. On 2024-04-24 the chain has no quotes, so
// the red line (spot 4840 is 10 points beyond the short put) cannot close
// it: EXIT_BLOCKED. SPX closes at 4840: the short 4850 put settles at 10.00,
// the rest expire worthless.
//
//	short put  4850: −2 × 100 × (10 − 7) = −600
//	long put   4825: +2 × 100 × (0 − 5)  = −1000
//	short call 5100: −2 × 100 × (0 − 5)  = +1000
//	long call  5125: +2 × 100 × (0 − 3)  = −600
//	gross −1200 = credit 800 − intrinsic 10 × 200; cash 100,000 + 800 − 2,000 = 98,800.
func TestMonthlySettlesAtIntrinsic(t *testing.T) {
	b := entryDay("2024-04-24").VIX("2024-03-06", 18, 18).
		Spot("SPX", "2024-04-24", 4840).Bar("SPX", "2024-04-24", 4900, 4910, 4830, 4840)
	cfg := condor.DefaultMonthly()
	cfg.TimeExitDTE = -1
	res := runMonthly(t, b, cfg)
	if len(res.Trades) != 1 {
		t.Fatalf("%d trades", len(res.Trades))
	}
	tr := res.Trades[0]
	if !simtest.Near(tr.Gross, -1200) || tr.Closed == 0 || !simtest.Near(res.Cash[1], 98_800) {
		t.Errorf("gross %g closed %d cash %g; want -1200, closed, 98800", tr.Gross, tr.Closed, res.Cash[1])
	}
	settled := 0
	for _, ev := range res.Events {
		if ev.Kind == sim.EventSettled {
			settled++
			if !strings.Contains(ev.Detail, "P 4850") || !strings.Contains(ev.Detail, ": 10.00") {
				t.Errorf("settlement %q, want the 4850 put at 10.00", ev.Detail)
			}
		}
	}
	if settled != 1 {
		t.Errorf("%d cash settlements, want 1", settled)
	}
	if n := simtest.Notes(res, condor.KindBlocked); len(n) != 1 || !strings.Contains(n[0].Text, "red_line") {
		t.Errorf("blocked notes %v", n)
	}
}

// runMonthly runs cfg on b under simtest.Exec with the default cash.
func runMonthly(t *testing.T, b *simtest.Builder, cfg condor.MonthlyConfig) *sim.Result {
	t.Helper()
	return simtest.Run(t, b, condor.NewMonthly, cfg, simtest.Exec(0))
}

package putspread_test

import (
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/putspread"
)

// TestCircuitBreaker opens a spread on each of 03-04, 03-05 and 03-06 (IV
// rises every day, min_days_between_entries 1, quotes unchanged: credit 10,
// 2 contracts each). On 03-07 the spread costs 60 − 40 = 20 = 2 × 10: all
// three stop, the third consecutive stop trips the breaker, and the day's
// entry is vetoed. Entries stay halted for 5 business days after 03-07
// (03-08, 03-11 … 03-14) and resume on 03-15 with the breaker reset.
func TestCircuitBreaker(t *testing.T) {
	days := []string{"2024-03-05", "2024-03-06", "2024-03-07", "2024-03-14", "2024-03-15"}
	b := base(days...).
		Quote("SPX", "2024-03-05", chain(40, 30)...).
		Quote("SPX", "2024-03-06", chain(40, 30)...).
		Quote("SPX", "2024-03-07", chain(60, 40)...).
		Quote("SPX", "2024-03-14", chain(40, 30)...).
		Quote("SPX", "2024-03-15", chain(40, 30)...)
	for i, d := range days {
		b.ATMIV("SPX", d, 0.21+0.01*float64(i))
	}
	cfg := config()
	cfg.MinDaysBetweenEntries = 1
	res := run(t, b, cfg)

	if len(res.Trades) != 4 {
		t.Fatalf("%d trades, want 4", len(res.Trades))
	}
	for i, want := range []string{"2024-03-04", "2024-03-05", "2024-03-06"} {
		tr := res.Trades[i]
		if sim.DayString(tr.Opened) != want || tr.Quantity != 2 || tr.Reason != putspread.ReasonStopLoss ||
			sim.DayString(tr.Closed) != "2024-03-07" || !simtest.Near(tr.Gross, -2000) {
			t.Errorf("trade %d: opened %s ×%d, %s on %s, gross %g", i, sim.DayString(tr.Opened), tr.Quantity,
				tr.Reason, sim.DayString(tr.Closed), tr.Gross)
		}
	}
	// After three losses of $2,000 equity is 494,000: 2 % is 9,880, over a
	// max loss of 4,000: 2 contracts.
	if tr := res.Trades[3]; sim.DayString(tr.Opened) != "2024-03-15" || tr.Quantity != 2 || tr.Reason != "open" {
		t.Errorf("re-entry: opened %s ×%d, %s", sim.DayString(tr.Opened), tr.Quantity, tr.Reason)
	}

	cb := simtest.NoteTexts(res, "", putspread.KindCircuitBreaker)
	if len(cb) != 2 || field(cb[0], "state") != "TRIPPED" || field(cb[0], "consecutive_stops") != "3" ||
		field(cb[0], "resume") != "2024-03-15" || field(cb[1], "state") != "RESET" || field(cb[1], "resumed") != "2024-03-15" {
		t.Errorf("circuit breaker notes %q", cb)
	}
	if n := simtest.NoteTexts(res, "2024-03-07", putspread.KindCircuitBreaker); len(n) != 1 {
		t.Errorf("tripped on the wrong day: %q", n)
	}
	for _, d := range []string{"2024-03-07", "2024-03-14"} {
		e := simtest.NoteTexts(res, d, putspread.KindEntryEval)
		if len(e) == 0 || field(e[len(e)-1], "risk") != "VETO" || field(e[len(e)-1], "reason") != "circuit_breaker" {
			t.Errorf("%s: entry not vetoed: %q", d, e)
		}
		s := simtest.NoteTexts(res, d, putspread.KindDailySummary)
		if len(s) != 1 || field(s[0], "blocked") != "circuit_breaker" {
			t.Errorf("%s: summary %q", d, s)
		}
	}
	if d := simtest.NoteTexts(res, "2024-03-14", putspread.KindDashboard); len(d) != 1 || field(d[0], "circuit_breaker") != "ON_until_2024-03-15" ||
		field(d[0], "last3") != "L,L,L" {
		t.Errorf("dashboard %q", d)
	}
	if d := simtest.NoteTexts(res, "2024-03-07", putspread.KindDashboard); len(d) != 1 || field(d[0], "closed_today") != "3" ||
		field(d[0], "open_positions") != "3" {
		t.Errorf("dashboard %q", d)
	}
	if e := simtest.NoteTexts(res, "2024-03-15", putspread.KindEntryEval); field(e[len(e)-1], "risk") != "APPROVED" {
		t.Errorf("03-15: %q", e)
	}
}

// TestBreakerStreak checks that an exit other than a stop ends the streak:
// stop, profit target, stop, stop does not trip a breaker of 3.
func TestBreakerStreak(t *testing.T) {
	// IV rises (entries) on 03-06, 03-08 and 03-12 and falls on the exit
	// days, so each spread is entered at credit 10 (mids 40/30) and exits
	// the next session: stops at debit 60 − 40 = 20 on 03-05, 03-11 and
	// 03-13, a profit target at 35 − 30 = 5 on 03-07.
	days := []struct {
		day  string
		iv   float64
		s, l float64
	}{
		{"2024-03-05", 0.10, 60, 40}, {"2024-03-06", 0.30, 40, 30}, {"2024-03-07", 0.10, 35, 30},
		{"2024-03-08", 0.30, 40, 30}, {"2024-03-11", 0.10, 60, 40}, {"2024-03-12", 0.30, 40, 30},
		{"2024-03-13", 0.10, 60, 40},
	}
	var names []string
	for _, d := range days {
		names = append(names, d.day)
	}
	b := base(names...)
	for _, d := range days {
		b.ATMIV("SPX", d.day, d.iv).Quote("SPX", d.day, chain(d.s, d.l)...)
	}
	cfg := config()
	cfg.MinDaysBetweenEntries = 1
	res := run(t, b, cfg)
	var reasons []string
	for _, tr := range res.Trades {
		reasons = append(reasons, tr.Reason)
	}
	want := []string{"stop_loss", "profit_target", "stop_loss", "stop_loss"}
	if len(reasons) != len(want) {
		t.Fatalf("trades closed %q, want %q", reasons, want)
	}
	for i := range want {
		if reasons[i] != want[i] {
			t.Fatalf("trades closed %q, want %q", reasons, want)
		}
	}
	if cb := simtest.NoteTexts(res, "", putspread.KindCircuitBreaker); len(cb) != 0 {
		t.Errorf("breaker tripped: %q", cb)
	}
	// The same sequence trips a breaker of 2 on 03-13.
	cfg.CircuitBreakerCount = 2
	res = run(t, b, cfg)
	// Resume: the 6th business day after Wednesday 03-13 (03-14, 15, 18,
	// 19, 20, 21).
	if cb := simtest.NoteTexts(res, "2024-03-13", putspread.KindCircuitBreaker); len(cb) != 1 ||
		field(cb[0], "consecutive_stops") != "2" || field(cb[0], "resume") != "2024-03-21" {
		t.Errorf("breaker of 2: %q", cb)
	}
}

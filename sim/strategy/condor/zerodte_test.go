package condor_test

import (
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/condor"
)

const today = "2024-03-06" // a Wednesday

// zeroChain is 2024-03-06's chain at spot 5000 with the 0DTE condor's
// strikes at the given mids and short deltas (put negative):
//
//	P 4950 (wing), P 4960 (short), C 5040 (short), C 5050 (wing), today, PM.
//
// Distractors: P 4970 (30 points, |delta| 0.09) and C 5030 (30 points,
// 0.09) lose on delta; P 4975 (|delta| 0.11) is 25 < 30 points away; an
// AM-settled put 4945 with |delta| exactly 0.06 and a farther strike (which
// would win the tie) and tomorrow's 0.06-delta contracts are not same-day
// PM contracts.
func zeroChain(lp, sp, sc, lc, dsp, dsc float64) sim.Chain {
	return chain(
		m(today, sim.Put, 4950, lp, dsp/2), m(today, sim.Put, 4960, sp, dsp),
		m(today, sim.Put, 4970, 1.00, -0.09), m(today, sim.Put, 4975, 1.25, -0.11),
		m(today, sim.Call, 5030, 1.00, 0.09), m(today, sim.Call, 5040, sc, dsc), m(today, sim.Call, 5050, lc, dsc/2),
		row{exp: today, pc: sim.Put, k: 4945, am: true, bid: 0.55, ask: 0.65, delta: -0.06},
		row{exp: today, pc: sim.Put, k: 4935, am: true, bid: 0.25, ask: 0.35, delta: -0.03},
		m("2024-03-07", sim.Put, 4940, 1, -0.06), m("2024-03-07", sim.Put, 4930, 0.5, -0.03),
		m("2024-03-07", sim.Call, 5060, 1, 0.06), m("2024-03-07", sim.Call, 5070, 0.5, 0.03),
	)
}

// entryChain: credit at the mids 0.60 + 0.50 − 0.30 − 0.20 = 0.60 ≥ 0.50.
func entryChain() sim.Chain { return zeroChain(0.30, 0.60, 0.50, 0.20, -0.06, 0.06) }

func newZero(t *testing.T, cfg condor.ZeroDTEConfig) *condor.ZeroDTE {
	t.Helper()
	s, err := condor.NewZeroDTE(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func step(t *testing.T, s sim.Strategy, snap *sim.Snapshot, book *sim.Book) []sim.Order {
	t.Helper()
	orders, err := s.Step(snap, book)
	if err != nil {
		t.Fatal(err)
	}
	return orders
}

// TestZeroDTEEntryWindowAndVIX checks the 09:45–10:00 window (both ends
// included) and the 14–30 VIX band (both ends included), each on a fresh
// strategy and book.
func TestZeroDTEEntryWindowAndVIX(t *testing.T) {
	tests := []struct {
		name   string
		hh, mm int
		vix    float64
		enters bool
	}{
		{"09:44 before the window", 9, 44, 20, false},
		{"09:45 opens the window", 9, 45, 20, true},
		{"10:00 still in", 10, 0, 20, true},
		{"10:01 after", 10, 1, 20, false},
		{"15:45 daily step", 15, 45, 20, false},
		{"VIX 13.9", 9, 50, 13.9, false},
		{"VIX 14", 9, 50, 14, true},
		{"VIX 30", 9, 50, 30, true},
		{"VIX 30.1", 9, 50, 30.1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newZero(t, condor.DefaultZeroDTE())
			orders := step(t, s, snapshot(t, today, tc.hh, tc.mm, 5000, entryChain(), tc.vix, 20), sim.NewBook(100_000))
			if got := len(orders) == 1; got != tc.enters {
				t.Fatalf("entered = %v, want %v", got, tc.enters)
			}
			if !tc.enters {
				return
			}
			o := orders[0]
			if got, want := strikes(o), [4]float64{4950, 4960, 5040, 5050}; got != want {
				t.Errorf("strikes %v, want %v", got, want)
			}
			for _, l := range o.Legs {
				if l.Contract.AM || sim.DayString(l.Contract.Expiration) != today {
					t.Errorf("leg %v is not a same-day PM contract", l.Contract)
				}
			}
			if o.Quantity != 1 || o.Tag != condor.TagZeroDTE || o.Entry.DTE != 0 || o.Entry.VIX != tc.vix {
				t.Errorf("order %+v", o)
			}
		})
	}
}

// TestZeroDTEOneEntryADay: after an entry at 09:45 (not filled, no
// rejection seen) nothing more today; a rejection frees the entry again;
// the next day enters anew. The credit floor blocks a 0.40 credit.
func TestZeroDTEOneEntryADay(t *testing.T) {
	s := newZero(t, condor.DefaultZeroDTE())
	book := sim.NewBook(100_000)
	if n := len(step(t, s, snapshot(t, today, 9, 45, 5000, entryChain(), 20, 20), book)); n != 1 {
		t.Fatalf("09:45: %d orders", n)
	}
	if n := len(step(t, s, snapshot(t, today, 9, 46, 5000, entryChain(), 20, 20), book)); n != 0 {
		t.Fatalf("09:46: %d orders after today's entry", n)
	}
	book.Events = []sim.BookEvent{{Day: simtest.Day(today), Kind: sim.EventRejected, Trade: -1, Tag: condor.TagZeroDTE, Detail: "open SPX: no quote"}}
	if n := len(step(t, s, snapshot(t, today, 9, 47, 5000, entryChain(), 20, 20), book)); n != 1 {
		t.Fatalf("09:47 after a rejection: %d orders", n)
	}
	book.Events = nil
	next := chain(rowsOf(entryChain())...)
	for i := range next.Expiration {
		next.Expiration[i]++ // the same chain, expiring on 03-07
	}
	if n := len(step(t, s, snapshot(t, "2024-03-07", 9, 45, 5000, next, 20, 20), book)); n != 1 {
		t.Fatalf("next day: %d orders", n)
	}
	// Credit 0.55 + 0.45 − 0.30 − 0.30 = 0.40 < 0.50.
	low := zeroChain(0.30, 0.55, 0.45, 0.30, -0.06, 0.06)
	if n := len(step(t, newZero(t, condor.DefaultZeroDTE()), snapshot(t, today, 9, 45, 5000, low, 20, 20), sim.NewBook(100_000))); n != 0 {
		t.Errorf("entered with a 0.40 credit")
	}
}

// TestZeroDTEDay walks one day of intraday steps: the entry at 09:45 (filled
// at the mids, credit 0.60), holds at 11:00 and 15:44, and the forced close
// at 15:45.
//
//	11:00 spot 5005: debit 0.40 + 0.45 − 0.20 − 0.15 = 0.50; kept 0.10 <
//	      0.30 (50 % of 0.60), 0.50 < 1.20 (2 × 0.60); cushions 45 and 35 >
//	      15 points, |deltas| 0.05 and 0.07 < 0.15: hold.
//	15:44 the same: hold. 15:45: forced_close.
func TestZeroDTEDay(t *testing.T) {
	s := newZero(t, condor.DefaultZeroDTE())
	book := sim.NewBook(100_000)
	c := entryChain()
	orders := step(t, s, snapshot(t, today, 9, 45, 5000, c, 20, 20), book)
	if len(orders) != 1 {
		t.Fatalf("no entry")
	}
	pos := fillAtMids(book, orders[0], &c, 1, simtest.Day(today))
	hold := zeroChain(0.20, 0.40, 0.45, 0.15, -0.05, 0.07)
	for _, hm := range [][2]int{{11, 0}, {15, 44}} {
		if o := step(t, s, snapshot(t, today, hm[0], hm[1], 5005, hold, 20, 20), book); len(o) != 0 {
			t.Fatalf("%02d:%02d: orders %+v, want none", hm[0], hm[1], o)
		}
	}
	o := step(t, s, snapshot(t, today, 15, 45, 5005, hold, 20, 20), book)
	if len(o) != 1 || o[0].Kind != sim.Close || o[0].Position != pos.ID || o[0].Reason != condor.ReasonForcedClose {
		t.Fatalf("15:45: orders %+v, want a forced close of position 1", o)
	}
}

// TestZeroDTEExits checks each exit on a position opened at 0.60 credit.
func TestZeroDTEExits(t *testing.T) {
	tests := []struct {
		name   string
		hh, mm int
		spot   float64
		c      sim.Chain
		reason string
	}{
		// Debit 0.30 + 0.30 − 0.15 − 0.15 = 0.30: kept 0.30 ≥ 0.30.
		{"profit target", 12, 0, 5000, zeroChain(0.15, 0.30, 0.30, 0.15, -0.04, 0.04), condor.ReasonProfitTarget},
		// Debit 0.31 + 0.30 − 0.15 − 0.15 = 0.31: kept 0.29 < 0.30.
		{"not yet", 12, 0, 5000, zeroChain(0.15, 0.31, 0.30, 0.15, -0.04, 0.04), ""},
		// Debit 1.00 + 1.00 − 0.50 − 0.30 = 1.20 ≥ 2 × 0.60.
		{"stop loss", 12, 0, 5000, zeroChain(0.50, 1.00, 1.00, 0.30, -0.12, 0.12), condor.ReasonStopLoss},
		// Short call |delta| 0.15 ≥ 0.15.
		{"delta red line", 12, 0, 5000, zeroChain(0.20, 0.40, 0.60, 0.25, -0.05, 0.15), condor.ReasonRedLine},
		// Spot 4974 is 14 ≤ 15 points above the short put.
		{"proximity red line", 12, 0, 4974, zeroChain(0.30, 0.70, 0.15, 0.10, -0.13, 0.02), condor.ReasonRedLine},
		// Spot 4976 is 16 points above it, |delta| 0.14: hold.
		{"outside the lines", 12, 0, 4976, zeroChain(0.30, 0.70, 0.15, 0.10, -0.14, 0.02), ""},
		// 2024-11-29 closes at 13:00: the forced close comes at 12:45.
		{"early close", 12, 45, 5000, zeroChain(0.20, 0.40, 0.45, 0.15, -0.05, 0.07), condor.ReasonForcedClose},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			day := today
			c, entry := tc.c, entryChain()
			if tc.name == "early close" {
				day = "2024-11-29"
				shift := simtest.Day(day) - simtest.Day(today)
				for _, ch := range []*sim.Chain{&c, &entry} {
					*ch = chain(rowsOf(*ch)...)
					for i := range ch.Expiration {
						ch.Expiration[i] += shift
					}
				}
			}
			s := newZero(t, condor.DefaultZeroDTE())
			book := sim.NewBook(100_000)
			orders := step(t, s, snapshot(t, day, 9, 45, 5000, entry, 20, 20), book)
			if len(orders) != 1 {
				t.Fatalf("no entry")
			}
			fillAtMids(book, orders[0], &entry, 1, simtest.Day(day))
			o := step(t, s, snapshot(t, day, tc.hh, tc.mm, tc.spot, c, 20, 20), book)
			if tc.reason == "" {
				if len(o) != 0 {
					t.Errorf("orders %+v, want none", o)
				}
				return
			}
			if len(o) != 1 || o[0].Kind != sim.Close || o[0].Reason != tc.reason {
				t.Errorf("orders %+v, want a close for %s", o, tc.reason)
			}
		})
	}
}

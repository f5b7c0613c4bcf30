package pick_test

import (
	"math"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/pick"
)

// chain is a small chain on 2024-03-01: expirations 03-08 (7 DTE), 03-15
// (14 DTE) and 03-22 (21 DTE), puts and calls; row 03-15 P 100 is flagged.
func chain() sim.Chain {
	q := func(exp string, pc byte, k, delta float64) simtest.Quote {
		return simtest.Quote{Exp: exp, PC: pc, K: k, Bid: 1, Ask: 1.2, Delta: delta}
	}
	c := simtest.Chain("2024-03-01",
		q("2024-03-08", sim.Put, 95, -0.20), q("2024-03-08", sim.Call, 105, 0.20),
		q("2024-03-15", sim.Put, 90, -0.10), q("2024-03-15", sim.Put, 95, -0.30), q("2024-03-15", sim.Put, 100, -0.25),
		q("2024-03-15", sim.Call, 100, 0.50), q("2024-03-15", sim.Put, 105, -0.70), q("2024-03-15", sim.Call, 105, 0.30),
		q("2024-03-22", sim.Put, 95, 0), // no delta
	)
	for i := range c.Len() {
		if c.Expiration[i] == simtest.Day("2024-03-15") && c.Strike[i] == 100 && c.PutCall[i] == sim.Put {
			c.Flags[i] = 1
		}
	}
	return c
}

func TestRanges(t *testing.T) {
	c := chain()
	day := simtest.Day("2024-03-01")
	for _, tc := range []struct {
		name           string
		lo, hi         int
		wantLo, wantHi int
	}{
		{"Expiration 03-15", fst(pick.Expiration(&c, simtest.Day("2024-03-15"))), snd(pick.Expiration(&c, simtest.Day("2024-03-15"))), 2, 8},
		{"Expiration unlisted", fst(pick.Expiration(&c, simtest.Day("2024-03-09"))), snd(pick.Expiration(&c, simtest.Day("2024-03-09"))), 2, 2},
		{"Next after 03-08", fst(pick.Next(&c, simtest.Day("2024-03-08"), simtest.Day("2024-03-30"))), snd(pick.Next(&c, simtest.Day("2024-03-08"), simtest.Day("2024-03-30"))), 2, 8},
		{"Next beyond last", fst(pick.Next(&c, simtest.Day("2024-03-15"), simtest.Day("2024-03-20"))), snd(pick.Next(&c, simtest.Day("2024-03-15"), simtest.Day("2024-03-20"))), 8, 8},
		{"DTERange 7-14", fst(pick.DTERange(&c, day, 7, 14)), snd(pick.DTERange(&c, day, 7, 14)), 0, 8},
		{"DTERange 8-20", fst(pick.DTERange(&c, day, 8, 20)), snd(pick.DTERange(&c, day, 8, 20)), 2, 8},
		{"DTERange empty", fst(pick.DTERange(&c, day, 30, 10)), snd(pick.DTERange(&c, day, 30, 10)), 9, 9},
	} {
		if tc.lo != tc.wantLo || tc.hi != tc.wantHi {
			t.Errorf("%s: [%d, %d), want [%d, %d)", tc.name, tc.lo, tc.hi, tc.wantLo, tc.wantHi)
		}
	}
}

func fst(a, _ int) int { return a }
func snd(_, b int) int { return b }

func TestNearest(t *testing.T) {
	c := chain()
	lo, hi := pick.Expiration(&c, simtest.Day("2024-03-15"))
	strike := func(i int) float64 {
		if i < 0 {
			return math.NaN()
		}
		return c.Strike[i]
	}
	for _, tc := range []struct {
		name string
		got  float64
		want float64
	}{
		// −0.25 is the flagged 100 put: the nearest usable ones are 95 (−0.30) and 90 (−0.10).
		{"delta −0.25 skips the flagged row", strike(pick.NearestDelta(&c, lo, hi, sim.Put, -0.25, 0)), 95},
		{"delta −0.20: a tie within tol goes to the lower strike", strike(pick.NearestDelta(&c, lo, hi, sim.Put, -0.20, 1e-9)), 90},
		{"delta 0.40 call: a tie within tol goes to the lower strike", strike(pick.NearestDelta(&c, lo, hi, sim.Call, 0.40, 1e-9)), 100},
		{"no delta, no pick", strike(pick.NearestDelta(&c, 8, 9, sim.Put, -0.25, 0)), math.NaN()},
		{"strike 99 put skips the flagged 100", strike(pick.NearestStrike(&c, lo, hi, sim.Put, 99)), 95},
		{"strike 102.5 call: tie to the lower", strike(pick.NearestStrike(&c, lo, hi, sim.Call, 102.5)), 100},
		{"partner 5 below 95", strike(pick.Partner(&c, 3, -5)), 90},
		{"partner flagged", strike(pick.Partner(&c, 3, 5)), math.NaN()},
		{"partner unlisted", strike(pick.Partner(&c, 3, -10)), math.NaN()},
	} {
		if tc.got != tc.want && !(math.IsNaN(tc.got) && math.IsNaN(tc.want)) {
			t.Errorf("%s: strike %g, want %g", tc.name, tc.got, tc.want)
		}
	}
	call, put := pick.ATM(&c, lo, hi, 101)
	if strike(call) != 105 || strike(put) != 105 {
		t.Errorf("ATM at 101: %g/%g, want the 105 pair (the 100 put is flagged)", strike(call), strike(put))
	}
}

func TestNearestDTE(t *testing.T) {
	c := chain()
	day := simtest.Day("2024-03-01")
	for _, tc := range []struct {
		min, max, target int
		pc               byte
		want             string
	}{
		{7, 21, 10, sim.Put, "2024-03-08"}, // 3 days from 7, 4 from 14
		{7, 21, 11, sim.Put, "2024-03-15"},
		{7, 21, 21, sim.Put, "2024-03-15"},  // 03-22 has no put with a delta
		{0, 30, 18, sim.Call, "2024-03-15"}, // 7 and 14 DTE calls; 14 is nearer
		{15, 30, 21, sim.Put, ""},
	} {
		exp, ok := pick.NearestDTE(&c, day, tc.min, tc.max, tc.target, tc.pc)
		got := ""
		if ok {
			got = sim.DayString(exp)
		}
		if got != tc.want {
			t.Errorf("NearestDTE(%d, %d, %d, %c) = %q, want %q", tc.min, tc.max, tc.target, tc.pc, got, tc.want)
		}
	}
}

func TestMaxLoss(t *testing.T) {
	for _, tc := range []struct {
		width, credit float64
		sold          bool
		want          float64
	}{
		{5, 1.25, true, 3.75},   // a put credit spread
		{5, -1.25, true, 6.25},  // sold for a debit: the width plus the debit
		{5, -1.75, false, 1.75}, // a debit spread: what it paid
	} {
		if got := pick.MaxLoss(tc.width, tc.credit, tc.sold); got != tc.want {
			t.Errorf("MaxLoss(%g, %g, %v) = %g, want %g", tc.width, tc.credit, tc.sold, got, tc.want)
		}
	}
}

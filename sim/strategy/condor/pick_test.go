package condor_test

import (
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/condor"
)

// strikes returns an order's four strikes: long put, short put, short call,
// long call.
func strikes(o sim.Order) [4]float64 {
	var s [4]float64
	for i, l := range o.Legs {
		s[i] = l.Contract.Strike
	}
	return s
}

// TestMonthlyStrikeChoice checks the short strikes the monthly condor picks on
// 2024-03-06 at spot 5000 for the 2024-04-24 expiration (DTE 49): |delta|
// nearest 0.10, puts at least 125 points below spot, calls at least 100
// above, a quoted 25-point wing, multiples of 25 first. Every short is at
// mid 7.00 and every wing at 4.00, so each condor's credit is 6.00.
func TestMonthlyStrikeChoice(t *testing.T) {
	const exp = "2024-04-24"
	put := func(k, d float64) []row { return []row{m(exp, sim.Put, k, 7, d), m(exp, sim.Put, k-25, 4, d/2)} }
	call := func(k, d float64) []row { return []row{m(exp, sim.Call, k, 7, d), m(exp, sim.Call, k+25, 4, d/2)} }
	cat := func(rs ...[]row) []row {
		var out []row
		for _, r := range rs {
			out = append(out, r...)
		}
		return out
	}
	tests := []struct {
		name   string
		rows   []row
		prefer bool
		want   [4]float64
	}{
		// 4860 (|delta| 0.10) beats 4850 (0.09) on delta, but 4850 is a
		// multiple of 25; likewise 5125 (0.085) over 5110 (0.10).
		{"quarter strikes preferred", cat(put(4860, -0.10), put(4850, -0.09), call(5110, 0.10), call(5125, 0.085)),
			true, [4]float64{4825, 4850, 5125, 5150}},
		{"nearest delta without the preference", cat(put(4860, -0.10), put(4850, -0.09), call(5110, 0.10), call(5125, 0.085)),
			false, [4]float64{4835, 4860, 5110, 5135}},
		// No multiple of 25 qualifies: the preference falls back.
		{"fallback to other strikes", cat(put(4860, -0.10), call(5110, 0.10)),
			true, [4]float64{4835, 4860, 5110, 5135}},
		// 4880 (|delta| 0.10) is only 120 points below spot and 5095 only
		// 95 above: the floors leave 4875 (exactly 125) and 5100 (exactly 100).
		{"distance floors", cat(put(4880, -0.10), put(4875, -0.13), call(5095, 0.10), call(5100, 0.14)),
			true, [4]float64{4850, 4875, 5100, 5125}},
		// The 0.10 put has no listed wing, the 0.10 call is flagged: the
		// next-best strikes win.
		{"wing and quality", cat(
			[]row{m(exp, sim.Put, 4800, 7, -0.10), {exp: exp, pc: sim.Call, k: 5150, bid: 6.95, ask: 7.05, delta: 0.10, flags: 1},
				m(exp, sim.Call, 5175, 4, 0.05)},
			put(4750, -0.07), call(5200, 0.06)),
			true, [4]float64{4725, 4750, 5200, 5225}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := condor.DefaultMonthly()
			cfg.PreferQuarter = tc.prefer
			s, err := condor.NewMonthly(cfg)
			if err != nil {
				t.Fatal(err)
			}
			snap := snapshot(t, "2024-03-06", 15, 45, 5000, chain(tc.rows...), 18, 15)
			orders, err := s.Step(snap, sim.NewBook(100_000))
			if err != nil {
				t.Fatal(err)
			}
			if len(orders) != 1 {
				t.Fatalf("%d orders, want 1", len(orders))
			}
			if got := strikes(orders[0]); got != tc.want {
				t.Errorf("strikes %v, want %v", got, tc.want)
			}
			if o := orders[0]; o.Kind != sim.Open || o.Quantity != 2 || o.Entry.DTE != 49 || o.Phase != condor.Phase {
				t.Errorf("order %+v", o)
			}
		})
	}
}

// TestMonthlyMaxPositionsAndOncePerDay: with 3 condors open a spike opens
// nothing; with 2 it opens one, and a second step the same day none.
func TestMonthlyMaxPositionsAndOncePerDay(t *testing.T) {
	const exp = "2024-04-24"
	c := chain(m(exp, sim.Put, 4825, 4, -0.05), m(exp, sim.Put, 4850, 7, -0.10),
		m(exp, sim.Call, 5100, 7, 0.10), m(exp, sim.Call, 5125, 4, 0.05))
	// An open condor far from any red line: 4000/4025 P · 6000/6025 C in 2024-06.
	far := chain(m("2024-06-21", sim.Put, 4000, 1, -0.01), m("2024-06-21", sim.Put, 4025, 1.5, -0.02),
		m("2024-06-21", sim.Call, 6000, 1.5, 0.02), m("2024-06-21", sim.Call, 6025, 1, 0.01))
	all := chain(append(rowsOf(c), rowsOf(far)...)...)
	farOrder := sim.Order{Symbol: "SPX", Quantity: 1, Legs: []sim.OrderLeg{
		{Contract: sim.Contract{Underlying: "SPX", Expiration: far.Expiration[0], PutCall: sim.Put, Strike: 4000}, Ratio: 1},
		{Contract: sim.Contract{Underlying: "SPX", Expiration: far.Expiration[0], PutCall: sim.Put, Strike: 4025}, Ratio: -1},
		{Contract: sim.Contract{Underlying: "SPX", Expiration: far.Expiration[0], PutCall: sim.Call, Strike: 6000}, Ratio: -1},
		{Contract: sim.Contract{Underlying: "SPX", Expiration: far.Expiration[0], PutCall: sim.Call, Strike: 6025}, Ratio: 1},
	}}
	for _, open := range []int{3, 2} {
		s, err := condor.NewMonthly(condor.DefaultMonthly())
		if err != nil {
			t.Fatal(err)
		}
		book := sim.NewBook(100_000)
		for i := range open {
			fillAtMids(book, farOrder, &all, int64(i+1), simtest.Day("2024-03-01"))
		}
		snap := snapshot(t, "2024-03-06", 15, 45, 5000, all, 18, 15)
		orders, err := s.Step(snap, book)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		if open < 3 {
			want = 1
		}
		if len(orders) != want {
			t.Fatalf("%d open: %d orders, want %d", open, len(orders), want)
		}
		if want == 1 {
			if orders, _ = s.Step(snap, book); len(orders) != 0 {
				t.Errorf("a second entry on the same day")
			}
		}
	}
}

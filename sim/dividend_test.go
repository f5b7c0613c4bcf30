package sim_test

import (
	"math"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
)

// TestEarlyAssignmentUsesTheDividendAmount runs the short call of
// TestEarlyAssignmentBeforeExDividend's market (extrinsic 0.10 on 03-12, the
// eve of the ex-date) with the ex-dividend event carrying different amounts, as
// the events file gives them: the amount in the data decides, not a model value.
// An event without an amount (NaN, as an empty CSV cell loads) assigns nothing.
func TestEarlyAssignmentUsesTheDividendAmount(t *testing.T) {
	cases := []struct {
		amount float64
		early  bool
	}{
		{1.00, true},  // 0.10 < 1.00: exercised for the dividend
		{0.11, true},  // 0.10 < 0.11
		{0.09, false}, // 0.10 is not below
		{0.05, false},
		{math.NaN(), false},
	}
	days := []string{"2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08", "2024-03-11", "2024-03-12", "2024-03-13"}
	for _, c := range cases {
		b := simtest.New(days...).Event("XYZ", "2024-03-13", sim.ExDividend, c.amount)
		for i, d := range days {
			px := 40.0
			if i >= 5 {
				px = 55
			}
			b.Spot("XYZ", d, px).Bar("XYZ", d, px, px, px, px)
			b.Quote("XYZ", d, simtest.Quote{Exp: "2024-03-08", PC: sim.Put, K: 45, Bid: 4.9, Ask: 5.1},
				simtest.Quote{Exp: "2024-04-19", PC: sim.Call, K: 50, Bid: 5.1, Ask: 5.3, Close: 5.3, High: 5.4, Low: 5.1})
		}
		b.Bar("XYZ", "2024-03-12", 55, 55.2, 55, 55.2)
		tp, err := b.Tape()
		if err != nil {
			t.Fatal(err)
		}
		call := sim.Contract{Underlying: "XYZ", Expiration: simtest.Day("2024-04-19"), PutCall: sim.Call, Strike: 50}
		res, err := sim.Run(tp, &assigner{call: call}, cfg())
		if err != nil {
			t.Fatal(err)
		}
		early := false
		for _, e := range res.Events {
			if e.Kind == sim.EventEarlyAssigned {
				early = sim.DayString(e.Day) == "2024-03-12"
			}
		}
		if early != c.early {
			t.Errorf("dividend %v: early assignment %v, want %v", c.amount, early, c.early)
		}
	}
}

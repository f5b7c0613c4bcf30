package sim_test

import (
	"math"
	"testing"

	"github.com/optsweep/sweep/sim"
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
	for _, c := range cases {
		tp, call := dividendTape(t, c.amount)
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

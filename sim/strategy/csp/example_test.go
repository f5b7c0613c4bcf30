package csp_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/csp"
)

// A cash-secured put sold on Monday and closed on Tuesday by the early-exit
// schedule.
func Example() {
	closes := make([]float64, 59) // a gently rising zigzag
	for i := range closes {
		closes[i] = 50 + 0.1*float64(i) + float64(i%2)
	}
	tape, err := simtest.New("2024-03-04", "2024-03-05").
		Closes("AAA", "2024-03-04", closes...).
		Spot("AAA", "2024-03-04", 56.9).Spot("AAA", "2024-03-05", 57).
		Quote("AAA", "2024-03-04", simtest.Quote{Exp: "2024-03-08", PC: sim.Put, K: 50, Bid: 0.40, Ask: 0.50, Delta: -0.20, IV: 0.3}).
		Quote("AAA", "2024-03-05", simtest.Quote{Exp: "2024-03-08", PC: sim.Put, K: 50, Bid: 0.15, Ask: 0.20, Delta: -0.10, IV: 0.3}).
		VIX("2024-03-04", 22, 22).VIX("2024-03-05", 22, 22).
		Tape()
	if err != nil {
		panic(err)
	}
	cfg := csp.Default()
	cfg.BBStd = 2
	s, err := csp.New(cfg)
	if err != nil {
		panic(err)
	}
	ec := sim.DefaultConfig()
	ec.Mode, ec.Costs = fill.Optimistic, fill.Costs{}
	res, err := sim.Run(tape, s, ec)
	if err != nil {
		panic(err)
	}
	for _, n := range res.Notes {
		if n.Kind == "entry" || n.Kind == "exit" {
			fmt.Println(sim.DayString(n.Day), n.Kind, n.Text)
		}
	}
	for _, t := range res.Trades {
		fmt.Printf("%s %d × %v: %s, gross $%.2f\n", t.Phase, t.Quantity, t.Legs[0].Contract, t.Reason, t.Gross)
	}
	// Output:
	// 2024-03-04 entry sell 2 AAA 2024-03-08 P 50: bid 0.40 ask 0.50, delta -0.200, IV 0.300, 0.1981%/day, collateral $10000 of $100000 available
	// 2024-03-05 exit early_exit: captured 55.6% >= target 40.0% (1/4 days + 0.15); ask 0.20, entry 0.45
	// csp 2 × AAA 2024-03-08 P 50: early_exit, gross $55.00
}

package cell_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/cell"
)

// Run backtests one configuration on a tape and computes its metrics: a
// cash-secured put sold on Monday and closed on Tuesday by the early-exit
// schedule, sold at the mid (0.45) and bought back at the mid (0.175): 5 ×
// 100 × 0.275 = $137.50 without costs. The strategy is built from its registered name and parameter
// values, as a grid cell or "sweep backtest --set" names it.
func ExampleRun() {
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
		fmt.Println(err)
		return
	}
	b, err := strategy.Build("csp", map[string]string{"bb_std": "2", "fill_mode": "optimistic",
		"commission_per_contract": "0", "sec_fee_per_contract": "0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, m, err := cell.Run(tape, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range res.Trades {
		fmt.Printf("%s %d × %v: %s, gross $%.2f\n", t.Phase, t.Quantity, t.Legs[0].Contract, t.Reason, t.Gross)
	}
	fmt.Printf("%d trade, win rate %.0f%%, net $%.2f\n", m.Trades, 100*m.WinRate, m.NetPnL)
	// Output:
	// csp 5 × AAA 2024-03-08 P 50: early_exit, gross $137.50
	// 1 trade, win rate 100%, net $137.50
}

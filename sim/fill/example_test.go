package fill_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim/fill"
)

// A put quoted 1.00 × 1.10 at entry, IV percentile 0.5, 35 days to expiry: classify
// it, price a realistic sale, walk a stepped entry, and draw whether a later
// profit-target touch fills.
func Example() {
	liq := fill.DefaultLiquidity()
	bid, ask, ivp, dte := 1.00, 1.10, 0.5, 35
	tier, penalty := liq.Classify(bid, ask, ivp, dte)
	fmt.Printf("tier %v, penalty %.2f\n", tier, penalty)

	mode, err := fill.ParseMode("realistic")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("sell at %.4f\n", fill.Sell(mode, bid, ask, penalty))

	// The ladder is 1.05, 1.03, 1.01, 1.00, 1.00; a seller can reach
	// 1.05 − 0.30·0.10·1.35 = 1.0095, so the 1.01 rung does not fill and 1.00 does.
	price, step, ok := fill.DefaultStepped().Sell(mode, bid, ask, penalty)
	fmt.Printf("stepped entry: %.2f at step %d (filled %v)\n", price, step, ok)

	costs := fill.DefaultCosts()
	fmt.Printf("opening 2 contracts costs $%.2f\n", costs.Leg(2))

	prob := fill.DefaultProbabilistic()
	r := fill.NewRand(42, "SPY|2024-03-15|P450")
	d := prob.Try(fill.SpreadPct(bid, ask), ivp, r)
	fmt.Printf("profit-target fill probability %.3f\n", d.P)
	// Output:
	// tier wide, penalty 1.35
	// sell at 1.0095
	// stepped entry: 1.00 at step 3 (filled true)
	// opening 2 contracts costs $1.32
	// profit-target fill probability 0.420
}

package earnings_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/strategy/earnings"
)

// A strangle sold three days before a report and bought back the day after.
func Example() {
	tp, err := build(true, 0.30, 0.35, 0.45, 0.50).Tape()
	if err != nil {
		panic(err)
	}
	cfg := earnings.Default()
	cfg.IVWindow = 3 // a short warm-up
	s, err := earnings.New(cfg)
	if err != nil {
		panic(err)
	}
	ec := sim.DefaultConfig()
	ec.Mode, ec.Costs, ec.Cash = fill.Optimistic, fill.Costs{}, 1_000_000
	res, err := sim.Run(tp, s, ec)
	if err != nil {
		panic(err)
	}
	for _, n := range res.Notes {
		fmt.Println(sim.DayString(n.Day), n.Kind, n.Text)
	}
	for _, t := range res.Trades {
		fmt.Printf("%s %d × %.2f: %s on %s, gross $%.2f\n", t.Phase, t.Quantity, -t.Entry, t.Reason, sim.DayString(t.Closed), t.Gross)
	}
	// Output:
	// 2024-03-04 ENTRY report 2024-03-07 in 3 days: sell 9 × strangle AAA 2024-03-08 C 105 / AAA 2024-03-08 P 95: credit 1.90 (bids), delta 0.250 / -0.250, IV percentile 1.000, expected move 5.00%, collateral $189000
	// 2024-03-08 EXIT post_earnings: report on 2024-03-07
	// strangle 9 × 2.00: post_earnings on 2024-03-08, gross $1575.00
}

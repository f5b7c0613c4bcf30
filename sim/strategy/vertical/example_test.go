package vertical_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/strategy/vertical"
)

// Classifying one day's regime from its features.
func ExampleClassify() {
	c := vertical.DefaultRegimeConfig()
	fmt.Println(vertical.Classify(vertical.Features{VIX: 12, VIXRank: 0.2, HVIV: 0.8}, c))
	fmt.Println(vertical.Classify(vertical.Features{VIX: 28, VIXRank: 0.95, HVIV: 0.8}, c))
	fmt.Println(vertical.Classify(vertical.Features{VIX: 19, VIXRank: 0.6, HVIV: 1.1}, c))
	fmt.Println(vertical.Classify(vertical.Features{VIX: 19, VIXRank: 0.4, HVIV: 0.5}, c))
	fmt.Println(vertical.Classify(vertical.Features{VIX: 19, VIXRank: 0.6, HVIV: 0.7}, c))
	// Output:
	// low_vol
	// high_vol
	// iv_expansion
	// iv_contraction
	// neutral
}

// A put credit spread sold at a high IV rank in a low-volatility regime and
// bought back at half its credit.
func Example() {
	b := spreadQuotes(creditTape([]float64{12.4, 12.2}, "2024-03-04"), "2024-03-04", 0.30, 0.40, 0.05, 0.15)
	tp, err := b.Tape()
	if err != nil {
		panic(err)
	}
	cfg := vertical.Default()
	cfg.Regime.VIXRankWindow, cfg.Regime.HVWindow, cfg.IVRankWindow = 10, 5, 3 // a short warm-up
	s, err := vertical.New(cfg)
	if err != nil {
		panic(err)
	}
	ec := sim.DefaultConfig()
	ec.Mode, ec.Costs = fill.Optimistic, fill.Costs{}
	res, err := sim.Run(tp, s, ec)
	if err != nil {
		panic(err)
	}
	for _, n := range res.Notes {
		if n.Kind != vertical.NoteEval {
			fmt.Println(sim.DayString(n.Day), n.Kind, n.Text)
		}
	}
	for _, t := range res.Trades {
		fmt.Printf("%s %d × %.2f: %s, gross $%.2f\n", t.Phase, t.Quantity, -t.Entry, t.Reason, t.Gross)
	}
	// Output:
	// 2024-02-28 REGIME none → low_vol: VIX 13.00, VIX rank 0.100, HV 0.0000, HV/IV 0.000
	// 2024-03-01 ENTRY put_credit_spread 4 × -1 AAA 2024-03-08 P 95 / +1 AAA 2024-03-08 P 90: credit 0.60 (natural), max risk 4.40, delta -0.250, IV rank 1.000, regime low_vol, confidence 0.950
	// 2024-03-04 EXIT profit_target: P&L 0.45 ≥ 0.35 = 0.5 × max profit 0.70
	// put_credit_spread 4 × 0.70: profit_target, gross $180.00
}

package putspread_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/putspread"
)

// An SPX put credit spread opened after a bounce off the lower Bollinger band
// and closed two sessions later at the 50 % profit target. The lookbacks are
// shortened so that eight closes warm the indicators up.
func Example() {
	put := func(exp string, k, mid, delta float64) simtest.Quote {
		return simtest.Quote{Exp: exp, PC: sim.Put, K: k, Bid: mid - 1, Ask: mid + 1, Delta: delta, IV: 0.2}
	}
	b := simtest.New("2024-03-01", "2024-03-04", "2024-03-05", "2024-03-06").Cash("SPX").
		Closes("SPX", "2024-03-04", 5000, 5100, 5200, 5300, 5400, 5500, 5200, 5350).
		ATMIV("SPX", "2024-03-01", 0.15).ATMIV("SPX", "2024-03-04", 0.20).
		ATMIV("SPX", "2024-03-05", 0.10).ATMIV("SPX", "2024-03-06", 0.10).
		Quote("SPX", "2024-03-04", put("2024-04-19", 5050, 30, -0.13), put("2024-04-19", 5100, 40, -0.16)).
		Quote("SPX", "2024-03-05", put("2024-04-19", 5050, 40, -0.15), put("2024-04-19", 5100, 46, -0.17)).
		Quote("SPX", "2024-03-06", put("2024-04-19", 5050, 30, -0.10), put("2024-04-19", 5100, 35, -0.12))
	for _, d := range []string{"2024-03-01", "2024-03-04", "2024-03-05", "2024-03-06"} {
		b.VIX(d, 16, 16).Spot("SPX", d, 5360)
	}
	tape, err := b.Tape()
	if err != nil {
		panic(err)
	}
	tape.VIX3M = tape.VIX // a flat term structure: ratio 1 < 1.05
	cfg := putspread.Default()
	cfg.TrendEMAPeriod, cfg.BBPeriod, cfg.BBStdDev, cfg.RSIPeriod, cfg.IVRankLookback = 3, 4, 1, 2, 2
	cfg.UseConviction = false
	s, err := putspread.New(cfg)
	if err != nil {
		panic(err)
	}
	ec := sim.DefaultConfig()
	ec.Cash, ec.Mode, ec.Costs = 500_000, fill.Optimistic, fill.Costs{}
	res, err := sim.Run(tape, s, ec)
	if err != nil {
		panic(err)
	}
	for _, n := range res.Notes {
		switch n.Kind {
		case putspread.KindWarmup, putspread.KindExit:
			fmt.Println(sim.DayString(n.Day), n.Kind, n.Text)
		case putspread.KindEntryEval:
			if f := putspread.Fields(n.Text); f[0][0] != "gate" {
				fmt.Println(sim.DayString(n.Day), n.Kind, n.Text)
			}
		}
	}
	for _, t := range res.Trades {
		fmt.Printf("%s %d × %v / %v: credit %.2f, %s, gross $%.2f\n", t.Phase, t.Quantity,
			t.Legs[0].Contract, t.Legs[1].Contract, -t.Entry, t.Reason, t.Gross)
	}
	// Output:
	// 2024-03-01 WARMUP status=indicators_not_ready bars_remaining=1 closes=7 atm_iv_sessions=1 need_closes=8 need_iv_sessions=2
	// 2024-03-04 ENTRY_EVAL signal=ENTRY_TRIGGERED signal_bar=2024-03-01
	// 2024-03-04 ENTRY_EVAL risk=APPROVED contracts=2 risk_pct=2.00 drawdown_pct=0.00 conviction=1.000 regime_mult=1 credit=10.00 max_loss_per_contract=4000.00 short_strike=5100 long_strike=5050 expiration=2024-04-19 dte=46 short_delta=-0.160 target_delta=-0.16
	// 2024-03-05 ENTRY_EVAL signal=NO_TRADE failed=iv_rank gates_evaluated=2 signal_bar=2024-03-01 remaining_gates=not_evaluated
	// 2024-03-06 EXIT reason=profit_target position=1 short_strike=5100 long_strike=5050 dte=44 credit=10.00 debit=5.00 profit_target=5.00 target_pct=50 stop=20.00 regime=bullish_calm
	// 2024-03-06 ENTRY_EVAL signal=NO_TRADE failed=iv_rank gates_evaluated=2 signal_bar=2024-03-01 remaining_gates=not_evaluated
	// put_spread 2 × SPX 2024-04-19 P 5100 / SPX 2024-04-19 P 5050: credit 10.00, profit_target, gross $1000.00
}

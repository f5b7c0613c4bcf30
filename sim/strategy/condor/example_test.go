package condor_test

import (
	"fmt"
	"os"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/condor"
)

// A VIX spike opens a monthly SPX iron condor; the next day the rally brings
// spot within 50 points of the short call and half the condors are closed;
// at DTE 30 the rest go.
func Example() {
	quotes := func(lp, sp, sc, lc, dc float64) []simtest.Quote {
		q := func(pc byte, k, mid, d float64) simtest.Quote {
			return simtest.Quote{Exp: "2024-04-24", PC: pc, K: k, Bid: mid - 0.1, Ask: mid + 0.1, Delta: d, IV: 0.2}
		}
		return []simtest.Quote{q(sim.Put, 4825, lp, -0.08), q(sim.Put, 4850, sp, -0.10), q(sim.Call, 5100, sc, dc), q(sim.Call, 5125, lc, dc-0.03)}
	}
	tape, err := simtest.New("2024-03-06", "2024-03-07", "2024-03-25").Cash("SPX").
		VIX("2024-03-05", 15, 15).VIX("2024-03-06", 18, 24). // +20 % at the open
		Spot("SPX", "2024-03-06", 5000).Quote("SPX", "2024-03-06", quotes(5, 7, 5, 3, 0.10)...).
		Spot("SPX", "2024-03-07", 5055).Quote("SPX", "2024-03-07", quotes(4, 5.5, 9, 6, 0.22)...).
		Spot("SPX", "2024-03-25", 5000).Quote("SPX", "2024-03-25", quotes(1.5, 2.5, 2.5, 1, 0.10)...).
		Tape()
	if err != nil {
		panic(err)
	}
	s, err := condor.NewMonthly(condor.DefaultMonthly())
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
		if n.Kind != condor.KindOrder {
			fmt.Println(sim.DayString(n.Day), n.Kind, n.Text)
		}
	}
	sum := condor.Summarize(res)
	fmt.Printf("%d trade, gross $%.2f, net $%.2f\n", sum.Trades, sum.GrossPnL, sum.NetPnL)
	// Output:
	// 2024-03-06 VIX_SPIKE VIX 18.00 vs 15.00: +20.00% ≥ 20.00% (now basis)
	// 2024-03-06 ENTRY sell 2 × 2024-04-24 PM-settled 4825/4850 P · 5100/5125 C (DTE 49): spot 5000.00, short deltas -0.100 / 0.100, credit 4.00 at the mids, spread 20.0%
	// 2024-03-07 EXIT position 1: red_line_half 1 of 2: spot 5055.00 is 45.00 points from short C 5100 (line 50); debit 4.50 at the mids, credit 4.00
	// 2024-03-25 EXIT position 1: time_stop 1 of 1: DTE 30 ≤ 30; debit 2.50 at the mids, credit 4.00
	// 1 trade, gross $100.00, net $100.00
}

// The order/fill log of a run as JSON lines.
func ExampleWriteEvents() {
	d := simtest.Day
	res := &sim.Result{
		Trades: []sim.Trade{{ID: 0, Position: 1, Symbol: "SPX", Quantity: 1, Opened: d("2024-03-06"), Closed: d("2024-03-08"),
			Entry: -1.5, Exit: 0, Gross: 150, Reason: sim.EventExpired,
			Legs: []sim.Leg{{Contract: sim.Contract{Underlying: "SPX", Expiration: d("2024-03-08"), PutCall: sim.Put, Strike: 5000}, Qty: -1}}}},
	}
	if err := condor.WriteEvents(os.Stdout, res); err != nil {
		panic(err)
	}
	// Output:
	// {"event":"FILL","day":"2024-03-06","action":"open","position":1,"trade":0,"qty":1,"legs":[{"exp":"2024-03-08","put_call":"P","strike":5000,"am":false,"ratio":-1}],"limit":null,"fill":-1.5}
	// {"event":"FILL","day":"2024-03-08","action":"settle","position":1,"trade":0,"qty":1,"limit":null,"fill":0,"reason":"expired_worthless","gross":150,"trade_fees":0,"net":150}
}

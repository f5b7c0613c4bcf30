package pick_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/pick"
)

// Example picks a put credit spread the way a seed states it: the expiration
// with DTE in [7, 30] nearest 14, in it the put with delta nearest −0.25,
// and the put 5 points below it; then its max loss per share at the mids.
func Example() {
	q := func(exp string, k, mid, delta float64) simtest.Quote {
		return simtest.Quote{Exp: exp, PC: sim.Put, K: k, Bid: mid - 0.05, Ask: mid + 0.05, Delta: delta}
	}
	c := simtest.Chain("2024-03-01",
		q("2024-03-08", 95, 0.60, -0.20),                                                                      // 7 days
		q("2024-03-15", 90, 0.70, -0.15), q("2024-03-15", 95, 1.20, -0.24), q("2024-03-15", 100, 2.10, -0.40), // 14 days
		q("2024-04-19", 95, 2.50, -0.30), // 49 days: outside the range
	)
	day := simtest.Day("2024-03-01")
	exp, ok := pick.NearestDTE(&c, day, 7, 30, 14, sim.Put)
	if !ok {
		fmt.Println("no expiration")
		return
	}
	lo, hi := pick.Expiration(&c, exp)
	short := pick.NearestDelta(&c, lo, hi, sim.Put, -0.25, 0)
	long := pick.Partner(&c, short, -5)
	credit := c.Mid(short) - c.Mid(long)
	fmt.Printf("%s: sell the %g put, buy the %g put for %.2f; max loss %.2f per share\n",
		sim.DayString(exp), c.Strike[short], c.Strike[long], credit, pick.MaxLoss(c.Strike[short]-c.Strike[long], credit, true))
	// Output:
	// 2024-03-15: sell the 95 put, buy the 90 put for 0.50; max loss 4.50 per share
}

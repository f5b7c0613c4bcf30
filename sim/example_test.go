package sim_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim"
)

// The buying power a unit of a short strangle reserves: the worst payoff at
// expiry, here the 105 call's at three times its strike, (315 − 105) × 100.
func ExampleLegsCollateral() {
	k := func(pc byte, strike float64) sim.Contract {
		return sim.Contract{Underlying: "AAA", Expiration: 19790, PutCall: pc, Strike: strike}
	}
	fmt.Println(sim.LegsCollateral([]sim.OrderLeg{{Contract: k(sim.Call, 105), Ratio: -1}, {Contract: k(sim.Put, 95), Ratio: -1}}))
	// Output: 21000
}

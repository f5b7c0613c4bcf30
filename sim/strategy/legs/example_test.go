package legs_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/strategy/legs"
)

// A preset with one slot overridden, as a grid cell sets it.
func ExampleConfig_Resolve() {
	c := legs.Default()
	_ = param.Set(&c, "preset", "iron_condor")
	_ = param.Set(&c, "legs[3].width", "10")
	ls, _ := c.Resolve()
	for i, l := range ls {
		fmt.Printf("legs[%d] %s %s by %s", i, l.Side, l.Right, l.Select)
		if l.Select == legs.SelectWidth {
			fmt.Printf(" %g from legs[%d]", l.Width, l.Of)
		}
		fmt.Println()
	}
	// Output:
	// legs[0] short put by delta
	// legs[1] long put by width 5 from legs[0]
	// legs[2] short call by delta
	// legs[3] long call by width 10 from legs[2]
}

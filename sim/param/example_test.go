package param_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim/param"
)

type exitRules struct {
	ProfitTarget float64 `param:"profit_target" help:"close at this share of the credit"`
	MinDTE       int     `param:"min_dte" help:"close at this many days to expiry"`
}

type strategyConfig struct {
	Periods []int `param:"periods" help:"SMA periods"`
	Exit    exitRules
}

func Example() {
	cfg := &strategyConfig{Periods: []int{8, 20}, Exit: exitRules{ProfitTarget: 0.5, MinDTE: 21}}
	for _, f := range param.List(cfg) {
		fmt.Printf("%-14s %-6s %-8s %s\n", f.Name, f.Type, f.Default, f.Help)
	}

	name, value, _ := param.ParseAssignment("periods=8,20,50")
	if err := param.Set(cfg, name, value); err != nil {
		fmt.Println(err)
	}
	fmt.Println(cfg.Periods)
	fmt.Println(param.Set(cfg, "min_dte", "abc"))
	fmt.Println(param.Set(cfg, "profit_targt", "0.6"))
	// Output:
	// periods        []int  8,20     SMA periods
	// profit_target  float  0.5      close at this share of the credit
	// min_dte        int    21       close at this many days to expiry
	// [8 20 50]
	// parameter min_dte: "abc" is not an integer
	// unknown parameter "profit_targt"; did you mean "profit_target"?
}

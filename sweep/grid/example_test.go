package grid_test

import (
	"fmt"

	"github.com/optsweep/sweep/sweep/grid"
)

func Example() {
	text := `name: wheel-demo
strategy: wheel
symbols: [SPY, "qqq,spy"]
dates: {from: 2024-01-02, to: 2024-06-28}
params:
  delta_min: {from: 0.2, to: 0.3, step: 0.1}
  exit_pct: 0.6
seeds: [1, 2]
`
	g, err := grid.Parse("grid.yaml", []byte(text))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(g.Size(), "cells")
	for _, c := range g.Cells() {
		fmt.Println(c.Index, c.Symbols, c.Window, c.Params["delta_min"], c.Params["exit_pct"], c.Params["execution_seed"])
	}

	_, err = grid.Parse("grid.yaml", []byte(text[:len(text)-len("seeds: [1, 2]\n")]+"params2: {}\n"))
	fmt.Println(err)
	// Output:
	// 8 cells
	// 0 [SPY] 2024-01-02..2024-06-28 0.2 0.6 1
	// 1 [SPY] 2024-01-02..2024-06-28 0.2 0.6 2
	// 2 [SPY] 2024-01-02..2024-06-28 0.3 0.6 1
	// 3 [SPY] 2024-01-02..2024-06-28 0.3 0.6 2
	// 4 [QQQ SPY] 2024-01-02..2024-06-28 0.2 0.6 1
	// 5 [QQQ SPY] 2024-01-02..2024-06-28 0.2 0.6 2
	// 6 [QQQ SPY] 2024-01-02..2024-06-28 0.3 0.6 1
	// 7 [QQQ SPY] 2024-01-02..2024-06-28 0.3 0.6 2
	// grid.yaml:8: params2: unknown key "params2" (did you mean params?)
}

package runner_test

import (
	"fmt"
	"strings"

	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/grid"
	"github.com/optsweep/sweep/sweep/runner"
)

// Plan names each cell of a grid by its key; Shard splits the cells into
// stable contiguous slices, one per machine of a cluster run. Neither reads
// market data: the data's fingerprint is only part of the keys.
func Example() {
	text := `name: wheel-demo
strategy: wheel
symbols: [SPY, QQQ]
dates: {from: 2024-01-02, to: 2024-06-28}
params:
  delta_min: [0.2, 0.3]
  exit_pct: [0.5, 0.6]
`
	g, err := grid.Parse("grid.yaml", []byte(text))
	if err != nil {
		fmt.Println(err)
		return
	}
	cells, err := runner.Plan(g, g.Cells(), "example-fingerprint", feed.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	keys := map[string]bool{}
	for _, c := range cells {
		keys[c.Key] = true
	}
	fmt.Println(len(cells), "cells,", len(keys), "keys,", g.Combos(), "combinations")
	fmt.Println("run id starts with the grid's name:", strings.HasPrefix(runner.RunID(g), "wheel-demo-"))

	// 8 cells in 3 shards: cells [8·i/3, 8·(i+1)/3), i.e. 0-1, 2-4 and 5-7.
	for i := range 3 {
		fmt.Printf("shard %d/3:\n", i)
		for _, c := range runner.Shard(cells, i, 3) {
			fmt.Println(" ", c.Label(), "combination", c.Combo)
		}
	}
	// Output:
	// 8 cells, 8 keys, 4 combinations
	// run id starts with the grid's name: true
	// shard 0/3:
	//   cell 0 (SPY 2024-01-02..2024-06-28; delta_min=0.2 exit_pct=0.5) combination 0
	//   cell 1 (SPY 2024-01-02..2024-06-28; delta_min=0.2 exit_pct=0.6) combination 1
	// shard 1/3:
	//   cell 2 (SPY 2024-01-02..2024-06-28; delta_min=0.3 exit_pct=0.5) combination 2
	//   cell 3 (SPY 2024-01-02..2024-06-28; delta_min=0.3 exit_pct=0.6) combination 3
	//   cell 4 (QQQ 2024-01-02..2024-06-28; delta_min=0.2 exit_pct=0.5) combination 0
	// shard 2/3:
	//   cell 5 (QQQ 2024-01-02..2024-06-28; delta_min=0.2 exit_pct=0.6) combination 1
	//   cell 6 (QQQ 2024-01-02..2024-06-28; delta_min=0.3 exit_pct=0.5) combination 2
	//   cell 7 (QQQ 2024-01-02..2024-06-28; delta_min=0.3 exit_pct=0.6) combination 3
}

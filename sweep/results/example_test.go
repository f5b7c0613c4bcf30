package results_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/metrics"
	"github.com/optsweep/sweep/sweep/results"
)

// A backtest written as a run with one cell, then queried with SQL.
func Example() {
	ctx := context.Background()
	db, err := results.Open("") // in memory; a path such as "runs/results.duckdb" keeps it
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	start := time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC)
	err = db.BeginRun(ctx, results.Run{ID: "bt-1", Kind: "backtest", Name: "csp", Started: start})
	if err != nil {
		fmt.Println(err)
		return
	}

	// What sim.Run returned: three days and one cash-secured put, closed for a
	// $52 gross profit less $1.30 of fees.
	d0 := sim.DayOf(start)
	put := sim.Contract{Underlying: "SPY", Expiration: d0 + 4, PutCall: sim.Put, Strike: 480}
	res := &sim.Result{
		Days:       []int32{d0, d0 + 1, d0 + 2},
		Equity:     []float64{100000, 99990, 100050.7},
		Cash:       []float64{100104, 100104, 100050.7},
		Collateral: []float64{48000, 48000, 0},
		Trades: []sim.Trade{{ID: 0, Position: 1, Symbol: "SPY", Phase: "csp",
			Legs:     []sim.Leg{{Contract: put, Qty: -1, Price: 1.04}},
			Quantity: 1, Opened: d0, Closed: d0 + 2, Entry: -1.04, Exit: -0.52,
			Gross: 52, Fees: 1.3, Collateral: 48000, Reason: "profit_target"}},
	}
	closed := []metrics.Trade{{Gross: 52, Fees: 1.3, Collateral: 48000, DaysHeld: 2, ExitReason: "profit_target"}}
	m, err := metrics.Compute(res.Days, res.Equity, closed, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	cell := results.Cell{Key: "bt-1/0", RunID: "bt-1", Strategy: "csp", Symbols: []string{"SPY"},
		From: start, To: start.AddDate(0, 0, 2), Seed: 42,
		Params: map[string]string{"min_dte": "3"}, ParamTypes: map[string]string{"min_dte": "int"}}
	if err := db.WriteCell(ctx, cell, res, m); err != nil {
		fmt.Println(err)
		return
	}
	if err := db.FinishRun(ctx, "bt-1", start.Add(time.Minute), results.StatusDone); err != nil {
		fmt.Println(err)
		return
	}

	ok, _ := db.HasCell(ctx, "bt-1/0")
	fmt.Println("cell stored:", ok)
	var reason, legs string
	var n int
	var net float64
	err = db.DB().QueryRow(`SELECT t.exit_reason, count(*), sum(t.net), any_value(t.legs)
		FROM trades t JOIN cells c USING (cell_key)
		WHERE t.closed IS NOT NULL AND c.p_min_dte = 3
		GROUP BY t.exit_reason`).Scan(&reason, &n, &net, &legs)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d trade, net $%.2f (%s)\n", reason, n, net, legs)
	// Output:
	// cell stored: true
	// profit_target: 1 trade, net $50.70 (-1 SPY 2024-03-15 P 480 @1.04)
}

// Two shards of a sweep write their cells as Parquet parts, each into its own
// directory; Merge then loads both into the results database.
func ExampleMerge() {
	ctx := context.Background()
	root, err := os.MkdirTemp("", "parts")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(root)

	start := time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC)
	d0 := sim.DayOf(start)
	res := &sim.Result{Days: []int32{d0, d0 + 1}, Equity: []float64{1000, 1010},
		Cash: []float64{1000, 1010}, Collateral: []float64{0, 0}}
	run := results.Run{ID: "grid-1", Kind: "sweep", Started: start}
	for shard, keys := range [][]string{{"a", "b"}, {"c"}} {
		w, err := results.NewPartWriter(filepath.Join(root, fmt.Sprintf("shard-%d", shard)))
		if err != nil {
			fmt.Println(err)
			return
		}
		var batch []results.CellResult
		for _, k := range keys {
			c := results.Cell{Key: k, RunID: run.ID, Strategy: "csp", Symbols: []string{"SPY"}, From: start, To: start}
			batch = append(batch, results.CellResult{Cell: c, Result: res})
		}
		done := run
		done.Status, done.Finished = results.StatusDone, start.Add(time.Hour)
		if err := w.Write(ctx, run, batch); err != nil {
			fmt.Println(err)
			return
		}
		if err := w.Write(ctx, done, nil); err != nil { // the shard's final status
			fmt.Println(err)
			return
		}
	}

	db, err := results.Open("")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	stats, err := results.Merge(ctx, db, root)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d parts, %d cells, %d run\n", stats.Parts, stats.Cells, stats.Runs)
	var status string
	var cells int
	err = db.DB().QueryRow(`SELECT status, (SELECT count(*) FROM run_cells WHERE run_id = 'grid-1')
		FROM runs WHERE run_id = 'grid-1'`).Scan(&status, &cells)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("run", status, "with", cells, "cells")
	// Output:
	// 4 parts, 3 cells, 1 run
	// run done with 3 cells
}

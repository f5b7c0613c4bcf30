package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/optsweep/sweep/sweep/runner"
)

// Rough costs behind plan's estimate, from BENCHMARKS.md (2-core machine):
// loading a tape with its greeks, and one engine run, per contract-day.
const (
	loadPerContractDay = 900 * time.Nanosecond
	simPerContractDay  = 15 * time.Nanosecond
)

func planCommand() *command {
	c := &command{
		name:  "plan",
		usage: "sweep plan [--samples N] [--db PATH] [--out PATH] GRID.yaml",
		short: "check a grid and show its cells, partitions and an estimate, without running",
		long: `Plan parses and checks the grid file (unknown keys, wrong types, bad ranges and
dates, unknown parameters or bad values for the strategy are errors with their
line numbers), expands it, and prints the number of cells and how they arise,
the (symbols, dates) partitions with the contract-days each loads, how many
cells the results DB already holds, a rough estimate of the time, and sample
cells. Nothing is run or written.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		samples := fs.Int("samples", 5, "sample cells to print")
		db := fs.String("db", "", "market DB (default: the grid's data)")
		out := fs.String("out", "", "results DB (default: the grid's out)")
		workers := fs.Int("j", 0, "workers to estimate for (default: all cores)")
		pos, err := parseInterleaved(fs, args, s)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usageErrorf("want one grid file, got %d arguments", len(pos))
		}
		p, err := runner.Open(ctx, pos[0], runner.Overrides{Data: *db, Out: *out, Check: checkDBs})
		if err != nil {
			return gridUsage(err)
		}
		defer p.Close()
		return printPlan(ctx, s.out, p, *samples, *workers)
	}
	return c
}

func printPlan(ctx context.Context, w io.Writer, p *runner.Prepared, samples, workers int) error {
	g := p.Grid
	if workers <= 0 {
		workers = (runner.Options{}).WithDefaults().Workers
	}
	fmt.Fprintf(w, "grid %s (%s): strategy %s, run id %s\n", g.Name, g.Path, g.Strategy, runner.RunID(g))
	var axes []string
	for _, a := range g.Axes {
		axes = append(axes, fmt.Sprintf("%s %d", strings.Join(a.Names, "+"), len(a.Values)))
	}
	size := g.Size()
	fmt.Fprintf(w, "cells: %d = %d symbol sets × %d date windows × %d combinations (%s)\n",
		size, len(g.SymbolSets), len(g.Windows), g.Combos(), strings.Join(axes, " × "))
	if wf := g.WalkForward; wf != nil {
		fmt.Fprintf(w, "walk-forward: %d folds (train %s, test %s, step %s), best by %s (%s), then %d out-of-sample cells\n",
			len(wf.Folds), wf.Train, wf.Test, wf.Step, wf.Metric, map[bool]string{true: "max", false: "min"}[wf.Maximize],
			len(wf.Folds)*len(g.SymbolSets))
	}
	// A partition is a symbol set × a window: the grid's combinations each,
	// contiguous in the expansion order. Only its first cell is planned.
	combos := max(g.Combos(), 1)
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	nparts := size / combos
	fmt.Fprintf(tw, "partitions: %d\n", nparts)
	var load, sim time.Duration
	for i := range nparts {
		c, err := p.Planner.Cell(i * combos)
		if err != nil {
			return usageErrorf("%v", err)
		}
		n, err := p.ContractDays(ctx, &c)
		if err != nil {
			return err
		}
		load += time.Duration(n) * loadPerContractDay
		sim += time.Duration(n*int64(combos)) * simPerContractDay
		if i < 10 {
			fmt.Fprintf(tw, "  %s\t%d cells\t%d contract-days\n", c.Partition(), combos, n)
		}
	}
	if nparts > 10 {
		fmt.Fprintf(tw, "  … and %d more\n", nparts-10)
	}
	tw.Flush()
	if done, err := p.Stored(ctx); err == nil {
		fmt.Fprintf(w, "already in %s: %d of %d cells\n", p.Out, done, size)
	}
	fmt.Fprintf(w, "estimate: loading and greeks ~%v (less from the cache), engine ~%v on %d workers; a guide only\n",
		load.Round(100*time.Millisecond), (sim / time.Duration(workers)).Round(100*time.Millisecond), workers)
	fmt.Fprintf(w, "sample cells:\n")
	for _, i := range sampleIndexes(size, samples) {
		c, err := p.Planner.Cell(i)
		if err != nil {
			return usageErrorf("%v", err)
		}
		fmt.Fprintf(w, "  %s\n", c.Label())
	}
	return nil
}

// sampleIndexes spreads k indexes over 0..n-1, first and last included.
func sampleIndexes(n, k int) []int {
	if k >= n {
		k = n
	}
	seen := map[int]bool{}
	var out []int
	for j := range k {
		i := 0
		if k > 1 {
			i = j * (n - 1) / (k - 1)
		}
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	sort.Ints(out)
	return out
}

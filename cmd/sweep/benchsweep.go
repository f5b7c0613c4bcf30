package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"text/tabwriter"
	"time"

	"github.com/optsweep/sweep/sweep/runner"
)

// benchGrid returns a wheel grid on symbol over [from, to] with the first
// axes of a 10 × 10 × 10 design: 10, 100 or 1000 combinations.
func benchGrid(name, symbol, from, to string, combos int) string {
	axes := []string{
		"  exit_pct: {from: 0.3, to: 0.75, step: 0.05}\n",
		"  dte_min: {from: 21, to: 39, step: 2}\n",
		"  delta_min: {from: 0.16, to: 0.34, step: 0.02}\n",
	}
	text := fmt.Sprintf("name: %s\nstrategy: wheel\nsymbols: [%s]\ndates: {from: %s, to: %s}\nparams:\n", name, symbol, from, to)
	for i, n := 0, 1; n < combos && i < len(axes); i, n = i+1, n*10 {
		text += axes[i]
	}
	return text
}

// benchSweep measures `sweep run` on one SPY-sized symbol: throughput and the
// cost per combination (10, 100, 1000 combinations, no greeks cache, so each
// size loads the tape once), the speed-up from -j 1 to all cores, and what the
// greeks cache saves.
func benchSweep(ctx context.Context, c *command, args []string, s stdio) error {
	fs := newFlags(c, s)
	db := fs.String("db", demoMarketDB, "market database `file` (\"sweep demo\" makes one)")
	symbol := fs.String("symbol", "SPY", "underlying `symbol`")
	from := fs.String("from", "2023-01-03", "first trade `date`")
	to := fs.String("to", "2024-12-31", "last trade `date`")
	scaleCells := fs.Int("scale-cells", 100, "cells of the -j comparison: 10, 100 or 1000")
	if err := parseFlags(fs, args, s); err != nil {
		return err
	}
	if *scaleCells != 10 && *scaleCells != 100 && *scaleCells != 1000 {
		return usageErrorf("--scale-cells %d: want 10, 100 or 1000", *scaleCells)
	}
	if _, err := os.Stat(*db); err != nil {
		return fmt.Errorf("%w (run \"sweep demo\" first, or pass --db)", err)
	}
	dir, err := os.MkdirTemp("", "sweep-bench-sweep-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cores := runtime.NumCPU()
	run := func(name string, combos, workers int, cache, detail string) (runner.Stats, error) {
		path := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(path, []byte(benchGrid(name, *symbol, *from, *to, combos)), 0o644); err != nil {
			return runner.Stats{}, err
		}
		o := runOptions{grid: path, db: *db, out: filepath.Join(dir, name+".duckdb"), workers: workers, maxParts: 2,
			progress: "off", quiet: true, detail: detail, env: func(string) string { return "" }, cache: cache, noCache: cache == ""}
		rep, err := runGrid(ctx, o, stdio{in: s.in, out: io.Discard, err: io.Discard})
		if err != nil {
			return runner.Stats{}, err
		}
		return rep.Stats, nil
	}
	fmt.Fprintf(s.out, "sweep bench sweep: the wheel on %s %s..%s, %d cores\n\n", *symbol, *from, *to, cores)
	tw := tabwriter.NewWriter(s.out, 2, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "combinations\tcells\ttime\tcells/s\tms/cell\tload\tgreeks\tengine (cpu)\twrites\t\n")
	var times []time.Duration
	for _, combos := range []int{10, 100, 1000} {
		st, err := run(fmt.Sprintf("combos-%d", combos), combos, cores, "", "trades")
		if err != nil {
			return err
		}
		times = append(times, st.Elapsed)
		fmt.Fprintf(tw, "%d\t%d\t%v\t%.1f\t%.1f\t%v\t%v\t%v\t%v\t\n", combos, st.Ran, st.Elapsed.Round(10*time.Millisecond),
			float64(st.Ran)/st.Elapsed.Seconds(), float64(st.Elapsed.Milliseconds())/float64(max(st.Ran, 1)),
			st.LoadTime.Round(10*time.Millisecond), st.GreeksTime.Round(10*time.Millisecond),
			st.SimTime.Round(10*time.Millisecond), st.WriteTime.Round(10*time.Millisecond))
	}
	tw.Flush()
	fmt.Fprintf(s.out, "time(1000)/time(10) = %.1f for 100x the combinations; time(100)/time(10) = %.1f for 10x\n\n",
		times[2].Seconds()/times[0].Seconds(), times[1].Seconds()/times[0].Seconds())

	cache := filepath.Join(dir, "cache")
	cold, err := run("cache-cold", 10, cores, cache, "trades")
	if err != nil {
		return err
	}
	warm, err := run("cache-warm", 10, cores, cache, "trades")
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "greeks cache: tape (load + greeks) %v without, %v from the cache (%.1fx)\n\n",
		(cold.LoadTime + cold.GreeksTime).Round(10*time.Millisecond), warm.LoadTime.Round(10*time.Millisecond),
		(cold.LoadTime+cold.GreeksTime).Seconds()/warm.LoadTime.Seconds())

	for _, detail := range []string{"trades", "metrics"} {
		var rates []float64
		for _, j := range []int{1, cores} {
			st, err := run(fmt.Sprintf("workers-%d-%s", j, detail), *scaleCells, j, cache, detail)
			if err != nil {
				return err
			}
			rate := float64(st.Ran) / st.Elapsed.Seconds()
			rates = append(rates, rate)
			fmt.Fprintf(s.out, "--detail %-7s -j %d: %d cells in %v, %.1f cells/s (engine %v cpu, writes %v)\n", detail, j, st.Ran,
				st.Elapsed.Round(10*time.Millisecond), rate, st.SimTime.Round(10*time.Millisecond), st.WriteTime.Round(10*time.Millisecond))
		}
		fmt.Fprintf(s.out, "--detail %-7s speed-up from -j 1 to -j %d: %.2fx\n", detail, cores, rates[1]/rates[0])
	}
	return nil
}

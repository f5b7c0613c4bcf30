package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/optsweep/sweep/ingest/synth"
)

// universeGrid returns a CSP scanner grid over one universe (every symbol in
// one cell) with the benchmark's settings (benchSettings) and cells
// combinations of min_daily_return.
func universeGrid(symbols []string, from, to string, cells int) string {
	text := fmt.Sprintf("name: universe-%d\nstrategy:\n  name: csp\n  settings:\n", len(symbols))
	for _, k := range []string{"max_strike_mode", "max_strike_pct"} {
		text += fmt.Sprintf("    %s: %s\n", k, benchSettings("csp")[k])
	}
	text += fmt.Sprintf("symbols:\n  - [%s]\ndates: {from: %s, to: %s}\nparams:\n", strings.Join(symbols, ", "), from, to)
	vals := make([]string, max(cells, 1))
	for i := range vals {
		vals[i] = fmt.Sprintf("%g", 0.0003+0.0001*float64(i))
	}
	return text + fmt.Sprintf("  min_daily_return: [%s]\n", strings.Join(vals, ", "))
}

// benchUniverse runs the CSP scanner over a universe of the first --symbols
// of the universe preset's tickers, one cell scanning them all, with the
// partition streamed in blocks of --stream-days (or held whole with
// --stream-days 0), and reports the time and the process's peak resident
// memory. Run it once per universe size: the peak is the process's.
func benchUniverse(ctx context.Context, c *command, args []string, s stdio) error {
	fs := newFlags(c, s)
	db := fs.String("db", "", "market database `file` made from \"sweep gen --preset universe\" (required)")
	n := fs.Int("symbols", 10, "universe size: the first `N` tickers of the universe preset")
	list := fs.String("symbol-list", "", "comma-separated `symbols` instead of the preset's first N")
	from := fs.String("from", "2023-01-03", "first trade `date`")
	to := fs.String("to", "2024-12-31", "last trade `date`")
	days := fs.Int("stream-days", 21, "trading `days` a streamed block holds; 0 holds the whole tape")
	cells := fs.Int("cells", 1, "scanner configurations run together (min_daily_return values)")
	workers := fs.Int("j", runtime.NumCPU(), "cells run and symbols loaded at once")
	if err := parseFlags(fs, args, s); err != nil {
		return err
	}
	syms := synth.UniverseSymbols()
	if *list != "" {
		syms = strings.Split(*list, ",")
	} else if *n < 1 || *n > len(syms) {
		return usageErrorf("--symbols %d: want 1..%d", *n, len(syms))
	} else {
		syms = syms[:*n]
	}
	if *db == "" {
		return usageErrorf("--db is required (sweep gen --preset universe --out u && sweep ingest --db u.duckdb u)")
	}
	if _, err := os.Stat(*db); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sweep-bench-universe-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "universe.yaml")
	if err := os.WriteFile(path, []byte(universeGrid(syms, *from, *to, *cells)), 0o644); err != nil {
		return err
	}
	o := runOptions{grid: path, db: *db, out: filepath.Join(dir, "results.duckdb"), workers: *workers, maxParts: 1,
		streamDays: *days, progress: "off", quiet: true, detail: "trades", env: func(string) string { return "" }, noCache: true}
	t0 := time.Now()
	rep, err := runGrid(ctx, o, stdio{in: s.in, out: io.Discard, err: io.Discard})
	if err != nil {
		return err
	}
	elapsed := time.Since(t0)
	st := rep.Stats
	how := fmt.Sprintf("streamed in blocks of %d days", *days)
	if *days == 0 {
		how = "whole tape"
	}
	fmt.Fprintf(s.out, "sweep bench universe: csp over %d symbols %s..%s, %s, %d cells, -j %d\n", len(syms), *from, *to, how, st.Ran, *workers)
	fmt.Fprintf(s.out, "  time %v (load %v, greeks %v, engine %v cpu, writes %v); %d contract-days\n",
		elapsed.Round(10*time.Millisecond), st.LoadTime.Round(10*time.Millisecond), st.GreeksTime.Round(10*time.Millisecond),
		st.SimTime.Round(10*time.Millisecond), st.WriteTime.Round(10*time.Millisecond), st.Contracts)
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		fmt.Fprintf(s.out, "  peak RSS %.0f MB (getrusage; /usr/bin/time -v reports the same)\n", float64(ru.Maxrss)/1024)
	}
	return nil
}

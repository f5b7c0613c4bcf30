package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/ingest/market"
)

func benchCommand() *command {
	c := &command{
		name:  "bench",
		usage: "sweep bench greeks|ingest|read|decode|backtest|sweep|universe [flags]",
		short: "measure speed: greeks, ingest, chain reads, DBN decode, backtests, sweeps",
		long: `Measure the pipeline's speed. Each subcommand runs the compared paths side by
side in one run and prints their ratio, so the figure holds on a noisy machine.

  sweep bench greeks [-n N]        bulk vs scalar greeks and implied vol, ns/option
  sweep bench ingest [-rows N]     Appender and the ingest path (stage + MERGE) vs
                                   DuckDB copying the same rows from Parquet
  sweep bench read [--db F] [--symbol S] [--from D --to D]
                                   load one symbol's chains into column slices, rows/s
  sweep bench decode [--ingest] FILE|DIR...
                                   DBN decode throughput, records/s and MB/s (a
                                   folder: its DBN files, in the order of ingest);
                                   --ingest also loads the files end to end
                                   into a temporary store, and gives the ratio
  sweep bench backtest [--db F] [--symbol S] [--from D --to D] [--strategies wheel,csp]
                                   one configuration's run, with and without
                                   loading the tape (chains, greeks and IVs)
  sweep bench sweep [--db F] [--symbol S] [--from D --to D] [--scale-cells N]
                                   sweep run on 10, 100 and 1000 wheel combinations
                                   (cells/s, cost per combination), the greeks
                                   cache, and -j 1 against all cores
  sweep bench universe --db F [--symbols N] [--stream-days D]
                                   the CSP scanner over the first N tickers of
                                   the universe preset in one cell, streamed in
                                   blocks of D days: time and peak RSS

BENCHMARKS.md records the figures and the commands that reproduce them.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		return dispatch(ctx, c, args, s,
			action{"greeks", benchGreeks},
			action{"ingest", func(ctx context.Context, args []string, s stdio) error { return benchIngest(ctx, c, args, s) }},
			action{"read", func(ctx context.Context, args []string, s stdio) error { return benchRead(ctx, c, args, s) }},
			action{"decode", func(ctx context.Context, args []string, s stdio) error { return benchDecode(ctx, c, args, s) }},
			action{"backtest", func(ctx context.Context, args []string, s stdio) error { return benchBacktest(ctx, c, args, s) }},
			action{"sweep", func(ctx context.Context, args []string, s stdio) error { return benchSweep(ctx, c, args, s) }},
			action{"universe", func(ctx context.Context, args []string, s stdio) error { return benchUniverse(ctx, c, args, s) }})
	}
	return c
}

func benchIngest(ctx context.Context, c *command, args []string, s stdio) error {
	fs := newFlags(c, s)
	n := fs.Int("rows", 1_000_000, "option_quotes `rows` to write each way")
	if err := parseFlags(fs, args, s); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sweep-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := market.Open(dir + "/bench.duckdb")
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.MeasureIngest(ctx, *n, dir)
	if err != nil {
		return err
	}
	pq := r.PerSecond(r.Parquet)
	fmt.Fprintf(s.out, "quotes: %d (day, contract, bid, ask, sizes, time)\n", r.Rows)
	fmt.Fprintf(s.out, "%-38s %12.0f rows/s  %5.2fx of Parquet\n", "Appender into a table", r.PerSecond(r.Appender), r.PerSecond(r.Appender)/pq)
	fmt.Fprintf(s.out, "%-38s %12.0f rows/s  %5.2fx of Parquet\n", "ingest path (Appender stage + MERGE)", r.PerSecond(r.Stage), r.PerSecond(r.Stage)/pq)
	fmt.Fprintf(s.out, "%-38s %12.0f rows/s  1.00x\n", "DuckDB INSERT from read_parquet", pq)
	return nil
}

func benchRead(ctx context.Context, c *command, args []string, s stdio) error {
	fs := newFlags(c, s)
	db := fs.String("db", demoMarketDB, "market database `file` (\"sweep demo\" makes one)")
	symbol := fs.String("symbol", "SPY", "underlying `symbol`")
	from := fs.String("from", "1900-01-01", "first trade `date`")
	to := fs.String("to", "2999-12-31", "last trade `date`")
	tries := fs.Int("tries", 5, "repetitions; the best is reported")
	if err := parseFlags(fs, args, s); err != nil {
		return err
	}
	f, err1 := time.Parse(time.DateOnly, *from)
	t, err2 := time.Parse(time.DateOnly, *to)
	if err := errors.Join(err1, err2); err != nil {
		return usageErrorf("--from/--to: %v", err)
	}
	st, err := market.OpenReadOnly(*db)
	if err != nil {
		return fmt.Errorf("%w (run \"sweep demo\" first, or pass --db)", err)
	}
	defer st.Close()
	r, err := st.MeasureRead(ctx, *symbol, f, t, *tries)
	if err != nil {
		return err
	}
	if r.Rows == 0 {
		return fmt.Errorf("no option_quotes rows for %s in %s", *symbol, *db)
	}
	fmt.Fprintf(s.out, "%s: %d rows over %d trading days loaded in %v: %.2fM rows/s\n",
		*symbol, r.Rows, r.Days, r.Time.Round(time.Microsecond), float64(r.Rows)/r.Time.Seconds()/1e6)
	return nil
}

func benchDecode(ctx context.Context, c *command, args []string, s stdio) error {
	fs := newFlags(c, s)
	withIngest := fs.Bool("ingest", false, "also ingest the same files into a new temporary market store, end to end, and print its rate beside decode's")
	if err := parseFlags(fs, args, s); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErrorf("no DBN files given")
	}
	// A folder stands for its DBN files in the order "sweep ingest" loads them.
	files, err := expandInputs(fs.Args())
	if err != nil {
		return err
	}
	files = slices.DeleteFunc(files, func(p string) bool {
		f, err := market.FormatOf(p)
		return market.SupportFile(p) != "" || err != nil || f != "dbn"
	})
	if len(files) == 0 {
		return usageErrorf("no DBN files in %s", strings.Join(fs.Args(), " "))
	}
	var records, raw, onDisk int64
	start := time.Now()
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		onDisk += fi.Size()
		dec, err := dbn.Open(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		for {
			_, err := dec.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				dec.Close()
				return fmt.Errorf("%s: %w", p, err)
			}
			records++
		}
		raw += dec.Offset()
		dec.Close()
	}
	sec := time.Since(start).Seconds()
	fmt.Fprintf(s.out, "%d files, %d records, %.1f MB decoded (%.1f MB on disk) in %.2fs\n",
		len(files), records, float64(raw)/1e6, float64(onDisk)/1e6, sec)
	fmt.Fprintf(s.out, "%.2fM records/s, %.0f MB/s of DBN, %.0f MB/s of files read\n",
		float64(records)/sec/1e6, float64(raw)/sec/1e6, float64(onDisk)/sec/1e6)
	if !*withIngest {
		return nil
	}
	dir, err := os.MkdirTemp("", "sweep-bench-ingest")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	n, took, err := market.MeasureIngest(ctx, filepath.Join(dir, "market.duckdb"), files)
	if err != nil {
		return err
	}
	rate := float64(n) / took.Seconds()
	fmt.Fprintf(s.out, "ingest of the same files, end to end (decode, aggregate, stage, merge, commit, checkpoint): %d records in %.2fs\n",
		n, took.Seconds())
	fmt.Fprintf(s.out, "%.2fM records/s: %.2fx of decode alone\n", rate/1e6, rate/(float64(records)/sec))
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
)

// benchSettings returns the benchmark's settings of a strategy: the defaults,
// but for the scanner the demo's lower premium floor, so that it trades.
func benchSettings(name string) map[string]string {
	if name == "csp" {
		return map[string]string{"min_daily_return": "0.0003", "max_strike_mode": "pct", "max_strike_pct": "0.98"}
	}
	return nil
}

// benchBacktest times one backtest configuration with and without loading
// the tape (chains, bars and events from the market DB, greeks and IVs for
// every contract), for each strategy.
func benchBacktest(ctx context.Context, c *command, args []string, s stdio) error {
	fs := newFlags(c, s)
	db := fs.String("db", demoMarketDB, "market database `file` (\"sweep demo\" makes one)")
	symbol := fs.String("symbol", "SPY", "underlying `symbol`")
	from := fs.String("from", "2023-01-03", "first trade `date`")
	to := fs.String("to", "2024-12-31", "last trade `date`")
	tries := fs.Int("tries", 5, "repetitions; the best is reported")
	strategies := fs.String("strategies", "wheel,csp", "comma-separated strategies")
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
	var tape *sim.Tape
	var stats feed.Stats
	best := time.Duration(1<<63 - 1)
	for range max(*tries, 1) {
		t0 := time.Now()
		tape, stats, err = feed.Load(ctx, st, []string{*symbol}, f, t, feed.DefaultOptions())
		if err != nil {
			return err
		}
		best = min(best, time.Since(t0))
	}
	fmt.Fprintf(s.out, "%s %s..%s: %d days, %d contracts (%.0f a day)\n", *symbol, *from, *to, stats.Days, stats.Contracts,
		float64(stats.Contracts)/float64(max(stats.Days, 1)))
	fmt.Fprintf(s.out, "  tape: %v (greeks and IV %v)\n", best.Round(time.Millisecond), stats.GreeksTime.Round(time.Millisecond))
	for _, name := range strings.Split(*strategies, ",") {
		name = strings.TrimSpace(name)
		set := benchSettings(name)
		b, err := strategy.Build(name, set)
		if err != nil {
			return usageErrorf("%v", err)
		}
		run := time.Duration(1<<63 - 1)
		var res *sim.Result
		for range max(*tries, 1) {
			b, _ = strategy.Build(name, set) // a fresh strategy each time
			t0 := time.Now()
			if res, err = sim.Run(tape, b.Strategy, b.Exec); err != nil {
				return err
			}
			run = min(run, time.Since(t0))
		}
		fmt.Fprintf(s.out, "  %-6s run %8v  with the tape %8v  (%d orders, %d trades)\n", name,
			run.Round(10*time.Microsecond), (run + best).Round(time.Millisecond), res.Orders, len(res.Trades))
	}
	return nil
}

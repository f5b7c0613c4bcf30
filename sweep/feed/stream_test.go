package feed_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/ingest/synth/synthtest"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
)

// longer is a market long enough for the IV rank lookbacks (252 sessions)
// and the slower indicators to come into play: the demo preset's symbols and
// two years, generated and ingested once.
var longer = synthtest.Shared{Preset: "demo"}

// build returns the strategies named, with their defaults but for the
// scanner's premium floor and strike cap (the demo's, so that it trades).
func build(t *testing.T, names []string) []*strategy.Built {
	t.Helper()
	out := make([]*strategy.Built, len(names))
	for i, name := range names {
		var set map[string]string
		if name == "csp" {
			set = map[string]string{"min_daily_return": "0.0003", "max_strike_mode": "pct", "max_strike_pct": "0.98"}
		}
		b, err := strategy.Build(name, set)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// streamed runs the strategies named over the stream's blocks in turn, all
// advancing through a block before the next loads, as the runner does.
func streamed(t *testing.T, st *market.Store, names, syms []string, from, to string, days int) ([]*sim.Result, feed.Stats) {
	t.Helper()
	ctx := context.Background()
	s, err := feed.OpenStream(ctx, st, syms, day(from), day(to), feed.DefaultOptions(), feed.StreamOptions{Days: days, Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	var runs []*sim.Backtest
	for _, b := range build(t, names) {
		bt, err := sim.NewBacktest(b.Strategy, b.Exec)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, bt)
	}
	blocks := 0
	for {
		tp, err := s.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(tp.Days)-tp.First > days {
			t.Fatalf("block %d holds %d days, want at most %d", blocks, len(tp.Days)-tp.First, days)
		}
		for i, bt := range runs {
			if err := bt.Advance(tp); err != nil {
				t.Fatalf("%s: %v", names[i], err)
			}
		}
		blocks++
	}
	if want := (s.Days() + days - 1) / days; blocks != want {
		t.Errorf("%d blocks of %d days over %d days, want %d", blocks, days, s.Days(), want)
	}
	out := make([]*sim.Result, len(runs))
	for i, bt := range runs {
		if out[i], err = bt.Finish(); err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
	}
	return out, s.Stats()
}

// whole runs the strategies named on the whole tape.
func whole(t *testing.T, st *market.Store, names, syms []string, from, to string) ([]*sim.Result, feed.Stats) {
	t.Helper()
	tp, stats, err := feed.Load(context.Background(), st, syms, day(from), day(to), feed.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var out []*sim.Result
	for i, b := range build(t, names) {
		res, err := sim.Run(tp, b.Strategy, b.Exec)
		if err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		out = append(out, res)
	}
	return out, stats
}

// sameStreamed checks that the stream in blocks of each of days gives every
// strategy named the result the whole tape gives, and the same data checks,
// and returns how many of them traded.
func sameStreamed(t *testing.T, st *market.Store, names, syms []string, from, to string, days ...int) int {
	t.Helper()
	want, wst := whole(t, st, names, syms, from, to)
	traded := 0
	for i, r := range want {
		if len(r.Trades) > 0 {
			traded++
		} else {
			t.Logf("%s: no trades with the defaults; equity and notes still compared", names[i])
		}
	}
	wst.LoadTime, wst.GreeksTime = 0, 0
	for _, d := range days {
		got, gst := streamed(t, st, names, syms, from, to, d)
		for i := range got {
			if err := sameRun(got[i], want[i]); err != nil {
				t.Errorf("%s in blocks of %d days: %v", names[i], d, err)
			}
		}
		gst.LoadTime, gst.GreeksTime = 0, 0
		if g, w := fmt.Sprintf("%+v", gst), fmt.Sprintf("%+v", wst); g != w {
			t.Errorf("blocks of %d days: stats\n got %.300s\nwant %.300s", d, g, w)
		}
	}
	return traded
}

// sameRun reports how got differs from want, comparing values as %+v text:
// exact for floats, and NaN equals NaN.
func sameRun(got, want *sim.Result) error {
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"days", got.Days, want.Days}, {"equity", got.Equity, want.Equity}, {"cash", got.Cash, want.Cash},
		{"collateral", got.Collateral, want.Collateral}, {"trades", got.Trades, want.Trades},
		{"events", got.Events, want.Events}, {"notes", got.Notes, want.Notes},
		{"orders", [2]int{got.Orders, got.Rejected}, [2]int{want.Orders, want.Rejected}},
	} {
		if g, w := fmt.Sprintf("%+v", c.got), fmt.Sprintf("%+v", c.want); g != w {
			return fmt.Errorf("%s differ:\n got %.400s\nwant %.400s", c.what, g, w)
		}
	}
	return nil
}

// TestStreamSameAsWhole runs every daily strategy family (condor-0dte needs
// intraday steps, which a stream has not) with its defaults over two years,
// on the whole tape and streamed in blocks of 7 and 64 days, and requires the
// same trades, equity, cash, collateral, book events and decision notes, bit
// for bit, and the same data checks. IV rank (252 sessions) and the slower
// indicators look back across many blocks.
func TestStreamSameAsWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the demo market")
	}
	var names []string
	for _, info := range strategy.Registry() {
		if info.Name != "condor-0dte" {
			names = append(names, info.Name)
		}
	}
	traded := sameStreamed(t, longer.Store(t), names, []string{"AAPL", "SPX", "SPY"}, "2023-01-03", "2024-12-31", 7, 64)
	if traded < 4 {
		t.Errorf("only %d of %d strategies traded: the comparison proves little", traded, len(names))
	}
}

// TestStreamDayBlocks streams the small market a day at a time.
func TestStreamDayBlocks(t *testing.T) {
	if n := sameStreamed(t, smallStore(t), []string{"csp", "wheel", "legs"}, []string{"AAPL", "SPX", "SPY"},
		"2024-01-02", "2024-03-28", 1, 2); n == 0 {
		t.Error("nothing traded")
	}
}

// TestStreamIntradayRefused: a stream has no intraday steps.
func TestStreamIntradayRefused(t *testing.T) {
	opt := feed.DefaultOptions()
	opt.IntradayEvery = 5 * 60e9
	if _, err := feed.OpenStream(context.Background(), smallStore(t), []string{"SPX"}, day("2024-01-02"), day("2024-03-28"),
		opt, feed.StreamOptions{}); err == nil {
		t.Fatal("want an error")
	}
}

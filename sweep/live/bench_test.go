package live

import (
	"context"
	"testing"

	"github.com/optsweep/sweep/sim"
	slive "github.com/optsweep/sweep/sim/live"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
)

// BenchmarkLiveLoop runs the wheel on SPY over 2024-01-02..2024-06-28 three
// ways on one tape: the backtest engine, the live driver with the paper
// broker and an in-memory journal, and the same with the DuckDB journal
// (one transaction per tick and per session end, intents committed before
// each send). The ratios are the live loop's overhead.
func BenchmarkLiveLoop(b *testing.B) {
	ctx := context.Background()
	st := testStore(b)
	tape, _, err := feed.Load(ctx, st, []string{"SPY"}, day("2024-01-02"), day("2024-06-28"), feed.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	build := func() *strategy.Built {
		bt, err := strategy.Build("wheel", nil)
		if err != nil {
			b.Fatal(err)
		}
		return bt
	}
	b.Run("backtest", func(b *testing.B) {
		for range b.N {
			bt := build()
			if _, err := sim.Run(tape, bt.Strategy, bt.Exec); err != nil {
				b.Fatal(err)
			}
		}
	})
	run := func(b *testing.B, journal func() (slive.Journal, func())) {
		for range b.N {
			bt := build()
			j, done := journal()
			d, err := slive.New(slive.Config{Instance: "bench", Exec: bt.Exec}, bt.Strategy, slive.NewPaper("p", bt.Exec), slive.TapeData{Tape: tape}, j)
			if err != nil {
				b.Fatal(err)
			}
			if err := slive.Replay(ctx, d, slive.TapeData{Tape: tape}); err != nil {
				b.Fatal(err)
			}
			done()
		}
	}
	b.Run("live-memjournal", func(b *testing.B) {
		run(b, func() (slive.Journal, func()) { return &slive.MemJournal{}, func() {} })
	})
	b.Run("live-duckdb", func(b *testing.B) {
		run(b, func() (slive.Journal, func()) {
			j, err := OpenJournal("")
			if err != nil {
				b.Fatal(err)
			}
			if err := j.Use(ctx, Run{ID: "bench", Strategy: "wheel", Broker: "paper"}); err != nil {
				b.Fatal(err)
			}
			return j, func() { j.Close() }
		})
	})
}

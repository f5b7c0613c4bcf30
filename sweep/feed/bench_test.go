package feed_test

import (
	"context"
	"os"
	"testing"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
)

// BenchmarkWheelCell runs one wheel cell with the defaults on SPY
// 2023-01-03..2024-12-31 of the market DB named by $SWEEP_BENCH_DB (the
// spy-5y preset's two years, see BENCHMARKS.md): the engine's cost per cell,
// the tape loaded once outside the timer.
func BenchmarkWheelCell(b *testing.B) {
	tp := benchTape(b)
	b.ReportAllocs()
	for b.Loop() {
		w, err := strategy.Build("wheel", nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := sim.Run(tp, w.Strategy, w.Exec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWheelCells runs 16 wheel cells (delta_min and dte_min varied) on the
// tape of BenchmarkWheelCell, one after another and in lockstep (sim.RunLockstep:
// every cell steps a day before any steps the next).
func BenchmarkWheelCells(b *testing.B) {
	tp := benchTape(b)
	build := func() ([]sim.Strategy, []sim.Config) {
		var ss []sim.Strategy
		var cs []sim.Config
		for _, dm := range []string{"0.16", "0.20", "0.24", "0.28"} {
			for _, dte := range []string{"21", "25", "29", "33"} {
				w, err := strategy.Build("wheel", map[string]string{"delta_min": dm, "dte_min": dte})
				if err != nil {
					b.Fatal(err)
				}
				ss, cs = append(ss, w.Strategy), append(cs, w.Exec)
			}
		}
		return ss, cs
	}
	b.Run("sequential", func(b *testing.B) {
		for b.Loop() {
			ss, cs := build()
			for k := range ss {
				if _, err := sim.Run(tp, ss[k], cs[k]); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("lockstep", func(b *testing.B) {
		for b.Loop() {
			ss, cs := build()
			_, errs := sim.RunLockstep(tp, ss, cs)
			for _, err := range errs {
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// benchTape loads SPY 2023-01-03..2024-12-31 from the market DB named by
// $SWEEP_BENCH_DB, or skips the benchmark.
func benchTape(b *testing.B) *sim.Tape {
	b.Helper()
	db := os.Getenv("SWEEP_BENCH_DB")
	if db == "" {
		b.Skip("set SWEEP_BENCH_DB to a market DB with SPY 2023-2024")
	}
	st, err := market.OpenReadOnly(db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	tp, _, err := feed.Load(context.Background(), st, []string{"SPY"}, day("2023-01-03"), day("2024-12-31"), feed.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	return tp
}

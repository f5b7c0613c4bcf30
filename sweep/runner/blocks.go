package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/results"
)

// stream runs the cells of chunk ch on their partition's window streamed in
// blocks of opt.StreamDays trading days (Options.StreamDays): every cell is a
// sim.Backtest advanced through each block on opt.Workers goroutines while
// the next block loads, so at most two blocks are held. Finished cells go to
// done, as the workers send theirs.
func stream(ctx context.Context, st *market.Store, run results.Run, ch chunk, opt Options, stats *Stats, mu *sync.Mutex,
	done chan<- *results.Encoded, writerDone <-chan struct{}) error {
	if len(ch.cells) == 0 {
		return nil
	}
	c0 := ch.cells[0]
	name := c0.Partition()
	t0 := time.Now()
	s, err := feed.OpenStream(ctx, st, c0.Spec.Symbols, c0.Spec.From, c0.Spec.To, opt.Model,
		feed.StreamOptions{Days: opt.StreamDays, Parallel: opt.Workers})
	if err != nil {
		return fmt.Errorf("partition %s: %w", name, err)
	}
	runs := make([]*sim.Backtest, len(ch.cells))
	for i, c := range ch.cells {
		b, err := strategy.Build(c.Spec.Strategy, c.Set)
		if err != nil {
			return fmt.Errorf("%s: %w", c.Label(), err)
		}
		if runs[i], err = sim.NewBacktest(b.Strategy, b.Exec); err != nil {
			return fmt.Errorf("%s: %w", c.Label(), err)
		}
	}
	blocks := make(chan *sim.Tape)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { // loads block k+1 while the cells run block k
		defer close(blocks)
		for {
			t, err := s.Next(gctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("partition %s: %w", name, err)
			}
			select {
			case blocks <- t:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
	})
	var simTime atomic.Int64 // nanoseconds, summed over the cells
	g.Go(func() error {
		for t := range blocks {
			var adv errgroup.Group
			adv.SetLimit(opt.Workers)
			for i := range runs {
				adv.Go(func() error {
					t1 := time.Now()
					err := runs[i].Advance(t)
					simTime.Add(int64(time.Since(t1)))
					if err != nil {
						return fmt.Errorf("%s: %w", ch.cells[i].Label(), err)
					}
					return nil
				})
			}
			if err := adv.Wait(); err != nil {
				return err
			}
			if err := gctx.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	ls := s.Stats()
	mu.Lock()
	stats.Partitions++
	stats.Contracts += ls.Contracts
	stats.LoadTime += ls.LoadTime
	stats.GreeksTime += ls.GreeksTime
	stats.SimTime += time.Duration(simTime.Load())
	mu.Unlock()
	fmt.Fprintf(opt.Log, "partition %s: %d days streamed in blocks of %d, %d contracts in %v; %d cells\n", name, ls.Days,
		opt.StreamDays, ls.Contracts, time.Since(t0).Round(time.Millisecond), len(ch.cells))
	for i, c := range ch.cells {
		res, err := runs[i].Finish()
		r, err := cellResult(c, res, err, run.ID, opt.Detail)
		if err != nil {
			return err
		}
		select { // a finished cell is kept even when the run is stopping
		case done <- r:
		case <-writerDone:
			return nil // the writer failed: its error is the run's
		}
	}
	return nil
}

package runner

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/metrics"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/cell"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/results"
)

// Sink is where finished cells go: the results DB (DBSink) or Parquet parts
// (PartSink).
type Sink interface {
	// Keys returns the keys of the cells already stored, which a run skips.
	Keys(ctx context.Context) (map[string]bool, error)
	// Write stores a batch of cells of run, all or none. It owns the
	// batch's record batches and releases them.
	Write(ctx context.Context, run results.Run, batch []*results.Encoded) error
	// Link records that cells already stored belong to run too.
	Link(ctx context.Context, run results.Run, keys []string) error
}

// Progress is told as cells are stored (Add) or skipped as already stored
// (Skip). The progress package's Reporter is one.
type Progress interface {
	Add(n int)
	Skip(n int)
}

// Options are a run's settings. The zero value of a field means its default.
type Options struct {
	Workers       int          // cells run at once; default all cores
	MaxPartitions int          // tapes resident at once, which bounds memory; default 2
	BatchSize     int          // most cells per write transaction; default 1024
	Writers       int          // write transactions at once; default 1 (DuckDB commits one at a time)
	Force         bool         // recompute cells already stored
	Detail        Detail       // what is stored of each cell; default DetailTrades
	Cache         feed.Cache   // tape cache (greeks included); the zero value caches nothing
	Model         feed.Options // data and greeks settings
	Progress      Progress     // may be nil
	Log           io.Writer    // a line per partition loaded; may be nil

	// BatchRows is the rows (trades, equity, ...) from which a batch ends
	// once it is aligned (results.Tally.Aligned: its largest table fills
	// DuckDB's row groups, which the database writes once rather than
	// through its log and again at a checkpoint), and at twice as many in
	// any case; default 250,000.
	BatchRows int
	// FlushEvery is how often a batch that is not full is written anyway,
	// once it is aligned; default 2s. A batch that is not aligned waits
	// until MaxWait has passed since its first cell.
	FlushEvery time.Duration
	// MaxWait is the longest a finished cell waits to be written; default
	// 10s. Progress counts cells written: it lags a slow grid by no more.
	MaxWait time.Duration
	// Lockstep is how many of a partition's cells one worker runs together,
	// a day at a time across them (cell.RunLockstep), so that each day's
	// chains are read from memory once for the group; 1 runs cells one at a
	// time. The default (0) is up to 16, fewer when that would leave a worker
	// without work. Results do not depend on it.
	Lockstep int

	// StreamDays, when positive, streams each partition's window in blocks
	// of this many trading days instead of loading its whole tape: the
	// cells of a chunk advance through the blocks together, so memory is
	// bounded by the symbols and the block, not by the window (universe
	// scans). Streamed windows skip the cache and have no intraday steps.
	StreamDays int
}

// WithDefaults returns o with every zero field set to its default.
func (o Options) WithDefaults() Options {
	o.defaults()
	return o
}

func (o *Options) defaults() {
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	if o.MaxPartitions <= 0 {
		o.MaxPartitions = 2
	}
	if o.Detail == "" {
		o.Detail = DetailTrades
	}
	if o.Writers <= 0 {
		o.Writers = 1
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 1024
	}
	if o.BatchRows <= 0 {
		o.BatchRows = 250_000
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = 2 * time.Second
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 10 * time.Second
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// Detail says what a run stores of each cell.
type Detail string

// Details.
const (
	// DetailMetrics stores the cell, its metrics and its daily equity: for
	// sweeps too large to keep every trade.
	DetailMetrics Detail = "metrics"
	// DetailTrades stores the cell, its metrics, trades and daily equity:
	// what comparisons and reports need, at a fraction of the cost.
	DetailTrades Detail = "trades"
	// DetailFull also stores the book's events (fills, rejections, brackets,
	// assignments) and the strategy's decision log, which can be thousands of
	// rows a cell.
	DetailFull Detail = "full"
)

// ParseDetail checks a detail level's name.
func ParseDetail(s string) (Detail, error) {
	switch d := Detail(s); d {
	case DetailMetrics, DetailTrades, DetailFull:
		return d, nil
	}
	return "", fmt.Errorf("detail %q: want metrics, trades or full", s)
}

// Stats describes what a run did.
type Stats struct {
	Cells      int // cells asked for
	Skipped    int // already stored, or named twice by the grid
	Ran        int // computed and stored
	Partitions int // tapes loaded
	CacheHits  int // of which from the cache
	Contracts  int // contract-days loaded
	LoadTime   time.Duration
	GreeksTime time.Duration
	SimTime    time.Duration // summed over workers
	WriteTime  time.Duration
	Elapsed    time.Duration
}

// partition is one tape, shared by the cells that read it. It is released
// (its tape let go and its slot in MaxPartitions freed) when the loader is
// done with it and every cell sent on it has run.
type partition struct {
	name     string
	tape     *sim.Tape
	refs     atomic.Int32
	released func()
}

func (p *partition) release() {
	if p.refs.Add(-1) == 0 {
		p.tape = nil // let the collector have it
		p.released()
	}
}

// chunk is some of a partition's cells to run, in order; the last chunk of
// a partition has last set. total is the partition's size, for the log.
type chunk struct {
	cells []*Cell
	total int
	last  bool
}

// job is a group of cells to run on their partition's tape, in lockstep
// (cell.RunLockstep): a day's chains are read once for the group.
type job struct {
	cells []*Cell
	p     *partition
}

// maxGroup is the most cells run in lockstep: enough that a day's chains are
// read from memory once for many cells, few enough that a group's results
// stay small.
const maxGroup = 16

// groupSize is the cells of a chunk of n to run in lockstep: lockstep when
// set, else up to maxGroup but small enough that each of workers gets several
// groups, so that a small grid still uses every core.
func groupSize(n, workers, lockstep int) int {
	if lockstep > 0 {
		return lockstep
	}
	return max(1, min(maxGroup, n/(4*max(workers, 1))))
}

// Execute runs cells of run on the market store st and writes them to sink.
// Cells already in the sink are skipped (linked to run) unless opt.Force.
// Cancelling ctx stops the run cleanly: cells that finished are written
// before Execute returns ctx's error. ExecuteSource runs cells without
// holding them all.
func Execute(ctx context.Context, st *market.Store, run results.Run, cells []Cell, sink Sink, opt Options) (Stats, error) {
	opt.defaults()
	start := time.Now()
	stats := Stats{Cells: len(cells)}
	todo, err := pending(ctx, run, cells, sink, opt, &stats)
	if err != nil {
		return stats, err
	}
	parts := partitions(todo)
	err = execute(ctx, st, run, sink, opt, &stats, func(context.Context) (chunk, bool, error) {
		if len(parts) == 0 {
			return chunk{}, false, nil
		}
		ch := chunk{cells: parts[0], total: len(parts[0]), last: true}
		parts = parts[1:]
		return ch, true, nil
	})
	stats.Elapsed = time.Since(start)
	return stats, err
}

// execute runs the chunks that next returns, in order, until it returns
// false: it loads each partition's tape (at most opt.MaxPartitions at once)
// when its first cell to run arrives, runs the cells on opt.Workers workers
// and writes them to sink.
func execute(ctx context.Context, st *market.Store, run results.Run, sink Sink, opt Options, stats *Stats,
	next func(context.Context) (chunk, bool, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	x := &execution{st: st, run: run, opt: opt, stats: stats,
		jobs: make(chan job), done: make(chan *results.Encoded, 2*opt.Workers), writerDone: make(chan struct{}),
		sem: semaphore.NewWeighted(int64(opt.MaxPartitions))}
	g.Go(func() error {
		defer close(x.jobs)
		return x.feed(gctx, next)
	})
	var workers sync.WaitGroup
	for range opt.Workers {
		workers.Add(1)
		g.Go(func() error {
			defer workers.Done()
			return x.work(gctx)
		})
	}
	g.Go(func() error {
		workers.Wait()
		close(x.done)
		return nil
	})
	g.Go(func() error {
		defer close(x.writerDone)
		return write(ctx, run, sink, x.done, opt, stats)
	})
	err := g.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// execution is what the goroutines of one execute share: the feeder that
// loads partitions and hands out cells, the workers that run them and the
// writer that stores them.
type execution struct {
	st         *market.Store
	run        results.Run
	opt        Options
	stats      *Stats
	mu         sync.Mutex // guards stats' load and sim fields
	jobs       chan job
	done       chan *results.Encoded // finished cells, to the writer
	writerDone chan struct{}         // closed when the writer returns
	sem        *semaphore.Weighted   // partitions loaded at once
}

// feed loads each chunk's partition (once, at its first chunk) and sends its
// cells to the workers, until next has no more.
func (x *execution) feed(ctx context.Context, next func(context.Context) (chunk, bool, error)) error {
	var p *partition
	for {
		ch, ok, err := next(ctx)
		if err != nil || !ok {
			return err
		}
		if x.opt.StreamDays > 0 && x.opt.Model.IntradayEvery == 0 {
			if err := stream(ctx, x.st, x.run, ch, x.opt, x.stats, &x.mu, x.done, x.writerDone); err != nil {
				return err
			}
			continue
		}
		if len(ch.cells) > 0 && p == nil {
			total := ch.total // a large partition: the cells still to come are not yet planned
			if ch.last {
				total = len(ch.cells)
			}
			if p, err = x.load(ctx, ch.cells[0], total, ch.last); err != nil {
				return err
			}
		}
		g := groupSize(len(ch.cells), x.opt.Workers, x.opt.Lockstep)
		for lo := 0; lo < len(ch.cells); lo += g {
			p.refs.Add(1)
			select {
			case x.jobs <- job{ch.cells[lo:min(lo+g, len(ch.cells))], p}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if ch.last && p != nil {
			p.release()
			p = nil
		}
	}
}

// load loads the tape of cell c's partition, of total cells (up to total
// when not last), once a partition slot is free.
func (x *execution) load(ctx context.Context, c *Cell, total int, last bool) (*partition, error) {
	if err := x.sem.Acquire(ctx, 1); err != nil {
		return nil, err
	}
	p := &partition{name: c.Partition(), released: func() { x.sem.Release(1) }}
	p.refs.Store(1) // the loader's, until the partition's last chunk
	t0 := time.Now()
	tape, ls, hit, err := feed.LoadCached(ctx, x.opt.Cache, x.st, c.Spec.Fingerprint, c.Spec.Symbols,
		c.Spec.From, c.Spec.To, x.opt.Model)
	if err != nil {
		return nil, fmt.Errorf("partition %s: %w", p.name, err)
	}
	x.mu.Lock()
	x.stats.Partitions++
	x.stats.Contracts += ls.Contracts
	x.stats.LoadTime += time.Since(t0) - ls.GreeksTime
	x.stats.GreeksTime += ls.GreeksTime
	if hit {
		x.stats.CacheHits++
	}
	x.mu.Unlock()
	how := "loaded"
	if hit {
		how = "from cache"
	}
	of := fmt.Sprintf("%d cells", total)
	if !last {
		of = fmt.Sprintf("up to %d cells", total)
	}
	fmt.Fprintf(x.opt.Log, "partition %s: %d days, %d contracts %s in %v; %s\n", p.name, ls.Days, ls.Contracts,
		how, time.Since(t0).Round(time.Millisecond), of)
	p.tape = tape
	return p, nil
}

// work runs cells from jobs and sends their records to the writer.
func (x *execution) work(ctx context.Context) error {
	for j := range x.jobs {
		if err := ctx.Err(); err != nil {
			return err
		}
		t0 := time.Now()
		rs, err := runCells(j.cells, j.p.tape, x.run.ID, x.opt.Detail)
		x.mu.Lock()
		x.stats.SimTime += time.Since(t0)
		x.mu.Unlock()
		j.p.release()
		if err != nil {
			return err
		}
		for _, r := range rs {
			select { // a finished cell is kept even when the run is stopping
			case x.done <- r:
			case <-x.writerDone:
				return nil // the writer failed: its error is the run's
			}
		}
	}
	return nil
}

// pending returns the cells not yet in the sink, linking those that are to
// run.
func pending(ctx context.Context, run results.Run, cells []Cell, sink Sink, opt Options, stats *Stats) ([]*Cell, error) {
	have := map[string]bool{}
	if !opt.Force {
		var err error
		if have, err = sink.Keys(ctx); err != nil {
			return nil, err
		}
	}
	var todo []*Cell
	var skipped []string
	seen := make(map[string]bool, len(cells))
	for i := range cells {
		c := &cells[i]
		switch {
		case seen[c.Key]: // the grid names one cell twice: run it once
			stats.Skipped++
		case have[c.Key]:
			skipped = append(skipped, c.Key)
		default:
			todo = append(todo, c)
		}
		seen[c.Key] = true
	}
	if len(skipped) > 0 {
		if err := sink.Link(ctx, run, skipped); err != nil {
			return nil, err
		}
	}
	stats.Skipped += len(skipped)
	if opt.Progress != nil && stats.Skipped > 0 {
		opt.Progress.Skip(stats.Skipped)
	}
	return todo, nil
}

// partitions groups cells by the data they read, in order of first use.
func partitions(cells []*Cell) [][]*Cell {
	var out [][]*Cell
	index := map[string]int{}
	for _, c := range cells {
		name := c.Partition()
		k, ok := index[name]
		if !ok {
			k = len(out)
			index[name] = k
			out = append(out, nil)
		}
		out[k] = append(out[k], c)
	}
	return out
}

// runCell backtests c on tape. The strategy is built afresh: strategies hold
// state, tapes do not.
func runCell(c *Cell, tape *sim.Tape, runID string, detail Detail) (*results.Encoded, error) {
	b, err := strategy.Build(c.Spec.Strategy, c.Set)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Label(), err)
	}
	res, m, err := cell.Run(tape, b)
	return record(c, res, m, err, runID, detail)
}

// runCells runs a group of cells on tape in lockstep and returns their
// records, in order; the first cell that fails (in the group's order) fails
// the group.
func runCells(cs []*Cell, tape *sim.Tape, runID string, detail Detail) ([]*results.Encoded, error) {
	if len(cs) == 1 {
		r, err := runCell(cs[0], tape, runID, detail)
		return []*results.Encoded{r}, err
	}
	bs := make([]*strategy.Built, len(cs))
	for k, c := range cs {
		b, err := strategy.Build(c.Spec.Strategy, c.Set)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Label(), err)
		}
		bs[k] = b
	}
	res, ms, errs := cell.RunLockstep(tape, bs)
	out := make([]*results.Encoded, len(cs))
	for k, c := range cs {
		r, err := record(c, res[k], ms[k], errs[k], runID, detail)
		if err != nil {
			return nil, err
		}
		res[k] = nil // encoded: let the collector have it
		out[k] = r
	}
	return out, nil
}

// cellResult is the record of cell c from a streamed run's result and error.
func cellResult(c *Cell, res *sim.Result, err error, runID string, detail Detail) (*results.Encoded, error) {
	var m metrics.Summary
	if err == nil {
		if m, err = cell.Metrics(res); err != nil {
			err = fmt.Errorf("metrics: %w", err)
		}
	}
	return record(c, res, m, err, runID, detail)
}

// record is the record of cell c from its result, metrics and error, encoded
// for the writer by the goroutine that ran the cell.
func record(c *Cell, res *sim.Result, m metrics.Summary, err error, runID string, detail Detail) (*results.Encoded, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Label(), err)
	}
	if detail != DetailFull {
		res.Events, res.Notes = nil, nil
	}
	rc := results.Cell{Key: c.Key, RunID: runID, Strategy: c.Spec.Strategy, Symbols: c.Spec.Symbols,
		From: c.Spec.From, To: c.Spec.To, Seed: c.Seed, Params: c.Spec.Params, ParamTypes: c.Types}
	e, err := results.Encode(results.CellResult{Cell: rc, Result: res, Metrics: m, NoTrades: detail == DetailMetrics})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Label(), err)
	}
	return e, nil
}

// write stores finished cells in batches until done closes, with
// opt.Writers transactions at once. It writes with a context that ignores
// cancellation, so that Ctrl-C keeps what finished.
func write(ctx context.Context, run results.Run, sink Sink, done <-chan *results.Encoded, opt Options, stats *Stats) error {
	wctx := context.WithoutCancel(ctx)
	batches := make(chan []*results.Encoded)
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(wctx)
	for range opt.Writers {
		g.Go(func() error {
			for b := range batches {
				t0 := time.Now()
				if err := sink.Write(wctx, run, b); err != nil {
					return err
				}
				mu.Lock()
				stats.WriteTime += time.Since(t0)
				stats.Ran += len(b)
				mu.Unlock()
				if opt.Progress != nil {
					opt.Progress.Add(len(b))
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(batches)
		return batch(gctx, done, batches, opt)
	})
	return g.Wait()
}

// batch groups finished cells into batches until done closes or a writer
// fails (ctx is done). A batch is sent when it holds opt.BatchSize cells, or
// opt.BatchRows rows and is aligned (results.Tally.Aligned), or twice
// opt.BatchRows rows; every opt.FlushEvery, when it is aligned or its first
// cell has waited opt.MaxWait. Alignment costs a batch a few more cells and
// spares DuckDB the rewrite of a small last row group at the next checkpoint.
// Cells left unsent when ctx is done are dropped: the run failed.
func batch(ctx context.Context, done <-chan *results.Encoded, out chan<- []*results.Encoded, opt Options) error {
	var (
		b     []*results.Encoded
		tally results.Tally
		first time.Time // when b's first cell arrived
	)
	send := func() error {
		if len(b) == 0 {
			return nil
		}
		select {
		case out <- b:
			b = nil
			tally.Reset()
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	tick := time.NewTicker(opt.FlushEvery)
	defer tick.Stop()
	for {
		select {
		case r, ok := <-done:
			if !ok {
				return send()
			}
			if len(b) == 0 {
				first = time.Now()
			}
			b = append(b, r)
			tally.Add(r)
			full := tally.Rows() >= opt.BatchRows && tally.Aligned() || tally.Rows() >= 2*opt.BatchRows
			if len(b) >= opt.BatchSize || full {
				if err := send(); err != nil {
					return err
				}
			}
		case <-tick.C:
			if !tally.Aligned() && time.Since(first) < opt.MaxWait {
				continue
			}
			if err := send(); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sweep/results"
)

// ShardSpec is the slice of a grid's cells one machine of a cluster run runs:
// the I-th of N stable contiguous slices (0 ≤ I < N), written as Parquet
// parts under Parts (default: parts/<grid name> next to the results DB).
type ShardSpec struct {
	I, N  int
	Parts string
}

// Observer is told what a run does, as it does it, so that a caller can
// report it; any field may be nil.
type Observer struct {
	// Pruned is told of cells of an earlier pass of the run that it
	// unlinked (it keeps one cell per grid point).
	Pruned func(Pruned)
	// Ran is told of the run's pass over its cells when it ends, whether
	// or not it failed; for a walk-forward grid, before the out-of-sample
	// step.
	Ran func(Stats)
	// OutOfSample is told of a walk-forward grid's out-of-sample run (its
	// name and statistics) and its folds.
	OutOfSample func(name string, st Stats, folds []results.FoldRow)
}

// RunConfig says how Prepared.Run runs the grid.
type RunConfig struct {
	Options
	Shard    *ShardSpec // nil: every cell, into the results DB
	Observer Observer
	Best     int // how many best cells (by Sharpe ratio) Report.Best lists
}

// BestCell is one of a run's best cells: its metrics and, when found among
// the grid's cells, the cell.
type BestCell struct {
	results.Ranked
	Cell *Cell // nil if the grid no longer plans it
}

// Report is what Prepared.Run did.
type Report struct {
	RunID string
	Stats Stats
	Folds []results.FoldRow // a walk-forward grid's folds
	// Best are the run's best cells, best first (RunConfig.Best of them;
	// none for a shard); BestErr is why they could not be read.
	Best    []BestCell
	BestErr error
}

// Source returns the cells a run with shard sh runs (all of them when sh is
// nil), planned on demand.
func (p *Prepared) Source(sh *ShardSpec) Source {
	if sh == nil {
		return p.Planner
	}
	return ShardOf(p.Planner, sh.I, sh.N)
}

// Run runs the grid's cells (those of cfg.Shard, if set) as run RunID(grid)
// and records the run. Without a shard the cells go to the results DB: cells
// of an earlier pass the grid no longer plans are unlinked from the run, a
// walk-forward grid's out-of-sample step runs after, and the run's status is
// recorded whatever happens (see Status). A shard writes Parquet parts; its
// walk-forward step runs after "sweep merge". The report is returned with
// the error when the cells ran.
func (p *Prepared) Run(ctx context.Context, cfg RunConfig) (*Report, error) {
	g := p.Grid
	rep := &Report{RunID: RunID(g)}
	run := results.Run{ID: rep.RunID, Kind: "sweep", Name: g.Name, Config: g.Text, EngineVersion: sim.Version,
		DataFingerprint: p.Fingerprint, MarketDB: p.Data, Started: time.Now().UTC()}
	cfg.Model = p.Model
	cells := p.Source(cfg.Shard)
	if cfg.Shard != nil {
		var err error
		rep.Stats, err = p.runShard(ctx, run, cells, cfg)
		return rep, err
	}
	db, err := results.Open(p.Out)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.BeginRun(ctx, run); err != nil {
		return nil, err
	}
	pruned, err := p.prune(ctx, db, run.ID)
	if err != nil {
		return nil, err
	}
	if pruned.Cells > 0 && cfg.Observer.Pruned != nil {
		cfg.Observer.Pruned(pruned)
	}
	// The writer gets the cores the workers leave, one at least.
	if err := db.LimitThreads(max(1, runtime.NumCPU()-cfg.Options.WithDefaults().Workers)); err != nil {
		return nil, err
	}
	rep.Stats, err = ExecuteSource(ctx, p.Store, run, cells, DBSink{DB: db}, cfg.Options)
	if rerr := db.LimitThreads(0); rerr != nil {
		err = errors.Join(err, rerr)
	}
	if cfg.Observer.Ran != nil {
		cfg.Observer.Ran(rep.Stats)
	}
	if err == nil && g.WalkForward != nil {
		rep.Folds, err = p.walkForward(ctx, db, run, cfg)
	}
	if ferr := db.FinishRun(context.WithoutCancel(ctx), run.ID, time.Now().UTC(), Status(err)); ferr != nil {
		err = errors.Join(err, ferr)
	}
	if err == nil && cfg.Best > 0 {
		rep.Best, rep.BestErr = p.best(ctx, db, run.ID, cfg.Best)
	}
	return rep, err
}

// runShard runs a shard's cells into Parquet parts.
func (p *Prepared) runShard(ctx context.Context, run results.Run, cells Source, cfg RunConfig) (Stats, error) {
	dir := cfg.Shard.Parts
	if dir == "" {
		dir = filepath.Join(filepath.Dir(p.Out), "parts", p.Grid.Name)
	}
	pw, err := results.NewPartWriter(filepath.Join(dir, fmt.Sprintf("shard-%04d-of-%04d", cfg.Shard.I, cfg.Shard.N)))
	if err != nil {
		return Stats{}, err
	}
	st, err := ExecuteSource(ctx, p.Store, run, cells, PartSink{W: pw}, cfg.Options)
	// A last part, with no cells, holds the shard's final status: the merged
	// run is done once every shard's latest part says so.
	fin := run
	fin.Status, fin.Finished = Status(err), time.Now().UTC()
	if werr := pw.Write(context.WithoutCancel(ctx), fin, nil); werr != nil {
		err = errors.Join(err, werr)
	}
	if err == nil && p.Grid.WalkForward != nil && cfg.Log != nil {
		fmt.Fprintf(cfg.Log, "walk-forward: the out-of-sample step runs after `sweep merge`, by running %s again without --shard\n", p.Grid.Path)
	}
	if cfg.Observer.Ran != nil {
		cfg.Observer.Ran(st)
	}
	return st, err
}

// walkForward runs the out-of-sample step of a walk-forward grid as run
// <run id>-oos.
func (p *Prepared) walkForward(ctx context.Context, db *results.DB, run results.Run, cfg RunConfig) ([]results.FoldRow, error) {
	oos := run
	oos.ID, oos.Kind, oos.Name = run.ID+"-oos", "walkforward", run.Name+" out-of-sample"
	oos.Started = time.Now().UTC()
	if err := db.BeginRun(ctx, oos); err != nil {
		return nil, err
	}
	opt := cfg.Options
	opt.Progress = nil
	st, rows, err := WalkForwardSource(ctx, p.Store, p.Grid, p.Planner, db, oos, opt)
	if ferr := db.FinishRun(context.WithoutCancel(ctx), oos.ID, time.Now().UTC(), Status(err)); ferr != nil {
		err = errors.Join(err, ferr)
	}
	if err != nil {
		return nil, err
	}
	if cfg.Observer.OutOfSample != nil {
		cfg.Observer.OutOfSample(oos.Name, st, rows)
	}
	return rows, nil
}

// best returns the run's n best cells by Sharpe ratio among those that
// traded, each with its cell when the grid plans it.
func (p *Prepared) best(ctx context.Context, db *results.DB, runID string, n int) ([]BestCell, error) {
	top, err := db.BestBySharpe(ctx, runID, n)
	if err != nil {
		return nil, err
	}
	byKey := make(map[string]*Cell, len(top))
	for _, b := range top {
		byKey[b.Key] = nil
	}
	for i, found := 0, 0; i < p.Planner.Len() && found < len(byKey); i++ { // the cells are not held: find these few
		c, err := p.Planner.Cell(i)
		if err != nil {
			break
		}
		if q, ok := byKey[c.Key]; ok && q == nil {
			byKey[c.Key] = &c
			found++
		}
	}
	out := make([]BestCell, len(top))
	for i, b := range top {
		out[i] = BestCell{Ranked: b, Cell: byKey[b.Key]}
	}
	return out, nil
}

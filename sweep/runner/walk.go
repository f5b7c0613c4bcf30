package runner

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sweep/grid"
	"github.com/optsweep/sweep/sweep/results"
)

// fold is one walk-forward step of one symbol set: its train cells.
type fold struct {
	index int
	train []*Cell
}

// WalkForward completes a walk-forward grid whose train cells are in db: for
// each symbol set and fold it picks the train cell with the best value of the
// grid's metric (ties go to the earlier combination), reruns that cell's
// parameters on the fold's test window as a cell of run oos, and records the
// fold in the walk_forward table. Train cells without a value of the metric
// (a Sharpe ratio of a run without trades, say) cannot be chosen; a fold
// without any is reported and left out.
func WalkForward(ctx context.Context, st *market.Store, g *grid.Grid, train []Cell, db *results.DB, oos results.Run, opt Options) (Stats, []results.FoldRow, error) {
	folds := groupFolds(train)
	return walkForward(ctx, st, g, func() (*fold, error) {
		if len(folds) == 0 {
			return nil, nil
		}
		f := folds[0]
		folds = folds[1:]
		return f, nil
	}, db, oos, opt)
}

// WalkForwardSource is WalkForward on the train cells of src (a grid's
// Planner), planned a fold at a time: a fold is one partition, a symbol set
// on a fold's train window.
func WalkForwardSource(ctx context.Context, st *market.Store, g *grid.Grid, src Source, db *results.DB, oos results.Run, opt Options) (Stats, []results.FoldRow, error) {
	next := 0
	return walkForward(ctx, st, g, func() (*fold, error) {
		for next < src.Len() {
			end := src.PartitionEnd(next)
			f := &fold{index: -1}
			for i := next; i < end; i++ {
				c, err := src.Cell(i)
				if err != nil {
					return nil, err
				}
				f.index = c.Fold
				f.train = append(f.train, &c)
			}
			next = end
			if f.index >= 0 {
				return f, nil
			}
		}
		return nil, nil
	}, db, oos, opt)
}

func walkForward(ctx context.Context, st *market.Store, g *grid.Grid, nextFold func() (*fold, error), db *results.DB, oos results.Run, opt Options) (Stats, []results.FoldRow, error) {
	wf := g.WalkForward
	if wf == nil {
		return Stats{}, nil, fmt.Errorf("%s: not a walk-forward grid", g.Path)
	}
	opt.defaults()
	fingerprint := partitionFingerprints(ctx, st, opt.Model)
	var tests []Cell
	var rows []results.FoldRow
	for {
		f, err := nextFold()
		if err != nil {
			return Stats{}, nil, err
		}
		if f == nil {
			break
		}
		keys := make([]string, len(f.train))
		for i, c := range f.train {
			keys[i] = c.Key
		}
		vals, err := db.Metric(ctx, keys, wf.Metric)
		if err != nil {
			return Stats{}, nil, err
		}
		best := pick(f.train, vals, wf.Maximize)
		if best == nil {
			fmt.Fprintf(opt.Log, "walk-forward fold %d of %s: no train cell has a %s; fold skipped\n",
				f.index, strings.Join(f.train[0].Spec.Symbols, ","), wf.Metric)
			continue
		}
		w := wf.Folds[f.index].Test
		fp, err := fingerprint(best.Spec.Symbols, w)
		if err != nil {
			return Stats{}, nil, fmt.Errorf("%s: walk-forward fold %d: %w", g.Path, f.index, err)
		}
		tc, err := planOne(g.Strategy, best.Spec.Symbols, w, g.Combo(best.Combo), fp, opt.Model)
		if err != nil {
			return Stats{}, nil, fmt.Errorf("%s: walk-forward fold %d: %w", g.Path, f.index, err)
		}
		tc.Index, tc.Fold, tc.Combo = len(tests), f.index, best.Combo
		tests = append(tests, tc)
		rows = append(rows, results.FoldRow{RunID: oos.ID, Fold: f.index, Symbols: best.Spec.Symbols,
			TrainFrom: best.Spec.From, TrainTo: best.Spec.To, TestFrom: w.From, TestTo: w.To,
			Metric: wf.Metric, Goal: goal(wf.Maximize), TrainCellKey: best.Key, TrainValue: vals[best.Key],
			TestCellKey: tc.Key, TestValue: math.NaN(), Params: best.Set})
	}
	stats, err := Execute(ctx, st, oos, tests, DBSink{DB: db}, opt)
	if err != nil {
		return stats, nil, err
	}
	keys := make([]string, len(rows))
	for i := range rows {
		keys[i] = rows[i].TestCellKey
	}
	vals, err := db.Metric(ctx, keys, wf.Metric)
	if err != nil {
		return stats, nil, err
	}
	for i := range rows {
		if v, ok := vals[rows[i].TestCellKey]; ok {
			rows[i].TestValue = v
		}
	}
	return stats, rows, db.WriteFolds(ctx, rows)
}

func goal(maximize bool) string {
	if maximize {
		return "max"
	}
	return "min"
}

// groupFolds groups train cells by symbol set and fold, in order of first
// appearance.
func groupFolds(train []Cell) []*fold {
	var out []*fold
	index := map[string]*fold{}
	for i := range train {
		c := &train[i]
		if c.Fold < 0 {
			continue
		}
		k := fmt.Sprintf("%s|%d", strings.Join(c.Spec.Symbols, ","), c.Fold)
		f := index[k]
		if f == nil {
			f = &fold{index: c.Fold}
			index[k] = f
			out = append(out, f)
		}
		f.train = append(f.train, c)
	}
	return out
}

// pick returns the cell with the best value, the earliest on ties; nil when
// none has a value.
func pick(cells []*Cell, vals map[string]float64, maximize bool) *Cell {
	var best *Cell
	var bv float64
	for _, c := range cells {
		v, ok := vals[c.Key]
		if !ok {
			continue
		}
		if best == nil || (maximize && v > bv) || (!maximize && v < bv) {
			best, bv = c, v
		}
	}
	return best
}

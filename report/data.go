package report

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/optsweep/sweep/sim/metrics"
	"github.com/optsweep/sweep/sweep/results"
)

// Detail is everything the single-run report shows about one cell, as
// sweep/results reads it.
type Detail struct {
	Run    results.RunRow
	Cell   results.CellRow
	Series results.Series
	Trades []results.TradeRow
}

// ErrNotFound is returned when a run or cell id matches nothing: it is
// results.ErrNotFound.
var ErrNotFound = results.ErrNotFound

// Resolve finds the cell a single-run report shows for id: the cell of a
// backtest run, the best cell of a sweep run by metric (highest, or lowest
// when lower is better), or a cell key or a prefix of one.
func Resolve(ctx context.Context, db *results.DB, id, metric string) (Detail, error) {
	var d Detail
	run, err := db.ReadRun(ctx, id)
	switch {
	case err == nil:
		cells, err := db.ReadRunCells(ctx, id)
		if err != nil {
			return d, err
		}
		best := Best(cells, metric)
		if best < 0 {
			return d, fmt.Errorf("run %q has no cells with metrics", id)
		}
		d.Run, d.Cell = run, cells[best]
	case errors.Is(err, ErrNotFound):
		c, cerr := db.ReadCell(ctx, id)
		if cerr != nil {
			return d, fmt.Errorf("%q is neither a run nor a cell: %w", id, cerr)
		}
		if d.Run, err = db.ReadRun(ctx, c.RunID); err != nil {
			return d, err
		}
		d.Cell = c
	default:
		return d, err
	}
	if d.Series, err = db.ReadSeries(ctx, d.Cell.Key); err != nil {
		return d, err
	}
	if d.Trades, err = db.ReadTrades(ctx, d.Cell.Key); err != nil {
		return d, err
	}
	return d, nil
}

// lowerIsBetter reports whether a smaller value of metric is better (see
// sim/metrics.Column); false for a name that is no metric.
func lowerIsBetter(metric string) bool {
	c, _ := metrics.LookupColumn(metric)
	return c.LowerIsBetter
}

// Best returns the index of the best cell by metric (ties go to the first in
// the slice), or -1 when no cell has a finite value. Lower is better for
// drawdowns (stored as positive fractions), durations, fees and dispersion;
// higher for everything else.
func Best(cells []results.CellRow, metric string) int {
	best, sign := -1, 1.0
	if lowerIsBetter(metric) {
		sign = -1
	}
	for i := range cells {
		v := cells[i].Metric(metric)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if best < 0 || sign*v > sign*cells[best].Metric(metric) {
			best = i
		}
	}
	return best
}

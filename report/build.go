package report

import (
	"context"
	"fmt"
	"io"

	"github.com/optsweep/sweep/sweep/results"
)

// DefaultMetric is the metric a sweep is ranked by unless told otherwise.
const DefaultMetric = "sharpe"

// RunReport writes the single-run report of id (a backtest run, a sweep run's
// best cell by metric, or a cell key) read from db to w. dbName names the
// database in the report's footer.
func RunReport(ctx context.Context, db *results.DB, w io.Writer, dbName, id, metric string) error {
	d, err := Resolve(ctx, db, id, metric)
	if err != nil {
		return err
	}
	p, err := NewRunPage(&d)
	if err != nil {
		return fmt.Errorf("report of %s: %w", id, err)
	}
	if p.Why, err = LoadWhy(ctx, db, &d); err != nil {
		return err
	}
	return WriteRun(w, dbName, p)
}

// SweepReport writes the report of sweep run id, its cells ranked by metric.
func SweepReport(ctx context.Context, db *results.DB, w io.Writer, dbName, id, metric string) error {
	run, err := db.ReadRun(ctx, id)
	if err != nil {
		return err
	}
	cells, err := db.ReadRunCells(ctx, id)
	if err != nil {
		return err
	}
	if len(cells) == 0 {
		return fmt.Errorf("run %s has no cells", id)
	}
	folds, err := db.ReadFolds(ctx, id)
	if err != nil {
		return err
	}
	p, err := NewSweepPage(run, cells, metric, folds)
	if err != nil {
		return err
	}
	return WriteSweep(w, dbName, p)
}

// CompareReport writes the comparison of ids (each resolved as RunReport
// resolves its id).
func CompareReport(ctx context.Context, db *results.DB, w io.Writer, dbName string, ids []string, metric string) error {
	var runs []*Detail
	for _, id := range ids {
		d, err := Resolve(ctx, db, id, metric)
		if err != nil {
			return err
		}
		runs = append(runs, &d)
	}
	p, err := NewComparePage(runs)
	if err != nil {
		return err
	}
	return WriteCompare(w, dbName, p)
}

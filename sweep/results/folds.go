package results

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/optsweep/sweep/sim/metrics"
)

// FoldRow is one row of walk_forward: for a run, a fold and a symbol set, the
// cell chosen on the training window by a metric and the out-of-sample cell that
// reran its parameters on the test window.
type FoldRow struct {
	RunID   string   // the walk-forward run
	Fold    int      // fold number
	Symbols []string // the symbol set the fold was chosen for

	// TrainFrom, TrainTo, TestFrom and TestTo are the first and last dates of
	// the training and test windows (their calendar dates; zero is NULL).
	TrainFrom, TrainTo, TestFrom, TestTo time.Time

	Metric       string            // the cell_metrics column the choice ranked by
	Goal         string            // "max" or "min"
	TrainCellKey string            // the chosen cell of the training window
	TrainValue   float64           // its metric; NaN or ±Inf is NULL
	TestCellKey  string            // the cell rerunning its parameters on the test window
	TestValue    float64           // its metric; NaN or ±Inf is NULL
	Params       map[string]string // the chosen parameters as text
}

// WriteFolds writes rows into walk_forward in one transaction, each replacing a
// row with the same run, fold and symbols.
func (db *DB) WriteFolds(ctx context.Context, rows []FoldRow) error {
	if len(rows) == 0 {
		return nil
	}
	for i := range rows {
		if rows[i].RunID == "" {
			return fmt.Errorf("results: fold %d: empty run id", rows[i].Fold)
		}
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	err := db.withTx(ctx, func(t *tx) error {
		for i := range rows {
			r := &rows[i]
			symbols, params := jsonList(r.Symbols), jsonObject(r.Params)
			err := t.exec(`DELETE FROM walk_forward WHERE run_id = ? AND fold = ?
				AND symbols = from_json(?, '["VARCHAR"]')`, r.RunID, int64(r.Fold), symbols)
			if err != nil {
				return fmt.Errorf("run %s fold %d: delete: %w", r.RunID, r.Fold, err)
			}
			err = t.exec(`INSERT INTO walk_forward VALUES (?, ?, from_json(?, '["VARCHAR"]'), ?, ?, ?, ?,
				?, ?, ?, ?, ?, ?, ?)`, r.RunID, int64(r.Fold), symbols,
				date(r.TrainFrom), date(r.TrainTo), date(r.TestFrom), date(r.TestTo), r.Metric, r.Goal,
				r.TrainCellKey, num(r.TrainValue), r.TestCellKey, num(r.TestValue), params)
			if err != nil {
				return fmt.Errorf("run %s fold %d: insert: %w", r.RunID, r.Fold, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("results: write %d folds: %w", len(rows), err)
	}
	return nil
}

// jsonList returns the JSON text of a list of strings, [] for nil.
func jsonList(s []string) string {
	if s == nil {
		return "[]"
	}
	b, _ := json.Marshal(s) // strings cannot fail
	return string(b)
}

// jsonObject returns the JSON text of a map of strings, {} for nil.
func jsonObject(m map[string]string) string {
	if m == nil {
		return "{}"
	}
	b, _ := json.Marshal(m) // strings cannot fail
	return string(b)
}

// MetricColumns returns the names of the numeric (DOUBLE or BIGINT) columns of
// cell_metrics, the metrics Metric reads and a report ranks by: the names of
// sim/metrics.Columns.
func MetricColumns() []string { return metrics.ColumnNames(nil) }

// Metric returns the cell_metrics column metric (one of MetricColumns) of the
// cells keys, as float64 by key. Keys without a row and NULL values (a statistic
// that was undefined) are left out of the map.
func (db *DB) Metric(ctx context.Context, keys []string, metric string) (map[string]float64, error) {
	if !slices.Contains(MetricColumns(), metric) {
		return nil, fmt.Errorf("results: %q is not a metric (want one of %v)", metric, MetricColumns())
	}
	out := make(map[string]float64, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	// metric is one of a fixed list of column names: safe to write into the query.
	rows, err := db.db.QueryContext(ctx, `SELECT cell_key, `+metric+`::DOUBLE FROM cell_metrics
		WHERE cell_key = ANY(?) AND `+metric+` IS NOT NULL`, keys)
	if err != nil {
		return nil, fmt.Errorf("results: read %s: %w", metric, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v float64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("results: read %s: %w", metric, err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("results: read %s: %w", metric, err)
	}
	return out, nil
}

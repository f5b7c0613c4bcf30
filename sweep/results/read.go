package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/optsweep/sweep/sim"
)

// ErrNotFound is returned when a run, cell or scan id matches nothing.
var ErrNotFound = errors.New("not found")

// RunRow is a row of runs as read back, with the number of cells linked to
// the run. Finished is zero while the run is running or after a crash.
type RunRow struct {
	Run
	Cells int // cells linked to the run (run_cells)
}

// CellRow is a cell as read back: its identity and parameters (ParamTypes is
// left nil) with its row of cell_metrics.
type CellRow struct {
	Cell
	// Metrics holds the numeric columns of cell_metrics (MetricColumns) by
	// name; NaN where the statistic was undefined (NULL) or the cell has no
	// metrics row.
	Metrics map[string]float64
	// ExitReasons counts closed trades by exit reason.
	ExitReasons map[string]int
	// DDStart, DDTrough and DDEnd date the deepest drawdown: its peak, its
	// lowest equity and its recovery (or the last date when Recovered is
	// false).
	DDStart, DDTrough, DDEnd time.Time
	Recovered                bool
}

// Metric returns the metric name of the cell, NaN when the cell lacks it.
func (c *CellRow) Metric(name string) float64 {
	if v, ok := c.Metrics[name]; ok {
		return v
	}
	return math.NaN()
}

// Window returns the cell's date range as "from..to".
func (c *CellRow) Window() string {
	return c.From.Format(time.DateOnly) + ".." + c.To.Format(time.DateOnly)
}

// Series is a cell's daily equity curve, from the equity table.
type Series struct {
	Days     []int32   // trading dates, days since 1970-01-01
	Equity   []float64 // end-of-day equity, dollars; NaN where NULL
	Drawdown []float64 // the fraction of the running peak lost (≥ 0), as equity.drawdown holds it; NaN where NULL
}

// TradeRow is the part of a row of trades a report reads.
type TradeRow struct {
	Symbol, Phase, ExitReason string  // "" where NULL
	Opened                    int32   // days since 1970-01-01
	Closed                    int32   // days since 1970-01-01; -1 while open
	DaysHeld                  float64 // 0 while open
	Gross, Fees, Net          float64 // dollars; 0 where NULL
}

// runQuery selects runs with their cell counts; the caller appends a WHERE
// or ORDER BY clause.
const runQuery = `SELECT run_id, kind, coalesce(name, ''), config, engine_version,
	data_fingerprint, market_db, status, started_at, finished_at,
	(SELECT count(*) FROM run_cells rc WHERE rc.run_id = runs.run_id)
	FROM runs `

// scanRun reads a row of runQuery.
func scanRun(row interface{ Scan(...any) error }) (RunRow, error) {
	var r RunRow
	var fin sql.NullTime
	var cfg, ev, fp, mdb sql.NullString
	if err := row.Scan(&r.ID, &r.Kind, &r.Name, &cfg, &ev, &fp, &mdb, &r.Status, &r.Started, &fin, &r.Cells); err != nil {
		return r, err
	}
	r.Config, r.EngineVersion, r.DataFingerprint, r.MarketDB = cfg.String, ev.String, fp.String, mdb.String
	if fin.Valid {
		r.Finished = fin.Time
	}
	return r, nil
}

// ReadRun reads run id; the error wraps ErrNotFound when there is none.
func (db *DB) ReadRun(ctx context.Context, id string) (RunRow, error) {
	r, err := scanRun(db.db.QueryRowContext(ctx, runQuery+`WHERE run_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("run %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("read run %q: %w", id, err)
	}
	return r, nil
}

// ReadRuns reads every run, newest first (ties by id).
func (db *DB) ReadRuns(ctx context.Context) ([]RunRow, error) {
	rows, err := db.db.QueryContext(ctx, runQuery+`ORDER BY started_at DESC, run_id`)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []RunRow
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return out, nil
}

// cellQuery selects a cell's identity, parameters and metrics; the caller
// appends a WHERE clause on c.
func cellQuery() string {
	cols := MetricColumns()
	for i, n := range cols {
		cols[i] = "m." + n + "::DOUBLE"
	}
	return `SELECT c.cell_key, c.run_id, c.strategy, array_to_string(c.symbols, ','), c.date_from, c.date_to,
	c.seed, c.params::VARCHAR, coalesce(m.exit_reasons::VARCHAR, '{}'),
	m.max_drawdown_start, m.max_drawdown_trough, m.max_drawdown_end, coalesce(m.recovered, false), ` +
		strings.Join(cols, ", ") + `
	FROM cells c LEFT JOIN cell_metrics m USING (cell_key) `
}

// scanCells reads the rows of a cellQuery.
func scanCells(rows *sql.Rows) ([]CellRow, error) {
	defer rows.Close()
	names := MetricColumns()
	var out []CellRow
	vals := make([]sql.NullFloat64, len(names))
	const fixed = 13
	dest := make([]any, fixed+len(names))
	for rows.Next() {
		var c CellRow
		var run sql.NullString
		var syms, params, exits string
		var from, to, ddS, ddT, ddE sql.NullTime
		copy(dest, []any{&c.Key, &run, &c.Strategy, &syms, &from, &to, &c.Seed, &params, &exits,
			&ddS, &ddT, &ddE, &c.Recovered})
		for i := range vals {
			dest[fixed+i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read cells: %w", err)
		}
		c.RunID = run.String
		c.Symbols = strings.Split(syms, ",")
		c.From, c.To = from.Time, to.Time
		c.DDStart, c.DDTrough, c.DDEnd = ddS.Time, ddT.Time, ddE.Time
		if err := json.Unmarshal([]byte(params), &c.Params); err != nil {
			return nil, fmt.Errorf("cell %s: params: %w", c.Key, err)
		}
		if err := json.Unmarshal([]byte(exits), &c.ExitReasons); err != nil {
			return nil, fmt.Errorf("cell %s: exit reasons: %w", c.Key, err)
		}
		c.Metrics = make(map[string]float64, len(names))
		for i, n := range names {
			c.Metrics[n] = nullNaN(vals[i])
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read cells: %w", err)
	}
	return out, nil
}

// ReadRunCells reads every cell linked to run id, in cell-key order.
func (db *DB) ReadRunCells(ctx context.Context, id string) ([]CellRow, error) {
	rows, err := db.db.QueryContext(ctx, cellQuery()+`JOIN run_cells rc ON rc.cell_key = c.cell_key
		WHERE rc.run_id = ? ORDER BY c.cell_key`, id)
	if err != nil {
		return nil, fmt.Errorf("read cells of %q: %w", id, err)
	}
	return scanCells(rows)
}

// MinCellPrefix is the shortest prefix of a cell key ReadCell accepts.
const MinCellPrefix = 8

// ReadCell reads the cell whose key is key or starts with key (at least
// MinCellPrefix characters, and unambiguous). The error wraps ErrNotFound
// when no cell matches or the prefix is too short.
func (db *DB) ReadCell(ctx context.Context, key string) (CellRow, error) {
	if len(key) < MinCellPrefix {
		return CellRow{}, fmt.Errorf("cell %q: %w (give at least %d characters of a cell key)", key, ErrNotFound, MinCellPrefix)
	}
	rows, err := db.db.QueryContext(ctx, cellQuery()+`WHERE starts_with(c.cell_key, ?) ORDER BY c.cell_key LIMIT 2`, key)
	if err != nil {
		return CellRow{}, fmt.Errorf("read cell %q: %w", key, err)
	}
	cells, err := scanCells(rows)
	switch {
	case err != nil:
		return CellRow{}, err
	case len(cells) == 0:
		return CellRow{}, fmt.Errorf("cell %q: %w", key, ErrNotFound)
	case len(cells) > 1:
		return CellRow{}, fmt.Errorf("cell %q is ambiguous: give more of the key", key)
	}
	return cells[0], nil
}

// ReadSeries reads the equity curve of cell key, by date.
func (db *DB) ReadSeries(ctx context.Context, key string) (Series, error) {
	var s Series
	rows, err := db.db.QueryContext(ctx, `SELECT (trade_date - DATE '1970-01-01')::INTEGER, equity, drawdown
		FROM equity WHERE cell_key = ? ORDER BY trade_date`, key)
	if err != nil {
		return s, fmt.Errorf("read equity of %s: %w", key, err)
	}
	defer rows.Close()
	for rows.Next() {
		var d int32
		var e, dd sql.NullFloat64
		if err := rows.Scan(&d, &e, &dd); err != nil {
			return s, fmt.Errorf("read equity of %s: %w", key, err)
		}
		s.Days = append(s.Days, d)
		s.Equity = append(s.Equity, nullNaN(e))
		s.Drawdown = append(s.Drawdown, nullNaN(dd))
	}
	if err := rows.Err(); err != nil {
		return s, fmt.Errorf("read equity of %s: %w", key, err)
	}
	return s, nil
}

// ReadTrades reads the trade records of cell key, in trade-id (opening)
// order.
func (db *DB) ReadTrades(ctx context.Context, key string) ([]TradeRow, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT symbol, coalesce(phase, ''), coalesce(exit_reason, ''),
		(opened - DATE '1970-01-01')::INTEGER, coalesce((closed - DATE '1970-01-01')::INTEGER, -1),
		coalesce(days_held, 0)::DOUBLE, coalesce(gross, 0), coalesce(fees, 0), coalesce(net, 0)
		FROM trades WHERE cell_key = ? ORDER BY trade_id`, key)
	if err != nil {
		return nil, fmt.Errorf("read trades of %s: %w", key, err)
	}
	defer rows.Close()
	var out []TradeRow
	for rows.Next() {
		var t TradeRow
		if err := rows.Scan(&t.Symbol, &t.Phase, &t.ExitReason, &t.Opened, &t.Closed, &t.DaysHeld,
			&t.Gross, &t.Fees, &t.Net); err != nil {
			return nil, fmt.Errorf("read trades of %s: %w", key, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read trades of %s: %w", key, err)
	}
	return out, nil
}

// ReadFolds reads the walk-forward folds of run id, by symbols then fold.
// Params is nil where the row stores none; an undefined value is NaN.
func (db *DB) ReadFolds(ctx context.Context, id string) ([]FoldRow, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT fold, to_json(symbols)::VARCHAR, train_from, train_to,
		test_from, test_to, coalesce(metric, ''), coalesce(goal, ''), coalesce(train_cell_key, ''), train_value,
		coalesce(test_cell_key, ''), test_value, params::VARCHAR
		FROM walk_forward WHERE run_id = ? ORDER BY array_to_string(symbols, ','), fold`, id)
	if err != nil {
		return nil, fmt.Errorf("read walk-forward of %s: %w", id, err)
	}
	defer rows.Close()
	var out []FoldRow
	for rows.Next() {
		f := FoldRow{RunID: id}
		var syms string
		var trF, trT, teF, teT sql.NullTime
		var tv, sv sql.NullFloat64
		var params sql.NullString
		if err := rows.Scan(&f.Fold, &syms, &trF, &trT, &teF, &teT, &f.Metric, &f.Goal,
			&f.TrainCellKey, &tv, &f.TestCellKey, &sv, &params); err != nil {
			return nil, fmt.Errorf("read walk-forward of %s: %w", id, err)
		}
		f.TrainFrom, f.TrainTo, f.TestFrom, f.TestTo = trF.Time, trT.Time, teF.Time, teT.Time
		f.TrainValue, f.TestValue = nullNaN(tv), nullNaN(sv)
		if err := json.Unmarshal([]byte(syms), &f.Symbols); err != nil {
			return nil, fmt.Errorf("walk-forward of %s, fold %d: symbols: %w", id, f.Fold, err)
		}
		if params.Valid {
			if err := json.Unmarshal([]byte(params.String), &f.Params); err != nil {
				return nil, fmt.Errorf("walk-forward of %s, fold %d: params: %w", id, f.Fold, err)
			}
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read walk-forward of %s: %w", id, err)
	}
	return out, nil
}

// ReadDecisions reads the decision log of cell key, by date (empty when the
// run did not store it).
func (db *DB) ReadDecisions(ctx context.Context, key string) ([]sim.Note, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT date_diff('day', DATE '1970-01-01', trade_date)::INTEGER, coalesce(symbol, ''),
		coalesce(kind, ''), coalesce(message, '') FROM decisions WHERE cell_key = $1 ORDER BY trade_date`, key)
	if err != nil {
		return nil, fmt.Errorf("decision log of %s: %w", key, err)
	}
	defer rows.Close()
	var notes []sim.Note
	for rows.Next() {
		var n sim.Note
		if err := rows.Scan(&n.Day, &n.Symbol, &n.Kind, &n.Text); err != nil {
			return nil, fmt.Errorf("decision log of %s: %w", key, err)
		}
		notes = append(notes, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("decision log of %s: %w", key, err)
	}
	return notes, nil
}

// nullNaN is x, or NaN when x is NULL.
func nullNaN(x sql.NullFloat64) float64 {
	if x.Valid {
		return x.Float64
	}
	return math.NaN()
}

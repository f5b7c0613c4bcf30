package report

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Run is a row of the results database's runs table with its cell count.
type Run struct {
	ID, Kind, Name  string
	Config          string // the grid or strategy file's text, as run
	EngineVersion   string
	DataFingerprint string
	MarketDB        string
	Status          string
	Started         time.Time
	Finished        time.Time // zero while running or after a crash
	Cells           int       // cells linked to the run
}

// Cell is one cell's identity, parameters and metrics.
type Cell struct {
	Key      string
	Strategy string
	Symbols  []string
	From, To time.Time
	Seed     uint64
	Params   map[string]string // every parameter, formatted as the grid writes it
	// Metrics holds the numeric columns of cell_metrics by name; NaN where the
	// statistic was undefined (NULL).
	Metrics map[string]float64
	// ExitReasons counts closed trades by exit reason.
	ExitReasons map[string]int
	// DDStart, DDTrough and DDEnd date the deepest drawdown: its peak, its
	// lowest equity and its recovery (or the last date when Recovered is false).
	DDStart, DDTrough, DDEnd time.Time
	Recovered                bool
}

// Metric returns the metric name, NaN when the cell lacks it.
func (c *Cell) Metric(name string) float64 {
	if v, ok := c.Metrics[name]; ok {
		return v
	}
	return math.NaN()
}

// Window returns the cell's date range as "from..to".
func (c *Cell) Window() string {
	return c.From.Format(time.DateOnly) + ".." + c.To.Format(time.DateOnly)
}

// Series is a cell's daily equity curve.
type Series struct {
	Days     []int32   // trading dates, days since 1970-01-01
	Equity   []float64 // end-of-day equity, dollars
	Drawdown []float64 // equity over its running peak, minus 1 (≤ 0)
}

// Trade is one trade record of a cell.
type Trade struct {
	Symbol, Phase, ExitReason string
	Opened                    int32 // days since 1970-01-01
	Closed                    int32 // days since 1970-01-01; -1 while open
	DaysHeld                  float64
	Gross, Fees, Net          float64 // dollars
}

// Detail is everything the single-run report shows about one cell.
type Detail struct {
	Run    Run
	Cell   Cell
	Series Series
	Trades []Trade
}

// metricNames are the cell_metrics columns read into Cell.Metrics, all
// numeric.
var metricNames = []string{"trades", "wins", "losses", "win_rate", "gross_pnl", "fees", "net_pnl",
	"roc_mean", "roc_median", "roc_std", "roc_min", "roc_max", "start_equity", "end_equity",
	"total_return", "cagr", "sharpe", "sortino", "calmar", "max_drawdown", "max_drawdown_days",
	"profit_factor", "expectancy", "avg_days_held", "avg_win", "avg_loss", "open_trades", "orders",
	"rejected_orders"}

// ErrNotFound is returned when a run or cell id matches nothing.
var ErrNotFound = errors.New("not found")

// LoadRun reads run id.
func LoadRun(ctx context.Context, db *sql.DB, id string) (Run, error) {
	var r Run
	var fin sql.NullTime
	var cfg, ev, fp, mdb sql.NullString
	err := db.QueryRowContext(ctx, `SELECT run_id, kind, coalesce(name, ''), config, engine_version,
		data_fingerprint, market_db, status, started_at, finished_at,
		(SELECT count(*) FROM run_cells rc WHERE rc.run_id = runs.run_id)
		FROM runs WHERE run_id = ?`, id).Scan(&r.ID, &r.Kind, &r.Name, &cfg, &ev, &fp, &mdb,
		&r.Status, &r.Started, &fin, &r.Cells)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("run %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("read run %q: %w", id, err)
	}
	r.Config, r.EngineVersion, r.DataFingerprint, r.MarketDB = cfg.String, ev.String, fp.String, mdb.String
	if fin.Valid {
		r.Finished = fin.Time
	}
	return r, nil
}

// Runs lists the runs, newest first.
func Runs(ctx context.Context, db *sql.DB) ([]Run, error) {
	rows, err := db.QueryContext(ctx, `SELECT run_id FROM runs ORDER BY started_at DESC, run_id`)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list runs: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	out := make([]Run, 0, len(ids))
	for _, id := range ids {
		r, err := LoadRun(ctx, db, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// cellQuery selects a cell's identity, parameters and metrics; the caller
// appends a WHERE clause on c.
var cellQuery = `SELECT c.cell_key, c.strategy, array_to_string(c.symbols, ','), c.date_from, c.date_to,
	c.seed, c.params::VARCHAR, coalesce(m.exit_reasons::VARCHAR, '{}'),
	m.max_drawdown_start, m.max_drawdown_trough, m.max_drawdown_end, coalesce(m.recovered, false), ` + metricSelect() + `
	FROM cells c LEFT JOIN cell_metrics m USING (cell_key) `

func metricSelect() string {
	cols := make([]string, len(metricNames))
	for i, n := range metricNames {
		cols[i] = "m." + n + "::DOUBLE"
	}
	return strings.Join(cols, ", ")
}

// scanCells reads the rows of a cellQuery.
func scanCells(rows *sql.Rows) ([]Cell, error) {
	defer rows.Close()
	var out []Cell
	vals := make([]sql.NullFloat64, len(metricNames))
	const fixed = 12
	dest := make([]any, fixed+len(metricNames))
	for rows.Next() {
		var c Cell
		var syms, params, exits string
		var from, to, ddS, ddT, ddE sql.NullTime
		copy(dest, []any{&c.Key, &c.Strategy, &syms, &from, &to, &c.Seed, &params, &exits,
			&ddS, &ddT, &ddE, &c.Recovered})
		for i := range vals {
			dest[fixed+i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read cells: %w", err)
		}
		c.Symbols = strings.Split(syms, ",")
		c.From, c.To = from.Time, to.Time
		c.DDStart, c.DDTrough, c.DDEnd = ddS.Time, ddT.Time, ddE.Time
		if err := json.Unmarshal([]byte(params), &c.Params); err != nil {
			return nil, fmt.Errorf("cell %s: params: %w", c.Key, err)
		}
		if err := json.Unmarshal([]byte(exits), &c.ExitReasons); err != nil {
			return nil, fmt.Errorf("cell %s: exit reasons: %w", c.Key, err)
		}
		c.Metrics = make(map[string]float64, len(metricNames))
		for i, n := range metricNames {
			c.Metrics[n] = math.NaN()
			if vals[i].Valid {
				c.Metrics[n] = vals[i].Float64
			}
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read cells: %w", err)
	}
	return out, nil
}

// RunCells reads every cell of run id, in cell-key order.
func RunCells(ctx context.Context, db *sql.DB, id string) ([]Cell, error) {
	rows, err := db.QueryContext(ctx, cellQuery+`JOIN run_cells rc ON rc.cell_key = c.cell_key
		WHERE rc.run_id = ? ORDER BY c.cell_key`, id)
	if err != nil {
		return nil, fmt.Errorf("read cells of %q: %w", id, err)
	}
	return scanCells(rows)
}

// LoadCell reads the cell whose key is key or starts with key (at least 8
// characters, and unambiguous).
func LoadCell(ctx context.Context, db *sql.DB, key string) (Cell, error) {
	if len(key) < 8 {
		return Cell{}, fmt.Errorf("cell %q: %w (give at least 8 characters of a cell key)", key, ErrNotFound)
	}
	rows, err := db.QueryContext(ctx, cellQuery+`WHERE starts_with(c.cell_key, ?) ORDER BY c.cell_key LIMIT 2`, key)
	if err != nil {
		return Cell{}, fmt.Errorf("read cell %q: %w", key, err)
	}
	cells, err := scanCells(rows)
	switch {
	case err != nil:
		return Cell{}, err
	case len(cells) == 0:
		return Cell{}, fmt.Errorf("cell %q: %w", key, ErrNotFound)
	case len(cells) > 1:
		return Cell{}, fmt.Errorf("cell %q is ambiguous: give more of the key", key)
	}
	return cells[0], nil
}

// LoadSeries reads the equity curve of cell key.
func LoadSeries(ctx context.Context, db *sql.DB, key string) (Series, error) {
	var s Series
	rows, err := db.QueryContext(ctx, `SELECT (trade_date - DATE '1970-01-01')::INTEGER, equity, drawdown
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

// LoadTrades reads the trade records of cell key, in opening order.
func LoadTrades(ctx context.Context, db *sql.DB, key string) ([]Trade, error) {
	rows, err := db.QueryContext(ctx, `SELECT symbol, coalesce(phase, ''), coalesce(exit_reason, ''),
		(opened - DATE '1970-01-01')::INTEGER, coalesce((closed - DATE '1970-01-01')::INTEGER, -1),
		coalesce(days_held, 0)::DOUBLE, coalesce(gross, 0), coalesce(fees, 0), coalesce(net, 0)
		FROM trades WHERE cell_key = ? ORDER BY trade_id`, key)
	if err != nil {
		return nil, fmt.Errorf("read trades of %s: %w", key, err)
	}
	defer rows.Close()
	var out []Trade
	for rows.Next() {
		var t Trade
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

func nullNaN(x sql.NullFloat64) float64 {
	if x.Valid {
		return x.Float64
	}
	return math.NaN()
}

// Resolve finds the cell a single-run report shows for id: the cell of a
// backtest run, the best cell of a sweep run by metric (highest, or lowest
// when lower is better), or a cell key or a prefix of one.
func Resolve(ctx context.Context, db *sql.DB, id, metric string) (Detail, error) {
	var d Detail
	run, err := LoadRun(ctx, db, id)
	switch {
	case err == nil:
		cells, err := RunCells(ctx, db, id)
		if err != nil {
			return d, err
		}
		best := Best(cells, metric)
		if best < 0 {
			return d, fmt.Errorf("run %q has no cells with metrics", id)
		}
		d.Run, d.Cell = run, cells[best]
	case errors.Is(err, ErrNotFound):
		c, cerr := LoadCell(ctx, db, id)
		if cerr != nil {
			return d, fmt.Errorf("%q is neither a run nor a cell: %w", id, cerr)
		}
		var owner string
		if err := db.QueryRowContext(ctx, `SELECT run_id FROM cells WHERE cell_key = ?`, c.Key).Scan(&owner); err != nil {
			return d, fmt.Errorf("cell %s: %w", c.Key, err)
		}
		if d.Run, err = LoadRun(ctx, db, owner); err != nil {
			return d, err
		}
		d.Cell = c
	default:
		return d, err
	}
	if d.Series, err = LoadSeries(ctx, db, d.Cell.Key); err != nil {
		return d, err
	}
	if d.Trades, err = LoadTrades(ctx, db, d.Cell.Key); err != nil {
		return d, err
	}
	return d, nil
}

// lowerIsBetter reports whether a smaller value of metric is better.
func lowerIsBetter(metric string) bool {
	switch metric {
	case "max_drawdown", "max_drawdown_days", "fees", "roc_std", "avg_days_held", "rejected_orders":
		return true
	}
	return false
}

// Best returns the index of the best cell by metric (ties go to the first in
// the slice), or -1 when no cell has a finite value. Lower is better for
// drawdowns (stored as positive fractions), durations, fees and dispersion;
// higher for everything else.
func Best(cells []Cell, metric string) int {
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

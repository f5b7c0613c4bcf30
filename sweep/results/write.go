package results

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/metrics"
)

// Run describes one invocation that writes cells: a backtest (one cell) or a
// sweep (many).
type Run struct {
	ID              string    // unique run id; the key of runs
	Kind            string    // "backtest" or "sweep"
	Name            string    // a label for people
	Config          string    // the text of the strategy or grid file
	EngineVersion   string    // version of the code that ran
	DataFingerprint string    // fingerprint of the market data read
	MarketDB        string    // path of the market database
	Started         time.Time // when the run (first) started
}

// Run statuses written by BeginRun; FinishRun may write any other.
const (
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

// BeginRun records r with status "running". If a run with the same ID exists
// (a resumed run) its row is kept, with its original start time and config, and
// only its status goes back to "running" and finished_at to NULL.
func (db *DB) BeginRun(ctx context.Context, r Run) error {
	if r.ID == "" {
		return fmt.Errorf("results: run with an empty id")
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	_, err := db.db.ExecContext(ctx, `INSERT INTO runs (run_id, kind, name, config, engine_version,
		data_fingerprint, market_db, started_at, finished_at, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
		ON CONFLICT (run_id) DO UPDATE SET finished_at = NULL, status = EXCLUDED.status`,
		r.ID, r.Kind, r.Name, r.Config, r.EngineVersion, r.DataFingerprint, r.MarketDB, r.Started, StatusRunning)
	if err != nil {
		return fmt.Errorf("results: begin run %s: %w", r.ID, err)
	}
	return nil
}

// FinishRun sets the finish time and status (such as "done" or "failed") of run
// id, which must exist.
func (db *DB) FinishRun(ctx context.Context, id string, finished time.Time, status string) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	res, err := db.db.ExecContext(ctx, `UPDATE runs SET finished_at = ?, status = ? WHERE run_id = ?`,
		finished, status, id)
	if err != nil {
		return fmt.Errorf("results: finish run %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("results: finish run %s: no such run", id)
	}
	return nil
}

// Cell is one backtest of a run: a strategy with one set of parameters over
// symbols and dates.
type Cell struct {
	Key      string    // unique cell key; a rerun skips keys already present
	RunID    string    // the run that wrote the cell
	Strategy string    // strategy name
	Symbols  []string  // underlyings traded
	From, To time.Time // first and last date of the backtest (their calendar dates)
	Seed     uint64    // seed of the cell's random draws
	// Params are the strategy parameters as text, stored as JSON and, each, in a
	// typed column p_<name> (see ParamColumn).
	Params map[string]string
	// ParamTypes gives the type of each parameter: "float", "int", "bool" or
	// anything else for text (see ParamSQLType).
	ParamTypes map[string]string
}

// HasCell reports whether cell key is in the database. Since a cell is written in
// one transaction, a present key means all of its rows are present.
func (db *DB) HasCell(ctx context.Context, key string) (bool, error) {
	var n int64
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM cells WHERE cell_key = ?`, key).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("results: look up cell %s: %w", key, err)
	}
	return n > 0, nil
}

// WriteCell writes cell c with the engine's result res and its metrics m, in one
// transaction: either every row of the cell (in cells, cell_metrics, trades,
// equity, events and decisions) is written or none is. Rows already stored under
// c.Key are replaced in the same transaction, so writing a cell again replaces
// it. The p_ columns its parameters need are added beforehand, each in its own
// transaction.
//
// The equity table holds the first len(res.Equity) of res.Days (a run that
// stopped early marks fewer days than its tape holds).
func (db *DB) WriteCell(ctx context.Context, c Cell, res *sim.Result, m metrics.Summary) error {
	if c.Key == "" {
		return fmt.Errorf("results: cell with an empty key")
	}
	if res == nil {
		return fmt.Errorf("results: cell %s: nil result", c.Key)
	}
	if n := len(res.Equity); len(res.Cash) != n || len(res.Collateral) != n || len(res.Days) < n {
		return fmt.Errorf("results: cell %s: %d days, %d equity, %d cash and %d collateral values",
			c.Key, len(res.Days), n, len(res.Cash), len(res.Collateral))
	}
	ps, err := cellParams(c)
	if err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if err := db.ensureParams(ctx, ps); err != nil {
		return err
	}
	steps := []struct {
		name string
		fn   func(t *tx) error
	}{
		{"delete", func(t *tx) error { return deleteCell(t, c.Key) }},
		{"cells", func(t *tx) error { return db.insertCell(t, c, ps) }},
		{"cell_metrics", func(t *tx) error { return insertMetrics(t, c.Key, res, m) }},
		{"trades", func(t *tx) error { return appendTrades(t, c.Key, res.Trades) }},
		{"equity", func(t *tx) error { return appendEquity(t, c.Key, res) }},
		{"events", func(t *tx) error { return appendEvents(t, c.Key, res.Events) }},
		{"decisions", func(t *tx) error { return appendDecisions(t, c.Key, res.Notes) }},
	}
	err = db.withTx(ctx, func(t *tx) error {
		for _, s := range steps {
			if err := s.fn(t); err != nil {
				return fmt.Errorf("results: cell %s: %s: %w", c.Key, s.name, err)
			}
			if err := ctx.Err(); err != nil { // appenders do not watch the context
				return fmt.Errorf("results: cell %s: %w", c.Key, err)
			}
			if db.failAt != nil {
				if err := db.failAt(s.name); err != nil {
					return fmt.Errorf("results: cell %s: after %s: %w", c.Key, s.name, err)
				}
			}
		}
		return nil
	})
	return err
}

func deleteCell(t *tx, key string) error {
	for _, table := range cellTables {
		if err := t.exec("DELETE FROM "+table+" WHERE cell_key = ?", key); err != nil {
			return fmt.Errorf("delete from %s: %w", table, err)
		}
	}
	return nil
}

// insertCell writes the cells row; each p_ column is cast from text to the type
// the column has in this database.
func (db *DB) insertCell(t *tx, c Cell, ps []param) error {
	// Marshalling strings cannot fail. Empty rather than nil, so that the JSON
	// holds {} and [] and not null.
	params, symbols := []byte("{}"), []byte("[]")
	if c.Params != nil {
		params, _ = json.Marshal(c.Params)
	}
	if c.Symbols != nil {
		symbols, _ = json.Marshal(c.Symbols)
	}
	cols := "cell_key, run_id, strategy, symbols, date_from, date_to, seed, params"
	vals := `?, ?, ?, from_json(?, '["VARCHAR"]'), ?, ?, ?, ?`
	args := []any{c.Key, c.RunID, c.Strategy, string(symbols), date(c.From), date(c.To), c.Seed, string(params)}
	for _, p := range ps {
		cols += `, "` + p.column + `"`
		vals += ", CAST(? AS " + db.params[p.column] + ")"
		args = append(args, p.text)
	}
	return t.exec("INSERT INTO cells ("+cols+") VALUES ("+vals+")", args...)
}

// insertMetrics writes the cell_metrics row.
func insertMetrics(t *tx, key string, res *sim.Result, m metrics.Summary) error {
	reasons := []byte("{}")
	if m.ExitReasons != nil {
		reasons, _ = json.Marshal(m.ExitReasons) // a map of ints cannot fail
	}
	open := 0
	for i := range res.Trades {
		if res.Trades[i].Closed == 0 {
			open++
		}
	}
	cols := []string{"cell_key", "trades", "wins", "losses", "win_rate", "gross_pnl", "fees", "net_pnl",
		"roc_mean", "roc_median", "roc_std", "roc_min", "roc_max",
		"start_equity", "end_equity", "total_return", "cagr", "sharpe", "sortino", "calmar",
		"max_drawdown", "max_drawdown_days", "max_drawdown_start", "max_drawdown_trough", "max_drawdown_end",
		"recovered", "profit_factor", "expectancy", "avg_days_held", "avg_win", "avg_loss",
		"exit_reasons", "open_trades", "orders", "rejected_orders"}
	args := []any{key, int64(m.Trades), int64(m.Wins), int64(m.Losses), num(m.WinRate),
		num(m.GrossPnL), num(m.Fees), num(m.NetPnL),
		num(m.ROCMean), num(m.ROCMedian), num(m.ROCStd), num(m.ROCMin), num(m.ROCMax),
		num(m.StartEquity), num(m.EndEquity), num(m.TotalReturn), num(m.CAGR),
		num(m.Sharpe), num(m.Sortino), num(m.Calmar),
		num(m.MaxDrawdown), int64(m.MaxDrawdownDays),
		sim.DayTime(m.MaxDrawdownStart), sim.DayTime(m.MaxDrawdownTrough), sim.DayTime(m.MaxDrawdownEnd),
		m.Recovered, num(m.ProfitFactor), num(m.Expectancy), num(m.AvgDaysHeld), num(m.AvgWin), num(m.AvgLoss),
		string(reasons), int64(open), int64(res.Orders), int64(res.Rejected)}
	q := "INSERT INTO cell_metrics (" + strings.Join(cols, ", ") + ") VALUES (?" +
		strings.Repeat(", ?", len(cols)-1) + ")"
	return t.exec(q, args...)
}

// num returns x, or nil (SQL NULL) when x is NaN or infinite.
func num(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

// date returns the calendar date of tm (in its location) as UTC midnight, or nil
// for the zero time.
func date(tm time.Time) any {
	if tm.IsZero() {
		return nil
	}
	return sim.DayTime(sim.DayOf(tm))
}

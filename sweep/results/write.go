package results

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

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
	// Status and Finished are what a PartWriter records in a part's runs row:
	// Status "" means StatusRunning, a zero Finished is NULL. BeginRun ignores
	// both (a run begins running); FinishRun sets them in a database.
	Status   string
	Finished time.Time
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
		ON CONFLICT (run_id) DO UPDATE SET finished_at = NULL, status = EXCLUDED.status,
			data_fingerprint = EXCLUDED.data_fingerprint, engine_version = EXCLUDED.engine_version`,
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

// CellResult is one finished cell: its description, the engine's result and its
// metrics.
type CellResult struct {
	Cell    Cell
	Result  *sim.Result
	Metrics metrics.Summary
	// NoTrades leaves the cell's rows out of trades (its metrics, open_trades
	// included, still count them): the "metrics" detail of a large sweep.
	NoTrades bool
}

// WriteCell writes cell c with the engine's result res and its metrics m: it is
// WriteCells with a batch of one.
func (db *DB) WriteCell(ctx context.Context, c Cell, res *sim.Result, m metrics.Summary) error {
	return db.WriteCells(ctx, []CellResult{{Cell: c, Result: res, Metrics: m}})
}

// WriteCells writes a batch of cells, each key at most once, in one
// transaction: either every row of every cell (in cells, run_cells,
// cell_metrics, trades, equity, events and decisions) is written or none is.
// Rows already stored under a cell's key are replaced in the same transaction,
// so writing a cell again replaces it; its run_cells links are kept and one to
// Cell.RunID is added. The p_ columns the parameters need are added beforehand,
// each in its own transaction.
//
// The equity table holds the first len(Result.Equity) of Result.Days (a run
// that stopped early marks fewer days than its tape holds). WriteCells is
// Encode of each cell and WriteEncoded.
func (db *DB) WriteCells(ctx context.Context, batch []CellResult) error {
	enc := make([]*Encoded, 0, len(batch))
	defer func() {
		for _, e := range enc {
			e.Release()
		}
	}()
	for i := range batch {
		e, err := Encode(batch[i])
		if err != nil {
			return err
		}
		enc = append(enc, e)
	}
	return db.WriteEncoded(ctx, enc)
}

// WriteEncoded writes a batch of encoded cells as WriteCells does, in one
// transaction, and releases their record batches. Each table's rows of the
// whole batch go in at once (DuckDB's Arrow scan in the duckdb_arrow build).
func (db *DB) WriteEncoded(ctx context.Context, batch []*Encoded) error {
	defer func() {
		for _, e := range batch {
			e.Release()
		}
	}()
	if len(batch) == 0 {
		return nil
	}
	keys := make([]string, len(batch))
	seen := make(map[string]bool, len(batch))
	for i, e := range batch {
		if seen[e.Cell.Key] {
			return fmt.Errorf("results: cell %s twice in one batch", e.Cell.Key)
		}
		seen[e.Cell.Key] = true
		keys[i] = e.Cell.Key
	}
	// New p_ columns need the table alone; the batch's transaction then
	// runs beside other batches' (appends of distinct cells do not conflict).
	db.mu.Lock()
	for _, e := range batch {
		if err := db.ensureParams(ctx, e.params); err != nil {
			db.mu.Unlock()
			return err
		}
	}
	db.mu.Unlock()
	db.mu.RLock()
	defer db.mu.RUnlock()
	st := &stager{db: db}
	defer st.release()
	cells, err := db.cellsRecord(batch)
	if err != nil {
		return err
	}
	defer cells.rec.Release()
	if err := st.add("cells", cells.cols, cells.rec.Schema(), []arrow.RecordBatch{cells.rec}); err != nil {
		return err
	}
	for i := range rowTables {
		var recs []arrow.RecordBatch
		for _, e := range batch {
			if e.recs[i] != nil {
				recs = append(recs, e.recs[i])
			}
		}
		if err := st.add(rowTables[i].name, nil, rowTables[i].schema, recs); err != nil {
			return err
		}
	}
	type step struct {
		name string
		fn   func(t *tx) error
	}
	steps := []step{
		{"delete", func(t *tx) error { return deleteCells(t, keys) }},
		{"cells", func(t *tx) error { return st.load(t, "cells") }},
		{"run_cells", func(t *tx) error { return insertLinks(t, batch) }},
	}
	for i := range rowTables {
		name := rowTables[i].name
		steps = append(steps, step{name, func(t *tx) error { return st.load(t, name) }})
	}
	what := "cell " + keys[0]
	if len(batch) > 1 {
		what = fmt.Sprintf("%d cells (%s...)", len(batch), keys[0])
	}
	return db.withStagedTx(ctx, st, func(t *tx) error {
		for _, s := range steps {
			if err := s.fn(t); err != nil {
				return fmt.Errorf("results: %s: %s: %w", what, s.name, err)
			}
			if err := ctx.Err(); err != nil { // appenders do not watch the context
				return fmt.Errorf("results: %s: %w", what, err)
			}
			if db.failAt != nil {
				if err := db.failAt(s.name); err != nil {
					return fmt.Errorf("results: %s: after %s: %w", what, s.name, err)
				}
			}
		}
		return nil
	})
}

// checkCell checks what WriteCells cannot store.
func checkCell(cr *CellResult) error {
	c, res := &cr.Cell, cr.Result
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
	return nil
}

// deleteCells deletes the rows of the cells among keys that are present. A cell
// is written in one transaction, so a key absent from cells has no rows in the
// other tables either: looking it up by the primary key spares a scan of trades,
// equity, events and decisions, which have no index.
func deleteCells(t *tx, keys []string) error {
	present, err := t.strings(`SELECT cell_key FROM cells WHERE cell_key = ANY(?)`, keys)
	if err != nil {
		return fmt.Errorf("look up keys: %w", err)
	}
	if len(present) == 0 {
		return nil
	}
	for _, table := range cellTables {
		if err := t.exec("DELETE FROM "+table+" WHERE cell_key = ANY(?)", present); err != nil {
			return fmt.Errorf("delete from %s: %w", table, err)
		}
	}
	return nil
}

// insertLinks links each cell to the run that computed it.
func insertLinks(t *tx, batch []*Encoded) error {
	runs, keys := make([]string, len(batch)), make([]string, len(batch))
	for i := range batch {
		runs[i], keys[i] = batch[i].Cell.RunID, batch[i].Cell.Key
	}
	return t.exec(`INSERT INTO run_cells SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]) ON CONFLICT DO NOTHING`,
		runs, keys)
}

// LinkCells records that the cells keys belong to run runID as well, in one
// transaction; links already present are kept. A resumed or repeated run calls
// it for the cells it skips because they are stored. The keys are not checked
// against cells: a link may precede the cell's rows (a merge brings them).
func (db *DB) LinkCells(ctx context.Context, runID string, keys []string) error {
	if runID == "" {
		return fmt.Errorf("results: link cells: empty run id")
	}
	if len(keys) == 0 {
		return nil
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	err := db.withTx(ctx, func(t *tx) error {
		return t.exec(`INSERT INTO run_cells SELECT ?, unnest(?::VARCHAR[]) ON CONFLICT DO NOTHING`, runID, keys)
	})
	if err != nil {
		return fmt.Errorf("results: link %d cells to run %s: %w", len(keys), runID, err)
	}
	return nil
}

// CellKeys returns the key of every cell in the database, for a resumed run to
// look its cells up in once.
func (db *DB) CellKeys(ctx context.Context) (map[string]bool, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT cell_key FROM cells`)
	if err != nil {
		return nil, fmt.Errorf("results: read cell keys: %w", err)
	}
	defer rows.Close()
	keys := make(map[string]bool)
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("results: read cell keys: %w", err)
		}
		keys[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("results: read cell keys: %w", err)
	}
	return keys, nil
}

// cellsRows is the cells rows of a batch and the columns they fill.
type cellsRows struct {
	rec  arrow.RecordBatch
	cols []string
}

// cellsRecord returns the cells rows of a batch. Each p_ value is converted
// from text to the type its column has in this database; cells without a
// parameter get NULL.
func (db *DB) cellsRecord(batch []*Encoded) (cellsRows, error) {
	var cols []string // p_ columns of the batch, sorted
	for _, e := range batch {
		for _, q := range e.params {
			if i, found := slices.BinarySearch(cols, q.column); !found {
				cols = slices.Insert(cols, i, q.column)
			}
		}
	}
	fields := []any{"cell_key", tStr, "run_id", tStr, "strategy", tStr, "symbols", arrow.ListOf(tStr),
		"date_from", tDate, "date_to", tDate, "seed", arrow.PrimitiveTypes.Uint64, "params", nil}
	for _, c := range cols {
		fields = append(fields, c, paramArrowType(db.params[c]))
	}
	s := schemaOf(fields...)
	r := newRowBuilder(s)
	defer r.b.Release()
	for _, e := range batch {
		c := &e.Cell
		r.str(c.Key)
		r.str(c.RunID)
		r.str(c.Strategy)
		lb := r.next().(*array.ListBuilder)
		lb.Append(true)
		for _, sym := range c.Symbols {
			lb.ValueBuilder().(*array.StringBuilder).Append(sym)
		}
		r.optDay(c.From)
		r.optDay(c.To)
		r.next().(*array.Uint64Builder).Append(c.Seed)
		r.str(e.pjson)
		j := 0
		for _, col := range cols {
			if j < len(e.params) && e.params[j].column == col {
				// Convert here, so that an error names the cell, not just the value.
				if err := r.param(db.params[col], e.params[j].text); err != nil {
					return cellsRows{}, fmt.Errorf("results: cell %s: column %s is %s: %w", c.Key, col, db.params[col], err)
				}
				j++
			} else {
				r.null()
			}
		}
		if err := r.end(); err != nil {
			return cellsRows{}, fmt.Errorf("results: cell %s: %w", c.Key, err)
		}
	}
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name
	}
	return cellsRows{rec: r.b.NewRecordBatch(), cols: names}, nil
}

// paramArrowType is the Arrow type of a p_ column of DuckDB type typ.
func paramArrowType(typ string) arrow.DataType {
	switch typ {
	case "DOUBLE":
		return tF64
	case "BIGINT":
		return tI64
	case "BOOLEAN":
		return tBool
	}
	return tStr
}

// param appends a parameter's text as a value of DuckDB type typ.
func (r *rowBuilder) param(typ, text string) error {
	v, err := paramText(typ, text)
	if err != nil {
		return err
	}
	switch typ {
	case "DOUBLE":
		f, _ := strconv.ParseFloat(v, 64)
		r.next().(*array.Float64Builder).Append(f)
	case "BIGINT":
		i, _ := strconv.ParseInt(v, 10, 64)
		r.i64(i)
	case "BOOLEAN":
		b, _ := strconv.ParseBool(v)
		r.boolean(b)
	default:
		r.str(v)
	}
	return nil
}

// optDay appends the calendar date of tm, or NULL for the zero time (as date
// does).
func (r *rowBuilder) optDay(tm time.Time) {
	if tm.IsZero() {
		r.null()
		return
	}
	r.day(sim.DayOf(tm))
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

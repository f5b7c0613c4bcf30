package results

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/optsweep/sweep/sim/metrics"
)

// Encoded is one finished cell ready to be written: its description and its
// rows of cell_metrics, trades, equity, events and decisions as Arrow record
// batches, one a table. Encode builds it in the goroutine that ran the cell,
// so that the rows' encoding (text of legs, JSON, NULLs for NaN) runs on every
// core and the writer only loads whole columns (see WriteEncoded). Only
// Encode makes a writable one.
type Encoded struct {
	Cell Cell
	// NoTrades reports that the cell's trades were left out (CellResult.NoTrades).
	NoTrades bool
	params   []param                           // Cell.Params, parsed and sorted by column
	pjson    string                            // Cell.Params as a JSON object, the cells row's params
	recs     [len(rowTables)]arrow.RecordBatch // nil where the cell has no rows
	rows     int
}

// Rows returns the number of rows the cell writes, over every table.
func (e *Encoded) Rows() int { return e.rows }

// RowGroupRows is the size of DuckDB's row groups. A write transaction that
// inserts at least this many rows into a table writes them straight into the
// database file, compressed (DuckDB's optimistic write), and so does the
// last, partial row group of the insert if it is at least half full. Smaller
// inserts, and a smaller last row group, go to the write-ahead log at commit
// and are written again by the next checkpoint, which costs more than the
// insert did (BenchmarkRowGroupInserts; BENCHMARKS.md, "Batches cut at row
// groups"). See Tally.Aligned.
const RowGroupRows = 122_880

// Tally counts the rows of a batch of encoded cells, table by table. The zero
// value is an empty tally.
type Tally struct {
	rows [len(rowTables)]int
}

// Add counts e's rows.
func (t *Tally) Add(e *Encoded) {
	for i, r := range e.recs {
		if r != nil {
			t.rows[i] += int(r.NumRows())
		}
	}
}

// Rows returns the rows counted, over every table.
func (t *Tally) Rows() int {
	n := 0
	for _, r := range t.rows {
		n += r
	}
	return n
}

// Largest returns the rows counted in the table that has the most.
func (t *Tally) Largest() int { return slices.Max(t.rows[:]) }

// Aligned reports whether an insert of the largest table's rows would leave
// nothing for a checkpoint to rewrite: at least one row group, the last at
// least half full (see RowGroupRows).
func (t *Tally) Aligned() bool {
	n := t.Largest()
	r := n % RowGroupRows
	return n >= RowGroupRows && (r == 0 || r >= RowGroupRows/2)
}

// Reset empties the tally.
func (t *Tally) Reset() { *t = Tally{} }

// Table returns the cell's rows of table (cell_metrics, trades, equity,
// events or decisions), or nil if it has none there. The record is the
// Encoded's own, valid until Release.
func (e *Encoded) Table(table string) arrow.RecordBatch {
	for i := range rowTables {
		if rowTables[i].name == table {
			return e.recs[i]
		}
	}
	return nil
}

// Release frees the cell's record batches; WriteEncoded releases what it
// writes.
func (e *Encoded) Release() {
	for i, r := range e.recs {
		if r != nil {
			r.Release()
			e.recs[i] = nil
		}
	}
}

// Encode checks a finished cell and encodes its rows. What NoTrades leaves out
// is not encoded.
func Encode(cr CellResult) (*Encoded, error) {
	if err := checkCell(&cr); err != nil {
		return nil, err
	}
	ps, err := cellParams(cr.Cell)
	if err != nil {
		return nil, err
	}
	e := &Encoded{Cell: cr.Cell, NoTrades: cr.NoTrades, params: ps, pjson: jsonObject(cr.Cell.Params)}
	for i, t := range rowTables {
		rec, err := t.encode(&cr)
		if err != nil {
			e.Release()
			return nil, fmt.Errorf("results: cell %s: %s: %w", cr.Cell.Key, t.name, err)
		}
		if rec != nil {
			e.rows += int(rec.NumRows())
		}
		e.recs[i] = rec
	}
	return e, nil
}

// rowTable is a table holding a cell's rows, with its columns as an Arrow
// schema (in the table's column order) and the function that fills them.
type rowTable struct {
	name   string
	schema *arrow.Schema
	fill   func(r *rowBuilder, cr *CellResult) error
}

// rowTables are the tables Encode fills, in the order WriteEncoded writes them.
var rowTables = [...]rowTable{
	{"cell_metrics", metricsSchema, fillMetrics},
	{"trades", tradesSchema, fillTrades},
	{"equity", equitySchema, fillEquity},
	{"events", eventsSchema, fillEvents},
	{"decisions", decisionsSchema, fillDecisions},
}

// encode returns the cell's rows of t, or nil if it has none.
func (t *rowTable) encode(cr *CellResult) (arrow.RecordBatch, error) {
	r := newRowBuilder(t.schema)
	defer r.b.Release()
	if err := t.fill(r, cr); err != nil {
		return nil, err
	}
	rec := r.b.NewRecordBatch()
	if rec.NumRows() == 0 {
		rec.Release()
		return nil, nil
	}
	return rec, nil
}

// The kinds of column a row table has. jsonMeta marks a VARCHAR field that
// holds a JSON column's text.
var (
	tStr  = arrow.BinaryTypes.String
	tI64  = arrow.PrimitiveTypes.Int64
	tF64  = arrow.PrimitiveTypes.Float64
	tDate = arrow.FixedWidthTypes.Date32
	tBool = arrow.FixedWidthTypes.Boolean

	jsonMeta = arrow.NewMetadata([]string{"duckdb_type"}, []string{"JSON"})
)

// schemaOf returns the schema of fields, given as name and type in pairs; a
// type of nil marks a JSON column (text).
func schemaOf(fields ...any) *arrow.Schema {
	out := make([]arrow.Field, 0, len(fields)/2)
	for i := 0; i < len(fields); i += 2 {
		f := arrow.Field{Name: fields[i].(string), Nullable: true}
		if fields[i+1] == nil {
			f.Type, f.Metadata = tStr, jsonMeta
		} else {
			f.Type = fields[i+1].(arrow.DataType)
		}
		out = append(out, f)
	}
	return arrow.NewSchema(out, nil)
}

// isJSON reports whether field f holds a JSON column's text.
func isJSON(f arrow.Field) bool {
	v, ok := f.Metadata.GetValue("duckdb_type")
	return ok && v == "JSON"
}

var metricsSchema = func() *arrow.Schema {
	f := []any{"cell_key", tStr}
	for _, c := range metrics.ColumnNames(nil) {
		switch c {
		case "trades", "wins", "losses", "max_drawdown_days", "open_trades", "orders", "rejected_orders":
			f = append(f, c, tI64)
		default:
			f = append(f, c, tF64)
		}
		if c == "max_drawdown_days" {
			f = append(f, "max_drawdown_start", tDate, "max_drawdown_trough", tDate, "max_drawdown_end", tDate,
				"recovered", tBool)
		}
		if c == "avg_loss" {
			f = append(f, "exit_reasons", nil)
		}
	}
	return schemaOf(f...)
}()

var tradesSchema = schemaOf("cell_key", tStr, "trade_id", tI64, "position_id", tI64, "symbol", tStr,
	"tag", tStr, "phase", tStr, "legs", tStr, "legs_json", nil, "quantity", tI64, "opened", tDate,
	"closed", tDate, "days_held", tI64, "entry", tF64, "exit_price", tF64, "gross", tF64, "fees", tF64,
	"net", tF64, "collateral", tF64, "roc", tF64, "exit_reason", tStr, "touches", tI64, "draws", nil,
	"entry_spot", tF64, "entry_vix", tF64, "entry_delta", tF64, "entry_iv", tF64, "entry_ivp", tF64,
	"entry_spread_pct", tF64, "entry_dte", tI64)

var equitySchema = schemaOf("cell_key", tStr, "trade_date", tDate, "equity", tF64, "cash", tF64,
	"collateral", tF64, "drawdown", tF64)

var eventsSchema = schemaOf("cell_key", tStr, "trade_date", tDate, "position_id", tI64, "kind", tStr,
	"trade_id", tI64, "detail", tStr)

var decisionsSchema = schemaOf("cell_key", tStr, "trade_date", tDate, "symbol", tStr, "kind", tStr,
	"message", tStr)

// rowBuilder appends rows to a record builder a value at a time, in column
// order: each method fills the next column, and a row ends when every column
// has its value (end).
type rowBuilder struct {
	b   *array.RecordBuilder
	f   []array.Builder
	col int
	buf []byte // scratch for text values
}

func newRowBuilder(s *arrow.Schema) *rowBuilder {
	b := array.NewRecordBuilder(memory.DefaultAllocator, s)
	return &rowBuilder{b: b, f: b.Fields()}
}

func (r *rowBuilder) next() array.Builder { r.col++; return r.f[r.col-1] }

// end checks that the row filled every column and starts the next.
func (r *rowBuilder) end() error {
	if r.col != len(r.f) {
		return fmt.Errorf("row of %d values for %d columns", r.col, len(r.f))
	}
	r.col = 0
	return nil
}

func (r *rowBuilder) str(s string)   { r.next().(*array.StringBuilder).Append(s) }
func (r *rowBuilder) bytes(b []byte) { r.next().(*array.StringBuilder).BinaryBuilder.Append(b) }
func (r *rowBuilder) i64(v int64)    { r.next().(*array.Int64Builder).Append(v) }
func (r *rowBuilder) boolean(v bool) { r.next().(*array.BooleanBuilder).Append(v) }
func (r *rowBuilder) null()          { r.next().AppendNull() }
func (r *rowBuilder) day(d int32)    { r.next().(*array.Date32Builder).Append(arrow.Date32(d)) }

// f64 appends x, or NULL when x is NaN or infinite (as num does).
func (r *rowBuilder) f64(x float64) {
	b := r.next().(*array.Float64Builder)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		b.AppendNull()
		return
	}
	b.Append(x)
}

// fillMetrics fills the cell's cell_metrics row.
func fillMetrics(r *rowBuilder, cr *CellResult) error {
	res, m := cr.Result, &cr.Metrics
	reasons := []byte("{}")
	if m.ExitReasons != nil {
		reasons, _ = json.Marshal(m.ExitReasons) // a map of ints cannot fail
	}
	open := 0
	for j := range res.Trades {
		if res.Trades[j].Closed == 0 {
			open++
		}
	}
	r.str(cr.Cell.Key)
	r.i64(int64(m.Trades))
	r.i64(int64(m.Wins))
	r.i64(int64(m.Losses))
	for _, x := range []float64{m.WinRate, m.GrossPnL, m.Fees, m.NetPnL, m.ROCMean, m.ROCMedian, m.ROCStd,
		m.ROCMin, m.ROCMax, m.StartEquity, m.EndEquity, m.TotalReturn, m.CAGR, m.Sharpe, m.Sortino, m.Calmar,
		m.MaxDrawdown} {
		r.f64(x)
	}
	r.i64(int64(m.MaxDrawdownDays))
	r.day(m.MaxDrawdownStart)
	r.day(m.MaxDrawdownTrough)
	r.day(m.MaxDrawdownEnd)
	r.boolean(m.Recovered)
	for _, x := range []float64{m.ProfitFactor, m.Expectancy, m.AvgDaysHeld, m.AvgWin, m.AvgLoss} {
		r.f64(x)
	}
	r.bytes(reasons)
	r.i64(int64(open))
	r.i64(int64(res.Orders))
	r.i64(int64(res.Rejected))
	return r.end()
}

// fillTrades fills the cell's trade records, none under NoTrades.
func fillTrades(r *rowBuilder, cr *CellResult) error {
	if cr.NoTrades {
		return nil
	}
	key := cr.Cell.Key
	r.b.Reserve(len(cr.Result.Trades))
	for j := range cr.Result.Trades {
		tr := &cr.Result.Trades[j]
		r.str(key)
		r.i64(int64(tr.ID))
		r.i64(tr.Position)
		r.str(tr.Symbol)
		r.str(tr.Tag)
		r.str(tr.Phase)
		r.buf = appendLegsString(r.buf[:0], tr)
		r.bytes(r.buf)
		r.buf = appendLegsJSON(r.buf[:0], tr.Legs)
		r.bytes(r.buf)
		r.i64(int64(tr.Quantity))
		r.day(tr.Opened)
		if tr.Closed != 0 {
			r.day(tr.Closed)
			r.i64(int64(tr.Closed - tr.Opened))
			r.f64(tr.Entry)
			r.f64(tr.Exit)
		} else {
			r.null()
			r.null()
			r.f64(tr.Entry)
			r.null()
		}
		r.f64(tr.Gross)
		r.f64(tr.Fees)
		r.f64(tr.Net())
		r.f64(tr.Collateral)
		if tr.Closed != 0 && tr.Collateral > 0 {
			r.f64(tr.ROC())
		} else {
			r.null()
		}
		r.str(tr.Reason)
		r.i64(int64(tr.Touches))
		r.buf = appendDrawsJSON(r.buf[:0], tr.Draws)
		r.bytes(r.buf)
		in := &tr.Info
		for _, x := range []float64{in.Spot, in.VIX, in.Delta, in.IV, in.IVP, in.SpreadPct} {
			r.f64(x)
		}
		r.i64(int64(in.DTE))
		if err := r.end(); err != nil {
			return fmt.Errorf("trade %d: %w", j, err)
		}
	}
	return nil
}

// fillEquity fills the cell's daily equity curve with its drawdown.
func fillEquity(r *rowBuilder, cr *CellResult) error {
	key, res := cr.Cell.Key, cr.Result
	d := make([]float64, len(res.Equity))
	metrics.Drawdown(d, res.Equity)
	r.b.Reserve(len(res.Equity))
	for j := range res.Equity {
		r.str(key)
		r.day(res.Days[j])
		r.f64(res.Equity[j])
		r.f64(res.Cash[j])
		r.f64(res.Collateral[j])
		r.f64(-d[j])
		if err := r.end(); err != nil {
			return fmt.Errorf("day %d: %w", j, err)
		}
	}
	return nil
}

// fillEvents fills the cell's book events.
func fillEvents(r *rowBuilder, cr *CellResult) error {
	for j := range cr.Result.Events {
		e := &cr.Result.Events[j]
		r.str(cr.Cell.Key)
		r.day(e.Day)
		r.i64(e.Position)
		r.str(e.Kind)
		if e.Trade >= 0 {
			r.i64(int64(e.Trade))
		} else {
			r.null()
		}
		r.str(e.Detail)
		if err := r.end(); err != nil {
			return fmt.Errorf("event %d: %w", j, err)
		}
	}
	return nil
}

// fillDecisions fills the cell's decision log.
func fillDecisions(r *rowBuilder, cr *CellResult) error {
	for j := range cr.Result.Notes {
		n := &cr.Result.Notes[j]
		r.str(cr.Cell.Key)
		r.day(n.Day)
		r.str(n.Symbol)
		r.str(n.Kind)
		r.str(n.Text)
		if err := r.end(); err != nil {
			return fmt.Errorf("note %d: %w", j, err)
		}
	}
	return nil
}

//go:build duckdb_arrow

package market

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/optsweep/sweep/ingest/dbn"
)

// stageDB is the in-memory database, attached to the market database, that holds
// the views of a file's Arrow records. DuckDB cannot create such a view in a
// file-backed database nor inside the transaction that reads it, so register
// makes them before the transaction begins.
const stageDB = "sweep_stage"

// bulkViews names the view of each staging table's rows, and how many rows it has.
type bulkViews struct {
	views map[string]string
	rows  map[string]int
}

// register builds an Arrow record of each bulk staging table's rows and creates
// a view over it in stageDB, on t's connection, outside any transaction. release
// drops the views and frees the records.
func (fr *fileRows) register(t *tx, s *Store) (release func(), err error) {
	recs := fr.records()
	var releases []func()
	release = func() {
		for name, v := range fr.bulk.views {
			t.exec("DROP VIEW IF EXISTS " + stageDB + "." + v)
			delete(fr.bulk.views, name)
		}
		for _, r := range releases {
			r()
		}
		for _, r := range recs {
			r.rec.Release()
		}
	}
	defer func() {
		if err != nil {
			release()
		}
	}()
	home, err := t.queryString("SELECT current_database()")
	if err != nil {
		return nil, fmt.Errorf("market: current database: %w", err)
	}
	if _, err := t.exec("ATTACH IF NOT EXISTS ':memory:' AS " + stageDB); err != nil {
		return nil, fmt.Errorf("market: attach %s: %w", stageDB, err)
	}
	ar, err := duckdb.NewArrowFromConn(t.raw)
	if err != nil {
		return nil, fmt.Errorf("market: arrow: %w", err)
	}
	if _, err := t.exec("USE " + stageDB); err != nil {
		return nil, fmt.Errorf("market: use %s: %w", stageDB, err)
	}
	defer t.exec(`USE "` + strings.ReplaceAll(home, `"`, `""`) + `"`)
	fr.bulk = bulkViews{views: make(map[string]string), rows: make(map[string]int)}
	for _, r := range recs {
		rdr, err := array.NewRecordReader(r.rec.Schema(), []arrow.RecordBatch{r.rec})
		if err != nil {
			return nil, fmt.Errorf("market: %s: arrow reader: %w", r.table, err)
		}
		view := fmt.Sprintf("%s_%d", r.table, s.views.Add(1))
		rel, err := ar.RegisterView(rdr, view)
		rdr.Release()
		if err != nil {
			return nil, fmt.Errorf("market: %s: arrow view: %w", r.table, err)
		}
		releases = append(releases, rel)
		fr.bulk.views[r.table] = view
		fr.bulk.rows[r.table] = int(r.rec.NumRows())
	}
	return release, nil
}

// loadBulk copies the registered views into their staging tables.
func (fr *fileRows) loadBulk(st *stager) error {
	for _, table := range []string{"stage_syms", "stage_quotes", "stage_obars", "stage_oi", "stage_ids"} {
		view, ok := fr.bulk.views[table]
		if !ok {
			continue
		}
		if err := st.ensure(table); err != nil {
			return err
		}
		if _, err := st.t.exec("INSERT INTO temp.main." + table + " SELECT * FROM " + stageDB + "." + view); err != nil {
			return fmt.Errorf("market: stage %s: %w", table, err)
		}
		st.staged[table] += int64(fr.bulk.rows[table])
	}
	if len(fr.spans) > 0 {
		lo, hi := fr.idRange()
		st.idLo, st.idHi = dayTime(lo), dayTime(hi)
	}
	return nil
}

// tableRecord is the rows of one staging table.
type tableRecord struct {
	table string
	rec   arrow.RecordBatch
}

// records builds the records of the tables that have rows, their columns as in
// stageDDL.
func (fr *fileRows) records() []tableRecord {
	mem := memory.DefaultAllocator
	var out []tableRecord
	add := func(table string, b *array.RecordBuilder) {
		rec := b.NewRecordBatch()
		b.Release()
		if rec.NumRows() == 0 {
			rec.Release()
			return
		}
		out = append(out, tableRecord{table, rec})
	}
	add("stage_syms", fr.symsRecord(mem))
	quotes, obars, oi := fr.optionRecords(mem)
	add("stage_quotes", quotes)
	add("stage_obars", obars)
	add("stage_oi", oi)
	add("stage_ids", fr.idsRecord(mem))
	return out
}

func arrowSchema(fields ...arrow.Field) *arrow.Schema { return arrow.NewSchema(fields, nil) }

// col is a nullable column of a staging table.
func col(name string, t arrow.DataType) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: true}
}

// symsRecord is stage_syms: each symbol the option rows name, once.
func (fr *fileRows) symsRecord(mem memory.Allocator) *array.RecordBuilder {
	b := array.NewRecordBuilder(mem, arrowSchema(col("sym", arrow.PrimitiveTypes.Int32), col("osi", arrow.BinaryTypes.String), col("underlying", arrow.BinaryTypes.String),
		col("expiration", arrow.FixedWidthTypes.Date32), col("put_call", arrow.BinaryTypes.String), col("strike", arrow.PrimitiveTypes.Float64)))
	seen := make([]bool, len(fr.syms.syms))
	for r := range fr.optionRows() {
		sym := r.sym
		if seen[sym] {
			continue
		}
		seen[sym] = true
		info := &fr.syms.syms[sym]
		b.Field(0).(*array.Int32Builder).Append(sym)
		b.Field(1).(*array.StringBuilder).Append(info.name)
		b.Field(2).(*array.StringBuilder).Append(info.underlying)
		b.Field(3).(*array.Date32Builder).Append(arrow.Date32(info.expDay))
		b.Field(4).(*array.StringBuilder).Append(info.putCall)
		b.Field(5).(*array.Float64Builder).Append(info.strike)
	}
	return b
}

// optionRecords are stage_quotes, stage_obars and stage_oi.
func (fr *fileRows) optionRecords(mem memory.Allocator) (quotes, obars, oi *array.RecordBuilder) {
	quotes = array.NewRecordBuilder(mem, arrowSchema(col("day", arrow.PrimitiveTypes.Int32), col("sym", arrow.PrimitiveTypes.Int32), col("bid", arrow.PrimitiveTypes.Float64),
		col("ask", arrow.PrimitiveTypes.Float64), col("bid_size", arrow.PrimitiveTypes.Int32), col("ask_size", arrow.PrimitiveTypes.Int32), col("quote_us", arrow.PrimitiveTypes.Int64)))
	obars = array.NewRecordBuilder(mem, arrowSchema(col("day", arrow.PrimitiveTypes.Int32), col("sym", arrow.PrimitiveTypes.Int32), col("open", arrow.PrimitiveTypes.Float64),
		col("high", arrow.PrimitiveTypes.Float64), col("low", arrow.PrimitiveTypes.Float64), col("close", arrow.PrimitiveTypes.Float64), col("volume", arrow.PrimitiveTypes.Int64)))
	oi = array.NewRecordBuilder(mem, arrowSchema(col("day", arrow.PrimitiveTypes.Int32), col("sym", arrow.PrimitiveTypes.Int32), col("open_interest", arrow.PrimitiveTypes.Int64)))
	for r := range fr.optionRows() {
		d := &r.d
		if d.quote {
			key(quotes, r)
			appendPrice(quotes.Field(2), d.bid)
			appendPrice(quotes.Field(3), d.ask)
			quotes.Field(4).(*array.Int32Builder).Append(int32(d.bidSz))
			quotes.Field(5).(*array.Int32Builder).Append(int32(d.askSz))
			quotes.Field(6).(*array.Int64Builder).Append(int64(d.quoteTs / 1000))
		}
		if d.bar {
			key(obars, r)
			appendPrice(obars.Field(2), d.open)
			appendPrice(obars.Field(3), d.high)
			appendPrice(obars.Field(4), d.low)
			appendPrice(obars.Field(5), d.close)
			obars.Field(6).(*array.Int64Builder).Append(int64(d.volume))
		}
		if d.oi {
			key(oi, r)
			oi.Field(2).(*array.Int64Builder).Append(d.oiQty)
		}
	}
	return quotes, obars, oi
}

// key appends a row's day and symbol, the first two columns of every option
// staging table.
func key(b *array.RecordBuilder, r *optRow) {
	b.Field(0).(*array.Int32Builder).Append(r.day)
	b.Field(1).(*array.Int32Builder).Append(r.sym)
}

// appendPrice appends a fixed-point price as a float, NULL when undefined.
func appendPrice(b array.Builder, p int64) {
	if p == dbn.UndefPrice {
		b.AppendNull()
		return
	}
	b.(*array.Float64Builder).Append(dbn.PriceFloat(p))
}

// idsRecord is stage_ids.
func (fr *fileRows) idsRecord(mem memory.Allocator) *array.RecordBuilder {
	b := array.NewRecordBuilder(mem, arrowSchema(col("dataset", arrow.BinaryTypes.String), col("instrument_id", arrow.PrimitiveTypes.Uint64),
		col("symbol", arrow.BinaryTypes.String), col("start_date", arrow.FixedWidthTypes.Date32), col("end_date", arrow.FixedWidthTypes.Date32)))
	for _, sp := range fr.spans {
		b.Field(0).(*array.StringBuilder).Append(fr.dataset)
		b.Field(1).(*array.Uint64Builder).Append(sp.id)
		b.Field(2).(*array.StringBuilder).Append(fr.syms.syms[sp.sym].name)
		b.Field(3).(*array.Date32Builder).Append(arrow.Date32(sp.start))
		b.Field(4).(*array.Date32Builder).Append(arrow.Date32(sp.end))
	}
	return b
}

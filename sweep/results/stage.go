package results

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// stager holds the record batches one write transaction loads, a table at a
// time: add them, then register them before the transaction begins, load
// each table inside it, and drop what register made after it.
type stager struct {
	db       *DB
	tables   []stagedTable
	releases []func()
	owned    []arrow.RecordBatch // records add made, freed by release
}

// stagedTable is one table's records of a write.
type stagedTable struct {
	name   string
	cols   []string // the columns the records fill, nil meaning all in order
	schema *arrow.Schema
	recs   []arrow.RecordBatch
	view   string // the view register made of them, if any
}

// add stages recs, all of schema s, for the columns cols of table (every
// column, in order, when cols is nil). No records, nothing staged. Runs of
// small records (a cell's rows each) are joined into records of up to
// chunkRows rows: DuckDB's Arrow scan and the appender pay per record and
// column, about 20 µs, which for a batch of one-row metrics records of 35
// columns cost more than the rows themselves.
func (s *stager) add(table string, cols []string, schema *arrow.Schema, recs []arrow.RecordBatch) error {
	if len(recs) == 0 {
		return nil
	}
	joined, err := s.join(schema, recs)
	if err != nil {
		return fmt.Errorf("results: %s: %w", table, err)
	}
	s.tables = append(s.tables, stagedTable{name: table, cols: cols, schema: schema, recs: joined})
	return nil
}

// chunkRows bounds the rows of a record add joins: DuckDB's row group.
const chunkRows = RowGroupRows

// join returns recs with each run of records that fits in chunkRows rows
// joined into one record.
func (s *stager) join(schema *arrow.Schema, recs []arrow.RecordBatch) ([]arrow.RecordBatch, error) {
	var out []arrow.RecordBatch
	cols := make([]arrow.Array, 0, len(recs))
	for lo := 0; lo < len(recs); {
		hi, rows := lo+1, recs[lo].NumRows()
		for hi < len(recs) && rows+recs[hi].NumRows() <= chunkRows {
			rows += recs[hi].NumRows()
			hi++
		}
		if hi-lo == 1 {
			out = append(out, recs[lo])
			lo = hi
			continue
		}
		arrs := make([]arrow.Array, schema.NumFields())
		for c := range arrs {
			cols = cols[:0]
			for _, r := range recs[lo:hi] {
				cols = append(cols, r.Column(c))
			}
			a, err := array.Concatenate(cols, memory.DefaultAllocator)
			if err != nil {
				for _, made := range arrs[:c] {
					made.Release()
				}
				return nil, fmt.Errorf("join records: %w", err)
			}
			arrs[c] = a
		}
		rec := array.NewRecordBatch(schema, arrs, rows)
		for _, a := range arrs {
			a.Release() // the record holds them
		}
		s.owned = append(s.owned, rec)
		out = append(out, rec)
		lo = hi
	}
	return out, nil
}

// release frees the records add made.
func (s *stager) release() {
	for _, r := range s.owned {
		r.Release()
	}
	s.owned = nil
}

// find returns the staged records of table, or nil.
func (s *stager) find(table string) *stagedTable {
	for i := range s.tables {
		if s.tables[i].name == table {
			return &s.tables[i]
		}
	}
	return nil
}

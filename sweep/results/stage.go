package results

import "github.com/apache/arrow-go/v18/arrow"

// stager holds the record batches one write transaction loads, a table at a
// time: add them, then register them before the transaction begins, load
// each table inside it, and drop what register made after it.
type stager struct {
	db       *DB
	tables   []stagedTable
	releases []func()
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
// column, in order, when cols is nil). No records, nothing staged.
func (s *stager) add(table string, cols []string, schema *arrow.Schema, recs []arrow.RecordBatch) {
	if len(recs) > 0 {
		s.tables = append(s.tables, stagedTable{name: table, cols: cols, schema: schema, recs: recs})
	}
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

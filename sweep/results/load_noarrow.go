//go:build !duckdb_arrow

package results

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/duckdb/duckdb-go/v2"

	"github.com/optsweep/sweep/sim"
)

// register does nothing in this build: load appends the records.
func (s *stager) register(*tx) error { return nil }

// drop does nothing in this build.
func (s *stager) drop(*tx) {}

// load appends the staged records of table inside the open transaction.
func (s *stager) load(t *tx, table string) error {
	if st := s.find(table); st != nil {
		return appendRecords(t, table, st.cols, st.schema, st.recs)
	}
	return nil
}

// appendRecords appends recs, all of schema s, to the columns cols of table
// (every column, in order, when cols is nil).
func appendRecords(t *tx, table string, cols []string, s *arrow.Schema, recs []arrow.RecordBatch) error {
	var a *duckdb.Appender
	var err error
	if cols == nil {
		a, err = duckdb.NewAppender(t.raw, "", "", table)
	} else {
		a, err = duckdb.NewAppenderWithColumns(t.raw, "", "", table, cols)
	}
	if err != nil {
		return fmt.Errorf("appender for %s: %w", table, err)
	}
	row := make([]driver.Value, s.NumFields())
	for _, rec := range recs {
		for i := range int(rec.NumRows()) {
			for c := range row {
				if row[c], err = value(rec.Column(c), i, isJSON(s.Field(c))); err != nil {
					a.Close()
					return fmt.Errorf("%s.%s: %w", table, s.Field(c).Name, err)
				}
			}
			if err := a.AppendRow(row...); err != nil {
				a.Close()
				return fmt.Errorf("append to %s: %w", table, err)
			}
		}
	}
	if err := a.Close(); err != nil {
		return fmt.Errorf("flush %s: %w", table, err)
	}
	return nil
}

// value returns row i of col as the appender takes it: JSON text as a
// json.RawMessage (the appender marshals what it is given, and would quote a
// string), dates as UTC midnight, NULL as nil.
func value(col arrow.Array, i int, isJSON bool) (driver.Value, error) {
	if col.IsNull(i) {
		return nil, nil
	}
	switch c := col.(type) {
	case *array.String:
		if isJSON {
			return json.RawMessage(c.Value(i)), nil
		}
		return c.Value(i), nil
	case *array.Int64:
		return c.Value(i), nil
	case *array.Uint64:
		return c.Value(i), nil
	case *array.Float64:
		return c.Value(i), nil
	case *array.Boolean:
		return c.Value(i), nil
	case *array.Date32:
		return sim.DayTime(int32(c.Value(i))), nil
	case *array.List:
		lo, hi := c.ValueOffsets(i)
		s := c.ListValues().(*array.String)
		out := make([]string, 0, hi-lo)
		for j := lo; j < hi; j++ {
			out = append(out, s.Value(int(j)))
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported column type %s", col.DataType())
}

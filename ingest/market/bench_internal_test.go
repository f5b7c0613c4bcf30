package market

import (
	"context"
	"testing"
)

// TestMeasureIngestRowGroups runs the ingest measurement on more rows than two
// of DuckDB's row groups (122,880 rows each). Under DuckDB 2.0.0, a scratch
// table made by CREATE TABLE AS ... LIMIT 0 inside the transaction and filled
// by the merge's ordered INSERT read back empty to COPY, and this failed with
// "parquet copy has 0 rows"; scratchTable's explicit DDL avoids it.
func TestMeasureIngestRowGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("300,000 rows")
	}
	s := openStore(t)
	const n = 300_000
	r, err := s.MeasureIngest(context.Background(), n, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if r.Rows != n || r.Stage <= 0 || r.Appender <= 0 || r.Parquet <= 0 {
		t.Fatalf("rates %+v", r)
	}
}

// TestScratchTable checks that a scratch table has its source's columns and
// that a temp table shadows a main table of the same name.
func TestScratchTable(t *testing.T) {
	s := openStore(t)
	err := s.withTx(context.Background(), func(t2 *tx) error {
		if _, err := t2.exec(`CREATE TEMP TABLE option_quotes (only_temp INTEGER)`); err != nil {
			return err
		}
		for _, c := range []struct{ src, first string }{{"stage_quotes", "day"}, {"option_quotes", "only_temp"}} {
			if c.src == "stage_quotes" {
				st, err := newStager(t2)
				if err != nil {
					return err
				}
				st.close()
			}
			if err := scratchTable(t2, "scratch", c.src); err != nil {
				return err
			}
			cols, err := columnsOf(t2, "scratch")
			if err != nil {
				return err
			}
			if !cols[c.first] {
				t.Errorf("scratch of %s: columns %v, want %s", c.src, cols, c.first)
			}
		}
		if err := scratchTable(t2, "scratch", "no_such_table"); err == nil {
			t.Error("scratch of a missing table: no error")
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatal(err)
	}
}

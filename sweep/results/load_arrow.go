//go:build duckdb_arrow

package results

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/duckdb/duckdb-go/v2"
)

// stageDB is the in-memory database attached to a results database that holds
// the views of Arrow streams a write loads from. DuckDB cannot create such a
// view in a file-backed database, nor in the transaction that writes the rows
// (one transaction writes one database), so register creates them before the
// transaction begins.
const stageDB = "sweep_stage"

// register creates a view in stageDB over each staged table's records, on the
// connection of t, outside any transaction.
func (s *stager) register(t *tx) error {
	if len(s.tables) == 0 {
		return nil
	}
	home, err := t.strings("SELECT current_database()")
	if err != nil || len(home) != 1 {
		return fmt.Errorf("current database: %v", err)
	}
	if err := t.exec("ATTACH IF NOT EXISTS ':memory:' AS " + stageDB); err != nil {
		return fmt.Errorf("attach stage: %w", err)
	}
	ar, err := duckdb.NewArrowFromConn(t.raw)
	if err != nil {
		return fmt.Errorf("arrow: %w", err)
	}
	if err := t.exec("USE " + stageDB); err != nil {
		return fmt.Errorf("use stage: %w", err)
	}
	defer t.exec(`USE "` + strings.ReplaceAll(home[0], `"`, `""`) + `"`)
	for i := range s.tables {
		st := &s.tables[i]
		rdr, err := array.NewRecordReader(st.schema, st.recs)
		if err != nil {
			return fmt.Errorf("%s: arrow reader: %w", st.name, err)
		}
		st.view = fmt.Sprintf("rows_%d", s.db.views.Add(1))
		release, err := ar.RegisterView(rdr, st.view)
		rdr.Release()
		if err != nil {
			st.view = ""
			return fmt.Errorf("%s: arrow view: %w", st.name, err)
		}
		s.releases = append(s.releases, release)
	}
	return nil
}

// load inserts the staged records of table inside the open transaction.
func (s *stager) load(t *tx, table string) error {
	st := s.find(table)
	if st == nil {
		return nil
	}
	target := table
	if st.cols != nil {
		target += ` ("` + strings.Join(st.cols, `", "`) + `")`
	}
	return t.exec("INSERT INTO " + target + " SELECT * FROM " + stageDB + "." + st.view)
}

// drop removes the views register made and frees their streams, after the
// transaction.
func (s *stager) drop(t *tx) {
	for i := range s.tables {
		if v := s.tables[i].view; v != "" {
			t.exec("DROP VIEW IF EXISTS " + stageDB + "." + v)
		}
	}
	for _, r := range s.releases {
		r()
	}
	s.releases = nil
}

package results_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sweep/results"
)

// TestItem2OpenRefusesAMarketDB: results.Open on a market store fails before
// writing anything: no results tables, no migration, schema_version still 1.
func TestItem2OpenRefusesAMarketDB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "market.duckdb")
	st, err := market.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	for name, open := range map[string]func(string) (*results.DB, error){"Open": results.Open, "OpenReadOnly": results.OpenReadOnly} {
		if db, err := open(path); err == nil {
			db.Close()
			t.Errorf("%s on a market DB succeeded", name)
		} else if !strings.Contains(err.Error(), "is a market DB") {
			t.Errorf("%s: %v", name, err)
		}
	}
	st, err = market.OpenReadOnly(path)
	if err != nil {
		t.Fatalf("the market DB no longer opens: %v", err)
	}
	defer st.Close()
	var v string
	var runs int
	if err := st.DB().QueryRow(`SELECT (SELECT value FROM meta WHERE key = 'schema_version'),
		(SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('runs', 'cells'))`).Scan(&v, &runs); err != nil || v != "1" || runs != 0 {
		t.Errorf("schema_version %q, %d results tables, %v; want 1 and none", v, runs, err)
	}
	// And the other way round.
	rpath := filepath.Join(t.TempDir(), "results.duckdb")
	db, err := results.Open(rpath)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := market.Open(rpath); err == nil || !strings.Contains(err.Error(), "is a results DB") {
		t.Errorf("market.Open on a results DB: %v", err)
	}
}

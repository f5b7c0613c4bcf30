package results

import (
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSchemaVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.duckdb")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.DB().Exec(`UPDATE meta SET value = '3' WHERE key = 'schema_version'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err := Open(path); err == nil {
		db.Close()
		t.Error("Open of a version 3 database: no error")
	}
	if db, err := OpenReadOnly(path); err == nil {
		db.Close()
		t.Error("OpenReadOnly of a version 3 database: no error")
	}
}

// makeV1 writes a version 1 database at path: the version 2 schema without
// run_cells and walk_forward, holding cells c1 and c2 of run r1 and c3 of run r2.
func makeV1(t *testing.T, path string) {
	t.Helper()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	write(t, db, testCell("c1"), testResult())
	write(t, db, testCell("c2"), testResult())
	c3 := testCell("c3")
	c3.RunID = "r2"
	write(t, db, c3, testResult())
	for _, q := range []string{`DROP TABLE run_cells`, `DROP TABLE walk_forward`,
		`UPDATE meta SET value = '1' WHERE key = 'schema_version'`} {
		if _, err := db.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMigrateV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.duckdb")
	makeV1(t, path)
	ro, err := OpenReadOnly(path)
	if err == nil {
		ro.Close()
		t.Fatal("OpenReadOnly of a version 1 database: no error")
	}
	if !strings.Contains(err.Error(), "schema version 1") || !strings.Contains(err.Error(), "read-write") {
		t.Errorf("OpenReadOnly error %q does not say to open it read-write", err)
	}

	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// run_cells is filled from cells.run_id: c1, c2 in r1 and c3 in r2.
	got := queryStrings(t, db, `SELECT run_id || ' ' || cell_key FROM run_cells ORDER BY ALL`)
	if want := []string{"r1 c1", "r1 c2", "r2 c3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("run_cells = %q, want %q", got, want)
	}
	got = queryStrings(t, db, `SELECT value FROM meta WHERE key = 'schema_version'`)
	if want := []string{"2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("schema_version = %q, want %q", got, want)
	}
	wantCounts(t, db, "c1", full)
	db.Close()

	// Migrated: read-only opens now work, and reopening changes nothing.
	ro, err = OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	got = queryStrings(t, ro, `SELECT count(*)::VARCHAR FROM run_cells`)
	if want := []string{"3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("run_cells rows = %q, want %q", got, want)
	}
	ro.Close()
}

// TestMigrateFails checks that a migration that fails leaves the version 1
// database as it was. It fails here because cells has no run_id to copy.
func TestMigrateFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.duckdb")
	makeV1(t, path)
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// Break the copy into run_cells: cells loses run_id.
	for _, q := range []string{`DROP TABLE run_cells`, `DROP TABLE walk_forward`,
		`UPDATE meta SET value = '1' WHERE key = 'schema_version'`, `ALTER TABLE cells DROP COLUMN run_id`} {
		if _, err := db.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if db, err := Open(path); err == nil {
		db.Close()
		t.Fatal("Open with a failing migration: no error")
	}
	ro, err := OpenReadOnly(path)
	if err == nil {
		ro.Close()
		t.Fatal("OpenReadOnly after a failed migration: no error")
	}
	// Still version 1, so the error is the one asking for a read-write open.
	if !strings.Contains(err.Error(), "schema version 1") {
		t.Errorf("after a failed migration: %v", err)
	}
	raw, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	err = raw.QueryRow(`SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('run_cells', 'walk_forward')`).Scan(&n)
	if err != nil || n != 0 {
		t.Errorf("tables of version 2 after a failed migration: %d (%v), want 0", n, err)
	}
}

package duckfile

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"testing"
)

func TestOpenCreatesDirectoryAndReadOnlyReads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "x.duckdb")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t AS SELECT 42 AS v`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	var v int
	if err := ro.QueryRow(`SELECT v FROM t`).Scan(&v); err != nil || v != 42 {
		t.Fatalf("read back %d, %v; want 42", v, err)
	}
	if _, err := ro.Exec(`INSERT INTO t VALUES (1)`); err == nil {
		t.Error("a write through the read-only handle succeeded")
	}
}

func TestOpenReadOnlyMissing(t *testing.T) {
	_, err := OpenReadOnly(filepath.Join(t.TempDir(), "none.duckdb"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want one wrapping fs.ErrNotExist", err)
	}
}

func TestPositional(t *testing.T) {
	got := Positional("a", 2)
	if len(got) != 2 || got[0].Ordinal != 1 || got[0].Value != "a" || got[1].Ordinal != 2 || got[1].Value != 2 {
		t.Fatalf("Positional = %+v, want ordinals 1, 2 with a, 2", got)
	}
}

// TestSandboxTwiceInOneProcess: two read-only opens of one file share DuckDB's
// instance; the second finds it sandboxed already and still refuses files.
func TestSandboxTwiceInOneProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.duckdb")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t AS SELECT 1 AS v`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	a, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var v int
	if err := a.QueryRow(`SELECT v FROM t`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	b, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.QueryRow(`SELECT v FROM t`).Scan(&v); err != nil {
		t.Fatalf("second open: %v", err)
	}
	if _, err := b.Exec(`COPY t TO '` + filepath.Join(t.TempDir(), "out.csv") + `'`); err == nil {
		t.Error("COPY TO through the second open succeeded")
	}
}

func TestSetThreads(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "t.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	threads := func() int {
		n, err := Threads(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	all := threads()
	if err := SetThreads(ctx, db, 1); err != nil || threads() != 1 {
		t.Fatalf("SetThreads(1): %v, %d threads", err, threads())
	}
	if err := SetThreads(ctx, db, 0); err != nil || threads() != all {
		t.Fatalf("SetThreads(0): %v, %d threads, want %d", err, threads(), all)
	}
}

package duckfile

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// The kinds of database the project keeps, as stored in meta under the key "kind".
const (
	KindMarket  = "market"  // option chains, bars and events (sweep ingest)
	KindResults = "results" // runs, cells and their statistics (sweep backtest, run)
	KindEmpty   = ""        // no tables at all: a new database
	KindOther   = "other"   // tables, but neither kind's
	KindMixed   = "mixed"   // both kinds' tables, as an older build could leave a file
)

// Tables that identify a database of each kind written before kind markers.
var (
	marketTables  = []string{"option_quotes", "ingest_log", "underlying_bars"}
	resultsTables = []string{"runs", "cells", "cell_metrics", "run_cells"}
)

// DetectKind reports what kind of database db is: the kind its meta table
// names, or for a file written before kind markers, the kind its tables imply.
func DetectKind(ctx context.Context, db *sql.DB) (string, error) {
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM duckdb_tables()
		WHERE database_name = current_database() AND schema_name = 'main'`)
	if err != nil {
		return "", fmt.Errorf("list tables: %w", err)
	}
	tables := map[string]bool{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return "", fmt.Errorf("list tables: %w", err)
		}
		tables[t] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("list tables: %w", err)
	}
	if len(tables) == 0 {
		return KindEmpty, nil
	}
	if tables["meta"] {
		var k string
		err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'kind'`).Scan(&k)
		switch {
		case err == nil:
			return k, nil
		case !errors.Is(err, sql.ErrNoRows):
			return "", fmt.Errorf("read kind: %w", err)
		}
	}
	has := func(names []string) bool {
		for _, n := range names {
			if tables[n] {
				return true
			}
		}
		return false
	}
	m, r := has(marketTables), has(resultsTables)
	switch {
	case m && r:
		return KindMixed, nil
	case m:
		return KindMarket, nil
	case r:
		return KindResults, nil
	}
	return KindOther, nil
}

// KindError says that a database is not of the kind a command needs.
type KindError struct {
	Path string // the file
	Got  string // what it is
	Want string // what the command needs
	Hint string // what to do instead, "" for none
}

func (e *KindError) Error() string {
	what := map[string]string{
		KindMarket:  "a market DB (option chains and bars)",
		KindResults: "a results DB (runs and cells)",
		KindOther:   "not a sweep database (it has tables of neither kind)",
		KindMixed:   "a market DB that also holds results tables (written by an older build)",
	}
	got, ok := what[e.Got]
	if !ok {
		got = fmt.Sprintf("a database of kind %q", e.Got)
	}
	msg := fmt.Sprintf("%s is %s, not a %s DB", e.Path, got, e.Want)
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

// CheckKind returns a *KindError unless db is of kind want. An empty database
// passes when empty is true (it is about to be created).
func CheckKind(ctx context.Context, db *sql.DB, path, want string, empty bool, hint string) error {
	got, err := DetectKind(ctx, db)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if got == want || got == KindEmpty && empty {
		return nil
	}
	if got == KindEmpty {
		got = KindOther
	}
	return &KindError{Path: path, Got: got, Want: want, Hint: hint}
}

// FileKind reports what kind of database the file at path is, opening it
// read-only; KindEmpty when the file does not exist yet.
func FileKind(ctx context.Context, path string) (string, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return KindEmpty, nil
	}
	db, err := OpenReadOnly(path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	k, err := DetectKind(ctx, db)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

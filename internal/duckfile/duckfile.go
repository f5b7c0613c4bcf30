// Package duckfile opens the DuckDB database files the project keeps its data in (the
// market store and the results database), and holds the small helpers both use for
// statements on a raw DuckDB connection.
package duckfile

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"

	_ "github.com/duckdb/duckdb-go/v2" // the "duckdb" driver
)

// Open opens or creates the database at path ("" for an in-memory database),
// creating its directory first. Errors name the directory or the file; callers add
// which database it is.
func Open(path string) (*sql.DB, error) {
	if path != "" {
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("create %s: %w", dir, err)
			}
		}
	}
	db, err := sql.Open("duckdb", path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// OpenReadOnly opens the existing database file at path for reading only, so that
// many processes can read it at once. A missing file is an error, not a new database.
func OpenReadOnly(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Positional turns arguments into the driver's numbered parameters ($1, $2, ...),
// for statements run on a raw driver connection.
func Positional(args ...any) []driver.NamedValue {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return named
}

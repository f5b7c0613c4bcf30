// Package duckfiletest holds test helpers for code that opens DuckDB files
// through duckfile.
package duckfiletest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/optsweep/sweep/internal/duckfile"
)

// Threads returns the threads db runs on (duckfile.Threads), failing the test
// if they cannot be read.
func Threads(tb testing.TB, db *sql.DB) int {
	tb.Helper()
	n, err := duckfile.Threads(context.Background(), db)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

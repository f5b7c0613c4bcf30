package duckfile

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// SetThreads sets the threads the DuckDB database db runs on to n, or back to
// DuckDB's default (every core) when n <= 0. The setting is the database's,
// not a connection's: it holds for every connection of db until set again.
func SetThreads(ctx context.Context, db *sql.DB, n int) error {
	q := "RESET threads"
	if n > 0 {
		q = "SET threads = " + strconv.Itoa(n)
	}
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("%s: %w", q, err)
	}
	return nil
}

// Threads returns the threads the DuckDB database db runs on.
func Threads(ctx context.Context, db *sql.DB) (int, error) {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT current_setting('threads')`).Scan(&n); err != nil {
		return 0, fmt.Errorf("threads: %w", err)
	}
	return n, nil
}

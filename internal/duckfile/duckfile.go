// Package duckfile opens the DuckDB database files the project keeps its data in (the
// market store and the results database), says which kind of database a file is, and
// holds the small helpers both use for statements on a raw DuckDB connection.
//
// Every read-only open is sandboxed with DuckDB's own settings: external access off
// (no COPY TO, read_csv, read_text, glob or ATTACH outside the database itself),
// extension installing and autoloading off, community extensions off, and the
// configuration locked so that no statement can turn any of it back on. OpenSandboxed
// lets named directories through, for exporting query results.
package duckfile

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/duckdb/duckdb-go/v2" // the "duckdb" driver
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
		if lerr := describeLock(path, err); lerr != err {
			return nil, lerr
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := describeLock(path, db.Ping()); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// lockPID finds the process DuckDB names in a lock conflict.
var lockPID = regexp.MustCompile(`\(PID (\d+)\)`)

// describeLock turns DuckDB's lock conflict on path, a raw "Could not set
// lock on file" error, into one that says which file is locked and which
// command holds it; other errors pass through.
func describeLock(path string, err error) error {
	if err == nil || !strings.Contains(err.Error(), "Could not set lock") {
		return err
	}
	who := "another process"
	if m := lockPID.FindStringSubmatch(err.Error()); m != nil {
		who = "process " + m[1]
		if b, rerr := os.ReadFile("/proc/" + m[1] + "/cmdline"); rerr == nil && len(b) > 0 {
			args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
			args[0] = filepath.Base(args[0])
			who += " (" + strings.Join(args, " ") + ")"
		}
	}
	return fmt.Errorf("%s is locked: %s holds it open, probably another sweep command (ingest, run or backtest); wait for it to finish and run this again", path, who)
}

// OpenReadOnly opens the existing database file at path for reading only, so that
// many processes can read it at once, in the sandbox OpenSandboxed describes with no
// directory allowed. A missing file is an error, not a new database.
func OpenReadOnly(path string) (*sql.DB, error) {
	return OpenSandboxed(path, nil)
}

// OpenSandboxed opens the existing database file at path for reading only, with
// external access disabled except to the directories in allow (for COPY ... TO and
// the file readers), extensions neither installed nor autoloaded, community
// extensions refused and the configuration locked. A missing file, or a directory
// that does not exist, is an error.
func OpenSandboxed(path string, allow []string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	dirs := make([]string, 0, len(allow))
	for _, d := range allow {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, err
		}
		if fi, err := os.Stat(abs); err != nil {
			return nil, err
		} else if !fi.IsDir() {
			return nil, fmt.Errorf("%s is not a directory", d)
		}
		// DuckDB compares paths as written: allow the directory both as
		// given (for relative paths in the SQL) and absolute.
		for _, p := range []string{abs, filepath.Clean(d)} {
			dirs = append(dirs, "'"+strings.ReplaceAll(p+string(filepath.Separator), "'", "''")+"'")
		}
	}
	dsn := path + "?access_mode=read_only&autoload_known_extensions=false&autoinstall_known_extensions=false" +
		"&allow_community_extensions=false"
	// The settings below are global to the database instance, which every
	// connection of this connector shares: set them on the first connection,
	// after which they are locked.
	var mu sync.Mutex
	locked := false
	conn, err := duckdb.NewConnector(dsn, func(ex driver.ExecerContext) error {
		mu.Lock()
		defer mu.Unlock()
		if locked {
			return nil
		}
		stmts := []string{}
		if len(dirs) > 0 {
			stmts = append(stmts, "SET allowed_directories = ["+strings.Join(dirs, ", ")+"]")
		}
		stmts = append(stmts, "SET enable_external_access = false", "SET lock_configuration = true")
		if sandboxed(ex) {
			// Another open of the same file in this process shares the
			// database instance, already sandboxed and locked.
			locked = true
			return nil
		}
		for _, q := range stmts {
			if _, err := ex.ExecContext(context.Background(), q, nil); err != nil {
				return fmt.Errorf("sandbox %s: %s: %w", path, q, err)
			}
		}
		locked = true
		return nil
	})
	if err != nil {
		if lerr := describeLock(path, err); lerr != err {
			return nil, lerr
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return sql.OpenDB(conn), nil
}

// sandboxed reports whether the connection's database already has external
// access off and its configuration locked.
func sandboxed(ex driver.ExecerContext) bool {
	q, ok := ex.(driver.QueryerContext)
	if !ok {
		return false
	}
	rows, err := q.QueryContext(context.Background(),
		`SELECT current_setting('enable_external_access') = false AND current_setting('lock_configuration') = true`, nil)
	if err != nil {
		return false
	}
	defer rows.Close()
	v := make([]driver.Value, 1)
	if rows.Next(v) != nil {
		return false
	}
	b, _ := v[0].(bool)
	return b
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

package results

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/optsweep/sweep/internal/duckfile"
)

// SchemaVersion is stored in the meta table; a database written by another version
// is refused rather than misread, except that Open migrates a version 1 database
// in place (see the package documentation). The meta table also holds kind =
// 'results', which every open checks before anything else, so that a market
// store is never migrated or written to as a results database.
const SchemaVersion = 2

// ddl creates the results tables. The package documentation describes every column.
var ddl = []string{
	`CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
	`CREATE TABLE IF NOT EXISTS runs (
		run_id           VARCHAR PRIMARY KEY,
		kind             VARCHAR NOT NULL,  -- 'backtest' or 'sweep'
		name             VARCHAR,
		config           VARCHAR,           -- the grid or strategy file's text
		engine_version   VARCHAR,
		data_fingerprint VARCHAR,
		market_db        VARCHAR,           -- path of the market database read
		started_at       TIMESTAMPTZ NOT NULL,
		finished_at      TIMESTAMPTZ,       -- NULL while running (or after a crash)
		status           VARCHAR NOT NULL   -- 'running', then what FinishRun says
	)`,
	`CREATE TABLE IF NOT EXISTS cells (
		cell_key  VARCHAR PRIMARY KEY,
		run_id    VARCHAR NOT NULL,
		strategy  VARCHAR NOT NULL,
		symbols   VARCHAR[] NOT NULL,
		date_from DATE,
		date_to   DATE,
		seed      UBIGINT NOT NULL,
		params    JSON NOT NULL             -- {"name": "value as text"}; typed copies in p_<name>
	)`,
	`CREATE TABLE IF NOT EXISTS cell_metrics (
		cell_key            VARCHAR PRIMARY KEY,
		trades              BIGINT,
		wins                BIGINT,
		losses              BIGINT,
		win_rate            DOUBLE,
		gross_pnl           DOUBLE,
		fees                DOUBLE,
		net_pnl             DOUBLE,
		roc_mean            DOUBLE,
		roc_median          DOUBLE,
		roc_std             DOUBLE,
		roc_min             DOUBLE,
		roc_max             DOUBLE,
		start_equity        DOUBLE,
		end_equity          DOUBLE,
		total_return        DOUBLE,
		cagr                DOUBLE,
		sharpe              DOUBLE,
		sortino             DOUBLE,
		calmar              DOUBLE,
		max_drawdown        DOUBLE,
		max_drawdown_days   BIGINT,
		max_drawdown_start  DATE,
		max_drawdown_trough DATE,
		max_drawdown_end    DATE,
		recovered           BOOLEAN,
		profit_factor       DOUBLE,
		expectancy          DOUBLE,
		avg_days_held       DOUBLE,
		avg_win             DOUBLE,
		avg_loss            DOUBLE,
		exit_reasons        JSON,
		open_trades         BIGINT,
		orders              BIGINT,
		rejected_orders     BIGINT
	)`,
	`CREATE TABLE IF NOT EXISTS trades (
		cell_key         VARCHAR NOT NULL,
		trade_id         BIGINT NOT NULL,
		position_id      BIGINT NOT NULL,
		symbol           VARCHAR NOT NULL,
		tag              VARCHAR,
		phase            VARCHAR,
		legs             VARCHAR,
		legs_json        JSON,
		quantity         BIGINT,
		opened           DATE NOT NULL,
		closed           DATE,
		days_held        BIGINT,
		entry            DOUBLE,
		exit_price       DOUBLE,
		gross            DOUBLE,
		fees             DOUBLE,
		net              DOUBLE,
		collateral       DOUBLE,
		roc              DOUBLE,
		exit_reason      VARCHAR,
		touches          BIGINT,
		draws            JSON,
		entry_spot       DOUBLE,
		entry_vix        DOUBLE,
		entry_delta      DOUBLE,
		entry_iv         DOUBLE,
		entry_ivp        DOUBLE,
		entry_spread_pct DOUBLE,
		entry_dte        BIGINT
	)`,
	`CREATE TABLE IF NOT EXISTS equity (
		cell_key   VARCHAR NOT NULL,
		trade_date DATE NOT NULL,
		equity     DOUBLE,
		cash       DOUBLE,
		collateral DOUBLE,
		drawdown   DOUBLE
	)`,
	`CREATE TABLE IF NOT EXISTS events (
		cell_key    VARCHAR NOT NULL,
		trade_date  DATE NOT NULL,
		position_id BIGINT,
		kind        VARCHAR NOT NULL,
		trade_id    BIGINT,
		detail      VARCHAR
	)`,
	`CREATE TABLE IF NOT EXISTS decisions (
		cell_key   VARCHAR NOT NULL,
		trade_date DATE NOT NULL,
		symbol     VARCHAR,
		kind       VARCHAR,
		message    VARCHAR
	)`,
	`CREATE TABLE IF NOT EXISTS run_cells (
		run_id   VARCHAR NOT NULL,
		cell_key VARCHAR NOT NULL,
		PRIMARY KEY (run_id, cell_key)
	)`,
	`CREATE TABLE IF NOT EXISTS walk_forward (
		run_id         VARCHAR NOT NULL,
		fold           BIGINT NOT NULL,
		symbols        VARCHAR[] NOT NULL,
		train_from     DATE,
		train_to       DATE,
		test_from      DATE,
		test_to        DATE,
		metric         VARCHAR,
		goal           VARCHAR,        -- 'max' or 'min'
		train_cell_key VARCHAR,
		train_value    DOUBLE,
		test_cell_key  VARCHAR,
		test_value     DOUBLE,
		params         JSON            -- the chosen parameters, {"name": "value as text"}
	)`,
}

// partTables are the tables a Parquet part holds, one file each.
var partTables = []string{"runs", "run_cells", "cells", "cell_metrics", "trades", "equity", "events",
	"decisions", "walk_forward"}

// cellTables are the tables holding a cell's rows, each keyed by cell_key.
var cellTables = []string{"cells", "cell_metrics", "trades", "equity", "events", "decisions"}

// resultsHint is what a command given a database of the wrong kind is pointed to.
const resultsHint = "results go to their own file (--out runs/results.duckdb by default)"

// DB is an open results database. Its methods may be called from several
// goroutines; writes are serialised.
type DB struct {
	db   *sql.DB
	path string

	mu     sync.RWMutex            // guards params; WriteCells's transactions share it, every other write holds it alone
	params map[string]string       // p_ column of cells → its DuckDB type; nil until loaded
	failAt func(step string) error // test hook: called after each step of WriteCells
	views  atomic.Int64            // names the staging views of writes (see stager)
}

// Open opens or creates the results database at path ("" for an in-memory
// database), creating its directory and schema.
func Open(path string) (*DB, error) {
	sdb, err := duckfile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	db := &DB{db: sdb, path: path}
	if err := duckfile.CheckKind(context.Background(), sdb, path, duckfile.KindResults, true, resultsHint); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("results: %w", err)
	}
	if err := db.init(); err != nil {
		sdb.Close()
		return nil, err
	}
	// Checkpoint per 128 MB of WAL rather than per 16 MB: a sweep commits a
	// batch every few hundred cells, and each checkpoint rewrites the row
	// groups the batch touched (the last one half full), so fewer cost less
	// (a 1,000-cell grid's writes: about 4 s instead of 6-7). Not per GB as
	// the market store does: data waiting for its checkpoint stays in memory,
	// and a 100k-cell run then peaked at 1.38 GB (0.87 GB at 128 MB). Closing
	// checkpoints what is left; a crash replays the WAL to the last commit.
	if _, err := sdb.Exec("SET checkpoint_threshold = '128MB'"); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("results: %w", err)
	}
	return db, nil
}

// OpenReadOnly opens an existing results database for reading only. Every write
// through it fails.
func OpenReadOnly(path string) (*DB, error) {
	sdb, err := duckfile.OpenReadOnly(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	db := &DB{db: sdb, path: path}
	if err := duckfile.CheckKind(context.Background(), sdb, path, duckfile.KindResults, false, resultsHint); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("results: %w", err)
	}
	if err := db.checkVersion(context.Background()); err != nil {
		sdb.Close()
		return nil, err
	}
	return db, nil
}

// DB returns the underlying database handle, for queries the DB does not wrap
// (the name ingest/market's Store and sweep/live's Journal use for theirs).
func (db *DB) DB() *sql.DB { return db.db }

// Path returns the file the database was opened from ("" when in memory).
func (db *DB) Path() string { return db.path }

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

// LimitThreads sets the threads DuckDB uses for this database to n, or back
// to its default (every core) when n <= 0. A sweep that runs cells on every
// core but one writes faster with one DuckDB thread than with two that
// contend with the workers for the same cores.
func (db *DB) LimitThreads(n int) error {
	if err := duckfile.SetThreads(context.Background(), db.db, n); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	return nil
}

// init creates the schema of a new database, migrates a version 1 database, and
// checks the version of any other, all in one transaction.
func (db *DB) init() error {
	ctx := context.Background()
	return db.withTx(ctx, func(t *tx) error {
		if err := t.exec(ddl[0]); err != nil {
			return fmt.Errorf("results: create schema: %w", err)
		}
		v, err := t.version()
		if err != nil {
			return fmt.Errorf("results: %s: read schema version: %w", db.path, err)
		}
		switch v {
		case "", "1", fmt.Sprint(SchemaVersion):
		default:
			return fmt.Errorf("results: %s has schema version %s, this build reads %d", db.path, v, SchemaVersion)
		}
		for _, q := range ddl[1:] {
			if err := t.exec(q); err != nil {
				return fmt.Errorf("results: create schema: %w", err)
			}
		}
		if v == "1" {
			// Version 2 added run_cells and walk_forward; until then a cell belonged
			// to the run that computed it.
			err := t.exec(`INSERT INTO run_cells SELECT run_id, cell_key FROM cells ON CONFLICT DO NOTHING`)
			if err != nil {
				return fmt.Errorf("results: %s: migrate to schema version %d: %w", db.path, SchemaVersion, err)
			}
		}
		err = t.exec(`INSERT INTO meta VALUES ('schema_version', ?)
			ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, fmt.Sprint(SchemaVersion))
		if err != nil {
			return fmt.Errorf("results: write schema version: %w", err)
		}
		if err := t.exec(`INSERT INTO meta VALUES ('kind', ?) ON CONFLICT DO NOTHING`, duckfile.KindResults); err != nil {
			return fmt.Errorf("results: write kind: %w", err)
		}
		return nil
	})
}

// version returns the schema version stored in meta, "" if none is.
func (t *tx) version() (string, error) {
	rows, err := t.raw.QueryContext(t.ctx, `SELECT value FROM meta WHERE key = 'schema_version'`, nil)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	vals := make([]driver.Value, 1)
	switch err := rows.Next(vals); {
	case err == io.EOF:
		return "", nil
	case err != nil:
		return "", err
	}
	v, _ := vals[0].(string)
	return v, nil
}

func (db *DB) checkVersion(ctx context.Context) error {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v)
	if err != nil {
		return fmt.Errorf("results: %s is not a results database (no schema version): %w", db.path, err)
	}
	if v == "1" {
		return fmt.Errorf("results: %s has schema version 1, this build reads %d: open it once read-write "+
			"(any sweep command that writes results) to migrate it", db.path, SchemaVersion)
	}
	if v != fmt.Sprint(SchemaVersion) {
		return fmt.Errorf("results: %s has schema version %s, this build reads %d", db.path, v, SchemaVersion)
	}
	return nil
}

// tx is one connection inside an open transaction. Statements go through the raw
// DuckDB connection, which is also what appenders need.
type tx struct {
	ctx context.Context
	raw *duckdb.Conn
}

// exec runs a statement with positional arguments.
func (t *tx) exec(query string, args ...any) error {
	_, err := t.raw.ExecContext(t.ctx, query, duckfile.Positional(args...))
	return err
}

// withTx runs fn inside a transaction on one connection. It commits if fn succeeds
// and rolls back otherwise, so a failed cell leaves the database as it was.
func (db *DB) withTx(ctx context.Context, fn func(t *tx) error) error {
	return db.withStagedTx(ctx, nil, fn)
}

// withStagedTx is withTx that registers st's records on the connection before
// the transaction begins and drops them after it ends; st may be nil.
func (db *DB) withStagedTx(ctx context.Context, st *stager, fn func(t *tx) error) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("results: connection: %w", err)
	}
	defer conn.Close()
	return duckfile.Raw(conn, func(raw *duckdb.Conn) error {
		t := &tx{ctx: ctx, raw: raw}
		if st != nil {
			defer st.drop(&tx{ctx: context.Background(), raw: raw})
			if err := st.register(t); err != nil {
				return fmt.Errorf("results: stage rows: %w", err)
			}
		}
		if err := t.exec("BEGIN TRANSACTION"); err != nil {
			return fmt.Errorf("results: begin: %w", err)
		}
		if err := fn(t); err != nil {
			// A fresh context: the caller's may be why we are failing.
			t.ctx = context.Background()
			if rbErr := t.exec("ROLLBACK"); rbErr != nil {
				return errors.Join(err, fmt.Errorf("results: rollback: %w", rbErr))
			}
			return err
		}
		// Cancelled by now: give up. Not yet: commit whatever happens next, and
		// never return the connection to the pool inside a transaction.
		t.ctx = context.Background()
		if err := ctx.Err(); err != nil {
			return errors.Join(fmt.Errorf("results: %w", err), t.exec("ROLLBACK"))
		}
		if err := t.exec("COMMIT"); err != nil {
			return errors.Join(fmt.Errorf("results: commit: %w", err), t.exec("ROLLBACK"))
		}
		return nil
	})
}

// strings runs a query returning one VARCHAR column and returns its values.
func (t *tx) strings(query string, args ...any) ([]string, error) {
	rows, err := t.raw.QueryContext(t.ctx, query, duckfile.Positional(args...))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	vals := make([]driver.Value, 1)
	for {
		err := rows.Next(vals)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		s, ok := vals[0].(string)
		if !ok {
			return nil, fmt.Errorf("got %T, want a string", vals[0])
		}
		out = append(out, s)
	}
}

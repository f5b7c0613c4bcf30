// Package market is the DuckDB market store: its schema, the loaders that fill it from
// DBN, CSV and Parquet files, and the readers that hand option chains to sim as
// column slices.
//
// Every loaded file is recorded in ingest_log by its SHA-256, so loading it again adds
// nothing. A file loads in one transaction: an error anywhere (a truncated record, a
// malformed CSV row) rolls the whole file back and leaves the database as it was.
//
// Conventions: prices are float64 dollars, converted once from DBN's int64 × 1e-9;
// dates are DuckDB DATEs holding the exchange (New York) trading date; the option side
// is put_call holding 'P' or 'C' ("right" is an SQL keyword).
package market

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/optsweep/sweep/internal/duckfile"
)

// SchemaVersion is stored in the meta table; a store written by another version is
// refused rather than misread. The meta table also holds kind = 'market', which
// every open checks first, so that a results database is never taken for a store.
const SchemaVersion = 1

// ddl creates the market tables. Column comments are the documentation users read
// through DuckDB's duckdb_columns().
var ddl = []string{
	`CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
	`CREATE TABLE IF NOT EXISTS instruments (
		osi          VARCHAR NOT NULL,  -- 21-character OSI symbol, e.g. 'AAPL  250221C00250000'
		underlying   VARCHAR NOT NULL,  -- SPX for both SPX and SPXW
		root         VARCHAR NOT NULL,  -- OSI root: SPXW, SPX, AAPL
		expiration   DATE NOT NULL,     -- expiry date (OPRA stamps midnight UTC of this date)
		put_call     VARCHAR NOT NULL,  -- 'P' or 'C'
		strike       DOUBLE NOT NULL,
		multiplier   INTEGER NOT NULL,  -- shares per contract
		style        VARCHAR NOT NULL,  -- 'american' or 'european' exercise
		settlement   VARCHAR NOT NULL,  -- 'AM' or 'PM'
		exchange     VARCHAR,
		currency     VARCHAR,
		dataset      VARCHAR
	)`,
	`CREATE TABLE IF NOT EXISTS instrument_ids (
		dataset       VARCHAR NOT NULL,
		instrument_id UBIGINT NOT NULL,
		symbol        VARCHAR NOT NULL, -- raw symbol the id stands for
		start_date    DATE NOT NULL,    -- first UTC date of validity
		end_date      DATE NOT NULL     -- exclusive
	)`,
	`CREATE TABLE IF NOT EXISTS option_quotes (
		trade_date    DATE NOT NULL,
		underlying    VARCHAR NOT NULL,
		expiration    DATE NOT NULL,
		put_call      VARCHAR NOT NULL,
		strike        DOUBLE NOT NULL,
		osi           VARCHAR NOT NULL,
		bid           DOUBLE,       -- last quote with both sides defined at or before the snapshot
		ask           DOUBLE,
		bid_size      INTEGER,
		ask_size      INTEGER,
		quote_ts      TIMESTAMPTZ,  -- when that quote was received
		volume        BIGINT,       -- the whole day's consolidated volume (known at the close)
		open_interest BIGINT,       -- as published before the open of trade_date
		open          DOUBLE,       -- the day's consolidated bar (see README: OPRA daily bars)
		high          DOUBLE,
		low           DOUBLE,
		close         DOUBLE,
		flags         UTINYINT NOT NULL DEFAULT 0 -- data-quality bits, see market.Flag*
	)`,
	`CREATE TABLE IF NOT EXISTS option_intraday (
		ts          TIMESTAMPTZ NOT NULL, -- end of the minute
		underlying  VARCHAR NOT NULL,
		expiration  DATE NOT NULL,
		put_call    VARCHAR NOT NULL,
		strike      DOUBLE NOT NULL,
		osi         VARCHAR NOT NULL,
		bid         DOUBLE NOT NULL,
		ask         DOUBLE NOT NULL,
		bid_size    INTEGER,
		ask_size    INTEGER
	)`,
	`CREATE TABLE IF NOT EXISTS underlying_bars (
		trade_date DATE NOT NULL,
		symbol     VARCHAR NOT NULL, -- SPY, AAPL, SPX, VIX, VIX3M
		open       DOUBLE,
		high       DOUBLE,
		low        DOUBLE,
		close      DOUBLE NOT NULL,
		volume     BIGINT
	)`,
	`CREATE TABLE IF NOT EXISTS events (
		symbol     VARCHAR NOT NULL, -- '*' for market-wide events such as FOMC
		event_date DATE NOT NULL,
		kind       VARCHAR NOT NULL, -- 'earnings', 'ex_dividend', 'fomc', 'split' (on its ex-date)
		amount     DOUBLE            -- dividend per share for ex_dividend; new shares per old share for split
	)`,
	`CREATE TABLE IF NOT EXISTS dataset_conditions (
		dataset       VARCHAR NOT NULL, -- e.g. 'OPRA.PILLAR'
		trade_date    DATE NOT NULL,
		condition     VARCHAR NOT NULL, -- 'available', 'degraded', 'pending' or 'missing' (condition.json)
		last_modified VARCHAR           -- the vendor's last_modified_date
	)`,
	`CREATE TABLE IF NOT EXISTS ingest_log (
		sha256      VARCHAR PRIMARY KEY,
		path        VARCHAR NOT NULL,
		dataset     VARCHAR,
		schema      VARCHAR,
		records     BIGINT NOT NULL, -- records or rows read from the file
		rows        BIGINT NOT NULL, -- rows written or updated across tables
		status      VARCHAR NOT NULL,
		message     VARCHAR,
		ingested_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
	)`,
}

// marketHint is what a command told a database of the wrong kind is pointed to.
const marketHint = "market data lives in its own file (--db data/market.duckdb by default)"

// Store is an open market database.
type Store struct {
	db    *sql.DB
	path  string
	views atomic.Int64 // names the views of staged Arrow records uniquely
}

// Open opens or creates the market database at path ("" for an in-memory store)
// and makes sure the schema exists.
func Open(path string) (*Store, error) {
	db, err := duckfile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("market: %w", err)
	}
	s := &Store{db: db, path: path}
	if err := duckfile.CheckKind(context.Background(), db, path, duckfile.KindMarket, true, marketHint); err != nil {
		db.Close()
		return nil, fmt.Errorf("market: %w", err)
	}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// OpenReadOnly opens an existing market database for reading only, so that many
// processes (sweep shards) can read it at once.
func OpenReadOnly(path string) (*Store, error) {
	db, err := duckfile.OpenReadOnly(path)
	if err != nil {
		return nil, fmt.Errorf("market: %w", err)
	}
	s := &Store{db: db, path: path}
	if err := duckfile.CheckKind(context.Background(), db, path, duckfile.KindMarket, false, marketHint); err != nil {
		db.Close()
		return nil, fmt.Errorf("market: %w", err)
	}
	if err := s.checkVersion(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// DB returns the underlying database handle for queries the Store does not wrap.
func (s *Store) DB() *sql.DB { return s.db }

// Path returns the file the store was opened from ("" when in memory).
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) init() error {
	ctx := context.Background()
	for _, q := range ddl {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("market: create schema: %w", err)
		}
	}
	_, err := s.db.ExecContext(ctx,
		`INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING`, fmt.Sprint(SchemaVersion))
	if err != nil {
		return fmt.Errorf("market: write schema version: %w", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO meta VALUES ('kind', ?) ON CONFLICT DO NOTHING`, duckfile.KindMarket)
	if err != nil {
		return fmt.Errorf("market: write kind: %w", err)
	}
	return s.checkVersion(ctx)
}

func (s *Store) checkVersion(ctx context.Context) error {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'schema_version'`).Scan(&v)
	if err != nil {
		return fmt.Errorf("market: %s is not a market database (no schema version): %w", s.path, err)
	}
	if v != fmt.Sprint(SchemaVersion) {
		return fmt.Errorf("market: %s has schema version %s, this build reads %d", s.path, v, SchemaVersion)
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
func (t *tx) exec(query string, args ...any) (int64, error) {
	res, err := t.raw.ExecContext(t.ctx, query, duckfile.Positional(args...))
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// eachRow runs a query with positional arguments and calls fn with each row's
// values, which are valid only during the call.
func (t *tx) eachRow(query string, args []any, fn func(row []driver.Value) error) error {
	rows, err := t.raw.QueryContext(t.ctx, query, duckfile.Positional(args...))
	if err != nil {
		return err
	}
	defer rows.Close()
	dst := make([]driver.Value, len(rows.Columns()))
	for {
		err := rows.Next(dst)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(dst); err != nil {
			return err
		}
	}
}

// queryString runs a query that returns one string.
func (t *tx) queryString(query string) (string, error) {
	rows, err := t.raw.QueryContext(t.ctx, query, nil)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	dst := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(dst); err != nil {
		return "", err
	}
	s, ok := dst[0].(string)
	if !ok {
		return "", fmt.Errorf("%s: got %T, want a string", query, dst[0])
	}
	return s, nil
}

// queryInt runs a query returning one integer (0 when NULL or no row).
func (t *tx) queryInt(query string, args ...any) (int64, error) {
	rows, err := t.raw.QueryContext(t.ctx, query, duckfile.Positional(args...))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	dst := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(dst); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, nil
		}
		return 0, err
	}
	switch v := dst[0].(type) {
	case nil:
		return 0, nil
	case int64:
		return v, nil
	case int32:
		return int64(v), nil
	case uint64:
		return int64(v), nil
	case bool:
		if v {
			return 1, nil
		}
		return 0, nil
	default:
		return 0, fmt.Errorf("market: unexpected %T from %q", v, query)
	}
}

// withTx runs fn inside a transaction on one connection. It commits if fn succeeds
// and rolls back otherwise, so a failed file leaves the database as it was.
func (s *Store) withTx(ctx context.Context, fn func(t *tx) error) error {
	return s.withTxAfter(ctx, nil, fn)
}

// withTxAfter is withTx with before run on the connection first, outside the
// transaction; the function it returns runs after the transaction ends.
func (s *Store) withTxAfter(ctx context.Context, before func(t *tx) (after func(), err error), fn func(t *tx) error) error {
	return s.withConn(ctx, func(raw *duckdb.Conn) error {
		t := &tx{ctx: ctx, raw: raw}
		if before != nil {
			after, err := before(t)
			if err != nil {
				return err
			}
			defer after()
		}
		// A bulk load checkpoints once per GB of WAL rather than per 16 MB: each
		// checkpoint rewrites the row groups files updated, so fewer, larger ones
		// cost less. A crash still replays the WAL to the last commit.
		if _, err := t.exec("SET checkpoint_threshold = '1GB'"); err != nil {
			return fmt.Errorf("market: %w", err)
		}
		if _, err := t.exec("BEGIN TRANSACTION"); err != nil {
			return fmt.Errorf("market: begin: %w", err)
		}
		if err := fn(t); err != nil {
			// A fresh context: the caller's may be why we are failing.
			t.ctx = context.Background()
			if _, rbErr := t.exec("ROLLBACK"); rbErr != nil {
				return errors.Join(err, fmt.Errorf("market: rollback: %w", rbErr))
			}
			return err
		}
		// Once fn has succeeded the file is loaded: Ctrl-C now must neither
		// interrupt the commit nor report a file that committed as failed.
		t.ctx = context.WithoutCancel(t.ctx)
		if _, err := t.exec("COMMIT"); err != nil {
			return fmt.Errorf("market: commit: %w", err)
		}
		return nil
	})
}

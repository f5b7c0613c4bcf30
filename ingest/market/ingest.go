package market

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/internal/duckfile"
)

// DefaultSnapshot is the New York time of day of the daily option snapshot.
const DefaultSnapshot = 15*time.Hour + 45*time.Minute

// Options control how a file is loaded.
type Options struct {
	// Snapshot is the New York time of day of the daily option snapshot, as a
	// duration since midnight; zero means DefaultSnapshot. On early-close days the
	// snapshot moves earlier by as much as the close does.
	Snapshot time.Duration
	// Intraday keeps the last quote of every minute for contracts on their expiry
	// day (0DTE) in option_intraday.
	Intraday bool
	// Format is "dbn", "csv" or "parquet"; empty infers it from the file name.
	Format string
	// AllowUnresolved skips records whose instrument id resolves to no symbol,
	// noting how many; by default they fail the file, so that it can be loaded
	// again once the definitions it needs are in.
	AllowUnresolved bool
	// Table is the target table of a CSV or Parquet file; empty infers it from
	// the file's columns.
	Table string
}

func (o Options) snapshot() time.Duration {
	if o.Snapshot == 0 {
		return DefaultSnapshot
	}
	return o.Snapshot
}

// Result describes one ingested file.
type Result struct {
	Path    string
	SHA256  string
	Format  string
	Dataset string
	Schema  string
	Records int64            // records (DBN) or rows (CSV, Parquet) read
	Rows    map[string]int64 // rows inserted or updated, per table
	Skipped bool             // already ingested: nothing changed
	Notes   []string         // what was skipped and why
	Elapsed time.Duration
}

// TotalRows is the number of rows inserted or updated across tables.
func (r *Result) TotalRows() int64 {
	var n int64
	for _, v := range r.Rows {
		n += v
	}
	return n
}

// Ingest loads one file into the store in one transaction. A file whose SHA-256 is
// already in ingest_log is skipped and reported as such. On error the store is left
// exactly as it was, and the error names the file and, for DBN, the byte offset.
func (s *Store) Ingest(ctx context.Context, path string, opts Options) (*Result, error) {
	return s.ingest(ctx, path, opts, nil)
}

// ingest is Ingest of a DBN file already decoded into p, when p is not nil.
func (s *Store) ingest(ctx context.Context, path string, opts Options, p *decoded) (res *Result, err error) {
	start := time.Now()
	var sum string
	if ahead := p; ahead != nil {
		defer func() { // the decode ran before, on its own goroutine
			if res != nil {
				res.Elapsed += ahead.took
			}
		}()
		sum, err = p.sum, p.sumErr
	} else {
		sum, err = fileSHA256(path)
	}
	if err != nil {
		return nil, err
	}
	res = &Result{Path: path, SHA256: sum, Rows: map[string]int64{}}
	if kind := SupportFile(path); kind != "" && opts.Format == "" {
		if err := s.ingestSupport(ctx, path, kind, res); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		res.Elapsed = time.Since(start)
		return res, nil
	}
	if prior, ok, err := s.ingested(ctx, sum); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	} else if ok {
		res.Skipped = true
		res.Notes = append(res.Notes, "already ingested (same SHA-256) from "+prior)
		res.Elapsed = time.Since(start)
		return res, nil
	}
	res.Format, err = detectFormat(path, opts.Format)
	if err != nil {
		return nil, err
	}
	switch res.Format {
	case "dbn":
		if p == nil || p.rows == nil && p.err == nil {
			if p, err = s.decodeDBN(ctx, path, opts, sum, nil); err != nil {
				return nil, err
			}
		}
		err = s.ingestDBN(ctx, p, res)
	default:
		err = s.ingestTabular(ctx, path, opts, res)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// ingested returns the path a file of SHA-256 sum was ingested from, if one was.
func (s *Store) ingested(ctx context.Context, sum string) (string, bool, error) {
	var prior string
	err := s.db.QueryRowContext(ctx, `SELECT path FROM ingest_log WHERE sha256 = ?`, sum).Scan(&prior)
	switch {
	case err == nil:
		return prior, true, nil
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	}
	return "", false, fmt.Errorf("market: read ingest_log: %w", err)
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("market: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("market: read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// FormatOf returns the format a file's name implies: "dbn", "csv" or
// "parquet", or an error when the name implies none.
func FormatOf(path string) (string, error) { return detectFormat(path, "") }

// detectFormat returns the format named, or the one the file name implies.
func detectFormat(path, format string) (string, error) {
	switch format {
	case "dbn", "csv", "parquet":
		return format, nil
	case "":
	default:
		return "", fmt.Errorf("market: unknown format %q (want dbn, csv or parquet)", format)
	}
	name := strings.ToLower(filepath.Base(path))
	name = strings.TrimSuffix(name, ".zst")
	name = strings.TrimSuffix(name, ".gz")
	switch {
	case strings.HasSuffix(name, ".dbn"), strings.HasSuffix(name, ".dbz"):
		return "dbn", nil
	case strings.HasSuffix(name, ".csv"):
		return "csv", nil
	case strings.HasSuffix(name, ".parquet"):
		return "parquet", nil
	}
	return "", fmt.Errorf("market: %s: cannot tell the format from the name; pass --format dbn|csv|parquet", path)
}

// ingestDBN writes a decoded DBN file in one transaction.
func (s *Store) ingestDBN(ctx context.Context, p *decoded, res *Result) error {
	if p.err != nil {
		return p.err
	}
	res.Dataset, res.Schema = p.dataset, p.schema
	res.Records, res.Notes = p.records, p.notes
	register := func(t *tx) (func(), error) { return p.rows.register(t, s) }
	return s.withTxAfter(ctx, register, func(t *tx) error {
		st := newLazyStager(t)
		defer st.close()
		if err := p.rows.load(st); err != nil {
			return err
		}
		var err error
		if res.Rows, err = st.merge(); err != nil {
			return err
		}
		if err := flagImpairedDays(t, p.dataset, res); err != nil {
			return err
		}
		if err := flagAdjusted(t, res); err != nil {
			return err
		}
		return logFile(t, res)
	})
}

// withMappings runs fn in one transaction with a stager and the stored
// instrument id spans of md's dataset and days, named in syms.
func (s *Store) withMappings(ctx context.Context, md *dbn.Metadata, fn func(t *tx, st *stager, syms *symtab, known []idSpan) error) error {
	return s.withTx(ctx, func(t *tx) error {
		st, err := newStager(t)
		if err != nil {
			return err
		}
		defer st.close()
		syms := newSymtab()
		known, err := knownSpans(t.ctx, t.raw, md, syms)
		if err != nil {
			return err
		}
		return fn(t, st, syms, known)
	})
}

// knownSpans loads the instrument id mappings earlier files of the same dataset
// taught the store, over the dates this file covers.
func knownSpans(ctx context.Context, raw *duckdb.Conn, md *dbn.Metadata, syms *symtab) ([]idSpan, error) {
	if md.Dataset == "" {
		return nil, nil
	}
	from, to := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	if md.Start != 0 && md.Start != dbn.UndefTimestamp {
		from = dayTime(utcDay(md.Start) - 1)
	}
	if md.End != 0 && md.End != dbn.UndefTimestamp {
		to = dayTime(utcDay(md.End) + 1)
	}
	// The bounds compare the stored columns themselves, so that DuckDB skips the
	// row groups of other months by their min/max.
	rows, err := raw.QueryContext(ctx, `SELECT instrument_id, symbol,
			date_diff('day', DATE '1970-01-01', start_date)::BIGINT,
			date_diff('day', DATE '1970-01-01', end_date)::BIGINT
		FROM instrument_ids WHERE dataset = ? AND end_date >= ? AND start_date <= ?`,
		duckfile.Positional(md.Dataset, from, to))
	if err != nil {
		return nil, fmt.Errorf("market: read instrument_ids: %w", err)
	}
	defer rows.Close()
	var out []idSpan
	dst := make([]driver.Value, 4)
	for {
		err := rows.Next(dst)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("market: read instrument_ids: %w", err)
		}
		out = append(out, idSpan{
			id:    dst[0].(uint64),
			sym:   syms.intern(dst[1].(string)),
			start: int32(dst[2].(int64)),
			end:   int32(dst[3].(int64)),
		})
	}
}

// logFile records a loaded file in ingest_log, inside its transaction.
func logFile(t *tx, res *Result) error {
	_, err := t.exec(`INSERT INTO ingest_log (sha256, path, dataset, schema, records, rows, status, message)
		VALUES (?, ?, ?, ?, ?, ?, 'ok', ?)`,
		res.SHA256, res.Path, res.Dataset, res.Schema, res.Records, res.TotalRows(), strings.Join(res.Notes, "; "))
	if err != nil {
		return fmt.Errorf("market: write ingest_log: %w", err)
	}
	return nil
}

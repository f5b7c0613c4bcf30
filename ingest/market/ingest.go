package market

import (
	"context"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/ingest/osi"
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
	start := time.Now()
	sum, err := fileSHA256(path)
	if err != nil {
		return nil, err
	}
	res := &Result{Path: path, SHA256: sum, Rows: map[string]int64{}}
	if kind := SupportFile(path); kind != "" && opts.Format == "" {
		if err := s.ingestSupport(ctx, path, kind, res); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		res.Elapsed = time.Since(start)
		return res, nil
	}
	var prior string
	err = s.db.QueryRowContext(ctx, `SELECT path FROM ingest_log WHERE sha256 = ?`, sum).Scan(&prior)
	if err == nil {
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
		err = s.ingestDBN(ctx, path, opts, res)
	default:
		err = s.ingestTabular(ctx, path, opts, res)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	res.Elapsed = time.Since(start)
	return res, nil
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

func (s *Store) ingestDBN(ctx context.Context, path string, opts Options, res *Result) error {
	dec, err := dbn.Open(path)
	if err != nil {
		return err
	}
	defer dec.Close()
	md := dec.Metadata()
	if md == nil {
		return errors.New("a DBN fragment has no metadata header and cannot be ingested on its own")
	}
	res.Dataset, res.Schema = md.Dataset, md.Schema.String()
	return s.withMappings(ctx, md, func(t *tx, st *stager, syms *symtab, known []idSpan) error {
		var err error
		l := newDBNLoader(st, md, opts, known, syms)
		if err := l.run(dec); err != nil {
			return err
		}
		if err := l.stageInstruments(); err != nil {
			return err
		}
		res.Records = l.stats.records
		res.Notes = l.stats.notes()
		if res.Rows, err = st.merge(); err != nil {
			return err
		}
		if err := flagImpairedDays(t, md.Dataset, res); err != nil {
			return err
		}
		if err := flagAdjusted(t, res); err != nil {
			return err
		}
		return logFile(t, res)
	})
}

// stageInstruments stages the option definitions and the instrument id mappings
// the file carried.
func (l *dbnLoader) stageInstruments() error {
	syms := make([]int32, 0, len(l.instr))
	for sym := range l.instr {
		syms = append(syms, sym)
	}
	sort.Slice(syms, func(i, j int) bool { return syms[i] < syms[j] })
	for _, sym := range syms {
		info := &l.syms.syms[sym]
		settlement := "PM"
		if osi.AMSettled(info.root) {
			settlement = "AM"
		}
		if err := l.st.instrument(info, l.instr[sym], settlement, l.md.Dataset); err != nil {
			return err
		}
	}
	for _, sp := range l.spans {
		if err := l.st.id(l.md.Dataset, sp, l.syms.syms[sp.sym].name); err != nil {
			return err
		}
	}
	return nil
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
		known, err := knownSpans(t, md, syms)
		if err != nil {
			return err
		}
		return fn(t, st, syms, known)
	})
}

// knownSpans loads the instrument id mappings earlier files of the same dataset
// taught the store, over the dates this file covers.
func knownSpans(t *tx, md *dbn.Metadata, syms *symtab) ([]idSpan, error) {
	if md.Dataset == "" {
		return nil, nil
	}
	from, to := int64(minInt32), int64(maxInt32)
	if md.Start != 0 && md.Start != dbn.UndefTimestamp {
		from = int64(utcDay(md.Start)) - 1
	}
	if md.End != 0 && md.End != dbn.UndefTimestamp {
		to = int64(utcDay(md.End)) + 1
	}
	rows, err := t.raw.QueryContext(t.ctx, `SELECT instrument_id, symbol,
			date_diff('day', DATE '1970-01-01', start_date)::BIGINT,
			date_diff('day', DATE '1970-01-01', end_date)::BIGINT
		FROM instrument_ids WHERE dataset = ?
		AND date_diff('day', DATE '1970-01-01', end_date) >= ?
		AND date_diff('day', DATE '1970-01-01', start_date) <= ?`,
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

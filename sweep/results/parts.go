package results

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// PartWriter writes Parquet parts into a directory, for a shard of a sweep that
// cannot write the results database itself (see the package documentation). A
// part is a directory part-NNNNNN holding one Parquet file per table.
//
// Only one PartWriter, in one process, may write into a directory at a time:
// give each shard its own directory. Its methods may be called from several
// goroutines; parts are written one at a time.
type PartWriter struct {
	dir string

	mu   sync.Mutex
	next int // number of the next part
}

// partPrefix and tmpSuffix name part directories: part-000001 is complete,
// part-000001.tmp is being written (or was, by a process that died).
const (
	partPrefix = "part-"
	tmpSuffix  = ".tmp"
)

// partNumber returns the number of a complete part directory's name, or false
// if name is not one.
func partNumber(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, partPrefix)
	if !ok || len(digits) < 6 {
		return 0, false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil
}

// NewPartWriter returns a writer of parts into dir, creating dir if needed. Its
// first part is numbered one above the highest complete part in dir; the
// unfinished (.tmp) parts a killed process left there are removed.
func NewPartWriter(dir string) (*PartWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("results: create parts directory: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("results: read parts directory: %w", err)
	}
	highest := 0
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, partPrefix) {
			continue
		}
		if n, ok := partNumber(name); ok {
			highest = max(highest, n)
		} else if strings.HasSuffix(name, tmpSuffix) {
			if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
				return nil, fmt.Errorf("results: remove unfinished part: %w", err)
			}
		}
	}
	return &PartWriter{dir: dir, next: highest + 1}, nil
}

// Dir returns the directory the parts go into.
func (p *PartWriter) Dir() string { return p.dir }

// Write writes a part holding run's row (status run.Status, "running" if empty;
// finished_at run.Finished, NULL if zero) and the rows of every cell of batch,
// which may be empty. The cells are written as WriteCells writes them, so each
// is also linked to its Cell.RunID.
func (p *PartWriter) Write(ctx context.Context, run Run, batch []CellResult) error {
	enc := make([]*Encoded, 0, len(batch))
	for i := range batch {
		e, err := Encode(batch[i])
		if err != nil {
			for _, e := range enc {
				e.Release()
			}
			return err
		}
		enc = append(enc, e)
	}
	return p.WriteEncoded(ctx, run, enc)
}

// WriteEncoded is Write of cells Encode encoded; it releases their records.
func (p *PartWriter) WriteEncoded(ctx context.Context, run Run, batch []*Encoded) error {
	if run.ID == "" {
		for _, e := range batch {
			e.Release()
		}
		return fmt.Errorf("results: part: run with an empty id")
	}
	return p.writePart(ctx, func(mem *DB) error {
		if err := mem.insertRun(ctx, run); err != nil {
			for _, e := range batch {
				e.Release()
			}
			return err
		}
		return mem.WriteEncoded(ctx, batch)
	})
}

// Link writes a part holding only run_cells rows: the cells keys belong to run
// runID too (see DB.LinkCells).
func (p *PartWriter) Link(ctx context.Context, runID string, keys []string) error {
	return p.writePart(ctx, func(mem *DB) error { return mem.LinkCells(ctx, runID, keys) })
}

// WriteFolds writes a part holding only walk_forward rows (see DB.WriteFolds).
func (p *PartWriter) WriteFolds(ctx context.Context, rows []FoldRow) error {
	return p.writePart(ctx, func(mem *DB) error { return mem.WriteFolds(ctx, rows) })
}

// writePart fills a fresh in-memory results database, copies each of its
// tables to a Parquet file in a .tmp directory, and renames the directory to
// its final name: a part is either complete or not there.
func (p *PartWriter) writePart(ctx context.Context, fill func(mem *DB) error) (err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	final := filepath.Join(p.dir, fmt.Sprintf("%s%06d", partPrefix, p.next))
	tmp := final + tmpSuffix
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("results: part: %w", err)
	}
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return fmt.Errorf("results: part: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	mem, err := Open("")
	if err != nil {
		return err
	}
	defer mem.Close()
	if err := fill(mem); err != nil {
		return fmt.Errorf("results: part %s: %w", final, err)
	}
	for _, table := range partTables {
		file := filepath.Join(tmp, table+".parquet")
		q := "COPY " + table + " TO " + sqlString(file) + " (FORMAT parquet, COMPRESSION zstd)"
		if _, err := mem.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("results: part %s: write %s: %w", final, file, err)
		}
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("results: part: %w", err)
	}
	p.next++
	return nil
}

// insertRun writes the runs row of r as a part records it.
func (db *DB) insertRun(ctx context.Context, r Run) error {
	status := r.Status
	if status == "" {
		status = StatusRunning
	}
	var finished any
	if !r.Finished.IsZero() {
		finished = r.Finished
	}
	_, err := db.db.ExecContext(ctx, `INSERT INTO runs (run_id, kind, name, config, engine_version,
		data_fingerprint, market_db, started_at, finished_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Kind, r.Name, r.Config, r.EngineVersion, r.DataFingerprint, r.MarketDB, r.Started, finished, status)
	if err != nil {
		return fmt.Errorf("write run %s: %w", r.ID, err)
	}
	return nil
}

// Keys returns the keys of the cells in the complete parts under the writer's
// directory: a restarted shard skips them.
func (p *PartWriter) Keys(ctx context.Context) (map[string]bool, error) {
	parts, err := findParts(p.dir)
	if err != nil {
		return nil, err
	}
	keys := make(map[string]bool)
	if len(parts) == 0 {
		return keys, nil
	}
	mem, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("results: part keys: %w", err)
	}
	defer mem.Close()
	for _, part := range parts {
		file := filepath.Join(part, "cells.parquet")
		ks, err := parquetKeys(ctx, mem, file)
		if err != nil {
			return nil, err
		}
		for _, k := range ks {
			keys[k] = true
		}
	}
	return keys, nil
}

// parquetKeys returns the cell_key column of a Parquet file.
func parquetKeys(ctx context.Context, db *sql.DB, file string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT cell_key FROM read_parquet(?)`, file)
	if err != nil {
		return nil, fmt.Errorf("results: read %s: %w", file, err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("results: read %s: %w", file, err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("results: read %s: %w", file, err)
	}
	return keys, nil
}

// findParts returns the complete part directories under root (root itself if it
// is one), ordered by directory and then by number. It skips .tmp directories.
func findParts(root string) ([]string, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("results: parts: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("results: parts: %s is not a directory", root)
	}
	var parts []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if _, ok := partNumber(d.Name()); ok {
			parts = append(parts, path)
			return fs.SkipDir
		}
		if strings.HasSuffix(d.Name(), tmpSuffix) && path != root {
			return fs.SkipDir
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("results: parts: %w", err)
	}
	slices.SortFunc(parts, func(a, b string) int {
		if c := strings.Compare(filepath.Dir(a), filepath.Dir(b)); c != 0 {
			return c
		}
		na, _ := partNumber(filepath.Base(a))
		nb, _ := partNumber(filepath.Base(b))
		return na - nb
	})
	return parts, nil
}

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

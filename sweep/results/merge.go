package results

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// MergeStats counts what Merge loaded.
type MergeStats struct {
	Parts int // part directories loaded
	Cells int // cells rows loaded (a cell in several parts counts once per part)
	Runs  int // distinct runs with a row in the parts
}

// partInfo is what Merge reads of a part before loading it.
type partInfo struct {
	dir    string
	params []param           // p_ columns of its cells.parquet, with their types
	keys   []string          // its cell keys
	status map[string]string // run_id → status of its runs rows
}

// Merge loads into db every complete part under roots. A root may be a part or a
// directory holding parts at any depth; .tmp directories are skipped. Every
// Parquet file of every part is checked first (present, readable, no column that
// its table lacks except the p_ columns of cells), so that a bad file fails the
// merge, with an error naming it, before anything changes. Then each part loads
// in its own transaction, following the rules of the package documentation:
// cells replace the rows under their keys, run_cells links are added,
// walk_forward rows replace those with the same run, fold and symbols, and runs
// rows are combined. Merging the same parts again changes nothing.
func Merge(ctx context.Context, db *DB, roots ...string) (MergeStats, error) {
	var stats MergeStats
	var dirs []string
	seen := make(map[string]bool)
	for _, root := range roots {
		parts, err := findParts(root)
		if err != nil {
			return stats, err
		}
		for _, p := range parts {
			abs, err := filepath.Abs(p)
			if err != nil {
				return stats, fmt.Errorf("results: merge: %w", err)
			}
			if !seen[abs] {
				seen[abs] = true
				dirs = append(dirs, p)
			}
		}
	}
	cols, err := db.tableColumns(ctx)
	if err != nil {
		return stats, err
	}
	infos := make([]partInfo, len(dirs))
	for i, dir := range dirs {
		if infos[i], err = db.inspectPart(ctx, dir, cols); err != nil {
			return stats, err
		}
	}
	status := runStatus(infos)
	for i := range infos {
		if err := db.loadPart(ctx, &infos[i], status); err != nil {
			return stats, err
		}
		stats.Parts++
		stats.Cells += len(infos[i].keys)
	}
	stats.Runs = len(status)
	return stats, nil
}

// tableColumns returns the columns of each results table.
func (db *DB) tableColumns(ctx context.Context) (map[string][]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_catalog = current_database() AND table_schema = 'main'`)
	if err != nil {
		return nil, fmt.Errorf("results: read columns: %w", err)
	}
	defer rows.Close()
	cols := make(map[string][]string)
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, fmt.Errorf("results: read columns: %w", err)
		}
		cols[t] = append(cols[t], c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("results: read columns: %w", err)
	}
	return cols, nil
}

// inspectPart checks every file of the part at dir against the tables' columns
// cols and reads its cell keys, p_ columns and runs.
func (db *DB) inspectPart(ctx context.Context, dir string, cols map[string][]string) (partInfo, error) {
	info := partInfo{dir: dir, status: make(map[string]string)}
	for _, table := range partTables {
		file := filepath.Join(dir, table+".parquet")
		if _, err := os.Stat(file); err != nil {
			return info, fmt.Errorf("results: merge: part %s is incomplete: %w", dir, err)
		}
		rows, err := db.db.QueryContext(ctx, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))`, file)
		if err != nil {
			return info, fmt.Errorf("results: merge: read %s: %w", file, err)
		}
		for rows.Next() {
			var col, typ string
			if err := rows.Scan(&col, &typ); err != nil {
				rows.Close()
				return info, fmt.Errorf("results: merge: read %s: %w", file, err)
			}
			if slices.Contains(cols[table], col) {
				continue
			}
			if table != "cells" || !validParamColumn(col, typ) {
				rows.Close()
				return info, fmt.Errorf("results: merge: %s: column %q (%s) is not in table %s", file, col, typ, table)
			}
			info.params = append(info.params, param{column: col, typ: typ})
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return info, fmt.Errorf("results: merge: read %s: %w", file, err)
		}
	}
	file := filepath.Join(dir, "cells.parquet")
	var err error
	if info.keys, err = parquetKeys(ctx, db.db, file); err != nil {
		return info, err
	}
	file = filepath.Join(dir, "runs.parquet")
	rows, err := db.db.QueryContext(ctx, `SELECT run_id, status FROM read_parquet(?)`, file)
	if err != nil {
		return info, fmt.Errorf("results: merge: read %s: %w", file, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, st string
		if err := rows.Scan(&id, &st); err != nil {
			return info, fmt.Errorf("results: merge: read %s: %w", file, err)
		}
		info.status[id] = st
	}
	if err := rows.Err(); err != nil {
		return info, fmt.Errorf("results: merge: read %s: %w", file, err)
	}
	return info, nil
}

// validParamColumn reports whether a Parquet column may become a p_ column of
// cells: a name ParamColumn could have made, and a plain type name. Both go
// into an ALTER TABLE statement.
func validParamColumn(col, typ string) bool {
	name, ok := strings.CutPrefix(col, "p_")
	if !ok || name == "" || ParamColumn(name) != col || typ == "" {
		return false
	}
	for _, r := range typ {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(" _(),[]", r)) {
			return false
		}
	}
	return true
}

// runStatus combines the statuses the parts record for each run. The parts of
// one directory are one writer's, in order, so its last part with the run's row
// holds that writer's latest status. The run is done if every writer's latest
// says done; otherwise it takes the first status that is neither done nor
// running (such as failed), if any, else running.
func runStatus(infos []partInfo) map[string]string {
	type writerRun struct{ dir, run string }
	latest := make(map[writerRun]string)
	var order []writerRun
	for _, in := range infos {
		for run, st := range in.status {
			wr := writerRun{filepath.Dir(in.dir), run}
			if _, ok := latest[wr]; !ok {
				order = append(order, wr)
			}
			latest[wr] = st
		}
	}
	rank := func(st string) int {
		switch st {
		case StatusDone:
			return 0
		case StatusRunning:
			return 1
		}
		return 2
	}
	out := make(map[string]string)
	for _, wr := range order {
		st := latest[wr]
		if cur, ok := out[wr.run]; !ok || rank(st) > rank(cur) {
			out[wr.run] = st
		}
	}
	return out
}

// loadPart loads one part in one transaction. The p_ columns it needs are added
// beforehand, each in its own transaction, as WriteCells does.
func (db *DB) loadPart(ctx context.Context, in *partInfo, status map[string]string) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if err := db.ensureParams(ctx, in.params); err != nil {
		return err
	}
	file := func(table string) string { return sqlString(filepath.Join(in.dir, table+".parquet")) }
	var stmts []string
	for _, table := range cellTables {
		stmts = append(stmts, "INSERT INTO "+table+" BY NAME SELECT * FROM read_parquet("+file(table)+")")
	}
	stmts = append(stmts,
		`INSERT INTO run_cells BY NAME SELECT * FROM read_parquet(`+file("run_cells")+`) ON CONFLICT DO NOTHING`,
		`DELETE FROM walk_forward w WHERE EXISTS (SELECT 1 FROM read_parquet(`+file("walk_forward")+`) n
			WHERE n.run_id = w.run_id AND n.fold = w.fold AND n.symbols = w.symbols)`,
		`INSERT INTO walk_forward BY NAME SELECT * FROM read_parquet(`+file("walk_forward")+`)`,
		`INSERT INTO runs BY NAME SELECT * FROM read_parquet(`+file("runs")+`)
			ON CONFLICT (run_id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
				config = EXCLUDED.config, engine_version = EXCLUDED.engine_version,
				data_fingerprint = EXCLUDED.data_fingerprint, market_db = EXCLUDED.market_db,
				started_at = least(started_at, EXCLUDED.started_at),
				finished_at = greatest(finished_at, EXCLUDED.finished_at)`)
	err := db.withTx(ctx, func(t *tx) error {
		if err := deleteCells(t, in.keys); err != nil {
			return err
		}
		for _, q := range stmts {
			if err := t.exec(q); err != nil {
				return err
			}
		}
		for run := range in.status {
			st := status[run]
			err := t.exec(`UPDATE runs SET status = ?,
				finished_at = CASE WHEN ? = 'running' THEN NULL ELSE finished_at END WHERE run_id = ?`, st, st, run)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("results: merge part %s: %w", in.dir, err)
	}
	return nil
}

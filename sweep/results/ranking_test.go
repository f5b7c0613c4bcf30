package results

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

// rankedDB holds run r1 with cells k1 (Sharpe 1.5, 12 trades), k2 (Sharpe
// 2.5, no trades), k3 (no Sharpe), k4 and k5 (Sharpe 0.5, tied) and run r2
// with cell k6 (Sharpe 9).
func rankedDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "results.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		`ALTER TABLE cells ADD COLUMN IF NOT EXISTS p_dte_min BIGINT`,
		`INSERT INTO runs (run_id, kind, name, config, started_at, status) VALUES
			('r1', 'sweep', 'one', '', TIMESTAMPTZ '2025-01-02 03:04:05+00', 'done'),
			('r2', 'sweep', 'two', '', TIMESTAMPTZ '2025-01-03 03:04:05+00', 'done')`,
		`INSERT INTO cells (cell_key, run_id, strategy, symbols, date_from, date_to, seed, params, p_dte_min) VALUES
			('k1aa', 'r1', 'wheel', ['SPY'], '2024-01-02', '2024-06-28', 1, '{"dte_min":"30"}', 30),
			('k2', 'r1', 'wheel', ['SPY', 'QQQ'], '2024-01-02', '2024-06-28', 2, '{"dte_min":"45"}', 45),
			('k3', 'r1', 'wheel', ['SPY'], '2024-01-02', '2024-06-28', 3, '{}', NULL),
			('k5', 'r1', 'wheel', ['SPY'], '2024-01-02', '2024-06-28', 5, '{}', NULL),
			('k4', 'r1', 'wheel', ['SPY'], '2024-01-02', '2024-06-28', 4, '{}', NULL),
			('k6', 'r2', 'csp', ['IWM'], '2024-01-02', '2024-06-28', 6, '{}', NULL)`,
		`INSERT INTO run_cells (run_id, cell_key) VALUES ('r1', 'k1aa'), ('r1', 'k2'), ('r1', 'k3'), ('r1', 'k4'), ('r1', 'k5'), ('r2', 'k6')
			ON CONFLICT DO NOTHING`,
		`INSERT INTO cell_metrics (cell_key, trades, sharpe, cagr, max_drawdown) VALUES
			('k1aa', 12, 1.5, 0.1, 0.05), ('k2', 0, 2.5, 0, 0), ('k3', 3, NULL, 0, 0),
			('k4', 2, 0.5, 0.01, 0.2), ('k5', 1, 0.5, 0.02, 0.3), ('k6', 7, 9, 0.5, 0.1)`,
	} {
		if _, err := db.DB().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return db
}

func TestBestBySharpe(t *testing.T) {
	db := rankedDB(t)
	for _, tt := range []struct {
		run  string
		n    int
		want string
	}{
		{"r1", 5, "[{k1aa 1.5 0.1 0.05 12} {k4 0.5 0.01 0.2 2} {k5 0.5 0.02 0.3 1}]"}, // k2 never traded, k3 has no Sharpe
		{"r1", 2, "[{k1aa 1.5 0.1 0.05 12} {k4 0.5 0.01 0.2 2}]"},
		{"r2", 5, "[{k6 9 0.5 0.1 7}]"},
		{"nope", 5, "[]"},
	} {
		got, err := db.BestBySharpe(context.Background(), tt.run, tt.n)
		if err != nil || fmt.Sprint(got) != tt.want {
			t.Errorf("BestBySharpe(%s, %d) = %v, %v; want %s", tt.run, tt.n, got, err, tt.want)
		}
	}
}

func TestCellConfigByKey(t *testing.T) {
	db := rankedDB(t)
	ctx := context.Background()
	for _, tt := range []struct{ key, want string }{
		{"k1aa", "{k1aa wheel [SPY] map[dte_min:30]}"},
		{"k1", "{k1aa wheel [SPY] map[dte_min:30]}"}, // a prefix
		{"k2", "{k2 wheel [SPY QQQ] map[dte_min:45]}"},
	} {
		got, err := db.CellConfigByKey(ctx, tt.key)
		if err != nil || fmt.Sprint(got) != tt.want {
			t.Errorf("CellConfigByKey(%s) = %v, %v; want %s", tt.key, got, err, tt.want)
		}
	}
	if _, err := db.CellConfigByKey(ctx, "zz"); !errors.Is(err, ErrNoCell) {
		t.Errorf("CellConfigByKey(zz): %v, want ErrNoCell", err)
	}
}

// TestExamples runs every example question on a results DB.
func TestExamples(t *testing.T) {
	db := rankedDB(t)
	for _, q := range []string{ExampleRuns, ExampleRunIDs, ExampleRunStatus, ExampleBestBySharpe, ExamplePnLByExit} {
		rows, err := db.DB().Query(q)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		n := 0
		for rows.Next() {
			n++
		}
		if err := rows.Err(); err != nil || (q != ExamplePnLByExit && n == 0) {
			t.Errorf("%s: %d rows, %v", q, n, err)
		}
		rows.Close()
	}
}

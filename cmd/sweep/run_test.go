package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/optsweep/sweep/sweep/results"
)

var (
	marketOnce sync.Once
	marketDB   string
	marketErr  error
	marketDir  string
)

// smallMarket ingests the small synthetic preset once for the grid tests
// (through the demo, which also runs its own grid) and returns its market DB.
func smallMarket(t *testing.T) string {
	t.Helper()
	marketOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sweep-run-test-")
		if err != nil {
			marketErr = err
			return
		}
		marketDir = dir
		code, out, errOut := sweep(t, "demo", "--preset", "small", "--dir", dir)
		if code != 0 {
			marketErr = fmt.Errorf("demo: %d\n%s\n%s", code, out, errOut)
			return
		}
		marketDB = filepath.Join(dir, "market.duckdb")
	})
	if marketErr != nil {
		t.Fatal(marketErr)
	}
	return marketDB
}

// testGrid is sweep/testdata/small-wheel.yaml: 8 wheel cells on the small
// preset, in 2 partitions.
var testGrid = mustRead("../../sweep/testdata/small-wheel.yaml")

func mustRead(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func writeGrid(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "grid.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runArgs are the flags every test run shares.
func runArgs(db, out string, extra ...string) []string {
	return append([]string{"run", "--db", db, "--out", out, "--no-cache", "--progress", "off"}, extra...)
}

// dump renders every results table as sorted lines, columns in name order,
// leaving out what legitimately differs between two runs of one grid: the
// wall-clock times of runs.
func dump(t *testing.T, path string, skip ...string) map[string][]string {
	t.Helper()
	db, err := results.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	omit := map[string]bool{"started_at": true, "finished_at": true}
	for _, s := range skip {
		omit[s] = true
	}
	out := map[string][]string{}
	for _, table := range []string{"runs", "run_cells", "cells", "cell_metrics", "trades", "equity", "events", "decisions", "walk_forward"} {
		rows, err := db.DB().Query(`SELECT column_name FROM information_schema.columns WHERE table_name = ?`, table)
		if err != nil {
			t.Fatal(err)
		}
		var cols []string
		for rows.Next() {
			var c string
			rows.Scan(&c)
			if !omit[c] {
				cols = append(cols, `coalesce("`+c+`"::VARCHAR, 'NULL')`)
			}
		}
		rows.Close()
		sort.Strings(cols)
		q := "SELECT concat_ws('|', " + strings.Join(cols, ", ") + ") FROM " + table
		lines := queryLines(t, db, q)
		sort.Strings(lines)
		out[table] = lines
	}
	return out
}

func queryLines(t *testing.T, db *results.DB, q string) []string {
	t.Helper()
	rows, err := db.DB().Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// sameTables fails unless a and b hold the same rows in every table.
func sameTables(t *testing.T, what string, a, b map[string][]string) {
	t.Helper()
	for table, rows := range a {
		other := b[table]
		if len(rows) != len(other) {
			t.Errorf("%s: %s has %d rows, want %d", what, table, len(other), len(rows))
			continue
		}
		for i := range rows {
			if rows[i] != other[i] {
				t.Errorf("%s: %s row %d differs:\n got %s\nwant %s", what, table, i, other[i], rows[i])
				break
			}
		}
	}
}

func TestRunWorkersResumeForce(t *testing.T) {
	db := smallMarket(t)
	grid := writeGrid(t, testGrid)
	dir := t.TempDir()
	one, two := filepath.Join(dir, "j1.duckdb"), filepath.Join(dir, "j2.duckdb")
	code, out, errOut := sweep(t, runArgs(db, one, "-j", "1", grid)...)
	if code != 0 || !strings.Contains(out, "8 cells run, 0 already done") || !strings.Contains(out, "best cells by Sharpe") {
		t.Fatalf("-j 1: %d\n%s\n%s", code, out, errOut)
	}
	// Flags after the file work too.
	if code, out, errOut := sweep(t, append(runArgs(db, two, grid), "-j", "2", "--batch", "3")...); code != 0 || !strings.Contains(out, "8 cells run") {
		t.Fatalf("-j 2: %d\n%s\n%s", code, out, errOut)
	}
	base := dump(t, one)
	if len(base["cells"]) != 8 || len(base["trades"]) == 0 || len(base["equity"]) != 8*len(base["equity"])/8 {
		t.Fatalf("tables: %d cells, %d trades", len(base["cells"]), len(base["trades"]))
	}
	if len(base["events"]) != 0 {
		t.Errorf("default detail stored %d events", len(base["events"]))
	}
	sameTables(t, "-j 2 against -j 1", base, dump(t, two))

	// A rerun computes nothing and changes nothing.
	code, out, _ = sweep(t, runArgs(db, one, grid)...)
	if code != 0 || !strings.Contains(out, "0 cells run, 8 already done") {
		t.Errorf("rerun: %d\n%s", code, out)
	}
	sameTables(t, "rerun", base, dump(t, one))
	// --force recomputes every cell, to the same rows.
	code, out, _ = sweep(t, runArgs(db, one, "--force", grid)...)
	if code != 0 || !strings.Contains(out, "8 cells run, 0 already done") {
		t.Errorf("--force: %d\n%s", code, out)
	}
	sameTables(t, "--force", base, dump(t, one))
	// --detail full adds the events and decisions.
	full := filepath.Join(dir, "full.duckdb")
	if code, out, errOut := sweep(t, runArgs(db, full, "--detail", "full", grid)...); code != 0 {
		t.Fatalf("--detail full: %d\n%s\n%s", code, out, errOut)
	}
	if d := dump(t, full); len(d["events"]) == 0 || len(d["decisions"]) == 0 {
		t.Errorf("--detail full: %d events, %d decisions", len(d["events"]), len(d["decisions"]))
	}
	// --detail metrics leaves the trades out but keeps the same metrics.
	lean := filepath.Join(dir, "lean.duckdb")
	if code, out, errOut := sweep(t, runArgs(db, lean, "--detail", "metrics", grid)...); code != 0 {
		t.Fatalf("--detail metrics: %d\n%s\n%s", code, out, errOut)
	}
	d := dump(t, lean)
	if len(d["trades"]) != 0 {
		t.Errorf("--detail metrics stored %d trades", len(d["trades"]))
	}
	for _, table := range []string{"cells", "cell_metrics", "equity"} {
		if strings.Join(d[table], "\n") != strings.Join(base[table], "\n") {
			t.Errorf("--detail metrics: %s differs", table)
		}
	}
}

// childEnv makes the test binary act as `sweep` with the arguments it holds
// (separated by newlines), for the kill and shard tests.
const childEnv = "SWEEP_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" {
		ctx := context.Background()
		os.Exit(run(ctx, strings.Split(args, "\n"), stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
	}
	code := m.Run()
	if marketDir != "" {
		os.RemoveAll(marketDir)
	}
	os.Exit(code)
}

func child(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"="+strings.Join(args, "\n"))
	return cmd
}

// TestRunKilled kills a run with SIGKILL after some cells are written and
// checks that running it again gives exactly the tables of a run that was
// never interrupted.
func TestRunKilled(t *testing.T) {
	db := smallMarket(t)
	grid := writeGrid(t, testGrid)
	dir := t.TempDir()
	whole, killed := filepath.Join(dir, "whole.duckdb"), filepath.Join(dir, "killed.duckdb")
	if code, out, errOut := sweep(t, runArgs(db, whole, grid)...); code != 0 {
		t.Fatalf("whole run: %d\n%s\n%s", code, out, errOut)
	}
	args := []string{"run", "--db", db, "--out", killed, "--no-cache", "--progress", "lines", "-j", "1", "--batch", "1", grid}
	cmd := child(args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := regexp.MustCompile(`: (\d+)/8 cells`)
	sc := bufio.NewScanner(stderr)
	written := 0
	for sc.Scan() {
		if m := done.FindStringSubmatch(sc.Text()); m != nil {
			if written, _ = strconv.Atoi(m[1]); written >= 2 {
				break
			}
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if written < 2 || written >= 8 {
		t.Skipf("the child wrote %d of 8 cells before the kill; nothing to resume", written)
	}
	code, out, errOut := sweep(t, runArgs(db, killed, grid)...)
	if code != 0 || !strings.Contains(out, "already done") {
		t.Fatalf("resume: %d\n%s\n%s", code, out, errOut)
	}
	m := regexp.MustCompile(`(\d+) cells run, (\d+) already done`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" || m[2] == "0" {
		t.Errorf("resume after %d cells: %s", written, out)
	}
	sameTables(t, "killed and resumed", dump(t, whole), dump(t, killed))
}

// TestRunShards runs a grid as three shard processes at once, merges their
// parts, and compares the result with the single-process run.
func TestRunShards(t *testing.T) {
	db := smallMarket(t)
	grid := writeGrid(t, testGrid)
	dir := t.TempDir()
	whole, merged, parts := filepath.Join(dir, "whole.duckdb"), filepath.Join(dir, "merged.duckdb"), filepath.Join(dir, "parts")
	if code, out, errOut := sweep(t, runArgs(db, whole, grid)...); code != 0 {
		t.Fatalf("whole run: %d\n%s\n%s", code, out, errOut)
	}
	const n = 3
	var cmds []*exec.Cmd
	for i := range n {
		var args []string
		switch i {
		case 0:
			args = runArgs(db, merged, "--shard", "0/3", "--parts", parts, "-j", "1", grid)
		default: // the others find their shard as a Slurm array task and a Kubernetes Indexed Job would
			args = runArgs(db, merged, "--parts", parts, "-j", "1", grid)
		}
		cmd := child(args...)
		if i == 1 {
			cmd.Env = append(cmd.Env, "SLURM_ARRAY_TASK_ID=5", "SLURM_ARRAY_TASK_MIN=4", "SLURM_ARRAY_TASK_COUNT=3")
		}
		if i == 2 {
			cmd.Env = append(cmd.Env, "JOB_COMPLETION_INDEX=2", "JOB_COMPLETION_COUNT=3")
		}
		cmds = append(cmds, cmd)
	}
	outs := make([]strings.Builder, n)
	for i, cmd := range cmds {
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("shard %d: %v\n%s", i, err, outs[i].String())
		}
		if want := fmt.Sprintf("shard %d/3", i); !strings.Contains(outs[i].String(), want) {
			t.Errorf("shard %d output lacks %q:\n%s", i, want, outs[i].String())
		}
	}
	for _, round := range []string{"merge", "merge again"} {
		code, out, errOut := sweep(t, "merge", "--out", merged, parts)
		if code != 0 || !strings.Contains(out, "(8 cells") {
			t.Fatalf("%s: %d\n%s\n%s", round, code, out, errOut)
		}
		sameTables(t, round, dump(t, whole), dump(t, merged))
	}
	// A shard run again finds its parts and computes nothing.
	code, out, errOut := sweep(t, runArgs(db, merged, "--shard", "1/3", "--parts", parts, grid)...)
	if code != 0 || !strings.Contains(out, "0 cells run") {
		t.Errorf("shard rerun: %d\n%s\n%s", code, out, errOut)
	}
}

func TestRunWalkForward(t *testing.T) {
	db := smallMarket(t)
	grid := writeGrid(t, `name: test-wf
strategy: {name: wheel, settings: {dte_max: 25, cc_dte_min: 5}}
symbols: [SPY]
dates:
  walk_forward: {from: 2024-01-02, to: 2024-03-28, train: 6w, test: 3w, metric: net_pnl}
params:
  dte_min: [10, 14]
  exit_pct: [0.5, 0.75]
`)
	out := filepath.Join(t.TempDir(), "wf.duckdb")
	code, text, errOut := sweep(t, runArgs(db, out, grid)...)
	if code != 0 || !strings.Contains(text, "walk-forward by net_pnl") {
		t.Fatalf("walk-forward: %d\n%s\n%s", code, text, errOut)
	}
	rdb, err := results.OpenReadOnly(out)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	// Folds: train 6 weeks from 2024-01-02, test the next 3, stepping 3
	// weeks: trains start Jan 2, Jan 23, Feb 13; tests start Feb 13, Mar 5,
	// Mar 26 (the last clipped to Mar 28). Each fold's choice is the train
	// cell with the highest net P&L, earliest on ties, and its test cell is
	// in the out-of-sample run.
	bad := queryLines(t, rdb, `
		WITH best AS (
			SELECT w.fold, max(m.net_pnl) AS top
			FROM walk_forward w
			JOIN cells c ON c.date_from = w.train_from AND c.date_to = w.train_to
			JOIN run_cells rc ON rc.cell_key = c.cell_key AND rc.run_id = replace(w.run_id, '-oos', '')
			JOIN cell_metrics m ON m.cell_key = c.cell_key
			GROUP BY w.fold)
		SELECT w.fold::VARCHAR FROM walk_forward w JOIN best b USING (fold)
		JOIN cell_metrics tm ON tm.cell_key = w.train_cell_key
		JOIN cell_metrics om ON om.cell_key = w.test_cell_key
		JOIN run_cells o ON o.cell_key = w.test_cell_key AND o.run_id = w.run_id
		WHERE tm.net_pnl <> b.top OR om.net_pnl IS DISTINCT FROM w.test_value OR tm.net_pnl <> w.train_value`)
	if len(bad) > 0 {
		t.Errorf("folds %v: the choice or the recorded values are wrong", bad)
	}
	folds := queryLines(t, rdb, `SELECT fold || ' ' || train_from || ' ' || test_from || ' ' || test_to FROM walk_forward ORDER BY fold`)
	want := []string{"0 2024-01-02 2024-02-13 2024-03-04", "1 2024-01-23 2024-03-05 2024-03-25", "2 2024-02-13 2024-03-26 2024-03-28"}
	if strings.Join(folds, ";") != strings.Join(want, ";") {
		t.Errorf("folds %q, want %q", folds, want)
	}
}

func TestRunErrors(t *testing.T) {
	db := smallMarket(t)
	out := filepath.Join(t.TempDir(), "r.duckdb")
	grid := writeGrid(t, testGrid)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{runArgs(db, out, writeGrid(t, strings.Replace(testGrid, "  dte_min: [", "  dte_mn: [", 1))), 2, `did you mean dte_min`},
		{runArgs(db, out, "--shard", "3/3", grid), 2, "0 <= i < N"},
		{runArgs(db, out, "--detail", "some", grid), 2, "want metrics, trades or full"},
		{runArgs(filepath.Join(t.TempDir(), "none.duckdb"), out, grid), 1, "sweep demo"},
		{runArgs(db, out), 2, "want one grid file"},
		{[]string{"plan", "--db", db, "--out", out, filepath.Join(t.TempDir(), "missing.yaml")}, 2, "missing.yaml"},
		{[]string{"merge", "--out", out, t.TempDir()}, 1, "no complete parts"},
	} {
		code, _, errOut := sweep(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

func TestPlan(t *testing.T) {
	db := smallMarket(t)
	out := filepath.Join(t.TempDir(), "r.duckdb")
	grid := writeGrid(t, testGrid)
	code, text, errOut := sweep(t, "plan", "--db", db, "--out", out, "--samples", "2", grid)
	if code != 0 {
		t.Fatalf("plan: %d\n%s\n%s", code, text, errOut)
	}
	for _, want := range []string{"cells: 8 = 2 symbol sets × 1 date windows × 4 combinations (dte_min 2 × exit_pct 2)",
		"partitions: 2", "AAPL 2024-01-02..2024-03-28  4 cells", "already in", "0 of 8", "cell 0 (SPY", "cell 7 (AAPL"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan lacks %q:\n%s", want, text)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("plan wrote a results DB")
	}
}

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// sweep scan records its table, prints it, reports it, and a legs grid runs,
// resumes and reports like any other.
func TestScanAndLegsGrid(t *testing.T) {
	db := smallMarket(t)
	out := filepath.Join(t.TempDir(), "results.duckdb")
	code, stdout, errOut := sweep(t, "scan", "--db", db, "--out", out, "--symbol", "SPY", "--from", "2024-01-02", "--to", "2024-03-28",
		"--set", "preset=short_put", "--set", "take_profit=0", "--set", "stop_multiple=0", "--set", "liquidity_check=false")
	if code != 0 || !strings.Contains(stdout, "entries over") || !strings.Contains(stdout, "0.25–0.30") {
		t.Fatalf("scan: %d\n%s\n%s", code, stdout, errOut)
	}
	id := strings.Fields(stdout[strings.LastIndex(stdout, "scan-"):])[0]
	id = strings.TrimSuffix(id, ":")
	code, q, errOut := sweep(t, "query", "--db", out, "SELECT sum(n) > 0 AS any FROM scan_buckets WHERE scan_id = '"+id+"'")
	if code != 0 || !strings.Contains(q, "true") {
		t.Fatalf("query: %d\n%s\n%s", code, q, errOut)
	}
	html := filepath.Join(t.TempDir(), "scan.html")
	if code, _, errOut := sweep(t, "report", "--db", out, "--scan", id, "-o", html); code != 0 {
		t.Fatalf("report --scan: %d %s", code, errOut)
	}
	if code, _, errOut := sweep(t, "scan", "--db", db, "--symbol", "SPY", "--from", "2024-01-02", "--to", "2024-03-28", "--set", "legs[0].dleta=0.3"); code != 2 || !strings.Contains(errOut, `did you mean "legs[0].delta"`) {
		t.Errorf("bad parameter: %d %s", code, errOut)
	}

	grid := writeGrid(t, `name: legs-small
strategy:
  name: legs
  settings:
    preset: iron_condor
    max_open: 3
    liquidity_check: false
    legs[0].dte_min: 3
    legs[0].dte_max: 20
symbols: [SPX]
dates: {from: 2024-01-02, to: 2024-03-28}
params:
  legs[0].delta: [0.1, 0.2]
  legs[1].width: [10, 25]
  signal:
    any:
      - vix: {below: 30}
      - not: {weekday: [mon]}
`)
	res := filepath.Join(t.TempDir(), "grid.duckdb")
	code, stdout, errOut = sweep(t, runArgs(db, res, grid)...)
	if code != 0 || !strings.Contains(stdout, "4 cells run") {
		t.Fatalf("run: %d\n%s\n%s", code, stdout, errOut)
	}
	code, stdout, _ = sweep(t, runArgs(db, res, grid)...)
	if code != 0 || !strings.Contains(stdout, "0 cells run, 4 already done") {
		t.Fatalf("resume: %d\n%s", code, stdout)
	}
	code, q, _ = sweep(t, "query", "--db", res, `SELECT count(DISTINCT "p_legs_1__width") AS widths, sum(trades) > 0 AS traded FROM cells JOIN cell_metrics USING (cell_key)`)
	if code != 0 || !strings.Contains(q, "2") || !strings.Contains(q, "true") {
		t.Fatalf("cells: %s", q)
	}
	code, stdout, _ = sweep(t, "query", "--db", res, "SELECT run_id FROM runs")
	runID := strings.Fields(strings.Split(stdout, "\n")[1])[0]
	if code, _, errOut := sweep(t, "report", "--db", res, "--sweep", runID, "-o", filepath.Join(t.TempDir(), "s.html")); code != 0 {
		t.Errorf("report: %s", errOut)
	}
}

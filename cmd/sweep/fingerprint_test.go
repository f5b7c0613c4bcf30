package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sweep/results"
)

// TestItem4RerunAfterIngestKeepsOneCellPerGridPoint is issue 18 item 4: a
// cell's key fingerprints the data it reads, so ingesting an unrelated symbol
// reuses every cell of a rerun; when a cell's data did change, the rerun
// recomputes it, says so, and the run still holds one cell per grid point,
// with runs.data_fingerprint naming the current data.
func TestItem4RerunAfterIngestKeepsOneCellPerGridPoint(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := sweep(t, "demo", "--preset", "small", "--dir", dir); code != 0 {
		t.Fatalf("demo: %d\n%s\n%s", code, out, errOut)
	}
	mdb, rdb, grid := filepath.Join(dir, "market.duckdb"), filepath.Join(dir, "results.duckdb"), filepath.Join(dir, "grid.yaml")
	rerun := func(wantRan string) string {
		t.Helper()
		code, out, errOut := sweep(t, "run", grid, "--db", mdb, "--out", rdb, "--progress", "off")
		if code != 0 || !strings.Contains(out, wantRan) {
			t.Fatalf("run: exit %d, want %q in\n%s\n%s", code, wantRan, out, errOut)
		}
		return out
	}
	state := func() (links int, fp string) {
		t.Helper()
		db, err := results.OpenReadOnly(rdb)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		err = db.DB().QueryRow(`SELECT (SELECT count(*) FROM run_cells rc JOIN runs r USING (run_id) WHERE r.name = 'demo-wheel'),
			(SELECT data_fingerprint FROM runs WHERE name = 'demo-wheel')`).Scan(&links, &fp)
		if err != nil {
			t.Fatal(err)
		}
		return links, fp
	}
	rerun("cells run") // the demo ran a shorter window: this pass runs the grid's dates
	rerun("0 cells run, 12 already done")
	links0, fp0 := state()
	if links0 != 12 {
		t.Fatalf("after the demo: %d cells in the run, want 12", links0)
	}
	ingestCSV := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, out, errOut := sweep(t, "ingest", "--db", mdb, "-q", p); code != 0 {
			t.Fatalf("ingest %s: %d\n%s\n%s", name, code, out, errOut)
		}
	}
	// An unrelated symbol: every cell is reused.
	ingestCSV("xyz.csv", "trade_date,symbol,close\n2024-01-02,XYZ,10\n2024-01-03,XYZ,11\n")
	out := rerun("0 cells run, 12 already done")
	if strings.Contains(out, "replaced") {
		t.Errorf("an unrelated ingest recomputed cells:\n%s", out)
	}
	if links, fp := state(); links != 12 || fp != fp0 {
		t.Errorf("after an unrelated ingest: %d cells (want 12), fingerprint %s (want %s)", links, fp, fp0)
	}
	// A bar of SPY inside the grid's dates: every cell reads it.
	ingestCSV("spy.csv", "trade_date,symbol,close\n2024-06-03,SPY,1234.5\n")
	out = rerun("12 cells run, 0 already done")
	if !strings.Contains(out, "12 cells of an earlier pass of this run are replaced by cells on the current data (data changed for SPY 2023-01-03..2024-12-31)") {
		t.Errorf("no word of the recomputation:\n%s", out)
	}
	if links, fp := state(); links != 12 || fp == fp0 {
		t.Errorf("after a SPY ingest: %d cells (want 12), fingerprint %s (want a new one)", links, fp)
	}
}

package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/optsweep/sweep/ingest/market"
)

// TestItem6PlanNearTheCellCapIsStreamed is issue 18 item 6: sweep plan on a
// 999,000-cell grid counts, lists partitions and samples cells without
// planning them all. It checks what the plan allocates (runtime.MemStats,
// not wall-clock time): materialising the cells took gigabytes; streaming
// them takes a bounded amount whatever the cell count.
func TestItem6PlanNearTheCellCapIsStreamed(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "market.duckdb")
	st, err := market.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	grid := filepath.Join(dir, "big.yaml")
	text := "name: big\nstrategy: wheel\nsymbols: [SPY]\ndates: {from: 2023-01-03, to: 2023-12-29}\n" +
		"data: " + db + "\nout: " + filepath.Join(dir, "results.duckdb") + "\n" +
		"params:\n  dte_max: [1000]\n  dte_min: {from: 1, to: 1000, step: 1}\n  exit_pct: {from: 0.001, to: 0.999, step: 0.001}\n"
	if err := os.WriteFile(grid, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code, out, errOut := sweep(t, "plan", grid)
	runtime.ReadMemStats(&after)
	if code != 0 || !strings.Contains(out, "cells: 999000 = 1 symbol sets × 1 date windows × 999000 combinations") ||
		!strings.Contains(out, "partitions: 1") || !strings.Contains(out, "sample cells:") {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errOut)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 512<<20 {
		t.Errorf("plan allocated %d MB for 999,000 cells; want it bounded (< 512 MB), not growing with the cell count", alloc>>20)
	} else {
		t.Logf("plan allocated %d MB", alloc>>20)
	}
}

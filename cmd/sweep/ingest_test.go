package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// "sweep gen --out g && sweep ingest g/*" loads every file, the manifest checked
// first; a file altered after generation is reported and not loaded.
func TestIngestGeneratedFolderGlob(t *testing.T) {
	g := filepath.Join(t.TempDir(), "g")
	if code, _, errOut := sweep(t, "gen", "--preset", "small", "--from", "2024-01-02", "--to", "2024-01-31", "--out", g); code != 0 {
		t.Fatalf("gen: %d %s", code, errOut)
	}
	glob, err := filepath.Glob(filepath.Join(g, "*"))
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "m.duckdb")
	code, out, errOut := sweep(t, append([]string{"ingest", "--db", db}, glob...)...)
	if code != 0 || !strings.Contains(out, "manifest.json: batch manifest file") || !strings.Contains(out, "0 failed") {
		t.Fatalf("ingest g/*: %d\n%s\n%s", code, out, errOut)
	}

	f, err := os.OpenFile(filepath.Join(g, "events.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("SPY,2024-01-19,earnings,\n")
	f.Close()
	db2 := filepath.Join(t.TempDir(), "m2.duckdb")
	code, out, errOut = sweep(t, append([]string{"ingest", "--db", db2}, glob...)...)
	if code == 0 || !strings.Contains(errOut, "events.csv has") || !strings.Contains(errOut, "events.csv: not loaded: it differs from") {
		t.Errorf("altered events.csv: %d\n%s\n%s", code, out, errOut)
	}
}

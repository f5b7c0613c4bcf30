package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optsweep/sweep/ingest/market"
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

// TestIngestHelperProcess is the child of TestIngestKilledAndRerun: it runs
// "sweep ingest" in a process of its own, so that it can be killed.
func TestIngestHelperProcess(t *testing.T) {
	args := os.Getenv("SWEEP_INGEST_HELPER")
	if args == "" {
		t.Skip("runs only as TestIngestKilledAndRerun's child process")
	}
	os.Exit(run(context.Background(), strings.Split(args, "\x1f"), stdio{in: strings.NewReader(""), out: os.Stdout, err: os.Stderr}))
}

// An ingest killed with SIGKILL part-way and run again gives the same store as one
// uninterrupted ingest: each file committed whole or not at all, and nothing
// committed twice.
func TestIngestKilledAndRerun(t *testing.T) {
	g := filepath.Join(t.TempDir(), "g")
	if code, _, errOut := sweep(t, "gen", "--preset", "small", "--from", "2024-01-02", "--to", "2024-02-29", "--out", g); code != 0 {
		t.Fatalf("gen: %d %s", code, errOut)
	}
	whole := filepath.Join(t.TempDir(), "whole.duckdb")
	if code, out, errOut := sweep(t, "ingest", "-q", "--db", whole, g); code != 0 {
		t.Fatalf("ingest: %d %s %s", code, out, errOut)
	}
	killed := filepath.Join(t.TempDir(), "killed.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^TestIngestHelperProcess$")
	cmd.Env = append(os.Environ(), "SWEEP_INGEST_HELPER="+strings.Join([]string{"ingest", "--db", killed, g}, "\x1f"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once it has committed a few files and is in the middle of others.
	sc := bufio.NewScanner(stdout)
	for n := 0; sc.Scan(); {
		if strings.Contains(sc.Text(), "] ok ") {
			if n++; n == 4 {
				break
			}
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	code, out, errOut := sweep(t, "ingest", "--db", killed, g)
	if code != 0 || !strings.Contains(out, "skip") {
		t.Fatalf("rerun: %d\n%s\n%s", code, out, errOut)
	}
	if a, b := storeFingerprint(t, whole), storeFingerprint(t, killed); a != b {
		t.Errorf("killed and rerun store differs:\n%s\nwant\n%s", b, a)
	}
}

func storeFingerprint(t *testing.T, path string) string {
	t.Helper()
	st, err := market.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var parts []string
	for _, table := range []string{"instruments", "instrument_ids", "option_quotes", "underlying_bars", "events"} {
		var n int64
		var h string
		if err := st.DB().QueryRow("SELECT count(*), coalesce(sum(hash(x))::VARCHAR, '') FROM "+table+" x").Scan(&n, &h); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("%s=%d/%s", table, n, h))
	}
	var files int64
	if err := st.DB().QueryRow("SELECT count(DISTINCT sha256) FROM ingest_log").Scan(&files); err != nil {
		t.Fatal(err)
	}
	return strings.Join(parts, " ") + fmt.Sprintf(" files=%d", files)
}

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sweep runs the command line in-process and returns its exit status and output.
func sweep(t *testing.T, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, stdio{in: strings.NewReader(""), out: &o, err: &e})
	return code, o.String(), e.String()
}

func TestHelpOnEveryCommand(t *testing.T) {
	code, out, _ := sweep(t, "help")
	if code != 0 || !strings.Contains(out, "sweep demo") {
		t.Fatalf("help: %d %q", code, out)
	}
	for _, c := range commands() {
		if !strings.Contains(out, "  "+c.name+" ") {
			t.Errorf("help does not list %s", c.name)
		}
		code, out, errOut := sweep(t, c.name, "--help")
		if code != 0 || !strings.Contains(out, "Usage: sweep "+c.name) {
			t.Errorf("%s --help: exit %d, out %q, err %q", c.name, code, out, errOut)
		}
	}
	if code, _, errOut := sweep(t, "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
}

func TestUnbuiltCommandsSaySo(t *testing.T) {
	code, _, errOut := sweep(t, "run", "grid.yaml")
	if code != 1 || !strings.Contains(errOut, "not built yet") {
		t.Errorf("run: %d %q", code, errOut)
	}
}

func TestIngestCommand(t *testing.T) {
	opra := "../../ingest/dbn/testdata/opra"
	db := filepath.Join(t.TempDir(), "m.duckdb")
	code, out, errOut := sweep(t, "ingest", "--db", db, opra)
	if code != 0 || !strings.Contains(out, "ingested 4 files") {
		t.Fatalf("ingest: %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = sweep(t, "ingest", "--db", db, opra)
	if code != 0 || strings.Count(out, "] skip ") != 4 {
		t.Errorf("second ingest: %d\n%s", code, out)
	}
	data, err := os.ReadFile("../../ingest/dbn/testdata/dbn/test_data.definition.dbn")
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.dbn")
	os.WriteFile(bad, data[:len(data)-100], 0o644)
	code, _, errOut = sweep(t, "ingest", "--db", db, bad)
	if code != 1 || !strings.Contains(errOut, "bad.dbn") || !strings.Contains(errOut, "byte offset") {
		t.Errorf("truncated file: %d %q", code, errOut)
	}
	if code, _, errOut := sweep(t, "ingest", "--db", db, "--snapshot", "25:00", opra); code != 2 || !strings.Contains(errOut, "HH:MM") {
		t.Errorf("bad --snapshot: %d %q", code, errOut)
	}
}

func TestDemoOnTheSmallPreset(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := sweep(t, "demo", "--preset", "small", "--dir", dir)
	if code != 0 {
		t.Fatalf("demo: %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"== 2/4 ingest", "option_quotes", "underlying_bars", "VIX", "not built yet (issue 4)"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	// A second run reuses the generated files and ingests nothing new.
	code, out, errOut = sweep(t, "demo", "--preset", "small", "--dir", dir)
	if code != 0 || !strings.Contains(errOut, "reusing") {
		t.Errorf("second demo: %d\n%s\n%s", code, out, errOut)
	}
}

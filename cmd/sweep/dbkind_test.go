package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optsweep/sweep/internal/duckfile"
)

// TestItem2MarketAndResultsDBsCannotBeMixed is issue 18 item 2: a market DB
// given as the results DB (an easy --db/--out swap) is refused before any
// work with a message saying what the file is, and left byte for byte as it
// was; so is a results DB given to ingest as the market DB.
func TestItem2MarketAndResultsDBsCannotBeMixed(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := sweep(t, "demo", "--preset", "small", "--dir", dir); code != 0 {
		t.Fatalf("demo: %d\n%s\n%s", code, out, errOut)
	}
	base := filepath.Join(dir, "market.duckdb")
	before, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(dir, "base-copy.duckdb")
	if err := os.WriteFile(cp, before, 0o644); err != nil {
		t.Fatal(err)
	}
	res := filepath.Join(dir, "results.duckdb") // the demo's results DB
	bt := []string{"backtest", "--strategy", "csp", "--symbols", "SPY", "--from", "2024-01-02", "--to", "2024-02-28", "-q"}
	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"backtest --out a market DB", append(bt, "--db", base, "--out", cp), 1,
			[]string{cp + " is a market DB (option chains and bars), not a results DB", "results go to --out runs/results.duckdb"}},
		{"backtest --db a results DB", append(bt, "--db", res, "--out", filepath.Join(dir, "new.duckdb")), 1,
			[]string{res + " is a results DB (runs and cells), not a market DB"}},
		{"backtest --db and --out the same", append(bt, "--db", base, "--out", base), 2,
			[]string{"--db and --out both name"}},
		{"ingest into a results DB", []string{"ingest", "--db", res, filepath.Join(dir, "synth")}, 1,
			[]string{res + " is a results DB (runs and cells), not a market DB"}},
		{"query a market DB", []string{"query", "--db", cp, "SELECT count(*) FROM option_quotes"}, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := sweep(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, errOut)
			}
			for _, w := range tc.wants {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not contain %q", errOut, w)
				}
			}
		})
	}
	for _, p := range []string{base, cp} {
		after, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) {
			t.Errorf("%s changed", p)
		}
	}
	// Both kinds say what they are.
	for p, want := range map[string]string{base: duckfile.KindMarket, res: duckfile.KindResults} {
		code, out, errOut := sweep(t, "query", "--db", p, "--format", "csv", "SELECT value FROM meta WHERE key = 'kind'")
		if code != 0 || out != "value\n"+want+"\n" {
			t.Errorf("%s kind: exit %d %q %s", p, code, out, errOut)
		}
	}
	// A sweep run with the two swapped in the grid's flags is refused the same way.
	grid := filepath.Join(dir, "grid.yaml")
	if _, err := os.Stat(grid); err == nil {
		code, _, errOut := sweep(t, "run", grid, "--db", base, "--out", cp, "-q")
		if code == 0 || !strings.Contains(errOut, "is a market DB") {
			t.Errorf("run --out a market DB: exit %d %s", code, errOut)
		}
	}
}

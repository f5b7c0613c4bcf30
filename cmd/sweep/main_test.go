package main

import (
	"bytes"
	"context"
	"fmt"
	"github.com/optsweep/sweep/sweep/results"
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

// TestUnbuiltCommandsSaySo: every command is built now. The last was the
// resident loop of `sweep live`, which now starts (and here stops on the
// missing market DB instead of saying it is not built).
func TestUnbuiltCommandsSaySo(t *testing.T) {
	code, _, errOut := sweep(t, "live", "--strategy", "wheel", "--symbols", "SPY", "--db", filepath.Join(t.TempDir(), "none.duckdb"))
	if code != 1 || strings.Contains(errOut, "not built yet") || !strings.Contains(errOut, "none.duckdb") {
		t.Errorf("live (the resident loop): %d %q", code, errOut)
	}
	code, out, _ := sweep(t, "help")
	if code != 0 || strings.Contains(out, "not built yet") {
		t.Errorf("help still marks a command not built: %q", out)
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

// bench decode --ingest decodes the OPRA fixtures, then ingests them into a
// temporary store and prints both rates and their ratio.
func TestBenchDecodeIngest(t *testing.T) {
	files, err := filepath.Glob("../../ingest/dbn/testdata/opra/*.dbn.zst")
	if err != nil || len(files) == 0 {
		t.Fatalf("fixtures: %v %v", files, err)
	}
	// The files, then their folder: the same records either way.
	want := 0
	for _, args := range [][]string{files, {"../../ingest/dbn/testdata/opra"}} {
		code, out, errOut := sweep(t, append([]string{"bench", "decode", "--ingest"}, args...)...)
		if code != 0 || !strings.Contains(out, "records/s") || !strings.Contains(out, "x of decode alone") {
			t.Fatalf("bench decode --ingest %v: %d\n%s\n%s", args, code, out, errOut)
		}
		var nfiles, decoded, ingested int
		for _, line := range strings.Split(out, "\n") {
			var f, r int
			if _, err := fmt.Sscanf(line, "%d files, %d records", &f, &r); err == nil {
				nfiles, decoded = f, r
				continue
			}
			if i := strings.Index(line, "end to end"); i >= 0 {
				fmt.Sscanf(line[strings.Index(line, ": ")+2:], "%d records", &ingested)
			}
		}
		if decoded == 0 || ingested != decoded || nfiles != len(files) || want != 0 && decoded != want {
			t.Errorf("%v: %d files, decoded %d records, ingested %d (want %d files, %d records):\n%s",
				args, nfiles, decoded, ingested, len(files), want, out)
		}
		want = decoded
	}
}

func TestDemoOnTheSmallPreset(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := sweep(t, "demo", "--preset", "small", "--dir", dir)
	if code != 0 {
		t.Fatalf("demo: %d\n%s\n%s", code, out, errOut)
	}
	// The grid's cell delta_min 0.25, dte_min 30, exit_pct 0.5 is the wheel's
	// defaults: the backtest of step 3 already computed it, under the same key.
	// Step 3 runs the six seed strategies with their defaults, one line each;
	// on the small preset's 61 sessions Optimus is still warming up, which
	// the why-no-trade line says.
	for _, want := range []string{"== 2/5 ingest", "option_quotes", "underlying_bars", "VIX", "== 3/5 backtest every seed strategy",
		"   wheel  ", "   earnings  ", "optimus trades rarely: warm-up (indicators not ready) on 61 of 61 sessions",
		"== 4/5 sweep the grid", "11 cells run, 1 already done"} {
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

func TestBacktest(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := sweep(t, "demo", "--preset", "small", "--dir", dir); code != 0 {
		t.Fatalf("demo: %d\n%s\n%s", code, out, errOut)
	}
	db, res := filepath.Join(dir, "market.duckdb"), filepath.Join(dir, "bt.duckdb")
	args := []string{"backtest", "--strategy", "wheel", "--symbols", "SPY,AAPL", "--from", "2024-01-02", "--to", "2024-03-28",
		"--db", db, "--out", res, "--set", "dte_min=10", "--set", "dte_max=25", "--set", "cc_dte_min=5", "-q"}
	code, first, errOut := sweep(t, args...)
	if code != 0 || !strings.Contains(first, "wheels") || !strings.Contains(first, "profit_target") {
		t.Fatalf("backtest: %d\n%s\n%s", code, first, errOut)
	}
	// The same configuration again: the same run and cell, replaced, with the
	// same trades (only the engine's timing line may differ).
	code, second, _ := sweep(t, args...)
	if code != 0 || dropLine(first, "engine") != dropLine(second, "engine") {
		t.Errorf("rerun differs:\n%s\n%s", first, second)
	}
	rdb, err := results.OpenReadOnly(res)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	var runs, cells, trades int
	var net float64
	if err := rdb.DB().QueryRow(`SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM cells),
		(SELECT count(*) FROM trades), (SELECT coalesce(sum(net), 0) FROM trades)`).Scan(&runs, &cells, &trades, &net); err != nil {
		t.Fatal(err)
	}
	if runs != 1 || cells != 1 || trades == 0 {
		t.Errorf("results DB: %d runs, %d cells, %d trades", runs, cells, trades)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"backtest", "--strategy", "wheel", "--symbols", "SPY", "--from", "2024-01-02", "--to", "2024-03-28",
			"--db", db, "--out", res, "--set", "dte_minn=3"}, 2, `did you mean "dte_min"`},
		{[]string{"backtest", "--strategy", "wheel", "--symbols", "SPY", "--from", "2024-01-02", "--to", "2024-03-28",
			"--db", db, "--out", res, "--set", "dte_min=abc"}, 2, "not an integer"},
		{[]string{"backtest", "--strategy", "straddle", "--symbols", "SPY", "--from", "2024-01-02", "--to", "2024-03-28"}, 2, "unknown strategy"},
		{[]string{"backtest", "--strategy", "wheel", "--symbols", "SPY", "--from", "2024-13-02", "--to", "2024-03-28"}, 2, "YYYY-MM-DD"},
		{[]string{"backtest", "--strategy", "wheel", "--symbols", "SPY", "--from", "2024-01-02", "--to", "2024-03-28",
			"--db", filepath.Join(dir, "none.duckdb")}, 1, "sweep demo"},
		{[]string{"backtest", "--strategy", "wheel", "--symbols", "QQQ", "--from", "2024-01-02", "--to", "2024-03-28",
			"--db", db, "--out", res}, 1, "no data for QQQ"},
	} {
		code, _, errOut := sweep(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args[1:], code, errOut, tc.code, tc.want)
		}
	}
	code, out, _ := sweep(t, "strategies", "csp")
	if code != 0 || !strings.Contains(out, "min_daily_return") || !strings.Contains(out, "0-12:0,12-15:0.2") || !strings.Contains(out, "fill_mode") {
		t.Errorf("strategies csp: %d\n%s", code, out)
	}
}

func dropLine(s, prefix string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, prefix) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

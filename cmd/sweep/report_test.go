package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportCommands writes the three kinds of report from the demo's
// results DB and checks the command's errors.
func TestReportCommands(t *testing.T) {
	res := filepath.Join(filepath.Dir(smallMarket(t)), "results.duckdb")
	dir := t.TempDir()
	var sweepID string
	var backtests []string
	_, out, _ := sweep(t, "query", "--db", res, "--format", "csv", "SELECT run_id, kind FROM runs ORDER BY run_id")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		id, kind, _ := strings.Cut(line, ",")
		if kind == "sweep" {
			sweepID = id
		} else {
			backtests = append(backtests, id)
		}
	}
	if sweepID == "" || len(backtests) == 0 {
		t.Fatalf("demo runs: %q", out)
	}
	ok := []struct {
		args []string
		file string
		want []string
	}{
		{[]string{"report", "--db", res, "--sweep", sweepID, "-o", filepath.Join(dir, "s.html")}, "s.html",
			[]string{"Heatmaps", "Robustness", "All cells", `class="chart"`}},
		{[]string{"report", "--db", res, "--run", backtests[0], "-o", filepath.Join(dir, "r.html")}, "r.html",
			[]string{"Equity and high-water mark", "Reproduce", `data-kind="underwater"`}},
		{[]string{"report", "--db", res, "--run", sweepID, "--metric", "cagr", "-o", filepath.Join(dir, "best.html")}, "best.html",
			[]string{"Monthly returns"}},
		{[]string{"compare", "--db", res, "-o", filepath.Join(dir, "c.html"), backtests[0], sweepID}, "c.html",
			[]string{"Equity, growth of 100", sweepID}},
	}
	for _, c := range ok {
		code, out, errOut := sweep(t, c.args...)
		if code != 0 || !strings.Contains(out, c.file) {
			t.Fatalf("%v: exit %d\n%s%s", c.args, code, out, errOut)
		}
		b, err := os.ReadFile(filepath.Join(dir, c.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s lacks %q", c.file, w)
			}
		}
	}
	bad := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "--db", res}, 2, "one of --run ID or --sweep ID"},
		{[]string{"report", "--db", res, "--run", "a", "--sweep", "b"}, 2, "one of --run ID or --sweep ID"},
		{[]string{"report", "--db", res, "--run", "nosuchrun"}, 1, "list the runs"},
		{[]string{"report", "--db", res, "--sweep", sweepID, "--metric", "luck"}, 2, "want one of"},
		{[]string{"report", "--db", filepath.Join(dir, "none.duckdb"), "--run", "x"}, 1, "does not exist"},
		{[]string{"compare", "--db", res, backtests[0]}, 2, "at least two"},
	}
	for _, c := range bad {
		code, _, errOut := sweep(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d %q, want %d %q", c.args, code, errOut, c.code, c.want)
		}
	}
	if _, err := os.Stat("report-nosuchrun.html"); err == nil {
		t.Error("a failed report left a file")
	}
}

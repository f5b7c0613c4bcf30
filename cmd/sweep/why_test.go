package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestWhyNoTradeNamesOptimusGate generates SPX on SPY's real bars from
// 2018-01-02 to 2019-03-29 (the first 252 sessions are Optimus's warm-up,
// then the sell-off of December 2018 and the recovery), backtests Optimus
// with its defaults and checks that the end of the backtest and the run
// report name the gate that rejected on the most sessions, with the count
// that the decision log gives when counted here independently.
func TestWhyNoTradeNamesOptimusGate(t *testing.T) {
	dir := t.TempDir()
	synth, db, out := filepath.Join(dir, "synth"), filepath.Join(dir, "m.duckdb"), filepath.Join(dir, "r.duckdb")
	if code, o, e := sweep(t, "gen", "--preset", "small", "--history", "shipped:SPY", "--symbols", "SPX",
		"--from", "2018-01-02", "--to", "2019-03-29", "--out", synth); code != 0 {
		t.Fatalf("gen: %d\n%s\n%s", code, o, e)
	}
	if code, o, e := sweep(t, "ingest", "--db", db, synth); code != 0 {
		t.Fatalf("ingest: %d\n%s\n%s", code, o, e)
	}
	log := filepath.Join(dir, "optimus.log")
	code, o, e := sweep(t, "backtest", "--strategy", "optimus", "--symbols", "SPX", "--from", "2018-01-02", "--to", "2019-03-29",
		"--db", db, "--out", out, "--log", log, "-q")
	if code != 0 {
		t.Fatalf("backtest: %d\n%s\n%s", code, o, e)
	}
	// Count the sessions each gate failed on from the log itself.
	text, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	days := map[string]map[string]bool{}
	re := regexp.MustCompile(`^(\S+) SPX ENTRY_EVAL signal=NO_TRADE failed=(\S+)`)
	for _, line := range strings.Split(string(text), "\n") {
		if m := re.FindStringSubmatch(line); m != nil {
			if days[m[2]] == nil {
				days[m[2]] = map[string]bool{}
			}
			days[m[2]][m[1]] = true
		}
	}
	top, n := "", 0
	for g, d := range days {
		if len(d) > n || len(d) == n && g < top {
			top, n = g, len(d)
		}
	}
	if n == 0 {
		t.Fatalf("no gate failed in the log:\n%s", text)
	}
	want := regexp.MustCompile(`optimus gate ` + top + `( \(most often \S+\))? on ` + strconv.Itoa(n) + ` of \d+ sessions`)
	if !strings.Contains(o, "why no trade:") || !want.MatchString(o) {
		t.Errorf("backtest output lacks %q:\n%s", want, o)
	}
	id := regexp.MustCompile(`run\s+(bt-[0-9a-f]+)`).FindStringSubmatch(o)
	if id == nil {
		t.Fatalf("no run id in\n%s", o)
	}
	html := filepath.Join(dir, "optimus.html")
	if code, ro, re := sweep(t, "report", "--db", out, "--run", id[1], "-o", html); code != 0 {
		t.Fatalf("report: %d\n%s\n%s", code, ro, re)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<section id="why"><h2>Why so few trades</h2>`) ||
		!strings.Contains(string(page), "optimus gate "+top) {
		t.Errorf("report lacks the why section naming optimus gate %s", top)
	}
}

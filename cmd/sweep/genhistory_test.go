package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optsweep/sweep/ingest/synth"
	"github.com/optsweep/sweep/sim/calendar"
)

func TestGenHistory(t *testing.T) {
	dir := t.TempDir()
	// XYZ's bars for every trading day of January 2024: close 50 + day.
	var b strings.Builder
	b.WriteString("date,open,high,low,close,volume\n")
	days := calendar.TradingDays(calendar.Date(2024, 1, 1), calendar.Date(2024, 1, 31))
	for k, d := range days {
		c := 50 + float64(k)
		fmt.Fprintf(&b, "%s,%.2f,%.2f,%.2f,%.2f,1000\n", d.Format("2006-01-02"), c-0.5, c+1, c-1, c)
	}
	csv := filepath.Join(dir, "bars.csv")
	if err := os.WriteFile(csv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "synth")
	code, o, e := sweep(t, "gen", "--preset", "small", "--symbols", "SPX", "--history", "XYZ="+csv,
		"--from", "2024-01-02", "--to", "2024-01-31", "--out", out)
	if code != 0 {
		t.Fatalf("gen: %d\n%s\n%s", code, o, e)
	}
	if !strings.Contains(e, "XYZ on real daily bars from "+csv) {
		t.Errorf("gen does not say XYZ is on real bars:\n%s", e)
	}
	m, err := synth.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Config.History) != 1 || m.Config.History[0].Symbol != "XYZ" || m.Config.History[0].Rows != len(days) ||
		strings.Join(m.Config.Symbols, ",") != "SPX,XYZ" || m.Config.Derived != nil {
		t.Errorf("manifest %+v", m.Config)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--history", "XYZ=" + csv, "--from", "2024-01-02", "--to", "2024-02-02"}, 1, "has no bar for trading day 2024-02-01"},
		{[]string{"--history", filepath.Join(dir, "none.csv")}, 1, "none.csv"},
		{[]string{"--history", "shipped:MSFT"}, 1, `no shipped history for "MSFT"`},
		{[]string{"--history", "SPX=" + csv}, 1, "SPX is generated as SPY × 10"},
	} {
		code, _, e := sweep(t, append([]string{"gen", "--preset", "small", "--out", filepath.Join(dir, "bad")}, c.args...)...)
		if code != c.code || !strings.Contains(e, c.want) {
			t.Errorf("gen %v: %d %q, want %d and %q", c.args, code, e, c.code, c.want)
		}
	}
}

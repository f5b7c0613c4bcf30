package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLive runs `sweep live` on the small demo store: two sessions with
// --once (the second replaying the first from the journal), the same
// session again (nothing new), status, a replay checked against the
// backtest, and the refusals of unsafe settings.
func TestLive(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := sweep(t, "demo", "--preset", "small", "--dir", dir); code != 0 {
		t.Fatalf("demo: %d\n%s\n%s", code, out, errOut)
	}
	db, journal := filepath.Join(dir, "market.duckdb"), filepath.Join(dir, "live.duckdb")
	set := []string{"--set", "dte_min=10", "--set", "dte_max=25", "--set", "cc_dte_min=5"}
	base := append([]string{"live", "--strategy", "wheel", "--symbols", "SPY", "--db", db, "--journal", journal, "--once"}, set...)
	code, out, errOut := sweep(t, append(base, "--at", "2024-01-02")...)
	if code != 0 || !strings.Contains(out, "decision at 2024-01-02 15:45 EST") || !strings.Contains(out, "-20240102-s0-o0-r0 open 1 at") {
		t.Fatalf("first session: %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = sweep(t, append(base, "--at", "2024-01-03")...)
	if code != 0 || !strings.Contains(out, "replayed 2 journal records (nothing sent)") {
		t.Fatalf("second session: %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = sweep(t, append(base, "--at", "2024-01-03")...)
	if code != 0 || !strings.Contains(out, "already in the journal") {
		t.Errorf("the same session again: %d\n%s", code, out)
	}
	html := filepath.Join(dir, "live.html")
	if code, out, errOut := sweep(t, "report", "--live", journal, "--run", "wheel-SPY", "-o", html); code != 0 {
		t.Errorf("report --live: %d\n%s\n%s", code, out, errOut)
	} else if b, _ := os.ReadFile(html); !strings.Contains(string(b), "Fills against the fill model") || !strings.Contains(string(b), "-20240102-s0-o0-r0") {
		t.Errorf("the live report lacks its fills")
	}
	code, out, errOut = sweep(t, "live", "status", "--journal", journal)
	if code != 0 || !strings.Contains(out, "run wheel-SPY: wheel SPY at paper") || !strings.Contains(out, "delta") {
		t.Errorf("status: %d\n%s\n%s", code, out, errOut)
	}
	// The resident loop on the system clock: it reports the next decision
	// time and stops on the cancelled context with no tick run.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var o, e bytes.Buffer
	resident := []string{"live", "--strategy", "wheel", "--symbols", "SPY", "--db", db, "--journal", journal}
	code = run(ctx, append(resident, set...), stdio{in: strings.NewReader(""), out: &o, err: &e})
	if code != 130 || !strings.Contains(o.String(), "next decision ") || !strings.Contains(o.String(), "stopped between decision times") {
		t.Errorf("resident: %d\n%s\n%s", code, o.String(), e.String())
	}
	if code, _, errOut := sweep(t, append(resident, "--at", "2024-01-04")...); code != 2 || !strings.Contains(errOut, "--at is for --once") {
		t.Errorf("resident with --at: %d %q", code, errOut)
	}
	replay := append([]string{"live", "--strategy", "wheel", "--symbols", "SPY", "--db", db, "--journal", filepath.Join(dir, "r.duckdb")}, set...)
	replay = append(replay, "--replay", "2024-01-02..2024-03-28", "--max-bp", "0", "--max-day-orders", "0", "--max-day-contracts", "0",
		"--max-day-notional", "0", "--max-contracts", "0", "--max-notional", "0")
	code, out, errOut = sweep(t, replay...)
	if code != 0 || !strings.Contains(out, "made the same orders and fills") {
		t.Errorf("replay: %d\n%s\n%s", code, out, errOut)
	}
	// Limits that bind: the replay differs and says the limits are why.
	tight := append([]string{"live", "--strategy", "wheel", "--symbols", "SPY", "--db", db, "--journal", filepath.Join(dir, "r2.duckdb")}, set...)
	tight = append(tight, "--replay", "2024-01-02..2024-03-28", "--max-day-orders", "1")
	code, out, errOut = sweep(t, tight...)
	if code == 0 || !strings.Contains(errOut, "replay differs") || !strings.Contains(errOut, "the live safety limits refused") {
		t.Errorf("replay under binding limits: %d\n%s\n%s", code, out, errOut)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--mode", "live"}, "add --live"},
		{[]string{"--mode", "live", "--live", "--account", "U1"}, "paper broker"},
		{[]string{"--broker", "alpaca"}, "not wired to the command yet"},
		{[]string{"--at", "2030-01-02"}, "no session on 2030-01-02"},
	} {
		code, _, errOut := sweep(t, append(append([]string(nil), base...), c.args...)...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want an error saying %q", c.args, code, errOut, c.want)
		}
	}
}

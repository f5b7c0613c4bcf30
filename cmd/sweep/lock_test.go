package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optsweep/sweep/ingest/market"
)

// TestHelperHoldMarketDB is not a test: TestItem7SecondWriter runs the test
// binary as a separate process in it, to hold a market DB open for writing.
func TestHelperHoldMarketDB(t *testing.T) {
	path := os.Getenv("SWEEP_HOLD_DB")
	if path == "" {
		t.Skip("helper process")
	}
	st, err := market.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	os.Stdout.WriteString("holding\n")
	bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes stdin
}

// TestItem7SecondWriter is issue 18 item 7's second writer: while another
// process holds the market DB, sweep ingest says which file is locked and
// which command holds it, instead of DuckDB's raw lock error.
func TestItem7SecondWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "market.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldMarketDB$")
	cmd.Env = append(os.Environ(), "SWEEP_HOLD_DB="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "holding\n" {
		t.Fatalf("helper: %q", line)
	}
	csv := filepath.Join(t.TempDir(), "q.csv")
	os.WriteFile(csv, []byte("trade_date,underlying,expiration,put_call,strike,bid,ask\n2024-01-02,SPY,2024-01-19,P,470,1.0,1.1\n"), 0o644)
	code, out, errOut := sweep(t, "ingest", "--db", path, csv)
	t.Logf("exit %d: %s", code, errOut)
	if code == 0 || !strings.Contains(errOut, path+" is locked: process ") || !strings.Contains(errOut, "another sweep command") ||
		strings.Contains(errOut, "Could not set lock") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}

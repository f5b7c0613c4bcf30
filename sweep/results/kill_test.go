package results

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// killEnv names the database a child test process writes to before it is
// killed.
const killEnv = "RESULTS_TEST_KILL_DB"

// TestKillMidWrite kills (SIGKILL) a process in the middle of writing a cell,
// with trades and equity appended but not committed, and checks that the
// database then holds the cell committed before it whole and nothing of the
// half-written one.
func TestKillMidWrite(t *testing.T) {
	if os.Getenv(killEnv) != "" {
		t.Skip("child process")
	}
	path := filepath.Join(t.TempDir(), "results.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$")
	cmd.Env = append(os.Environ(), killEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	mid := false
	for lines.Scan() {
		if lines.Text() == "mid-write" {
			mid = true
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if !mid {
		t.Fatal("child never reached the middle of its write")
	}
	cmd.Wait()

	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wantCounts(t, db, "whole", full)
	wantCounts(t, db, "half", none)
}

// TestKillChild is the child of TestKillMidWrite: it writes one cell, then
// stops halfway through another and waits to be killed.
func TestKillChild(t *testing.T) {
	path := os.Getenv(killEnv)
	if path == "" {
		t.Skip("run by TestKillMidWrite")
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	write(t, db, testCell("whole"), testResult())
	db.failAt = func(step string) error {
		if step == "equity" {
			fmt.Println("mid-write")
			time.Sleep(time.Minute)
		}
		return nil
	}
	db.WriteCell(context.Background(), testCell("half"), testResult(), testSummary())
	t.Error("not killed")
}

package progress_test

import (
	"os"
	"time"

	"github.com/optsweep/sweep/sweep/progress"
)

// A run of 500 cells, 100 of them already done by an earlier run, written as
// plain lines (as in a Slurm log). The clock is fake so the output is fixed:
// each reading is 2 seconds after the previous one.
func Example() {
	t := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { t = t.Add(2 * time.Second); return t }

	p := progress.New(os.Stdout, 500, progress.Options{Label: "wheel-spy", Mode: progress.Lines, Now: now})
	p.Skip(100) // 20%: a line, but no rate yet
	for range 4 {
		p.Add(100) // 40%, 60%, 80%: a line each; 100% waits for Done
	}
	p.Done()
	// Output:
	// wheel-spy: 100/500 cells (20%), -- cells/s, ETA --
	// wheel-spy: 200/500 cells (40%), 25.0 cells/s, ETA 12s
	// wheel-spy: 300/500 cells (60%), 33.3 cells/s, ETA 6s
	// wheel-spy: 400/500 cells (80%), 37.5 cells/s, ETA 3s
	// wheel-spy: 500/500 cells (100%), 33.3 cells/s, done in 12s (100 skipped)
}

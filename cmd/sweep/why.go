package main

import (
	"fmt"
	"io"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/why"
)

// printWhy ends a backtest's summary with the "why no trade" diagnosis when
// the run closed fewer than why.Rare trades: the gates and filters of the
// decision log that rejected on the most sessions.
func printWhy(w io.Writer, strategy string, res *sim.Result, trades int) {
	if trades >= why.Rare {
		return
	}
	d := why.Diagnose(strategy, len(res.Days), res.Notes)
	lines := d.Lines(3)
	if len(lines) == 0 {
		fmt.Fprintf(w, "why no trade: %d closed trades; the decision log names no rejecting gate\n", trades)
		return
	}
	fmt.Fprintf(w, "why no trade: %d closed trades; what turned entries down most (decision log):\n", trades)
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
}

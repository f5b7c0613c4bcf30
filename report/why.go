package report

import (
	"context"

	"github.com/optsweep/sweep/sim/why"
	"github.com/optsweep/sweep/sweep/results"
)

// WhySection is the run report's "why so few trades" section: the gates and
// filters of the strategy's decision log that turned entries down most.
type WhySection struct {
	Trades   int    // closed trades of the run
	Sessions int    // sessions in the run
	Note     string // said instead of a table when the log cannot tell
	Table    Table  // reason, sessions, share of sessions, example
}

// whyTop is how many reasons the section lists.
const whyTop = 5

// LoadWhy reads the decision log of d's cell and returns the section, or nil
// when the run closed why.Rare trades or more.
func LoadWhy(ctx context.Context, db *results.DB, d *Detail) (*WhySection, error) {
	trades := int(d.Cell.Metric("trades"))
	if trades >= why.Rare {
		return nil, nil
	}
	s := &WhySection{Trades: trades, Sessions: len(d.Series.Days)}
	notes, err := db.ReadDecisions(ctx, d.Cell.Key)
	if err != nil {
		return nil, err
	}
	if len(notes) == 0 {
		s.Note = "The run's decision log was not stored (sweep run writes it with --detail full; sweep backtest always does)."
		return s, nil
	}
	diag := why.Diagnose(d.Cell.Strategy, s.Sessions, notes)
	if len(diag.Reasons) == 0 {
		s.Note = "The decision log names no rejecting gate or filter."
		return s, nil
	}
	s.Table = Table{Head: []string{"Gate or filter", "Sessions", "Share of sessions", "Example"}}
	for _, r := range diag.Reasons[:min(whyTop, len(diag.Reasons))] {
		s.Table.Rows = append(s.Table.Rows, []Value{text(r.Key), count(float64(r.Sessions)),
			pct(float64(r.Sessions) / float64(max(s.Sessions, 1))), text(r.Example)})
	}
	return s, nil
}

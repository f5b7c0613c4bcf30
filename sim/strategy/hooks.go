package strategy

import (
	"io"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy/condor"
)

// RunSummary returns the strategy's own summary lines of res, a run of b
// (Info.RunSummary), or nil when the strategy has none.
func (b *Built) RunSummary(res *sim.Result) []Line {
	info, err := Lookup(b.Name)
	if err != nil || info.RunSummary == nil {
		return nil
	}
	return info.RunSummary(b.Config, res)
}

// WriteEvents writes the order/fill event log of res, a run of strategy
// name, to w: the strategy's own (Info.Events), else seed 002's
// (condor.WriteEvents), which every strategy's notes and trades fit.
func WriteEvents(name string, w io.Writer, res *sim.Result) error {
	if info, err := Lookup(name); err == nil && info.Events != nil {
		return info.Events(w, res)
	}
	return condor.WriteEvents(w, res)
}

// PhaseName returns the label strategy name gives trade phase phase
// (Info.Phases), or phase itself when it gives none.
func PhaseName(name, phase string) string {
	if info, err := Lookup(name); err == nil {
		if l, ok := info.Phases[phase]; ok {
			return l
		}
	}
	return phase
}

package cell

import (
	"fmt"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/metrics"
	"github.com/optsweep/sweep/sim/strategy"
)

// Run backtests one cell: the built strategy b on tape, then the metrics of
// the result over its closed trades. It is what "sweep backtest" and every
// cell of "sweep run" do. b is used up: strategies hold state, so build one
// for each run; tape is only read and may be shared by cells run at once.
//
// An error of the engine is returned as it is; an error of the metrics is
// wrapped as "metrics: …".
func Run(tape *sim.Tape, b *strategy.Built) (*sim.Result, metrics.Summary, error) {
	res, err := sim.Run(tape, b.Strategy, b.Exec)
	if err != nil {
		return res, metrics.Summary{}, err
	}
	m, err := Metrics(res)
	if err != nil {
		return res, metrics.Summary{}, fmt.Errorf("metrics: %w", err)
	}
	return res, m, nil
}

// RunLockstep backtests several cells on one tape, a day at a time across all
// of them (sim.RunLockstep), which reads each day's chains once for the group
// instead of once per cell. Each cell's result, metrics and error are what Run
// gives it alone; bs are used up.
func RunLockstep(tape *sim.Tape, bs []*strategy.Built) ([]*sim.Result, []metrics.Summary, []error) {
	ss := make([]sim.Strategy, len(bs))
	cfgs := make([]sim.Config, len(bs))
	for k, b := range bs {
		ss[k], cfgs[k] = b.Strategy, b.Exec
	}
	res, errs := sim.RunLockstep(tape, ss, cfgs)
	ms := make([]metrics.Summary, len(bs))
	for k := range bs {
		if errs[k] != nil {
			continue
		}
		var err error
		if ms[k], err = Metrics(res[k]); err != nil {
			errs[k] = fmt.Errorf("metrics: %w", err)
		}
	}
	return res, ms, errs
}

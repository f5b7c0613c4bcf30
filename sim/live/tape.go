package live

import (
	"context"
	"fmt"

	"github.com/optsweep/sweep/sim"
)

// TapeData is MarketData from a sim.Tape: each decision time's snapshot as
// the backtest builds it (Tape.Snapshot, Tape.IntradaySnapshot) and each
// session's end (Tape.SessionEnd). It is what --replay drives the live loop
// with, and the store-backed snapshot for a day the market store holds.
type TapeData struct {
	Tape *sim.Tape
}

// Ticks returns the Tape's decision times in order: each day's intraday
// steps, then its daily decision.
func (t TapeData) Ticks() []Tick {
	var out []Tick
	for i, day := range t.Tape.Days {
		lo, hi := t.Tape.Steps(i)
		for j := lo; j < hi; j++ {
			out = append(out, Tick{Day: day, Time: t.Tape.StepTimes[j], Step: j - lo})
		}
		out = append(out, Tick{Day: day, Time: t.Tape.Times[i], Step: hi - lo, Daily: true})
	}
	return out
}

func (t TapeData) index(day int32) (int, error) {
	for i, d := range t.Tape.Days {
		if d == day {
			return i, nil
		}
	}
	return 0, fmt.Errorf("live: %s is not a day of the market data", sim.DayString(day))
}

// Snapshot implements MarketData.
func (t TapeData) Snapshot(_ context.Context, at Tick, snap *sim.Snapshot) error {
	i, err := t.index(at.Day)
	if err != nil {
		return err
	}
	if at.Daily {
		t.Tape.Snapshot(i, snap)
		return nil
	}
	lo, hi := t.Tape.Steps(i)
	if lo+at.Step >= hi {
		return fmt.Errorf("live: %s has no intraday step %d", sim.DayString(at.Day), at.Step)
	}
	t.Tape.IntradaySnapshot(i, lo+at.Step, snap)
	return nil
}

// SessionEnd implements MarketData.
func (t TapeData) SessionEnd(_ context.Context, day int32, end *sim.SessionEnd) error {
	i, err := t.index(day)
	if err != nil {
		return err
	}
	t.Tape.SessionEnd(i, end)
	return nil
}

// Replay drives d through every decision time of the data, ending each
// session after its daily decision, as a live run would have seen them.
func Replay(ctx context.Context, d *Driver, md TapeData) error {
	for _, t := range md.Ticks() {
		if _, err := d.Tick(ctx, t); err != nil {
			return err
		}
		if t.Daily {
			if _, err := d.EndSession(ctx, t.Day); err != nil {
				return err
			}
		}
	}
	return nil
}

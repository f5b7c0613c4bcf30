package sim

import (
	"fmt"
	"math"
	"time"
)

// Intraday holds one symbol's intraday chains: at each of the Tape's intraday
// steps (Tape.StepTimes), the quotes of that minute, with greeks computed from
// them. A symbol without intraday data leaves it empty.
type Intraday struct {
	Start []int     // len(Tape.StepTimes)+1 offsets into Chain
	Spot  []float64 // the underlying's price implied at each step; NaN when unknown
	Chain Chain     // every step's chain, concatenated, each sorted like a daily chain
}

// Len returns the number of steps held, 0 when the symbol has no intraday data.
func (d *Intraday) Len() int { return max(len(d.Start)-1, 0) }

// Steps returns the range [lo, hi) of intraday steps of day i. It is empty when
// the Tape has no intraday steps.
func (t *Tape) Steps(i int) (lo, hi int) {
	if len(t.StepDay) == 0 {
		return 0, 0
	}
	return t.StepDay[i], t.StepDay[i+1]
}

// IntradaySnapshot fills snap with intraday step j of day i: the day's
// snapshot as Snapshot gives it, at time StepTimes[j], with each symbol's
// chain and spot of that step. What the daily snapshot knows only at the
// daily decision is taken from the day before: the ATM IV history ends
// yesterday, and IV rank and percentile are yesterday's. A symbol without
// quotes at the step has an empty chain, and its spot is today's open.
func (t *Tape) IntradaySnapshot(i, j int, snap *Snapshot) {
	t.Snapshot(i, snap)
	snap.Time = t.StepTimes[j]
	for k := range t.Symbols {
		s, m := &t.Symbols[k], &snap.Markets[k]
		m.ATMIV = s.ATMIV[:i:i]
		m.IVRank, m.IVPercentile = math.NaN(), math.NaN()
		if i > 0 {
			m.IVRank, m.IVPercentile = s.IVRank[i-1], s.IVPct[i-1]
		}
		m.Spot = m.Open
		if s.Intra.Len() == 0 {
			m.Chain = s.Chain.view(0, 0)
			continue
		}
		m.Chain = s.Intra.Chain.view(s.Intra.Start[j], s.Intra.Start[j+1])
		if v := s.Intra.Spot[j]; !math.IsNaN(v) {
			m.Spot = v
		}
	}
}

// validateSteps checks the intraday steps' shape: StepDay offsets per day,
// times ascending within the day and before its daily decision, and each
// symbol's Intraday sized to the steps with sorted chains.
func (t *Tape) validateSteps() error {
	if len(t.StepDay) == 0 {
		if len(t.StepTimes) > 0 {
			return fmt.Errorf("sim: %d intraday steps without StepDay offsets", len(t.StepTimes))
		}
		return nil
	}
	if len(t.StepDay) != len(t.Days)+1 || t.StepDay[0] != 0 || t.StepDay[len(t.Days)] != len(t.StepTimes) {
		return fmt.Errorf("sim: StepDay has %d offsets for %d days and %d steps", len(t.StepDay), len(t.Days), len(t.StepTimes))
	}
	for i := range t.Days {
		lo, hi := t.Steps(i)
		if hi < lo {
			return fmt.Errorf("sim: StepDay not ascending at day %s", DayString(t.Days[i]))
		}
		for j := lo; j < hi; j++ {
			tm := t.StepTimes[j]
			if DayOf(tm.In(t.Times[i].Location())) != t.Days[i] || !tm.Before(t.Times[i]) || (j > lo && !tm.After(t.StepTimes[j-1])) {
				return fmt.Errorf("sim: intraday step %s of %s is out of order or not before the daily decision %s",
					tm.Format(time.RFC3339), DayString(t.Days[i]), t.Times[i].Format(time.RFC3339))
			}
		}
	}
	for k := range t.Symbols {
		d := &t.Symbols[k].Intra
		if d.Len() == 0 {
			continue
		}
		if d.Len() != len(t.StepTimes) || len(d.Spot) != len(t.StepTimes) || d.Start[len(d.Start)-1] != d.Chain.Len() {
			return fmt.Errorf("sim: %s: intraday data sized for %d steps, the tape has %d", t.Symbols[k].Symbol, d.Len(), len(t.StepTimes))
		}
		c := &d.Chain
		for j := 0; j < d.Len(); j++ {
			for r := d.Start[j] + 1; r < d.Start[j+1]; r++ {
				if !less(c, r-1, r) {
					return fmt.Errorf("sim: %s: intraday chain at %s not sorted at row %d", t.Symbols[k].Symbol,
						t.StepTimes[j].Format(time.RFC3339), r)
				}
			}
		}
	}
	return nil
}

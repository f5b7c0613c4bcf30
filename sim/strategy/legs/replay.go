package legs

import (
	"fmt"
	"strconv"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
)

// Replay is a strategy that enters given structures on given days, one unit
// each, whatever the cash or the number open, and exits them by a Config's
// exit rules, as the legs strategy does: the engine run of a scan's entries
// (Scan with keep), to check a bucket against the engine's fills,
// settlement and costs. Each position's tag is its outcome's index.
type Replay struct {
	st      *Strategy
	entries []Outcome
	next    int // first entry not yet opened; entries are by day
}

// NewReplay returns a Replay of outcomes (as Scan keeps them, in day order)
// under c's exits.
func NewReplay(outcomes []Outcome, c Config, liq fill.Liquidity) (*Replay, error) {
	c.Signal, c.Weekdays = "", nil
	if err := c.Validate(); err != nil {
		return nil, err
	}
	for i := 1; i < len(outcomes); i++ {
		if outcomes[i].Day < outcomes[i-1].Day {
			return nil, fmt.Errorf("replay: outcomes not in day order at %d", i)
		}
	}
	legs, _ := c.Resolve()
	st := &Strategy{cfg: c, legs: legs, liq: liq, phase: "replay", trades: map[int64]track{}, last: map[string]int32{}, exited: map[string]int32{}}
	return &Replay{st: st, entries: outcomes}, nil
}

// Step exits as the legs strategy does and opens the day's entries.
func (r *Replay) Step(snap *sim.Snapshot, book *sim.Book) ([]sim.Order, error) {
	st := r.st
	st.cfg.MaxOpen = 0 // the legs strategy's entries are off; only exits run
	orders, err := st.Step(snap, book)
	if err != nil {
		return nil, err
	}
	for r.next < len(r.entries) && r.entries[r.next].Day < snap.Day {
		r.next++ // a day the tape does not have
	}
	for ; r.next < len(r.entries) && r.entries[r.next].Day == snap.Day; r.next++ {
		o := r.entries[r.next]
		if len(o.Legs) == 0 {
			return nil, fmt.Errorf("replay: outcome %d has no legs (scan with keep)", r.next)
		}
		orders = append(orders, sim.Order{Kind: sim.Open, Symbol: o.Contract.Underlying, Quantity: 1, Pricing: sim.PriceMarket,
			Legs: o.Legs, Tag: strconv.Itoa(r.next), Phase: "replay", Entry: sim.Entry{DTE: o.DTE, Delta: o.Delta}})
	}
	return orders, nil
}

package earnings

import (
	"fmt"

	"github.com/optsweep/sweep/sim"
)

// Exit reasons recorded on closed trades.
const (
	ReasonPostEarnings = "post_earnings"
	ReasonProfit       = "profit_target"
	ReasonStop         = "stop_loss"
)

// Decision-log kinds (Book.Note).
const (
	NoteEval  = "EARNINGS_EVAL" // an evaluation with a report in the window, and its outcome
	NoteEntry = "ENTRY"
	NoteExit  = "EXIT"
)

// Strategy is the earnings strategy as a sim.Strategy. It remembers the
// report each symbol was last traded for, so a position closed early is not
// reopened for the same report; one Strategy serves one run at a time.
type Strategy struct {
	cfg    Config
	traded map[string]int32 // symbol → day of the report last traded (lookups only)
}

var _ sim.Strategy = (*Strategy)(nil)

// New returns a Strategy with configuration c, or c's validation error.
func New(c Config) (*Strategy, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &Strategy{cfg: c, traded: map[string]int32{}}, nil
}

// Config returns the strategy's configuration.
func (st *Strategy) Config() Config { return st.cfg }

// Step closes positions whose report has passed or whose P&L rule fires,
// then sells a strangle or straddle on each symbol with a report in the
// entry window.
func (st *Strategy) Step(snap *sim.Snapshot, book *sim.Book) ([]sim.Order, error) {
	var orders []sim.Order
	held := map[string]bool{}
	open := 0
	for _, pos := range book.Positions {
		held[pos.Symbol] = true
		if reason, detail := st.exit(snap, pos); reason != "" {
			orders = append(orders, sim.Order{Kind: sim.Close, Position: pos.ID, Reason: reason})
			book.Note(pos.Symbol, NoteExit, reason+": "+detail)
			continue
		}
		open++
	}
	bp := book.BuyingPower()
	for k := range snap.Markets {
		m := &snap.Markets[k]
		if held[m.Symbol] {
			continue
		}
		ev, ok := snap.EventWithin(m.Symbol, sim.Earnings,
			snap.Day+int32(st.cfg.MinDaysToEarnings), snap.Day+int32(st.cfg.MaxDaysToEarnings))
		if !ok {
			continue
		}
		if d, ok := st.traded[m.Symbol]; ok && d == ev.Day {
			continue
		}
		if open >= st.cfg.MaxPositions {
			book.Note(m.Symbol, NoteEval, fmt.Sprintf("report %s: %d positions open, max_positions %d", sim.DayString(ev.Day), open, st.cfg.MaxPositions))
			continue
		}
		o, coll, ok := st.enter(snap, m, book, ev, bp)
		if !ok {
			continue
		}
		orders = append(orders, o)
		st.traded[m.Symbol] = ev.Day
		bp -= coll
		open++
	}
	return orders, nil
}

// exit returns the first exit rule that fires for pos, in the seed's order:
// the report has passed (a report dated after the opening day and before
// today: the position is closed on the first trading day after the report
// day), the profit target, the stop loss; "" to hold. P&L is at the legs'
// mids; without quotes only the post-earnings exit is checked.
func (st *Strategy) exit(snap *sim.Snapshot, pos *sim.Position) (reason, detail string) {
	if e, ok := snap.EventWithin(pos.Symbol, sim.Earnings, pos.Opened+1, snap.Day-1); ok {
		return ReasonPostEarnings, "report on " + sim.DayString(e.Day)
	}
	m := snap.Market(pos.Symbol)
	if m == nil || len(pos.Legs) == 0 {
		return "", ""
	}
	units := pos.Legs[0].Qty
	if units < 0 {
		units = -units
	}
	entry, value := 0.0, 0.0
	c := &m.Chain
	for _, l := range pos.Legs {
		mid, ok := c.ExitMid(l.Contract, l.Qty < 0)
		if !ok {
			return "", ""
		}
		entry += float64(l.Qty) * l.Price / float64(units)
		value += float64(l.Qty) * mid / float64(units)
	}
	credit, pnl := -entry, value-entry
	switch {
	case st.cfg.ProfitTarget > 0 && pnl >= st.cfg.ProfitTarget*credit:
		return ReasonProfit, fmt.Sprintf("P&L %.2f ≥ %.2f = %g × credit %.2f", pnl, st.cfg.ProfitTarget*credit, st.cfg.ProfitTarget, credit)
	case st.cfg.StopLossMultiple > 0 && pnl <= -st.cfg.StopLossMultiple*credit:
		return ReasonStop, fmt.Sprintf("P&L %.2f ≤ −%.2f = −%g × credit %.2f", pnl, st.cfg.StopLossMultiple*credit, st.cfg.StopLossMultiple, credit)
	}
	return "", ""
}

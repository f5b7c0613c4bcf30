package csp

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
)

// Strategy is the cash-secured-put scanner as a sim.Strategy. It keeps
// scratch buffers between steps, so one Strategy serves one run at a time.
type Strategy struct {
	cfg Config
	s   scratch
}

var _ sim.Strategy = (*Strategy)(nil)

// New returns a Strategy with configuration c, or c's validation error.
func New(c Config) (*Strategy, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.VIXRules = slices.Clone(c.VIXRules)
	return &Strategy{cfg: c, s: scratch{held: map[string]bool{}}}, nil
}

// Config returns the strategy's configuration.
func (st *Strategy) Config() Config {
	c := st.cfg
	c.VIXRules = slices.Clone(c.VIXRules)
	return c
}

// Step monitors the open positions, then scans the universe for entries.
func (st *Strategy) Step(snap *sim.Snapshot, book *sim.Book) ([]sim.Order, error) {
	vix := currentVIX(snap)
	orders, committed, active := st.monitor(snap, book, vix)
	return st.enter(snap, book, vix, committed, active, orders), nil
}

// currentVIX returns the VIX known at the decision time: today's open, else
// the last close.
func currentVIX(snap *sim.Snapshot) float64 {
	if v := snap.VIX.Now; !math.IsNaN(v) {
		return v
	}
	return snap.VIX.History.LastClose()
}

// sessionFraction returns the fraction of a 390-minute session left from t to
// 16:00 New York time on t's date, 0 after 16:00 (seed effective_dte, which
// uses 16:00 on early-close days too).
func sessionFraction(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	ny := t.In(calendar.NewYork())
	y, m, d := ny.Date()
	close := time.Date(y, m, d, 16, 0, 0, 0, calendar.NewYork())
	return max(close.Sub(ny).Minutes(), 0) / 390
}

// shortPut returns the index of pos's short put leg, or -1.
func shortPut(pos *sim.Position) int {
	for k, l := range pos.Legs {
		if l.Contract.PutCall == sim.Put && l.Qty < 0 {
			return k
		}
	}
	return -1
}

// monitor runs the risk checks on every open position (seed
// monitor_positions) and returns the exit orders, the collateral and the
// count of the positions that stay open, and marks their symbols held.
//
// The VIX-spike reference is the entry VIX: the seed compares with the
// session's opening VIX, which in a daily backtest is the VIX now itself.
func (st *Strategy) monitor(snap *sim.Snapshot, book *sim.Book, vix float64) (orders []sim.Order, committed float64, active int) {
	clear(st.s.held)
	for _, pos := range book.Positions {
		reason, detail := st.exitFor(snap, pos, vix)
		if reason != "" {
			orders = append(orders, sim.Order{Kind: sim.Close, Position: pos.ID, Reason: reason})
			book.Note(pos.Symbol, "exit", reason+": "+detail)
			if st.closable(snap, pos) {
				continue // its collateral is free for today's entries
			}
		}
		committed += pos.Collateral()
		active++
		st.s.held[pos.Symbol] = true
	}
	return orders, committed, active
}

// exitFor returns the exit reason for pos and its details, "" to hold.
func (st *Strategy) exitFor(snap *sim.Snapshot, pos *sim.Position, vix float64) (reason, detail string) {
	k := shortPut(pos)
	if k < 0 {
		if pos.Shares != 0 && st.cfg.SellAssigned {
			return ReasonAssignedSold, fmt.Sprintf("%d shares (basis %.2f)", pos.Shares, pos.ShareBasis)
		}
		return "", ""
	}
	m := snap.Market(pos.Symbol)
	l := pos.Legs[k]
	row := -1
	if m != nil {
		row = m.Chain.Find(l.Contract)
	}
	if row < 0 {
		return "", "" // the seed skips a position without data
	}
	ch := &m.Chain
	h := held{
		entryDelta: pos.Entry.Delta, delta: ch.Delta[row],
		entrySpot: pos.Entry.Spot, spot: m.Spot,
		entryVIX: pos.Entry.VIX, vix: vix,
		entryPremium: l.Price, ask: ch.Ask[row],
		daysHeld: int(snap.Day - pos.Opened), dteAtEntry: pos.Entry.DTE,
	}
	if math.IsNaN(h.delta) || l.Contract.Expiration <= snap.Day {
		// On the expiration day the seed's delta (Black-Scholes on whole days
		// to expiry) is undefined and it falls back to the entry delta; the
		// chain's delta, computed on the minutes left to settlement, is near
		// ±1 for a put near the money and would stop the position out.
		h.delta = h.entryDelta
	}
	return st.cfg.checkExit(h)
}

// closable reports whether a Close of pos can fill at the snapshot.
func (st *Strategy) closable(snap *sim.Snapshot, pos *sim.Position) bool {
	m := snap.Market(pos.Symbol)
	if m == nil {
		return false
	}
	for _, l := range pos.Legs {
		r := m.Chain.Find(l.Contract)
		if r < 0 || !m.Chain.Quoted(r) {
			return false
		}
	}
	return pos.Shares == 0 || m.Spot > 0
}

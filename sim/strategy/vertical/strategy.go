package vertical

import (
	"fmt"
	"math"
	"slices"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy/pick"
)

// Exit reasons recorded on closed trades.
const (
	ReasonProfit      = "profit_target"
	ReasonStop        = "stop_loss"
	ReasonTime        = "time_stop"
	ReasonRegimeShift = "regime_shift"
	// ReasonDelivered closes a position holding shares: a leg exercised or
	// assigned at expiry (the engine settles an equity option by delivery)
	// left stock that the strategy does not trade, so it is sold at the next
	// step.
	ReasonDelivered = "delivered"
)

// Trade phases of the opening orders.
const (
	PhaseCredit  = "put_credit_spread"
	PhaseCallDeb = "call_debit_spread"
	PhasePutDeb  = "put_debit_spread"
)

// Decision-log kinds (Book.Note).
const (
	NoteRegime = "REGIME"     // a symbol's regime changed (or was first seen)
	NoteEval   = "ENTRY_EVAL" // an entry evaluation and its outcome
	NoteEntry  = "ENTRY"      // an opening order
	NoteExit   = "EXIT"       // a closing order and the rule that fired
)

// Strategy is the IV-rank strategy as a sim.Strategy. It remembers each
// symbol's last regime (for the decision log) and the peak equity (for the
// drawdown stop), so one Strategy serves one run at a time.
type Strategy struct {
	cfg     Config
	regimes map[string]Regime // last regime per symbol (lookups only)
	peak    float64
}

var _ sim.Strategy = (*Strategy)(nil)

// New returns a Strategy with configuration c, or c's validation error.
func New(c Config) (*Strategy, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.BuyRegimes = slices.Clone(c.BuyRegimes)
	return &Strategy{cfg: c, regimes: map[string]Regime{}}, nil
}

// Config returns the strategy's configuration.
func (st *Strategy) Config() Config {
	c := st.cfg
	c.BuyRegimes = slices.Clone(c.BuyRegimes)
	return c
}

// Step classifies each market's regime, checks the open spreads' exits, then
// evaluates entries on the symbols without an open position.
func (st *Strategy) Step(snap *sim.Snapshot, book *sim.Book) ([]sim.Order, error) {
	regimes := make([]Regime, len(snap.Markets))
	feats := make([]Features, len(snap.Markets))
	for k := range snap.Markets {
		m := &snap.Markets[k]
		regimes[k], feats[k] = Detect(snap, m, st.cfg.Regime)
		if prev, ok := st.regimes[m.Symbol]; !ok || prev != regimes[k] {
			f := feats[k]
			book.Note(m.Symbol, NoteRegime, fmt.Sprintf("%s → %s: VIX %.2f, VIX rank %.3f, HV %.4f, HV/IV %.3f",
				orNone(prev), regimes[k], f.VIX, f.VIXRank, f.HV, f.HVIV))
			st.regimes[m.Symbol] = regimes[k]
		}
	}
	st.peak = max(st.peak, book.Equity)

	var orders []sim.Order
	held := map[string]bool{}
	open := 0
	for _, pos := range book.Positions {
		held[pos.Symbol] = true
		k := marketIndex(snap, pos.Symbol)
		if k < 0 {
			open++
			continue
		}
		if reason, detail := st.exit(snap, &snap.Markets[k], pos, regimes[k]); reason != "" {
			orders = append(orders, sim.Order{Kind: sim.Close, Position: pos.ID, Reason: reason})
			book.Note(pos.Symbol, NoteExit, reason+": "+detail)
			continue
		}
		open++
	}
	for k := range snap.Markets {
		m := &snap.Markets[k]
		if held[m.Symbol] {
			continue
		}
		if o, ok := st.enter(snap, m, book, regimes[k], open); ok {
			orders = append(orders, o)
			open++
		}
	}
	return orders, nil
}

// marketIndex returns the index of symbol's market in snap, or -1.
func marketIndex(snap *sim.Snapshot, symbol string) int {
	for k := range snap.Markets {
		if snap.Markets[k].Symbol == symbol {
			return k
		}
	}
	return -1
}

func orNone(r Regime) string {
	if r == "" {
		return "none"
	}
	return string(r)
}

// spread describes an open vertical from its legs' fills.
type spread struct {
	units int     // package units
	entry float64 // package price per share paid at entry (negative: a credit)
	width float64 // strike distance
}

func spreadOf(pos *sim.Position) (spread, bool) {
	if len(pos.Legs) != 2 || pos.Shares != 0 {
		return spread{}, false
	}
	u := pos.Legs[0].Qty
	if u < 0 {
		u = -u
	}
	if u == 0 || pos.Legs[1].Qty != -pos.Legs[0].Qty {
		return spread{}, false
	}
	s := spread{units: u, width: math.Abs(pos.Legs[0].Contract.Strike - pos.Legs[1].Contract.Strike)}
	for _, l := range pos.Legs {
		s.entry += float64(l.Qty) * l.Price / float64(u)
	}
	return s, true
}

// maxLoss returns the spread's largest loss per share: the width less the
// credit, or the debit.
func (s spread) maxLoss() float64 { return pick.MaxLoss(s.width, -s.entry, s.entry < 0) }

// exit returns the first exit rule that fires for pos, in the seed's order
// (should_close): profit target, stop loss, time, regime shift; "" to hold.
// A position holding shares (delivered at expiry) is closed first of all.
// The spread is valued at its legs' mids.
func (st *Strategy) exit(snap *sim.Snapshot, m *sim.Market, pos *sim.Position, now Regime) (reason, detail string) {
	if pos.Shares != 0 {
		return ReasonDelivered, fmt.Sprintf("%+d shares delivered at expiry, basis %.2f", pos.Shares, pos.ShareBasis)
	}
	s, ok := spreadOf(pos)
	if !ok {
		return "", ""
	}
	c := &m.Chain
	value := 0.0
	for _, l := range pos.Legs {
		mid, ok := c.ExitMid(l.Contract, l.Qty < 0)
		if !ok {
			return "", "" // a short leg without an ask: hold and look again tomorrow
		}
		value += float64(l.Qty) * mid / float64(s.units)
	}
	pnl := value - s.entry
	cfg := &st.cfg
	credit := s.entry < 0
	maxProfit, risk, stopAt := s.width-s.entry, s.entry, -cfg.DebitStopLoss*s.entry // debit spread
	if credit {
		maxProfit, risk, stopAt = -s.entry, -s.entry, cfg.StopLossMultiple*s.entry
	}
	held := int(snap.Day - pos.Opened)
	switch {
	case cfg.ProfitTarget > 0 && pnl >= cfg.ProfitTarget*maxProfit:
		return ReasonProfit, fmt.Sprintf("P&L %.2f ≥ %.2f = %g × max profit %.2f", pnl, cfg.ProfitTarget*maxProfit, cfg.ProfitTarget, maxProfit)
	case credit && cfg.StopLossMultiple > 0 && pnl <= stopAt:
		return ReasonStop, fmt.Sprintf("P&L %.2f ≤ %.2f = −%g × credit %.2f", pnl, stopAt, cfg.StopLossMultiple, risk)
	case !credit && cfg.DebitStopLoss > 0 && pnl <= stopAt:
		return ReasonStop, fmt.Sprintf("P&L %.2f ≤ %.2f = −%g × debit %.2f", pnl, stopAt, cfg.DebitStopLoss, risk)
	case cfg.TimeExitPct > 0 && pos.Entry.DTE > 0 && float64(held) >= cfg.TimeExitPct*float64(pos.Entry.DTE):
		return ReasonTime, fmt.Sprintf("%d of %d days held ≥ %g", held, pos.Entry.DTE, cfg.TimeExitPct)
	case cfg.RegimeShiftExit && Regime(pos.Tag) == LowVol && now == HighVol:
		return ReasonRegimeShift, fmt.Sprintf("entered in %s, now %s", pos.Tag, now)
	}
	return "", ""
}

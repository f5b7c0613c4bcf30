package wheel

import (
	"fmt"
	"math"
	"strconv"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
)

// Strategy runs wheels. It implements sim.Strategy.
type Strategy struct {
	cfg    Config
	liq    fill.Liquidity
	wheels []*wheel          // in start order
	byTag  map[string]*wheel // by wheel id (the positions' tag)
	seq    int               // wheels started so far, for ids
	cands  []int             // scratch
	calls  []int             // scratch
	bp     float64           // buying power left for new wheels in this step (an estimate)
	// passText ends the candidates note: the filters, from the config.
	passText string
}

// wheel is one wheel's state.
type wheel struct {
	id       string
	symbol   string
	state    State
	position int64
	strike   float64 // the put's strike
	premium  float64 // the put's premium per share
	pending  bool    // an order for the wheel awaits its fill event
	sellOff  bool    // shares to sell at the next decision
}

// New returns a wheel strategy; liq is the engine's liquidity model, whose
// hard limits reject candidates.
func New(c Config, liq fill.Liquidity) (*Strategy, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	pass := fmt.Sprintf(" puts pass DTE %d-%d, |delta| %.2f-%.2f and the liquidity limits", c.DTEMin, c.DTEMax, c.DeltaMin, c.DeltaMax)
	return &Strategy{cfg: c, liq: liq, byTag: map[string]*wheel{}, passText: pass}, nil
}

// Wheels returns the state of every wheel still tracked (open, or complete
// with shares left to sell), by wheel id.
func (s *Strategy) Wheels() map[string]State {
	m := make(map[string]State, len(s.wheels))
	for _, w := range s.wheels {
		m[w.id] = w.state
	}
	return m
}

// Step implements sim.Strategy.
func (s *Strategy) Step(snap *sim.Snapshot, book *sim.Book) ([]sim.Order, error) {
	if err := s.apply(book); err != nil {
		return nil, err
	}
	var orders []sim.Order
	s.bp = book.BuyingPower()
	for _, w := range s.wheels {
		if o, ok := s.manage(w, snap, book); ok {
			orders = append(orders, o)
		}
	}
	for k := range snap.Markets {
		orders = s.enter(snap, &snap.Markets[k], book, orders)
	}
	return orders, nil
}

// Finish implements sim.Finisher: it applies the last day's events.
func (s *Strategy) Finish(book *sim.Book) error { return s.apply(book) }

// apply advances wheels on the book's events since the last step.
func (s *Strategy) apply(book *sim.Book) error {
	for _, ev := range book.Events {
		w := s.byTag[ev.Tag]
		if w == nil {
			continue
		}
		var t *sim.Trade
		if ev.Trade >= 0 {
			t = book.Trade(ev.Trade)
		}
		if err := s.advance(w, ev, t); err != nil {
			return fmt.Errorf("%s on %s: %w", w.id, sim.DayString(ev.Day), err)
		}
	}
	s.prune(book)
	return nil
}

// prune forgets wheels that completed and hold nothing more, and wheels whose
// opening order was rejected.
func (s *Strategy) prune(book *sim.Book) {
	keep := s.wheels[:0]
	for _, w := range s.wheels {
		if w.sellOff {
			p := book.Position(w.position)
			w.sellOff = p != nil && p.Shares != 0
		}
		if (w.state == Complete && !w.sellOff) || w.state == "" {
			delete(s.byTag, w.id)
			continue
		}
		keep = append(keep, w)
	}
	s.wheels = keep
}

// advance moves w on one book event of one of its trades.
func (s *Strategy) advance(w *wheel, ev sim.BookEvent, t *sim.Trade) error {
	phase := ""
	if t != nil {
		phase = t.Phase
	}
	if phase == "stock" || ev.Kind == sim.EventSharesSold {
		return nil // the option side of the same event moves the wheel
	}
	var event string
	switch ev.Kind {
	case sim.EventRejected:
		w.pending = false
		if w.state == CSPOpen && w.position == 0 {
			w.state = "" // never started
		}
		return nil
	case sim.EventFilled:
		w.pending = false
		if phase != "cc" {
			w.position = ev.Position // the put sold: the wheel is in CSP_OPEN
			w.premium = t.Legs[0].Price
			return nil
		}
		event = EvSellCall
	case sim.EventTakeProfit:
		event = EvProfitTarget
	case sim.EventStop:
		event = EvStopLoss
	case sim.EventExpired:
		event = EvWorthless
	case sim.EventAssigned:
		event = EvAssigned
	case sim.EventCalledAway, sim.EventEarlyAssigned:
		event = EvCalledAway
	case sim.EventClosed:
		switch w.state {
		case Complete:
			w.sellOff = false
			return nil
		case CSPAssigned:
			event = EvComplete
		default:
			event = EvTimeExit
		}
	default:
		return nil
	}
	next, err := Advance(w.state, event)
	if err != nil {
		return err
	}
	w.state = next
	if next != CSPAssigned && next != CCOpen && next != Complete {
		w.state, _ = Advance(next, EvComplete) // every closed phase completes the wheel (seed v1: no re-entry)
		w.sellOff = s.cfg.LiquidateComplete
	}
	return nil
}

// manage returns the order an open wheel needs today, if any.
func (s *Strategy) manage(w *wheel, snap *sim.Snapshot, book *sim.Book) (sim.Order, bool) {
	if w.pending || w.position == 0 {
		return sim.Order{}, false
	}
	p := book.Position(w.position)
	switch w.state {
	case Complete:
		w.sellOff = w.sellOff && p != nil && p.Shares != 0
		if !w.sellOff {
			return sim.Order{}, false
		}
		w.pending = true
		return sim.Order{Kind: sim.Close, Position: w.position, Reason: "wheel_complete", Tag: w.id}, true
	case CSPOpen, CCOpen:
		if s.cfg.MaxHoldDTE <= 0 || p == nil || len(p.Legs) == 0 {
			return sim.Order{}, false
		}
		if int(p.Legs[0].Contract.Expiration-snap.Day) > s.cfg.MaxHoldDTE {
			return sim.Order{}, false
		}
		w.pending = true
		if w.state == CCOpen {
			return sim.Order{Kind: sim.Reduce, Position: w.position, Quantity: s.cfg.Contracts, Reason: "max_hold_dte", Tag: w.id}, true
		}
		return sim.Order{Kind: sim.Close, Position: w.position, Reason: "max_hold_dte", Tag: w.id}, true
	case CSPAssigned:
		if p == nil || p.Shares < s.cfg.Contracts*sim.Multiplier {
			return sim.Order{}, false
		}
		m := snap.Market(w.symbol)
		r := s.pickCall(m, snap.Day, w)
		if r < 0 {
			return sim.Order{}, false
		}
		c := &m.Chain
		w.pending = true
		return sim.Order{
			Kind: sim.Add, Position: w.position, Quantity: s.cfg.Contracts, Phase: "cc", Tag: w.id,
			Legs:    []sim.OrderLeg{{Contract: c.Contract(w.symbol, r), Ratio: -1}},
			Bracket: sim.Bracket{TakeProfit: s.cfg.CCExitPct, Probabilistic: s.cfg.Probabilistic, TargetAtBar: s.cfg.TargetFill == TargetAtBar},
			Entry:   entry(snap, m, r),
		}, true
	}
	return sim.Order{}, false
}

// basis is the wheel's net cost per share: the put's strike less its premium
// (seed 001's stock_cost_per_share).
func (w *wheel) basis() float64 { return w.strike - w.premium }

// pickCall returns the chain row of the covered call to sell, or -1.
func (s *Strategy) pickCall(m *sim.Market, day int32, w *wheel) int {
	c := &m.Chain
	best := -1
	floor := 0.0
	if s.cfg.AboveBasisOnly {
		floor = w.basis() * (1 + s.cfg.StrikeAboveBase)
	}
	target := (s.cfg.CCDeltaMin + s.cfg.CCDeltaMax) / 2
	s.calls = c.Select(s.calls[:0], sim.Call, day, s.cfg.CCDTEMin, s.cfg.CCDTEMax, s.cfg.CCDeltaMin, s.cfg.CCDeltaMax)
	for _, r := range s.calls {
		if c.Strike[r] < floor || !s.liquid(m, r, int(c.Expiration[r]-day)) {
			continue
		}
		if best < 0 || s.better(c, r, best, target) {
			best = r
		}
	}
	return best
}

// better reports whether row r beats row b under the tie-break method; rows
// come in chain order, so an exact tie keeps the earlier (nearer expiry, lower
// strike) row.
func (s *Strategy) better(c *sim.Chain, r, b int, target float64) bool {
	switch s.cfg.TieBreak {
	case "closest_delta":
		return math.Abs(math.Abs(c.Delta[r])-target) < math.Abs(math.Abs(c.Delta[b])-target)
	case "highest_strike":
		return c.Strike[r] > c.Strike[b]
	}
	return c.Mid(r) > c.Mid(b)
}

// liquid applies the liquidity model's hard limits to row r.
func (s *Strategy) liquid(m *sim.Market, r, dte int) bool {
	c := &m.Chain
	if !c.Quoted(r) {
		return false
	}
	tier, _ := s.liq.Classify(c.Bid[r], c.Ask[r], m.IVPercentile, dte)
	return tier != fill.Reject
}

// enter starts wheels on m's candidates.
func (s *Strategy) enter(snap *sim.Snapshot, m *sim.Market, book *sim.Book, orders []sim.Order) []sim.Order {
	if !s.cfg.MultiplePerSymbol {
		for _, w := range s.wheels {
			if w.symbol == m.Symbol && w.state != Complete {
				return orders
			}
		}
	}
	c := &m.Chain
	s.cands = c.Select(s.cands[:0], sim.Put, snap.Day, s.cfg.DTEMin, s.cfg.DTEMax, s.cfg.DeltaMin, s.cfg.DeltaMax)
	keep := s.cands[:0]
	for _, r := range s.cands {
		if s.liquid(m, r, int(c.Expiration[r]-snap.Day)) {
			keep = append(keep, r)
		}
	}
	s.cands = keep
	// Chain order is expiration then strike: the seed's deterministic sort.
	if s.cfg.MaxPerDay > 0 && len(s.cands) > s.cfg.MaxPerDay {
		s.cands = s.cands[:s.cfg.MaxPerDay]
	}
	if len(s.cands) > 0 {
		book.Note(m.Symbol, "candidates", strconv.Itoa(len(s.cands))+s.passText)
	}
	skipped := 0
	for _, r := range s.cands {
		// The engine rejects a put the book cannot secure. Skip it here: a
		// put reserves its strike less the premium (estimated at the mid;
		// the engine checks the fill and fees).
		need := (c.Strike[r] - c.Mid(r)) * sim.Multiplier * float64(s.cfg.Contracts)
		if need > s.bp {
			skipped++
			continue
		}
		s.bp -= need
		s.seq++
		w := &wheel{id: m.Symbol + "-" + sim.DayString(snap.Day) + "-" + strconv.Itoa(s.seq), symbol: m.Symbol,
			state: CSPOpen, strike: c.Strike[r], pending: true}
		w.premium = math.NaN() // known at the fill
		s.wheels = append(s.wheels, w)
		s.byTag[w.id] = w
		orders = append(orders, sim.Order{
			Kind: sim.Open, Symbol: m.Symbol, Quantity: s.cfg.Contracts, Phase: "csp", Tag: w.id,
			Legs: []sim.OrderLeg{{Contract: c.Contract(m.Symbol, r), Ratio: -1}},
			Bracket: sim.Bracket{TakeProfit: s.cfg.ExitPct, StopMultiple: s.cfg.StopLossMultiplier, Probabilistic: s.cfg.Probabilistic,
				TargetAtBar: s.cfg.TargetFill == TargetAtBar},
			Entry: entry(snap, m, r),
		})
	}
	if skipped > 0 {
		book.Note(m.Symbol, "buying_power", strconv.Itoa(skipped)+" candidates skipped: $"+strconv.FormatFloat(s.bp, 'f', 2, 64)+" of buying power left")
	}
	return orders
}

// entry records the values at entry of chain row r.
func entry(snap *sim.Snapshot, m *sim.Market, r int) sim.Entry {
	c := &m.Chain
	vix := snap.VIX.Now
	if math.IsNaN(vix) {
		vix = snap.VIX.History.LastClose()
	}
	return sim.Entry{Spot: m.Spot, VIX: vix, Delta: c.Delta[r], IV: c.IV[r], IVP: m.IVPercentile,
		SpreadPct: fill.SpreadPct(c.Bid[r], c.Ask[r]), DTE: int(c.Expiration[r] - snap.Day)}
}

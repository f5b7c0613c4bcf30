package legs

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/signal"
)

// Exit reasons recorded on closed trades.
const (
	ReasonProfit    = "profit_target"
	ReasonStop      = "stop_loss"
	ReasonDTE       = "dte_exit"
	ReasonHold      = "max_hold"
	ReasonTime      = "time_stop" // max_hold_frac of the entry's days to expiration held
	ReasonDelivered = "delivered" // shares an exercise or assignment left, sold at the next step
)

// Decision-log kinds (Book.Note).
const (
	NoteEntry = "ENTRY"
	NoteExit  = "EXIT"
)

// Strategy is the legs strategy as a sim.Strategy. It remembers which trade
// record each of its positions opened, so one Strategy serves one run at a
// time.
type Strategy struct {
	cfg    Config
	legs   []Leg
	sig    signal.Signal // nil: always
	liq    fill.Liquidity
	phase  string
	trades map[int64]track
	last   map[string]int32 // symbol → day of its last entry
	exited map[string]int32 // symbol → day of its last exit order
}

// track is what the strategy keeps of an open position.
type track struct {
	trade     int
	maxProfit float64 // per share per unit; +Inf when unbounded or unknown
}

var _ sim.Strategy = (*Strategy)(nil)

// New returns a Strategy with configuration c, checking entries against the
// liquidity tiers liq, or c's validation error.
func New(c Config, liq fill.Liquidity) (*Strategy, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	legs, _ := c.Resolve()
	for i, l := range legs {
		if l.Right == Stock {
			return nil, fmt.Errorf("legs[%d] is a stock leg: the engine has no order that buys shares yet, so %s runs only in sweep scan", i, orName(c.Preset))
		}
	}
	sig, err := signal.Parse(c.Signal)
	if err != nil {
		return nil, fmt.Errorf("signal: %w", err)
	}
	c.Weekdays = slices.Clone(c.Weekdays)
	phase := c.Preset
	if phase == "" {
		phase = "legs"
	}
	return &Strategy{cfg: c, legs: legs, sig: sig, liq: liq, phase: phase, trades: map[int64]track{}, last: map[string]int32{}, exited: map[string]int32{}}, nil
}

func orName(p string) string {
	if p == "" {
		return "this structure"
	}
	return p
}

// Legs returns the resolved legs.
func (st *Strategy) Legs() []Leg { return slices.Clone(st.legs) }

// Step records the fills of its last orders, checks every open position's
// exits, then enters on each market the rules allow.
func (st *Strategy) Step(snap *sim.Snapshot, book *sim.Book) ([]sim.Order, error) {
	for _, ev := range book.Events {
		if ev.Kind == sim.EventFilled && ev.Trade >= 0 {
			if _, ok := st.trades[ev.Position]; !ok {
				t := book.Trade(ev.Trade)
				st.trades[ev.Position] = track{trade: ev.Trade, maxProfit: maxProfit(t)}
			}
		}
	}
	live := make(map[int64]bool, len(book.Positions))
	for _, pos := range book.Positions {
		live[pos.ID] = true
	}
	for id := range st.trades {
		if !live[id] {
			delete(st.trades, id) // closed or settled
		}
	}
	var orders []sim.Order
	open := 0
	for _, pos := range book.Positions {
		tr, ok := st.trades[pos.ID]
		m := snap.Market(pos.Symbol)
		if !ok || m == nil {
			open++
			continue
		}
		if reason, detail := st.exit(snap, m, pos, book.Trade(tr.trade), tr); reason != "" {
			orders = append(orders, sim.Order{Kind: sim.Close, Position: pos.ID, Reason: reason})
			book.Note(pos.Symbol, NoteExit, reason+": "+detail)
			st.exited[pos.Symbol] = snap.Day
			continue // a close the engine rejects (no quote) is asked again tomorrow
		}
		open++
	}
	for k := range snap.Markets {
		if open >= st.cfg.MaxOpen {
			break
		}
		if o, ok := st.enter(snap, &snap.Markets[k], book); ok {
			orders = append(orders, o)
			open++
		}
	}
	return orders, nil
}

// value returns the open legs' worth per share per unit at the exit mids, and
// whether every leg can be valued.
func value(c *sim.Chain, pos *sim.Position, units int) (float64, bool) {
	v := 0.0
	for _, l := range pos.Legs {
		mid, ok := c.ExitMid(l.Contract, l.Qty < 0)
		if !ok {
			return 0, false
		}
		v += float64(l.Qty) * (mid - l.Price) / float64(units)
	}
	return v, true
}

// exit returns the first exit rule that fires for pos: delivered shares,
// profit target, stop, DTE, holding time; "" to hold. P&L per share per unit
// counts what the trade realised (a calendar's front leg that expired) and
// the open legs at their exit mids.
func (st *Strategy) exit(snap *sim.Snapshot, m *sim.Market, pos *sim.Position, t *sim.Trade, tr track) (string, string) {
	cfg := &st.cfg
	if pos.Shares != 0 {
		return ReasonDelivered, fmt.Sprintf("%+d shares delivered at expiry, basis %.2f", pos.Shares, pos.ShareBasis)
	}
	units := max(t.Quantity, 1)
	front := int32(math.MaxInt32)
	for _, l := range pos.Legs {
		front = min(front, l.Contract.Expiration)
	}
	open, valued := value(&m.Chain, pos, units)
	pnl := t.Gross/float64(sim.Multiplier*units) + open
	return cfg.exitRule(pnl, valued, t.Entry, tr.maxProfit, int(front-snap.Day), int(snap.Day-pos.Opened), pos.Entry.DTE)
}

// exitRule returns the first exit rule that fires, "" to hold: profit
// target, stop, DTE, holding time. pnl is per share per unit (valued: every
// open leg has an exit quote; the P&L rules need it), entry the entry price
// (negative: a credit), maxProfit the structure's (+Inf: unknown), dte the
// nearest open leg's days to expiry, held the calendar days since entry,
// dte0 leg 0's days to expiry at entry. The strategy and Scan share it.
func (cfg *Config) exitRule(pnl float64, valued bool, entry, maxProfit float64, dte, held, dte0 int) (string, string) {
	basis := math.Abs(entry)
	if basis < 1e-6 {
		basis = 0 // a structure entered for nothing has no credit or debit to count from
	}
	if valued {
		target := basis
		if cfg.TakeProfitOf == OfMaxProfit && !math.IsInf(maxProfit, 1) {
			target = maxProfit
		}
		switch {
		case cfg.TakeProfit > 0 && target > 0 && pnl >= cfg.TakeProfit*target-eps:
			return ReasonProfit, fmt.Sprintf("P&L %.4f ≥ %g × %s %.4f", pnl, cfg.TakeProfit, cfg.TakeProfitOf, target)
		case cfg.StopMultiple > 0 && basis > 0 && pnl <= -cfg.StopMultiple*basis+eps:
			return ReasonStop, fmt.Sprintf("P&L %.4f ≤ −%g × entry %.4f", pnl, cfg.StopMultiple, basis)
		}
	}
	switch {
	case cfg.ExitDTE >= 0 && dte <= cfg.ExitDTE:
		return ReasonDTE, fmt.Sprintf("%d days to expiry ≤ exit_dte %d", dte, cfg.ExitDTE)
	case cfg.MaxHoldDays > 0 && held >= cfg.MaxHoldDays:
		return ReasonHold, fmt.Sprintf("held %d days ≥ max_hold_days %d", held, cfg.MaxHoldDays)
	case cfg.MaxHoldFrac > 0 && dte0 > 0 && float64(held) >= cfg.MaxHoldFrac*float64(dte0):
		return ReasonTime, fmt.Sprintf("held %d of %d days to expiry ≥ max_hold_frac %g", held, dte0, cfg.MaxHoldFrac)
	}
	return "", ""
}

// maxProfit returns the largest payoff at expiry per share per unit of a
// trade's legs less its entry price; +Inf when the legs expire on different
// days (a calendar: no payoff diagram at one date) or the payoff is unbounded.
func maxProfit(t *sim.Trade) float64 {
	return maxProfitOf(t.Legs, t.Quantity, t.Entry)
}

// maxProfitOf returns maxProfit for legs (quantities for units units) entered
// at entry per share per unit.
func maxProfitOf(legs []sim.Leg, quantity int, entry float64) float64 {
	if len(legs) == 0 || quantity == 0 {
		return math.Inf(1)
	}
	units := float64(quantity)
	hi, slope := 0.0, 0.0
	for _, l := range legs {
		if l.Contract.Expiration != legs[0].Contract.Expiration || l.Contract.Strike == 0 {
			return math.Inf(1)
		}
		hi = max(hi, l.Contract.Strike)
		if l.Contract.PutCall == sim.Call {
			slope += float64(l.Qty)
		}
	}
	if slope > 0 {
		return math.Inf(1)
	}
	payoff := func(s float64) float64 {
		v := 0.0
		for _, l := range legs {
			v += float64(l.Qty) / units * l.Contract.Intrinsic(s)
		}
		return v
	}
	best := max(payoff(0), payoff(2*hi))
	for _, l := range legs {
		best = max(best, payoff(l.Contract.Strike))
	}
	return best - entry
}

// enter evaluates an entry on market m and returns its order.
func (st *Strategy) enter(snap *sim.Snapshot, m *sim.Market, book *sim.Book) (sim.Order, bool) {
	cfg := &st.cfg
	if d, ok := st.last[m.Symbol]; ok && d == snap.Day {
		return sim.Order{}, false // one entry per symbol per day
	}
	if len(cfg.Weekdays) > 0 {
		wd := weekdays[sim.DayTime(snap.Day).Weekday()]
		if !slices.ContainsFunc(cfg.Weekdays, func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), wd) }) {
			return sim.Order{}, false
		}
	}
	if d, ok := st.exited[m.Symbol]; ok && cfg.ExitCooldown > 0 && snap.Day < d+int32(cfg.ExitCooldown) {
		return sim.Order{}, false // exit_cooldown_days after an exit on the symbol
	}
	if st.sig != nil && !st.sig.Eval(snap, m) {
		return sim.Order{}, false
	}
	ch, why := chooseAll(m, snap.Day, st.legs, -1)
	if why != "" {
		return sim.Order{}, false
	}
	c := &m.Chain
	p := price(m, st.legs, &ch)
	if why := st.gate(c, m, snap.Day, &ch, st.gatePrice(m, &ch, p)); why != "" {
		return sim.Order{}, false
	}
	o := sim.Order{Kind: sim.Open, Symbol: m.Symbol, Quantity: cfg.Quantity, Pricing: sim.PriceMarket, Phase: st.phase, Tag: st.phase}
	spread := 0.0
	for i, l := range st.legs {
		r := ch.rows[i]
		o.Legs = append(o.Legs, sim.OrderLeg{Contract: c.Contract(m.Symbol, r), Ratio: l.sign() * l.Ratio})
		spread += float64(l.Ratio) * (c.Ask[r] - c.Bid[r])
	}
	r0 := ch.rows[0]
	vix := snap.VIX.Now
	if math.IsNaN(vix) {
		vix = snap.VIX.History.LastClose()
	}
	iv := math.NaN()
	if n := len(m.ATMIV); n > 0 {
		iv = m.ATMIV[n-1]
	}
	o.Entry = sim.Entry{Spot: m.Spot, VIX: vix, Delta: c.Delta[r0], IV: iv, IVP: m.IVPercentile,
		SpreadPct: spread / math.Abs(p), DTE: int(c.Expiration[r0] - snap.Day)}
	st.last[m.Symbol] = snap.Day
	book.Note(m.Symbol, NoteEntry, fmt.Sprintf("%s %d × %s at %.4f (mid)", st.phase, cfg.Quantity, describe(o.Legs), p))
	return o, true
}

// gatePrice returns the price the entry gates judge: the mid price p, or
// the natural price with gate_price natural.
func (st *Strategy) gatePrice(m *sim.Market, ch *choice, p float64) float64 {
	if st.cfg.GatePrice != GateNatural {
		return p
	}
	return natural(m, st.legs, ch)
}

// gate applies the entry rules on the structure's price p: credit, debit,
// credit/width, liquidity and open interest; "" when it may be entered.
func (st *Strategy) gate(c *sim.Chain, m *sim.Market, day int32, ch *choice, p float64) string {
	cfg := &st.cfg
	credit := -p
	switch {
	case cfg.MinCredit > 0 && credit < cfg.MinCredit-eps:
		return fmt.Sprintf("credit %.4f < min_credit %g", credit, cfg.MinCredit)
	case cfg.MaxDebit > 0 && p > cfg.MaxDebit+eps:
		return fmt.Sprintf("debit %.4f > max_debit %g", p, cfg.MaxDebit)
	}
	if cfg.MinCreditPct > 0 {
		if w := width(c, ch); !(w > 0) || credit/w < cfg.MinCreditPct-eps {
			return fmt.Sprintf("credit %.4f / width %g < min_credit_width %g", credit, w, cfg.MinCreditPct)
		}
	}
	for i := 0; i < ch.n; i++ {
		r := ch.rows[i]
		if r < 0 {
			continue
		}
		if cfg.Liquidity {
			if _, pen := st.liq.Classify(c.Bid[r], c.Ask[r], m.IVPercentile, int(c.Expiration[r]-day)); pen == 0 {
				return fmt.Sprintf("legs[%d] untradeable under the liquidity tiers", i)
			}
		}
		if cfg.MinOI > 0 && c.OpenInterest[r] < cfg.MinOI {
			return fmt.Sprintf("legs[%d] open interest %d < %d", i, c.OpenInterest[r], cfg.MinOI)
		}
	}
	return ""
}

func describe(legs []sim.OrderLeg) string {
	parts := make([]string, len(legs))
	for i, l := range legs {
		parts[i] = fmt.Sprintf("%+d %c %g %s", l.Ratio, l.Contract.PutCall, l.Contract.Strike, sim.DayString(l.Contract.Expiration))
	}
	return strings.Join(parts, " / ")
}

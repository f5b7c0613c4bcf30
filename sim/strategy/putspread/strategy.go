package putspread

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
	"github.com/optsweep/sweep/sim/strategy/pick"
)

// Labels on orders and trades.
const (
	Tag   = "optimus"    // Order.Tag of every order, so the strategy knows its trades
	Phase = "put_spread" // Order.Phase of every entry
)

// Exit reasons (Order.Reason), in priority order.
const (
	ReasonProfitTarget = "profit_target"
	ReasonStopLoss     = "stop_loss"
	ReasonTimeStop     = "time_stop"
	ReasonRegimeShift  = "regime_shift"
)

// Note kinds of the decision log.
const (
	KindEntryEval      = "ENTRY_EVAL"      // one note per gate evaluated, then the signal, then the risk decision
	KindWarmup         = "WARMUP"          // indicators not ready
	KindTradeOpened    = "TRADE_OPENED"    // a spread filled
	KindTradeRejected  = "TRADE_REJECTED"  // the engine rejected an order
	KindExit           = "EXIT"            // an exit decided at this step
	KindTradeClosed    = "TRADE_CLOSED"    // a spread closed (by an exit or at expiry)
	KindCircuitBreaker = "CIRCUIT_BREAKER" // tripped or reset
	KindDailySummary   = "DAILY_SUMMARY"   // written on days without an entry
	KindDashboard      = "DAILY_DASHBOARD" // written every day
)

const eps = 1e-9

// spread is one open put credit spread.
type spread struct {
	pos         int64
	trade       int
	short, long sim.Contract
	qty         int
	credit      float64 // per share, from the fill
	opened      int32
	delta       float64 // the short put's delta at entry
}

// maxLoss returns the spread's max loss in dollars.
func (s *spread) maxLoss() float64 {
	return pick.MaxLoss(s.short.Strike-s.long.Strike, s.credit, true) * sim.Multiplier * float64(s.qty)
}

// Strategy is Optimus as a sim.Strategy. It keeps state between steps (its
// open spreads, the last entry, the circuit breaker, running statistics), so
// one Strategy serves one run.
type Strategy struct {
	cfg     Config
	spreads []*spread // open, in opening order
	last    int32     // day of the last entry fill; 0 for none
	peak    float64   // highest equity seen
	streak  int       // consecutive stop-loss exits
	resume  int32     // circuit breaker: entries resume on this day; 0 when off
	wins    int
	losses  int
	won     float64 // net dollars of winning trades
	lost    float64 // net dollars of losing trades (positive)
	recent  []bool  // results of the last closed trades, oldest first (true = win)

	gs                                     []Gate // scratch
	ema, rsi, lo, mid, up, macd, sig, hist []float64
}

var (
	_ sim.Strategy = (*Strategy)(nil)
	_ sim.Finisher = (*Strategy)(nil)
)

// New returns a Strategy with configuration c, or c's validation error.
func New(c Config) (*Strategy, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &Strategy{cfg: c}, nil
}

// Config returns the strategy's configuration.
func (st *Strategy) Config() Config { return st.cfg }

// Step implements sim.Strategy: it books the fills and closes since the last
// step, manages the open spreads (exits first), evaluates the entry gates on
// the last closed session and, when they pass and the risk checks approve,
// opens a spread at today's quotes.
func (st *Strategy) Step(snap *sim.Snapshot, book *sim.Book) ([]sim.Order, error) {
	c := &st.cfg
	m := snap.Market(c.Underlying)
	if m == nil {
		return nil, fmt.Errorf("optimus: %s is not in the run", c.Underlying)
	}
	if st.peak == 0 {
		st.peak = book.StartCash
	}
	st.apply(book)
	st.peak = max(st.peak, book.Equity)
	if st.resume != 0 && snap.Day >= st.resume {
		book.Note(c.Underlying, KindCircuitBreaker, "state=RESET resumed="+sim.DayString(snap.Day))
		st.resume = 0
	}
	r := st.read(snap, m)
	orders, closing := st.exits(snap, m, book, &r)
	all := st.aggregate(m, book, nil)
	stay := st.aggregate(m, book, closing)
	o, blocked := st.enter(snap, m, book, &r, &stay)
	if o != nil {
		orders = append(orders, *o)
	} else {
		st.summary(book, snap.Day, &r, &stay, blocked)
	}
	st.dashboard(book, snap.Day, &r, &all, o != nil, len(closing))
	return orders, nil
}

// Finish implements sim.Finisher: it books the last day's fills and closes.
func (st *Strategy) Finish(book *sim.Book) error {
	st.apply(book)
	return nil
}

// apply books the events since the last step: new spreads from fills,
// rejections, and closed trades (by the strategy's exits or at expiry).
func (st *Strategy) apply(book *sim.Book) {
	c := &st.cfg
	for _, ev := range book.Events {
		switch ev.Kind {
		case sim.EventFilled:
			if ev.Trade < 0 {
				continue
			}
			t := book.Trade(ev.Trade)
			if t.Tag != Tag || t.Phase != Phase {
				continue
			}
			sp := newSpread(t)
			st.spreads = append(st.spreads, sp)
			st.last = ev.Day
			st.noteOpened(book, t, sp)
		case sim.EventRejected:
			if ev.Tag == Tag {
				book.Note(c.Underlying, KindTradeRejected, "date="+sim.DayString(ev.Day)+" detail="+strings.ReplaceAll(ev.Detail, " ", "_"))
			}
		}
	}
	keep := st.spreads[:0]
	for _, sp := range st.spreads {
		t := book.Trade(sp.trade)
		if t.Closed == 0 {
			keep = append(keep, sp)
			continue
		}
		switch t.Reason {
		case ReasonProfitTarget, ReasonStopLoss, ReasonTimeStop, ReasonRegimeShift:
			// The streak was counted when the exit was decided.
		default:
			st.streak = 0 // settled at expiry: not a stop
		}
		st.record(t.Net() > 0, t.Net())
		st.noteClosed(book, t, sp)
	}
	clear(st.spreads[len(keep):])
	st.spreads = keep
}

// newSpread reads an opened put credit spread from its trade record.
func newSpread(t *sim.Trade) *spread {
	sp := &spread{pos: t.Position, trade: t.ID, qty: t.Quantity, credit: -t.Entry, opened: t.Opened, delta: t.Info.Delta}
	for _, l := range t.Legs {
		if l.Qty < 0 {
			sp.short = l.Contract
		} else {
			sp.long = l.Contract
		}
	}
	return sp
}

// record adds a closed trade's result to the running statistics.
func (st *Strategy) record(win bool, net float64) {
	if win {
		st.wins++
		st.won += net
	} else {
		st.losses++
		st.lost -= net
	}
	st.recent = append(st.recent, win)
	if n := max(st.cfg.ConvWinTrades, 3); len(st.recent) > n {
		st.recent = slices.Delete(st.recent, 0, len(st.recent)-n)
	}
}

// winRate returns the win rate in percent over the last n closed trades and
// how many trades it covers.
func (st *Strategy) winRate(n int) (float64, int) {
	x := st.recent[max(len(st.recent)-n, 0):]
	if len(x) == 0 {
		return math.NaN(), 0
	}
	w := 0
	for _, ok := range x {
		if ok {
			w++
		}
	}
	return 100 * float64(w) / float64(len(x)), len(x)
}

// exits decides the exits of the open spreads, in priority order: profit
// target, stop loss, time stop, regime shift. A spread whose short leg has no
// ask is held (a close could not fill; see sim.Chain.ExitQuote). It returns the orders and
// the positions they close.
func (st *Strategy) exits(snap *sim.Snapshot, m *sim.Market, book *sim.Book, r *reading) ([]sim.Order, []int64) {
	c := &st.cfg
	var orders []sim.Order
	var closing []int64
	for _, sp := range st.spreads {
		if book.Position(sp.pos) == nil {
			continue
		}
		s, ok1 := m.Chain.ExitMid(sp.short, true)
		l, ok2 := m.Chain.ExitMid(sp.long, false)
		if !ok1 || !ok2 {
			continue
		}
		debit := s - l
		dte := int(sp.short.Expiration - snap.Day)
		ptPct := c.profitTargetPct(dte)
		target, stop := sp.credit*(1-ptPct/100), c.StopLossMultiplier*sp.credit
		reason := ""
		switch {
		case debit <= target+eps:
			reason = ReasonProfitTarget
		case debit >= stop-eps:
			reason = ReasonStopLoss
		case c.TimeStopDTE > 0 && dte <= c.TimeStopDTE:
			reason = ReasonTimeStop
		case c.RegimeExit && r.regime.Halts():
			reason = ReasonRegimeShift
		}
		if reason == "" {
			continue
		}
		orders = append(orders, sim.Order{Kind: sim.Close, Position: sp.pos, Tag: Tag, Reason: reason})
		closing = append(closing, sp.pos)
		book.Note(c.Underlying, KindExit, fmt.Sprintf(
			"reason=%s position=%d short_strike=%g long_strike=%g dte=%d credit=%s debit=%s profit_target=%s target_pct=%g stop=%s regime=%s",
			reason, sp.pos, sp.short.Strike, sp.long.Strike, dte, f2(sp.credit), f2(debit), f2(target), ptPct, f2(stop), r.regime.Key()))
		st.countExit(book, reason, snap.Day)
	}
	return orders, closing
}

// countExit advances the circuit breaker on an exit decided on day: a stop
// extends the streak of consecutive stops and trips the breaker at
// circuit_breaker_count; any other exit ends the streak. A tripped breaker
// halts entries on day and the next circuit_breaker_cooldown_days business
// days, then resets.
func (st *Strategy) countExit(book *sim.Book, reason string, day int32) {
	c := &st.cfg
	if reason != ReasonStopLoss {
		st.streak = 0
		return
	}
	st.streak++
	if st.streak < c.CircuitBreakerCount {
		return
	}
	st.resume = sim.DayOf(calendar.AddTradingDays(sim.DayTime(day), c.CircuitBreakerDays+1))
	book.Note(c.Underlying, KindCircuitBreaker, fmt.Sprintf("state=TRIPPED consecutive_stops=%d cooldown_days=%d resume=%s",
		st.streak, c.CircuitBreakerDays, sim.DayString(st.resume)))
	st.streak = 0
}

// portfolio is the aggregate of a set of open spreads.
type portfolio struct {
	open    int
	delta   float64 // delta dollars over equity
	theta   float64 // dollars per calendar day
	heat    float64 // sum of max losses, dollars
	pnl     float64 // unrealised, at the mids, dollars
	nearest int32   // nearest expiration; 0 for none
	equity  float64
}

// aggregate sums the open spreads, leaving out the positions in skip. A leg
// without a delta or theta counts 0; one without a quote is valued at its
// last mark.
func (st *Strategy) aggregate(m *sim.Market, book *sim.Book, skip []int64) portfolio {
	p := portfolio{equity: book.Equity}
	ch := &m.Chain
	spot := m.Spot
	if math.IsNaN(spot) {
		spot = m.History.LastClose()
	}
	for _, sp := range st.spreads {
		pos := book.Position(sp.pos)
		if pos == nil || slices.Contains(skip, sp.pos) {
			continue
		}
		p.open++
		p.heat += sp.maxLoss()
		p.pnl += sp.credit*sim.Multiplier*float64(sp.qty) + pos.Value()
		if p.nearest == 0 || sp.short.Expiration < p.nearest {
			p.nearest = sp.short.Expiration
		}
		for _, l := range pos.Legs {
			row := ch.Find(l.Contract)
			if row < 0 {
				continue
			}
			q := float64(l.Qty * sim.Multiplier)
			if d := ch.Delta[row]; !math.IsNaN(d) && p.equity > 0 {
				p.delta += q * d * spot / p.equity
			}
			if th := ch.Theta[row]; !math.IsNaN(th) {
				p.theta += q * th
			}
		}
	}
	return p
}

// heatPct returns the portfolio's heat in percent of equity.
func (p *portfolio) heatPct() float64 {
	if !(p.equity > 0) {
		return math.NaN()
	}
	return 100 * p.heat / p.equity
}

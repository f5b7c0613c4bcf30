package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/optsweep/sweep/sim/calendar"
	"github.com/optsweep/sweep/sim/fill"
)

// SessionEnd is what the end of a session brings to a book: the day, the next
// trading day, and for each symbol its daily bars through the day and the
// session's option bars. The backtest engine fills it from its Tape
// (Tape.SessionEnd); the live driver from its market data after the close.
type SessionEnd struct {
	Day, Next int32
	Symbols   []SessionSymbol
}

// SessionSymbol is one underlying's end of session.
type SessionSymbol struct {
	Symbol string
	Cash   bool // cash-settled (index) options
	// Bars holds the daily bars through the day (the settlement and the
	// share marks read the day's close, or the open for AM settlement).
	Bars *Bars
	// After holds the session's option bars row for row with the chain of the
	// daily snapshot's market of the symbol; empty when not known (resting
	// exits are then not worked).
	After After
}

func (e *SessionEnd) symbol(name string) *SessionSymbol {
	for k := range e.Symbols {
		if e.Symbols[k].Symbol == name {
			return &e.Symbols[k]
		}
	}
	return nil
}

// SessionEnd fills end with the end of day i of the Tape, reusing its slices.
func (t *Tape) SessionEnd(i int, end *SessionEnd) {
	end.Day = t.Days[i]
	if i+1 < len(t.Days) {
		end.Next = t.Days[i+1]
	} else {
		end.Next = DayOf(calendar.NextTradingDay(DayTime(end.Day)))
	}
	if cap(end.Symbols) < len(t.Symbols) {
		end.Symbols = make([]SessionSymbol, len(t.Symbols))
	}
	end.Symbols = end.Symbols[:len(t.Symbols)]
	for k := range t.Symbols {
		s := &t.Symbols[k]
		lo, hi := s.rows(t, i)
		a := &s.After
		end.Symbols[k] = SessionSymbol{Symbol: s.Symbol, Cash: s.Cash, Bars: &s.Bars,
			After: After{High: a.High[lo:hi:hi], Low: a.Low[lo:hi:hi], Close: a.Close[lo:hi:hi], Volume: a.Volume[lo:hi:hi]}}
	}
}

// EndSession applies the rest of the session after its last decision to the
// book, as the backtest does: the resting exits of bracketed positions on the
// session's option bars, early assignment of short calls before an
// ex-dividend date (when cfg asks for it), the expiry of every leg expiring
// on or before the day, and the marks. snap is the session's daily snapshot.
func (b *Book) EndSession(snap *Snapshot, end *SessionEnd, cfg *Config) error {
	b.WorkBrackets(snap, end, cfg)
	if cfg.EarlyAssignment {
		b.AssignEarly(snap, end)
	}
	if err := b.Expire(snap, end); err != nil {
		return err
	}
	b.Mark(snap, end)
	return nil
}

// rng returns position p's random generator, seeded from seed and the
// position's identity, so its draws do not depend on what else runs.
func (b *Book) rng(p *Position, seed uint64) *rand.Rand {
	if b.rngs == nil {
		b.rngs = map[int64]*rand.Rand{}
	}
	r, ok := b.rngs[p.ID]
	if !ok {
		r = fill.NewRand(seed, p.Symbol+"/"+strconv.Itoa(int(p.Opened))+"/"+strconv.FormatInt(p.ID, 10))
		b.rngs[p.ID] = r
	}
	return r
}

// WorkBrackets works the resting exits of bracketed positions on the
// session's option bars: the stop first, then the take-profit, as seed 001
// checks them, filled by cfg's fill model on the bar.
func (b *Book) WorkBrackets(snap *Snapshot, end *SessionEnd, cfg *Config) {
	for _, p := range b.positions() {
		br := p.Bracket
		if br == (Bracket{}) || end.Day < p.bracketDay || len(p.Legs) == 0 {
			continue
		}
		s := end.symbol(p.Symbol)
		m := snap.Market(p.Symbol)
		k := p.Leg(p.bracketOn)
		if k < 0 {
			p.Bracket = Bracket{}
			continue
		}
		l := &p.Legs[k]
		r := m.Chain.legRow(l)
		if r < 0 || r >= len(s.After.High) {
			continue
		}
		hi, lo, cl := s.After.High[r], s.After.Low[r], s.After.Close[r]
		if math.IsNaN(hi) || math.IsNaN(lo) || math.IsNaN(cl) {
			continue // the contract did not trade: nothing to fill against
		}
		t := &b.trades[l.trade]
		q, prices, fees := b.legScratch(k + 1)
		q[k] = l.Qty
		fees[k] = cfg.Costs.Leg(abs(l.Qty))
		switch {
		case br.StopMultiple > 0 && hi >= br.StopMultiple*p.credit:
			price := fill.BarBuy(cfg.Mode, hi, lo, cl, p.Penalty)
			ti := l.trade
			prices[k] = price
			b.closeLegs(p, q, prices, fees, EventStop)
			b.event(p.ID, EventStop, ti, bracketText("high ", hi, " ≥ ", br.StopMultiple*p.credit, price))
		case br.TakeProfit > 0 && lo <= br.TakeProfit*p.credit:
			target := br.TakeProfit * p.credit
			t.Touches++
			p.Touches++
			if br.Probabilistic && cfg.Probabilistic.Enabled {
				d := cfg.Probabilistic.Try(p.Entry.SpreadPct, p.Entry.IVP, b.rng(p, cfg.Seed))
				t.Draws = append(t.Draws, d)
				if !d.Filled {
					continue
				}
			}
			price := fill.BarBuy(cfg.Mode, hi, lo, cl, p.Penalty)
			if !br.TargetAtBar {
				price = math.Min(price, target) // a limit order never fills above its limit
			}
			ti := l.trade
			prices[k] = price
			b.closeLegs(p, q, prices, fees, EventTakeProfit)
			b.event(p.ID, EventTakeProfit, ti, bracketText("low ", lo, " ≤ ", target, price))
		default:
			continue
		}
		p.Bracket = Bracket{}
		b.tidy(p)
	}
}

// AssignEarly assigns short equity calls at the session's close when the
// next session is an ex-dividend date, the call is in the money and its
// extrinsic value is below the dividend: the holder exercises to collect it.
func (b *Book) AssignEarly(snap *Snapshot, end *SessionEnd) {
	day, next := end.Day, end.Next
	for _, p := range b.positions() {
		s := end.symbol(p.Symbol)
		if s.Cash {
			continue
		}
		ev, ok := snap.EventWithin(p.Symbol, ExDividend, day+1, next)
		if !ok || !(ev.Amount > 0) {
			continue
		}
		S := closeOn(s.Bars, day)
		if math.IsNaN(S) {
			continue
		}
		m := snap.Market(p.Symbol)
		for k := len(p.Legs) - 1; k >= 0; k-- {
			l := p.Legs[k]
			c := l.Contract
			if c.PutCall != Call || l.Qty >= 0 || !c.ITM(S) || c.Expiration <= day {
				continue
			}
			value := math.NaN()
			if r := m.Chain.legRow(&p.Legs[k]); r >= 0 {
				if r < len(s.After.Close) {
					value = s.After.Close[r]
				}
				if math.IsNaN(value) {
					value = m.Chain.Mid(r)
				}
			}
			if math.IsNaN(value) || value-c.Intrinsic(S) >= ev.Amount {
				continue
			}
			ti := l.trade
			b.settleLeg(p, k, 0, EventEarlyAssigned)
			b.deliver(p, l.Qty*l.Shares(), c.Strike, EventEarlyAssigned)
			b.event(p.ID, EventEarlyAssigned, ti, fmt.Sprintf("%v: extrinsic %.2f < dividend %.2f on %s",
				c, value-c.Intrinsic(S), ev.Amount, DayString(ev.Day)))
		}
		b.tidy(p)
	}
}

// settleLeg closes all of leg k of p at price per share, without fees.
func (b *Book) settleLeg(p *Position, k int, price float64, reason string) {
	qty, prices, _ := b.legScratch(k + 1)
	qty[k], prices[k] = p.Legs[k].Qty, price
	b.closeLegs(p, qty, prices, nil, reason)
}

// Expire settles every leg expiring on or before the session's day:
// cash-settled options at intrinsic value, equity options by delivering shares
// at the strike when in the money (no fees either way). The settlement price
// is the underlying's close on the expiration date, or its open for
// AM-settled contracts (the opening print stands in for the special opening
// quotation).
func (b *Book) Expire(snap *Snapshot, end *SessionEnd) error {
	day := end.Day
	for _, p := range b.positions() {
		s := end.symbol(p.Symbol)
		for k := len(p.Legs) - 1; k >= 0; k-- {
			l := p.Legs[k]
			c := l.Contract
			if c.Expiration > day {
				continue
			}
			S, stale := settlementPrice(s.Bars, c, snap.Market(p.Symbol))
			if math.IsNaN(S) {
				return fmt.Errorf("sim: no underlying price to settle %v", c)
			}
			ti := l.trade
			if stale {
				b.event(p.ID, EventStaleSettlement, ti, fmt.Sprintf("%v settled at %.2f, no close on %s", c, S, DayString(c.Expiration)))
			}
			switch {
			case !c.ITM(S):
				b.settleLeg(p, k, 0, EventExpired)
				b.event(p.ID, EventExpired, ti, string(appendFixed(append(appendContract(nil, c), " at "...), S, 2)))
			case s.Cash:
				b.settleLeg(p, k, c.Intrinsic(S), EventSettled)
				b.event(p.ID, EventSettled, ti, fmt.Sprintf("%v at %.2f: %.2f", c, S, c.Intrinsic(S)))
			default:
				delta := l.Qty * l.Shares() // a call delivers shares to its holder
				if c.PutCall == Put {
					delta = -delta
				}
				kind := EventExercised
				if l.Qty < 0 {
					kind = EventAssigned
					if c.PutCall == Call && p.Shares > 0 {
						kind = EventCalledAway
					}
				}
				b.settleLeg(p, k, 0, kind)
				b.deliver(p, delta, c.Strike, kind)
				t := appendFixed(append(appendContract(make([]byte, 0, 64), c), " at "...), S, 2)
				t = appendSigned(append(t, ": "...), delta)
				b.event(p.ID, kind, ti, string(appendFixed(append(t, " shares at "...), c.Strike, 2)))
			}
		}
		b.tidy(p)
	}
	return nil
}

// settlementPrice returns the underlying's close on the expiration date (its
// open for AM-settled contracts), or when the bars lack that date, the last
// close before it (stale = true), or the spot.
func settlementPrice(bars *Bars, k Contract, m *Market) (float64, bool) {
	exp := k.Expiration
	if k.AM {
		if o := openOn(bars, exp); !math.IsNaN(o) {
			return o, false
		}
	} else if c := closeOn(bars, exp); !math.IsNaN(c) {
		return c, false
	}
	if n := barsBefore(bars, exp+1); n > 0 {
		return bars.Close[n-1], true
	}
	return m.Spot, true
}

// Mark values every open position at the daily snapshot's mids (shares at
// the session's close) and sets Equity.
func (b *Book) Mark(snap *Snapshot, end *SessionEnd) {
	day := end.Day
	for _, p := range b.Positions {
		m := snap.Market(p.Symbol)
		s := end.symbol(p.Symbol)
		for k := range p.Legs {
			l := &p.Legs[k]
			if r := m.Chain.legRow(l); r >= 0 && m.Chain.Quoted(r) {
				l.Mark = m.Chain.Mid(r)
			} else if m.Spot > 0 {
				// Unquoted: keep the last mark, but never below intrinsic value.
				l.Mark = math.Max(l.Mark, l.Contract.Intrinsic(m.Spot))
			}
		}
		if p.Shares != 0 {
			if c := closeOn(s.Bars, day); !math.IsNaN(c) {
				p.ShareMark = c
			} else if m.Spot > 0 {
				p.ShareMark = m.Spot
			}
		}
	}
	eq := b.Cash
	for _, p := range b.Positions {
		eq += p.Value()
	}
	b.Equity = eq
}

// bracketText renders a bracket fill as "high 1.23 ≥ 1.20; bought at 1.22"
// (fmt's "%s%.2f%s%.2f; bought at %.2f").
func bracketText(what string, bar float64, cmp string, level, price float64) string {
	t := appendFixed(append(make([]byte, 0, 48), what...), bar, 2)
	t = appendFixed(append(t, cmp...), level, 2)
	return string(appendFixed(append(t, "; bought at "...), price, 2))
}

package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/optsweep/sweep/sim/calendar"
	"github.com/optsweep/sweep/sim/fill"
)

// series returns the tape series of symbol.
func (e *engine) series(symbol string) *Series {
	for k := range e.t.Symbols {
		if e.t.Symbols[k].Symbol == symbol {
			return &e.t.Symbols[k]
		}
	}
	return nil
}

// rng returns position id's random generator, seeded from the run's seed and
// the position's identity, so its draws do not depend on what else runs.
func (e *engine) rng(p *Position) *rand.Rand {
	r, ok := e.rngs[p.ID]
	if !ok {
		r = fill.NewRand(e.cfg.Seed, fmt.Sprintf("%s/%d/%d", p.Symbol, p.Opened, p.ID))
		e.rngs[p.ID] = r
	}
	return r
}

// brackets works the resting exits of bracketed positions on day i's option
// bars: the stop first, then the take-profit, as seed 001 checks them.
func (e *engine) brackets(i int) {
	for _, p := range append([]*Position(nil), e.book.Positions...) {
		br := p.Bracket
		if br == (Bracket{}) || e.t.Days[i] < p.bracketDay || len(p.Legs) == 0 {
			continue
		}
		s := e.series(p.Symbol)
		m, _ := e.market(p.Symbol)
		k := p.Leg(p.bracketOn)
		if k < 0 {
			p.Bracket = Bracket{}
			continue
		}
		l := &p.Legs[k]
		r := m.Chain.Find(l.Contract)
		if r < 0 {
			continue
		}
		g := s.DayStart[i] + r
		hi, lo, cl := s.After.High[g], s.After.Low[g], s.After.Close[g]
		if math.IsNaN(hi) || math.IsNaN(lo) || math.IsNaN(cl) {
			continue // the contract did not trade: nothing to fill against
		}
		t := &e.book.trades[l.trade]
		q := make([]int, k+1)
		q[k] = l.Qty
		prices := make([]float64, k+1)
		switch {
		case br.StopMultiple > 0 && hi >= br.StopMultiple*p.credit:
			price := fill.BarBuy(e.cfg.Mode, hi, lo, cl, p.Penalty)
			ti := l.trade
			prices[k] = price
			e.closeLegs(p, q, prices, EventStop, true)
			e.book.event(p.ID, EventStop, ti, fmt.Sprintf("high %.2f ≥ %.2f; bought at %.2f", hi, br.StopMultiple*p.credit, price))
		case br.TakeProfit > 0 && lo <= br.TakeProfit*p.credit:
			target := br.TakeProfit * p.credit
			t.Touches++
			p.Touches++
			if br.Probabilistic && e.cfg.Probabilistic.Enabled {
				d := e.cfg.Probabilistic.Try(p.Entry.SpreadPct, p.Entry.IVP, e.rng(p))
				t.Draws = append(t.Draws, d)
				if !d.Filled {
					continue
				}
			}
			// A limit order never fills above its limit.
			price := math.Min(fill.BarBuy(e.cfg.Mode, hi, lo, cl, p.Penalty), target)
			ti := l.trade
			prices[k] = price
			e.closeLegs(p, q, prices, EventTakeProfit, true)
			e.book.event(p.ID, EventTakeProfit, ti, fmt.Sprintf("low %.2f ≤ %.2f; bought at %.2f", lo, target, price))
		default:
			continue
		}
		p.Bracket = Bracket{}
		e.tidy(p)
	}
}

// earlyAssign assigns short equity calls at day i's close when the next
// session is an ex-dividend date, the call is in the money and its extrinsic
// value is below the dividend: the holder exercises to collect it.
func (e *engine) earlyAssign(i int) {
	day := e.t.Days[i]
	next := day + 1
	if i+1 < len(e.t.Days) {
		next = e.t.Days[i+1]
	} else {
		next = DayOf(calendar.NextTradingDay(DayTime(day)))
	}
	for _, p := range append([]*Position(nil), e.book.Positions...) {
		s := e.series(p.Symbol)
		if s.Cash {
			continue
		}
		ev, ok := e.snap.EventWithin(p.Symbol, ExDividend, day+1, next)
		if !ok || !(ev.Amount > 0) {
			continue
		}
		S := closeOn(&s.Bars, day)
		if math.IsNaN(S) {
			continue
		}
		m, _ := e.market(p.Symbol)
		for k := len(p.Legs) - 1; k >= 0; k-- {
			l := p.Legs[k]
			c := l.Contract
			if c.PutCall != Call || l.Qty >= 0 || !c.ITM(S) || c.Expiration <= day {
				continue
			}
			value := math.NaN()
			if r := m.Chain.Find(c); r >= 0 {
				if value = s.After.Close[s.DayStart[i]+r]; math.IsNaN(value) {
					value = m.Chain.Mid(r)
				}
			}
			if math.IsNaN(value) || value-c.Intrinsic(S) >= ev.Amount {
				continue
			}
			ti := l.trade
			e.settleLeg(p, k, 0, EventEarlyAssigned)
			e.deliver(p, l.Qty*Multiplier, c.Strike, EventEarlyAssigned)
			e.book.event(p.ID, EventEarlyAssigned, ti, fmt.Sprintf("%v: extrinsic %.2f < dividend %.2f on %s",
				c, value-c.Intrinsic(S), ev.Amount, DayString(ev.Day)))
		}
		e.tidy(p)
	}
}

// settleLeg closes all of leg k of p at price per share, without fees.
func (e *engine) settleLeg(p *Position, k int, price float64, reason string) {
	qty := make([]int, k+1)
	prices := make([]float64, k+1)
	qty[k], prices[k] = p.Legs[k].Qty, price
	e.closeLegs(p, qty, prices, reason, false)
}

// expire settles every leg expiring on or before day i: cash-settled options at
// intrinsic value, equity options by delivering shares at the strike when in
// the money (no fees either way). The settlement price is the underlying's close
// on the expiration date, or its open for AM-settled contracts (the opening
// print stands in for the special opening quotation).
func (e *engine) expire(i int) error {
	day := e.t.Days[i]
	for _, p := range append([]*Position(nil), e.book.Positions...) {
		s := e.series(p.Symbol)
		for k := len(p.Legs) - 1; k >= 0; k-- {
			l := p.Legs[k]
			c := l.Contract
			if c.Expiration > day {
				continue
			}
			S, stale := settlementPrice(s, c, e.snap.Market(p.Symbol))
			if math.IsNaN(S) {
				return fmt.Errorf("sim: no underlying price to settle %v", c)
			}
			ti := l.trade
			if stale {
				e.book.event(p.ID, EventStaleSettlement, ti, fmt.Sprintf("%v settled at %.2f, no close on %s", c, S, DayString(c.Expiration)))
			}
			switch {
			case !c.ITM(S):
				e.settleLeg(p, k, 0, EventExpired)
				e.book.event(p.ID, EventExpired, ti, fmt.Sprintf("%v at %.2f", c, S))
			case s.Cash:
				e.settleLeg(p, k, c.Intrinsic(S), EventSettled)
				e.book.event(p.ID, EventSettled, ti, fmt.Sprintf("%v at %.2f: %.2f", c, S, c.Intrinsic(S)))
			default:
				delta := l.Qty * Multiplier // a call delivers shares to its holder
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
				e.settleLeg(p, k, 0, kind)
				e.deliver(p, delta, c.Strike, kind)
				e.book.event(p.ID, kind, ti, fmt.Sprintf("%v at %.2f: %+d shares at %.2f", c, S, delta, c.Strike))
			}
		}
		e.tidy(p)
	}
	return nil
}

// settlementPrice returns the underlying's close on the expiration date (its
// open for AM-settled contracts), or when the bars lack that date, the last
// close before it (stale = true), or the spot.
func settlementPrice(s *Series, k Contract, m *Market) (float64, bool) {
	exp := k.Expiration
	if k.AM {
		if o := openOn(&s.Bars, exp); !math.IsNaN(o) {
			return o, false
		}
	} else if c := closeOn(&s.Bars, exp); !math.IsNaN(c) {
		return c, false
	}
	if n := barsBefore(&s.Bars, exp+1); n > 0 {
		return s.Bars.Close[n-1], true
	}
	return m.Spot, true
}

// mark values every open position at day i's mids (shares at the close) and
// records the day's equity.
func (e *engine) mark(i int) {
	b := e.book
	day := e.t.Days[i]
	for _, p := range b.Positions {
		m, _ := e.market(p.Symbol)
		s := e.series(p.Symbol)
		for k := range p.Legs {
			l := &p.Legs[k]
			if r := m.Chain.Find(l.Contract); r >= 0 && m.Chain.Quoted(r) {
				l.Mark = m.Chain.Mid(r)
			} else if m.Spot > 0 {
				// Unquoted: keep the last mark, but never below intrinsic value.
				l.Mark = math.Max(l.Mark, l.Contract.Intrinsic(m.Spot))
			}
		}
		if p.Shares != 0 {
			if c := closeOn(&s.Bars, day); !math.IsNaN(c) {
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
	e.res.Equity = append(e.res.Equity, eq)
	e.res.Cash = append(e.res.Cash, b.Cash)
	e.res.Collateral = append(e.res.Collateral, b.Collateral())
}

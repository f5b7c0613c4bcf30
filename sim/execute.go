package sim

import (
	"fmt"
	"math"

	"github.com/optsweep/sweep/sim/fill"
)

// execute carries out one order at the snapshot. An order the market or the
// account cannot take is rejected (a book event); an order that makes no sense
// (a missing position, a malformed leg) is an error.
func (e *engine) execute(o *Order) error {
	if err := o.Validate(); err != nil {
		return err
	}
	switch o.Kind {
	case Open:
		return e.open(o, nil)
	case Add, Close, Reduce:
		p := e.book.Position(o.Position)
		if p == nil {
			return fmt.Errorf("sim: %s order for position %d, which is not open", o.Kind, o.Position)
		}
		switch o.Kind {
		case Add:
			return e.open(o, p)
		case Close:
			e.close(o, p, 0)
		default:
			e.close(o, p, o.Quantity)
		}
	}
	return nil
}

// open fills an Open order (pos == nil) or an Add order on pos.
func (e *engine) open(o *Order, pos *Position) error {
	symbol := o.Symbol
	if pos != nil {
		symbol = pos.Symbol
	}
	for _, l := range o.Legs {
		if l.Contract.Underlying != symbol {
			return fmt.Errorf("sim: order on %s has a leg on %s", symbol, l.Contract.Underlying)
		}
	}
	m, _ := e.market(symbol)
	if m == nil {
		return fmt.Errorf("sim: order on %s, which is not in the run", symbol)
	}
	p, why := e.quote(m, o.Legs, false)
	if why != "" {
		e.reject(o, why)
		return nil
	}
	price := fill.Buy(e.cfg.Mode, p.bid, p.ask, p.penalty)
	if o.Pricing == PriceStepped {
		var ok bool
		if price, _, ok = e.cfg.Stepped.Buy(e.cfg.Mode, p.bid, p.ask, p.penalty); !ok {
			e.reject(o, "stepped entry exhausted")
			return nil
		}
	}
	var prices [4]float64
	legPrices(o.Legs, &p, price, prices[:])

	// The position as it would be, to check collateral against buying power.
	fresh := pos == nil
	if fresh {
		pos = &Position{ID: e.book.nextID, Symbol: symbol, Tag: o.Tag, Opened: e.snap.Day, stockTrade: -1}
	}
	total := e.book.Collateral() // with pos as it is now (a fresh one is not in the book and reserves nothing)
	before := pos.Collateral()
	saved := len(pos.Legs)
	units := o.Quantity
	fees := 0.0
	for k, l := range o.Legs {
		pos.Legs = append(pos.Legs, Leg{Contract: l.Contract, Qty: l.Ratio * units, Price: prices[k], Mark: prices[k]})
		fees += e.cfg.Costs.Leg(abs(l.Ratio) * units)
	}
	after := pos.Collateral()
	cost := price*Multiplier*float64(units) + fees
	if e.book.Cash-cost-(total-before+after) < -1e-6 {
		pos.Legs = pos.Legs[:saved]
		e.reject(o, fmt.Sprintf("needs $%.2f of buying power, has $%.2f", after-before+cost, e.book.BuyingPower()))
		return nil
	}
	e.book.Cash -= cost
	e.book.coll = total - before + after // the cache stays valid
	ti := len(e.book.trades)
	coll := after - before
	if coll <= 0 && pos.Shares > 0 {
		coll = float64(pos.Shares) * pos.ShareBasis // a covered call: the shares are the capital at risk
	}
	t := Trade{ID: ti, Position: pos.ID, Symbol: symbol, Tag: pos.Tag, Phase: o.Phase, Quantity: units,
		Opened: e.snap.Day, Entry: price, Fees: fees, Collateral: coll, Reason: "open", Info: o.Entry,
		openLegs: len(o.Legs)}
	for k := saved; k < len(pos.Legs); k++ {
		pos.Legs[k].trade = ti
		t.Legs = append(t.Legs, pos.Legs[k])
	}
	e.book.trades = append(e.book.trades, t)
	if fresh {
		e.book.nextID++
		e.book.Positions = append(e.book.Positions, pos)
	}
	pos.Entry = o.Entry
	if o.Bracket != (Bracket{}) {
		pos.Bracket, pos.bracketDay, pos.credit, pos.Penalty = o.Bracket, e.snap.Day+1, prices[0], p.penalty
		pos.bracketOn = o.Legs[0].Contract
	}
	e.book.event(pos.ID, EventFilled, ti, fmt.Sprintf("%s %d × %s at %.4f", o.Kind, units, describe(o.Legs), price))
	return nil
}

// close fills a Close order (units == 0: every leg and share) or a Reduce
// order of units package units.
func (e *engine) close(o *Order, pos *Position, units int) {
	m, _ := e.market(pos.Symbol)
	legs := e.legs[:0]
	var idx [4]int
	g := 0
	for _, l := range pos.Legs {
		g = gcd(g, abs(l.Qty))
	}
	for k, l := range pos.Legs {
		q := l.Qty // Close: the whole leg
		if units > 0 {
			if units > g {
				e.reject(o, fmt.Sprintf("reduce by %d units of a position of %d", units, g))
				return
			}
			q = l.Qty / g * units
		}
		legs = append(legs, OrderLeg{Contract: l.Contract, Ratio: -q})
		idx[k] = k
	}
	e.legs = legs
	if len(legs) > 0 {
		p, why := e.quote(m, legs, true)
		if why != "" {
			e.reject(o, why)
			return
		}
		price := fill.Buy(e.cfg.Mode, p.bid, p.ask, p.penalty)
		if o.Pricing == PriceStepped {
			var ok bool
			if price, _, ok = e.cfg.Stepped.Buy(e.cfg.Mode, p.bid, p.ask, p.penalty); !ok {
				e.reject(o, "stepped exit exhausted")
				return
			}
		}
		var prices [4]float64
		legPrices(legs, &p, price, prices[:])
		qty := make([]int, len(legs))
		for k, l := range legs {
			qty[k] = -l.Ratio
		}
		e.closeLegs(pos, qty, prices[:len(legs)], o.Reason, true)
	}
	if units == 0 && pos.Shares != 0 {
		if !(m.Spot > 0) {
			e.reject(o, "no price for the shares")
			return
		}
		e.deliver(pos, -pos.Shares, m.Spot, o.Reason)
		e.book.event(pos.ID, EventSharesSold, pos.stockTrade, fmt.Sprintf("at %.2f", m.Spot))
	}
	e.book.event(pos.ID, EventClosed, -1, o.Reason)
	e.tidy(pos)
}

// closeLegs closes qty[k] contracts (signed as held) of pos's first legs, in
// order, at prices[k] per share, charging fees when fees is set, and records
// the P&L on each leg's trade.
func (e *engine) closeLegs(pos *Position, qty []int, prices []float64, reason string, fees bool) {
	b := e.book
	b.changed()
	for k := len(qty) - 1; k >= 0; k-- { // backwards, so removing a leg keeps earlier indexes
		l := &pos.Legs[k]
		q, price := qty[k], prices[k]
		if q == 0 {
			continue
		}
		t := &b.trades[l.trade]
		t.Gross += float64(q*Multiplier) * (price - l.Price)
		t.Exit += float64(q) / float64(t.Quantity) * price
		b.Cash += float64(q*Multiplier) * price
		if fees {
			f := e.cfg.Costs.Leg(abs(q))
			t.Fees += f
			b.Cash -= f
		}
		l.Qty -= q
		if l.Qty == 0 {
			t.openLegs--
			if t.openLegs == 0 {
				t.Closed, t.Reason = b.day, reason
			}
			pos.Legs = append(pos.Legs[:k], pos.Legs[k+1:]...)
		}
	}
}

// deliver moves delta shares into pos at price per share (delivery from
// assignment or exercise at the strike, or a sale at the market), realising
// stock P&L against the shares' basis on its stock trade record.
func (e *engine) deliver(pos *Position, delta int, price float64, reason string) {
	b := e.book
	b.changed()
	b.Cash -= float64(delta) * price
	open := func(n int) {
		ti := len(b.trades)
		b.trades = append(b.trades, Trade{ID: ti, Position: pos.ID, Symbol: pos.Symbol, Tag: pos.Tag, Phase: "stock",
			Quantity: abs(n), Opened: b.day, Entry: price, Collateral: math.Abs(float64(n)) * price, Reason: "open", openLegs: 1})
		pos.stockTrade, pos.Shares, pos.ShareBasis = ti, n, price
	}
	switch {
	case pos.Shares == 0:
		open(delta)
	case (pos.Shares > 0) == (delta > 0):
		t := &b.trades[pos.stockTrade]
		n := abs(pos.Shares) + abs(delta)
		pos.ShareBasis = (pos.ShareBasis*float64(abs(pos.Shares)) + price*float64(abs(delta))) / float64(n)
		t.Quantity, t.Entry, t.Collateral = n, pos.ShareBasis, float64(n)*pos.ShareBasis
		pos.Shares += delta
	default:
		t := &b.trades[pos.stockTrade]
		n := min(abs(delta), abs(pos.Shares))
		sign := float64(pos.Shares / abs(pos.Shares))
		t.Gross += sign * float64(n) * (price - pos.ShareBasis)
		t.Exit = price
		rest := pos.Shares + delta
		if rest == 0 || (rest > 0) != (pos.Shares > 0) {
			t.Closed, t.Reason, t.openLegs = b.day, reason, 0
			pos.Shares, pos.stockTrade = 0, -1
			if rest != 0 {
				open(rest)
			}
			return
		}
		pos.Shares = rest
	}
}

// tidy removes pos from the book when nothing is left in it.
func (e *engine) tidy(pos *Position) {
	if len(pos.Legs) == 0 && pos.Shares == 0 {
		e.book.remove(pos)
	}
}

func describe(legs []OrderLeg) string {
	s := ""
	for k, l := range legs {
		if k > 0 {
			s += " / "
		}
		s += fmt.Sprintf("%+d %v", l.Ratio, l.Contract)
	}
	return s
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

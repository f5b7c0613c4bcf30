package sim

import (
	"fmt"
	"math"
	"strconv"

	"github.com/optsweep/sweep/sim/fill"
)

// This file holds the Book operations: how a day begins, how an execution
// changes the book, how a rejection is recorded. The backtest engine and the
// live driver (sim/live) are two callers of the same operations; neither
// changes a Book any other way. The end of a session (resting exits, early
// assignment, expiry, marks) is in session.go.

// Package is a package of legs priced at a market's chain: per share per
// unit, signed (what buying one unit costs; a credit is negative).
type Package struct {
	Bid, Ask, Mid float64
	Penalty       float64    // the worst leg's liquidity penalty
	Mids          [4]float64 // each leg's mid
	Spreads       [4]float64 // each leg's |ratio| × (ask − bid)
}

// Reach returns the price the fill model says the market charges for one unit
// of the package in mode: the mid moved toward the natural side by a share of
// the penalised spread.
func (p *Package) Reach(mode fill.Mode) float64 { return fill.Buy(mode, p.Bid, p.Ask, p.Penalty) }

// QuoteLegs prices legs (ratios per unit) at market m's chain on day, with the
// liquidity penalty of liq; why says what is missing when a leg has no usable
// quote. An entry needs every leg Quoted. An exit (closing legs) takes what
// the market offers: a leg bought back needs an ask; a leg sold may have no
// bid (it goes for nothing, as a worthless long option does); a crossed quote
// counts at its mid.
func QuoteLegs(m *Market, day int32, legs []OrderLeg, exit bool, liq *fill.Liquidity) (p Package, why string) {
	c := &m.Chain
	p.Penalty = 1
	for k, l := range legs {
		q := float64(l.Ratio)
		bid, ask, ok := legQuote(c, l.Contract, q > 0, exit)
		if !ok {
			return p, fmt.Sprintf("no quote for %v", l.Contract)
		}
		if q > 0 {
			p.Bid, p.Ask = p.Bid+q*bid, p.Ask+q*ask
		} else {
			p.Bid, p.Ask = p.Bid+q*ask, p.Ask+q*bid
		}
		p.Mids[k] = (bid + ask) / 2
		p.Mid += q * p.Mids[k]
		dte := int(l.Contract.Expiration - day)
		if _, pen := liq.Classify(bid, ask, m.IVPercentile, dte); pen > p.Penalty {
			p.Penalty = pen
		} else if pen == 0 {
			p.Penalty = max(p.Penalty, liq.PenaltyWide)
		}
		p.Spreads[k] = math.Abs(q) * (ask - bid)
	}
	return p, ""
}

// LegPrices splits a package price among its legs into out: each leg gets its
// mid plus a share of the slippage from the package mid in proportion to its
// spread.
func (p *Package) LegPrices(legs []OrderLeg, price float64, out []float64) {
	total := 0.0
	for k := range legs {
		total += p.Spreads[k]
	}
	slip := price - p.Mid
	for k, l := range legs {
		w := 1 / float64(len(legs))
		if total > 0 {
			w = p.Spreads[k] / total
		}
		out[k] = p.Mids[k] + slip*w/float64(l.Ratio)
	}
}

// Execution is how an order was carried out: the package price per share per
// unit, each traded leg's price per share and fees in dollars (in the order of
// the order's legs, or of TradeLegs for a Close or Reduce), and for a Close the
// price per share the position's shares were sold at.
type Execution struct {
	Price      float64
	Legs       [4]float64
	Fees       [4]float64
	SharePrice float64
	Penalty    float64 // the package's liquidity penalty, applied to bracket fills
}

// BeginDay starts trading day day: events and notes from now on carry it.
func (b *Book) BeginDay(day int32) { b.day = day }

// Day returns the current trading day.
func (b *Book) Day() int32 { return b.day }

// TradeLegs returns the legs (contract and signed contracts per unit of one)
// that order o trades: its own legs for Open and Add; for Close every leg of
// its position, for Reduce o.Quantity units of each. why is set when the
// market cannot take the order (a reduce larger than the position); err when
// the order makes no sense against the book. dst is reused.
func (b *Book) TradeLegs(o *Order, dst []OrderLeg) (legs []OrderLeg, why string, err error) {
	if err := o.Validate(); err != nil {
		return nil, "", err
	}
	if o.Kind == Open {
		for _, l := range o.Legs {
			if l.Contract.Underlying != o.Symbol {
				return nil, "", fmt.Errorf("sim: order on %s has a leg on %s", o.Symbol, l.Contract.Underlying)
			}
		}
		return o.Legs, "", nil
	}
	p := b.Position(o.Position)
	if p == nil {
		return nil, "", fmt.Errorf("sim: %s order for position %d, which is not open", o.Kind, o.Position)
	}
	if o.Kind == Add {
		for _, l := range o.Legs {
			if l.Contract.Underlying != p.Symbol {
				return nil, "", fmt.Errorf("sim: order on %s has a leg on %s", p.Symbol, l.Contract.Underlying)
			}
		}
		return o.Legs, "", nil
	}
	units := 0
	if o.Kind == Reduce {
		units = o.Quantity
	}
	legs = dst[:0]
	g := 0
	for _, l := range p.Legs {
		g = gcd(g, abs(l.Qty))
	}
	for _, l := range p.Legs {
		q := l.Qty // Close: the whole leg
		if units > 0 {
			if units > g {
				return nil, fmt.Sprintf("reduce by %d units of a position of %d", units, g), nil
			}
			q = l.Qty / g * units
		}
		legs = append(legs, OrderLeg{Contract: l.Contract, Ratio: -q})
	}
	return legs, "", nil
}

// OrderSymbol returns the underlying order o trades: its Symbol for an Open,
// its position's otherwise ("" when the position is not open).
func (b *Book) OrderSymbol(o *Order) string {
	if o.Kind == Open {
		return o.Symbol
	}
	if p := b.Position(o.Position); p != nil {
		return p.Symbol
	}
	return ""
}

// Apply changes the book by order o carried out as x: an Open or Add opens
// o.Quantity units of its legs (refused, with why, when the account's buying
// power cannot carry the result); a Close closes every leg of its position at
// x's leg prices and sells its shares at x.SharePrice; a Reduce closes
// o.Quantity units. err is set when the order makes no sense against the book.
func (b *Book) Apply(o *Order, x *Execution) (why string, err error) {
	switch o.Kind {
	case Open:
		return b.open(o, nil, x)
	case Add, Close, Reduce:
		p := b.Position(o.Position)
		if p == nil {
			return "", fmt.Errorf("sim: %s order for position %d, which is not open", o.Kind, o.Position)
		}
		if o.Kind == Add {
			return b.open(o, p, x)
		}
		units := 0
		if o.Kind == Reduce {
			units = o.Quantity
		}
		return b.close(o, p, units, x), nil
	}
	return "", fmt.Errorf("sim: unknown order kind %d", o.Kind)
}

// Reject records that order o was refused, and why; the strategy sees it in
// its next step.
func (b *Book) Reject(o *Order, why string) {
	tag := o.Tag
	if p := b.Position(o.Position); p != nil && tag == "" {
		tag = p.Tag
	}
	b.Events = append(b.Events, BookEvent{Day: b.day, Position: o.Position, Kind: EventRejected, Trade: -1, Tag: tag,
		Detail: o.Kind.String() + " " + o.Symbol + ": " + why})
}

// open fills an Open order (pos == nil) or an Add order on pos.
func (b *Book) open(o *Order, pos *Position, x *Execution) (string, error) {
	symbol := o.Symbol
	if pos != nil {
		symbol = pos.Symbol
	}
	for _, l := range o.Legs {
		if l.Contract.Underlying != symbol {
			return "", fmt.Errorf("sim: order on %s has a leg on %s", symbol, l.Contract.Underlying)
		}
	}
	price := x.Price
	// The position as it would be, to check collateral against buying power.
	fresh := pos == nil
	if fresh {
		pos = &Position{ID: b.nextID, Symbol: symbol, Tag: o.Tag, Opened: b.day, stockTrade: -1}
	}
	total := b.Collateral() // with pos as it is now (a fresh one is not in the book and reserves nothing)
	before := pos.Collateral()
	saved := len(pos.Legs)
	units := o.Quantity
	fees := 0.0
	for k, l := range o.Legs {
		pos.Legs = append(pos.Legs, Leg{Contract: l.Contract, Qty: l.Ratio * units, Price: x.Legs[k], Mark: x.Legs[k]})
		fees += x.Fees[k]
	}
	after := pos.Collateral()
	cost := price*Multiplier*float64(units) + fees
	if b.Cash-cost-(total-before+after) < -1e-6 {
		pos.Legs = pos.Legs[:saved]
		return fmt.Sprintf("needs $%.2f of buying power, has $%.2f", after-before+cost, b.BuyingPower()), nil
	}
	b.Cash -= cost
	b.coll = total - before + after // the cache stays valid
	ti := len(b.trades)
	coll := after - before
	if coll <= 0 && pos.Shares > 0 {
		coll = float64(pos.Shares) * pos.ShareBasis // a covered call: the shares are the capital at risk
	}
	t := Trade{ID: ti, Position: pos.ID, Symbol: symbol, Tag: pos.Tag, Phase: o.Phase, Quantity: units,
		Opened: b.day, Entry: price, Fees: fees, Collateral: coll, Reason: "open", Info: o.Entry,
		openLegs: len(o.Legs)}
	for k := saved; k < len(pos.Legs); k++ {
		pos.Legs[k].trade = ti
		t.Legs = append(t.Legs, pos.Legs[k])
	}
	b.trades = append(b.trades, t)
	if fresh {
		b.nextID++
		b.Positions = append(b.Positions, pos)
	}
	pos.Entry = o.Entry
	if o.Bracket != (Bracket{}) {
		pos.Bracket, pos.bracketDay, pos.credit, pos.Penalty = o.Bracket, b.day+1, x.Legs[0], x.Penalty
		pos.bracketOn = o.Legs[0].Contract
	}
	d := strconv.AppendInt(append(append(make([]byte, 0, 64), o.Kind.String()...), ' '), int64(units), 10)
	d = appendLegs(append(d, " × "...), o.Legs)
	b.event(pos.ID, EventFilled, ti, string(appendFixed(append(d, " at "...), price, 4)))
	return "", nil
}

// close fills a Close order (units == 0: every leg and share) or a Reduce
// order of units package units, as TradeLegs gives its legs.
func (b *Book) close(o *Order, pos *Position, units int, x *Execution) string {
	n := len(pos.Legs)
	if n > 0 {
		var qty [4]int
		g := 0
		for _, l := range pos.Legs {
			g = gcd(g, abs(l.Qty))
		}
		for k, l := range pos.Legs {
			qty[k] = l.Qty
			if units > 0 {
				if units > g {
					return fmt.Sprintf("reduce by %d units of a position of %d", units, g)
				}
				qty[k] = l.Qty / g * units
			}
		}
		b.closeLegs(pos, qty[:n], x.Legs[:n], x.Fees[:n], o.Reason)
	}
	if units == 0 && pos.Shares != 0 {
		if !(x.SharePrice > 0) {
			return "no price for the shares"
		}
		b.deliver(pos, -pos.Shares, x.SharePrice, o.Reason)
		b.event(pos.ID, EventSharesSold, pos.stockTrade, string(appendFixed([]byte("at "), x.SharePrice, 2)))
	}
	b.event(pos.ID, EventClosed, -1, o.Reason)
	b.tidy(pos)
	return ""
}

// closeLegs closes qty[k] contracts (signed as held) of pos's first legs, in
// order, at prices[k] per share, charging fees[k] dollars (none when fees is
// nil), and records the P&L on each leg's trade.
func (b *Book) closeLegs(pos *Position, qty []int, prices, fees []float64, reason string) {
	b.changed()
	for k := len(qty) - 1; k >= 0; k-- { // backwards, so removing a leg keeps earlier indexes
		l := &pos.Legs[k]
		q, price := qty[k], prices[k]
		if q == 0 {
			continue
		}
		t := &b.trades[l.trade]
		t.Gross += float64(q*l.Shares()) * (price - l.Price)
		t.Exit += float64(q) / float64(t.Quantity) * price
		b.Cash += float64(q*l.Shares()) * price
		if fees != nil {
			f := fees[k]
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
func (b *Book) deliver(pos *Position, delta int, price float64, reason string) {
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
func (b *Book) tidy(pos *Position) {
	if len(pos.Legs) == 0 && pos.Shares == 0 {
		b.remove(pos)
	}
}

// legQuote returns the bid and ask of contract k in c for an order that buys
// it (buy) or sells it, and whether it can be priced: see QuoteLegs.
func legQuote(c *Chain, k Contract, buy, exit bool) (bid, ask float64, ok bool) {
	if exit {
		return c.ExitQuote(k, buy)
	}
	r := c.Find(k)
	if r < 0 || !c.Quoted(r) {
		return 0, 0, false
	}
	return c.Bid[r], c.Ask[r], true
}

// Check reports why the book could not take order o carried out as x (an
// Open or Add beyond the account's buying power), or "" when it could: the
// test Apply makes, without changing the book. The live driver checks before
// it sends an order, since a broker's fill cannot be refused afterwards.
func (b *Book) Check(o *Order, x *Execution) string {
	if o.Kind != Open && o.Kind != Add {
		return ""
	}
	pos := &Position{stockTrade: -1}
	if o.Kind == Add {
		p := b.Position(o.Position)
		if p == nil {
			return fmt.Sprintf("position %d is not open", o.Position)
		}
		cp := *p
		cp.Legs = append([]Leg(nil), p.Legs...)
		pos = &cp
	}
	total := b.Collateral()
	before := pos.Collateral()
	fees := 0.0
	for k, l := range o.Legs {
		pos.Legs = append(pos.Legs, Leg{Contract: l.Contract, Qty: l.Ratio * o.Quantity})
		fees += x.Fees[k]
	}
	after := pos.Collateral()
	cost := x.Price*Multiplier*float64(o.Quantity) + fees
	if b.Cash-cost-(total-before+after) < -1e-6 {
		return fmt.Sprintf("needs $%.2f of buying power, has $%.2f", after-before+cost, b.BuyingPower())
	}
	return ""
}

// Trades returns the book's trade records, closed and open, in opening order.
// The slice is the book's own: do not change it.
func (b *Book) Trades() []Trade { return b.trades }

// Notes returns the strategy's decision log so far. The slice is the book's
// own: do not change it.
func (b *Book) Notes() []Note { return b.notes }

// Adopt imports qty contracts of c (or, with c zero, qty shares of symbol)
// that the broker holds and the book does not, at price per share, as a new
// position tagged tag: cash pays for it as for a fill, without fees, and its
// trade records the reason "adopted". The live driver's --adopt uses it to
// take the broker's side after a reconciliation mismatch.
func (b *Book) Adopt(symbol string, c Contract, qty int, price float64, tag string) *Position {
	pos := &Position{ID: b.nextID, Symbol: symbol, Tag: tag, Opened: b.day, stockTrade: -1}
	b.nextID++
	b.Positions = append(b.Positions, pos)
	b.changed()
	if c.Strike == 0 {
		b.deliver(pos, qty, price, "adopted")
	} else {
		ti := len(b.trades)
		pos.Legs = append(pos.Legs, Leg{Contract: c, Qty: qty, Price: price, Mark: price, trade: ti})
		b.Cash -= float64(qty*Multiplier) * price
		b.trades = append(b.trades, Trade{ID: ti, Position: pos.ID, Symbol: symbol, Tag: tag, Phase: "adopted",
			Quantity: abs(qty), Opened: b.day, Entry: price * float64(qty/abs(qty)), Reason: "open",
			Legs: []Leg{pos.Legs[0]}, openLegs: 1, Collateral: pos.Collateral()})
	}
	b.event(pos.ID, "adopted", len(b.trades)-1, fmt.Sprintf("%+d %s at %.2f from the broker", qty, holdingName(symbol, c), price))
	return pos
}

func holdingName(symbol string, c Contract) string {
	if c.Strike == 0 {
		return symbol + " shares"
	}
	return fmt.Sprint(c)
}

package live

import (
	"context"
	"fmt"
	"sort"

	"github.com/optsweep/sweep/sim"
)

// priceEps is the tolerance of a limit-versus-market comparison, as the fill
// model's ladder uses.
const priceEps = 1e-9

// Paper is a broker that needs no account: it fills with the backtest's own
// fill model against the snapshot the driver shows it (Observe), and keeps
// its account as a sim.Book changed by the same Book operations, so its
// positions are what the backtest would hold. A limit order fills when its
// limit reaches the fill model's price for the package's quote
// (sim.Package.Reach), at its limit: a limit at the model's price fills
// there, and a stepped ladder fills at its first rung the model says the
// market takes, exactly as sim.Config.FillModel prices a backtest's orders.
// An order whose limit is short of the model's price stays working until it
// is replaced or cancelled.
type Paper struct {
	cfg    sim.Config
	id     string
	book   *sim.Book
	snap   *sim.Snapshot
	orders map[string]*paperOrder
	seq    int
}

type paperOrder struct {
	o  Order
	st OrderState
}

// NewPaper returns a paper broker with cfg's cash and fill model, whose
// account is named id.
func NewPaper(id string, cfg sim.Config) *Paper {
	return &Paper{cfg: cfg, id: id, book: sim.NewBook(cfg.Cash), orders: map[string]*paperOrder{}}
}

// Observe implements Observer: later orders fill against snap's quotes.
func (p *Paper) Observe(snap *sim.Snapshot) {
	p.snap = snap
	if snap.Day != p.book.Day() {
		p.book.BeginDay(snap.Day)
	}
}

// Settle implements Settler: the session's end, as the backtest settles it.
func (p *Paper) Settle(snap *sim.Snapshot, end *sim.SessionEnd) {
	p.book.BeginDay(end.Day)
	_ = p.book.EndSession(snap, end, &p.cfg) // an error (no settlement price) shows as a reconciliation difference
	p.book.Events = p.book.Events[:0]
}

// Restore implements Restorer: it applies an answer the journal holds for an
// order it was sent in an earlier process, so a restart rebuilds its account.
func (p *Paper) Restore(o *Order, st OrderState) {
	p.orders[o.ClientID] = &paperOrder{o: *o, st: st}
	if st.Status == StatusFilled && o.Intent != nil {
		x := p.execution(o, st.Price)
		_, _ = p.book.Apply(o.Intent, &x) // what the book refused then it refuses now
		p.book.Events = p.book.Events[:0]
	}
}

// Account implements Broker.
func (p *Paper) Account(context.Context) (Account, error) {
	return Account{ID: p.id, Paper: true, Cash: p.book.Cash, BuyingPower: p.book.BuyingPower(), Equity: p.book.Equity}, nil
}

// Positions implements Broker.
func (p *Paper) Positions(context.Context) ([]Holding, error) { return Holdings(p.book), nil }

// OpenOrders implements Broker.
func (p *Paper) OpenOrders(context.Context) ([]OrderState, error) {
	var out []OrderState
	for _, o := range p.orders {
		if !o.st.Status.Final() {
			out = append(out, o.st)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ClientID < out[b].ClientID })
	return out, nil
}

// Submit implements Broker.
func (p *Paper) Submit(_ context.Context, o *Order) (OrderState, error) {
	if x, ok := p.orders[o.ClientID]; ok {
		return x.st, nil // idempotent on the client id
	}
	p.seq++
	po := &paperOrder{o: *o, st: OrderState{ClientID: o.ClientID, BrokerID: fmt.Sprintf("paper-%d", p.seq), Status: StatusNew}}
	p.orders[o.ClientID] = po
	p.work(po)
	return po.st, nil
}

// Lookup implements Broker.
func (p *Paper) Lookup(_ context.Context, o *Order) (OrderState, bool, error) {
	if x, ok := p.orders[o.ClientID]; ok {
		return x.st, true, nil
	}
	return OrderState{}, false, nil
}

// Replace implements Broker.
func (p *Paper) Replace(ctx context.Context, clientID string, o *Order) (OrderState, error) {
	x, ok := p.orders[clientID]
	if !ok {
		return OrderState{}, fmt.Errorf("paper: no order %s", clientID)
	}
	if x.st.Status.Final() {
		return OrderState{}, fmt.Errorf("paper: order %s is %s", clientID, x.st.Status)
	}
	x.st.Status, x.st.Reason = StatusCancelled, "replaced by "+o.ClientID
	return p.Submit(ctx, o)
}

// Cancel implements Broker.
func (p *Paper) Cancel(_ context.Context, clientID string) (OrderState, error) {
	x, ok := p.orders[clientID]
	if !ok {
		return OrderState{}, fmt.Errorf("paper: no order %s", clientID)
	}
	if !x.st.Status.Final() {
		x.st.Status, x.st.Reason = StatusCancelled, "cancelled"
	}
	return x.st, nil
}

// work fills po when the market takes its limit.
func (p *Paper) work(po *paperOrder) {
	o := &po.o
	if p.snap == nil {
		po.st.Status, po.st.Reason = StatusRejected, "no market data yet"
		return
	}
	m := p.snap.Market(o.Symbol)
	if m == nil {
		po.st.Status, po.st.Reason = StatusRejected, "no market for "+o.Symbol
		return
	}
	price := 0.0
	if len(o.Legs) > 0 {
		pk, why := sim.QuoteLegs(m, p.snap.Day, o.Legs, o.Close, &p.cfg.Liquidity)
		if why != "" {
			po.st.Status, po.st.Reason = StatusRejected, why
			return
		}
		if !(o.Limit >= pk.Reach(p.cfg.Mode)-priceEps) {
			return // working: the market does not take the limit
		}
		price = o.Limit
	}
	x := p.execution(o, price)
	if o.Intent != nil {
		why, err := p.book.Apply(o.Intent, &x)
		p.book.Events = p.book.Events[:0]
		if err != nil || why != "" {
			if err != nil {
				why = err.Error()
			}
			po.st.Status, po.st.Reason = StatusRejected, why
			return
		}
	}
	po.st.Status, po.st.Filled, po.st.Price = StatusFilled, o.Quantity, price
	po.st.LegPrices = append([]float64(nil), x.Legs[:len(o.Legs)]...)
	po.st.LegFees = append([]float64(nil), x.Fees[:len(o.Legs)]...)
	po.st.Fees = 0
	for _, f := range po.st.LegFees {
		po.st.Fees += f
	}
	po.st.SharePrice = x.SharePrice
}

// execution is o filled at price per share per unit at the observed
// snapshot: legs priced as the fill model splits a package, fees per leg.
func (p *Paper) execution(o *Order, price float64) sim.Execution {
	m := p.snap.Market(o.Symbol)
	x := sim.Execution{Price: price, SharePrice: m.Spot}
	if len(o.Legs) > 0 {
		pk, _ := sim.QuoteLegs(m, p.snap.Day, o.Legs, o.Close, &p.cfg.Liquidity)
		x.Penalty = pk.Penalty
		pk.LegPrices(o.Legs, price, x.Legs[:])
		for k, l := range o.Legs {
			x.Fees[k] = p.cfg.Costs.Leg(abs(l.Ratio) * o.Quantity)
		}
	}
	return x
}

// Holdings lists a book's positions as a broker would: net contracts per
// option and net shares per underlying, sorted by Key, zero lines left out.
func Holdings(b *sim.Book) []Holding {
	net := map[string]*Holding{}
	add := func(h Holding) {
		if x, ok := net[h.Key()]; ok {
			x.Qty += h.Qty
			return
		}
		net[h.Key()] = &h
	}
	for _, p := range b.Positions {
		for _, l := range p.Legs {
			add(Holding{Symbol: p.Symbol, Contract: l.Contract, Qty: l.Qty})
		}
		if p.Shares != 0 {
			add(Holding{Symbol: p.Symbol, Qty: p.Shares})
		}
	}
	out := make([]Holding, 0, len(net))
	for _, h := range net {
		if h.Qty != 0 {
			out = append(out, *h)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Key() < out[b].Key() })
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

package live

import (
	"context"
	"fmt"

	"github.com/optsweep/sweep/sim"
)

// Refusal is an order the driver did not send, and why (journaled with its
// tick, so a replay refuses it again without asking anyone).
type Refusal struct {
	Index int
	Why   string
}

// order carries out the strategy's order k of tick t: quoted, checked,
// journaled, sent and worked, its fill applied to the book; or rejected,
// which the strategy sees as a book event.
func (d *Driver) order(ctx context.Context, t Tick, k int, o *sim.Order, rec *Record, past *Record) error {
	legs, why, err := d.book.TradeLegs(o, nil)
	if err != nil {
		return err
	}
	if why == "" {
		why, err = d.work(ctx, t, k, o, legs, rec, past)
		if err != nil {
			return err
		}
	}
	if why != "" {
		d.res.Rejected++
		d.book.Reject(o, why)
		rec.Refusals = append(rec.Refusals, Refusal{Index: k, Why: why})
	}
	return nil
}

// work prices order o (trading legs) at the snapshot, walks its limit ladder
// and returns why it did not fill ("" when it did).
func (d *Driver) work(ctx context.Context, t Tick, k int, o *sim.Order, legs []sim.OrderLeg, rec *Record, past *Record) (string, error) {
	symbol := d.book.OrderSymbol(o)
	m := d.snap.Market(symbol)
	if m == nil {
		return "", fmt.Errorf("sim: order on %s, which is not in the run", symbol)
	}
	exit := o.Kind == sim.Close || o.Kind == sim.Reduce
	units := o.Quantity
	if exit {
		units = 1 // TradeLegs gives a Close's or Reduce's legs as whole contracts
	}
	var pk sim.Package
	if len(legs) > 0 {
		var why string
		if pk, why = sim.QuoteLegs(m, d.snap.Day, legs, exit, &d.cfg.Exec.Liquidity); why != "" {
			return why, nil
		}
	}
	if !exit && d.stop != "" {
		return d.stop, nil
	}
	ladder, why := d.ladder(o, &pk, exit, len(legs) > 0)
	if why != "" {
		return why, nil
	}
	shares := 0
	if p := d.book.Position(o.Position); p != nil && o.Kind == sim.Close {
		shares = -p.Shares
	}
	var prev *Order // the working order the next rung replaces
	for r, limit := range ladder {
		x := d.estimate(m, legs, units, limit, &pk)
		if why = d.book.Check(o, &x); why == "" {
			why = d.cfg.Limits.check(&d.use, d.book, legs, units, !exit, &x, &pk, limit, t.Time, d.snap.Time)
		}
		if why != "" {
			if st, err := d.finish(ctx, prev, rec, past); err != nil || st.Filled > 0 {
				return d.applyErr(o, prev, st, m, &pk, k, rec, err)
			}
			return why, nil
		}
		bo := &Order{ClientID: ClientID(d.cfg.Instance, t.Day, t.Step, k, r), Symbol: symbol, Legs: legs,
			Quantity: units, Limit: limit, Close: exit, Shares: shares, Intent: o}
		prevID := ""
		if prev != nil {
			prevID = prev.ClientID
		}
		st, why, err := d.place(ctx, t, k, r, bo, prevID, rec, past)
		if err != nil || why != "" {
			return why, err
		}
		if r == 0 {
			c, n := size(legs, units)
			d.use.orders++
			d.use.contracts += c
			d.use.notional += n
		}
		if st.Filled > 0 && !st.Status.Final() { // partly filled: cancel the rest, take what filled
			st, err = d.finish(ctx, bo, rec, past)
		}
		if err != nil || st.Filled > 0 {
			return d.applyErr(o, bo, st, m, &pk, k, rec, err)
		}
		prev = nil
		if !st.Status.Final() {
			prev = bo
		}
	}
	if st, err := d.finish(ctx, prev, rec, past); err != nil || st.Filled > 0 {
		return d.applyErr(o, prev, st, m, &pk, k, rec, err)
	}
	switch {
	case o.Pricing == sim.PriceStepped && exit:
		return "stepped exit exhausted", nil
	case o.Pricing == sim.PriceStepped:
		return "stepped entry exhausted", nil
	}
	return fmt.Sprintf("not filled at %.4f", ladder[len(ladder)-1]), nil
}

// ladder returns the limits to try, in order: the fill model's price for a
// market-priced order, the Stepped rungs from the mid toward the natural side
// for a stepped one, and a single 0 for an order with no option legs (shares
// at the market).
func (d *Driver) ladder(o *sim.Order, pk *sim.Package, exit, legs bool) ([]float64, string) {
	switch {
	case !legs:
		return []float64{0}, ""
	case o.Pricing != sim.PriceStepped:
		return []float64{pk.Reach(d.cfg.Exec.Mode)}, ""
	case !(pk.Ask >= pk.Bid):
		if exit {
			return nil, "stepped exit exhausted"
		}
		return nil, "stepped entry exhausted"
	}
	return d.cfg.Exec.Stepped.BuyLadder(nil, pk.Bid, pk.Ask), ""
}

// estimate is the execution of legs × units at limit, as the fill model
// would split it: for the buying-power check and the limits.
func (d *Driver) estimate(m *sim.Market, legs []sim.OrderLeg, units int, limit float64, pk *sim.Package) sim.Execution {
	x := sim.Execution{Price: limit, SharePrice: m.Spot, Penalty: pk.Penalty}
	if len(legs) > 0 {
		pk.LegPrices(legs, limit, x.Legs[:])
	}
	for k, l := range legs {
		x.Fees[k] = d.cfg.Exec.Costs.Leg(abs(l.Ratio) * units)
	}
	return x
}

// place gets bo working at the broker and returns its state after the polls:
// the journal's answer when there is one (a replay, or a restart), else the
// broker's answer to a lookup by client id, else (journaling the intent
// first) a new submission, or a replacement of prev. why is set when a replay
// finds the order was never sent.
func (d *Driver) place(ctx context.Context, t Tick, k, r int, bo *Order, prev string, rec *Record, past *Record) (OrderState, string, error) {
	if st, ok, err := d.j.Answer(ctx, bo.ClientID); err != nil {
		return st, "", fmt.Errorf("journal: %w", err)
	} else if ok {
		if rs, ok := d.broker.(Restorer); ok {
			rs.Restore(bo, st)
		}
		if past == nil {
			rec.Orders = append(rec.Orders, st)
		}
		return st, "", nil
	}
	if past != nil {
		for _, f := range past.Refusals {
			if f.Index == k {
				return OrderState{}, f.Why, nil
			}
		}
		return OrderState{}, "not sent", nil
	}
	if d.cfg.Kill != nil && d.cfg.Kill() {
		return OrderState{}, "", ErrKilled
	}
	in := &Intent{Tick: t, Index: k, Rung: r, Order: *bo, Kind: bo.Intent.Kind, Position: bo.Intent.Position,
		Tag: bo.Intent.Tag, Reason: bo.Intent.Reason}
	in.Order.Intent = nil
	if err := d.j.Intent(ctx, in); err != nil {
		return OrderState{}, "", fmt.Errorf("journal the intent %s: %w", bo.ClientID, err)
	}
	if d.cfg.Dry {
		rec.Messages = append(rec.Messages, "dry run, not sent: "+Describe(bo))
		st := OrderState{ClientID: bo.ClientID, Status: StatusCancelled, Reason: "dry run"}
		rec.Orders = append(rec.Orders, st)
		return st, "dry run", nil
	}
	st, found, err := d.broker.Lookup(ctx, bo) // never POST blindly
	if err != nil {
		return st, "", fmt.Errorf("look up %s: %w", bo.ClientID, err)
	}
	if !found {
		if prev != "" {
			st, err = d.broker.Replace(ctx, prev, bo)
			if err == nil {
				rec.Orders = append(rec.Orders, OrderState{ClientID: prev, Status: StatusCancelled, Reason: "replaced by " + bo.ClientID})
			}
		} else {
			st, err = d.broker.Submit(ctx, bo)
		}
		if err != nil {
			return st, "", fmt.Errorf("send %s: %w", bo.ClientID, err)
		}
	}
	for i := 0; !st.Status.Final() && i < d.cfg.Polls; i++ {
		if d.cfg.Pause != nil {
			if err := d.cfg.Pause(ctx); err != nil {
				return st, "", err
			}
		}
		if st, _, err = d.broker.Lookup(ctx, bo); err != nil {
			return st, "", fmt.Errorf("look up %s: %w", bo.ClientID, err)
		}
	}
	rec.Orders = append(rec.Orders, st)
	return st, "", nil
}

// finish cancels the working order bo (none when nil) and returns its final
// state, read back in bo's units: what filled before the cancel counts.
func (d *Driver) finish(ctx context.Context, bo *Order, rec *Record, past *Record) (OrderState, error) {
	if bo == nil || past != nil {
		return OrderState{}, nil
	}
	st, err := d.broker.Cancel(ctx, bo.ClientID)
	if err != nil {
		return st, fmt.Errorf("cancel %s: %w", bo.ClientID, err)
	}
	if got, ok, err := d.broker.Lookup(ctx, bo); err != nil {
		return st, fmt.Errorf("look up %s: %w", bo.ClientID, err)
	} else if ok {
		st = got
	}
	rec.Orders = append(rec.Orders, st)
	return st, nil
}

// applyErr applies st when err is nil.
func (d *Driver) applyErr(o *sim.Order, bo *Order, st OrderState, m *sim.Market, pk *sim.Package, k int, rec *Record, err error) (string, error) {
	if err != nil {
		return "", err
	}
	return d.apply(o, bo, st, m, pk, k, rec)
}

// apply changes the book by the fill st of bo, the broker's form of o.
func (d *Driver) apply(o *sim.Order, bo *Order, st OrderState, m *sim.Market, pk *sim.Package, k int, rec *Record) (string, error) {
	x := sim.Execution{Price: st.Price, SharePrice: st.SharePrice, Penalty: pk.Penalty}
	if !(x.SharePrice > 0) {
		x.SharePrice = m.Spot
	}
	n := len(bo.Legs)
	if len(st.LegPrices) == n {
		copy(x.Legs[:], st.LegPrices)
	} else if n > 0 {
		pk.LegPrices(bo.Legs, st.Price, x.Legs[:])
	}
	if len(st.LegFees) == n {
		copy(x.Fees[:], st.LegFees)
	} else if c, _ := size(bo.Legs, bo.Quantity); c > 0 {
		for j, l := range bo.Legs {
			x.Fees[j] = st.Fees * float64(abs(l.Ratio)*bo.Quantity) / float64(c)
		}
	}
	oo := *o
	if st.Filled < bo.Quantity && (o.Kind == sim.Open || o.Kind == sim.Add) {
		oo.Quantity = st.Filled // a partial fill, then cancelled
	}
	why, err := d.book.Apply(&oo, &x)
	if err != nil || why != "" {
		// The broker filled what the book refuses: the positions now differ,
		// and the next reconciliation stops entries.
		return why, err
	}
	pos := o.Position
	if o.Kind == sim.Open && len(d.book.Positions) > 0 {
		pos = d.book.Positions[len(d.book.Positions)-1].ID
	}
	f := Fill{ClientID: st.ClientID, Index: k, Kind: o.Kind, Position: pos, Units: st.Filled, Price: st.Price,
		Model: pk.Reach(d.cfg.Exec.Mode), Legs: append([]float64(nil), x.Legs[:n]...)}
	for j := 0; j < n; j++ {
		f.Fees += x.Fees[j]
	}
	rec.Fills = append(rec.Fills, f)
	return "", nil
}

// Describe returns a one-line account of an order, for logs and dry runs.
func Describe(o *Order) string {
	s := fmt.Sprintf("%s %s %d ×", o.ClientID, o.Symbol, o.Quantity)
	for k, l := range o.Legs {
		if k > 0 {
			s += " /"
		}
		s += fmt.Sprintf(" %+d %v", l.Ratio, l.Contract)
	}
	if o.Shares != 0 {
		s += fmt.Sprintf(" %+d shares at the market", o.Shares)
	}
	if len(o.Legs) > 0 {
		s += fmt.Sprintf(" limit %.4f", o.Limit)
	}
	if o.Close {
		s += " (closing)"
	}
	return s
}

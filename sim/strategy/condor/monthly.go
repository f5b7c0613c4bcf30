package condor

import (
	"fmt"
	"math"

	"github.com/optsweep/sweep/sim"
)

// Order tags, phases and exit reasons.
const (
	TagMonthly = "condor-monthly" // tag of the monthly condor's orders and positions
	TagZeroDTE = "condor-0dte"    // tag of the 0DTE condor's orders and positions
	Phase      = "iron_condor"    // phase of every trade

	ReasonTimeStop     = "time_stop"     // monthly: DTE ≤ time_exit_dte
	ReasonRedLineHalf  = "red_line_half" // monthly: the first red line reduces the position
	ReasonRedLine      = "red_line"      // 0DTE: a red line closes the position (monthly: a red line on one condor)
	ReasonProfitTarget = "profit_target" // 0DTE: credit − debit ≥ profit_target_pct × credit
	ReasonStopLoss     = "stop_loss"     // 0DTE: debit ≥ stop_loss_mult × credit
	ReasonForcedClose  = "forced_close"  // 0DTE: the step at or after eod_close
)

// noDay marks "no entry yet".
const noDay = math.MinInt32

// Monthly is the VIX-spike monthly iron condor as a sim.Strategy. It keeps
// state between steps (the day of its last entry, the positions already
// reduced), so one Monthly serves one run.
type Monthly struct {
	cfg     MonthlyConfig
	entered int32          // day of the last entry order
	reduced map[int64]bool // positions whose red-line reduction was ordered
}

var _ sim.Strategy = (*Monthly)(nil)

// NewMonthly returns a monthly condor with configuration c, or c's
// validation error.
func NewMonthly(c MonthlyConfig) (*Monthly, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &Monthly{cfg: c, entered: noDay, reduced: map[int64]bool{}}, nil
}

// Config returns the strategy's configuration.
func (s *Monthly) Config() MonthlyConfig { return s.cfg }

// Step manages the open condors (time exit, then the red lines), then
// opens a condor when the VIX spike fires.
func (s *Monthly) Step(snap *sim.Snapshot, book *sim.Book) ([]sim.Order, error) {
	m := snap.Market(s.cfg.Symbol)
	if m == nil {
		return nil, fmt.Errorf("condor: %s is not in the run", s.cfg.Symbol)
	}
	s.apply(book)
	var orders []sim.Order
	open := 0
	for _, pos := range book.Positions {
		o, closing := s.exit(snap, m, pos, book)
		if o != nil {
			orders = append(orders, *o)
		}
		if !closing {
			open++
		}
	}
	if o := s.entry(snap, m, book, open); o != nil {
		orders = append(orders, *o)
	}
	return orders, nil
}

// apply reads the engine's rejections of the previous step's orders: a
// rejected entry may be tried again, a rejected reduction too.
func (s *Monthly) apply(book *sim.Book) {
	for _, ev := range book.Events {
		if ev.Kind != sim.EventRejected || ev.Tag != TagMonthly {
			continue
		}
		book.Note(s.cfg.Symbol, KindRejected, ev.Detail)
		switch {
		case ev.Position == 0 && ev.Day == s.entered:
			s.entered = noDay
		case ev.Position != 0:
			delete(s.reduced, ev.Position) // try the red line again

		}
	}
	for id := range s.reduced {
		if book.Position(id) == nil {
			delete(s.reduced, id)
		}
	}
}

// exit returns the order managing pos (nil to hold) and whether it closes
// all of pos.
func (s *Monthly) exit(snap *sim.Snapshot, m *sim.Market, pos *sim.Position, book *sim.Book) (*sim.Order, bool) {
	c := &s.cfg
	dte := int(expiry(pos) - snap.Day)
	n := units(pos)
	if c.TimeExitDTE >= 0 && dte <= c.TimeExitDTE {
		return s.closeOrder(snap, m, pos, book, n, ReasonTimeStop, fmt.Sprintf("DTE %d ≤ %d", dte, c.TimeExitDTE))
	}
	if s.reduced[pos.ID] {
		return nil, false
	}
	why := breach(m, pos, c.DeltaRedLine, c.ProximityRedLine)
	if why == "" {
		return nil, false
	}
	q := max(int(math.Floor(float64(n)*c.RedLineClosePct+eps)), 1)
	reason := ReasonRedLineHalf
	if q >= n {
		q, reason = n, ReasonRedLine
	}
	o, all := s.closeOrder(snap, m, pos, book, q, reason, why)
	if o != nil {
		s.reduced[pos.ID] = true
	}
	return o, all
}

// closeOrder returns the order closing q of pos's n units (a Close when
// q = n, else a Reduce), or nil when a leg has no quote.
func (s *Monthly) closeOrder(snap *sim.Snapshot, m *sim.Market, pos *sim.Position, book *sim.Book, q int, reason, why string) (*sim.Order, bool) {
	return exitOrder(snap, m, pos, book, TagMonthly, q, reason, why)
}

// exitOrder returns the order closing q units of pos with reason, noting it,
// or nil (noting why) when a leg has no quote.
func exitOrder(snap *sim.Snapshot, m *sim.Market, pos *sim.Position, book *sim.Book, tag string, q int, reason, why string) (*sim.Order, bool) {
	debit, ok := closeQuote(&m.Chain, pos)
	if !ok {
		book.Note(pos.Symbol, KindBlocked, fmt.Sprintf("position %d: %s (%s): a leg has no quote", pos.ID, reason, why))
		return nil, false
	}
	n := units(pos)
	o := sim.Order{Kind: sim.Close, Position: pos.ID, Reason: reason, Tag: tag}
	if q < n {
		o.Kind, o.Quantity = sim.Reduce, q
	}
	book.Note(pos.Symbol, KindExit, fmt.Sprintf("position %d: %s %d of %d: %s; debit %.2f at the mids, credit %.2f",
		pos.ID, reason, q, n, why, debit, credit(pos)))
	noteOrder(book, pos.Symbol, snap.Time, &o, closingLegs(pos), q, debit)
	return &o, q == n
}

// vixChange returns the VIX's day-over-day change on the configured basis,
// the two levels compared, and whether both are known.
func (s *Monthly) vixChange(snap *sim.Snapshot) (change, now, prev float64, ok bool) {
	h := &snap.VIX.History
	n := h.Len()
	switch {
	case s.cfg.VIXChangeBasis == BasisClose && n >= 2:
		now, prev = h.Close[n-1], h.Close[n-2]
	case s.cfg.VIXChangeBasis == BasisNow && n >= 1:
		now, prev = snap.VIX.Now, h.Close[n-1]
	default:
		return 0, 0, 0, false
	}
	if !(prev > 0) || math.IsNaN(now) {
		return 0, now, prev, false
	}
	return now/prev - 1, now, prev, true
}

// entry returns the opening order when the VIX spike fires and a condor
// qualifies, nil otherwise. open is the number of positions staying open.
func (s *Monthly) entry(snap *sim.Snapshot, m *sim.Market, book *sim.Book, open int) *sim.Order {
	c := &s.cfg
	if s.entered == snap.Day {
		return nil // one entry per spike day
	}
	chg, now, prev, ok := s.vixChange(snap)
	if !ok || chg < c.VIXSpikePct-eps {
		return nil
	}
	book.Note(c.Symbol, KindSpike, fmt.Sprintf("VIX %.2f vs %.2f: %+.2f%% ≥ %.2f%% (%s basis)", now, prev, 100*chg, 100*c.VIXSpikePct, c.VIXChangeBasis))
	skip := func(format string, a ...any) *sim.Order {
		book.Note(c.Symbol, KindSkip, fmt.Sprintf(format, a...))
		return nil
	}
	if open >= c.MaxPositions {
		return skip("%d condors open, max_positions %d", open, c.MaxPositions)
	}
	if !(m.Spot > 0) {
		return skip("no spot price")
	}
	am := c.Settlement == SettleAM
	exp, found := int32(0), false
	for i := 0; i < m.Chain.Len(); i++ {
		if m.Chain.AM[i] == am && int(m.Chain.Expiration[i]-snap.Day) >= c.MinDTE {
			exp, found = m.Chain.Expiration[i], true
			break
		}
	}
	if !found {
		return skip("no %s-settled expiration %d or more days away", c.Settlement, c.MinDTE)
	}
	r := rules{targetDelta: c.TargetDelta, wing: c.WingWidth, putDist: c.MinDistPut, callDist: c.MinDistCall}
	if c.PreferQuarter {
		r.multiple = c.StrikeMultiple
	}
	k, why := pickCondor(&m.Chain, exp, am, m.Spot, &r)
	if why != "" {
		return skip("%s: %s", sim.DayString(exp), why)
	}
	if k.credit < c.MinCredit-eps {
		return skip("%s %s: credit %.2f < min_credit %.2f", sim.DayString(exp), k.describe(&m.Chain), k.credit, c.MinCredit)
	}
	dte := int(exp - snap.Day)
	o := openOrder(m, &k, c.Contracts, TagMonthly, snap, dte)
	book.Note(c.Symbol, KindEntry, entryText(m, &k, exp, dte, c.Contracts))
	noteOrder(book, c.Symbol, snap.Time, &o, o.Legs, c.Contracts, -k.credit)
	s.entered = snap.Day
	return &o
}

// openOrder returns the order opening qty units of k.
func openOrder(m *sim.Market, k *condor, qty int, tag string, snap *sim.Snapshot, dte int) sim.Order {
	ch := &m.Chain
	vix := snap.VIX.Now
	if math.IsNaN(vix) {
		vix = snap.VIX.History.LastClose()
	}
	return sim.Order{Kind: sim.Open, Symbol: m.Symbol, Legs: k.legs(ch, m.Symbol), Quantity: qty,
		Pricing: sim.PriceMarket, Tag: tag, Phase: Phase,
		Entry: sim.Entry{Spot: m.Spot, VIX: vix, Delta: ch.Delta[k.sp], IV: ch.IV[k.sp], IVP: m.IVPercentile,
			SpreadPct: k.spreadPct, DTE: dte}}
}

// entryText describes an entry for the decision log.
func entryText(m *sim.Market, k *condor, exp int32, dte, qty int) string {
	ch := &m.Chain
	am := "PM"
	if ch.AM[k.sp] {
		am = "AM"
	}
	return fmt.Sprintf("sell %d × %s %s-settled %s (DTE %d): spot %.2f, short deltas %.3f / %.3f, credit %.2f at the mids, spread %.1f%%",
		qty, sim.DayString(exp), am, k.describe(ch), dte, m.Spot, ch.Delta[k.sp], ch.Delta[k.sc], k.credit, 100*k.spreadPct)
}

package condor

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
)

// ZeroDTE is the same-day iron condor as a sim.Strategy. It reads the
// decision time (Snapshot.Time, in New York) and works whether it is stepped
// once a day or many times a day. It keeps state between steps (today's
// entries), so one ZeroDTE serves one run.
type ZeroDTE struct {
	cfg             ZeroDTEConfig
	start, end, eod time.Duration // clock times since midnight, New York
	day             int32         // the day entries and lastSkip refer to
	entries         int           // entry orders today, less rejected ones
	lastSkip        string        // the last skip reason noted today
}

var _ sim.Strategy = (*ZeroDTE)(nil)

// NewZeroDTE returns a 0DTE condor with configuration c, or c's validation
// error.
func NewZeroDTE(c ZeroDTEConfig) (*ZeroDTE, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	s := &ZeroDTE{cfg: c, day: noDay}
	s.start, _ = parseClock(c.EntryStart)
	s.end, _ = parseClock(c.EntryEnd)
	s.eod, _ = parseClock(c.EODClose)
	return s, nil
}

// Config returns the strategy's configuration.
func (s *ZeroDTE) Config() ZeroDTEConfig { return s.cfg }

// StepEvery asks the driver for intraday steps every step_minutes.
func (s *ZeroDTE) StepEvery() time.Duration { return time.Duration(s.cfg.StepMinutes) * time.Minute }

var _ sim.Stepper = (*ZeroDTE)(nil)

// Step follows the seed's poll order: the forced close at or after
// eod_close, then the red lines, then the profit target and the stop, then
// a new entry inside the window.
func (s *ZeroDTE) Step(snap *sim.Snapshot, book *sim.Book) ([]sim.Order, error) {
	if snap.Time.IsZero() {
		return nil, errors.New("condor: 0DTE needs the snapshot's decision time")
	}
	m := snap.Market(s.cfg.Symbol)
	if m == nil {
		return nil, fmt.Errorf("condor: %s is not in the run", s.cfg.Symbol)
	}
	if s.day != snap.Day {
		s.day, s.entries, s.lastSkip = snap.Day, 0, ""
	}
	s.apply(book)
	ny := snap.Time.In(calendar.NewYork())
	forced := !ny.Before(s.cutoff(snap.Day))
	var orders []sim.Order
	open := 0
	for _, pos := range book.Positions {
		reason, why := s.exitFor(m, pos, forced)
		if reason == "" {
			open++
			continue
		}
		o, _ := exitOrder(snap, m, pos, book, TagZeroDTE, units(pos), reason, why)
		if o == nil {
			open++
			continue
		}
		orders = append(orders, *o)
	}
	if forced || open > 0 || s.entries >= s.cfg.MaxEntriesPerDay {
		return orders, nil
	}
	y, mo, d := ny.Date()
	tod := ny.Sub(time.Date(y, mo, d, 0, 0, 0, 0, ny.Location()))
	if tod < s.start || tod > s.end {
		return orders, nil
	}
	if o := s.entry(snap, m, book); o != nil {
		orders = append(orders, *o)
	}
	return orders, nil
}

// cutoff returns the forced-close instant of day: eod_close, or as long
// before an early close as eod_close is before 16:00.
func (s *ZeroDTE) cutoff(day int32) time.Time {
	close := calendar.CloseTime(sim.DayTime(day))
	if close.IsZero() {
		y, m, d := sim.DayTime(day).Date()
		close = time.Date(y, m, d, 16, 0, 0, 0, calendar.NewYork())
	}
	return close.Add(s.eod - 16*time.Hour)
}

// apply reads the engine's rejections of the previous step's orders: a
// rejected entry does not count against today's entries.
func (s *ZeroDTE) apply(book *sim.Book) {
	for _, ev := range book.Events {
		if ev.Kind != sim.EventRejected || ev.Tag != TagZeroDTE {
			continue
		}
		book.Note(s.cfg.Symbol, KindRejected, ev.Detail)
		if ev.Position == 0 && ev.Day == s.day && s.entries > 0 {
			s.entries--
		}
	}
}

// exitFor returns the exit reason for pos and its details, "" to hold.
func (s *ZeroDTE) exitFor(m *sim.Market, pos *sim.Position, forced bool) (reason, why string) {
	c := &s.cfg
	if forced {
		return ReasonForcedClose, fmt.Sprintf("at or after %s", c.EODClose)
	}
	if why := breach(m, pos, c.DeltaRedLine, c.ProximityRedLine); why != "" {
		return ReasonRedLine, why
	}
	debit, ok := closeQuote(&m.Chain, pos)
	if !ok {
		return "", ""
	}
	cr := credit(pos)
	switch {
	case cr-debit >= c.ProfitTarget*cr-eps:
		return ReasonProfitTarget, fmt.Sprintf("debit %.2f ≤ %.2f (%.0f%% of credit %.2f kept)", debit, (1-c.ProfitTarget)*cr, 100*c.ProfitTarget, cr)
	case debit >= c.StopLoss*cr-eps:
		return ReasonStopLoss, fmt.Sprintf("debit %.2f ≥ %.2f (%g × credit %.2f)", debit, c.StopLoss*cr, c.StopLoss, cr)
	}
	return "", ""
}

// skip notes why no entry was made, once per reason in a row each day.
func (s *ZeroDTE) skip(book *sim.Book, code, format string, a ...any) *sim.Order {
	if code != s.lastSkip {
		book.Note(s.cfg.Symbol, KindSkip, fmt.Sprintf(format, a...))
		s.lastSkip = code
	}
	return nil
}

// entry returns the opening order when the VIX band and a condor of today's
// PM-settled contracts qualify, nil otherwise.
func (s *ZeroDTE) entry(snap *sim.Snapshot, m *sim.Market, book *sim.Book) *sim.Order {
	c := &s.cfg
	vix := snap.VIX.Now
	if math.IsNaN(vix) {
		vix = snap.VIX.History.LastClose()
	}
	if !(vix >= c.VIXMin-eps && vix <= c.VIXMax+eps) {
		return s.skip(book, "vix", "VIX %.2f outside [%g, %g]", vix, c.VIXMin, c.VIXMax)
	}
	if !(m.Spot > 0) {
		return s.skip(book, "spot", "no spot price")
	}
	// Only PM-settled contracts expiring today: an AM-settled one expiring
	// today settled on this morning's open and no longer trades.
	r := rules{targetDelta: c.TargetDelta, wing: c.WingWidth, putDist: c.MinDistance, callDist: c.MinDistance}
	k, why := pickCondor(&m.Chain, snap.Day, false, m.Spot, &r)
	if why != "" {
		return s.skip(book, "strikes", "%s PM: %s", sim.DayString(snap.Day), why)
	}
	if k.credit < c.MinCredit-eps {
		return s.skip(book, "credit", "%s: credit %.2f < min_credit %.2f", k.describe(&m.Chain), k.credit, c.MinCredit)
	}
	o := openOrder(m, &k, c.Contracts, TagZeroDTE, snap, 0)
	book.Note(c.Symbol, KindEntry, fmt.Sprintf("%s: %s", snap.Time.In(calendar.NewYork()).Format("15:04:05"),
		entryText(m, &k, snap.Day, 0, c.Contracts)))
	noteOrder(book, c.Symbol, snap.Time, &o, o.Legs, c.Contracts, -k.credit)
	s.entries++
	return &o
}

// Package simtest builds small sim.Tapes by hand for tests: scenarios worked out
// on paper, where every quote, bar and event is written out.
package simtest

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
)

// Quote is one option row of one day. Zero High/Low/Close mean the contract
// did not trade that session (NaN in the tape); zero IV or Delta mean unknown
// (NaN) unless Known is set.
type Quote struct {
	Exp              string // expiration, YYYY-MM-DD
	PC               byte   // sim.Put or sim.Call
	K                float64
	Bid, Ask         float64
	Delta, IV        float64
	High, Low, Close float64 // the session's bar, seen only by the engine
	OI, PrevVol      int64
}

// Builder accumulates a Tape.
type Builder struct {
	days   []int32
	syms   map[string]*symbol
	vix    sim.Bars
	events []sim.Event
	err    error
}

type symbol struct {
	cash   bool
	bars   sim.Bars
	spot   map[int32]float64
	atmiv  map[int32]float64
	quotes map[int32][]Quote
	intra  map[int64]*intraStep // intraday snapshots by Unix time
}

// Day parses YYYY-MM-DD into days since 1970-01-01, panicking on a bad date.
func Day(s string) int32 {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(fmt.Sprintf("simtest: bad date %q", s))
	}
	return sim.DayOf(t)
}

// New starts a tape over the given trading days (YYYY-MM-DD, ascending).
func New(days ...string) *Builder {
	b := &Builder{syms: map[string]*symbol{}}
	for _, d := range days {
		b.days = append(b.days, Day(d))
	}
	return b
}

func (b *Builder) sym(name string) *symbol {
	s, ok := b.syms[name]
	if !ok {
		s = &symbol{spot: map[int32]float64{}, atmiv: map[int32]float64{}, quotes: map[int32][]Quote{}}
		b.syms[name] = s
	}
	return s
}

// Cash marks symbol's options as cash-settled.
func (b *Builder) Cash(symbol string) *Builder { b.sym(symbol).cash = true; return b }

// Bar adds (or replaces) symbol's daily bar of day.
func (b *Builder) Bar(symbol, day string, open, high, low, close float64) *Builder {
	bars := &b.sym(symbol).bars
	d := Day(day)
	for i, x := range bars.Days {
		if x == d {
			bars.Open[i], bars.High[i], bars.Low[i], bars.Close[i] = open, high, low, close
			return b
		}
	}
	appendBar(bars, d, open, high, low, close)
	return b
}

// Closes adds flat bars (open = high = low = close) for symbol on consecutive
// weekdays ending the day before first, one per close: indicator history.
func (b *Builder) Closes(symbol, first string, closes ...float64) *Builder {
	d := calendar.PrevTradingDay(sim.DayTime(Day(first)))
	ds := make([]int32, len(closes))
	for i := len(closes) - 1; i >= 0; i-- {
		ds[i] = sim.DayOf(d)
		d = calendar.PrevTradingDay(d)
	}
	for i, c := range closes {
		appendBar(&b.sym(symbol).bars, ds[i], c, c, c, c)
	}
	return b
}

func appendBar(bars *sim.Bars, d int32, o, h, l, c float64) {
	bars.Days = append(bars.Days, d)
	bars.Open = append(bars.Open, o)
	bars.High = append(bars.High, h)
	bars.Low = append(bars.Low, l)
	bars.Close = append(bars.Close, c)
}

// Spot sets symbol's price at the decision time of day.
func (b *Builder) Spot(symbol, day string, s float64) *Builder {
	b.sym(symbol).spot[Day(day)] = s
	return b
}

// ATMIV sets symbol's at-the-money IV on day.
func (b *Builder) ATMIV(symbol, day string, iv float64) *Builder {
	b.sym(symbol).atmiv[Day(day)] = iv
	return b
}

// Quote adds option rows for symbol on day.
func (b *Builder) Quote(symbol, day string, q ...Quote) *Builder {
	s := b.sym(symbol)
	s.quotes[Day(day)] = append(s.quotes[Day(day)], q...)
	return b
}

// VIX adds a VIX bar.
func (b *Builder) VIX(day string, open, close float64) *Builder {
	appendBar(&b.vix, Day(day), open, max(open, close), min(open, close), close)
	return b
}

// Event adds a scheduled event ("*" for market-wide).
func (b *Builder) Event(symbol, day, kind string, amount float64) *Builder {
	b.events = append(b.events, sim.Event{Symbol: symbol, Day: Day(day), Kind: kind, Amount: amount})
	return b
}

// Tape assembles and prepares the tape.
func (b *Builder) Tape() (*sim.Tape, error) {
	if b.err != nil {
		return nil, b.err
	}
	t := &sim.Tape{Days: b.days, VIX: sortBars(b.vix), Events: b.events}
	sort.SliceStable(t.Events, func(i, j int) bool { return t.Events[i].Day < t.Events[j].Day })
	for _, d := range b.days {
		t.Times = append(t.Times, calendar.CloseTime(sim.DayTime(d)).Add(-15*time.Minute))
	}
	if err := b.steps(t); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(b.syms))
	for n := range b.syms {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Symbols = append(t.Symbols, b.series(n, t))
	}
	if err := t.Prepare(); err != nil {
		return nil, err
	}
	return t, nil
}

func sortBars(x sim.Bars) sim.Bars {
	idx := make([]int, len(x.Days))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool { return x.Days[idx[i]] < x.Days[idx[j]] })
	var y sim.Bars
	for _, i := range idx {
		appendBar(&y, x.Days[i], x.Open[i], x.High[i], x.Low[i], x.Close[i])
	}
	return y
}

func nanIfZero(v float64) float64 {
	if v == 0 {
		return math.NaN()
	}
	return v
}

func (b *Builder) series(name string, t *sim.Tape) sim.Series {
	s := b.syms[name]
	out := sim.Series{Symbol: name, Cash: s.cash, Bars: sortBars(s.bars)}
	c, a := &out.Chain, &out.After
	for i, d := range b.days {
		out.DayStart = append(out.DayStart, len(c.Strike))
		spot, ok := s.spot[d]
		if !ok {
			spot = math.NaN()
		}
		iv, ok := s.atmiv[d]
		if !ok {
			iv = math.NaN()
		}
		out.Spot = append(out.Spot, spot)
		out.ATMIV = append(out.ATMIV, iv)
		for _, q := range sortQuotes(s.quotes[d]) {
			appendQuote(c, q, t.Times[i])
			a.High = append(a.High, nanIfZero(q.High))
			a.Low = append(a.Low, nanIfZero(q.Low))
			a.Close = append(a.Close, nanIfZero(q.Close))
			a.Volume = append(a.Volume, -1)
		}
	}
	out.DayStart = append(out.DayStart, len(c.Strike))
	if len(s.intra) > 0 {
		out.Intra.Start = []int{0}
		for _, tm := range t.StepTimes {
			spot := math.NaN()
			if st, ok := s.intra[tm.Unix()]; ok {
				spot = st.spot
				for _, q := range sortQuotes(st.quotes) {
					appendQuote(&out.Intra.Chain, q, tm)
				}
			}
			out.Intra.Spot = append(out.Intra.Spot, spot)
			out.Intra.Start = append(out.Intra.Start, out.Intra.Chain.Len())
		}
	}
	return out
}

// sortQuotes returns qs sorted by expiration, strike and put/call.
func sortQuotes(qs []Quote) []Quote {
	qs = append([]Quote(nil), qs...)
	sort.SliceStable(qs, func(i, j int) bool {
		if qs[i].Exp != qs[j].Exp {
			return qs[i].Exp < qs[j].Exp
		}
		if qs[i].K != qs[j].K {
			return qs[i].K < qs[j].K
		}
		return qs[i].PC < qs[j].PC
	})
	return qs
}

// appendQuote appends q, quoted at time at, to c (PM-settled).
func appendQuote(c *sim.Chain, q Quote, at time.Time) {
	exp := Day(q.Exp)
	settle := calendar.CloseTime(sim.DayTime(exp))
	if settle.IsZero() {
		settle = sim.DayTime(exp).Add(21 * time.Hour)
	}
	c.Expiration = append(c.Expiration, exp)
	c.PutCall = append(c.PutCall, q.PC)
	c.Strike = append(c.Strike, q.K)
	c.AM = append(c.AM, false)
	c.Bid = append(c.Bid, q.Bid)
	c.Ask = append(c.Ask, q.Ask)
	c.Years = append(c.Years, settle.Sub(at).Hours()/24/365)
	c.OpenInterest = append(c.OpenInterest, q.OI)
	c.PrevVolume = append(c.PrevVolume, q.PrevVol)
	c.Flags = append(c.Flags, 0)
	c.IV = append(c.IV, nanIfZero(q.IV))
	c.Delta = append(c.Delta, nanIfZero(q.Delta))
	c.Gamma = append(c.Gamma, math.NaN())
	c.Theta = append(c.Theta, math.NaN())
	c.Vega = append(c.Vega, math.NaN())
}

// intraStep is one intraday snapshot of a symbol.
type intraStep struct {
	spot   float64
	quotes []Quote
}

// Intraday adds an intraday snapshot of symbol on day at clock ("HH:MM", New
// York time, before 15:45): the underlying's price then and the quotes of that
// minute. The tape steps the strategy at every time any symbol has one.
func (b *Builder) Intraday(symbol, day, clock string, spot float64, q ...Quote) *Builder {
	d := Day(day)
	hm, err := time.Parse("15:04", clock)
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("simtest: intraday time %q: %w", clock, err)
	}
	y, m, dd := sim.DayTime(d).Date()
	tm := time.Date(y, m, dd, hm.Hour(), hm.Minute(), 0, 0, calendar.NewYork())
	s := b.sym(symbol)
	if s.intra == nil {
		s.intra = map[int64]*intraStep{}
	}
	st := s.intra[tm.Unix()]
	if st == nil {
		st = &intraStep{}
		s.intra[tm.Unix()] = st
	}
	st.spot = spot
	st.quotes = append(st.quotes, q...)
	return b
}

// steps sets the tape's intraday step times: the union over symbols, by day.
// A time that is not before the daily decision of a tape day is an error.
func (b *Builder) steps(t *sim.Tape) error {
	set := map[int64]bool{}
	for _, s := range b.syms {
		for u := range s.intra {
			set[u] = true
		}
	}
	if len(set) == 0 {
		return nil
	}
	var all []int64
	for u := range set {
		all = append(all, u)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	t.StepDay = []int{0}
	k := 0
	for i := range t.Days {
		for k < len(all) && time.Unix(all[k], 0).Before(t.Times[i]) {
			t.StepTimes = append(t.StepTimes, time.Unix(all[k], 0).In(calendar.NewYork()))
			k++
		}
		for k < len(all) && sim.DayOf(time.Unix(all[k], 0).In(calendar.NewYork())) == t.Days[i] {
			return fmt.Errorf("simtest: intraday time %s is not before the decision %s",
				time.Unix(all[k], 0).In(calendar.NewYork()).Format(time.DateTime), t.Times[i].Format(time.DateTime))
		}
		t.StepDay = append(t.StepDay, len(t.StepTimes))
	}
	if k < len(all) {
		return fmt.Errorf("simtest: intraday time %s is on no tape day", time.Unix(all[k], 0).In(calendar.NewYork()).Format(time.DateTime))
	}
	return nil
}

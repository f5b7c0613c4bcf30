package feed

import (
	"math"
	"sort"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
	"github.com/optsweep/sweep/sim/greeks"
)

// builder holds the scratch space of one series' build.
type builder struct {
	opt    Options
	rights []greeks.Right
	styles []greeks.Style
	price  []float64
	gprice []float64
	settle map[int32]time.Time
	terms  []term
}

type term struct{ years, iv float64 }

// build fills s's per-day data and chains from ch for the days of t.
func build(s *sim.Series, t *sim.Tape, ch *market.Chains, opt Options, st *Stats) {
	b := &builder{opt: opt, settle: map[int32]time.Time{}}
	idx := make(map[int32]int, len(ch.Days))
	rows := 0
	for j, d := range ch.Days {
		idx[d] = j
		rows += ch.DayStart[j+1] - ch.DayStart[j]
	}
	c, a := &s.Chain, &s.After
	*c = sim.Chain{
		Expiration: make([]int32, 0, rows), PutCall: make([]byte, 0, rows), Strike: make([]float64, 0, rows), AM: make([]bool, 0, rows),
		Bid: make([]float64, 0, rows), Ask: make([]float64, 0, rows), Years: make([]float64, 0, rows),
		OpenInterest: make([]int64, 0, rows), PrevVolume: make([]int64, 0, rows), Flags: make([]uint8, 0, rows),
		IV: make([]float64, 0, rows), Delta: make([]float64, 0, rows), Gamma: make([]float64, 0, rows),
		Theta: make([]float64, 0, rows), Vega: make([]float64, 0, rows),
	}
	*a = sim.After{High: make([]float64, 0, rows), Low: make([]float64, 0, rows), Close: make([]float64, 0, rows), Volume: make([]int64, 0, rows)}
	prev := -1
	for i, day := range t.Days {
		s.DayStart = append(s.DayStart, len(c.Strike))
		j, ok := idx[day]
		if !ok {
			st.EmptyChains++
			spot := fallbackSpot(&s.Bars, day)
			if math.IsNaN(spot) {
				st.MissingSpot++
			}
			s.Spot = append(s.Spot, spot)
			s.ATMIV = append(s.ATMIV, math.NaN())
			prev = -1
			continue
		}
		base := len(c.Strike)
		b.copyRows(c, a, ch, j, prev, t.Times[i])
		prev = j
		m := len(c.Strike) - base
		st.Contracts += m
		spot := impliedSpot(c, base, opt)
		if math.IsNaN(spot) {
			spot = fallbackSpot(&s.Bars, day)
			st.SpotFromOpen++
			if math.IsNaN(spot) {
				st.MissingSpot++
			}
		}
		s.Spot = append(s.Spot, spot)
		st.NoIV += b.greeks(c, base, spot, s.Cash)
		s.ATMIV = append(s.ATMIV, b.atmIV(c, base, spot))
	}
	s.DayStart = append(s.DayStart, len(c.Strike))
}

// fallbackSpot is today's open, or else the last close before today.
func fallbackSpot(b *sim.Bars, day int32) float64 {
	n := sort.Search(len(b.Days), func(i int) bool { return b.Days[i] >= day })
	if n < len(b.Days) && b.Days[n] == day && b.Open[n] > 0 {
		return b.Open[n]
	}
	if n > 0 {
		return b.Close[n-1]
	}
	return math.NaN()
}

// copyRows appends chain day j of ch to the tape columns, with the previous
// session's volume (chain day prev, -1 if none) and times to settlement.
func (b *builder) copyRows(c *sim.Chain, a *sim.After, ch *market.Chains, j, prev int, decision time.Time) {
	lo, hi := ch.DayStart[j], ch.DayStart[j+1]
	c.Expiration = append(c.Expiration, ch.Expiration[lo:hi]...)
	c.PutCall = append(c.PutCall, ch.PutCall[lo:hi]...)
	c.Strike = append(c.Strike, ch.Strike[lo:hi]...)
	c.AM = append(c.AM, ch.AM[lo:hi]...)
	c.Bid = append(c.Bid, ch.Bid[lo:hi]...)
	c.Ask = append(c.Ask, ch.Ask[lo:hi]...)
	c.OpenInterest = append(c.OpenInterest, ch.OpenInterest[lo:hi]...)
	c.Flags = append(c.Flags, ch.Flags[lo:hi]...)
	a.High = append(a.High, ch.High[lo:hi]...)
	a.Low = append(a.Low, ch.Low[lo:hi]...)
	a.Close = append(a.Close, ch.Close[lo:hi]...)
	a.Volume = append(a.Volume, ch.Volume[lo:hi]...)
	for r := lo; r < hi; r++ {
		c.Years = append(c.Years, b.settlement(ch.Expiration[r], ch.AM[r]).Sub(decision).Hours()/24/greeks.DaysPerYear)
	}
	// The previous session's volume, matched by contract.
	p, phi := -1, -1
	if prev >= 0 {
		p, phi = ch.DayStart[prev], ch.DayStart[prev+1]
	}
	for r := lo; r < hi; r++ {
		v := int64(-1)
		for p >= 0 && p < phi && key(ch, p).less(key(ch, r)) {
			p++
		}
		if p >= 0 && p < phi && key(ch, p) == key(ch, r) {
			v = ch.Volume[p]
		}
		c.PrevVolume = append(c.PrevVolume, v)
	}
	n := hi - lo
	c.IV = grow(c.IV, n)
	c.Delta = grow(c.Delta, n)
	c.Gamma = grow(c.Gamma, n)
	c.Theta = grow(c.Theta, n)
	c.Vega = grow(c.Vega, n)
}

type rowKey struct {
	exp int32
	k   float64
	pc  byte
	am  bool
}

func key(ch *market.Chains, r int) rowKey {
	return rowKey{ch.Expiration[r], ch.Strike[r], ch.PutCall[r], ch.AM[r]}
}

func (a rowKey) less(b rowKey) bool {
	if a.exp != b.exp {
		return a.exp < b.exp
	}
	if a.k != b.k {
		return a.k < b.k
	}
	if a.pc != b.pc {
		return a.pc < b.pc
	}
	return !a.am && b.am
}

func grow(s []float64, n int) []float64 {
	for range n {
		s = append(s, math.NaN())
	}
	return s
}

// settlement returns the settlement instant of an expiration: its close (16:00
// ET, or the early close), or 16:00 ET when the date is not a session; 09:30 ET
// for AM-settled contracts (DESIGN's conventions).
func (b *builder) settlement(exp int32, am bool) time.Time {
	key := exp
	if am {
		key = -exp - 1
	}
	if t, ok := b.settle[key]; ok {
		return t
	}
	d := sim.DayTime(exp)
	var t time.Time
	if am {
		t = time.Date(d.Year(), d.Month(), d.Day(), 9, 30, 0, 0, calendar.NewYork())
	} else if t = calendar.CloseTime(d); t.IsZero() {
		t = time.Date(d.Year(), d.Month(), d.Day(), 16, 0, 0, 0, calendar.NewYork())
	}
	b.settle[key] = t
	return t
}

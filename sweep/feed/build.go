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
	keep   []int // rows of the day being copied, without repeats
}

type term struct{ years, iv float64 }

// build fills s's per-day data and chains from ch for the days t holds
// chains for, t.First..len(t.Days)-1, appending to s's per-day series (which
// hold the days before t.First of a streamed window). ch may start a day
// early, on day t.First-1, for the previous session's volumes.
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
	s.DayStart = make([]int, 0, len(t.Days)-t.First+1)
	prev := -1
	if t.First > 0 {
		if j, ok := idx[t.Days[t.First-1]]; ok {
			prev = j
		}
	}
	for i := t.First; i < len(t.Days); i++ {
		day := t.Days[i]
		s.DayStart = append(s.DayStart, len(c.Strike))
		chk := DayCheck{Symbol: s.Symbol, Day: day, MissingBar: !hasBar(&s.Bars, day)}
		j, ok := idx[day]
		if !ok {
			st.EmptyChains++
			spot, src := fallbackSpot(&s.Bars, day)
			if src == SpotNone {
				st.MissingSpot++
			}
			chk.Spot = src
			st.record(chk)
			s.Spot = append(s.Spot, spot)
			s.ATMIV = append(s.ATMIV, math.NaN())
			prev = -1
			continue
		}
		base := len(c.Strike)
		b.copyRows(c, a, ch, j, prev, t.Times[i], &chk)
		prev = j
		st.Contracts += len(c.Strike) - base
		spot, src := impliedSpot(c, base, opt), SpotChain
		if math.IsNaN(spot) {
			spot, src = fallbackSpot(&s.Bars, day)
			st.SpotFromOpen++
			if src == SpotNone {
				st.MissingSpot++
			}
		}
		chk.Spot = src
		st.record(chk)
		s.Spot = append(s.Spot, spot)
		st.NoIV += b.greeks(c, base, spot, s.Cash)
		s.ATMIV = append(s.ATMIV, b.atmIV(c, base, spot))
	}
	s.DayStart = append(s.DayStart, len(c.Strike))
}

// fallbackSpot is today's open, or else the last close before today, with
// where it came from.
func fallbackSpot(b *sim.Bars, day int32) (float64, SpotSource) {
	n := sort.Search(len(b.Days), func(i int) bool { return b.Days[i] >= day })
	if n < len(b.Days) && b.Days[n] == day && b.Open[n] > 0 {
		return b.Open[n], SpotOpen
	}
	if n > 0 {
		return b.Close[n-1], SpotPrevClose
	}
	return math.NaN(), SpotNone
}

// copyRows appends chain day j of ch to the tape columns, with the previous
// session's volume (chain day prev, -1 if none) and times to settlement. Of
// rows repeating a contract it keeps the last. It fills chk's row counts and
// sets each row's flags from the store's and from its bid and ask, so that a
// crossed, locked or zero bid quote is flagged even if the store missed it.
func (b *builder) copyRows(c *sim.Chain, a *sim.After, ch *market.Chains, j, prev int, decision time.Time, chk *DayCheck) {
	lo, hi := ch.DayStart[j], ch.DayStart[j+1]
	b.keep = b.keep[:0]
	for r := lo; r < hi; r++ {
		// LoadChains sorts by contract, so repeats are neighbours.
		if r+1 < hi && key(ch, r+1) == key(ch, r) {
			continue
		}
		b.keep = append(b.keep, r)
	}
	keep := b.keep
	chk.Rows, chk.Duplicates = hi-lo, hi-lo-len(keep)
	c.Expiration = appendRows(c.Expiration, ch.Expiration, lo, hi, keep)
	c.PutCall = appendRows(c.PutCall, ch.PutCall, lo, hi, keep)
	c.Strike = appendRows(c.Strike, ch.Strike, lo, hi, keep)
	c.AM = appendRows(c.AM, ch.AM, lo, hi, keep)
	c.Bid = appendRows(c.Bid, ch.Bid, lo, hi, keep)
	c.Ask = appendRows(c.Ask, ch.Ask, lo, hi, keep)
	c.OpenInterest = appendRows(c.OpenInterest, ch.OpenInterest, lo, hi, keep)
	a.High = appendRows(a.High, ch.High, lo, hi, keep)
	a.Low = appendRows(a.Low, ch.Low, lo, hi, keep)
	a.Close = appendRows(a.Close, ch.Close, lo, hi, keep)
	a.Volume = appendRows(a.Volume, ch.Volume, lo, hi, keep)
	for _, r := range keep {
		f := ch.Flags[r] | quoteFlags(ch.Bid[r], ch.Ask[r])
		chk.count(f)
		c.Flags = append(c.Flags, f)
		c.Years = append(c.Years, b.settlement(ch.Expiration[r], ch.AM[r]).Sub(decision).Hours()/24/greeks.DaysPerYear)
	}
	// The previous session's volume, matched by contract (the last of a
	// repeated contract, as kept).
	p, phi := -1, -1
	if prev >= 0 {
		p, phi = ch.DayStart[prev], ch.DayStart[prev+1]
	}
	for _, r := range keep {
		v := int64(-1)
		for p >= 0 && p < phi && (key(ch, p).less(key(ch, r)) || p+1 < phi && key(ch, p+1) == key(ch, p)) {
			p++
		}
		if p >= 0 && p < phi && key(ch, p) == key(ch, r) {
			v = ch.Volume[p]
		}
		c.PrevVolume = append(c.PrevVolume, v)
	}
	n := len(keep)
	c.IV = grow(c.IV, n)
	c.Delta = grow(c.Delta, n)
	c.Gamma = grow(c.Gamma, n)
	c.Theta = grow(c.Theta, n)
	c.Vega = grow(c.Vega, n)
}

// appendRows appends the rows keep of src, which are rows [lo, hi) less
// some, to dst: in one piece when none was left out.
func appendRows[T any](dst, src []T, lo, hi int, keep []int) []T {
	if len(keep) == hi-lo {
		return append(dst, src[lo:hi]...)
	}
	for _, r := range keep {
		dst = append(dst, src[r])
	}
	return dst
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

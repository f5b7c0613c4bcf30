package synth

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/osi"
	"github.com/optsweep/sweep/sim/calendar"
)

// Sides of a contract pair, indexes into contract.side.
const (
	call = 0
	put  = 1
)

// sideState is the evolving state of one listed option (a call or a put).
type sideState struct {
	osi      string // raw symbol, formatted once at listing
	oi       int32  // open interest published the next morning
	id       uint32 // instrument ID in the current week
	idWeek   int32  // the week id was assigned in
	mapMonth int32  // month of mapSlot; -1 before the first
	mapSlot  int32  // index of its mapping in that month's metadata
	defMonth int32  // month its definition was last written in; -1 before the first
	lastMid  float32
}

// contract is one strike of a series: a call and a put.
type contract struct {
	strike int64 // thousandths of a dollar
	side   [2]sideState
}

// series is one expiration of one option root.
type series struct {
	root     string
	expiry   time.Time // expiration date, midnight UTC
	am       bool      // settles on the expiry morning's opening print
	settle   time.Time // settlement instant
	lastDay  time.Time // last trading day: the expiry, or the session before for AM
	fine     int64     // fine strike step near the money (thousandths)
	coarse   int64     // coarse step beyond
	lo, hi   int64     // listed strike range of the coarse ladder; hi < lo while empty
	flo, fhi int64     // listed range of the fine ladder
	con      []contract
	// Per-session values, set by prepare: years to settlement from the snapshot,
	// at-the-money vol, forward, rate and dividend yield.
	T, atm, fwd, r, q float64
}

// chain is the listed series of one underlying, in (expiry, root) order.
type chain struct {
	u      *underlying
	series []*series
	buf    []contract // scratch for merging strikes
	// splitAt is the session of the underlying's split (-1: none), splitRatio
	// its ratio.
	splitAt    int
	splitRatio float64
}

// idAllocator hands out instrument IDs: every week the numbering starts over, so an ID
// names different contracts in different weeks and only the metadata's symbol mappings
// of the day resolve it.
type idAllocator struct {
	week int32
	next uint32
}

// idBase is the first ID of every week.
const idBase = 1_000_001

// weekOf returns the week number of d (weeks start on Monday).
func weekOf(d time.Time) int32 {
	const monday = 4 // 1970-01-05 is a Monday: day 4 since the epoch
	days := d.Unix() / 86400
	return int32((days - monday) / 7)
}

// assign gives s an ID for the week of session date d, keeping the one it has if it
// was assigned this week.
func (a *idAllocator) assign(s *sideState, d time.Time) {
	w := weekOf(d)
	if a.week != w {
		a.week, a.next = w, idBase
	}
	if s.idWeek == w && s.id != 0 {
		return
	}
	s.id, s.idWeek = a.next, w
	a.next++
}

// update lists the expirations the chain has on session i (date d) and widens the
// strike ladders to cover today's spot; expired series are dropped first.
func (c *chain) update(m *market, i int, spec *ChainSpec) {
	d := m.days[i]
	c.series = slices.DeleteFunc(c.series, func(s *series) bool { return s.lastDay.Before(d) })
	p := &c.u.prof
	weekly, monthly := p.roots()
	for k := 0; k <= spec.DailyDays && p.dailies; k++ {
		e := d.AddDate(0, 0, k)
		if calendar.IsTradingDay(e) && p.hasDaily(e) {
			c.add(i, d, e, weekly)
		}
	}
	if p.weeklies {
		fri := d.AddDate(0, 0, (int(time.Friday)-int(d.Weekday())+7)%7)
		for w := 0; w < spec.Weeks; w++ {
			e := fri.AddDate(0, 0, 7*w)
			if !calendar.IsTradingDay(e) {
				e = calendar.PrevTradingDay(e)
			}
			c.add(i, d, e, weekly)
		}
	}
	y, mo := d.Year(), d.Month()
	listed := 0
	for listed < spec.Monthlies+spec.Quarterlies {
		e := calendar.MonthlyExpiration(y, mo)
		mo++
		if mo > time.December {
			y, mo = y+1, time.January
		}
		if !e.After(d) && !(e.Equal(d) && !osi.AMSettled(monthly)) {
			continue
		}
		if listed >= spec.Monthlies && e.Month()%3 != 0 {
			continue
		}
		c.add(i, d, e, monthly)
		if p.kind == kindIndex {
			c.add(i, d, e, weekly) // SPXW also expires on the third Friday
		}
		listed++
	}
	for _, s := range c.series {
		c.widen(s, m, i, spec)
	}
}

// add lists the series (expiry, root) on session i unless it exists or has expired.
func (c *chain) add(i int, d, expiry time.Time, root string) {
	at, found := slices.BinarySearchFunc(c.series, seriesKey{expiry, root}, compareSeries)
	if found {
		return
	}
	s := &series{root: root, expiry: expiry, am: osi.AMSettled(root), lo: 1, hi: 0, flo: 1, fhi: 0}
	ny := calendar.NewYork()
	s.lastDay = expiry
	if s.am {
		s.lastDay = calendar.PrevTradingDay(expiry)
		s.settle = time.Date(expiry.Year(), expiry.Month(), expiry.Day(), 9, 30, 0, 0, ny)
	} else {
		s.settle = calendar.CloseTime(expiry)
	}
	if s.lastDay.Before(d) {
		return
	}
	s.fine, s.coarse = c.u.prof.strikeSteps(c.u.bars.close[i])
	c.series = slices.Insert(c.series, at, s)
}

// seriesKey orders series by expiry, then root.
type seriesKey struct {
	expiry time.Time
	root   string
}

func compareSeries(s *series, k seriesKey) int {
	if c := s.expiry.Compare(k.expiry); c != 0 {
		return c
	}
	return strings.Compare(s.root, k.root)
}

// snapshotTime returns the instant of session i's daily snapshot: 15 minutes before
// the close (15:45 ET, or 12:45 on an early close).
func snapshotTime(d time.Time) time.Time {
	return calendar.CloseTime(d).Add(-snapshotLead * time.Minute)
}

// prepare sets the series' per-session values: time to settlement from the snapshot,
// at-the-money vol, forward, rate and dividend yield.
func (c *chain) prepare(s *series, m *market, i int, at time.Time) {
	u := c.u
	s.T = math.Max(float64(s.settle.Sub(at))/yearNs, minT)
	s.atm = u.atmVol(m, i, s.T, s.expiry)
	s.r, s.q = riskFree(m.days[i]), u.dividendYield()
	s.fwd = u.bars.close[i] * math.Exp((s.r-s.q)*s.T)
}

// fineHorizon is how close (in years) an expiration must be to get fine strikes.
const fineHorizon = 70.0 / 365

// widen extends the series' strike ladders to cover today's range and lists the new
// contracts. Ladders never shrink: a listed strike trades until it expires.
func (c *chain) widen(s *series, m *market, i int, spec *ChainSpec) {
	c.prepare(s, m, i, snapshotTime(m.days[i]))
	S := c.u.bars.close[i]
	w := math.Min(math.Max(spec.StdDevs*s.atm*math.Sqrt(s.T), spec.MinWidth), spec.MaxWidth)
	fw := math.Min(math.Max(spec.FineWidth, 0.4*w), w)
	lo := ceilTo(S*math.Exp(-1.25*w), s.coarse)
	hi := floorTo(S*math.Exp(w), s.coarse)
	flo := ceilTo(S*math.Exp(-fw), s.fine)
	fhi := floorTo(S*math.Exp(fw), s.fine)
	if s.T > fineHorizon { // far expirations list coarse strikes only, for now
		flo, fhi = 1, 0
	}
	lo, flo = max(lo, s.coarse), max(flo, s.fine)
	if s.hi >= s.lo {
		lo, hi = min(lo, s.lo), max(hi, s.hi)
	}
	if s.fhi >= s.flo {
		flo, fhi = min(flo, s.flo), max(fhi, s.fhi)
	}
	if lo == s.lo && hi == s.hi && flo == s.flo && fhi == s.fhi {
		return
	}
	s.lo, s.hi, s.flo, s.fhi = lo, hi, flo, fhi
	c.relist(s)
}

// relist merges the strikes of the series' ladders into its contracts, keeping the
// state of those already listed.
func (c *chain) relist(s *series) {
	old := s.con
	out := c.buf[:0]
	k := 0
	emit := func(strike int64) {
		for k < len(old) && old[k].strike < strike {
			out = append(out, old[k]) // a strike no ladder covers now stays listed
			k++
		}
		if k < len(old) && old[k].strike == strike {
			out = append(out, old[k])
			k++
			return
		}
		out = append(out, c.newContract(s, strike))
	}
	f, g := s.flo, s.lo
	for f <= s.fhi || g <= s.hi {
		switch {
		case g > s.hi || (f <= s.fhi && f < g):
			emit(f)
			f += s.fine
		case f > s.fhi || g < f:
			emit(g)
			g += s.coarse
		default: // equal
			emit(f)
			f, g = f+s.fine, g+s.coarse
		}
	}
	out = append(out, old[k:]...)
	c.buf = old[:0]
	s.con = out
}

// newContract lists a strike.
func (c *chain) newContract(s *series, strike int64) contract {
	ct := contract{strike: strike}
	sym := osi.Symbol{Root: s.root, Expiry: s.expiry, Strike: float64(strike) / 1000}
	for side := range ct.side {
		sym.PutCall = "CP"[side]
		ct.side[side] = sideState{osi: osi.Format(sym), mapMonth: -1, defMonth: -1}
	}
	return ct
}

func ceilTo(x float64, step int64) int64 {
	return int64(math.Ceil(x*1000/float64(step))) * step
}

func floorTo(x float64, step int64) int64 {
	return int64(math.Floor(x*1000/float64(step))) * step
}

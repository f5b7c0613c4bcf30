package sim

import (
	"fmt"

	"github.com/optsweep/sweep/sim/indicators"
	"math"
	"sort"
	"time"
)

// A Tape is the market data of one run: trading days, and for each symbol its
// daily chains with greeks and its bars, plus VIX, VIX3M and the event
// schedule. The backtest engine shows a strategy one day of it at a time as a
// Snapshot. A Tape is built once (by the data layer, which does the I/O) and
// read concurrently by any number of runs; nothing in sim writes to it.
type Tape struct {
	Days    []int32     // trading dates of the run, ascending
	Times   []time.Time // decision time of each day
	Symbols []Series    // sorted by symbol
	VIX     Bars        // VIX daily bars, ascending; may start before Days[0]
	VIX3M   Bars
	Events  []Event // sorted by day, then symbol
	// StepTimes are the intraday decision times before each day's daily
	// decision (0DTE strategies step through the session), ascending; StepDay
	// holds len(Days)+1 offsets into them. Both are empty for a daily tape.
	StepTimes []time.Time
	StepDay   []int
	// First is the index in Days of the first day whose chains the Tape
	// holds. A whole tape holds every day's (First is 0); a block of a
	// streamed window (sweep/feed's Stream) holds days First..len(Days)-1,
	// with the per-day series (Spot, ATMIV, IV rank) from the window's first
	// day, so that lookbacks read the same history either way.
	First int
}

// Series is one underlying's data over a Tape's days.
type Series struct {
	Symbol string
	Cash   bool // cash-settled (index) options
	Bars   Bars // daily bars, ascending; may start before the run for indicator history

	// Per day of the Tape.
	Spot     []float64 // price at the decision time
	ATMIV    []float64 // 30-day at-the-money implied volatility
	IVRank   []float64 // IV rank of ATMIV over indicators.IVWindow sessions (Prepare fills it)
	IVPct    []float64 // IV percentile of ATMIV over indicators.IVWindow sessions (Prepare fills it)
	DayStart []int     // len(Days)-First+1 offsets into Chain and After, one per day held

	Chain Chain // every day's chain, concatenated
	After After // the same rows' values stamped after the decision time
	// Intra holds the chains of the Tape's intraday steps; empty without them.
	Intra Intraday

	epochs []splitEpoch // the bars adjusted for each split (Prepare fills them)
	index  []chainIndex // one per day held (IndexChains fills it)
}

// After holds option values stamped after the decision time: the session's
// consolidated bar and volume. Only the engine reads them, to fill resting
// orders on later sessions.
type After struct {
	High, Low, Close []float64 // NaN when the contract did not trade
	Volume           []int64   // -1 when unknown
}

// Validate checks the Tape's shape: ascending days, per-day slices of the
// right length, chain columns of equal length and sorted within each day.
func (t *Tape) Validate() error {
	n := len(t.Days)
	if len(t.Times) != n {
		return fmt.Errorf("sim: tape has %d days and %d decision times", n, len(t.Times))
	}
	for i := 1; i < n; i++ {
		if t.Days[i] <= t.Days[i-1] {
			return fmt.Errorf("sim: tape days not ascending at %s", DayString(t.Days[i]))
		}
	}
	for k := 1; k < len(t.Symbols); k++ {
		if t.Symbols[k].Symbol <= t.Symbols[k-1].Symbol {
			return fmt.Errorf("sim: tape symbols not sorted and unique at %q", t.Symbols[k].Symbol)
		}
	}
	for k := range t.Symbols {
		if err := t.Symbols[k].validate(n, t.First); err != nil {
			return err
		}
	}
	if t.First < 0 || t.First > n || (t.First > 0 && len(t.StepDay) > 0) {
		return fmt.Errorf("sim: tape holds chains from day %d of %d (a block of days has no intraday steps)", t.First, n)
	}
	if !sort.SliceIsSorted(t.Events, func(i, j int) bool { return t.Events[i].Day < t.Events[j].Day }) {
		return fmt.Errorf("sim: tape events not sorted by day")
	}
	return t.validateSteps()
}

func (s *Series) validate(days, first int) error {
	held := days - first
	if len(s.Spot) != days || len(s.ATMIV) != days || len(s.DayStart) != held+1 ||
		len(s.IVRank) != days || len(s.IVPct) != days {
		return fmt.Errorf("sim: %s: per-day slices do not match the tape's %d days", s.Symbol, days)
	}
	c := &s.Chain
	rows := len(c.Strike)
	if !c.columnsMatch(len(s.After.High), len(s.After.Low), len(s.After.Close), len(s.After.Volume)) {
		return fmt.Errorf("sim: %s: chain columns have different lengths", s.Symbol)
	}
	if s.Intra.Len() > 0 && !s.Intra.Chain.columnsMatch() {
		return fmt.Errorf("sim: %s: intraday chain columns have different lengths", s.Symbol)
	}
	if s.DayStart[0] != 0 || s.DayStart[held] != rows {
		return fmt.Errorf("sim: %s: day offsets do not cover the chain", s.Symbol)
	}
	for i := 0; i < held; i++ {
		lo, hi := s.DayStart[i], s.DayStart[i+1]
		if hi < lo {
			return fmt.Errorf("sim: %s: day offsets not ascending", s.Symbol)
		}
		for r := lo + 1; r < hi; r++ {
			if less(c, r, r-1) || !less(c, r-1, r) {
				return fmt.Errorf("sim: %s: chain of day %d not sorted by expiration, strike, put/call, settlement at row %d", s.Symbol, first+i, r)
			}
		}
	}
	for i := 1; i < len(s.Bars.Days); i++ {
		if s.Bars.Days[i] <= s.Bars.Days[i-1] {
			return fmt.Errorf("sim: %s: bars not ascending at %s", s.Symbol, DayString(s.Bars.Days[i]))
		}
	}
	return nil
}

// columnsMatch reports whether every column of c, and the lengths extra, equal
// the number of rows.
func (c *Chain) columnsMatch(extra ...int) bool {
	rows := len(c.Strike)
	for _, l := range append([]int{len(c.Expiration), len(c.PutCall), len(c.AM), len(c.Bid), len(c.Ask), len(c.Years),
		len(c.OpenInterest), len(c.PrevVolume), len(c.Flags), len(c.IV), len(c.Delta), len(c.Gamma),
		len(c.Theta), len(c.Vega)}, extra...) {
		if l != rows {
			return false
		}
	}
	return true
}

func less(c *Chain, i, j int) bool {
	if c.Expiration[i] != c.Expiration[j] {
		return c.Expiration[i] < c.Expiration[j]
	}
	if c.Strike[i] != c.Strike[j] {
		return c.Strike[i] < c.Strike[j]
	}
	if c.PutCall[i] != c.PutCall[j] {
		return c.PutCall[i] < c.PutCall[j]
	}
	return !c.AM[i] && c.AM[j]
}

// barsBefore returns the number of bars dated before day.
func barsBefore(b *Bars, day int32) int {
	return sort.Search(len(b.Days), func(i int) bool { return b.Days[i] >= day })
}

// history returns the bars before index n, capped so they cannot be re-sliced.
func history(b *Bars, n int) Bars {
	return Bars{Days: b.Days[:n:n], Open: b.Open[:n:n], High: b.High[:n:n], Low: b.Low[:n:n], Close: b.Close[:n:n]}
}

// today returns the open of day from bar n (the first bar not before day), NaN
// when there is no bar for day.
func today(b *Bars, n int, day int32) float64 {
	if n < len(b.Days) && b.Days[n] == day {
		return b.Open[n]
	}
	return math.NaN()
}

// closeOn returns the close of day, NaN when there is no bar for day.
func closeOn(b *Bars, day int32) float64 {
	n := barsBefore(b, day)
	if n < len(b.Days) && b.Days[n] == day {
		return b.Close[n]
	}
	return math.NaN()
}

// openOn returns the open of day, NaN when there is no bar for day.
func openOn(b *Bars, day int32) float64 {
	return today(b, barsBefore(b, day), day)
}

// view returns rows [lo, hi) of c, capped.
func (c *Chain) view(lo, hi int) Chain {
	return Chain{
		Expiration: c.Expiration[lo:hi:hi], PutCall: c.PutCall[lo:hi:hi], Strike: c.Strike[lo:hi:hi], AM: c.AM[lo:hi:hi],
		Bid: c.Bid[lo:hi:hi], Ask: c.Ask[lo:hi:hi], Years: c.Years[lo:hi:hi],
		OpenInterest: c.OpenInterest[lo:hi:hi], PrevVolume: c.PrevVolume[lo:hi:hi], Flags: c.Flags[lo:hi:hi],
		IV: c.IV[lo:hi:hi], Delta: c.Delta[lo:hi:hi], Gamma: c.Gamma[lo:hi:hi], Theta: c.Theta[lo:hi:hi], Vega: c.Vega[lo:hi:hi],
	}
}

// rows returns the range of day i's rows in s.Chain and s.After.
func (s *Series) rows(t *Tape, i int) (lo, hi int) {
	return s.DayStart[i-t.First], s.DayStart[i-t.First+1]
}

// Snapshot fills snap with day i of the Tape, reusing snap's Markets slice.
func (t *Tape) Snapshot(i int, snap *Snapshot) {
	day := t.Days[i]
	snap.Index, snap.Day, snap.Time = i, day, t.Times[i]
	snap.Events = t.Events
	if cap(snap.Markets) < len(t.Symbols) {
		snap.Markets = make([]Market, len(t.Symbols))
	}
	snap.Markets = snap.Markets[:len(t.Symbols)]
	for k := range t.Symbols {
		s := &t.Symbols[k]
		n := barsBefore(&s.Bars, day)
		snap.Markets[k] = Market{
			Symbol: s.Symbol, Spot: s.Spot[i], Open: today(&s.Bars, n, day), Cash: s.Cash,
			History: history(s.barsAsOf(day), n), ATMIV: s.ATMIV[: i+1 : i+1],
			IVRank: s.IVRank[i], IVPercentile: s.IVPct[i],
			Chain: s.Chain.view(s.rows(t, i)),
		}
		if d := i - t.First; d < len(s.index) {
			snap.Markets[k].Chain.ix = &s.index[d]
		}
	}
	snap.VIX = indexView(&t.VIX, day)
	snap.VIX3M = indexView(&t.VIX3M, day)
}

func indexView(b *Bars, day int32) Index {
	n := barsBefore(b, day)
	return Index{Now: today(b, n, day), History: history(b, n)}
}

// Prepare computes the Tape's derived series (IV rank and percentile of each
// symbol's ATMIV) and validates it. Call it once after filling the Tape. A
// block of a streamed window (First > 0) computes them for its own days only,
// from the ATMIV history before them: those of the earlier days are the
// earlier blocks', already in place.
func (t *Tape) Prepare() error {
	for k := range t.Symbols {
		s := &t.Symbols[k]
		n := len(s.ATMIV)
		s.IVRank = resize(s.IVRank, n)
		s.IVPct = resize(s.IVPct, n)
		first := min(t.First, n)
		if first == 0 {
			indicators.IVRank(s.IVRank, s.ATMIV, indicators.IVWindow)
			indicators.IVPercentile(s.IVPct, s.ATMIV, indicators.IVWindow)
			continue
		}
		// Both look back IVWindow sessions, so the days from first on read
		// ATMIV from off on only and get the values the whole series gives;
		// the earlier days' values, which other runs may be reading, stay.
		off := max(first-indicators.IVWindow+1, 0)
		scratch := make([]float64, n-off)
		indicators.IVRank(scratch, s.ATMIV[off:], indicators.IVWindow)
		copy(s.IVRank[first:], scratch[first-off:])
		indicators.IVPercentile(scratch, s.ATMIV[off:], indicators.IVWindow)
		copy(s.IVPct[first:], scratch[first-off:])
	}
	t.prepareSplits()
	if err := t.Validate(); err != nil {
		return err
	}
	t.IndexChains()
	return nil
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

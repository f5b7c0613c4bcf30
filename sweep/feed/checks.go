package feed

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
)

// DayCheck holds the data checks of one symbol on one trading day: the rows
// its chain had in the store, how many of the rows that reached the tape carry
// each market.Flag* bit (a row can carry two, e.g. a locked 0/0 quote is also
// a zero bid), how many rows repeated a contract already in the chain and were
// dropped, and whether the underlying had no daily bar that day.
//
// Flagged rows stay on the tape, so that positions in them can still be
// marked, but sim.Chain.Quoted reports them unusable: no strategy selects them.
type DayCheck struct {
	Symbol     string
	Day        int32 // trading date, days since 1970-01-01
	Rows       int   // chain rows in the store, duplicates included
	Crossed    int   // rows with bid > ask
	Locked     int   // rows with bid == ask
	ZeroBid    int   // rows with a zero bid
	NoQuote    int   // rows without a two-sided quote
	Duplicates int   // rows dropped because a later row had the same contract
	MissingBar bool  // the underlying has no daily bar on Day
	Spot       SpotSource
}

// Problem reports whether the day has anything to report.
func (d DayCheck) Problem() bool {
	return d.Crossed+d.Locked+d.ZeroBid+d.NoQuote+d.Duplicates > 0 || d.MissingBar
}

// excluded reports whether the day has rows that are flagged or dropped.
func (d DayCheck) excluded() bool {
	return d.Crossed+d.Locked+d.ZeroBid+d.NoQuote+d.Duplicates > 0
}

// SpotSource says where a day's underlying price came from.
type SpotSource uint8

// Sources of a day's spot, from the best to none.
const (
	SpotChain     SpotSource = iota // implied by put-call parity on the day's chain
	SpotOpen                        // the day's open (no call/put pair to imply it)
	SpotPrevClose                   // the last close before the day (no pair and no open)
	SpotNone                        // no chain pair and no bar: the spot is NaN
)

// String returns the source as text: "chain", "open", "previous close" or
// "none".
func (s SpotSource) String() string {
	switch s {
	case SpotChain:
		return "chain"
	case SpotOpen:
		return "open"
	case SpotPrevClose:
		return "previous close"
	case SpotNone:
		return "none"
	}
	return "SpotSource(" + strconv.Itoa(int(s)) + ")"
}

// quoteFlags returns the market.Flag* bits of a quote, computed the way the
// ingest computes them: no quote when either side is missing, else crossed
// (bid > ask) or locked (bid == ask), plus zero bid.
func quoteFlags(bid, ask float64) uint8 {
	if math.IsNaN(bid) || math.IsNaN(ask) {
		return market.FlagNoQuote
	}
	var f uint8
	switch {
	case bid > ask:
		f = market.FlagCrossed
	case bid == ask:
		f = market.FlagLocked
	}
	if bid == 0 {
		f |= market.FlagZeroBid
	}
	return f
}

// count adds the bits of f to d's counts.
func (d *DayCheck) count(f uint8) {
	if f&market.FlagCrossed != 0 {
		d.Crossed++
	}
	if f&market.FlagLocked != 0 {
		d.Locked++
	}
	if f&market.FlagZeroBid != 0 {
		d.ZeroBid++
	}
	if f&market.FlagNoQuote != 0 {
		d.NoQuote++
	}
}

// record adds d to the totals, and to Checks when it has a problem.
func (s *Stats) record(d DayCheck) {
	s.Crossed += d.Crossed
	s.Locked += d.Locked
	s.ZeroBid += d.ZeroBid
	s.NoQuote += d.NoQuote
	s.Duplicates += d.Duplicates
	if d.MissingBar {
		s.MissingBars++
	}
	if d.Problem() {
		s.Checks = append(s.Checks, d)
	}
}

// hasBar reports whether b has a bar dated day.
func hasBar(b *sim.Bars, day int32) bool {
	n := sort.Search(len(b.Days), func(i int) bool { return b.Days[i] >= day })
	return n < len(b.Days) && b.Days[n] == day
}

// maxListed is how many days without a bar ChecksSummary names.
const maxListed = 5

// ChecksSummary returns the data checks as one line, e.g.
//
//	data checks: 1,234 crossed, 56 locked, 789 zero-bid, 12 no-quote, 3 duplicate quotes excluded on 120 symbol-days; 2 days without an underlying bar (SPY 2024-03-01 spot from chain, AAPL 2024-03-04 spot from previous close)
//
// or "data checks: no problems". It names at most five days without a bar.
func (s Stats) ChecksSummary() string {
	var parts []string
	if s.Crossed+s.Locked+s.ZeroBid+s.NoQuote+s.Duplicates > 0 {
		days := 0
		for _, d := range s.Checks {
			if d.excluded() {
				days++
			}
		}
		parts = append(parts, fmt.Sprintf("%s crossed, %s locked, %s zero-bid, %s no-quote, %s duplicate quotes excluded on %s symbol-%s",
			thousands(s.Crossed), thousands(s.Locked), thousands(s.ZeroBid), thousands(s.NoQuote), thousands(s.Duplicates),
			thousands(days), plural(days, "day", "days")))
	}
	if s.MissingBars > 0 {
		var names []string
		for _, d := range s.Checks {
			if !d.MissingBar {
				continue
			}
			if len(names) == maxListed {
				names = append(names, "…")
				break
			}
			names = append(names, fmt.Sprintf("%s %s spot from %s", d.Symbol, sim.DayString(d.Day), d.Spot))
		}
		parts = append(parts, fmt.Sprintf("%s %s without an underlying bar (%s)",
			thousands(s.MissingBars), plural(s.MissingBars, "day", "days"), strings.Join(names, ", ")))
	}
	if len(parts) == 0 {
		return "data checks: no problems"
	}
	return "data checks: " + strings.Join(parts, "; ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// thousands formats n with commas between groups of three digits: 1,234,567.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

package sim

import (
	"math"
	"sort"
	"time"
)

// Chain is one underlying's option chain at a decision time, as column slices
// (a struct of arrays) sorted by expiration, strike and put/call. It holds only
// values known at the decision time.
type Chain struct {
	Expiration   []int32   // days since 1970-01-01
	PutCall      []byte    // Put or Call
	Strike       []float64 // dollars
	AM           []bool    // AM-settled (sorts after the PM contract of the same expiration, right and strike)
	Bid, Ask     []float64 // the quote at the snapshot; NaN when one side was missing
	Years        []float64 // time to settlement in years of 365 days
	OpenInterest []int64   // published before the open; -1 when unknown
	PrevVolume   []int64   // the previous session's volume; -1 when unknown
	Flags        []uint8   // market.Flag* data-quality bits (crossed, locked, zero bid, no quote)

	// Greeks at the implied volatility of the mid; NaN where it has none.
	IV, Delta, Gamma, Theta, Vega []float64 // theta per calendar day, vega per vol point

	ix *chainIndex // the tape's index of the day's chain; nil when there is none
}

// Len returns the number of contracts.
func (c *Chain) Len() int { return len(c.Strike) }

// Mid returns contract i's mid price, NaN without a two-sided quote.
func (c *Chain) Mid(i int) float64 { return (c.Bid[i] + c.Ask[i]) / 2 }

// Contract returns contract i of the chain of underlying.
func (c *Chain) Contract(underlying string, i int) Contract {
	return Contract{Underlying: underlying, Expiration: c.Expiration[i], PutCall: c.PutCall[i], Strike: c.Strike[i], AM: c.AM[i]}
}

// Find returns the index of contract k in the chain, or -1.
func (c *Chain) Find(k Contract) int {
	if ix := c.index(); ix != nil {
		return ix.find(c, k)
	}
	n := len(c.Strike)
	i := sort.Search(n, func(i int) bool {
		if c.Expiration[i] != k.Expiration {
			return c.Expiration[i] > k.Expiration
		}
		if c.Strike[i] != k.Strike {
			return c.Strike[i] > k.Strike
		}
		if c.PutCall[i] != k.PutCall {
			return c.PutCall[i] > k.PutCall
		}
		return c.AM[i] || !k.AM
	})
	if i < n && c.Expiration[i] == k.Expiration && c.Strike[i] == k.Strike && c.PutCall[i] == k.PutCall && c.AM[i] == k.AM {
		return i
	}
	return -1
}

// Quoted reports whether contract i has a usable two-sided quote: bid > 0,
// ask > bid, neither NaN, and no data-quality flag (crossed, locked, zero bid,
// no quote), so that flagged rows are never selected.
func (c *Chain) Quoted(i int) bool {
	b, a := c.Bid[i], c.Ask[i]
	return b > 0 && a > b && !math.IsInf(a, 0) && (c.Flags == nil || c.Flags[i] == 0)
}

// ExitQuote returns the bid and ask at which the engine closes a leg in
// contract k, buying it back (buy) or selling it, and whether it can: an
// exit takes what the market offers. A leg bought back needs an ask; a leg
// sold needs nothing (without a bid it goes for nothing, as a worthless long
// option does); a crossed quote counts at its mid. Entries need Quoted rows.
func (c *Chain) ExitQuote(k Contract, buy bool) (bid, ask float64, ok bool) {
	bid, ask = math.NaN(), math.NaN()
	if r := c.Find(k); r >= 0 {
		bid, ask = c.Bid[r], c.Ask[r]
	}
	if !(bid > 0) || math.IsInf(bid, 0) {
		bid = 0
	}
	if !(ask > 0) || math.IsInf(ask, 0) {
		ask = math.NaN()
	}
	switch {
	case bid > ask:
		bid, ask = (bid+ask)/2, (bid+ask)/2
	case math.IsNaN(ask) && buy:
		return 0, 0, false
	case math.IsNaN(ask):
		ask = bid
	}
	return bid, ask, true
}

// ExitMid returns the mid of ExitQuote: what closing a leg in k is worth at
// the mids, and whether it can be closed.
func (c *Chain) ExitMid(k Contract, buy bool) (float64, bool) {
	bid, ask, ok := c.ExitQuote(k, buy)
	return (bid + ask) / 2, ok
}

// Bars is a daily bar history as column slices, ascending by date.
type Bars struct {
	Days                   []int32 // days since 1970-01-01
	Open, High, Low, Close []float64
}

// Len returns the number of bars.
func (b *Bars) Len() int { return len(b.Days) }

// LastClose returns the most recent close, NaN when there is none.
func (b *Bars) LastClose() float64 {
	if len(b.Close) == 0 {
		return math.NaN()
	}
	return b.Close[len(b.Close)-1]
}

// Market is what a strategy sees of one underlying at a decision time.
type Market struct {
	Symbol string
	Spot   float64 // the underlying's price at the decision time; NaN when unknown
	Open   float64 // today's open; NaN when unknown
	Cash   bool    // cash-settled index options (SPX, XSP, NDX…)
	// History holds the bars of sessions closed before today; its slices are
	// capped so that they cannot be re-sliced into later sessions.
	History Bars
	// ATMIV is the at-the-money 30-day implied volatility of each session up to
	// and including today (today's from the snapshot), aligned with nothing but
	// itself: ATMIV[len-1] is today's. NaN where a session had none.
	ATMIV        []float64
	IVRank       float64 // today's IV rank of ATMIV over 252 sessions, in [0,1]; NaN in the warm-up
	IVPercentile float64 // today's IV percentile of ATMIV over 252 sessions, in [0,1]; NaN in the warm-up
	Chain        Chain
}

// Index is an index level's view (VIX, VIX3M) at a decision time.
type Index struct {
	Now     float64 // the latest level known at the decision time (today's open); NaN when unknown
	History Bars    // closed sessions before today
}

// Event is one scheduled market event.
type Event struct {
	Symbol string // "*" for market-wide events (FOMC)
	Day    int32  // days since 1970-01-01
	Kind   string // "earnings", "ex_dividend" or "fomc"
	Amount float64
}

// Event kinds.
const (
	Earnings   = "earnings"
	ExDividend = "ex_dividend"
	FOMC       = "fomc"
)

// Snapshot is everything a strategy may read at one decision time.
type Snapshot struct {
	Index   int       // trading-day index within the run
	Day     int32     // trading date, days since 1970-01-01
	Time    time.Time // the decision time
	Markets []Market  // one per symbol of the run, sorted by symbol
	VIX     Index
	VIX3M   Index
	Events  []Event // the event schedule of the run, sorted by day then symbol
}

// Market returns the market of symbol, or nil.
func (s *Snapshot) Market(symbol string) *Market {
	for i := range s.Markets {
		if s.Markets[i].Symbol == symbol {
			return &s.Markets[i]
		}
	}
	return nil
}

// EventWithin reports the first event of kind for symbol (or market-wide when
// symbol is "*") on a day in [from, to], and whether there is one.
func (s *Snapshot) EventWithin(symbol, kind string, from, to int32) (Event, bool) {
	i := sort.Search(len(s.Events), func(i int) bool { return s.Events[i].Day >= from })
	for ; i < len(s.Events) && s.Events[i].Day <= to; i++ {
		if e := s.Events[i]; e.Kind == kind && e.Symbol == symbol {
			return e, true
		}
	}
	return Event{}, false
}

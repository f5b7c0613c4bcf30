package condor_test

import (
	"math"
	"sort"
	"testing"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
	"github.com/optsweep/sweep/sim/simtest"
)

// row is one hand-written chain row.
type row struct {
	exp      string
	pc       byte
	k        float64
	am       bool
	bid, ask float64
	delta    float64 // 0: unknown (NaN)
	flags    uint8
}

// chain builds a sorted sim.Chain of rows.
func chain(rows ...row) sim.Chain {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
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
	})
	var c sim.Chain
	nan := math.NaN()
	for _, r := range rows {
		d := r.delta
		if d == 0 {
			d = nan
		}
		c.Expiration = append(c.Expiration, simtest.Day(r.exp))
		c.PutCall = append(c.PutCall, r.pc)
		c.Strike = append(c.Strike, r.k)
		c.AM = append(c.AM, r.am)
		c.Bid = append(c.Bid, r.bid)
		c.Ask = append(c.Ask, r.ask)
		c.Years = append(c.Years, 0.01)
		c.OpenInterest = append(c.OpenInterest, -1)
		c.PrevVolume = append(c.PrevVolume, -1)
		c.Flags = append(c.Flags, r.flags)
		c.IV = append(c.IV, 0.2)
		c.Delta = append(c.Delta, d)
		c.Gamma = append(c.Gamma, nan)
		c.Theta = append(c.Theta, nan)
		c.Vega = append(c.Vega, nan)
	}
	return c
}

// m is a row with a 0.10-wide market around mid.
func m(exp string, pc byte, k, mid, delta float64) row {
	return row{exp: exp, pc: pc, k: k, bid: mid - 0.05, ask: mid + 0.05, delta: delta}
}

// nyTime returns day at hh:mm New York time.
func nyTime(t *testing.T, day string, hh, mm int) time.Time {
	t.Helper()
	d := simtest.Day(day)
	y, mo, dd := sim.DayTime(d).Date()
	return time.Date(y, mo, dd, hh, mm, 0, 0, calendar.NewYork())
}

// snapshot returns a snapshot of SPX at spot with chain c and VIX now
// (previous close prevVIX) at hh:mm New York on day.
func snapshot(t *testing.T, day string, hh, mm int, spot float64, c sim.Chain, vix, prevVIX float64) *sim.Snapshot {
	t.Helper()
	d := simtest.Day(day)
	prev := sim.DayOf(calendar.PrevTradingDay(sim.DayTime(d)))
	return &sim.Snapshot{
		Day: d, Time: nyTime(t, day, hh, mm),
		Markets: []sim.Market{{Symbol: "SPX", Spot: spot, Open: spot, Cash: true, Chain: c, IVRank: math.NaN(), IVPercentile: math.NaN()}},
		VIX: sim.Index{Now: vix, History: sim.Bars{Days: []int32{prev}, Open: []float64{prevVIX},
			High: []float64{prevVIX}, Low: []float64{prevVIX}, Close: []float64{prevVIX}}},
	}
}

// fillAtMids stands in for the engine: it opens o's legs in book at the
// chain's mids as position id.
func fillAtMids(book *sim.Book, o sim.Order, c *sim.Chain, id int64, day int32) *sim.Position {
	p := &sim.Position{ID: id, Symbol: o.Symbol, Tag: o.Tag, Opened: day, Entry: o.Entry}
	for _, l := range o.Legs {
		r := c.Find(l.Contract)
		p.Legs = append(p.Legs, sim.Leg{Contract: l.Contract, Qty: l.Ratio * o.Quantity, Price: c.Mid(r), Mark: c.Mid(r)})
	}
	book.Positions = append(book.Positions, p)
	return p
}

// rowsOf converts a chain back to rows.
func rowsOf(c sim.Chain) []row {
	out := make([]row, c.Len())
	for i := range out {
		d := c.Delta[i]
		if math.IsNaN(d) {
			d = 0
		}
		out[i] = row{exp: sim.DayString(c.Expiration[i]), pc: c.PutCall[i], k: c.Strike[i], am: c.AM[i],
			bid: c.Bid[i], ask: c.Ask[i], delta: d, flags: c.Flags[i]}
	}
	return out
}

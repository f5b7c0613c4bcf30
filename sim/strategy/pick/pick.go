// Package pick is the strategies' shared kit for choosing contracts from a
// sim.Chain: the rows of an expiration or of a range of days to expiration,
// the row nearest a delta or a strike, the expiration nearest a DTE, the
// at-the-money pair, a spread's partner leg and a vertical spread's max loss.
//
// Every picker takes only rows with a usable quote (sim.Chain.Quoted: a
// two-sided quote and no data-quality flag), so a flagged row is never
// chosen, and breaks ties the same documented way, so that a strategy
// written with the kit can state its seed's rule in one line. Row ranges
// are half-open, [lo, hi), over a chain sorted by expiration, strike and
// put/call, as the engine builds it. Nothing allocates.
package pick

import (
	"math"
	"sort"

	"github.com/optsweep/sweep/sim"
)

// Expiration returns the rows [lo, hi) of expiration exp in c; lo == hi
// when c lists none.
func Expiration(c *sim.Chain, exp int32) (lo, hi int) {
	n := c.Len()
	lo = sort.Search(n, func(i int) bool { return c.Expiration[i] >= exp })
	hi = sort.Search(n, func(i int) bool { return c.Expiration[i] > exp })
	return lo, hi
}

// Next returns the rows [lo, hi) of the first expiration after day after
// and no later than last; lo == hi when there is none.
func Next(c *sim.Chain, after, last int32) (lo, hi int) {
	n := c.Len()
	lo = sort.Search(n, func(i int) bool { return c.Expiration[i] > after })
	if lo == n || c.Expiration[lo] > last {
		return lo, lo
	}
	return Expiration(c, c.Expiration[lo])
}

// DTERange returns the rows [lo, hi) of the expirations between minDTE and
// maxDTE calendar days after day, both included; lo == hi when there are
// none.
func DTERange(c *sim.Chain, day int32, minDTE, maxDTE int) (lo, hi int) {
	n := c.Len()
	lo = sort.Search(n, func(i int) bool { return int(c.Expiration[i]-day) >= minDTE })
	hi = sort.Search(n, func(i int) bool { return int(c.Expiration[i]-day) > maxDTE })
	return lo, max(lo, hi)
}

// WithDelta reports whether row i is of side pc (sim.Put or sim.Call), has a
// usable quote and a delta.
func WithDelta(c *sim.Chain, i int, pc byte) bool {
	return c.PutCall[i] == pc && c.Quoted(i) && !math.IsNaN(c.Delta[i])
}

// NearestDelta returns the row of side pc in [lo, hi) that WithDelta accepts
// and whose delta is nearest target (signed: a put's target is negative), or
// -1. A later row replaces the best only when it is nearer by more than tol,
// so ties within tol go to the first in chain order (the earliest
// expiration, then the lowest strike).
func NearestDelta(c *sim.Chain, lo, hi int, pc byte, target, tol float64) int {
	best, gap := -1, math.Inf(1)
	for i := lo; i < hi; i++ {
		if !WithDelta(c, i, pc) {
			continue
		}
		if d := math.Abs(c.Delta[i] - target); d < gap-tol {
			best, gap = i, d
		}
	}
	return best
}

// NearestStrike returns the row of side pc in [lo, hi) with a usable quote
// whose strike is nearest k (the first in chain order on a tie: the lower
// strike), or -1.
func NearestStrike(c *sim.Chain, lo, hi int, pc byte, k float64) int {
	best, gap := -1, math.Inf(1)
	for i := lo; i < hi; i++ {
		if c.PutCall[i] != pc || !c.Quoted(i) {
			continue
		}
		if d := math.Abs(c.Strike[i] - k); d < gap {
			best, gap = i, d
		}
	}
	return best
}

// NearestDTE returns the expiration between minDTE and maxDTE days after day
// whose DTE is nearest target (the shorter on a tie), among the expirations
// with a row of side pc that WithDelta accepts; ok is false when there is
// none.
func NearestDTE(c *sim.Chain, day int32, minDTE, maxDTE, target int, pc byte) (exp int32, ok bool) {
	lo, hi := DTERange(c, day, minDTE, maxDTE)
	best := math.MaxInt
	for i := lo; i < hi; i++ {
		if !WithDelta(c, i, pc) {
			continue
		}
		d := int(c.Expiration[i]-day) - target
		if d < 0 {
			d = -d
		}
		if d < best || (d == best && c.Expiration[i] < exp) {
			exp, best, ok = c.Expiration[i], d, true
		}
	}
	return exp, ok
}

// ATM returns the call and put rows at the strike nearest spot among the
// strikes in rows [lo, hi) quoted on both sides (the lower strike on a tie),
// or -1, -1.
func ATM(c *sim.Chain, lo, hi int, spot float64) (call, put int) {
	call, put = -1, -1
	best := math.Inf(1)
	for i := lo; i < hi; i++ {
		if c.PutCall[i] != sim.Call || !c.Quoted(i) {
			continue
		}
		k := c.Contract("", i)
		k.PutCall = sim.Put
		p := c.Find(k)
		if p < 0 || !c.Quoted(p) {
			continue
		}
		if d := math.Abs(c.Strike[i] - spot); d < best {
			best, call, put = d, i, p
		}
	}
	return call, put
}

// Partner returns the row of the contract like row i (expiration, side and
// settlement) with a strike offset dollars away (negative for a lower
// strike), when it is listed with a usable quote; -1 otherwise. It finds a
// vertical spread's other leg.
func Partner(c *sim.Chain, i int, offset float64) int {
	k := c.Contract("", i)
	k.Strike += offset
	p := c.Find(k)
	if p < 0 || !c.Quoted(p) {
		return -1
	}
	return p
}

// MaxLoss returns the largest loss per share at expiry of a vertical spread
// whose strikes are width apart, opened for credit per share (negative for
// a debit paid). A sold spread (short the leg nearer the money) loses at
// most the width less the credit; a bought one at most what it paid.
// Multiply by sim.Multiplier and the units for dollars.
func MaxLoss(width, credit float64, sold bool) float64 {
	if sold {
		return width - credit
	}
	return -credit
}

package legs

import (
	"fmt"
	"math"
	"sort"

	"github.com/optsweep/sweep/sim"
)

// eps absorbs floating-point noise in strike and delta comparisons.
const eps = 1e-9

// choice is a chosen structure: per leg, its chain row (-1 for stock).
type choice struct {
	rows [MaxLegs]int
	n    int
}

// rightByte returns the chain's put/call byte for a right.
func rightByte(r string) byte {
	if r == Call {
		return sim.Call
	}
	return sim.Put
}

// chooseAll picks every leg of legs on market m at day; anchor, when not
// negative, is leg 0's row (sweep scan enumerates it), else leg 0 is chosen
// by its rules. It returns why when a leg has no contract.
func chooseAll(m *sim.Market, day int32, legs []Leg, anchor int) (choice, string) {
	var ch choice
	ch.n = len(legs)
	c := &m.Chain
	for i := range legs {
		l := &legs[i]
		if l.Right == Stock {
			ch.rows[i] = -1
			continue
		}
		if i == 0 && anchor >= 0 {
			ch.rows[0] = anchor
			continue
		}
		if l.AnyExpiry {
			r := anyExpiry(m, day, legs, &ch, i)
			if r < 0 {
				return ch, fmt.Sprintf("legs[%d]: no %s by select delta with DTE in [%d, %d]", i, l.Right, l.DTEMin, l.DTEMax)
			}
			ch.rows[i] = r
			continue
		}
		exp, ok := expiry(c, day, legs, &ch, i)
		if !ok {
			return ch, fmt.Sprintf("legs[%d]: no expiration by its rule", i)
		}
		r := strike(m, legs, &ch, i, exp)
		if r < 0 {
			return ch, fmt.Sprintf("legs[%d]: no %s by select %s on %s", i, l.Right, l.Select, sim.DayString(exp))
		}
		ch.rows[i] = r
	}
	return ch, ""
}

// refRow returns the row of the earlier leg j, or -1 (stock, or none).
func refRow(ch *choice, j int) int {
	if j < 0 || j >= ch.n {
		return -1
	}
	return ch.rows[j]
}

// expiry returns leg i's expiration.
func expiry(c *sim.Chain, day int32, legs []Leg, ch *choice, i int) (int32, bool) {
	l := &legs[i]
	pc := rightByte(l.Right)
	if l.ExpiryOf >= 0 {
		ref := refRow(ch, l.ExpiryOf)
		if ref < 0 {
			return 0, false
		}
		e := c.Expiration[ref]
		if l.DaysLater == 0 {
			return e, true
		}
		for r := range c.Strike { // chain order: ascending expiration
			if c.Expiration[r] >= e+int32(l.DaysLater) && c.PutCall[r] == pc && c.Quoted(r) {
				return c.Expiration[r], true
			}
		}
		return 0, false
	}
	target := float64(l.DTEMin+l.DTEMax) / 2
	if l.DTE != Unset {
		target = float64(l.DTE)
	}
	best, bestDiff := int32(0), math.Inf(1)
	for r := range c.Strike {
		dte := int(c.Expiration[r] - day)
		if dte < l.DTEMin || dte > l.DTEMax || c.PutCall[r] != pc || !c.Quoted(r) {
			continue
		}
		if d := math.Abs(float64(dte) - target); d < bestDiff-eps {
			best, bestDiff = c.Expiration[r], d
		}
	}
	return best, !math.IsInf(bestDiff, 1)
}

// strike returns leg i's row in expiration exp by its select rule, or -1.
func strike(m *sim.Market, legs []Leg, ch *choice, i int, exp int32) int {
	c := &m.Chain
	l := &legs[i]
	pc := rightByte(l.Right)
	am := false
	if r0 := refRow(ch, 0); i > 0 && r0 >= 0 {
		am = c.AM[r0]
	}
	ok := func(r int) bool {
		return c.Expiration[r] == exp && c.PutCall[r] == pc && c.AM[r] == am && c.Quoted(r)
	}
	lo, hi := expRows(c, exp)
	switch l.Select {
	case SelectDelta:
		best, bestDiff := -1, math.Inf(1)
		for r := lo; r < hi; r++ {
			if !ok(r) || math.IsNaN(c.Delta[r]) || !inBand(math.Abs(c.Delta[r]), l) {
				continue
			}
			if d := math.Abs(math.Abs(c.Delta[r]) - l.Delta); d < bestDiff-eps {
				best, bestDiff = r, d
			}
		}
		return best
	case SelectMoneyness:
		if !(m.Spot > 0) {
			return -1
		}
		k := m.Spot * (1 - l.Moneyness/100)
		if l.Right == Call {
			k = m.Spot * (1 + l.Moneyness/100)
		}
		return nearest(c, lo, hi, ok, k, math.NaN())
	}
	ref := refRow(ch, l.Of)
	if ref < 0 {
		return -1
	}
	k0 := c.Strike[ref]
	var k float64
	switch l.Select {
	case SelectStrike:
		k = k0
	case SelectOffset:
		k = k0 + l.Offset
	case SelectOffsetPct:
		k = k0 * (1 + l.OffsetPct/100)
	case SelectWidth:
		k = k0 - l.Width
		if l.Right == Call {
			k = k0 + l.Width
		}
	}
	if l.Select == SelectStrike || (l.Select == SelectOffset && l.Offset == 0) || (l.Select == SelectOffsetPct && l.OffsetPct == 0) {
		return exact(c, lo, hi, ok, k0)
	}
	if l.Exact {
		return exact(c, lo, hi, ok, k)
	}
	// The nearest listed strike to k on k's side of the reference: a wing
	// never lands inside its short strike when the exact one is missing.
	above := k > k0
	side := func(r int) bool { return ok(r) && (c.Strike[r] > k0+eps) == above && math.Abs(c.Strike[r]-k0) > eps }
	return nearest(c, lo, hi, side, k, k0)
}

// anyExpiry returns leg i's row by any_expiry: the clean contract of its
// right (and leg 0's settlement) whose |delta| is nearest its target within
// its band, among every expiration with days to expiry in [dte_min,
// dte_max]; the first in chain order (earliest expiration, lowest strike)
// on ties; -1 if none.
func anyExpiry(m *sim.Market, day int32, legs []Leg, ch *choice, i int) int {
	c := &m.Chain
	l := &legs[i]
	pc := rightByte(l.Right)
	am := false
	if r0 := refRow(ch, 0); i > 0 && r0 >= 0 {
		am = c.AM[r0]
	}
	best, bestDiff := -1, math.Inf(1)
	for r := range c.Strike {
		dte := int(c.Expiration[r] - day)
		if dte < l.DTEMin || dte > l.DTEMax || c.PutCall[r] != pc || c.AM[r] != am || !c.Quoted(r) ||
			math.IsNaN(c.Delta[r]) || !inBand(math.Abs(c.Delta[r]), l) {
			continue
		}
		if d := math.Abs(math.Abs(c.Delta[r]) - l.Delta); d < bestDiff-eps {
			best, bestDiff = r, d
		}
	}
	return best
}

// expRows returns the rows [lo, hi) of expiration exp (the chain is sorted
// by expiration).
func expRows(c *sim.Chain, exp int32) (lo, hi int) {
	n := len(c.Expiration)
	lo = sort.Search(n, func(i int) bool { return c.Expiration[i] >= exp })
	hi = sort.Search(n, func(i int) bool { return c.Expiration[i] > exp })
	return lo, hi
}

// inBand reports whether |delta| a is within leg l's [delta_min, delta_max].
func inBand(a float64, l *Leg) bool {
	return a >= l.DeltaMin-eps && (l.DeltaMax == 0 || a <= l.DeltaMax+eps)
}

// exact returns the row with strike k passing ok, or -1.
func exact(c *sim.Chain, lo, hi int, ok func(int) bool, k float64) int {
	for r := lo; r < hi; r++ {
		if ok(r) && math.Abs(c.Strike[r]-k) < eps {
			return r
		}
	}
	return -1
}

// nearest returns the row passing ok whose strike is nearest k (the lower on
// ties), never the reference strike not (NaN: none), or -1.
func nearest(c *sim.Chain, lo, hi int, ok func(int) bool, k, not float64) int {
	best, bestDiff := -1, math.Inf(1)
	for r := lo; r < hi; r++ {
		if !ok(r) || math.Abs(c.Strike[r]-not) < eps {
			continue
		}
		if d := math.Abs(c.Strike[r] - k); d < bestDiff-eps {
			best, bestDiff = r, d
		}
	}
	return best
}

// price returns the structure's mid price per share per unit (negative: a
// credit), with spot standing in for a stock leg.
func price(m *sim.Market, legs []Leg, ch *choice) float64 {
	p := 0.0
	for i := range legs {
		q := float64(legs[i].sign() * legs[i].Ratio)
		if r := ch.rows[i]; r >= 0 {
			p += q * m.Chain.Mid(r)
		} else {
			p += q * m.Spot // 100 shares per ratio unit: the spot per share of the package
		}
	}
	return p
}

// natural returns the structure's natural price per share per unit
// (negative: a credit): bought legs at the ask, sold legs at the bid, spot
// standing in for a stock leg.
func natural(m *sim.Market, legs []Leg, ch *choice) float64 {
	p := 0.0
	for i := range legs {
		q := float64(legs[i].sign() * legs[i].Ratio)
		switch r := ch.rows[i]; {
		case r < 0:
			p += q * m.Spot
		case q > 0:
			p += q * m.Chain.Ask[r]
		default:
			p += q * m.Chain.Bid[r]
		}
	}
	return p
}

// width returns the widest strike distance between two option legs of one
// right: a vertical's width, a condor's wider side.
func width(c *sim.Chain, ch *choice) float64 {
	w := 0.0
	for i := 0; i < ch.n; i++ {
		for j := i + 1; j < ch.n; j++ {
			a, b := ch.rows[i], ch.rows[j]
			if a >= 0 && b >= 0 && c.PutCall[a] == c.PutCall[b] {
				w = max(w, math.Abs(c.Strike[a]-c.Strike[b]))
			}
		}
	}
	return w
}

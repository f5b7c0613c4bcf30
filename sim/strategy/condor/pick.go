package condor

import (
	"fmt"
	"math"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy/pick"
)

// eps absorbs floating-point noise in threshold comparisons (prices, points
// and deltas are all far coarser).
const eps = 1e-9

// rules are the strike-selection rules of one condor.
type rules struct {
	targetDelta float64 // short strikes at |delta| nearest this
	wing        float64 // points from each short strike to its long wing
	putDist     float64 // short put strike ≤ spot − putDist
	callDist    float64 // short call strike ≥ spot + callDist
	multiple    float64 // preferred strike multiple; 0 for none
}

// condor is a chosen iron condor: the chain rows of its four legs and its
// prices per share.
type condor struct {
	lp, sp, sc, lc int     // long put, short put, short call, long call
	credit         float64 // at the mids
	spreadPct      float64 // (natural spread of the package) / credit
}

// isMultiple reports whether k is a whole multiple of m.
func isMultiple(k, m float64) bool {
	return math.Abs(math.Remainder(k, m)) < eps
}

// pickCondor chooses the condor of expiration exp and settlement am in c at
// spot under r, or says why there is none. Each side is chosen on its own:
// among the short strikes beyond the distance floor whose wing is listed and
// quoted, the one with |delta| nearest the target (ties to the farther from
// spot); with a preferred multiple, strikes that are multiples of it are
// chosen from first, and the others only when none of them qualifies.
func pickCondor(c *sim.Chain, exp int32, am bool, spot float64, r *rules) (condor, string) {
	lo, hi := pick.Expiration(c, exp)
	var k condor
	k.sp, k.lp = pickSide(c, lo, hi, sim.Put, am, spot, r)
	if k.sp < 0 {
		return k, fmt.Sprintf("no put with delta, strike ≤ %.2f and a quoted %g-point wing", spot-r.putDist, r.wing)
	}
	k.sc, k.lc = pickSide(c, lo, hi, sim.Call, am, spot, r)
	if k.sc < 0 {
		return k, fmt.Sprintf("no call with delta, strike ≥ %.2f and a quoted %g-point wing", spot+r.callDist, r.wing)
	}
	k.credit = c.Mid(k.sp) + c.Mid(k.sc) - c.Mid(k.lp) - c.Mid(k.lc)
	spread := 0.0
	for _, i := range [4]int{k.lp, k.sp, k.sc, k.lc} {
		spread += c.Ask[i] - c.Bid[i]
	}
	if k.credit > 0 {
		k.spreadPct = spread / k.credit
	}
	return k, ""
}

// pickSide returns the short and long rows of one side, or -1, -1.
func pickSide(c *sim.Chain, lo, hi int, pc byte, am bool, spot float64, r *rules) (short, long int) {
	if r.multiple > 0 {
		if s, l := scanSide(c, lo, hi, pc, am, spot, r, true); s >= 0 {
			return s, l
		}
	}
	return scanSide(c, lo, hi, pc, am, spot, r, false)
}

func scanSide(c *sim.Chain, lo, hi int, pc byte, am bool, spot float64, r *rules, onlyMultiple bool) (short, long int) {
	short, long = -1, -1
	bestScore, bestDist := math.Inf(1), 0.0
	for i := lo; i < hi; i++ {
		if c.AM[i] != am || !pick.WithDelta(c, i, pc) {
			continue
		}
		k := c.Strike[i]
		dist, floor, wing := spot-k, r.putDist, -r.wing
		if pc == sim.Call {
			dist, floor, wing = k-spot, r.callDist, r.wing
		}
		if dist < floor-eps || (onlyMultiple && !isMultiple(k, r.multiple)) {
			continue
		}
		w := pick.Partner(c, i, wing)
		if w < 0 {
			continue
		}
		score := math.Abs(math.Abs(c.Delta[i]) - r.targetDelta)
		if score < bestScore-eps || (score < bestScore+eps && dist > bestDist) {
			short, long, bestScore, bestDist = i, w, score, dist
		}
	}
	return short, long
}

// legs returns k's legs on underlying, one unit each: long put, short put,
// short call, long call.
func (k *condor) legs(c *sim.Chain, underlying string) []sim.OrderLeg {
	return []sim.OrderLeg{
		{Contract: c.Contract(underlying, k.lp), Ratio: 1},
		{Contract: c.Contract(underlying, k.sp), Ratio: -1},
		{Contract: c.Contract(underlying, k.sc), Ratio: -1},
		{Contract: c.Contract(underlying, k.lc), Ratio: 1},
	}
}

// describe formats k as "4875/4900 P · 5125/5150 C".
func (k *condor) describe(c *sim.Chain) string {
	return fmt.Sprintf("%g/%g P · %g/%g C", c.Strike[k.lp], c.Strike[k.sp], c.Strike[k.sc], c.Strike[k.lc])
}

// units returns the number of condors in pos (its legs' common quantity).
func units(pos *sim.Position) int {
	g := 0
	for _, l := range pos.Legs {
		a := l.Qty
		if a < 0 {
			a = -a
		}
		for a != 0 {
			g, a = a, g%a
		}
	}
	return g
}

// credit returns pos's entry credit per share per unit.
func credit(pos *sim.Position) float64 {
	n := float64(units(pos))
	v := 0.0
	for _, l := range pos.Legs {
		v -= float64(l.Qty) * l.Price / n
	}
	return v
}

// closeQuote returns the debit per share per unit to close pos at the mids
// of the quotes the engine would close at (sim.Chain.ExitQuote), and whether
// every leg can be closed.
func closeQuote(c *sim.Chain, pos *sim.Position) (float64, bool) {
	n := float64(units(pos))
	debit := 0.0
	for _, l := range pos.Legs {
		bid, ask, ok := c.ExitQuote(l.Contract, l.Qty < 0)
		if !ok {
			return math.NaN(), false
		}
		debit -= float64(l.Qty) / n * (bid + ask) / 2
	}
	return debit, len(pos.Legs) > 0
}

// breach returns a description of the first red line a short leg of pos
// crosses at market m, "" when none is: its |delta| at or above deltaLine, or
// spot within proximity points of its strike or beyond it. A leg without a
// delta is judged by proximity alone.
func breach(m *sim.Market, pos *sim.Position, deltaLine, proximity float64) string {
	for _, l := range pos.Legs {
		if l.Qty >= 0 {
			continue
		}
		k := l.Contract
		cushion := m.Spot - k.Strike
		if k.PutCall == sim.Call {
			cushion = k.Strike - m.Spot
		}
		if cushion <= proximity+eps {
			return fmt.Sprintf("spot %.2f is %.2f points from short %c %g (line %g)", m.Spot, cushion, k.PutCall, k.Strike, proximity)
		}
		if r := m.Chain.Find(k); r >= 0 && math.Abs(m.Chain.Delta[r]) >= deltaLine-eps {
			return fmt.Sprintf("short %c %g |delta| %.3f ≥ %.2f", k.PutCall, k.Strike, math.Abs(m.Chain.Delta[r]), deltaLine)
		}
	}
	return ""
}

// expiry returns the earliest expiration among pos's legs.
func expiry(pos *sim.Position) int32 {
	e := int32(math.MaxInt32)
	for _, l := range pos.Legs {
		e = min(e, l.Contract.Expiration)
	}
	return e
}

// closingLegs returns the legs that close n units of pos, one unit each.
func closingLegs(pos *sim.Position) []sim.OrderLeg {
	n := units(pos)
	out := make([]sim.OrderLeg, len(pos.Legs))
	for k, l := range pos.Legs {
		out[k] = sim.OrderLeg{Contract: l.Contract, Ratio: -l.Qty / n}
	}
	return out
}

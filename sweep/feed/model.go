package feed

import (
	"math"
	"sort"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/greeks"
)

// minPairYears is the shortest time to settlement whose call/put pairs imply
// the spot: one calendar day, so that same-day quotes' noise stays out.
const minPairYears = 1.0 / 365

// impliedSpot returns the underlying's price implied by put-call parity at the
// decision time, C − P = S·e^{−qT} − K·e^{−rT}, from the nearest expiration
// (at least a day out) with two-sided quotes on both sides of a strike: the
// median over its three pairs with the smallest |C − P| (the ones nearest the
// money, where early exercise matters least). NaN when no expiration has a
// pair.
func impliedSpot(c *sim.Chain, base int, opt Options) float64 {
	return impliedSpotFrom(c, base, opt, minPairYears, c.Quoted)
}

// impliedSpotFrom is impliedSpot using the expirations at least minYears
// away and the rows usable accepts. Intraday chains of same-day contracts use
// them all, and take one-sided quotes (bid 0): a far out-of-the-money call
// bid 0 at 0.05 still pins the spot to a few cents through parity.
func impliedSpotFrom(c *sim.Chain, base int, opt Options, minYears float64, usable func(int) bool) float64 {
	n := len(c.Strike)
	var best [3]struct{ gap, s float64 }
	for lo := base; lo < n; {
		hi := lo
		for hi < n && c.Expiration[hi] == c.Expiration[lo] {
			hi++
		}
		T := c.Years[lo]
		found := 0
		for i := range best {
			best[i].gap = math.Inf(1)
		}
		if T >= minYears && T > 0 {
			for r := lo; r+1 < hi; r++ {
				if c.Strike[r] != c.Strike[r+1] || c.PutCall[r] != sim.Call || c.PutCall[r+1] != sim.Put ||
					!usable(r) || !usable(r+1) {
					continue
				}
				d := c.Mid(r) - c.Mid(r+1)
				s := (d + c.Strike[r]*math.Exp(-opt.Rate*T)) * math.Exp(opt.Dividend*T)
				gap := math.Abs(d)
				found++
				// keep the three smallest gaps, sorted
				for i := range best {
					if gap < best[i].gap {
						copy(best[i+1:], best[i:len(best)-1])
						best[i].gap, best[i].s = gap, s
						break
					}
				}
			}
		}
		if found > 0 {
			k := min(found, 3)
			v := []float64{best[0].s, best[1].s, best[2].s}[:k]
			sort.Float64s(v)
			if k == 2 {
				return (v[0] + v[1]) / 2
			}
			return v[k/2]
		}
		lo = hi
	}
	return math.NaN()
}

// greeks computes implied volatilities from the mids of the chain rows from
// base on, then every greek at those volatilities, into the tape's columns.
// It returns how many rows got no implied volatility.
func (b *builder) greeks(c *sim.Chain, base int, spot float64, cash bool) int {
	n := len(c.Strike) - base
	b.rights = b.rights[:0]
	b.styles = b.styles[:0]
	b.price = b.price[:0]
	style := greeks.European
	if b.opt.American && !cash {
		style = greeks.American
	}
	for r := base; r < len(c.Strike); r++ {
		b.rights = append(b.rights, greeks.Right(c.PutCall[r]))
		b.styles = append(b.styles, style)
		mid := math.NaN()
		if c.Quoted(r) {
			mid = c.Mid(r)
		}
		b.price = append(b.price, mid)
	}
	if cap(b.gprice) < n {
		b.gprice = make([]float64, n)
	}
	ch := greeks.Chain{Spot: spot, Rate: b.opt.Rate, Dividend: b.opt.Dividend,
		Strike: c.Strike[base:], Years: c.Years[base:], Right: b.rights, Style: b.styles}
	iv := c.IV[base:]
	// Lengths match by construction, so neither call can fail.
	_ = greeks.ImpliedVol(&ch, b.price, iv, nil)
	_ = greeks.Compute(&ch, iv, &greeks.Greeks{Price: b.gprice[:n], Delta: c.Delta[base:], Gamma: c.Gamma[base:],
		ThetaPerDay: c.Theta[base:], VegaPerPoint: c.Vega[base:]})
	missing := 0
	for _, v := range iv {
		if math.IsNaN(v) {
			missing++
		}
	}
	return missing
}

// atmIV returns the 30-day at-the-money implied volatility: per expiration the
// mean IV of the call and put at the strike nearest the forward, then linear
// interpolation in total variance (σ²T) between the expirations around 30
// days, or the nearest one when they do not straddle it. Expirations under two
// days out are left out. NaN when no expiration has an ATM IV.
func (b *builder) atmIV(c *sim.Chain, base int, spot float64) float64 {
	const target = 30.0 / 365
	b.terms = b.terms[:0]
	n := len(c.Strike)
	for lo := base; lo < n; {
		hi := lo
		for hi < n && c.Expiration[hi] == c.Expiration[lo] {
			hi++
		}
		T := c.Years[lo]
		if T >= 2.0/365 {
			F := spot * math.Exp((b.opt.Rate-b.opt.Dividend)*T)
			bestK, sum, cnt := math.Inf(1), 0.0, 0
			for r := lo; r < hi; r++ {
				if math.IsNaN(c.IV[r]) {
					continue
				}
				switch d := math.Abs(c.Strike[r] - F); {
				case d < math.Abs(bestK-F):
					bestK, sum, cnt = c.Strike[r], c.IV[r], 1
				case c.Strike[r] == bestK:
					sum, cnt = sum+c.IV[r], cnt+1
				}
			}
			if cnt > 0 {
				b.terms = append(b.terms, term{T, sum / float64(cnt)})
			}
		}
		lo = hi
	}
	if len(b.terms) == 0 {
		return math.NaN()
	}
	i := sort.Search(len(b.terms), func(i int) bool { return b.terms[i].years >= target })
	switch {
	case i == 0:
		return b.terms[0].iv
	case i == len(b.terms):
		return b.terms[i-1].iv
	}
	t0, t1 := b.terms[i-1], b.terms[i]
	w0, w1 := t0.iv*t0.iv*t0.years, t1.iv*t1.iv*t1.years
	w := w0 + (w1-w0)*(target-t0.years)/(t1.years-t0.years)
	return math.Sqrt(w / target)
}

package greeks

import (
	"math"
	"testing"
)

// TestAmericanPublished checks the Bjerksund-Stensland (2002) values against figures
// computed by others from Haug's 2nd-edition formulas (issue 7: to 1e-4), and checks
// the building block shared with the 1993 version, φ, by pricing the 1993 formula
// (bs1993Call below) against QuantLib's BjerksundStenslandApproximationEngine values
// quoted in issue 7 (test-suite/americanoption.cpp).
func TestAmericanPublished(t *testing.T) {
	cases := []struct {
		right              Right
		k, s, q, r, t, vol float64
		bs2002, bs1993     float64
	}{
		{Call, 40, 42, 0.08, 0.04, 0.75, 0.35, 5.2869, 5.2704},
		{Put, 40, 36, 0, 0.06, 1, 0.2, 4.4628, 4.4531},
	}
	for _, c := range cases {
		o := Option{Right: c.right, Style: American, Spot: c.s, Strike: c.k, Years: c.t, Rate: c.r, Dividend: c.q}
		v, why := o.Values(c.vol)
		if why != OK || math.Abs(v.Price-c.bs2002) > 1e-4 {
			t.Errorf("%v K=%g S=%g: 2002 value %.6f (%v), want %.4f", c.right, c.k, c.s, v.Price, why, c.bs2002)
		}
		var v93 float64
		if c.right == Call {
			v93 = bs1993Call(c.s, c.k, c.t, c.r, c.q, c.vol)
		} else {
			v93 = bs1993Call(c.k, c.s, c.t, c.q, c.r, c.vol)
		}
		if math.Abs(v93-c.bs1993) > 1e-4 {
			t.Errorf("%v K=%g S=%g: 1993 value %.6f, want %.4f", c.right, c.k, c.s, v93, c.bs1993)
		}
	}
}

// bs1993Call is the one-boundary 1993 approximation, built from the same φ as the
// 2002 one; it exists to check φ against published 1993 values.
func bs1993Call(s, k, t, r, q, v float64) float64 {
	b := r - q
	v2 := v * v
	y := 0.5 - b/v2
	beta := y + math.Sqrt(y*y+2*r/v2)
	bInf := beta / (beta - 1) * k
	b0 := math.Max(k, r/q*k)
	i := b0 + (bInf-b0)*(1-math.Exp(-(b*t+2*v*math.Sqrt(t))*b0/(bInf-b0)))
	if s >= i {
		return s - k
	}
	lnA := math.Log(i - k)
	p := bsTerms{s: s, r: r, b: b, v: v, v2: v2, t: t, t1: t}
	return math.Exp(lnA+beta*math.Log(s/i)) - p.phi(lnA, i, beta, i, i) + p.phi(0, 1, 1, i, i) -
		p.phi(0, 1, 1, k, i) - k*p.phi(0, 1, 0, i, i) + k*p.phi(0, 1, 0, k, i)
}

// americanTree returns the American value on a Cox-Ross-Rubinstein tree, averaging n
// and n+1 steps to damp the odd-even oscillation: an independent check of the bounds.
func americanTree(call bool, s, k, t, r, q, v float64, n int) float64 {
	one := func(n int) float64 {
		dt := t / float64(n)
		u := math.Exp(v * math.Sqrt(dt))
		p := (math.Exp((r-q)*dt) - 1/u) / (u - 1/u)
		disc := math.Exp(-r * dt)
		val := make([]float64, n+1)
		payoff := func(st float64) float64 {
			if call {
				return math.Max(st-k, 0)
			}
			return math.Max(k-st, 0)
		}
		for i := range val {
			val[i] = payoff(s * math.Pow(u, float64(2*i-n)))
		}
		for j := n - 1; j >= 0; j-- {
			st := s * math.Pow(u, float64(-j))
			for i := 0; i <= j; i++ {
				val[i] = math.Max(disc*(p*val[i+1]+(1-p)*val[i]), payoff(st))
				st *= u * u
			}
		}
		return val[0]
	}
	return 0.5 * (one(n) + one(n+1))
}

// TestAmericanBounds checks, over the parameter sets of the Bjerksund-Stensland
// tables (S = 80…120, K = 100, r and q from 0 to 16%, T from 3 months to 3 years),
// that European ≤ 1993 ≤ 2002 ≤ exact American, the exact value from a binomial tree,
// and that the 2002 value is within 1.5% of the exact one where it is worth more than
// a cent. Calls without dividends and puts at r = 0 must equal the European value.
func TestAmericanBounds(t *testing.T) {
	if testing.Short() {
		t.Skip("binomial trees are slow")
	}
	sets := []struct{ r, q, vol, t float64 }{
		{0.08, 0.12, 0.2, 0.25}, {0.08, 0.04, 0.4, 0.25}, {0.08, 0, 0.2, 0.5},
		{0.12, 0.16, 0.2, 0.25}, {0.08, 0.08, 0.2, 3}, {0.05, 0.01, 0.3, 1},
	}
	for _, st := range sets {
		for _, s := range []float64{80, 90, 100, 110, 120} {
			for _, call := range []bool{true, false} {
				rt := Put
				if call {
					rt = Call
				}
				o := Option{Right: rt, Style: American, Spot: s, Strike: 100, Years: st.t, Rate: st.r, Dividend: st.q}
				am, _ := o.Values(st.vol)
				o.Style = European
				eu, _ := o.Values(st.vol)
				exact := americanTree(call, s, 100, st.t, st.r, st.q, st.vol, 600)
				var v93 float64
				if call {
					v93 = bs1993Call(s, 100, st.t, st.r, st.q, st.vol)
				} else {
					v93 = bs1993Call(100, s, st.t, st.q, st.r, st.vol)
				}
				if !earlyExercise(call, st.r, st.q) {
					if am.Price != eu.Price {
						t.Errorf("%v S=%g %+v: American %.10g differs from European %.10g without early exercise", rt, s, st, am.Price, eu.Price)
					}
					continue
				}
				lo := math.Max(eu.Price, v93)
				if am.Price < lo-1e-12 || am.Price > exact+2e-3 || exact-am.Price > 0.015*exact+0.01 {
					t.Errorf("%v S=%g %+v: European %.4f, 1993 %.4f, 2002 %.4f, exact %.4f", rt, s, st, eu.Price, v93, am.Price, exact)
				}
			}
		}
	}
}

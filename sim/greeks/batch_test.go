package greeks

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomChain returns a chain that exercises the bulk paths' sharing: calls and puts
// at the same strike, expiry and volatility next to each other (in either order), the
// same contract repeated, lone contracts, runs longer than a block, invalid entries and
// American contracts, with prices near, at and beyond their bounds.
func randomChain(rng *rand.Rand, n int) (*Chain, []float64, []float64) {
	c := &Chain{Spot: 100, Rate: 0.04, Dividend: 0.015}
	var vol []float64
	t := 0.25
	for len(c.Strike) < n {
		if rng.IntN(40) == 0 {
			t = []float64{1.0 / 365, 0.1, 0.25, 1, 2}[rng.IntN(5)]
		}
		k := 100 * math.Exp(0.4*rng.NormFloat64())
		v := 0.05 + 0.6*rng.Float64()
		first := Right(Call)
		if rng.IntN(2) == 0 {
			first = Put
		}
		rights := []Right{first}
		switch rng.IntN(4) {
		case 0, 1: // a pair
			rights = append(rights, Call+Put-first)
		case 2: // a repeat
			rights = append(rights, first)
		}
		for _, r := range rights {
			c.Strike = append(c.Strike, k)
			c.Years = append(c.Years, t)
			c.Right = append(c.Right, r)
			style := European
			if rng.IntN(50) == 0 {
				style = American
			}
			c.Style = append(c.Style, style)
			vol = append(vol, v)
		}
	}
	n = c.Len()
	for range n / 50 { // invalid entries
		i := rng.IntN(n)
		switch rng.IntN(4) {
		case 0:
			c.Strike[i] = math.NaN()
		case 1:
			c.Years[i] = 0
		case 2:
			vol[i] = -1
		default:
			c.Right[i] = 0
		}
	}
	price := make([]float64, n)
	_ = Compute(c, vol, &Greeks{Price: price})
	for i := range price {
		switch rng.IntN(20) {
		case 0:
			price[i] *= 1 + 1e-3*rng.NormFloat64() // call and put no longer at parity
		case 1:
			price[i] = 1e3 // above the maximum
		case 2:
			price[i] = 0
		}
	}
	return c, vol, price
}

// TestBulkMatchesOneRandom checks Compute and ImpliedVol against the one-contract API,
// bit for bit, on random chains, with and without every output slice.
func TestBulkMatchesOneRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 20 {
		c, vol, price := randomChain(rng, 50+rng.IntN(400))
		n := c.Len()
		g := Greeks{Price: make([]float64, n), Delta: make([]float64, n), Gamma: make([]float64, n),
			ThetaPerYear: make([]float64, n), ThetaPerDay: make([]float64, n), VegaPerPoint: make([]float64, n),
			RhoPerPoint: make([]float64, n), Reason: make([]Reason, n)}
		if round%2 == 1 {
			g.Gamma, g.RhoPerPoint = nil, nil // the path through scratch
		}
		if err := Compute(c, vol, &g); err != nil {
			t.Fatal(err)
		}
		iv, why := make([]float64, n), make([]Reason, n)
		if err := ImpliedVol(c, price, iv, why); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			o := c.option(i)
			v, r := o.Values(vol[i])
			if r != g.Reason[i] || !same(v.Price, g.Price[i]) || !same(v.Delta, g.Delta[i]) ||
				!same(v.ThetaPerYear, g.ThetaPerYear[i]) || !same(v.ThetaPerDay, g.ThetaPerDay[i]) ||
				!same(v.VegaPerPoint, g.VegaPerPoint[i]) ||
				g.Gamma != nil && (!same(v.Gamma, g.Gamma[i]) || !same(v.RhoPerPoint, g.RhoPerPoint[i])) {
				t.Fatalf("round %d contract %d (%v K=%g T=%g σ=%g): bulk and one at a time differ (%v, %v)",
					round, i, c.Right[i], c.Strike[i], c.Years[i], vol[i], g.Reason[i], r)
			}
			s, r := o.ImpliedVol(price[i])
			if r != why[i] || !same(s, iv[i]) {
				t.Fatalf("round %d contract %d (%v K=%g T=%g price %g): bulk σ %v (%v), one at a time %v (%v)",
					round, i, c.Right[i], c.Strike[i], c.Years[i], price[i], iv[i], why[i], s, r)
			}
		}
	}
}

// TestLeadOut checks that lanes sharing a lead whose price normaliseLanes refuses
// (beta not below bmax, which only rounding lets past europeanSetup) still solve as
// they would alone.
func TestLeadOut(t *testing.T) {
	const f, k = 100.0, 110.0
	tvs := []float64{k, 2, k, 1e-3, 3} // a time value of min(F, K)·e^{|x|} gives beta = 1/bmax
	var lanes [5]ivLane
	for i, tv := range tvs {
		lanes[i] = ivLane{f: f, k: k, tv: tv, lead: 1} // all share lane 0's x
	}
	lanes[0].lead = 0
	normaliseLanes(lanes[:])
	solveLanes(lanes[:])
	if lanes[0].why != AboveMaximum || lanes[2].why != AboveMaximum {
		t.Fatalf("reasons %v, %v; want AboveMaximum", lanes[0].why, lanes[2].why)
	}
	for _, i := range []int{1, 3, 4} {
		one := [1]ivLane{{f: f, k: k, tv: tvs[i]}}
		normaliseLanes(one[:])
		solveLanes(one[:])
		if lanes[i].why != OK || lanes[i].s != one[0].s {
			t.Errorf("lane %d: s = %v (%v) in the block, %v alone", i, lanes[i].s, lanes[i].why, one[0].s)
		}
	}
}

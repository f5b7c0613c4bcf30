package greeks

import (
	"math"
	"math/rand/v2"
	"time"
)

// SyntheticChain returns about n contracts shaped like a listed index chain, for
// benchmarks: expirations from same-day to two years, strikes across ±4 standard
// deviations of the forward at each expiration on a listed-style grid, a call and a
// put at every strike, a skewed smile, and prices at those volatilities. The same n
// and seed give the same chain.
func SyntheticChain(n int, seed uint64) (c *Chain, vol, price []float64) {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	c = &Chain{Spot: 5000 + 500*rng.Float64(), Rate: 0.043, Dividend: 0.013}
	days := []float64{0.25, 1, 2, 3, 7, 14, 21, 30, 45, 60, 90, 120, 180, 270, 365, 545, 730}
	per := max(n/(2*len(days)), 1) // strikes per expiration
	for len(c.Strike) < n {
		for _, d := range days {
			t := d / DaysPerYear
			atm := 0.14 + 0.06*math.Exp(-d/30) + 0.02*rng.Float64()
			sd := atm * math.Sqrt(t)
			f := c.Spot * math.Exp((c.Rate-c.Dividend)*t)
			for j := 0; j < per && len(c.Strike) < n; j++ {
				z := -4 + 8*(float64(j)+rng.Float64())/float64(per) // standard deviations from the forward
				k := math.Round(f*math.Exp(z*sd)/5) * 5             // listed strikes every 5 points
				m := math.Log(k/f) / math.Max(sd, 1e-3)
				v := math.Min(math.Max(atm*(1-0.08*m+0.012*m*m), 0.05), 2)
				for _, r := range []Right{Call, Put} {
					if len(c.Strike) == n {
						break
					}
					c.Strike = append(c.Strike, k)
					c.Years = append(c.Years, t)
					c.Right = append(c.Right, r)
					vol = append(vol, v)
				}
			}
		}
	}
	price = make([]float64, n)
	if err := Compute(c, vol, &Greeks{Price: price}); err != nil {
		panic(err) // the chain is well formed by construction
	}
	return c, vol, price
}

// BenchResult holds the times Measure found, in nanoseconds per option, each from the
// fastest of its rounds.
type BenchResult struct {
	Options  int     // contracts in the chain
	Priced   int     // contracts with a price to invert (positive time value)
	Greeks   float64 // Compute: price and all greeks
	Values   float64 // Option.Values called contract by contract
	Textbook float64 // textbook scalar code with math.Erfc, math.Exp, math.Log
	IV       float64 // ImpliedVol
	IVOne    float64 // Option.ImpliedVol called contract by contract
	Vector   bool    // Compute used the AVX-512 kernel (a GOEXPERIMENT=simd build)
}

// Measure times the bulk and the one-at-a-time paths on SyntheticChain(n, 1), running
// them alternately for the given number of rounds and keeping each path's fastest
// round, so that the figures and their ratios hold on a busy machine. It uses the
// calling goroutine only.
func Measure(n, rounds int) BenchResult {
	c, vol, price := SyntheticChain(n, 1)
	n = c.Len()
	g := Greeks{
		Price: make([]float64, n), Delta: make([]float64, n), Gamma: make([]float64, n),
		ThetaPerYear: make([]float64, n), ThetaPerDay: make([]float64, n),
		VegaPerPoint: make([]float64, n), RhoPerPoint: make([]float64, n),
	}
	iv, why := make([]float64, n), make([]Reason, n)
	res := BenchResult{Options: n, Vector: vectorKernel()}
	for i := range price {
		if o := c.option(i); price[i] > 0 {
			if _, r := o.ImpliedVol(price[i]); r == OK {
				res.Priced++
			}
		}
	}
	var sink float64
	best := func(d *float64, f func()) {
		start := time.Now()
		f()
		if e := float64(time.Since(start).Nanoseconds()) / float64(n); *d == 0 || e < *d {
			*d = e
		}
	}
	for range max(rounds, 1) {
		best(&res.Greeks, func() { _ = Compute(c, vol, &g) })
		best(&res.Values, func() {
			for i := range n {
				v, _ := c.option(i).Values(vol[i])
				sink += v.Price + v.Delta + v.Gamma + v.ThetaPerDay + v.VegaPerPoint + v.RhoPerPoint
			}
		})
		best(&res.Textbook, func() {
			for i := range n {
				p, d, gm, th, vg, rh := textbook(c.Right[i] == Call, c.Spot, c.Strike[i], c.Years[i], c.Rate, c.Dividend, vol[i])
				sink += p + d + gm + th + vg + rh
			}
		})
		best(&res.IV, func() { _ = ImpliedVol(c, price, iv, why) })
		best(&res.IVOne, func() {
			for i := range n {
				v, _ := c.option(i).ImpliedVol(price[i])
				sink += v
			}
		})
	}
	if sink == 42 { // keep the loops from being optimised away
		res.Options++
	}
	return res
}

// option returns contract i of c as an Option.
func (c *Chain) option(i int) Option {
	o := Option{Right: c.Right[i], Spot: c.Spot, Strike: c.Strike[i], Years: c.Years[i], Rate: c.Rate, Dividend: c.Dividend}
	if c.Style != nil {
		o.Style = c.Style[i]
	}
	return o
}

// textbook is the Black-Scholes-Merton price and greeks as scalar code usually writes
// them, with the standard library's special functions: the baseline of Measure.
func textbook(call bool, s, k, t, r, q, v float64) (price, delta, gamma, theta, vega, rho float64) {
	sd := v * math.Sqrt(t)
	d1 := (math.Log(s/k) + (r-q+0.5*v*v)*t) / sd
	d2 := d1 - sd
	df, dq := math.Exp(-r*t), math.Exp(-q*t)
	pdf := math.Exp(-0.5*d1*d1) / math.Sqrt(2*math.Pi)
	cdf := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	gamma = dq * pdf / (s * sd)
	vega = s * dq * pdf * math.Sqrt(t) / 100
	decay := -s * dq * pdf * v / (2 * math.Sqrt(t))
	if call {
		n1, n2 := cdf(d1), cdf(d2)
		price = s*dq*n1 - k*df*n2
		delta = dq * n1
		theta = (decay - r*k*df*n2 + q*s*dq*n1) / DaysPerYear
		rho = k * t * df * n2 / 100
	} else {
		n1, n2 := cdf(-d1), cdf(-d2)
		price = k*df*n2 - s*dq*n1
		delta = -dq * n1
		theta = (decay + r*k*df*n2 - q*s*dq*n1) / DaysPerYear
		rho = -k * t * df * n2 / 100
	}
	return
}

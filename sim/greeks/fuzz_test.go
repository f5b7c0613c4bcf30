package greeks

import (
	"math"
	"testing"
)

// FuzzImpliedVol feeds arbitrary inputs to the implied-volatility solver. It must not
// panic or hang; it must return either a positive finite σ with OK or NaN with a
// reason; and a European σ must reprice the input to within the rounding of the
// forward and the price.
func FuzzImpliedVol(f *testing.F) {
	f.Add(true, false, 100.0, 100.0, 0.5, 0.03, 0.01, 5.0)
	f.Add(false, false, 100.0, 30.0, 1.0/525600, 0.05, 0.02, 1e-12)
	f.Add(true, false, 100.0, 300.0, 3.0, 0.05, 0.0, 1e-300)
	f.Add(false, true, 36.0, 40.0, 1.0, 0.06, 0.0, 4.4628)
	f.Add(true, true, 42.0, 40.0, 0.75, 0.04, 0.08, 5.2869)
	f.Add(true, false, 1e300, 1e-300, 1e10, -1.0, 2.0, 1e299)
	f.Fuzz(func(t *testing.T, call, american bool, s, k, years, r, q, price float64) {
		o := Option{Right: Put, Spot: s, Strike: k, Years: years, Rate: r, Dividend: q}
		if call {
			o.Right = Call
		}
		if american {
			o.Style = American
		}
		sigma, why := o.ImpliedVol(price)
		if why != OK {
			if !math.IsNaN(sigma) {
				t.Fatalf("%+v price %g: reason %v with σ = %g", o, price, why, sigma)
			}
			return
		}
		if !(sigma > 0 && sigma <= math.MaxFloat64) {
			t.Fatalf("%+v price %g: σ = %g with reason OK", o, price, sigma)
		}
		if american {
			return
		}
		v, why := o.Values(sigma)
		// Rounding of the forward moves the price by up to ε·|Δ|·S and the price's own
		// rounding by ε·P; and with h = ln(F/K)/(σ√T), t = σ√T/2 every term carries a
		// factor e^{−(h²+t²)/2} whose argument is rounded, so relative errors grow with
		// h² + t² in any implementation.
		sd := sigma * math.Sqrt(years)
		h := (math.Log(s/k) + (r-q)*years) / sd
		cond := 1 + h*h + sd*sd/4
		tol := 64 * dblEpsilon * (price + math.Abs(v.Delta)*s + k*math.Exp(-r*years)) * cond
		if why == OK && !(math.Abs(v.Price-price) <= tol) && v.VegaPerPoint > 0 && !math.IsInf(v.Price, 0) {
			t.Fatalf("%+v price %.17g: σ = %.17g reprices to %.17g", o, price, sigma, v.Price)
		}
	})
}

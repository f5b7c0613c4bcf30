package greeks

import (
	"math"
	"testing"
)

// TestBivariateCDF checks M(a, b, ρ) against the closed form at the origin,
// M(0, 0, ρ) = 1/4 + asin(ρ)/(2π), against Φ(a)Φ(b) at ρ = 0, and elsewhere against
// direct integration of ∫_{−∞}^{a} φ(x)·Φ((b − ρx)/√(1−ρ²)) dx by Simpson's rule.
func TestBivariateCDF(t *testing.T) {
	// ±bs2002Rho take the tabulated path used by the American formula.
	rhos := []float64{-0.999, -0.95, -0.9, -bs2002Rho, -0.786, -0.5, -0.1, 0, 0.2, 0.6, 0.786, bs2002Rho, 0.9, 0.95, 0.999}
	for _, rho := range rhos {
		want := 0.25 + math.Asin(rho)/(2*math.Pi)
		if got := bivariateCDF(0, 0, rho); math.Abs(got-want) > 1e-15 {
			t.Errorf("M(0, 0, %g) = %.17g, want %.17g", rho, got, want)
		}
	}
	xs := []float64{-6, -2.5, -0.5, 0, 0.7, 2, 5}
	for _, a := range xs {
		for _, b := range xs {
			if got, want := bivariateCDF(a, b, 0), normCDF(a)*normCDF(b); math.Abs(got-want) > 1e-15 {
				t.Errorf("M(%g, %g, 0) = %.17g, want %.17g", a, b, got, want)
			}
			for _, rho := range rhos {
				want := simpsonBVN(a, b, rho)
				if got := bivariateCDF(a, b, rho); math.Abs(got-want) > 1e-12 {
					t.Errorf("M(%g, %g, %g) = %.17g, want %.17g", a, b, rho, got, want)
				}
			}
		}
	}
}

// simpsonBVN integrates the bivariate normal distribution function directly.
func simpsonBVN(a, b, rho float64) float64 {
	lo := -12.0
	if a <= lo {
		return 0
	}
	n := 20000
	if math.Abs(rho) > 0.99 {
		n = 80000 // the integrand steepens as |ρ| → 1
	}
	h := (a - lo) / float64(n)
	sr := math.Sqrt(1 - rho*rho)
	f := func(x float64) float64 {
		return math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi) * 0.5 * math.Erfc(-(b-rho*x)/sr/math.Sqrt2)
	}
	sum := f(lo) + f(a)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += w * f(lo+float64(i)*h)
	}
	return sum * h / 3
}

package greeks

import (
	"math"
	"testing"
)

// Published European values: E. G. Haug, "The Complete Guide to Option Pricing
// Formulas" (McGraw-Hill 1998), pages 2–27, as tabulated in QuantLib's test suite
// (test-suite/europeanoption.cpp, testValues), tolerance 1e-4 as there. QuantLib's
// suite measures T on an Actual/360 count with whole days; every T below is a whole
// number of those days, so the year fractions are exactly the listed values.
var haugValues = []struct {
	right              Right
	k, s, q, r, t, vol float64
	want               float64
}{
	{Call, 65, 60, 0, 0.08, 0.25, 0.30, 2.1334},
	{Put, 95, 100, 0.05, 0.10, 0.50, 0.20, 2.4648},
	{Put, 19, 19, 0.10, 0.10, 0.75, 0.28, 1.7011},
	{Call, 19, 19, 0.10, 0.10, 0.75, 0.28, 1.7011},
	{Call, 1.60, 1.56, 0.08, 0.06, 0.50, 0.12, 0.0291},
	{Put, 70, 75, 0.05, 0.10, 0.50, 0.35, 4.0870},
	{Call, 100, 90, 0.10, 0.10, 0.10, 0.15, 0.0205},
	{Call, 100, 100, 0.10, 0.10, 0.10, 0.15, 1.8734},
	{Call, 100, 110, 0.10, 0.10, 0.10, 0.15, 9.9413},
	{Call, 100, 90, 0.10, 0.10, 0.10, 0.25, 0.3150},
	{Call, 100, 100, 0.10, 0.10, 0.10, 0.25, 3.1217},
	{Call, 100, 110, 0.10, 0.10, 0.10, 0.25, 10.3556},
	{Call, 100, 90, 0.10, 0.10, 0.10, 0.35, 0.9474},
	{Call, 100, 100, 0.10, 0.10, 0.10, 0.35, 4.3693},
	{Call, 100, 110, 0.10, 0.10, 0.10, 0.35, 11.1381},
	{Call, 100, 90, 0.10, 0.10, 0.50, 0.15, 0.8069},
	{Call, 100, 100, 0.10, 0.10, 0.50, 0.15, 4.0232},
	{Call, 100, 110, 0.10, 0.10, 0.50, 0.15, 10.5769},
	{Call, 100, 90, 0.10, 0.10, 0.50, 0.25, 2.7026},
	{Call, 100, 100, 0.10, 0.10, 0.50, 0.25, 6.6997},
	{Call, 100, 110, 0.10, 0.10, 0.50, 0.25, 12.7857},
	{Call, 100, 90, 0.10, 0.10, 0.50, 0.35, 4.9329},
	{Call, 100, 100, 0.10, 0.10, 0.50, 0.35, 9.3679},
	{Call, 100, 110, 0.10, 0.10, 0.50, 0.35, 15.3086},
	{Put, 100, 90, 0.10, 0.10, 0.10, 0.15, 9.9210},
	{Put, 100, 100, 0.10, 0.10, 0.10, 0.15, 1.8734},
	{Put, 100, 110, 0.10, 0.10, 0.10, 0.15, 0.0408},
	{Put, 100, 90, 0.10, 0.10, 0.10, 0.25, 10.2155},
	{Put, 100, 100, 0.10, 0.10, 0.10, 0.25, 3.1217},
	{Put, 100, 110, 0.10, 0.10, 0.10, 0.25, 0.4551},
	{Put, 100, 90, 0.10, 0.10, 0.10, 0.35, 10.8479},
	{Put, 100, 100, 0.10, 0.10, 0.10, 0.35, 4.3693},
	{Put, 100, 110, 0.10, 0.10, 0.10, 0.35, 1.2376},
	{Put, 100, 90, 0.10, 0.10, 0.50, 0.15, 10.3192},
	{Put, 100, 100, 0.10, 0.10, 0.50, 0.15, 4.0232},
	{Put, 100, 110, 0.10, 0.10, 0.50, 0.15, 1.0646},
	{Put, 100, 90, 0.10, 0.10, 0.50, 0.25, 12.2149},
	{Put, 100, 100, 0.10, 0.10, 0.50, 0.25, 6.6997},
	{Put, 100, 110, 0.10, 0.10, 0.50, 0.25, 3.2734},
	{Put, 100, 90, 0.10, 0.10, 0.50, 0.35, 14.4452},
	{Put, 100, 100, 0.10, 0.10, 0.50, 0.35, 9.3679},
	{Put, 100, 110, 0.10, 0.10, 0.50, 0.35, 5.7963},
	{Call, 40, 42, 0.08, 0.04, 0.75, 0.35, 5.0975},
}

func TestPublishedPrices(t *testing.T) {
	for _, c := range haugValues {
		o := Option{Right: c.right, Spot: c.s, Strike: c.k, Years: c.t, Rate: c.r, Dividend: c.q}
		v, why := o.Values(c.vol)
		if why != OK || math.Abs(v.Price-c.want) > 1e-4 {
			t.Errorf("%v K=%g S=%g q=%g r=%g T=%g σ=%g: price %.6f (%v), want %.4f", c.right, c.k, c.s, c.q, c.r, c.t, c.vol, v.Price, why, c.want)
		}
	}
}

// Published greeks: Haug (1998) pages 11–16, as tabulated in QuantLib's test suite
// (testGreekValues). Vega there is per 1.00 of volatility, theta and rho per year and
// per 1.00 of rate; the conversions to this package's units are spelled out.
func TestPublishedGreeks(t *testing.T) {
	type greek func(Values) float64
	cases := []struct {
		name               string
		right              Right
		k, s, q, r, t, vol float64
		get                greek
		want               float64
	}{
		{"delta", Call, 100, 105, 0.10, 0.10, 0.5, 0.36, func(v Values) float64 { return v.Delta }, 0.5946},
		{"delta", Put, 100, 105, 0.10, 0.10, 0.5, 0.36, func(v Values) float64 { return v.Delta }, -0.3566},
		{"elasticity", Put, 100, 105, 0.10, 0.10, 0.5, 0.36, func(v Values) float64 { return v.Delta * 105 / v.Price }, -4.8775},
		{"gamma", Call, 60, 55, 0, 0.10, 0.75, 0.30, func(v Values) float64 { return v.Gamma }, 0.0278},
		{"gamma", Put, 60, 55, 0, 0.10, 0.75, 0.30, func(v Values) float64 { return v.Gamma }, 0.0278},
		{"vega per 1.00", Call, 60, 55, 0, 0.10, 0.75, 0.30, func(v Values) float64 { return 100 * v.VegaPerPoint }, 18.9358},
		{"vega per 1.00", Put, 60, 55, 0, 0.10, 0.75, 0.30, func(v Values) float64 { return 100 * v.VegaPerPoint }, 18.9358},
		{"theta per year", Put, 405, 430, 0.05, 0.07, 1.0 / 12, 0.20, func(v Values) float64 { return v.ThetaPerYear }, -31.1924},
		{"theta per day", Put, 405, 430, 0.05, 0.07, 1.0 / 12, 0.20, func(v Values) float64 { return v.ThetaPerDay }, -0.0855},
		{"rho per 1.00", Call, 75, 72, 0, 0.09, 1, 0.19, func(v Values) float64 { return 100 * v.RhoPerPoint }, 38.7325},
	}
	for _, c := range cases {
		o := Option{Right: c.right, Spot: c.s, Strike: c.k, Years: c.t, Rate: c.r, Dividend: c.q}
		v, why := o.Values(c.vol)
		if got := c.get(v); why != OK || math.Abs(got-c.want) > 1e-4 {
			t.Errorf("%s %v K=%g S=%g: got %.6f (%v), want %.4f", c.name, c.right, c.k, c.s, got, why, c.want)
		}
	}
}

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

// TestGridValues compares Compute with price and greeks computed at 50 digits
// (testdata/grid.csv): T from one minute to three years, K/S from 0.3 to 3, σ from 1%
// to 300%, calls and puts. Each value must agree to 1e-12 relative, except where the
// problem itself is worse conditioned: rounding the inputs to float64 (and computing
// ln(F/K) and d1 from them, as any implementation must) moves the values by about
// ε·(1 + d1² + 1/(σ√T)) relative, and prices and deltas far below S and 1 are held to
// a few ulps of those instead.
func TestGridValues(t *testing.T) {
	_, rows := readCSV(t, "grid.csv")
	c := &Chain{Spot: 100, Rate: 0.05, Dividend: 0.02}
	var vol []float64
	want := make([][6]float64, 0, len(rows))
	for _, row := range rows {
		c.Right = append(c.Right, right(row[0]))
		c.Strike = append(c.Strike, num(t, row, 2))
		c.Years = append(c.Years, num(t, row, 3))
		vol = append(vol, num(t, row, 6))
		var w [6]float64
		for j := range w {
			w[j] = num(t, row, 7+j)
		}
		want = append(want, w)
	}
	n := c.Len()
	g := Greeks{Price: make([]float64, n), Delta: make([]float64, n), Gamma: make([]float64, n),
		VegaPerPoint: make([]float64, n), ThetaPerYear: make([]float64, n), RhoPerPoint: make([]float64, n)}
	if err := Compute(c, vol, &g); err != nil {
		t.Fatal(err)
	}
	names := []string{"price", "delta", "gamma", "vega", "theta", "rho"}
	var worst [6]float64
	loose := 0 // values off by more than 1e-12 relative, allowed by their conditioning
	for i := range n {
		sd := vol[i] * math.Sqrt(c.Years[i])
		d1 := (math.Log(c.Spot/c.Strike[i])+(c.Rate-c.Dividend)*c.Years[i])/sd + sd/2
		cond := 1 + d1*d1 + 1/sd // how far rounding the inputs moves the values, relative
		got := [6]float64{g.Price[i], g.Delta[i], g.Gamma[i], 100 * g.VegaPerPoint[i], g.ThetaPerYear[i], 100 * g.RhoPerPoint[i]}
		scale := [6]float64{c.Spot, 1, 0, 0, 0, 0} // absolute floors of price and delta
		for j := range got {
			w := want[i][j]
			err := math.Abs(got[j]-w) / max(math.Abs(w), 1e-300)
			if w == 0 && got[j] == 0 {
				err = 0
			}
			floor := 4 * dblEpsilon * scale[j] / max(math.Abs(w), 1e-300)
			worst[j] = max(worst[j], min(err, err/cond))
			if err > 1e-12 && math.Abs(got[j]-w) > 1e-300 {
				loose++
			}
			if err > max(1e-12, 16*dblEpsilon*cond, floor) && math.Abs(got[j]-w) > 1e-300 {
				t.Errorf("%v K=%g T=%.3g σ=%g: %s %.17g, want %.17g (rel err %.2g, cond %.2g)",
					c.Right[i], c.Strike[i], c.Years[i], vol[i], names[j], got[j], w, err, cond)
			}
		}
	}
	t.Logf("%d contracts; worst relative error (divided by the conditioning where above 1): price %.2g, delta %.2g, gamma %.2g, vega %.2g, theta %.2g, rho %.2g; %d of %d values beyond 1e-12 relative, all within their conditioning",
		n, worst[0], worst[1], worst[2], worst[3], worst[4], worst[5], loose, 6*n)
}

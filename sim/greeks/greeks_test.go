package greeks

import (
	"math"
	"testing"
)

// testChain is a chain over a wide grid: T from one minute to three years, K/S from
// 0.3 to 3, calls and puts, with volatilities from 1% to 300% cycling through it.
func testChain(style Style) (*Chain, []float64) {
	c := &Chain{Spot: 100, Rate: 0.045, Dividend: 0.013}
	var vol []float64
	ts := []float64{1.0 / (365 * 1440), 1.0 / (365 * 24), 1.0 / 365, 7.0 / 365, 30.0 / 365, 0.25, 1, 3}
	ks := []float64{30, 50, 70, 85, 95, 99, 100, 101, 105, 115, 150, 200, 300}
	vs := []float64{0.01, 0.05, 0.12, 0.25, 0.5, 1, 3}
	i := 0
	for _, t := range ts {
		for _, k := range ks {
			for _, r := range []Right{Call, Put} {
				c.Strike = append(c.Strike, k)
				c.Years = append(c.Years, t)
				c.Right = append(c.Right, r)
				c.Style = append(c.Style, style)
				vol = append(vol, vs[i%len(vs)])
				i++
			}
		}
	}
	return c, vol
}

// TestPutCallParity checks C − P = S·e^{−qT} − K·e^{−rT} to 1e-12 of the larger of
// the two prices, over the test chain.
func TestPutCallParity(t *testing.T) {
	c, vol := testChain(European)
	for i := 0; i < c.Len(); i += 2 {
		o := c.option(i)
		call, _ := o.Values(vol[i])
		o.Right = Put
		put, _ := o.Values(vol[i])
		fwd := o.Spot*math.Exp(-o.Dividend*o.Years) - o.Strike*math.Exp(-o.Rate*o.Years)
		scale := math.Max(call.Price, put.Price)
		if d := call.Price - put.Price - fwd; math.Abs(d) > 1e-12*scale {
			t.Errorf("K=%g T=%.3g σ=%g: C=%.17g P=%.17g, C−P−(Se^{−qT}−Ke^{−rT}) = %.3g", o.Strike, o.Years, vol[i], call.Price, put.Price, d)
		}
		if d := call.Delta - put.Delta - math.Exp(-o.Dividend*o.Years); math.Abs(d) > 1e-15 {
			t.Errorf("K=%g T=%.3g: delta parity off by %.3g", o.Strike, o.Years, d)
		}
	}
}

// diff returns a fourth-order central difference of f at x with step h.
func diff(f func(float64) float64, x, h float64) float64 {
	return (f(x-2*h) - 8*f(x-h) + 8*f(x+h) - f(x+2*h)) / (12 * h)
}

// TestGreeksFiniteDifference checks every European greek against a central finite
// difference of the price (gamma against one of delta): delta and gamma in S, vega in
// σ, theta in T (ThetaPerYear = −∂V/∂T), rho in r with q fixed.
func TestGreeksFiniteDifference(t *testing.T) {
	for _, rt := range []Right{Call, Put} {
		for _, k := range []float64{60, 90, 100, 110, 160} {
			for _, tt := range []float64{7.0 / 365, 0.25, 2} {
				for _, v := range []float64{0.08, 0.3, 1.2} {
					o := Option{Right: rt, Spot: 100, Strike: k, Years: tt, Rate: 0.04, Dividend: 0.015}
					g, _ := o.Values(v)
					price := func(o Option, v float64) float64 { x, _ := o.Values(v); return x.Price }
					fd := Values{
						Delta:        diff(func(s float64) float64 { p := o; p.Spot = s; return price(p, v) }, o.Spot, 0.01),
						Gamma:        diff(func(s float64) float64 { p := o; p.Spot = s; x, _ := p.Values(v); return x.Delta }, o.Spot, 0.01),
						ThetaPerYear: -diff(func(y float64) float64 { p := o; p.Years = y; return price(p, v) }, o.Years, 1e-3*o.Years),
						VegaPerPoint: diff(func(s float64) float64 { return price(o, s) }, v, 1e-3*v) / 100,
						RhoPerPoint:  diff(func(r float64) float64 { p := o; p.Rate = r; return price(p, v) }, o.Rate, 1e-4) / 100,
					}
					check := func(name string, got, want float64) {
						if math.Abs(got-want) > 1e-7*(math.Abs(want)+1e-3) {
							t.Errorf("%v K=%g T=%.3g σ=%g: %s = %.12g, finite difference %.12g", rt, k, tt, v, name, got, want)
						}
					}
					check("delta", g.Delta, fd.Delta)
					check("gamma", g.Gamma, fd.Gamma)
					check("theta/year", g.ThetaPerYear, fd.ThetaPerYear)
					check("theta/day", g.ThetaPerDay, fd.ThetaPerYear/365)
					check("vega/point", g.VegaPerPoint, fd.VegaPerPoint)
					check("rho/point", g.RhoPerPoint, fd.RhoPerPoint)
				}
			}
		}
	}
}

// TestBadInputs checks that invalid inputs give NaN and the right reason, in the
// one-contract and the bulk API alike, and never a panic or a hang.
func TestBadInputs(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	good := Option{Right: Call, Spot: 100, Strike: 100, Years: 0.5, Rate: 0.03, Dividend: 0.01}
	amPut := good
	amPut.Right, amPut.Style = Put, American
	with := func(o Option, f func(*Option)) Option { f(&o); return o }
	cases := []struct {
		name  string
		o     Option
		vol   float64 // for Values
		price float64 // for ImpliedVol
		want  Reason  // from both unless wantIV is set
		iv    Reason
	}{
		{"ok", good, 0.2, 5, OK, OK},
		{"spot zero", with(good, func(o *Option) { o.Spot = 0 }), 0.2, 5, BadSpot, BadSpot},
		{"spot NaN", with(good, func(o *Option) { o.Spot = nan }), 0.2, 5, BadSpot, BadSpot},
		{"spot Inf", with(good, func(o *Option) { o.Spot = inf }), 0.2, 5, BadSpot, BadSpot},
		{"strike negative", with(good, func(o *Option) { o.Strike = -1 }), 0.2, 5, BadStrike, BadStrike},
		{"strike NaN", with(good, func(o *Option) { o.Strike = nan }), 0.2, 5, BadStrike, BadStrike},
		{"rate NaN", with(good, func(o *Option) { o.Rate = nan }), 0.2, 5, BadRate, BadRate},
		{"dividend Inf", with(good, func(o *Option) { o.Dividend = -inf }), 0.2, 5, BadRate, BadRate},
		{"expired", with(good, func(o *Option) { o.Years = 0 }), 0.2, 5, Expired, Expired},
		{"T negative", with(good, func(o *Option) { o.Years = -0.1 }), 0.2, 5, Expired, Expired},
		{"T NaN", with(good, func(o *Option) { o.Years = nan }), 0.2, 5, Expired, Expired},
		{"right zero", with(good, func(o *Option) { o.Right = 0 }), 0.2, 5, BadRight, BadRight},
		{"style unknown", with(good, func(o *Option) { o.Style = 7 }), 0.2, 5, BadRight, BadRight},
		{"vol zero", good, 0, 5, BadVol, OK},
		{"vol NaN", good, nan, 5, BadVol, OK},
		{"vol Inf", good, inf, 5, BadVol, OK},
		{"price NaN", good, 0.2, nan, OK, BadPrice},
		{"price negative", good, 0.2, -1, OK, BadPrice},
		{"price Inf", good, 0.2, inf, OK, BadPrice},
		{"price zero", with(good, func(o *Option) { o.Strike = 150 }), 0.2, 0, OK, NoTimeValue},
		{"price zero in the money", good, 0.2, 0, OK, BelowIntrinsic},
		{"below intrinsic", with(good, func(o *Option) { o.Strike = 50 }), 0.2, 49, OK, BelowIntrinsic},
		{"at intrinsic", with(good, func(o *Option) { o.Strike = 50; o.Rate = 0; o.Dividend = 0 }), 0.2, 50, OK, NoTimeValue},
		{"above maximum", good, 0.2, 100, OK, AboveMaximum},
		{"put above strike", with(good, func(o *Option) { o.Right = Put }), 0.2, 99.9, OK, AboveMaximum},
		{"American put ok", amPut, 0.2, 5, OK, OK},
		{"American put at intrinsic", with(amPut, func(o *Option) { o.Spot = 50 }), 0.2, 50, OK, NoTimeValue},
		{"American put below intrinsic", with(amPut, func(o *Option) { o.Spot = 50 }), 0.2, 49.9, OK, BelowIntrinsic},
		{"American put above strike", amPut, 0.2, 100, OK, AboveMaximum},
		{"American put NaN", amPut, 0.2, nan, OK, BadPrice},
		{"American T zero", with(amPut, func(o *Option) { o.Years = 0 }), 0.2, 5, Expired, Expired},
	}
	for _, c := range cases {
		v, why := c.o.Values(c.vol)
		if why != c.want || (why == OK) == math.IsNaN(v.Price) || (why == OK) == math.IsNaN(v.VegaPerPoint) {
			t.Errorf("%s: Values gave %+v, %v; want reason %v", c.name, v, why, c.want)
		}
		want := c.want
		if want == OK || want == BadVol {
			want = c.iv
		}
		iv, why := c.o.ImpliedVol(c.price)
		if why != want || (why == OK) == math.IsNaN(iv) {
			t.Errorf("%s: ImpliedVol gave %v, %v; want reason %v", c.name, iv, why, want)
		}
		// The bulk path gives the same.
		ch := &Chain{Spot: c.o.Spot, Rate: c.o.Rate, Dividend: c.o.Dividend, Strike: []float64{c.o.Strike},
			Years: []float64{c.o.Years}, Right: []Right{c.o.Right}, Style: []Style{c.o.Style}}
		vol, reason := []float64{0}, []Reason{99}
		if err := ImpliedVol(ch, []float64{c.price}, vol, reason); err != nil || reason[0] != why || !same(vol[0], iv) {
			t.Errorf("%s: bulk ImpliedVol gave %v, %v, %v; want %v, %v", c.name, vol[0], reason[0], err, iv, why)
		}
	}
}

// same reports whether a and b are equal or both NaN.
func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// TestBulkMatchesOne checks that Compute and ImpliedVol give, bit for bit, what the
// one-contract API gives, on a mixed chain with American contracts and bad entries.
func TestBulkMatchesOne(t *testing.T) {
	c, vol := testChain(European)
	for i := range c.Style {
		if i%7 == 3 {
			c.Style[i] = American
		}
	}
	c.Strike[5], c.Years[9], vol[11] = math.NaN(), 0, -1
	n := c.Len()
	g := Greeks{Price: make([]float64, n), Delta: make([]float64, n), Gamma: make([]float64, n),
		ThetaPerYear: make([]float64, n), ThetaPerDay: make([]float64, n), VegaPerPoint: make([]float64, n),
		RhoPerPoint: make([]float64, n), Reason: make([]Reason, n)}
	if err := Compute(c, vol, &g); err != nil {
		t.Fatal(err)
	}
	ivs, why := make([]float64, n), make([]Reason, n)
	if err := ImpliedVol(c, g.Price, ivs, why); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		o := c.option(i)
		v, r := o.Values(vol[i])
		got := Values{g.Price[i], g.Delta[i], g.Gamma[i], g.ThetaPerYear[i], g.ThetaPerDay[i], g.VegaPerPoint[i], g.RhoPerPoint[i]}
		if r != g.Reason[i] || !same(v.Price, got.Price) || !same(v.Delta, got.Delta) || !same(v.Gamma, got.Gamma) ||
			!same(v.ThetaPerYear, got.ThetaPerYear) || !same(v.ThetaPerDay, got.ThetaPerDay) ||
			!same(v.VegaPerPoint, got.VegaPerPoint) || !same(v.RhoPerPoint, got.RhoPerPoint) {
			t.Errorf("contract %d: bulk %+v (%v), one at a time %+v (%v)", i, got, g.Reason[i], v, r)
		}
		iv, r := o.ImpliedVol(g.Price[i])
		if r != why[i] || !same(iv, ivs[i]) {
			t.Errorf("contract %d: bulk σ %v (%v), one at a time %v (%v)", i, ivs[i], why[i], iv, r)
		}
	}
}

// TestNoAllocation checks that the bulk paths allocate nothing.
func TestNoAllocation(t *testing.T) {
	c, vol := testChain(European)
	c.Style[3], c.Style[40] = American, American
	n := c.Len()
	g := Greeks{Price: make([]float64, n), Delta: make([]float64, n), VegaPerPoint: make([]float64, n), Reason: make([]Reason, n)}
	ivs, why := make([]float64, n), make([]Reason, n)
	if a := testing.AllocsPerRun(5, func() { _ = Compute(c, vol, &g) }); a != 0 {
		t.Errorf("Compute: %v allocations per run", a)
	}
	if a := testing.AllocsPerRun(5, func() { _ = ImpliedVol(c, g.Price, ivs, why) }); a != 0 {
		t.Errorf("ImpliedVol: %v allocations per run", a)
	}
}

// TestShapeErrors checks that mismatched slices are reported, not indexed out of range.
func TestShapeErrors(t *testing.T) {
	c := &Chain{Spot: 100, Strike: []float64{90, 100}, Years: []float64{1, 1}, Right: []Right{Call, Put}}
	short := make([]float64, 1)
	full := make([]float64, 2)
	if err := Compute(c, short, &Greeks{Price: full}); err == nil {
		t.Error("Compute accepted a short vol slice")
	}
	if err := Compute(c, full, &Greeks{Price: full, Delta: short}); err == nil {
		t.Error("Compute accepted a short Delta slice")
	}
	if err := ImpliedVol(c, full, short, nil); err == nil {
		t.Error("ImpliedVol accepted a short vol slice")
	}
	if err := ImpliedVol(c, full, full, make([]Reason, 1)); err == nil {
		t.Error("ImpliedVol accepted a short reason slice")
	}
	c.Years = c.Years[:1]
	if err := ImpliedVol(c, full, full, nil); err == nil {
		t.Error("ImpliedVol accepted a chain with fewer expiries than strikes")
	}
	c.Years, c.Style = []float64{1, 1}, []Style{American}
	if err := Compute(c, full, &Greeks{}); err == nil {
		t.Error("Compute accepted a chain with fewer styles than strikes")
	}
}

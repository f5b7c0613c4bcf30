package greeks

import (
	"math"
	"testing"
)

// TestNormalisedBlack compares b(x, s) with values computed at 50 digits
// (testdata/nblack.csv, made by testdata/genreference.py), over all four regions of
// the evaluation: asymptotic, small t, and either side of h + t = 0.
func TestNormalisedBlack(t *testing.T) {
	_, rows := readCSV(t, "nblack.csv")
	worst := 0.0
	for _, row := range rows {
		x, s, want := num(t, row, 0), num(t, row, 1), num(t, row, 2)
		got, _ := nblackValue(x, s, math.Exp(0.5*x))
		// b is as sensitive to s as ln b ≈ −(h²+t²)/2 makes it: relative errors of s
		// (or of x/s) are amplified by about h² + t². The cancellation between Mills
		// ratios for small t (see nblack) costs up to a few ulps more; what the
		// inversion needs, s to a few ulps, is checked by the round-trip tests.
		h, tt := x/s, s/2
		cond := 1 + h*h + tt*tt
		rel := math.Abs(got-want) / want
		worst = math.Max(worst, rel/cond)
		if rel > 16*dblEpsilon*cond {
			t.Errorf("b(%g, %g) = %.17g, want %.17g (rel err %.2g)", x, s, got, want, rel)
		}
	}
	t.Logf("%d points, worst relative error %.3g ε·(1+h²+t²)", len(rows), worst/dblEpsilon)
}

// TestImpliedVolGrid inverts prices computed at 50 digits over T from one minute to
// three years, K/S from 0.3 to 3 and σ from 1% to 300%, calls and puts.
//
// How well a float64 price determines σ: rounding the price moves it by ε·P, and
// rounding the forward F = S·e^{(r−q)T} (which any implementation must compute) moves
// it by up to ε·|Δ|·S; either moves σ by that over vega. Where this information limit
// is 1e-13 or better the recovered σ must be within 1e-12 relative, elsewhere within a
// small multiple of the limit. Prices with no time value left in float64 (zero, or
// equal to the intrinsic value) must be refused, and only those.
func TestImpliedVolGrid(t *testing.T) {
	_, rows := readCSV(t, "grid.csv")
	var checked, exact, refused int
	worst := 0.0
	for _, row := range rows {
		o := Option{Right: right(row[0]), Spot: num(t, row, 1), Strike: num(t, row, 2), Years: num(t, row, 3),
			Rate: num(t, row, 4), Dividend: num(t, row, 5)}
		sigma, price, delta, vega := num(t, row, 6), num(t, row, 7), num(t, row, 8), num(t, row, 10)
		got, why := o.ImpliedVol(price)
		info := math.Max(dblEpsilon*(price+math.Abs(delta)*o.Spot), 5e-324) / (sigma * vega)
		if why != OK {
			if info < 1e-6 && price > 1e-300 {
				t.Errorf("%v K=%g T=%.3g σ=%g price %.17g: %v, want σ", o.Right, o.Strike, o.Years, sigma, price, why)
			}
			refused++
			continue
		}
		checked++
		rel := math.Abs(got-sigma) / sigma
		tol := math.Max(1e-12, 8*info)
		if info <= 1e-13 {
			exact++
			worst = math.Max(worst, rel)
		}
		if rel > tol {
			t.Errorf("%v K=%g T=%.3g σ=%g price %.17g: σ = %.17g, rel err %.2g > %.2g", o.Right, o.Strike, o.Years, sigma, price, got, rel, tol)
		}
	}
	t.Logf("%d prices: %d inverted (%d determining σ to 1e-13: worst rel err %.2g), %d refused as carrying no time value", len(rows), checked, exact, worst, refused)
}

// TestImpliedVolTinyPrices inverts out-of-the-money prices of 1e-12, 1e-9 and 1e-6
// (S = 100) whose volatilities were found by root search at 50 digits
// (testdata/tiny.csv), from one minute to three years.
func TestImpliedVolTinyPrices(t *testing.T) {
	_, rows := readCSV(t, "tiny.csv")
	worst := 0.0
	for _, row := range rows {
		o := Option{Right: right(row[0]), Spot: num(t, row, 1), Strike: num(t, row, 2), Years: num(t, row, 3),
			Rate: num(t, row, 4), Dividend: num(t, row, 5)}
		price, sigma := num(t, row, 6), num(t, row, 7)
		got, why := o.ImpliedVol(price)
		rel := math.Abs(got-sigma) / sigma
		worst = math.Max(worst, rel)
		if why != OK || rel > 1e-12 {
			t.Errorf("%v K=%g T=%.3g price %g: σ = %.17g (%v), want %.17g (rel err %.2g)", o.Right, o.Strike, o.Years, price, got, why, sigma, rel)
		}
	}
	t.Logf("%d tiny prices, worst relative error %.2g", len(rows), worst)
}

// TestNormalisedRoundTrip checks the inversion alone over a dense grid of normalised
// inputs, x = ln(F/K) from −e^{-28} to −40 and s = σ√T from 1e-6 to 20: b(x, s) is
// computed and inverted, and the recovered s must agree to 1e-12 relative wherever b
// determines s that well (b's own rounding moves s by ε·b/(s·∂b/∂s)).
func TestNormalisedRoundTrip(t *testing.T) {
	worst := 0.0
	var n, skipped int
	for i := 0; i <= 120; i++ {
		x := -math.Exp(-28 + 32*float64(i)/120) // −7e-13 … −54
		bmax := math.Exp(0.5 * x)
		for j := 0; j <= 120; j++ {
			s := math.Exp(math.Log(1e-6) + math.Log(2e7)*float64(j)/120)
			b, v := nblackValue(x, s, bmax)
			if !(b > 0x1p-1022 && b < bmax) {
				skipped++
				continue
			}
			info := dblEpsilon * b / (s * v)
			got := normalisedVol(b, math.NaN(), x, bmax)
			rel := math.Abs(got-s) / s
			n++
			if info <= 1e-13 {
				worst = math.Max(worst, rel)
			}
			if rel > math.Max(1e-12, 8*info) {
				t.Errorf("x=%g s=%g b=%g: s = %.17g, rel err %.2g (info %.2g)", x, s, b, got, rel, info)
			}
		}
	}
	t.Logf("%d round trips (%d skipped: b underflows or rounds to bmax), worst rel err %.2g where b determines s", n, skipped, worst)
}

// TestImpliedVolRoundTrip prices a dense grid through Compute and inverts it through
// ImpliedVol: T from one minute to three years, K/S from 0.3 to 3, σ from 1% to 300%,
// calls and puts, European and American. Where the price determines σ to 1e-13 the
// European σ must come back to 1e-12; elsewhere within the information limit, and
// prices that round to their zero-volatility value must be refused. The American value
// is a sum of many terms, good to about 1e-13·S in absolute terms, and is flat in σ
// where immediate exercise is optimal; its σ must come back to 1e-10 where that
// precision determines it, and is not checked where it does not.
func TestImpliedVolRoundTrip(t *testing.T) {
	for _, style := range []Style{European, American} {
		c := &Chain{Spot: 100, Rate: 0.05, Dividend: 0.02}
		var vol []float64
		const nt, nk, nv = 24, 24, 24
		stepT, stepV := 5, 5
		if style == American {
			stepT, stepV = 3, 3 // the American path is much slower; thin the grid
		}
		for i := 0; i < nt; i += stepT {
			tt := math.Exp(math.Log(1.0/(365*1440)) + math.Log(3*365*1440)*float64(i)/(nt-1))
			for j := 0; j < nk; j++ {
				k := 100 * math.Exp(math.Log(0.3)+math.Log(10)*float64(j)/(nk-1))
				for l := 0; l < nv; l += stepV {
					v := math.Exp(math.Log(0.01) + math.Log(300)*float64(l)/(nv-1))
					for _, r := range []Right{Call, Put} {
						c.Strike = append(c.Strike, k)
						c.Years = append(c.Years, tt)
						c.Right = append(c.Right, r)
						c.Style = append(c.Style, style)
						vol = append(vol, v)
					}
				}
			}
		}
		n := c.Len()
		g := Greeks{Price: make([]float64, n), Delta: make([]float64, n), VegaPerPoint: make([]float64, n)}
		if err := Compute(c, vol, &g); err != nil {
			t.Fatal(err)
		}
		iv, why := make([]float64, n), make([]Reason, n)
		if err := ImpliedVol(c, g.Price, iv, why); err != nil {
			t.Fatal(err)
		}
		limit := 1e-12
		if style == American {
			limit = 1e-10
		}
		var inverted, refused int
		reasons := map[Reason]int{}
		worst, determined := 0.0, 1e-13
		if style == American {
			determined = 1e-11
		}
		for i := 0; i < n; i++ {
			vega := 100 * g.VegaPerPoint[i]
			noise := math.Max(dblEpsilon*(g.Price[i]+math.Abs(g.Delta[i])*c.Spot), 5e-324)
			if style == American {
				noise += 1e-13 * c.Spot
			}
			info := noise / (vol[i] * vega)
			if !(vega > 0) {
				info = math.Inf(1)
			}
			if why[i] != OK {
				refused++
				reasons[why[i]]++
				if info < 1e-6 {
					t.Errorf("%v %v K=%.4g T=%.3g σ=%.3g price %.17g: %v, want σ", style, c.Right[i], c.Strike[i], c.Years[i], vol[i], g.Price[i], why[i])
				}
				continue
			}
			inverted++
			rel := math.Abs(iv[i]-vol[i]) / vol[i]
			if info <= determined {
				worst = math.Max(worst, rel)
			}
			if rel > math.Max(limit, 100*info) {
				t.Errorf("%v %v K=%.4g T=%.3g σ=%.3g price %.17g: σ = %.17g, rel err %.2g (info %.2g)", style, c.Right[i], c.Strike[i], c.Years[i], vol[i], g.Price[i], iv[i], rel, info)
			}
		}
		t.Logf("%v: %d inverted, %d refused %v; worst rel err %.2g where the price determines σ to %g", style, inverted, refused, reasons, worst, determined)
	}
}

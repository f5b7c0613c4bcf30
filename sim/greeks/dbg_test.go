package greeks
import ("testing";"math")
func TestDbg(t *testing.T) {
	o := Option{Right: Put, Spot: 100, Strike: 90, Years: 30.0/365, Rate: 0.05, Dividend: 0.02}
	var e expiry; e.set(o.Years, o.Rate, o.Dividend)
	f := 100*e.growth; k := 90.0
	p := 5.1913961360184506e-312/e.df
	ax := math.Abs(math.Log(f/k)); bmax := math.Exp(-0.5*ax)
	scale := math.Max(f,k)*bmax
	beta := p/scale; lnBeta := math.Log(p)-math.Log(scale)
	x := -ax
	sc := math.Sqrt(-2*x); bc, _ := nblackValue(x, sc, bmax); vc := bmax*invSqrt2Pi
	s0 := sc - bc/vc; b0, _ := nblackValue(x, s0, bmax)
	t.Logf("x=%g beta=%g lnBeta=%.17g sc=%g bc=%g s0=%g b0=%g", x, beta, lnBeta, sc, bc, s0, b0)
	f0, fp, fpp := lowerMap(x, s0)
	r := convexControlRight(0, b0, 0, f0, 1, fp, fpp, true)
	t.Logf("f=%g fp=%g fpp=%g r=%g", f0, fp, fpp, r)
	s := inverseLowerMap(x, lnBeta)
	t.Logf("guess s=%.17g want %.17g", s, 0.01*math.Sqrt(o.Years))
	for i := 0; i < 6; i++ {
		lnv, a, _ := nblack(x, s)
		t.Logf("s=%.17g lnb=%.17g", s, lnv+math.Log(a))
		s = householderN(beta, lnBeta, x, bmax, s, dblMin, s0, objLower, 1)
	}
}

package greeks
import ("testing";"math")
// bs1993Call: the 1993 one-boundary version, for checking phi against QuantLib's values.
func bs1993Call(s, k, t, r, q, v float64) float64 {
	b := r - q; v2 := v*v; y := 0.5 - b/v2
	beta := y + math.Sqrt(y*y+2*r/v2)
	bInf := beta/(beta-1)*k; b0 := math.Max(k, r/q*k)
	h := -(b*t + 2*v*math.Sqrt(t)) * b0 / (bInf - b0)
	i := b0 + (bInf-b0)*(1-math.Exp(h))
	if s >= i { return s - k }
	lnA := math.Log(i-k)
	p := bsTerms{s: s, r: r, b: b, v: v, v2: v2, t: t, t1: t}
	return math.Exp(lnA+beta*math.Log(s/i)) - p.phi(lnA, i, beta, i, i) + p.phi(0, 1, 1, i, i) - p.phi(0, 1, 1, k, i) - k*p.phi(0, 1, 0, i, i) + k*p.phi(0, 1, 0, k, i)
}
func TestDbg93(t *testing.T) {
	t.Logf("1993 call %.6f want 5.2704", bs1993Call(42, 40, 0.75, 0.04, 0.08, 0.35))
	t.Logf("1993 put %.6f want 4.4531", bs1993Call(40, 36, 1, 0, 0.06, 0.2))
	t.Logf("1993 put S=100 r=.08 q=0 .2 .25 %.4f want 3.16", bs1993Call(100, 100, 0.25, 0, 0.08, 0.2))
	t.Logf("1993 put S=90 %.4f want 10.01; S=110 %.4f want 0.65", bs1993Call(100, 90, 0.25, 0, 0.08, 0.2), bs1993Call(100, 110, 0.25, 0, 0.08, 0.2))
	t.Logf("1993 call S=100 r=.08 q=.12 %.4f want 3.49", bs1993Call(100, 100, 0.25, 0.08, 0.12, 0.2))
	t.Logf("2002 call S=100 r=.08 q=.12 %.4f want 3.51", bs2002Call(100, 100, 0.25, 0.08, 0.12, 0.2))
}

package greeks

import "math"

// Implied volatility in the manner of P. Jäckel, "Let's Be Rational", Wilmott
// (January 2015) 40–53. Prices are normalised on the forward: with x = ln(F/K) and
// s = σ√T, the undiscounted price of a call divided by √(FK) is
//
//	b(x, s) = Φ(x/s + s/2)·e^{x/2} − Φ(x/s − s/2)·e^{−x/2},
//
// and by put-call parity every price maps to an out-of-the-money call with x ≤ 0, whose
// b rises from 0 to bmax = e^{x/2} as s goes from 0 to ∞. The inverse is found from a
// rational-cubic initial guess on one of four branches, each in a transformed variable
// that makes b nearly linear, followed by at most two third-order Householder steps on
// an objective chosen per branch. The result is accurate to a few units in the last
// place of s wherever the price determines it that well.

const (
	sqrt3           = 1.7320508075688772935274463415058723669428052538104 // √3
	twoPiOverSqrt27 = 1.2091995761561452337293855050947704881893774987276 // 2π/√27
	sqrtPiOver2     = 1.2533141373155002512078826424055226265034933703050 // √(π/2)

	smallT      = 0.1  // below it, and for |x| < smallX, b comes from a Taylor series in t
	smallX      = 0.05 // see smallT
	asymptoticH = -10  // for h+t below it b comes from the asymptotic series
	dblEpsilon  = 2.220446049250313e-16
	lbrMaxSteps = 2
)

// smallTBracket returns Y(h+t) − Y(h−t), with Y(z) = Φ(z)/φ(z), from its Taylor
// series in t, given d0 = Y(h) = mills(−h), for t < 0.1 and −10.1 ≤ h ≤ 0. The derivatives of Y follow from
// Y' = 1 + zY, that is Y⁽ⁿ⁺¹⁾ = n·Y⁽ⁿ⁻¹⁾ + z·Y⁽ⁿ⁾. Over that range of h the terms beyond
// t^7 are below 1e-17 of the sum for t < 0.01, beyond t^9 for t < 0.05 and beyond t^11
// for t < 0.1, so the series stops there.
func smallTBracket(h, t, d0 float64) float64 {
	d1 := 1 + h*d0
	d2 := d0 + h*d1
	d3 := 2*d1 + h*d2
	d4 := 3*d2 + h*d3
	d5 := 4*d3 + h*d4
	d6 := 5*d4 + h*d5
	d7 := 6*d5 + h*d6
	w := t * t
	if t < 0.01 {
		return 2 * t * (d1 + w*(d3*(1.0/6)+w*(d5*(1.0/120)+w*(d7*(1.0/5040)))))
	}
	d8 := 7*d6 + h*d7
	d9 := 8*d7 + h*d8
	if t < 0.05 {
		return 2 * t * (d1 + w*(d3*(1.0/6)+w*(d5*(1.0/120)+w*(d7*(1.0/5040)+w*(d9*(1.0/362880))))))
	}
	d10 := 9*d8 + h*d9
	d11 := 10*d9 + h*d10
	return 2 * t * (d1 + w*(d3*(1.0/6)+w*(d5*(1.0/120)+w*(d7*(1.0/5040)+w*(d9*(1.0/362880)+w*(d11*(1.0/39916800)))))))
}

// asymptoticBracket returns Y(h+t) − Y(h−t) for h+t ≤ −10 from the asymptotic series
// Y(z) = −1/z + 1/z³ − 3/z⁵ + 15/z⁷ − …, differenced term by term without cancellation:
// with u = 1/(h+t) and v = 1/(h−t), u^n − v^n = (u − v)·S_n where S_n is a sum of
// terms of one sign, and u − v = −2t/((h+t)(h−t)).
func asymptoticBracket(h, t float64) float64 {
	u := 1 / (h + t)
	v := 1 / (h - t)
	u2, v2, uv := u*u, v*v, u*v
	pu, pv := u2, v2 // u^{2k}, v^{2k}
	sn := 1.0        // S_{2k+1}
	c := -1.0        // (−1)^{k+1}(2k−1)!!
	sum := -1.0
	for k := 1; k < 40; k++ {
		sn = pu + pv + uv*sn
		c *= -float64(2*k - 1)
		term := c * sn
		sum += term
		if math.Abs(term) <= 0.5*dblEpsilon*math.Abs(sum) {
			break
		}
		pu *= u2
		pv *= v2
	}
	return -2 * t / ((h + t) * (h - t)) * sum
}

// nblackValue returns b(x, s) and ∂b/∂s for x ≤ 0, evaluated as the solver
// evaluates them (see ivLane.prepare), on a lane of one.
func nblackValue(x, s, bmax float64) (b, vega float64) {
	l := [1]ivLane{{x: x, bmax: bmax, wantV: true}}
	var z [2]float64
	nz := l[0].prepare(s, z[:])
	evalLanes(l[:], z[:nz])
	if l[0].hi {
		return bmax - l[0].v*l[0].a, l[0].v
	}
	return l[0].v * l[0].a, l[0].v
}

// The objective functions of the Householder steps.
const (
	objMiddle = iota // g = b − β
	objLower         // g = 1/ln b − 1/ln β
	objUpper         // g = ln((bmax − β)/(bmax − b))
)

// lowerMap returns f(b) = (2π/√27)·|x|·Φ(−z)³ with z = |x|/(√3·s), which is nearly
// linear in b for small b, and its first two derivatives with respect to b, at s.
// Jäckel writes the derivatives as 2π·y·Φ(−z)²·e^{y+s²/8} and
// (π/6)·(y/s³)·Φ(−z)·(8√3·s·|x| + (3s²(s²−8) − 8x²)·Φ(−z)/φ(z))·e^{2y+s²/4} with y = z²;
// with Φ(−z) = φ(z)·m and √(2π)·φ(z) = e^{−y/2} they need only the two exponentials
// e^{−y/2} and e^{s²/8}.
func lowerMap(x, s float64) (f, fp, fpp float64) {
	ax := math.Abs(x)
	z := ax / (sqrt3 * s)
	y := z * z
	s2 := s * s
	m := mills(z)             // Φ(−z)/φ(z)
	e := fastExp(-0.5 * y)    // √(2π)·φ(z)
	es := fastExp(0.125 * s2) // e^{s²/8}
	cdf := invSqrt2Pi * e * m // Φ(−z)
	f = twoPiOverSqrt27 * ax * cdf * cdf * cdf
	fp = y * m * m * es
	fpp = math.Pi / 6 * invSqrt2Pi * y / (s2 * s) * m / (e * e * e) * (8*sqrt3*s*ax + (3*s2*(s2-8)-8*x*x)*m) * es * es
	return f, fp, fpp
}

// inverseLowerMap returns the s at which lowerMap gives f, from lnRatio = ln(f/c) with
// c = (2π/√27)·|x|: Φ(−z) = (f/c)^{1/3}.
func inverseLowerMap(x, lnRatio float64) float64 {
	return math.Abs(math.Abs(x) / (sqrt3 * invNormCDFFromLog(lnRatio/3)))
}

// upperMap returns f(b) = Φ(−s/2), which is nearly linear in b near bmax, and its first
// two derivatives with respect to b, −e^{w/2}/2 and √(π/2)·e^{w+s²/8}·w/s with
// w = (x/s)², at s.
func upperMap(x, s float64) (f, fp, fpp float64) {
	e2 := fastExp(-0.125 * s * s) // √(2π)·φ(s/2)
	f = invSqrt2Pi * e2 * mills(0.5*s)
	if x == 0 {
		return f, -0.5, 0
	}
	w := (x / s) * (x / s)
	e1 := fastExp(0.5 * w)
	fp = -0.5 * e1
	fpp = sqrtPiOver2 * e1 * e1 / e2 * w / s
	return f, fp, fpp
}

// derivatives evaluates the lane's objective g at its iterate s from b's parts
// (lnv, a, hi), ∂b/∂s = v and the logarithm lg that ivStep took, tightens the
// bracket, and returns the ratios of a Householder step: −g/g′, g″/g′ and g‴/g′. ok
// is false where b has underflowed and the step must bisect.
func (l *ivLane) derivatives() (newton, halley, hh3 float64, ok bool) {
	beta, x, bmax, s := l.beta, l.x, l.bmax, l.s
	a, hi, v, is := l.a, l.hi, l.v, l.is // is = 1/s: derivatives runs at the iterate prepare saw
	h := x * is
	hs := h * is
	bh := h*hs - 0.25*s          // b''/b' = x²/s³ − s/4
	b3 := bh*bh - 3*hs*hs - 0.25 // b'''/b'
	switch l.obj {
	case objLower: // g = 1/ln b − 1/ln β
		lnb, bov := l.lg, a // ln b, b/b'
		if hi {
			bov = (bmax - v*a) / v
		}
		l.tighten(lnb > l.lnBeta, lnb < l.lnBeta)
		if !(a > 0) || math.IsInf(lnb, 0) || math.IsNaN(lnb) {
			return 0, 0, 0, false
		}
		// One division for the three reciprocals b'/b, 1/ln b and 1/ln β.
		lnBeta := l.lnBeta
		p := bov * lnb
		d := 1 / (p * lnBeta)
		vob := lnb * lnBeta * d
		il := bov * lnBeta * d
		k := 1 + 2*il
		return (lnBeta - lnb) * (p * lnb * d) * bov, bh - vob*k,
			b3 + 2*vob*vob*(1+3*il*(1+il)) - 3*bh*vob*k, true
	case objUpper: // g = ln((bmax − β)/(bmax − b))
		c := v * a // bmax − b
		if !hi {
			c = bmax - v*a
		}
		l.tighten(c < bmax-beta, c > bmax-beta)
		if !(c > 0) || v <= dblMin {
			return 0, 0, 0, false
		}
		gp := v / c
		return -l.lg / gp, bh + gp, b3 + gp*(2*gp+3*bh), true
	}
	b := v * a // g = b − β
	if hi {
		b = bmax - b
	}
	l.tighten(b > beta, b < beta)
	if !(v > 0) {
		return 0, 0, 0, false
	}
	return (beta - b) / v, bh, b3, true
}

// tighten moves the bracket's right end to the iterate if b(s) is above beta, or its
// left end if below.
func (l *ivLane) tighten(above, below bool) {
	if above && l.s < l.sr {
		l.sr = l.s
	} else if below && l.s > l.sl {
		l.sl = l.s
	}
}

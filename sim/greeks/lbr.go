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

// nblack evaluates the normalised Black call for x ≤ 0, s > 0 as two parts: ln v, the
// logarithm of the normalised vega v = ∂b/∂s = e^{−(h²+t²)/2}/√(2π) with h = x/s and
// t = s/2, and a, with
//
//	b = v·a          when hi is false,
//	b = bmax − v·a   when hi is true.
//
// The split keeps full relative accuracy in both tails: far below bmax b is a small
// multiple of v, and near bmax the complement bmax − b is.
//
// Between the tails a is a difference of Mills ratios, Y(h+t) − Y(h−t) with
// Y(z) = Φ(z)/φ(z), which cancels as t → 0: it loses a factor of about Y/(2t·Y') in
// relative accuracy. What matters is the error this leaves in s, that loss divided by
// s·∂ln b/∂s ≈ 1 + h²: about 0.6/t for h near 0 and 1/|x| for large |h|. Jäckel's
// reference code switches to a Taylor series below t = 0.21; here the series is used
// only where both t < 0.1 and |x| < 0.05, which keeps that error under about 40 ulps
// of s while most short-dated contracts away from the money avoid the series.
func nblack(x, s float64) (lnv, a float64, hi bool) {
	h := x / s
	t := 0.5 * s
	lnv = -0.5*(h*h+t*t) - lnSqrt2Pi
	switch {
	case h+t < asymptoticH:
		a = asymptoticBracket(h, t)
	case t < smallT && x > -smallX:
		a = smallTBracket(h, t)
	case h+t > 0:
		a, hi = mills(h+t)+mills(t-h), true
	default:
		a = mills(-(h + t)) - mills(t-h)
	}
	return lnv, a, hi
}

// smallTBracket returns Y(h+t) − Y(h−t), with Y(z) = Φ(z)/φ(z), from its Taylor
// series in t, for t < 0.1 and −10.1 ≤ h ≤ 0. The derivatives of Y follow from
// Y' = 1 + zY, that is Y⁽ⁿ⁺¹⁾ = n·Y⁽ⁿ⁻¹⁾ + z·Y⁽ⁿ⁾. Over that range of h the terms beyond
// t^7 are below 1e-17 of the sum for t < 0.01, beyond t^9 for t < 0.05 and beyond t^11
// for t < 0.1, so the series stops there.
func smallTBracket(h, t float64) float64 {
	d0 := mills(-h)
	d1 := 1 + h*d0
	d2 := d0 + h*d1
	d3 := 2*d1 + h*d2
	d4 := 3*d2 + h*d3
	d5 := 4*d3 + h*d4
	d6 := 5*d4 + h*d5
	d7 := 6*d5 + h*d6
	w := t * t
	if t < 0.01 {
		return 2 * t * (d1 + w*(d3/6+w*(d5/120+w*(d7/5040))))
	}
	d8 := 7*d6 + h*d7
	d9 := 8*d7 + h*d8
	if t < 0.05 {
		return 2 * t * (d1 + w*(d3/6+w*(d5/120+w*(d7/5040+w*(d9/362880)))))
	}
	d10 := 9*d8 + h*d9
	d11 := 10*d9 + h*d10
	return 2 * t * (d1 + w*(d3/6+w*(d5/120+w*(d7/5040+w*(d9/362880+w*(d11/39916800))))))
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

// nblackValue returns b(x, s) and ∂b/∂s for x ≤ 0.
func nblackValue(x, s, bmax float64) (b, vega float64) {
	lnv, a, hi := nblack(x, s)
	vega = fastExp(lnv)
	if hi {
		return bmax - vega*a, vega
	}
	return vega * a, vega
}

// The objective functions of the Householder steps.
const (
	objMiddle = iota // g = b − β
	objLower         // g = 1/ln b − 1/ln β
	objUpper         // g = ln((bmax − β)/(bmax − b))
)

// ivLane is one normalised inversion, b(x, s) = beta for s, on its way through the
// stages of the solver: the centre point sc = √(−2x), the side point, the initial
// guess, and the Householder steps. ImpliedVol runs each stage over a block of lanes
// before the next, so the processor overlaps the contracts' long chains of dependent
// operations; normalisedVol runs them one after the other on a single lane. Both do
// the same arithmetic and give identical results.
type ivLane struct {
	beta, lnBeta, x, bmax float64 // the problem: x ≤ 0, 0 < beta < bmax = e^{x/2}
	sc, bc, vc            float64 // centre: s, b and ∂b/∂s
	s0, b0, v0            float64 // side point below (beta < bc) or above the centre
	s, sl, sr, ds         float64 // the iterate, its bracket and its last step
	obj                   int8    // objective of the Householder steps
	steps                 int8    // steps taken
	done                  bool    // s is final
}

// setup starts the lane on the problem; lnBeta is ln beta, or NaN to have it computed
// from beta (callers pass it when beta is so small, subnormal, that it has lost
// relative precision that its logarithm, computed before the division that made it,
// still has).
func (l *ivLane) setup(beta, lnBeta, x, bmax float64) {
	*l = ivLane{beta: beta, lnBeta: lnBeta, x: x, bmax: bmax, ds: math.Inf(1)}
	if x == 0 {
		l.s, l.done = 2*math.Sqrt2*math.Erfinv(beta), true // b(0, s) = erf(s/√8)
	}
}

// centre evaluates b at sc = √(−2x), where h + t = 0 and ∂b/∂s = bmax/√(2π).
func (l *ivLane) centre() {
	if l.done {
		return
	}
	l.sc = math.Sqrt(-2 * l.x)
	l.vc = l.bmax * invSqrt2Pi
	_, a, hi := nblack(l.x, l.sc) // the vega e^{lnv} is vc
	if hi {
		l.bc = l.bmax - l.vc*a
	} else {
		l.bc = l.vc * a
	}
}

// side evaluates b at the point where the tangent at sc reaches 0 (if beta < bc) or
// bmax (otherwise).
func (l *ivLane) side() {
	if l.done {
		return
	}
	if l.beta < l.bc {
		l.s0 = l.sc - l.bc/l.vc
	} else {
		l.s0 = l.sc
		if l.vc > dblMin {
			l.s0 = l.sc + (l.bmax-l.bc)/l.vc
		}
	}
	l.b0, l.v0 = nblackValue(l.x, l.s0, l.bmax)
}

// guess sets the initial iterate, its bracket and the objective, from one of four
// rational-cubic interpolants: in f = lowerMap(b) below the low side point, in s
// between the side points and the centre, and in f = upperMap(b) above the high one.
func (l *ivLane) guess() {
	if l.done {
		return
	}
	beta, x, bmax := l.beta, l.x, l.bmax
	sc, bc, vc, s0, b0, v0 := l.sc, l.bc, l.vc, l.s0, l.b0, l.v0
	l.obj = objMiddle
	switch {
	case beta < bc && beta < b0:
		if math.IsNaN(l.lnBeta) {
			l.lnBeta = fastLog(beta)
		}
		f, fp, fpp := lowerMap(x, s0)
		r := convexControlRight(0, b0, 0, f, 1, fp, fpp, true)
		c := twoPiOverSqrt27 * -x
		var lnRatio float64 // ln(f/c)
		if beta < 1e-100*b0 {
			// The interpolant is linear this close to 0, with slope 1 (or f/b0 when r
			// makes it a straight line); work in logarithms, beta may be subnormal.
			slope := 1.0
			if r >= rcMaxControl {
				slope = f / b0
			}
			lnRatio = l.lnBeta + fastLog(slope/c)
		} else {
			g := rationalCubic(beta, 0, b0, 0, f, 1, fp, r)
			if !(g > 0) { // roundoff for extreme x: quadratic with f(0) = 0, f'(0) = 1
				t := beta / b0
				g = (f*t + b0*(1-t)) * t
			}
			lnRatio = fastLog(g / c)
		}
		l.s, l.sl, l.sr = inverseLowerMap(x, lnRatio), dblMin, s0
		l.obj = objLower
	case beta < bc:
		r := convexControlRight(b0, bc, s0, sc, 1/v0, 1/vc, 0, false)
		l.s, l.sl, l.sr = rationalCubic(beta, b0, bc, s0, sc, 1/v0, 1/vc, r), s0, sc
	case beta <= b0:
		r := convexControlLeft(bc, b0, sc, s0, 1/vc, 1/v0, 0, false)
		l.s, l.sl, l.sr = rationalCubic(beta, bc, b0, sc, s0, 1/vc, 1/v0, r), sc, s0
	default:
		f, fp, fpp := upperMap(x, s0)
		g := -math.MaxFloat64
		if math.Abs(fpp) < 1.3407807929942596e+154 { // √DBL_MAX
			r := convexControlLeft(b0, bmax, f, 0, fp, -0.5, fpp, true)
			g = rationalCubic(beta, b0, bmax, f, 0, fp, -0.5, r)
		}
		if !(g > 0) { // quadratic with f(b0), f(bmax) = 0 and f'(bmax) = −1/2
			h := bmax - b0
			t := (beta - b0) / h
			g = (f*(1-t) + 0.5*h*t) * (1 - t)
		}
		l.s, l.sl, l.sr = -2*invNormCDF(g), s0, math.MaxFloat64
		if beta > 0.5*bmax {
			l.obj = objUpper
		}
	}
}

// normalisedVol returns s > 0 with b(x, s) = beta, for x ≤ 0, bmax = e^{x/2} and
// 0 < beta < bmax; lnBeta as for ivLane.setup.
func normalisedVol(beta, lnBeta, x, bmax float64) float64 {
	var l ivLane
	l.setup(beta, lnBeta, x, bmax)
	l.centre()
	l.side()
	l.guess()
	for range lbrMaxSteps {
		l.step()
	}
	return l.s
}

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

// step takes one third-order Householder step on the lane's objective, unless the
// last step was below rounding or lbrMaxSteps have been taken; a step that would leave
// the bracket [sl, sr] is replaced by bisection.
func (l *ivLane) step() {
	if l.done || l.steps >= lbrMaxSteps || !(math.Abs(l.ds) > dblEpsilon*l.s) {
		l.done = true
		return
	}
	l.steps++
	if l.steps > 1 && !(l.s > l.sl && l.s < l.sr) {
		l.s = 0.5 * (l.sl + l.sr)
		if l.sr-l.sl <= dblEpsilon*l.s {
			l.done = true
			return
		}
	}
	s := l.s
	newton, halley, hh3, ok := l.derivatives()
	if ok {
		l.ds = max(-0.5*s, newton*(1+0.5*halley*newton)/(1+newton*(halley+hh3*newton/6)))
	} else { // numerical underflow: bisect the bracket for this step
		l.ds = 0.5*(l.sl+l.sr) - s
	}
	l.s = s + l.ds
}

// derivatives evaluates the lane's objective g at its iterate s, tightens the bracket,
// and returns the ratios of a Householder step: −g/g′, g″/g′ and g‴/g′. ok is false
// where b has underflowed and the step must bisect.
func (l *ivLane) derivatives() (newton, halley, hh3 float64, ok bool) {
	beta, x, bmax, s := l.beta, l.x, l.bmax, l.s
	lnv, a, hi := nblack(x, s)
	v := 0.0 // ∂b/∂s = e^{lnv}; the lower objective needs it only near bmax
	if hi || l.obj != objLower {
		v = fastExp(lnv)
	}
	is := 1 / s
	h := x * is
	hs := h * is
	bh := h*hs - 0.25*s          // b''/b' = x²/s³ − s/4
	b3 := bh*bh - 3*hs*hs - 0.25 // b'''/b'
	switch l.obj {
	case objLower: // g = 1/ln b − 1/ln β
		var lnb, bov float64 // ln b, b/b'
		if hi {
			b := bmax - v*a
			lnb, bov = fastLog(b), b/v
		} else {
			lnb, bov = lnv+fastLog(a), a
		}
		l.tighten(lnb > l.lnBeta, lnb < l.lnBeta)
		if !(a > 0) || math.IsInf(lnb, 0) || math.IsNaN(lnb) {
			return 0, 0, 0, false
		}
		vob := 1 / bov
		il := 1 / lnb
		k := 1 + 2*il
		return (l.lnBeta - lnb) * lnb / l.lnBeta * bov, bh - vob*k,
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
		return -fastLog((bmax-beta)/c) / gp, bh + gp, b3 + gp*(2*gp+3*bh), true
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

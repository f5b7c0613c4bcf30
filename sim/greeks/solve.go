package greeks

import "math"

// The staged solver. ImpliedVol inverts a block of contracts at once: each stage of
// the solver (see solveLanes) runs across the whole block before the next, and the
// stages are split into passes that each end in one long-latency operation (a
// division, a logarithm, an exponential, a Mills ratio), so that the processor
// overlaps many contracts' chains of dependent operations instead of waiting on one.
// A block of one lane is the solver for one contract, and gives the same result.

// ivLane is one normalised inversion, b(x, s) = beta for s, on its way through the
// stages of the solver: the centre point sc = √(−2x), the side point, the shape of
// the initial guess's interpolant, the guess, and the Householder steps.
//
// The centre, the side points and the interpolants depend on x alone. A call and a
// put at the same strike and expiry have the same x, so a lane may name an earlier
// lane of its block with the same x as its lead, and copies those values from it
// instead of computing them again: they come out the same either way.
type ivLane struct {
	beta, lnBeta, x, bmax float64 // the problem: x ≤ 0, 0 < beta < bmax = e^{x/2}
	sc, bc, vc            float64 // centre: s, b and ∂b/∂s
	s0, b0, v0            float64 // side point below (beta < bc) or above the centre
	mf, mfp, mr           float64 // interpolant: map value, slope at s0 (or 1/v0, 1/vc); control
	s, sl, sr, ds         float64 // the iterate, its bracket and its last step
	ev                    float64 // a point at which b is being evaluated
	is, lnv, a, v, lg     float64 // b at ev: 1/ev, ln v and a (see prepare), ∂b/∂s, a logarithm
	newton, halley, hh3   float64 // the ratios derivatives returns
	f, k, tv              float64 // forward, strike and undiscounted time value
	lead                  int     // 1 + the index in the block of the lane to copy from, or 0
	why                   Reason  // OK, or AboveMaximum (see normaliseLanes)
	branch                int8    // which interpolant the guess comes from
	region                int8    // how b is being evaluated (see prepare)
	obj                   int8    // objective of the Householder steps
	steps                 int8    // steps taken
	hi                    bool    // b = bmax − v·a at ev (see prepare)
	wantV                 bool    // the evaluation needs ∂b/∂s
	ok                    bool    // newton, halley and hh3 are valid
	linear                bool    // the lower branch's interpolant is taken as linear
	copied                bool    // the interpolant is the lead's
	done                  bool    // s is final
}

// The branches of the initial guess.
const (
	branchLower   = iota // beta below both side point and centre: f = lowerMap(b)
	branchMidLow         // between the low side point and the centre, in s
	branchMidHigh        // between the centre and the high side point, in s
	branchUpper          // above the high side point: f = upperMap(b)
)

// The regions of an evaluation of b, as prepare records them.
const (
	regionNone   = iota // no evaluation
	regionOther         // asymptotic series: a is set
	regionSeries        // small-t series from Y(h): a holds h until evalLanes sums it
	regionAbove         // h + t > 0: a = Y(h+t) + Y(t−h), and hi
	regionBelow         // a = Y(−(h+t)) − Y(t−h)
	regionCentre        // h + t = 0: a = Y(0) − Y(t−h), with Y(0) = √(π/2)
)

// setup starts the lane on the problem; lnBeta is ln beta, or NaN to have it computed
// from beta (callers pass it when beta is so small, subnormal, that it has lost
// relative precision that its logarithm, computed before the division that made it,
// still has).
func (l *ivLane) setup(beta, lnBeta, x, bmax float64) {
	// Every other field is set by the stage that first reads it.
	l.beta, l.lnBeta, l.x, l.bmax = beta, lnBeta, x, bmax
	l.ds, l.steps, l.done = math.Inf(1), 0, false
	if x == 0 {
		l.s, l.done = 2*math.Sqrt2*math.Erfinv(beta), true // b(0, s) = erf(s/√8)
	}
}

// solveLanes runs the solver on a block of at most laneBlock lanes.
func solveLanes(lanes []ivLane) {
	var z [2 * laneBlock]float64 // scratch for evalLanes
	zs := z[:2*len(lanes)]
	ivCentre(lanes, zs)
	ivSide(lanes, zs)
	ivShape(lanes)
	ivGuess(lanes)
	for range lbrMaxSteps {
		ivStep(lanes, zs)
	}
}

// normalisedVol returns s > 0 with b(x, s) = beta, for x ≤ 0, bmax = e^{x/2} and
// 0 < beta < bmax; lnBeta as for ivLane.setup.
func normalisedVol(beta, lnBeta, x, bmax float64) float64 {
	var l [1]ivLane
	l[0].setup(beta, lnBeta, x, bmax)
	solveLanes(l[:])
	return l[0].s
}

// prepare starts the evaluation of b at s, which evalLanes completes. The normalised
// Black call for x ≤ 0, s > 0 comes in two parts: ln v, the logarithm of the
// normalised vega v = ∂b/∂s = e^{−(h²+t²)/2}/√(2π) with h = x/s and t = s/2, and a,
// with
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
//
// prepare sets lnv, hi and the region, and a where the asymptotic series applies.
// It puts the arguments of the Mills ratios a needs in z for evalLanes, two where a
// is their difference, one for the small-t series, and returns how many.
func (l *ivLane) prepare(s float64, z []float64) int {
	l.ev = s
	x := l.x
	is := 1 / s
	h := x * is
	l.is = is
	t := 0.5 * s
	l.lnv = -0.5*(h*h+t*t) - lnSqrt2Pi
	l.hi = false
	switch {
	case h+t < asymptoticH:
		l.a, l.region = asymptoticBracket(h, t), regionOther
	case t < smallT && x > -smallX:
		z[0], l.a, l.region = -h, h, regionSeries
		return 1
	case h+t > 0:
		z[0], z[1], l.hi, l.region = h+t, t-h, true, regionAbove
		return 2
	default:
		z[0], z[1], l.region = -(h + t), t-h, regionBelow
		return 2
	}
	return 0
}

// prepareCentre is prepare at the centre sc = √(−2x), where h + t = 0 exactly: there
// a needs one Mills ratio, not two.
func (l *ivLane) prepareCentre(z []float64) int {
	s := l.sc
	t := 0.5 * s
	if t < smallT && l.x > -smallX {
		return l.prepare(s, z)
	}
	l.ev, l.is = s, 1/s
	l.lnv = -t*t - lnSqrt2Pi // h² + t² = 2t²
	l.hi = false
	z[0], l.region = s, regionCentre // t − h = 2t = s
	return 1
}

// evalLanes completes the evaluations prepare started: it sets every such lane's a,
// and v = ∂b/∂s = e^{lnv} where wantV is set. z holds the Mills ratio arguments the
// lanes' prepare calls returned, in lane order.
func evalLanes(lanes []ivLane, z []float64) {
	for j, zj := range z {
		if !(zj < 8) {
			z[j] = mills(zj)
			continue
		}
		k := int(zj * 4) // mills, written out
		c := &millsTab[k]
		u := zj - (float64(k)*0.25 + 0.125)
		u2 := u * u
		u4 := u2 * u2
		z[j] = (c[0] + u*c[1]) + u2*(c[2]+u*c[3]) + u4*((c[4]+u*c[5])+u2*(c[6]+u*c[7])) + u4*u4*((c[8]+u*c[9])+u2*c[10])
	}
	j := 0
	for i := range lanes {
		l := &lanes[i]
		switch l.region {
		case regionNone:
			continue
		case regionSeries:
			l.a = smallTBracket(l.a, 0.5*l.ev, z[j])
			j++
		case regionAbove:
			l.a = z[j] + z[j+1]
			j += 2
		case regionBelow:
			l.a = z[j] - z[j+1]
			j += 2
		case regionCentre:
			l.a = sqrtPiOver2 - z[j]
			j++
		}
		if !l.wantV {
			continue
		}
		y := l.lnv
		if !(math.Abs(y) < 708) {
			l.v = fastExp(y)
			continue
		}
		kd := y*expInvLn2 + expShift // fastExp, written out
		ki := math.Float64bits(kd)
		kd -= expShift
		r := y - kd*expLn2HiN - kd*expLn2LoN
		scale := math.Float64frombits(exp2Tab[ki&127] + (ki>>7)<<52)
		r2 := r * r
		l.v = scale + scale*(r+r2*((0.5+r*(1.0/6))+r2*(1.0/24+r*(1.0/120))))
	}
}

// ivCentre evaluates b at sc = √(−2x), where h + t = 0 and ∂b/∂s = bmax/√(2π).
func ivCentre(lanes []ivLane, z []float64) {
	nz := 0
	for i := range lanes {
		l := &lanes[i]
		l.region, l.wantV = regionNone, false
		if !l.done && l.lead == 0 {
			l.sc = math.Sqrt(-2 * l.x)
			l.vc = l.bmax * invSqrt2Pi
			nz += l.prepareCentre(z[nz:]) // the vega e^{lnv} is vc
		}
	}
	evalLanes(lanes, z[:nz])
	for i := range lanes {
		l := &lanes[i]
		switch {
		case l.done:
		case l.lead > 0:
			p := &lanes[l.lead-1]
			l.sc, l.bc, l.vc = p.sc, p.bc, p.vc
		case l.hi:
			l.bc = l.bmax - l.vc*l.a
		default:
			l.bc = l.vc * l.a
		}
	}
}

// ivSide evaluates b at the point where the tangent at sc reaches 0 (if beta < bc)
// or bmax (otherwise).
func ivSide(lanes []ivLane, z []float64) {
	nz := 0
	for i := range lanes {
		l := &lanes[i]
		l.region, l.wantV = regionNone, true
		if l.done {
			continue
		}
		below := l.beta < l.bc
		if l.lead > 0 {
			if p := &lanes[l.lead-1]; below == (p.beta < p.bc) {
				continue // copied below
			}
		}
		if below {
			l.s0 = l.sc - l.bc/l.vc
		} else {
			l.s0 = l.sc
			if l.vc > dblMin {
				l.s0 = l.sc + (l.bmax-l.bc)/l.vc
			}
		}
		nz += l.prepare(l.s0, z[nz:])
	}
	evalLanes(lanes, z[:nz])
	for i := range lanes {
		l := &lanes[i]
		switch {
		case l.done:
		case l.region == regionNone:
			p := &lanes[l.lead-1]
			l.s0, l.b0, l.v0 = p.s0, p.b0, p.v0
		case l.hi:
			l.b0, l.v0 = l.bmax-l.v*l.a, l.v
		default:
			l.b0, l.v0 = l.v*l.a, l.v
		}
	}
}

// ivShape chooses each lane's branch of the initial guess and sets up its
// interpolant: one of four rational cubics, in f = lowerMap(b) below the low side
// point, in s between the side points and the centre, and in f = upperMap(b) above
// the high one. The maps come in one pass, the rational cubics' control parameters
// in the next.
func ivShape(lanes []ivLane) {
	for i := range lanes {
		l := &lanes[i]
		if l.done {
			continue
		}
		beta, bc, b0 := l.beta, l.bc, l.b0
		switch {
		case beta < bc && beta < b0:
			l.branch = branchLower
		case beta < bc:
			l.branch = branchMidLow
		case beta <= b0:
			l.branch = branchMidHigh
		default:
			l.branch = branchUpper
		}
		l.copied = false
		if l.lead > 0 {
			if p := &lanes[l.lead-1]; p.branch == l.branch && p.s0 == l.s0 {
				l.copied = true
				continue
			}
		}
		switch l.branch {
		case branchLower:
			l.mf, l.mfp, l.mr = lowerMap(l.x, l.s0) // mr holds f″ until the next pass
		case branchUpper:
			l.mf, l.mfp, l.mr = upperMap(l.x, l.s0)
		}
	}
	for i := range lanes {
		switch l := &lanes[i]; {
		case l.done:
		case l.copied:
			p := &lanes[l.lead-1]
			l.mf, l.mfp, l.mr = p.mf, p.mfp, p.mr
		default:
			l.control()
		}
	}
}

// control sets the control parameter of the lane's rational cubic, from the map's
// value, slope and second derivative f″ (in mr) on the outer branches.
func (l *ivLane) control() {
	sc, bc, vc, s0, b0, v0 := l.sc, l.bc, l.vc, l.s0, l.b0, l.v0
	f, fp, fpp := l.mf, l.mfp, l.mr
	switch l.branch {
	case branchLower:
		l.mr = convexControlRight(0, b0, 0, f, 1, fp, fpp, true)
	case branchMidLow:
		l.mf, l.mfp = 1/v0, 1/vc // the slopes ds/db at the ends
		l.mr = convexControlRight(b0, bc, s0, sc, l.mf, l.mfp, 0, false)
	case branchMidHigh:
		l.mf, l.mfp = 1/v0, 1/vc
		l.mr = convexControlLeft(bc, b0, sc, s0, l.mfp, l.mf, 0, false)
	default:
		l.mr = math.NaN()                            // NaN: fall back to a quadratic
		if math.Abs(fpp) < 1.3407807929942596e+154 { // √DBL_MAX
			l.mr = convexControlLeft(b0, l.bmax, f, 0, fp, -0.5, fpp, true)
		}
	}
}

// ivGuess sets each lane's initial iterate, its bracket and the objective from the
// lane's interpolant, in passes across the lanes that each end in one long-latency
// operation: the logarithm of beta, the interpolant, its logarithm or inverse normal,
// and the inverse of the lower map.
func ivGuess(lanes []ivLane) {
	for i := range lanes {
		if l := &lanes[i]; !l.done && l.branch == branchLower && math.IsNaN(l.lnBeta) {
			l.lnBeta = fastLog(l.beta)
		}
	}
	for i := range lanes {
		if l := &lanes[i]; !l.done {
			l.interpolate()
		}
	}
	for i := range lanes {
		l := &lanes[i]
		switch {
		case l.done:
		case l.branch == branchLower:
			if !l.linear {
				l.s = fastLog(l.s) // ln(f/c)
			}
		case l.branch == branchUpper:
			l.s = -2 * invNormCDF(l.s)
		}
	}
	for i := range lanes {
		if l := &lanes[i]; !l.done && l.branch == branchLower {
			l.s = inverseLowerMap(l.x, l.s)
		}
	}
}

// interpolate evaluates the lane's interpolant at beta, sets the bracket and the
// objective, and leaves in s the initial iterate (middle branches), f/c (the lower
// branch; or ln(f/c), with linear set, where beta is tiny), or upperMap's Φ(−s/2)
// (the upper branch).
func (l *ivLane) interpolate() {
	beta, x, bmax := l.beta, l.x, l.bmax
	sc, bc, s0, b0 := l.sc, l.bc, l.s0, l.b0
	f, fp, r := l.mf, l.mfp, l.mr
	l.obj, l.linear = objMiddle, false
	switch l.branch {
	case branchLower:
		c := twoPiOverSqrt27 * -x
		if beta < 1e-100*b0 {
			// The interpolant is linear this close to 0, with slope 1 (or f/b0 when r
			// makes it a straight line); work in logarithms, beta may be subnormal.
			slope := 1.0
			if r >= rcMaxControl {
				slope = f / b0
			}
			l.s, l.linear = l.lnBeta+fastLog(slope/c), true
		} else {
			g := rationalCubic(beta, 0, b0, 0, f, 1, fp, r)
			if !(g > 0) { // roundoff for extreme x: quadratic with f(0) = 0, f'(0) = 1
				t := beta / b0
				g = (f*t + b0*(1-t)) * t
			}
			l.s = g / c
		}
		l.sl, l.sr, l.obj = dblMin, s0, objLower
	case branchMidLow:
		l.s, l.sl, l.sr = rationalCubic(beta, b0, bc, s0, sc, f, fp, r), s0, sc // f, fp: 1/v0, 1/vc
	case branchMidHigh:
		l.s, l.sl, l.sr = rationalCubic(beta, bc, b0, sc, s0, fp, f, r), sc, s0
	default:
		g := -math.MaxFloat64
		if !math.IsNaN(r) {
			g = rationalCubic(beta, b0, bmax, f, 0, fp, -0.5, r)
		}
		if !(g > 0) { // quadratic with f(b0), f(bmax) = 0 and f'(bmax) = −1/2
			h := bmax - b0
			t := (beta - b0) / h
			g = (f*(1-t) + 0.5*h*t) * (1 - t)
		}
		l.s, l.sl, l.sr = g, s0, math.MaxFloat64
		if beta > 0.5*bmax {
			l.obj = objUpper
		}
	}
}

// ivStep takes one third-order Householder step on each lane that is not done: it
// evaluates b at the iterate, takes the logarithm the objective needs, and steps
// (see derivatives and step).
func ivStep(lanes []ivLane, z []float64) {
	nz := 0
	for i := range lanes {
		l := &lanes[i]
		l.region = regionNone
		if !l.next() {
			continue
		}
		nz += l.prepare(l.s, z[nz:])
		l.wantV = l.hi || l.obj != objLower // the lower objective needs v only near bmax
	}
	evalLanes(lanes, z[:nz])
	for i := range lanes {
		l := &lanes[i]
		if l.region == regionNone || l.obj == objMiddle {
			continue
		}
		// The logarithm the objective needs, add + ln y: ln b for the lower objective,
		// ln((bmax − β)/(bmax − b)) for the upper one.
		var y, add float64
		switch {
		case l.obj == objUpper:
			c := l.v * l.a // bmax − b
			if !l.hi {
				c = l.bmax - l.v*l.a
			}
			y = (l.bmax - l.beta) / c
		case l.hi:
			y = l.bmax - l.v*l.a
		default:
			y, add = l.a, l.lnv
		}
		b := math.Float64bits(y)
		if b-0x0010000000000000 >= 0x7ff0000000000000-0x0010000000000000 {
			l.lg = add + fastLog(y)
			continue
		}
		k := int64(b-0x3fe6a09e667f3bcd) >> 52 // fastLog, written out
		mb := b - uint64(k)<<52
		j, cb := logIndex(mb)
		t := &logTab[j]
		r := (math.Float64frombits(mb) - math.Float64frombits(cb)) * t.invc
		r2 := r * r
		r4 := r2 * r2
		q := (-0.5 + r*(1.0/3)) + r2*(-0.25+r*0.2) + r4*((-1.0/6+r*(1.0/7))+r2*(-0.125+r*(1.0/9)))
		fe := float64(k)
		l.lg = add + (fe*logLn2Hi + t.hi + (fe*logLn2Lo + t.lo + (r + r2*q)))
	}
	for i := range lanes {
		if l := &lanes[i]; l.region != regionNone {
			l.newton, l.halley, l.hh3, l.ok = l.derivatives()
		}
	}
	for i := range lanes {
		if l := &lanes[i]; l.region != regionNone {
			l.step()
		}
	}
}

// next reports whether the lane takes another step: not if the last step was below
// rounding or lbrMaxSteps have been taken. If it does, next moves the iterate to the
// middle of the bracket if it has left it.
func (l *ivLane) next() bool {
	if l.done || l.steps >= lbrMaxSteps || !(math.Abs(l.ds) > dblEpsilon*l.s) {
		l.done = true
		return false
	}
	l.steps++
	if l.steps > 1 && !(l.s > l.sl && l.s < l.sr) {
		l.s = 0.5 * (l.sl + l.sr)
		if l.sr-l.sl <= dblEpsilon*l.s {
			l.done = true
			return false
		}
	}
	return true
}

// step takes the Householder step from the ratios derivatives returned; where they
// are not valid (b has underflowed), it bisects the bracket instead.
func (l *ivLane) step() {
	s := l.s
	if newton, halley, hh3 := l.newton, l.halley, l.hh3; l.ok {
		l.ds = max(-0.5*s, newton*(1+0.5*halley*newton)/(1+newton*(halley+hh3*newton*(1.0/6))))
	} else {
		l.ds = 0.5*(l.sl+l.sr) - s
	}
	l.s = s + l.ds
}

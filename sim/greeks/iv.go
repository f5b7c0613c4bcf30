package greeks

import "math"

// ImpliedVol solves, for every contract of c, for the volatility at which the model
// value equals price[i] (a mid, bid or ask), and writes it to vol[i] as a fraction (0.2
// is 20%). reason may be nil; if not, reason[i] receives OK or the reason vol[i] is
// NaN: a price that is NaN or negative, below the intrinsic value (for European
// options the discounted forward intrinsic value DF·max(F−K, 0)), at or above the
// value at infinite volatility (S·e^{−qT} for calls, K·e^{−rT} for European puts, K
// for American puts), at or within rounding of the zero-volatility value, T ≤ 0, and
// so on.
//
// European contracts are inverted by a "Let's Be Rational" scheme (see the package
// documentation) to within a few units in the last place of σ√T wherever the price's
// time value carries that much information; the work per contract is fixed and small.
// American contracts are inverted on the Bjerksund-Stensland (2002) value by a
// bracketing search. ImpliedVol allocates nothing and never loops without bound.
//
// The error reports only mismatched slice lengths.
func ImpliedVol(c *Chain, price, vol []float64, reason []Reason) error {
	n, chainReason, err := c.check()
	if err != nil {
		return err
	}
	switch {
	case len(price) < n:
		return errShape("price", len(price), n)
	case len(vol) < n:
		return errShape("vol", len(vol), n)
	case reason != nil && len(reason) < n:
		return errShape("reason", len(reason), n)
	}
	var (
		e     expiry
		b     ivBatch
		style = European
	)
	e.t = math.NaN()
	s, r, q := c.Spot, c.Rate, c.Dividend
	for i := 0; i < n; i++ {
		k, t, right := c.Strike[i], c.Years[i], c.Right[i]
		if c.Style != nil {
			style = c.Style[i]
		}
		why := chainReason
		if why == OK {
			why = contractReason(right, style, k, t, r, q)
		}
		sigma := math.NaN()
		if why == OK {
			call := right == Call
			if style == American && earlyExercise(call, r, q) {
				sigma, why = americanIV(call, price[i], s, k, t, r, q)
			} else {
				if t != e.t {
					e.set(t, r, q)
				}
				// Checks and normalisation now; the solver runs on a block of lanes.
				l := &b.lanes[b.n]
				if why = europeanSetup(l, call, price[i], s*e.growth, k, e.df); why == OK && !l.done {
					b.index[b.n], b.sqrtT[b.n] = i, e.sqrtT
					if reason != nil {
						reason[i] = OK
					}
					if b.n++; b.n == laneBlock {
						b.flush(vol)
					}
					continue
				}
				if why == OK {
					sigma = l.s / e.sqrtT
				}
			}
		}
		vol[i] = sigma
		if reason != nil {
			reason[i] = why
		}
	}
	b.flush(vol)
	return nil
}

// ivBatch gathers European inversions into blocks for the staged solver.
type ivBatch struct {
	n     int
	lanes [laneBlock]ivLane
	index [laneBlock]int     // contract of each lane
	sqrtT [laneBlock]float64 // its √T
}

// flush solves the queued inversions, stage by stage over the block, and writes σ
// (their reasons, OK, are written as they are queued).
func (b *ivBatch) flush(vol []float64) {
	lanes := b.lanes[:b.n]
	for i := range lanes {
		lanes[i].centre()
	}
	for i := range lanes {
		lanes[i].side()
	}
	for i := range lanes {
		lanes[i].guess()
	}
	for range lbrMaxSteps {
		for i := range lanes {
			lanes[i].step()
		}
	}
	for i := range lanes {
		vol[b.index[i]] = lanes[i].s / b.sqrtT[i]
	}
	b.n = 0
}

// ImpliedVol returns the volatility at which the contract's value equals price, or NaN
// and the reason there is none (see the function ImpliedVol).
func (o Option) ImpliedVol(price float64) (float64, Reason) {
	if why := o.validate(); why != OK {
		return math.NaN(), why
	}
	call := o.Right == Call
	if o.Style == American && earlyExercise(call, o.Rate, o.Dividend) {
		return americanIV(call, price, o.Spot, o.Strike, o.Years, o.Rate, o.Dividend)
	}
	var e expiry
	e.set(o.Years, o.Rate, o.Dividend)
	return europeanIV(call, price, o.Spot*e.growth, o.Strike, e.df, e.sqrtT)
}

// europeanIV inverts the Black-Scholes-Merton price of a European option with forward
// f, strike k, discount factor df and √T = sqrtT.
func europeanIV(call bool, price, f, k, df, sqrtT float64) (float64, Reason) {
	var l ivLane
	if why := europeanSetup(&l, call, price, f, k, df); why != OK {
		return math.NaN(), why
	}
	l.centre()
	l.side()
	l.guess()
	for range lbrMaxSteps {
		l.step()
	}
	return l.s / sqrtT, OK
}

// europeanSetup checks a European price against its bounds and sets l up to invert
// it: price, forward f, strike k and discount factor df.
func europeanSetup(l *ivLane, call bool, price, f, k, df float64) Reason {
	if !(price >= 0 && price <= math.MaxFloat64) {
		return BadPrice
	}
	p := price / df // undiscounted
	var intrinsic, top float64
	if call {
		intrinsic, top = max(f-k, 0), f
	} else {
		intrinsic, top = max(k-f, 0), k
	}
	switch {
	case p < intrinsic:
		return BelowIntrinsic
	case p >= top:
		return AboveMaximum
	}
	// By parity the time value is the price of the out-of-the-money option, which in
	// normalised form is a call with x = −|ln(F/K)| ≤ 0.
	// In the money, a time value within rounding of the intrinsic value (F − K carries
	// an error of a few ε·max(F, K)) determines no volatility at all.
	tv := p - intrinsic
	if !(tv > 0) || intrinsic > 0 && tv <= 4*dblEpsilon*max(f, k) {
		return NoTimeValue
	}
	ax := math.Abs(fastLog(f / k))
	bmax := fastExp(-0.5 * ax)
	scale := max(f, k) * bmax // √(FK) = max(F, K)·e^{−|x|/2}
	beta := tv / scale
	if !(beta < bmax) {
		return AboveMaximum
	}
	lnBeta := math.NaN()
	if beta < 0x1p-1000 { // keep the precision a subnormal beta would lose
		lnBeta = fastLog(tv) - fastLog(scale)
	}
	l.setup(beta, lnBeta, -ax, bmax)
	return OK
}

// americanIV inverts the American value americanPrice in σ by Brent's method on a
// bracket found from the European implied volatility, which is an upper bound.
func americanIV(call bool, price, s, k, t, r, q float64) (float64, Reason) {
	nan := math.NaN()
	if !(price >= 0 && price <= math.MaxFloat64) {
		return nan, BadPrice
	}
	intrinsic, top := max(k-s, 0), k
	if call {
		intrinsic, top = max(s-k, 0), s
	}
	switch {
	case price < intrinsic:
		return nan, BelowIntrinsic
	case price >= top:
		return nan, AboveMaximum
	case price <= intrinsic+4*dblEpsilon*max(s, k):
		return nan, NoTimeValue
	}
	f := func(v float64) float64 { return americanPrice(call, s, k, t, r, q, v) - price }
	const minVol, maxVol = 1e-6, 20.0
	hi := 0.5
	var e expiry
	e.set(t, r, q)
	if v, why := europeanIV(call, price, s*e.growth, k, e.df, e.sqrtT); why == OK {
		hi = min(max(v, 2*minVol), maxVol)
	}
	fhi := f(hi)
	for fhi < 0 && hi < maxVol {
		hi = min(2*hi, maxVol)
		fhi = f(hi)
	}
	if !(fhi >= 0) {
		return nan, AboveMaximum
	}
	lo := 0.5 * hi
	flo := f(lo)
	for flo > 0 && lo > minVol {
		hi, fhi = lo, flo
		lo *= 0.25
		flo = f(lo)
	}
	switch {
	case flo > 0:
		return nan, BelowIntrinsic // below the value at the lowest volatility
	case flo == 0:
		return lo, OK
	case fhi == 0:
		return hi, OK
	}
	if v, ok := brent(f, lo, hi, flo, fhi); ok {
		return v, OK
	}
	return nan, NoConvergence
}

// brent finds a root of f in [a, b], where f(a) = fa and f(b) = fb have opposite
// signs, to within a few units in the last place, in at most 100 evaluations (R. P.
// Brent, "Algorithms for Minimization without Derivatives", 1973, chapter 4).
func brent(f func(float64) float64, a, b, fa, fb float64) (float64, bool) {
	c, fc := a, fa
	d := b - a
	e := d
	for iter := 0; iter < 100; iter++ {
		if (fb > 0) == (fc > 0) {
			c, fc = a, fa
			d = b - a
			e = d
		}
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		tol := 2*dblEpsilon*math.Abs(b) + 1e-300
		m := 0.5 * (c - b)
		if math.Abs(m) <= tol || fb == 0 {
			return b, true
		}
		if math.Abs(e) >= tol && math.Abs(fa) > math.Abs(fb) {
			// Inverse quadratic interpolation, or secant when a == c.
			var p, q float64
			s := fb / fa
			if a == c {
				p = 2 * m * s
				q = 1 - s
			} else {
				qa, r := fa/fc, fb/fc
				p = s * (2*m*qa*(qa-r) - (b-a)*(r-1))
				q = (qa - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if 2*p < min(3*m*q-math.Abs(tol*q), math.Abs(e*q)) {
				e, d = d, p/q
			} else {
				d, e = m, m
			}
		} else {
			d, e = m, m
		}
		a, fa = b, fb
		if math.Abs(d) > tol {
			b += d
		} else if m > 0 {
			b += tol
		} else {
			b -= tol
		}
		fb = f(b)
	}
	return b, false
}

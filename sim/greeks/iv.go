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
	if chainReason != OK {
		for i := range n {
			vol[i] = math.NaN()
			if reason != nil {
				reason[i] = chainReason
			}
		}
		return nil
	}
	var b ivBatch
	b.c, b.price, b.vol, b.reason = c, price[:n], vol[:n], reason
	b.e.t = math.NaN()
	b.early = [2]bool{earlyExercise(true, c.Rate, c.Dividend), earlyExercise(false, c.Rate, c.Dividend)}
	for i := b.fill(0); i < n; i = b.fill(i + 1) {
		b.one(i)
	}
	b.flush()
	return nil
}

// ivBatch gathers European inversions into blocks for the staged solver.
type ivBatch struct {
	c      *Chain
	price  []float64
	vol    []float64
	reason []Reason
	e      expiry
	f      float64 // the forward at e
	exOK   bool    // e's T passes contractReason's rate check
	early  [2]bool // American calls, puts may be exercised early
	n      int
	lanes  [laneBlock]ivLane
	index  [laneBlock]int     // contract of each lane
	sqrtT  [laneBlock]float64 // its √T
}

// setExpiry makes t, positive and finite, the batch's current expiry, and reports
// whether it passes contractReason's rate check.
func (b *ivBatch) setExpiry(t float64) bool {
	r, q := b.c.Rate, b.c.Dividend
	b.e.set(t, r, q)
	b.f = b.c.Spot * b.e.growth
	b.exOK = math.Abs(r*t) <= 700 && math.Abs(q*t) <= 700 && math.Abs((r-q)*t) <= 700
	return b.exOK
}

// fill inverts or queues the contracts from i on, and returns the index of the first
// it did not take (or the chain's length): one that is not valid and European (or
// American and never exercised early).
func (b *ivBatch) fill(i int) int {
	c, vol := b.c, b.vol
	nc := len(vol)
	strikes, years, rights, prices := c.Strike[:nc], c.Years[:nc], c.Right[:nc], b.price[:nc]
	styles := c.Style
	et := math.NaN() // the current expiry, if it passes the rate check
	if b.exOK {
		et = b.e.t
	}
	for ; i < nc; i++ {
		t := years[i]
		if t != et {
			if !positiveFinite(t) || !b.setExpiry(t) {
				break
			}
			et = t
		}
		k, right := strikes[i], rights[i]
		if !positiveFinite(k) || right != Call && right != Put {
			break
		}
		put := 0
		if right == Put {
			put = 1
		}
		if styles != nil {
			if st := styles[i]; st != European && (st != American || b.early[put]) {
				break
			}
		}
		// The price's checks now; the normalisation and the solver run on a block of
		// lanes.
		l := &b.lanes[b.n]
		if why := europeanSetup(l, put == 0, prices[i], b.f, k, b.e.df); why != OK {
			vol[i] = math.NaN()
			if b.reason != nil {
				b.reason[i] = why
			}
			continue
		}
		if b.n > 0 {
			// A lane with the same forward and strike (the other right at the same
			// strike and expiry, as a rule) shares its x-only work.
			if prev := &b.lanes[b.n-1]; prev.f == l.f && prev.k == l.k {
				l.lead = b.n // the previous lane, plus one
				if prev.lead > 0 {
					l.lead = prev.lead
				}
			}
		}
		b.index[b.n], b.sqrtT[b.n] = i, b.e.sqrtT
		if b.n++; b.n == laneBlock {
			b.flush()
		}
	}
	return i
}

// one inverts contract i, one that fill does not take: an American contract that
// may be exercised early, or one with invalid inputs.
func (b *ivBatch) one(i int) {
	c := b.c
	style := European
	if c.Style != nil {
		style = c.Style[i]
	}
	k, t, right, r, q := c.Strike[i], c.Years[i], c.Right[i], c.Rate, c.Dividend
	sigma, why := math.NaN(), contractReason(right, style, k, t, r, q)
	if why == OK {
		sigma, why = americanIV(right == Call, b.price[i], c.Spot, k, t, r, q)
	}
	b.vol[i] = sigma
	if b.reason != nil {
		b.reason[i] = why
	}
}

// flush solves the queued inversions and writes σ and the reasons.
func (b *ivBatch) flush() {
	lanes := b.lanes[:b.n]
	normaliseLanes(lanes)
	solveLanes(lanes)
	for i := range lanes {
		l := &lanes[i]
		j := b.index[i]
		b.vol[j] = l.s / b.sqrtT[i]
		if b.reason != nil {
			b.reason[j] = l.why
		}
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
	var l [1]ivLane
	if why := europeanSetup(&l[0], call, price, f, k, df); why != OK {
		return math.NaN(), why
	}
	normaliseLanes(l[:])
	if l[0].why != OK {
		return math.NaN(), l[0].why
	}
	solveLanes(l[:])
	return l[0].s / sqrtT, OK
}

// europeanSetup checks a European price against its bounds and starts l on its
// inversion: price, forward f, strike k and discount factor df. normaliseLanes
// completes the setup and makes the last check, that the price is below its value
// at infinite volatility.
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
	l.f, l.k, l.tv, l.lead = f, k, tv, 0
	return OK
}

// normaliseLanes completes the setup europeanSetup started, for a block of at most
// laneBlock lanes:
// x = −|ln(F/K)|, bmax = e^{x/2} (which a lane with a lead copies from it) and
// beta = tv/√(FK). A lane whose beta is not below bmax is done, with why set to
// AboveMaximum; its lead field then names the lane that took over as the lead of
// its group.
func normaliseLanes(lanes []ivLane) {
	var y [laneBlock]float64 // the leads' logarithms, then exponentials
	n := 0
	for i := range lanes {
		if l := &lanes[i]; l.lead == 0 {
			y[n] = l.f / l.k
			n++
		}
	}
	logs(y[:n])
	n = 0
	for i := range lanes {
		if l := &lanes[i]; l.lead == 0 {
			l.x = -math.Abs(y[n])
			y[n] = 0.5 * l.x
			n++
		}
	}
	exps(y[:n])
	n = 0
	for i := range lanes {
		l := &lanes[i]
		if l.lead > 0 {
			p := &lanes[l.lead-1]
			l.x, l.bmax = p.x, p.bmax
			continue
		}
		l.bmax = y[n]
		n++
	}
	for i := range lanes {
		l := &lanes[i]
		for l.lead > 0 { // a lead that is out hands its group on to its next lane
			p := &lanes[l.lead-1]
			if p.why == OK {
				break
			}
			if p.lead == 0 {
				p.lead, l.lead = i+1, 0
			} else {
				l.lead = p.lead
			}
		}
		ax, bmax := -l.x, l.bmax
		scale := max(l.f, l.k) * bmax // √(FK) = max(F, K)·e^{−|x|/2}
		beta := l.tv / scale
		l.why = OK
		if !(beta < bmax) {
			l.why, l.done, l.s = AboveMaximum, true, math.NaN()
			continue
		}
		lnBeta := math.NaN()
		if beta < 0x1p-1000 { // keep the precision a subnormal beta would lose
			lnBeta = fastLog(l.tv) - fastLog(scale)
		}
		l.setup(beta, lnBeta, -ax, bmax)
	}
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

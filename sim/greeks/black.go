package greeks

import "math"

// DaysPerYear is the length of the year in which times to expiry are measured and
// per which ThetaPerYear is stated; ThetaPerDay is ThetaPerYear/DaysPerYear.
const DaysPerYear = 365

// expiry caches the factors of one time to expiry. Chains list many contracts per
// expiry, so the bulk loops recompute these only when T changes.
type expiry struct {
	t      float64 // T; NaN until set
	sqrtT  float64 // √T
	df     float64 // e^{−rT}, discount factor
	dq     float64 // e^{−qT}, dividend factor
	growth float64 // e^{(r−q)T}, forward over spot
}

func (e *expiry) set(t, r, q float64) {
	e.t = t
	e.sqrtT = math.Sqrt(t)
	e.df = fastExp(-r * t)
	e.dq = fastExp(-q * t)
	e.growth = e.dq / e.df
}

// Compute values every contract of c at the volatilities vol (one per contract, as a
// fraction: 0.2 is 20%) and writes the results into g. European contracts use the
// Black-Scholes-Merton formulas; American ones use Bjerksund-Stensland (2002), with
// greeks by finite differences (see the package documentation). Contracts with invalid inputs get
// NaN in every output and a Reason saying why. Compute allocates nothing.
//
// The error reports only mismatched slice lengths.
func Compute(c *Chain, vol []float64, g *Greeks) error {
	n, chainReason, err := c.check()
	if err != nil {
		return err
	}
	if len(vol) < n {
		return errShape("vol", len(vol), n)
	}
	if err := g.check(n); err != nil {
		return err
	}
	var (
		b     laneBatch
		e     expiry
		exOK  bool // e's T, r and q pass contractReason's rate check
		style = European
	)
	e.t = math.NaN()
	s, r, q := c.Spot, c.Rate, c.Dividend
	for i := 0; i < n; i++ {
		k, t, sigma, right := c.Strike[i], c.Years[i], vol[i], c.Right[i]
		if c.Style != nil {
			style = c.Style[i]
		}
		if t != e.t && t > 0 && t <= math.MaxFloat64 {
			e.set(t, r, q)
			exOK = math.Abs(r*t) <= 700 && math.Abs(q*t) <= 700 && math.Abs((r-q)*t) <= 700
		}
		// The common case in one test, European or never exercised early; contractReason
		// says what is wrong otherwise.
		if chainReason == OK && (right == Call || right == Put) && t == e.t && exOK &&
			(style == European || style == American && !earlyExercise(right == Call, r, q)) &&
			k > 0 && k <= math.MaxFloat64 && sigma > 0 && sigma <= math.MaxFloat64 {
			b.add(i, right == Call, k, sigma, &e)
			if b.n == laneBlock {
				b.flush(g, s, r, q)
			}
			continue
		}
		reason := chainReason
		if reason == OK {
			reason = contractReason(right, style, k, t, r, q)
		}
		if reason == OK && !(sigma > 0 && sigma <= math.MaxFloat64) {
			reason = BadVol
		}
		var v Values
		switch {
		case reason != OK:
			v = nanValues()
		case style == American && earlyExercise(right == Call, r, q):
			v = americanValues(right == Call, s, k, t, r, q, sigma)
		default: // European, or American never exercised early
			var l [1]euroLane
			l[0].load(right == Call, k, sigma, &e)
			runEuropean(l[:], s, r, q)
			v = l[0].values()
		}
		if reason == OK && math.IsNaN(v.Price) {
			v, reason = nanValues(), OutOfRange
		}
		g.set(i, &v, reason)
	}
	b.flush(g, s, r, q)
	return nil
}

// Values returns the contract's price and greeks at volatility vol, or NaN values and
// the reason they cannot be computed.
func (o Option) Values(vol float64) (Values, Reason) {
	reason := o.validate()
	if reason == OK && !(vol > 0 && vol <= math.MaxFloat64) {
		reason = BadVol
	}
	if reason != OK {
		return nanValues(), reason
	}
	call := o.Right == Call
	var v Values
	if o.Style == American && earlyExercise(call, o.Rate, o.Dividend) {
		v = americanValues(call, o.Spot, o.Strike, o.Years, o.Rate, o.Dividend, vol)
	} else {
		var e expiry
		e.set(o.Years, o.Rate, o.Dividend)
		var l [1]euroLane
		l[0].load(call, o.Strike, vol, &e)
		runEuropean(l[:], o.Spot, o.Rate, o.Dividend)
		v = l[0].values()
	}
	if math.IsNaN(v.Price) {
		return nanValues(), OutOfRange
	}
	return v, OK
}

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
	if chainReason != OK {
		nan := nanValues()
		for i := range n {
			g.set(i, &nan, chainReason)
		}
		return nil
	}
	var b laneBatch
	b.start(c, vol[:n], g)
	for i := 0; i < n; {
		if i = b.fill(i); i == n {
			break
		}
		if b.n == laneBlock {
			b.flush()
			continue
		}
		computeOne(c, i, vol[i], g)
		i++
	}
	b.flush()
	return nil
}

// computeOne values contract i of c, one that laneBatch.fill does not take: an
// American contract that may be exercised early, or one with invalid inputs.
func computeOne(c *Chain, i int, sigma float64, g *Greeks) {
	style := European
	if c.Style != nil {
		style = c.Style[i]
	}
	right, k, t, r, q := c.Right[i], c.Strike[i], c.Years[i], c.Rate, c.Dividend
	reason := contractReason(right, style, k, t, r, q)
	if reason == OK && !(sigma > 0 && sigma <= math.MaxFloat64) {
		reason = BadVol
	}
	var v Values
	switch {
	case reason != OK:
		v = nanValues()
	case style == American && earlyExercise(right == Call, r, q):
		v = americanValues(right == Call, c.Spot, k, t, r, q, sigma)
	default: // not reached: fill takes every valid European contract
		var e expiry
		e.set(t, r, q)
		v = europeanValues(right == Call, c.Spot, k, r, q, sigma, &e)
	}
	if reason == OK && math.IsNaN(v.Price) {
		v, reason = nanValues(), OutOfRange
	}
	g.set(i, &v, reason)
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
		v = europeanValues(call, o.Spot, o.Strike, o.Rate, o.Dividend, vol, &e)
	}
	if math.IsNaN(v.Price) {
		return nanValues(), OutOfRange
	}
	return v, OK
}

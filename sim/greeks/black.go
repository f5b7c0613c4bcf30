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
	e.growth = fastExp((r - q) * t)
}

// Compute values every contract of c at the volatilities vol (one per contract, as a
// fraction: 0.2 is 20%) and writes the results into g. European contracts use the
// Black-Scholes-Merton formulas; American ones use Bjerksund-Stensland (2002), with
// greeks by finite differences (see AmericanValues). Contracts with invalid inputs get
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
		e     expiry
		lanes [laneBlock]euroLane
		index [laneBlock]int // contract of each lane
		used  int
	)
	e.t = math.NaN()
	s, r, q := c.Spot, c.Rate, c.Dividend
	flush := func() {
		runEuropean(lanes[:used], s, r, q)
		for j := range used {
			v := lanes[j].values()
			reason := OK
			if math.IsNaN(v.Price) {
				v, reason = nanValues(), OutOfRange
			}
			g.set(index[j], &v, reason)
		}
		used = 0
	}
	for i := 0; i < n; i++ {
		k, t, sigma, right := c.Strike[i], c.Years[i], vol[i], c.Right[i]
		style := European
		if c.Style != nil {
			style = c.Style[i]
		}
		reason := chainReason
		if reason == OK {
			reason = contractReason(right, style, k, t, r, q)
		}
		if reason == OK && !(sigma > 0 && sigma <= math.MaxFloat64) {
			reason = BadVol
		}
		switch {
		case reason != OK:
			v := nanValues()
			g.set(i, &v, reason)
		case style == American && earlyExercise(right == Call, r, q):
			v := americanValues(right == Call, s, k, t, r, q, sigma)
			if math.IsNaN(v.Price) {
				v, reason = nanValues(), OutOfRange
			}
			g.set(i, &v, reason)
		default:
			if t != e.t {
				e.set(t, r, q)
			}
			lanes[used].load(right == Call, k, sigma, &e)
			index[used] = i
			if used++; used == laneBlock {
				flush()
			}
		}
	}
	flush()
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

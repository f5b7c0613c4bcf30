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

// european returns the Black-Scholes-Merton price and greeks of a European option
// (theta per year, vega and rho per unit of σ and r). The option on the out-of-the-money
// side of the forward is computed directly and the other from put-call parity, so the
// pair satisfies parity to rounding and neither loses accuracy by cancellation.
func european(call bool, s, k, sigma, r, q float64, e *expiry) (price, delta, gamma, theta, vega, rho float64) {
	sd := sigma * e.sqrtT
	f := s * e.growth
	fk := f / k
	x := fastLog(fk) // ln(F/K)
	inv := 1 / sd
	d1 := x*inv + 0.5*sd
	d2 := d1 - sd
	// φ(d2) = φ(d1)·F/K: take the exponential of the larger density and scale it down,
	// so that the smaller one underflows gracefully.
	var phi1, phi2 float64
	if x <= 0 {
		phi1 = invSqrt2Pi * fastExp(-0.5*d1*d1)
		phi2 = phi1 * fk
	} else {
		phi2 = invSqrt2Pi * fastExp(-0.5*d2*d2)
		phi1 = phi2 / fk
	}
	m1 := phi1 * mills(math.Abs(d1)) // Φ(−|d1|)
	m2 := phi2 * mills(math.Abs(d2))
	n1, c1 := m1, 1-m1 // Φ(d1), Φ(−d1)
	if d1 >= 0 {
		n1, c1 = c1, n1
	}
	n2, c2 := m2, 1-m2
	if d2 >= 0 {
		n2, c2 = c2, n2
	}
	dff := e.df * f // S·e^{−qT}
	dfk := e.df * k
	var otm float64 // the out-of-the-money option: call if F ≤ K, else put
	if x <= 0 {
		otm = dff*n1 - dfk*n2
	} else {
		otm = dfk*c2 - dff*c1
	}
	otm = math.Max(otm, 0)
	vega = dff * phi1 * e.sqrtT
	gamma = e.dq * phi1 * inv / s
	decay := -0.5 * vega * sigma / e.t
	if call {
		price = otm
		if x > 0 {
			price += dff - dfk
		}
		delta = e.dq * n1
		theta = decay - r*dfk*n2 + q*dff*n1
		rho = dfk * e.t * n2
	} else {
		price = otm
		if x <= 0 {
			price += dfk - dff
		}
		delta = -e.dq * c1
		theta = decay + r*dfk*c2 - q*dff*c1
		rho = -dfk * e.t * c2
	}
	return
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
	var e expiry
	e.t = math.NaN()
	s, r, q := c.Spot, c.Rate, c.Dividend
	for i := 0; i < n; i++ {
		k, t, sigma, right := c.Strike[i], c.Years[i], vol[i], c.Right[i]
		style := European
		if c.Style != nil {
			style = c.Style[i]
		}
		reason := chainReason
		if reason == OK {
			reason = contractReason(right, style, k, t)
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
		default:
			if t != e.t {
				e.set(t, r, q)
			}
			price, delta, gamma, theta, vega, rho := european(right == Call, s, k, sigma, r, q, &e)
			v = Values{price, delta, gamma, theta, theta / DaysPerYear, vega / 100, rho / 100}
		}
		g.set(i, &v, reason)
	}
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
	if o.Style == American && earlyExercise(call, o.Rate, o.Dividend) {
		return americanValues(call, o.Spot, o.Strike, o.Years, o.Rate, o.Dividend, vol), OK
	}
	var e expiry
	e.set(o.Years, o.Rate, o.Dividend)
	price, delta, gamma, theta, vega, rho := european(call, o.Spot, o.Strike, vol, o.Rate, o.Dividend, &e)
	return Values{price, delta, gamma, theta, theta / DaysPerYear, vega / 100, rho / 100}, OK
}

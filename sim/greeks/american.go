package greeks

import "math"

// American exercise by the approximation of P. Bjerksund and G. Stensland, "Closed
// form valuation of American options" (2002), with the formulas as given in E. G.
// Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed. (2007), §3.1.4. The
// exercise boundary is flat on [0, t1] and on [t1, T] with t1 = (√5−1)/2·T; the value
// is a lower bound of the true American value and lies above the 1993 one-boundary
// version. Puts use the put-call transformation P(S, K, T, r, q) = C(K, S, T, q, r).
//
// The value is floored at the larger of the European value and immediate exercise,
// which matters only where the approximation breaks down (extremely low volatility,
// where its powers overflow). Greeks are central finite differences of the value.

// earlyExercise reports whether early exercise can be worth anything: for a call only
// when the underlying pays a dividend yield (q > 0), for a put only when r > 0.
// Otherwise the American value is the European one.
func earlyExercise(call bool, r, q float64) bool {
	if call {
		return q > 0
	}
	return r > 0
}

// americanPrice returns the value of an American option.
func americanPrice(call bool, s, k, t, r, q, v float64) float64 {
	euro := europeanPrice(call, s, k, t, r, q, v)
	if !earlyExercise(call, r, q) {
		return euro
	}
	var bs, intrinsic float64
	if call {
		bs = bs2002Call(s, k, t, r, q, v)
		intrinsic = s - k
	} else {
		bs = bs2002Call(k, s, t, q, r, v)
		intrinsic = k - s
	}
	low := max(euro, intrinsic)
	if !(bs >= low) { // also NaN
		return low
	}
	return bs
}

// bs2002Call returns the Bjerksund-Stensland (2002) value of an American call with
// spot s, strike k, time t, rate r, dividend yield q > 0 and volatility v, or NaN where
// the approximation's parameters are out of range.
func bs2002Call(s, k, t, r, q, v float64) float64 {
	b := r - q // cost of carry
	v2 := v * v
	y := 0.5 - b/v2
	arg := y*y + 2*r/v2
	if !(arg >= 0) {
		return math.NaN()
	}
	beta := y + math.Sqrt(arg)
	bInf := beta / (beta - 1) * k // perpetual boundary
	b0 := max(k, r/q*k)           // boundary at expiry
	if !(beta > 1 && bInf > b0) {
		return math.NaN()
	}
	t1 := 0.6180339887498948482045868343656381177203091798058 * t // (√5 − 1)/2·T
	scale := k * k / ((bInf - b0) * b0)
	i1 := b0 - (bInf-b0)*math.Expm1(-(b*t1+2*v*math.Sqrt(t1))*scale)
	i2 := b0 - (bInf-b0)*math.Expm1(-(b*t+2*v*math.Sqrt(t))*scale)
	if s >= i2 {
		return s - k
	}
	if !(i1 > k && i2 > k) {
		return math.NaN()
	}
	lnA1, lnA2 := fastLog(i1-k), fastLog(i2-k)                                 // α_i = (I_i − K)·I_i^{−β}
	p := bsTerms{s: s, r: r, b: b, v: v, v2: v2, t: t, t1: t1, rho: bs2002Rho} // ρ = √(t1/T)
	val := fastExp(lnA2 + beta*fastLog(s/i2))
	val -= p.phi(lnA2, i2, beta, i2, i2)
	val += p.phi(0, 1, 1, i2, i2)
	val -= p.phi(0, 1, 1, i1, i2)
	val -= k * p.phi(0, 1, 0, i2, i2)
	val += k * p.phi(0, 1, 0, i1, i2)
	val += p.phi(lnA1, i1, beta, i1, i2)
	val -= p.psi(lnA1, i1, beta, i1, i2, i1)
	val += p.psi(0, 1, 1, i1, i2, i1)
	val -= p.psi(0, 1, 1, k, i2, i1)
	val -= k * p.psi(0, 1, 0, i1, i2, i1)
	val += k * p.psi(0, 1, 0, k, i2, i1)
	return val
}

// bsTerms holds the inputs shared by the φ and ψ functions of the approximation.
type bsTerms struct {
	s, r, b, v, v2 float64
	t, t1, rho     float64 // T, t1 and √(t1/T)
}

// phi returns c·(S/ref)^γ·e^{λ·t1}·[Φ(d) − (I/S)^κ·Φ(d − 2·ln(I/S)/(σ√t1))] with
// ln c = lnc: Haug's φ(S, t1, γ, H, I) times (c/ref^γ), evaluated in logarithms so that
// the large powers of the γ = β terms cannot overflow.
func (p *bsTerms) phi(lnc, ref, gamma, h, i float64) float64 {
	sd := p.v * math.Sqrt(p.t1)
	lambda := -p.r + gamma*p.b + 0.5*gamma*(gamma-1)*p.v2
	kappa := 2*p.b/p.v2 + 2*gamma - 1
	mu := (p.b + (gamma-0.5)*p.v2) * p.t1
	d1 := -(fastLog(p.s/h) + mu) / sd
	d2 := -(fastLog(i*i/(p.s*h)) + mu) / sd
	lead := lnc + lambda*p.t1 + gamma*fastLog(p.s/ref)
	return fastExp(lead+logNormCDF(d1)) - fastExp(lead+kappa*fastLog(i/p.s)+logNormCDF(d2))
}

// psi returns c·(S/ref)^γ·e^{λT}·[M(−e1, −f1, ρ) − (I2/S)^κ·M(−e2, −f2, ρ)
// − (I1/S)^κ·M(−e3, −f3, −ρ) + (I1/I2)^κ·M(−e4, −f4, −ρ)], Haug's ψ(S, T, γ, H, I2,
// I1, t1) times (c/ref^γ), with M the bivariate normal distribution function.
func (p *bsTerms) psi(lnc, ref, gamma, h, i2, i1 float64) float64 {
	s := p.s
	sd1 := p.v * math.Sqrt(p.t1)
	sd := p.v * math.Sqrt(p.t)
	mu := p.b + (gamma-0.5)*p.v2
	m1, m := mu*p.t1, mu*p.t
	la, lb := fastLog(s/i1), fastLog(i2*i2/(s*i1))
	e1, e2 := (la+m1)/sd1, (lb+m1)/sd1
	e3, e4 := (la-m1)/sd1, (lb-m1)/sd1
	f1 := (fastLog(s/h) + m) / sd
	f2 := (fastLog(i2*i2/(s*h)) + m) / sd
	f3 := (fastLog(i1*i1/(s*h)) + m) / sd
	f4 := (fastLog(s*i1*i1/(h*i2*i2)) + m) / sd
	lambda := -p.r + gamma*p.b + 0.5*gamma*(gamma-1)*p.v2
	kappa := 2*p.b/p.v2 + 2*gamma - 1
	lead := lnc + lambda*p.t + gamma*fastLog(s/ref)
	return scaledExp(lead, bivariateCDF(-e1, -f1, p.rho)) -
		scaledExp(lead+kappa*fastLog(i2/s), bivariateCDF(-e2, -f2, p.rho)) -
		scaledExp(lead+kappa*fastLog(i1/s), bivariateCDF(-e3, -f3, -p.rho)) +
		scaledExp(lead+kappa*fastLog(i1/i2), bivariateCDF(-e4, -f4, -p.rho))
}

// scaledExp returns e^a·m for a probability m ≥ 0 without overflow when e^a is huge
// and m tiny.
func scaledExp(a, m float64) float64 {
	if m <= 0 {
		return 0
	}
	return fastExp(a + fastLog(m))
}

// logNormCDF returns ln Φ(z) without underflow for very negative z.
func logNormCDF(z float64) float64 {
	if z < -1 {
		return -0.5*z*z - lnSqrt2Pi + fastLog(mills(-z))
	}
	return math.Log1p(-normCDF(-z))
}

// Relative bump sizes of the finite-difference greeks of American options.
const (
	bumpSpot = 1e-4 // of S, for delta and gamma
	bumpVol  = 1e-4 // of σ
	bumpTime = 1e-4 // of T
	bumpRate = 1e-5 // absolute, in r
)

// americanValues returns the price and greeks of an American option, the greeks by
// central differences of americanPrice.
func americanValues(call bool, s, k, t, r, q, v float64) Values {
	price := americanPrice(call, s, k, t, r, q, v)
	ds := bumpSpot * s
	up := americanPrice(call, s+ds, k, t, r, q, v)
	dn := americanPrice(call, s-ds, k, t, r, q, v)
	dv := bumpVol * v
	vega := (americanPrice(call, s, k, t, r, q, v+dv) - americanPrice(call, s, k, t, r, q, v-dv)) / (2 * dv)
	dt := bumpTime * t
	theta := -(americanPrice(call, s, k, t+dt, r, q, v) - americanPrice(call, s, k, t-dt, r, q, v)) / (2 * dt)
	rho := (americanPrice(call, s, k, t, r+bumpRate, q, v) - americanPrice(call, s, k, t, r-bumpRate, q, v)) / (2 * bumpRate)
	return Values{
		Price:        price,
		Delta:        (up - dn) / (2 * ds),
		Gamma:        (up - 2*price + dn) / (ds * ds),
		ThetaPerYear: theta,
		ThetaPerDay:  theta * (1.0 / DaysPerYear),
		VegaPerPoint: vega * 0.01,
		RhoPerPoint:  rho * 0.01,
	}
}

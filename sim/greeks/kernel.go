package greeks

import "math"

// The European kernel of Compute runs a block of contracts through three passes
// instead of each contract through one long chain of dependent operations. Within a
// pass the contracts are independent, so the processor overlaps many of them; one
// contract at a time, the latency of the logarithm, then the exponential and Mills
// ratio polynomials, then their combination would leave most of it idle. The same
// passes run on a block of one for Option.Values, so both give identical results.
//
// The table-driven log, exp and Mills ratio are written out in place (their fast
// paths, with fastLog, fastExp and mills as fallbacks) because Go does not inline
// functions this large; the arithmetic is exactly theirs.

// laneBlock is the number of contracts Compute carries through the passes at once.
const laneBlock = 64

// euroLane is one European strike and expiry at one volatility on its way through the
// kernel. It serves a call, a put or both: they share everything up to the last pass,
// so a chain that lists both at the same volatility pays for one.
type euroLane struct {
	k, sigma           float64 // strike and volatility
	ex                 int     // index of the expiry in the kernel's laneExpiry slice
	at                 int     // where pass 3 writes the results, see runEuropeanScalar
	put                int     // 1 if the side written first, at at, is the put's
	fk, x, inv, d1, d2 float64 // pass 1: F/K, ln(F/K), 1/(σ√T), d1, d2
	phi1, m1, m2       float64 // pass 2: φ(d1), Φ(−|d1|), Φ(−|d2|)
}

// laneExpiry holds the factors of one expiry that the kernel's lanes share, for a
// spot S, rate r and dividend yield q.
type laneExpiry struct {
	t, sqrtT  float64 // T, √T
	df, dq, f float64 // e^{−rT}, e^{−qT} and the forward F = S·e^{(r−q)T}
	dff       float64 // e^{−rT}·F = S·e^{−qT}
	gamma     float64 // e^{−qT}/S: gamma is this times φ(d1)/(σ√T)
	vega      float64 // e^{−qT}·S·√T/100: vega per point is this times φ(d1)
	decay     float64 // −e^{−qT}·S/(2√T): theta's first term is this times φ(d1)·σ
	qdff      float64 // q·S·e^{−qT}
	rhoT      float64 // T/100: rho per point is this times ±K·e^{−rT}·Φ(±d2)
}

// set sets x from the expiry e, the spot s and the dividend yield q.
func (x *laneExpiry) set(e *expiry, s, q float64) {
	f := s * e.growth
	dff := e.df * f
	*x = laneExpiry{t: e.t, sqrtT: e.sqrtT, df: e.df, dq: e.dq, f: f, dff: dff, gamma: e.dq / s,
		vega: dff * e.sqrtT * 0.01, decay: -0.5 * dff / e.sqrtT, qdff: q * dff, rhoT: e.t * 0.01}
}

// laneOut is one contract's results from the kernel, in the units of Values, at the
// positions outPrice … outRho (the eighth is padding).
type laneOut [8]float64

// Positions in a laneOut.
const (
	outPrice = iota
	outDelta
	outGamma
	outThetaYear
	outThetaDay
	outVega
	outRho
)

// europeanValues returns the price and greeks of one European contract, from the
// same kernel as Compute.
func europeanValues(call bool, s, k, r, q, sigma float64, e *expiry) Values {
	var res [2]laneOut
	var x [1]laneExpiry
	x[0].set(e, s, q)
	l := [1]euroLane{{k: k, sigma: sigma}}
	if !call {
		l[0].put = 1
	}
	runEuropean(l[:], x[:], r, res[:])
	o := &res[0]
	return Values{o[outPrice], o[outDelta], o[outGamma], o[outThetaYear], o[outThetaDay], o[outVega], o[outRho]}
}

// runEuropeanScalar values the lanes, whose expiries are exps (for one spot and
// dividend yield), at rate r: Black-Scholes-Merton prices and greeks, into res. A
// lane writes one side's results at its position at and the other side's at at+1; a
// lane serving one contract is followed by a lane that starts at at+1 and overwrites
// them, so the results come out in the order the contracts were queued. res must
// have room for the last lane's at+1. The option on the out-of-the-money side of the
// forward is computed directly and the other from put-call parity, so the pair
// satisfies parity to rounding and neither loses accuracy by cancellation.
//
// runEuropean calls it, or in builds with GOEXPERIMENT=simd on processors with
// AVX-512 a vector kernel that gives the same results bit for bit.
func runEuropeanScalar(lanes []euroLane, exps []laneExpiry, r float64, res []laneOut) {
	lanePass1(lanes, exps)
	lanePass2(lanes)
	lanePass3(lanes, exps, r, res)
}

// lanePass1 computes x = ln(F/K) (as fastLog) and d1, d2.
func lanePass1(lanes []euroLane, exps []laneExpiry) {
	for i := range lanes {
		l := &lanes[i]
		e := &exps[l.ex]
		sd := l.sigma * e.sqrtT
		fk := e.f / l.k
		var x float64
		if b := math.Float64bits(fk); b-0x0010000000000000 < 0x7ff0000000000000-0x0010000000000000 {
			kk := int64(b-0x3fe6a09e667f3bcd) >> 52
			mb := b - uint64(kk)<<52
			i, cb := logIndex(mb)
			lt := &logTab[i]
			r := (math.Float64frombits(mb) - math.Float64frombits(cb)) * lt.invc
			r2 := r * r
			r4 := r2 * r2
			p := (-0.5 + r*(1.0/3)) + r2*(-0.25+r*0.2) + r4*((-1.0/6+r*(1.0/7))+r2*(-0.125+r*(1.0/9)))
			fe := float64(kk)
			x = fe*logLn2Hi + lt.hi + (fe*logLn2Lo + lt.lo + (r + r2*p))
		} else {
			x = fastLog(fk)
		}
		inv := 1 / sd
		d1 := x*inv + 0.5*sd
		l.fk, l.x, l.inv, l.d1, l.d2 = fk, x, inv, d1, d1-sd
	}
}

// lanePass2 computes the densities and the tail probabilities Φ(−|d1|), Φ(−|d2|).
// φ(d2) = φ(d1)·F/K: the exponential is taken of the larger density, which is then
// scaled down, so the smaller one underflows gracefully.
func lanePass2(lanes []euroLane) {
	for i := range lanes {
		l := &lanes[i]
		dn, ratio := l.d1, l.fk
		if l.x > 0 {
			dn, ratio = l.d2, 1/l.fk
		}
		var en float64 // e^{−dn²/2}, as fastExp
		if y := -0.5 * dn * dn; y > -708 {
			kd := y*expInvLn2 + expShift
			ki := math.Float64bits(kd)
			kd -= expShift
			r := y - kd*expLn2HiN - kd*expLn2LoN
			scale := math.Float64frombits(exp2Tab[ki&127] + (ki>>7)<<52)
			r2 := r * r
			en = scale + scale*(r+r2*((0.5+r*(1.0/6))+r2*(1.0/24+r*(1.0/120))))
		} else {
			en = fastExp(y)
		}
		near := invSqrt2Pi * en
		phi1, phi2 := near, near*ratio
		if l.x > 0 {
			phi1, phi2 = near*ratio, near
		}
		// Mills ratios, as mills.
		a1, a2 := math.Abs(l.d1), math.Abs(l.d2)
		var m1, m2 float64
		if a1 < 8 {
			i := int(a1 * 4)
			c := &millsTab[i]
			u := a1 - (float64(i)*0.25 + 0.125)
			u2 := u * u
			u4 := u2 * u2
			m1 = (c[0] + u*c[1]) + u2*(c[2]+u*c[3]) + u4*((c[4]+u*c[5])+u2*(c[6]+u*c[7])) + u4*u4*((c[8]+u*c[9])+u2*c[10])
		} else {
			m1 = mills(a1)
		}
		if a2 < 8 {
			i := int(a2 * 4)
			c := &millsTab[i]
			u := a2 - (float64(i)*0.25 + 0.125)
			u2 := u * u
			u4 := u2 * u2
			m2 = (c[0] + u*c[1]) + u2*(c[2]+u*c[3]) + u4*((c[4]+u*c[5])+u2*(c[6]+u*c[7])) + u4*u4*((c[8]+u*c[9])+u2*c[10])
		} else {
			m2 = mills(a2)
		}
		l.phi1, l.m1, l.m2 = phi1, m1*phi1, m2*phi2
	}
}

// lanePass3 combines the probabilities into the prices and greeks of the call and
// the put, and writes them into res.
func lanePass3(lanes []euroLane, exps []laneExpiry, r float64, res []laneOut) {
	for i := range lanes {
		l := &lanes[i]
		e := &exps[l.ex]
		m1, m2 := l.m1, l.m2
		n1, c1 := m1, 1-m1 // Φ(d1), Φ(−d1)
		if l.d1 >= 0 {
			n1, c1 = c1, n1
		}
		n2, c2 := m2, 1-m2
		if l.d2 >= 0 {
			n2, c2 = c2, n2
		}
		dff := e.dff // S·e^{−qT}
		dfk := e.df * l.k
		var otm float64 // the out-of-the-money option: call if F ≤ K, else put
		if l.x <= 0 {
			otm = dff*n1 - dfk*n2
		} else {
			otm = dfk*c2 - dff*c1
		}
		if otm < 0 {
			otm = 0
		}
		call, put := otm, otm
		if l.x > 0 {
			call += dff - dfk
		} else {
			put += dfk - dff
		}
		phi := l.phi1
		gamma := e.gamma * phi * l.inv
		decay := e.decay * phi * l.sigma
		rdfk, rho := r*dfk, dfk*e.rhoT
		cTheta, pTheta := decay-rdfk*n2+e.qdff*n1, decay+rdfk*c2-e.qdff*c1
		co, po := &res[l.at+l.put], &res[l.at+1-l.put] // where the call's and the put's go
		co[outPrice], po[outPrice] = call, put
		co[outDelta], po[outDelta] = e.dq*n1, -e.dq*c1
		co[outGamma], po[outGamma] = gamma, gamma
		co[outThetaYear], po[outThetaYear] = cTheta, pTheta
		co[outThetaDay], po[outThetaDay] = cTheta*(1.0/DaysPerYear), pTheta*(1.0/DaysPerYear)
		co[outVega], po[outVega] = e.vega*phi, e.vega*phi
		co[outRho], po[outRho] = rho*n2, -rho*c2
	}
}

// europeanPrice returns the European value alone.
func europeanPrice(call bool, s, k, t, r, q, sigma float64) float64 {
	var e expiry
	e.set(t, r, q)
	return europeanValues(call, s, k, r, q, sigma, &e).Price
}

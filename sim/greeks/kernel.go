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

// euroLane is one European contract on its way through the kernel.
type euroLane struct {
	call                                  bool
	k, sigma                              float64 // strike and volatility
	t, sqrtT, df, dq, growth              float64 // from the contract's expiry
	f, fk, x, inv, d1, d2                 float64 // pass 1: forward, F/K, ln(F/K), 1/(σ√T), d1, d2
	phi1, m1, m2                          float64 // pass 2: φ(d1), Φ(−|d1|), Φ(−|d2|)
	price, delta, gamma, theta, vega, rho float64 // pass 3: theta per year, vega and rho per unit
}

// load sets the lane's inputs.
func (l *euroLane) load(call bool, k, sigma float64, e *expiry) {
	l.call, l.k, l.sigma = call, k, sigma
	l.t, l.sqrtT, l.df, l.dq, l.growth = e.t, e.sqrtT, e.df, e.dq, e.growth
}

// values returns the lane's results in the units of Values.
func (l *euroLane) values() Values {
	return Values{l.price, l.delta, l.gamma, l.theta, l.theta * (1.0 / DaysPerYear), l.vega * 0.01, l.rho * 0.01}
}

// runEuropean values the lanes: Black-Scholes-Merton price and greeks with spot s,
// rate r and dividend yield q. The option on the out-of-the-money side of the forward
// is computed directly and the other from put-call parity, so the pair satisfies
// parity to rounding and neither loses accuracy by cancellation.
func runEuropean(lanes []euroLane, s, r, q float64) {
	for i := range lanes {
		lanePass1(&lanes[i], s)
	}
	for i := range lanes {
		lanePass2(&lanes[i])
	}
	for i := range lanes {
		lanePass3(&lanes[i], s, r, q)
	}
}

// lanePass1 computes the forward, x = ln(F/K) (as fastLog) and d1, d2.
func lanePass1(l *euroLane, s float64) {
	sd := l.sigma * l.sqrtT
	f := s * l.growth
	fk := f / l.k
	var x float64
	if b := math.Float64bits(fk); b-0x0010000000000000 < 0x7ff0000000000000-0x0010000000000000 {
		kk := int64(b-0x3fe6a09e667f3bcd) >> 52
		m := math.Float64frombits(b - uint64(kk)<<52)
		i := int((m-1)*128 + 38.5)
		lt := &logTab[i]
		r := (m - (1 + float64(i-38)*(1.0/128))) * lt.invc
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
	l.f, l.fk, l.x, l.inv, l.d1, l.d2 = f, fk, x, inv, d1, d1-sd
}

// lanePass2 computes the densities and the tail probabilities Φ(−|d1|), Φ(−|d2|).
// φ(d2) = φ(d1)·F/K: the exponential is taken of the larger density, which is then
// scaled down, so the smaller one underflows gracefully.
func lanePass2(l *euroLane) {
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
		en = scale + scale*(r+r2*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720))))))
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

// lanePass3 combines the probabilities into the price and greeks.
func lanePass3(l *euroLane, s, r, q float64) {
	m1, m2 := l.m1, l.m2
	n1, c1 := m1, 1-m1 // Φ(d1), Φ(−d1)
	if l.d1 >= 0 {
		n1, c1 = c1, n1
	}
	n2, c2 := m2, 1-m2
	if l.d2 >= 0 {
		n2, c2 = c2, n2
	}
	dff := l.df * l.f // S·e^{−qT}
	dfk := l.df * l.k
	var otm float64 // the out-of-the-money option: call if F ≤ K, else put
	if l.x <= 0 {
		otm = dff*n1 - dfk*n2
	} else {
		otm = dfk*c2 - dff*c1
	}
	if otm < 0 {
		otm = 0
	}
	vega := dff * l.phi1 * l.sqrtT
	l.vega = vega
	l.gamma = l.dq * l.phi1 * l.inv / s
	decay := -0.5 * vega * l.sigma / l.t
	if l.call {
		l.price = otm
		if l.x > 0 {
			l.price += dff - dfk
		}
		l.delta = l.dq * n1
		l.theta = decay - r*dfk*n2 + q*dff*n1
		l.rho = dfk * l.t * n2
	} else {
		l.price = otm
		if l.x <= 0 {
			l.price += dfk - dff
		}
		l.delta = -l.dq * c1
		l.theta = decay + r*dfk*c2 - q*dff*c1
		l.rho = -dfk * l.t * c2
	}
}

// laneBatch gathers the European contracts of a chain into blocks for the kernel.
type laneBatch struct {
	n     int
	lanes [laneBlock]euroLane
	index [laneBlock]int // contract of each lane
}

// add queues contract i.
func (b *laneBatch) add(i int, call bool, k, sigma float64, e *expiry) {
	b.lanes[b.n].load(call, k, sigma, e)
	b.index[b.n] = i
	b.n++
}

// flush values the queued contracts and writes their results into g.
func (b *laneBatch) flush(g *Greeks, s, r, q float64) {
	lanes, index := b.lanes[:b.n], b.index[:b.n]
	b.n = 0
	runEuropean(lanes, s, r, q)
	for j := range lanes {
		if l := &lanes[j]; math.IsNaN(l.price) { // overflow from extreme inputs: all NaN
			nan := math.NaN()
			l.delta, l.gamma, l.theta, l.vega, l.rho = nan, nan, nan, nan, nan
		}
	}
	if g.Price != nil {
		for j, i := range index {
			g.Price[i] = lanes[j].price
		}
	}
	if g.Delta != nil {
		for j, i := range index {
			g.Delta[i] = lanes[j].delta
		}
	}
	if g.Gamma != nil {
		for j, i := range index {
			g.Gamma[i] = lanes[j].gamma
		}
	}
	if g.ThetaPerYear != nil {
		for j, i := range index {
			g.ThetaPerYear[i] = lanes[j].theta
		}
	}
	if g.ThetaPerDay != nil {
		for j, i := range index {
			g.ThetaPerDay[i] = lanes[j].theta * (1.0 / DaysPerYear)
		}
	}
	if g.VegaPerPoint != nil {
		for j, i := range index {
			g.VegaPerPoint[i] = lanes[j].vega * 0.01
		}
	}
	if g.RhoPerPoint != nil {
		for j, i := range index {
			g.RhoPerPoint[i] = lanes[j].rho * 0.01
		}
	}
	if g.Reason != nil {
		for j, i := range index {
			g.Reason[i] = OK
			if math.IsNaN(lanes[j].price) {
				g.Reason[i] = OutOfRange
			}
		}
	}
}

// europeanPrice returns the European value alone.
func europeanPrice(call bool, s, k, t, r, q, sigma float64) float64 {
	var e expiry
	e.set(t, r, q)
	var l [1]euroLane
	l[0].load(call, k, sigma, &e)
	runEuropean(l[:], s, r, q)
	return l[0].price
}

//go:build goexperiment.simd && amd64

package greeks

import "simd/archsimd"

// The vector kernel runs the European kernel's passes on the lanes of a block in
// groups of eight, in the registers of AVX-512; the lanes left over after the last
// whole group take the scalar passes. Like the scalar kernel it goes through the
// block one pass at a time, so that the processor overlaps the groups' chains of
// dependent operations, and it keeps the values passed between passes in a
// vecBlock, by field. Every operation is the scalar kernel's, in the same order and
// without fused multiply-adds, and the tables are the same, so the results are bit
// for bit those of runEuropeanScalar. Elements that leave the fast paths of the
// logarithm and the exponential are recomputed with fastLog and fastExp; the Mills
// ratio's asymptotic branch is vectorised too. The rows of logTab and exp2Tab are
// looked up by scalar loads between the passes; the Mills ratio's coefficients are
// picked from the table's columns by permutes (see millsVec).
//
// Unlike the scalar passes, the vector kernel leaves the pass fields of the lanes
// (fk … m2) unset, and it writes whole laneOuts, the padding (as zero) included.

// runEuropean values the lanes as runEuropeanScalar does, with the vector kernel for
// whole groups of eight lanes when the processor has AVX-512.
func runEuropean(lanes []euroLane, exps []laneExpiry, r float64, res []laneOut) {
	if len(lanes) < 8 || !archsimd.X86.AVX512() {
		runEuropeanScalar(lanes, exps, r, res)
		return
	}
	runEuropeanVec(lanes, exps, r, res)
}

// vectorKernel reports whether runEuropean uses the vector kernel.
func vectorKernel() bool { return archsimd.X86.AVX512() }

// runEuropeanVec is runEuropeanScalar with the vector kernel for each whole group of
// eight lanes. The processor must have AVX-512.
func runEuropeanVec(lanes []euroLane, exps []laneExpiry, r float64, res []laneOut) {
	n := len(lanes) &^ 7
	var b vecBlock
	for i := 0; i < n; i += laneBlock {
		b.run(lanes[i:min(i+laneBlock, n)], exps, r, res)
	}
	if n < len(lanes) {
		runEuropeanScalar(lanes[n:], exps, r, res)
	}
}

// vecBlock holds the vector kernel's values for up to laneBlock lanes, by field.
type vecBlock struct {
	k, sigma, f, sqrtT [laneBlock]float64 // the lanes' inputs
	fk, x, inv, d1, d2 [laneBlock]float64 // as in euroLane
	y                  [laneBlock]float64 // −dn²/2, see lanePass2
	phi, m1, m2        [laneBlock]float64 // as in euroLane
	idx                [laneBlock]uint64  // indices into logTab, then exp2Tab
	invc, hi, lo       [laneBlock]float64 // logTab at idx
	tab                [laneBlock]uint64  // exp2Tab at idx
}

// load8 returns elements 8g to 8g+7 of a.
func load8(a *[laneBlock]float64, g int) f64x8 {
	return archsimd.LoadFloat64x8((*[8]float64)(a[8*g:]))
}

// store8 stores v in elements 8g to 8g+7 of a.
func store8(v f64x8, a *[laneBlock]float64, g int) {
	v.Store((*[8]float64)(a[8*g:]))
}

// run values the lanes l, a multiple of eight and at most laneBlock of them.
func (b *vecBlock) run(l []euroLane, exps []laneExpiry, r float64, res []laneOut) {
	for i := range l {
		e := &exps[l[i].ex]
		b.k[i], b.sigma[i], b.f[i], b.sqrtT[i] = l[i].k, l[i].sigma, e.f, e.sqrtT
	}
	n := len(l) / 8
	// Scalar code after AVX-512 code runs slowly (on this machine, at a third of its
	// speed) until the upper halves of the vector registers are cleared: they are,
	// after each run of vector passes.
	for g := range n {
		b.pass1(g)
	}
	archsimd.ClearAVXUpperBits()
	for i := range l {
		t := &logTab[b.idx[i]]
		b.invc[i], b.hi[i], b.lo[i] = t.invc, t.hi, t.lo
	}
	for g := range n {
		b.pass2(g)
	}
	archsimd.ClearAVXUpperBits()
	for i := range l {
		b.tab[i] = exp2Tab[b.idx[i]&127]
	}
	for g := range n {
		b.pass3(g)
	}
	for g := range n {
		b.pass4((*[8]euroLane)(l[8*g:]), g, exps, r, res)
	}
	archsimd.ClearAVXUpperBits()
}

// pass1 computes F/K for group g and the logTab indices of its logarithm.
func (b *vecBlock) pass1(g int) {
	fk := load8(&b.f, g).Div(load8(&b.k, g))
	store8(fk, &b.fk, g)
	_, mb, ok := logSplit(fk)
	i, _ := logIndexVec(mb)
	i.Merge(u64x8{}, ok).Store((*[8]uint64)(b.idx[8*g:]))
}

// pass2 completes lanePass1 for group g, x = ln(F/K), 1/(σ√T), d1 and d2, and
// starts the exponential of lanePass2.
func (b *vecBlock) pass2(g int) {
	fk := load8(&b.fk, g)
	kk, mb, ok := logSplit(fk)
	x := logFinish(kk, mb, load8(&b.invc, g), load8(&b.hi, g), load8(&b.lo, g))
	if bits := ok.ToBits(); bits != allSet {
		x = patch(x, fk, bits, fastLog)
	}
	sd := load8(&b.sigma, g).Mul(load8(&b.sqrtT, g))
	inv := vf(1).Div(sd)
	d1 := x.Mul(inv).Add(vf(0.5).Mul(sd))
	d2 := d1.Sub(sd)
	dn := d2.Merge(d1, x.Greater(f64x8{}))
	y := vf(-0.5).Mul(dn).Mul(dn)
	_, ki := expSplit(y)
	ki.And(vu(127)).Store((*[8]uint64)(b.idx[8*g:]))
	store8(x, &b.x, g)
	store8(inv, &b.inv, g)
	store8(d1, &b.d1, g)
	store8(d2, &b.d2, g)
	store8(y, &b.y, g)
}

// pass3 completes lanePass2 for group g: φ(d1), Φ(−|d1|) and Φ(−|d2|).
func (b *vecBlock) pass3(g int) {
	y := load8(&b.y, g)
	kd, ki := expSplit(y)
	en := expFinish(y, kd, ki, archsimd.LoadUint64x8((*[8]uint64)(b.tab[8*g:])))
	if bits := y.Greater(vf(-708)).ToBits(); bits != allSet {
		en = patch(en, y, bits, fastExp)
	}
	fk, x := load8(&b.fk, g), load8(&b.x, g)
	xpos := x.Greater(f64x8{})
	ratio := vf(1).Div(fk).Merge(fk, xpos)
	near := vf(invSqrt2Pi).Mul(en)
	far := near.Mul(ratio)
	phi1, phi2 := far.Merge(near, xpos), near.Merge(far, xpos)
	store8(phi1, &b.phi, g)
	store8(millsVec(vabs(load8(&b.d1, g))).Mul(phi1), &b.m1, g)
	store8(millsVec(vabs(load8(&b.d2, g))).Mul(phi2), &b.m2, g)
}

// pass4 is lanePass3 for group g, whose lanes are l: it combines the probabilities
// into the prices and greeks of the calls and the puts and writes them into res.
func (b *vecBlock) pass4(l *[8]euroLane, g int, exps []laneExpiry, r float64, res []laneOut) {
	df, dq, dff, eGamma, eVega, eDecay, qdff, rhoT := expiryVecs(l, exps)
	k, sigma, x, inv := load8(&b.k, g), load8(&b.sigma, g), load8(&b.x, g), load8(&b.inv, g)
	phi, m1, m2 := load8(&b.phi, g), load8(&b.m1, g), load8(&b.m2, g)
	zero, one := f64x8{}, vf(1)
	d1pos, d2pos := load8(&b.d1, g).GreaterEqual(zero), load8(&b.d2, g).GreaterEqual(zero)
	n1, c1 := one.Sub(m1).Merge(m1, d1pos), m1.Merge(one.Sub(m1), d1pos) // Φ(d1), Φ(−d1)
	n2, c2 := one.Sub(m2).Merge(m2, d2pos), m2.Merge(one.Sub(m2), d2pos)
	dfk := df.Mul(k)
	xpos := x.Greater(zero)
	otm := dff.Mul(n1).Sub(dfk.Mul(n2)).Merge(dfk.Mul(c2).Sub(dff.Mul(c1)), x.LessEqual(zero))
	otm = zero.Merge(otm, otm.Less(zero))
	call, put := otm.Add(dff.Sub(dfk)).Merge(otm, xpos), otm.Merge(otm.Add(dfk.Sub(dff)), xpos)
	gamma := eGamma.Mul(phi).Mul(inv)
	decay := eDecay.Mul(phi).Mul(sigma)
	rdfk, rho := vf(r).Mul(dfk), dfk.Mul(rhoT)
	cTheta := decay.Sub(rdfk.Mul(n2)).Add(qdff.Mul(n1))
	pTheta := decay.Add(rdfk.Mul(c2)).Sub(qdff.Mul(c1))
	vega := eVega.Mul(phi)
	perDay := vf(1.0 / DaysPerYear)
	o0, o1, o2, o3, o4, o5, o6, o7 := transpose8(call, dq.Mul(n1), gamma, cTheta,
		cTheta.Mul(perDay), vega, rho.Mul(n2), zero)
	q0, q1, q2, q3, q4, q5, q6, q7 := transpose8(put, vneg(dq).Mul(c1), gamma, pTheta,
		pTheta.Mul(perDay), vega, vneg(rho).Mul(c2), zero)
	storeLane(&l[0], res, o0, q0)
	storeLane(&l[1], res, o1, q1)
	storeLane(&l[2], res, o2, q2)
	storeLane(&l[3], res, o3, q3)
	storeLane(&l[4], res, o4, q4)
	storeLane(&l[5], res, o5, q5)
	storeLane(&l[6], res, o6, q6)
	storeLane(&l[7], res, o7, q7)
}

// expiryVecs returns the laneExpiry factors pass4 uses, for the lanes l.
func expiryVecs(l *[8]euroLane, exps []laneExpiry) (df, dq, dff, gamma, vega, decay, qdff, rhoT f64x8) {
	if sameExpiry(l) {
		e := &exps[l[0].ex]
		return vf(e.df), vf(e.dq), vf(e.dff), vf(e.gamma), vf(e.vega), vf(e.decay), vf(e.qdff), vf(e.rhoT)
	}
	var b [8][8]float64
	for j := range l {
		e := &exps[l[j].ex]
		b[0][j], b[1][j], b[2][j], b[3][j] = e.df, e.dq, e.dff, e.gamma
		b[4][j], b[5][j], b[6][j], b[7][j] = e.vega, e.decay, e.qdff, e.rhoT
	}
	return archsimd.LoadFloat64x8(&b[0]), archsimd.LoadFloat64x8(&b[1]),
		archsimd.LoadFloat64x8(&b[2]), archsimd.LoadFloat64x8(&b[3]),
		archsimd.LoadFloat64x8(&b[4]), archsimd.LoadFloat64x8(&b[5]),
		archsimd.LoadFloat64x8(&b[6]), archsimd.LoadFloat64x8(&b[7])
}

// sameExpiry reports whether the eight lanes share one expiry.
func sameExpiry(l *[8]euroLane) bool {
	ex := l[0].ex
	for j := 1; j < len(l); j++ {
		if l[j].ex != ex {
			return false
		}
	}
	return true
}

// storeLane writes a lane's call results c and put results p (as laneOuts, padding
// included) where lanePass3 would. Whole stores are much faster than stores masked to
// leave the padding alone.
func storeLane(l *euroLane, res []laneOut, c, p f64x8) {
	c.Store((*[8]float64)(&res[l.at+l.put]))
	p.Store((*[8]float64)(&res[l.at+1-l.put]))
}

// transposeIdx holds the permutations of transpose8: by pairs of elements, of
// pairs, and of quadruples.
var transposeIdx = [6][8]uint64{
	{0, 8, 2, 10, 4, 12, 6, 14}, {1, 9, 3, 11, 5, 13, 7, 15},
	{0, 1, 8, 9, 4, 5, 12, 13}, {2, 3, 10, 11, 6, 7, 14, 15},
	{0, 1, 2, 3, 8, 9, 10, 11}, {4, 5, 6, 7, 12, 13, 14, 15},
}

// transpose8 returns the columns of the 8×8 matrix with rows r0 … r7.
func transpose8(r0, r1, r2, r3, r4, r5, r6, r7 f64x8) (c0, c1, c2, c3, c4, c5, c6, c7 f64x8) {
	i := &transposeIdx
	lo, hi := archsimd.LoadUint64x8(&i[0]), archsimd.LoadUint64x8(&i[1])
	t0, t1 := r0.ConcatPermute(r1, lo), r0.ConcatPermute(r1, hi)
	t2, t3 := r2.ConcatPermute(r3, lo), r2.ConcatPermute(r3, hi)
	t4, t5 := r4.ConcatPermute(r5, lo), r4.ConcatPermute(r5, hi)
	t6, t7 := r6.ConcatPermute(r7, lo), r6.ConcatPermute(r7, hi)
	lo, hi = archsimd.LoadUint64x8(&i[2]), archsimd.LoadUint64x8(&i[3])
	u0, u2 := t0.ConcatPermute(t2, lo), t0.ConcatPermute(t2, hi)
	u1, u3 := t1.ConcatPermute(t3, lo), t1.ConcatPermute(t3, hi)
	u4, u6 := t4.ConcatPermute(t6, lo), t4.ConcatPermute(t6, hi)
	u5, u7 := t5.ConcatPermute(t7, lo), t5.ConcatPermute(t7, hi)
	lo, hi = archsimd.LoadUint64x8(&i[4]), archsimd.LoadUint64x8(&i[5])
	c0, c4 = u0.ConcatPermute(u4, lo), u0.ConcatPermute(u4, hi)
	c1, c5 = u1.ConcatPermute(u5, lo), u1.ConcatPermute(u5, hi)
	c2, c6 = u2.ConcatPermute(u6, lo), u2.ConcatPermute(u6, hi)
	c3, c7 = u3.ConcatPermute(u7, lo), u3.ConcatPermute(u7, hi)
	return
}

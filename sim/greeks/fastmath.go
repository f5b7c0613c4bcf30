package greeks

import "math"

// Table-driven exp and log for the hot loops. Both stay within about one unit in the
// last place of the exact result (the tests hold them to two units of package math,
// which is itself within one, over the whole range), at roughly half the cost of
// math.Exp and math.Log. Arguments
// outside the fast range (overflow, underflow into subnormals, zero, negative, Inf,
// NaN) go to package math, so the special cases behave exactly as there.

const (
	// ln2/128 split so that k·expLn2HiN is exact for |k| < 2^24.
	expLn2HiN = 0.005415212333900854
	expLn2LoN = 1.4223718738313642e-11
	expInvLn2 = 184.6649652337873  // 128/ln2
	expShift  = 6755399441055744.0 // 1.5·2^52: adding it rounds to an integer

	// ln2 split so that e·logLn2Hi is exact for every binary exponent e.
	logLn2Hi = 0.6931471805582987
	logLn2Lo = 1.6465949582897082e-12
)

// fastExp returns e^x.
func fastExp(x float64) float64 {
	if !(math.Abs(x) < 708) { // also NaN
		return math.Exp(x)
	}
	kd := x*expInvLn2 + expShift
	ki := math.Float64bits(kd)
	kd -= expShift
	r := x - kd*expLn2HiN - kd*expLn2LoN // |r| ≤ ln2/256
	scale := math.Float64frombits(exp2Tab[ki&127] + (ki>>7)<<52)
	r2 := r * r
	t := r + r2*((0.5+r*(1.0/6))+r2*(1.0/24+r*(1.0/120))) // the r⁶ term is below 1e-18
	return scale + scale*t
}

// fastLog returns the natural logarithm of y. Unlike math.Log on amd64 (Go issue
// 56600), it is right for subnormal y too.
func fastLog(y float64) float64 {
	b := math.Float64bits(y)
	var e int64
	if b-0x0010000000000000 >= 0x7ff0000000000000-0x0010000000000000 {
		if !(y > 0 && y < 0x1p-1022) {
			return math.Log(y) // zero, negative, Inf, NaN
		}
		b = math.Float64bits(y * 0x1p54) // subnormal: scale into the normal range
		e = -54
	}
	// y = 2^e·m with m in [1/√2, √2).
	k := int64(b-0x3fe6a09e667f3bcd) >> 52
	mb := b - uint64(k)<<52 // the bits of m
	e += k
	i, cb := logIndex(mb)
	t := &logTab[i]
	r := (math.Float64frombits(mb) - math.Float64frombits(cb)) * t.invc // |r| ≤ 1/181: log(m) = log(c) + log1p(r)
	r2 := r * r
	r4 := r2 * r2
	q := (-0.5 + r*(1.0/3)) + r2*(-0.25+r*0.2) + r4*((-1.0/6+r*(1.0/7))+r2*(-0.125+r*(1.0/9)))
	fe := float64(e)
	return fe*logLn2Hi + t.hi + (fe*logLn2Lo + t.lo + (r + r2*q))
}

// logIndex returns, for m in [1/√2, √2) given by its bits mb, the index i of the
// nearest point c = 1 + (i−38)/128 of logTab's grid, and the bits of c: with integer
// arithmetic on the fraction field, i = ⌊(m−1)·128 + 38.5⌋ exactly.
func logIndex(mb uint64) (int, uint64) {
	frac := mb & (1<<52 - 1)
	if mb >= 0x3ff0000000000000 { // m ≥ 1: m = 1 + frac/2^52
		j := (frac + 1<<44) >> 45
		return int(j) + 38, 0x3ff0000000000000 + j<<45
	}
	// m < 1: m = (1 + frac/2^52)/2, so i = ⌊frac/2^46 − 25.5⌋, and c = (90+i)/128 has
	// the fraction field (26+i)·2^46.
	j := (frac - 51<<45) >> 46
	return int(j), 0x3fe0000000000000 + (26+j)<<46
}

// logs replaces each y[i] by fastLog(y[i]). The fast path is written out in the loop,
// which Go would not inline, so that the processor overlaps the logarithms.
func logs(y []float64) {
	for i, v := range y {
		b := math.Float64bits(v)
		if b-0x0010000000000000 >= 0x7ff0000000000000-0x0010000000000000 {
			y[i] = fastLog(v)
			continue
		}
		k := int64(b-0x3fe6a09e667f3bcd) >> 52
		mb := b - uint64(k)<<52
		j, cb := logIndex(mb)
		t := &logTab[j]
		r := (math.Float64frombits(mb) - math.Float64frombits(cb)) * t.invc
		r2 := r * r
		r4 := r2 * r2
		q := (-0.5 + r*(1.0/3)) + r2*(-0.25+r*0.2) + r4*((-1.0/6+r*(1.0/7))+r2*(-0.125+r*(1.0/9)))
		fe := float64(k)
		y[i] = fe*logLn2Hi + t.hi + (fe*logLn2Lo + t.lo + (r + r2*q))
	}
}

// exps replaces each y[i] by fastExp(y[i]), with the fast path written out as in logs.
func exps(y []float64) {
	for i, v := range y {
		if !(math.Abs(v) < 708) {
			y[i] = fastExp(v)
			continue
		}
		kd := v*expInvLn2 + expShift
		ki := math.Float64bits(kd)
		kd -= expShift
		r := v - kd*expLn2HiN - kd*expLn2LoN
		scale := math.Float64frombits(exp2Tab[ki&127] + (ki>>7)<<52)
		r2 := r * r
		y[i] = scale + scale*(r+r2*((0.5+r*(1.0/6))+r2*(1.0/24+r*(1.0/120))))
	}
}

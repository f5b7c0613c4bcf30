//go:build goexperiment.simd && amd64

package greeks

import "simd/archsimd"

// The fast paths of fastLog, fastExp and mills on eight elements at once, for the
// vector kernel. The operations are those of the scalar code, one for one and in the
// same order, and none is fused, so every element comes out bit for bit as the scalar
// code computes it. Elements outside a fast path are reported to the caller, which
// recomputes them with the scalar fallback.

// Short names for the vector types.
type (
	f64x8 = archsimd.Float64x8
	u64x8 = archsimd.Uint64x8
	mask8 = archsimd.Mask64x8
)

// vf returns a vector with x in every element.
func vf(x float64) f64x8 { return archsimd.BroadcastFloat64x8(x) }

// vu returns a vector with x in every element.
func vu(x uint64) u64x8 { return archsimd.BroadcastUint64x8(x) }

// vabs returns |x| element by element, as math.Abs: with the sign bit cleared.
func vabs(x f64x8) f64x8 { return x.AsUint64x8().AndNot(vu(1 << 63)).AsFloat64x8() }

// vneg returns −x element by element: with the sign bit flipped.
func vneg(x f64x8) f64x8 { return x.AsUint64x8().Xor(vu(1 << 63)).AsFloat64x8() }

// allSet is the bits of a Mask64x8 with every element set.
const allSet = 0xff

// patch returns v with each element whose bit in ok is clear replaced by f of that
// element of y.
func patch(v, y f64x8, ok uint8, f func(float64) float64) f64x8 {
	var vb, yb [8]float64
	v.Store(&vb)
	y.Store(&yb)
	for j := range vb {
		if ok&(1<<j) == 0 {
			vb[j] = f(yb[j])
		}
	}
	return archsimd.LoadFloat64x8(&vb)
}

// logSplit splits y = 2^k·m with m in [1/√2, √2) as fastLog does, where y is
// positive, finite and normal: it returns k, the bits of m and the mask of those
// elements. Elsewhere k and m are garbage.
func logSplit(y f64x8) (k archsimd.Int64x8, mb u64x8, ok mask8) {
	b := y.AsUint64x8()
	ok = b.Sub(vu(0x0010000000000000)).Less(vu(0x7ff0000000000000 - 0x0010000000000000))
	k = b.Sub(vu(0x3fe6a09e667f3bcd)).AsInt64x8().ShiftAllRight(52)
	return k, b.Sub(k.AsUint64x8().ShiftAllLeft(52)), ok
}

// logIndexVec is logIndex element by element.
func logIndexVec(mb u64x8) (i, cb u64x8) {
	frac := mb.And(vu(1<<52 - 1))
	ge1 := mb.GreaterEqual(vu(0x3ff0000000000000))
	j1 := frac.Add(vu(1 << 44)).ShiftAllRight(45)
	i1, cb1 := j1.Add(vu(38)), vu(0x3ff0000000000000).Add(j1.ShiftAllLeft(45))
	j0 := frac.Sub(vu(51 << 45)).ShiftAllRight(46)
	cb0 := vu(0x3fe0000000000000).Add(j0.Add(vu(26)).ShiftAllLeft(46))
	return i1.Merge(j0, ge1), cb1.Merge(cb0, ge1)
}

// logFinish returns ln y as fastLog computes it, from logSplit's k and mb for y and
// the row invc, hi, lo of logTab at logIndex(mb).
func logFinish(k archsimd.Int64x8, mb u64x8, invc, hi, lo f64x8) f64x8 {
	_, cb := logIndexVec(mb)
	r := mb.AsFloat64x8().Sub(cb.AsFloat64x8()).Mul(invc)
	r2 := r.Mul(r)
	r4 := r2.Mul(r2)
	p := vf(-0.5).Add(r.Mul(vf(1.0 / 3))).Add(r2.Mul(vf(-0.25).Add(r.Mul(vf(0.2))))).
		Add(r4.Mul(vf(-1.0 / 6).Add(r.Mul(vf(1.0 / 7))).Add(r2.Mul(vf(-0.125).Add(r.Mul(vf(1.0 / 9)))))))
	fe := k.ConvertToFloat64()
	return fe.Mul(vf(logLn2Hi)).Add(hi).Add(fe.Mul(vf(logLn2Lo)).Add(lo).Add(r.Add(r2.Mul(p))))
}

// expSplit returns, for fastExp of y, y·128/ln2 shifted to round to an integer, and
// its bits: the low seven bits of ki index exp2Tab.
func expSplit(y f64x8) (kd f64x8, ki u64x8) {
	kd = y.Mul(vf(expInvLn2)).Add(vf(expShift))
	return kd, kd.AsUint64x8()
}

// expFinish returns e^y as the fast path of fastExp computes it, from expSplit's kd
// and ki for y and tab, exp2Tab at the low seven bits of ki. It is right where
// −708 < y < 708.
func expFinish(y, kd f64x8, ki, tab u64x8) f64x8 {
	kd = kd.Sub(vf(expShift))
	r := y.Sub(kd.Mul(vf(expLn2HiN))).Sub(kd.Mul(vf(expLn2LoN)))
	scale := tab.Add(ki.ShiftAllRight(7).ShiftAllLeft(52)).AsFloat64x8()
	r2 := r.Mul(r)
	t := r.Add(r2.Mul(vf(0.5).Add(r.Mul(vf(1.0 / 6))).Add(r2.Mul(vf(1.0 / 24).Add(r.Mul(vf(1.0 / 120)))))))
	return scale.Add(scale.Mul(t))
}

// millsCols is millsTab by columns: millsCols[j] holds coefficient j of the 32
// intervals, in four vectors of eight.
var millsCols = func() (t [11][4][8]float64) {
	for i, c := range &millsTab {
		for j, v := range c {
			t[j][i/8][i%8] = v
		}
	}
	return t
}()

// millsHalf returns mills's polynomial at u with the coefficients of millsTab's
// intervals i, for the elements whose i is below 16 (h = 0) or at least 16 (h = 2):
// each coefficient is picked by one permute of two vectors of the column.
func millsHalf(h int, i u64x8, u f64x8) f64x8 {
	c := func(j int) f64x8 {
		t := &millsCols[j]
		return archsimd.LoadFloat64x8(&t[h]).ConcatPermute(archsimd.LoadFloat64x8(&t[h+1]), i)
	}
	u2 := u.Mul(u)
	u4 := u2.Mul(u2)
	return c(0).Add(u.Mul(c(1))).Add(u2.Mul(c(2).Add(u.Mul(c(3))))).
		Add(u4.Mul(c(4).Add(u.Mul(c(5))).Add(u2.Mul(c(6).Add(u.Mul(c(7))))))).
		Add(u4.Mul(u4).Mul(c(8).Add(u.Mul(c(9))).Add(u2.Mul(c(10)))))
}

// millsVec is mills element by element, for z ≥ 0 (or NaN). A permute picks from at
// most 16 of millsTab's 32 intervals, so the polynomial is evaluated once with the
// coefficients of the intervals below z = 4 and once with those above, each where
// some element needs it, and the two are merged.
func millsVec(z f64x8) f64x8 {
	in := z.Less(vf(8))
	inBits := in.ToBits()
	if inBits == 0 {
		return millsTailVec(z)
	}
	ii := z.Mul(vf(4)).ConvertToInt64()
	u := z.Sub(ii.ConvertToFloat64().Mul(vf(0.25)).Add(vf(0.125)))
	i := ii.AsUint64x8()
	hi := i.And(vu(16)).NotEqual(u64x8{})
	hiBits := hi.ToBits() & inBits
	var m f64x8
	if hiBits != inBits {
		m = millsHalf(0, i, u)
	}
	if hiBits != 0 {
		mh := millsHalf(2, i, u)
		if hiBits == inBits {
			m = mh
		} else {
			m = mh.Merge(m, hi)
		}
	}
	if inBits == allSet {
		return m
	}
	return m.Merge(millsTailVec(z), in)
}

// millsTailVec is mills's asymptotic series for z ≥ 8, element by element.
func millsTailVec(z f64x8) f64x8 {
	w := vf(1).Div(z)
	v := w.Mul(w)
	c := &millsTail
	p := vf(c[10])
	for j := 9; j >= 0; j-- {
		p = vf(c[j]).Add(v.Mul(p))
	}
	return w.Mul(p)
}

package greeks

import "math"

const (
	invSqrt2Pi = 0.398942280401432677939946059934381868475858631164934657666 // 1/√(2π)
	sqrt2Pi    = 2.50662827463100050241576528481104525300698674060993831663  // √(2π)
	lnSqrt2Pi  = 0.918938533204672741780329736405617639861397473637783412817 // ln √(2π)
)

// mills returns the Mills ratio Φ(−z)/φ(z) = √(π/2)·erfcx(z/√2) for z ≥ 0, to within
// about one unit in the last place. It is the building block of every normal
// probability in this package: Φ(−z) = φ(z)·mills(z) keeps full relative accuracy in
// the far tail, where 1 − Φ(z) computed by subtraction would have none.
// mills(NaN) is NaN and mills(+Inf) is 0; z < 0 is not allowed.
func mills(z float64) float64 {
	if z < 8 {
		i := int(z * 4)
		c := &millsTab[i]
		u := z - (float64(i)*0.25 + 0.125)
		u2 := u * u
		u4 := u2 * u2 // Estrin's scheme: a shorter dependency chain than Horner's
		return (c[0] + u*c[1]) + u2*(c[2]+u*c[3]) + u4*((c[4]+u*c[5])+u2*(c[6]+u*c[7])) + u4*u4*((c[8]+u*c[9])+u2*c[10])
	}
	w := 1 / z
	v := w * w
	c := &millsTail
	return w * (c[0] + v*(c[1]+v*(c[2]+v*(c[3]+v*(c[4]+v*(c[5]+v*(c[6]+v*(c[7]+v*(c[8]+v*(c[9]+v*c[10]))))))))))
}

// normPDF returns the standard normal density φ(z).
func normPDF(z float64) float64 {
	return invSqrt2Pi * fastExp(-0.5*z*z)
}

// normCDF returns the standard normal distribution function Φ(z) with full relative
// accuracy for z < 0 (down to underflow, about z = −38).
func normCDF(z float64) float64 {
	if z < 0 {
		return normPDF(z) * mills(-z)
	}
	return 1 - normPDF(z)*mills(z) // NaN falls through to here and stays NaN
}

// invNormCDF returns Φ⁻¹(p) for 0 < p < 1, to about 1e-16 relative: Wichura's
// algorithm AS 241 (PPND16), Applied Statistics 37(3), 1988, with the published
// coefficients. p ≤ 0 gives −Inf and p ≥ 1 gives +Inf.
func invNormCDF(p float64) float64 {
	if !(p > 0) {
		if p == 0 {
			return math.Inf(-1)
		}
		return math.NaN()
	}
	if p >= 1 {
		if p == 1 {
			return math.Inf(1)
		}
		return math.NaN()
	}
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - q*q
		return q * (((((((2.5090809287301226727e+3*r+3.3430575583588128105e+4)*r+6.7265770927008700853e+4)*r+
			4.5921953931549871457e+4)*r+1.3731693765509461125e+4)*r+1.9715909503065514427e+3)*r+
			1.3314166789178437745e+2)*r + 3.3871328727963666080e0) /
			(((((((5.2264952788528545610e+3*r+2.8729085735721942674e+4)*r+3.9307895800092710610e+4)*r+
				2.1213794301586595867e+4)*r+5.3941960214247511077e+3)*r+6.8718700749205790830e+2)*r+
				4.2313330701600911252e+1)*r + 1)
	}
	r := p
	if q > 0 {
		r = 1 - p
	}
	z := invNormTail(math.Sqrt(-fastLog(r)))
	if q < 0 {
		return -z
	}
	return z
}

// invNormCDFFromLog returns Φ⁻¹(p) from lnp = ln p < 0. In the lower tail, p < 0.075,
// AS 241 works from √(−ln p), so p itself is never formed.
func invNormCDFFromLog(lnp float64) float64 {
	if lnp < -2.5902671654458267 { // ln 0.075
		return -invNormTail(math.Sqrt(-lnp))
	}
	return invNormCDF(fastExp(lnp))
}

// invNormTail returns |Φ⁻¹(p)| from r = √(−ln p) for the tail p < 0.075 of AS 241.
func invNormTail(r float64) float64 {
	if r <= 5 {
		r -= 1.6
		return (((((((7.74545014278341407640e-4*r+2.27238449892691845833e-2)*r+2.41780725177450611770e-1)*r+
			1.27045825245236838258e0)*r+3.64784832476320460504e0)*r+5.76949722146069140550e0)*r+
			4.63033784615654529590e0)*r + 1.42343711074968357734e0) /
			(((((((1.05075007164441684324e-9*r+5.47593808499534494600e-4)*r+1.51986665636164571966e-2)*r+
				1.48103976427480074590e-1)*r+6.89767334985100004550e-1)*r+1.67638483018380384940e0)*r+
				2.05319162663775882187e0)*r + 1)
	}
	r -= 5
	return (((((((2.01033439929228813265e-7*r+2.71155556874348757815e-5)*r+1.24266094738807843860e-3)*r+
		2.65321895265761230930e-2)*r+2.96560571828504891230e-1)*r+1.78482653991729133580e0)*r+
		5.46378491116411436990e0)*r + 6.65790464350110377720e0) /
		(((((((2.04426310338993978564e-15*r+1.42151175831644588870e-7)*r+1.84631831751005468180e-5)*r+
			7.86869131145613259100e-4)*r+1.48753612908506148525e-2)*r+1.36929880922735805310e-1)*r+
			5.99832206555887937690e-1)*r + 1)
}

package greeks

import "math"

// Shape-preserving rational cubic interpolation of Delbourgo and Gregory ("Shape
// preserving piecewise rational interpolation", SIAM J. Sci. Stat. Comput. 6(4), 1985),
// in the form Jäckel uses for the initial guesses of "Let's Be Rational". The control
// parameter r blends between a cubic Hermite interpolant (r = 3) and a straight line
// (r → ∞); the functions below choose r so the interpolant matches a second derivative
// at one end while staying convex or concave as the data are.

const (
	dblMin       = 0x1p-1022                     // smallest normal float64
	rcMinControl = -(1 - 1.4901161193847656e-08) // −(1 − √ε)
	rcMaxControl = 2 / (2.220446049250313e-16 * 2.220446049250313e-16)
)

// rationalCubic interpolates between (xl, yl) with slope dl and (xr, yr) with slope dr
// at x, with control parameter r.
func rationalCubic(x, xl, xr, yl, yr, dl, dr, r float64) float64 {
	h := xr - xl
	if math.Abs(h) <= 0 {
		return 0.5 * (yl + yr)
	}
	t := (x - xl) / h
	if !(r >= rcMaxControl) {
		omt := 1 - t
		t2, omt2 := t*t, omt*omt
		return (yr*t2*t + (r*yr-h*dr)*t2*omt + (r*yl+h*dl)*t*omt2 + yl*omt2*omt) / (1 + (r-3)*t*omt)
	}
	return yr*t + yl*(1-t) // linear, without overflow
}

// leftCurvatureControl returns the r that makes the interpolant's second derivative at
// its left end equal d2l, for the width h = xr − xl and the secant slope s = (yr − yl)/h.
func leftCurvatureControl(h, s, dl, dr, d2l float64) float64 {
	num := 0.5*h*d2l + (dr - dl)
	if math.Abs(num) < dblMin {
		return 0
	}
	den := s - dl
	if math.Abs(den) < dblMin {
		if num > 0 {
			return rcMaxControl
		}
		return rcMinControl
	}
	return num / den
}

// rightCurvatureControl returns the r that makes the interpolant's second derivative at
// its right end equal d2r, for the width h = xr − xl and the secant slope s = (yr − yl)/h.
func rightCurvatureControl(h, s, dl, dr, d2r float64) float64 {
	num := 0.5*h*d2r + (dr - dl)
	if math.Abs(num) < dblMin {
		return 0
	}
	den := dr - s
	if math.Abs(den) < dblMin {
		if num > 0 {
			return rcMaxControl
		}
		return rcMinControl
	}
	return num / den
}

// minimumControl returns the smallest r that keeps the interpolant monotonic and convex
// (or concave) where the end slopes dl, dr and the secant slope s allow it.
func minimumControl(dl, dr, s float64, preferShape bool) float64 {
	monotonic := dl*s >= 0 && dr*s >= 0
	convex := dl <= s && s <= dr
	concave := dl >= s && s >= dr
	if !monotonic && !convex && !concave {
		return rcMinControl
	}
	r1, r2 := -math.MaxFloat64, -math.MaxFloat64
	if monotonic {
		if math.Abs(s) >= dblMin {
			r1 = (dr + dl) / s
		} else if preferShape {
			r1 = rcMaxControl
		}
	}
	if convex || concave {
		sdl, drs := s-dl, dr-s
		if math.Abs(sdl) >= dblMin && math.Abs(drs) >= dblMin {
			r2 = math.Abs(dr-dl) / min(math.Abs(drs), math.Abs(sdl)) // the larger of |dr−dl|/|drs| and |dr−dl|/|sdl|
		} else if preferShape {
			r2 = rcMaxControl
		}
	} else if monotonic && preferShape {
		r2 = rcMaxControl
	}
	return max(rcMinControl, max(r1, r2))
}

// convexControlLeft is leftCurvatureControl raised to keep the shape.
func convexControlLeft(xl, xr, yl, yr, dl, dr, d2l float64, preferShape bool) float64 {
	h := xr - xl
	s := (yr - yl) / h
	return max(leftCurvatureControl(h, s, dl, dr, d2l), minimumControl(dl, dr, s, preferShape))
}

// convexControlRight is rightCurvatureControl raised to keep the shape.
func convexControlRight(xl, xr, yl, yr, dl, dr, d2r float64, preferShape bool) float64 {
	h := xr - xl
	s := (yr - yl) / h
	return max(rightCurvatureControl(h, s, dl, dr, d2r), minimumControl(dl, dr, s, preferShape))
}

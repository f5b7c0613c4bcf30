package greeks

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMills compares the Mills ratio with values computed at 50 digits
// (testdata/mills.csv) from z = 0 to 1e6, to two units in the last place.
func TestMills(t *testing.T) {
	_, rows := readCSV(t, "mills.csv")
	worst := 0.0
	for _, row := range rows {
		z, want := num(t, row, 0), num(t, row, 1)
		rel := math.Abs(mills(z)-want) / want
		worst = max(worst, rel)
		if rel > 2*dblEpsilon {
			t.Errorf("mills(%g) = %.17g, want %.17g (rel err %.2g)", z, mills(z), want, rel)
		}
	}
	t.Logf("%d points, worst relative error %.2g ulp", len(rows), worst/dblEpsilon)
	if !math.IsNaN(mills(math.NaN())) || mills(math.Inf(1)) != 0 {
		t.Errorf("mills(NaN) = %v, mills(+Inf) = %v; want NaN, 0", mills(math.NaN()), mills(math.Inf(1)))
	}
}

// TestNormCDF checks Φ against the standard library's erfc where that is accurate
// (|z| ≤ 5, allowing for the rounding of z/√2) and symmetry Φ(z) + Φ(−z) = 1.
func TestNormCDF(t *testing.T) {
	for z := -5.0; z <= 5; z += 1.0 / 64 {
		want := 0.5 * math.Erfc(-z/math.Sqrt2)
		got := normCDF(z)
		if math.Abs(got-want) > (4+z*z)*dblEpsilon*want {
			t.Errorf("Φ(%g) = %.17g, erfc gives %.17g", z, got, want)
		}
		if s := normCDF(z) + normCDF(-z); math.Abs(s-1) > 2*dblEpsilon {
			t.Errorf("Φ(%g) + Φ(%g) = %.17g", z, -z, s)
		}
	}
}

// TestInvNormCDF checks Φ⁻¹ by round trip through Φ, with the tolerance the slope
// of Φ allows, down to p = 1e-300, and its log-argument form against it.
func TestInvNormCDF(t *testing.T) {
	for e := -300.0; e < 0; e += 0.37 {
		p := math.Pow(10, e)
		for _, p := range []float64{p, 1 - p} {
			if p >= 1 {
				continue
			}
			z := invNormCDF(p)
			back := normCDF(z)
			// dΦ = φ·dz: an error of a few ulp in z moves Φ by φ(z)·|z|·ε.
			tol := 8 * dblEpsilon * (p + normPDF(z)*math.Abs(z))
			if p > 0.5 {
				tol = 8 * dblEpsilon * (1 + normPDF(z)*math.Abs(z))
			}
			if math.Abs(back-p) > tol {
				t.Errorf("Φ(Φ⁻¹(%g)) = %.17g", p, back)
			}
		}
		if z, zl := invNormCDF(p), invNormCDFFromLog(math.Log(p)); math.Abs(z-zl) > 1e-14*math.Abs(z) {
			t.Errorf("Φ⁻¹(%g) = %.17g, from ln p %.17g", p, z, zl)
		}
	}
	if invNormCDF(0.5) != 0 || !math.IsInf(invNormCDF(0), -1) || !math.IsInf(invNormCDF(1), 1) || !math.IsNaN(invNormCDF(-1)) {
		t.Error("invNormCDF special values wrong")
	}
}

// TestFastExpLog compares the table-driven exp and log with package math over the
// whole range, to two units in the last place (each has up to one), and log on subnormals, where math.Log
// is wrong on amd64 (Go issue 56600), against log(y·2^54) − 54·ln 2.
func TestFastExpLog(t *testing.T) {
	ulp := func(x float64) float64 { return math.Nextafter(math.Abs(x), math.Inf(1)) - math.Abs(x) }
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		x := (rng.Float64()*2 - 1) * 745
		if got, want := fastExp(x), math.Exp(x); math.Abs(got-want) > 2*ulp(want) {
			t.Fatalf("fastExp(%.17g) = %.17g, math.Exp %.17g", x, got, want)
		}
		y := math.Exp((rng.Float64()*2 - 1) * 708)
		if got, want := fastLog(y), math.Log(y); math.Abs(got-want) > 2*ulp(want) {
			t.Fatalf("fastLog(%.17g) = %.17g, math.Log %.17g", y, got, want)
		}
		sub := rng.Float64() * 0x1p-1022
		if sub == 0 {
			continue
		}
		if got, want := fastLog(sub), math.Log(sub*0x1p54)-54*math.Ln2; math.Abs(got-want) > 2*ulp(want) {
			t.Fatalf("fastLog(%g) = %.17g, want %.17g", sub, got, want)
		}
	}
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range [][2]float64{{0, 1}, {inf, inf}, {-inf, 0}, {1000, inf}, {-1000, 0}, {nan, nan}} {
		if got := fastExp(c[0]); !same(got, c[1]) {
			t.Errorf("fastExp(%g) = %g, want %g", c[0], got, c[1])
		}
	}
	for _, c := range [][2]float64{{0, -inf}, {inf, inf}, {-inf, nan}, {-1, nan}, {nan, nan}, {1, 0}} {
		if got := fastLog(c[0]); !same(got, c[1]) {
			t.Errorf("fastLog(%g) = %g, want %g", c[0], got, c[1])
		}
	}
}

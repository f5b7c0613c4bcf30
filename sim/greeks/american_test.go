package greeks

import (
	"math"
	"testing"
)

// TestAmericanPublished checks the Bjerksund-Stensland (2002) values against figures
// computed by others from the 2002 formulas: the two cases of issue 7 (Haug, 2nd
// edition; to 1e-4) and the 2002 tables of google/tf-quant-finance's test suite
// (tf_quant_finance/black_scholes/approximations/american_option_test.py,
// modified_boundary=True; two decimals, tolerance 5e-3 as there), S = 80…120, K = 100.
func TestAmericanPublished(t *testing.T) {
	o := Option{Right: Call, Style: American, Spot: 42, Strike: 40, Years: 0.75, Rate: 0.04, Dividend: 0.08}
	if v, why := o.Values(0.35); why != OK || math.Abs(v.Price-5.2869) > 1e-4 {
		t.Errorf("call K=40 S=42: %.6f (%v), want 5.2869", v.Price, why)
	}
	o = Option{Right: Put, Style: American, Spot: 36, Strike: 40, Years: 1, Rate: 0.06}
	if v, why := o.Values(0.2); why != OK || math.Abs(v.Price-4.4628) > 1e-4 {
		t.Errorf("put K=40 S=36: %.6f (%v), want 4.4628", v.Price, why)
	}
	tables := []struct {
		r, q, vol, t float64
		calls, puts  [5]float64
	}{
		{0.08, 0.12, 0.2, 0.25, [5]float64{0.03, 0.58, 3.51, 10.34, 20.00}, [5]float64{20.41, 11.25, 4.40, 1.12, 0.18}},
		{0.12, 0.16, 0.2, 0.25, [5]float64{0.03, 0.57, 3.49, 10.31, 20.00}, [5]float64{20.23, 11.14, 4.35, 1.11, 0.18}},
		{0.08, 0.12, 0.4, 0.25, [5]float64{1.05, 3.26, 7.39, 13.51, 21.26}, [5]float64{21.44, 13.91, 8.27, 4.52, 2.29}},
		{0.08, 0.12, 0.2, 0.5, [5]float64{0.21, 1.35, 4.69, 10.98, 20.00}, [5]float64{20.96, 12.63, 6.37, 2.65, 0.92}},
		{0.08, 0.04, 0.2, 0.25, [5]float64{0.05, 0.85, 4.44, 11.66, 20.90}, [5]float64{20.00, 10.21, 3.53, 0.79, 0.11}},
		{0.12, 0.08, 0.2, 0.25, [5]float64{0.05, 0.84, 4.40, 11.55, 20.69}, [5]float64{20.00, 10.19, 3.51, 0.78, 0.11}},
		{0.08, 0.04, 0.4, 0.25, [5]float64{1.29, 3.82, 8.35, 14.80, 22.71}, [5]float64{20.55, 12.94, 7.45, 3.94, 1.94}},
		{0.08, 0.04, 0.2, 0.5, [5]float64{0.41, 2.18, 6.50, 13.42, 22.06}, [5]float64{20.00, 10.73, 4.74, 1.72, 0.52}},
		{0.08, 0.12, 0.2, 3, [5]float64{2.32, 4.74, 8.47, 13.77, 20.86}, [5]float64{25.64, 20.07, 15.49, 11.80, 8.88}},
		{0.08, 0.08, 0.2, 3, [5]float64{3.97, 7.23, 11.68, 17.28, 23.95}, [5]float64{22.14, 16.17, 11.68, 8.35, 5.91}},
		{0.08, 0.04, 0.2, 3, [5]float64{6.88, 11.49, 17.21, 23.84, 31.16}, [5]float64{20.33, 13.47, 8.91, 5.88, 3.87}},
		{0.08, 0, 0.2, 0.25, [5]float64{}, [5]float64{20.00, 10.02, 3.20, 0.66, 0.09}},
		{0.12, 0, 0.2, 0.25, [5]float64{}, [5]float64{20.00, 10.00, 2.90, 0.55, 0.07}},
		{0.08, 0, 0.4, 0.25, [5]float64{}, [5]float64{20.30, 12.54, 7.09, 3.69, 1.78}},
		{0.08, 0, 0.2, 0.5, [5]float64{}, [5]float64{20.00, 10.27, 4.15, 1.39, 0.39}},
		{0.08, 0, 0.2, 3, [5]float64{}, [5]float64{20.00, 11.68, 6.91, 4.13, 2.49}},
	}
	for _, tb := range tables {
		for i, s := range []float64{80, 90, 100, 110, 120} {
			for _, rt := range []Right{Call, Put} {
				want := tb.calls[i]
				if rt == Put {
					want = tb.puts[i]
				}
				if want == 0 {
					continue
				}
				o := Option{Right: rt, Style: American, Spot: s, Strike: 100, Years: tb.t, Rate: tb.r, Dividend: tb.q}
				v, why := o.Values(tb.vol)
				if why != OK || math.Abs(v.Price-want) > 5e-3 {
					t.Errorf("%v S=%g r=%g q=%g σ=%g T=%g: %.4f (%v), want %.2f", rt, s, tb.r, tb.q, tb.vol, tb.t, v.Price, why, want)
				}
			}
		}
	}
}

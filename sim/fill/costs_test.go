package fill

import "testing"

func TestCostsLeg(t *testing.T) {
	d := DefaultCosts()
	tests := []struct {
		c         Costs
		contracts int
		want      float64
	}{
		{d, 1, 0.66},  // 0.65 + 0.01
		{d, 10, 6.6},  // 0.66·10
		{d, -3, 1.98}, // a short leg pays the same: 0.66·3
		{d, 0, 0},
		{Costs{CommissionPerContract: 1, FeePerContract: 0.5}, 4, 6}, // 1.5·4
		{Costs{}, 5, 0},
	}
	for _, tt := range tests {
		if got := tt.c.Leg(tt.contracts); !near(got, tt.want) {
			t.Errorf("%+v.Leg(%d) = %v, want %v", tt.c, tt.contracts, got, tt.want)
		}
	}
	// The seed's round trip for one contract: 2·0.66 = 1.32.
	if got := 2 * d.Leg(1); !near(got, 1.32) {
		t.Errorf("round trip = %v, want 1.32", got)
	}
}

package fill

import (
	"math"
	"testing"
)

func TestAllowed(t *testing.T) {
	l := DefaultLiquidity()
	tests := []struct {
		ivp  float64
		dte  int
		want float64
	}{
		{0.5, 30, 0.08},
		{0.6999, 30, 0.08},
		{0.70, 30, 0.12}, // ≥ high threshold
		{0.8999, 30, 0.12},
		{0.90, 30, 0.15}, // ≥ extreme threshold
		{1.0, 30, 0.15},
		{math.NaN(), 30, 0.08}, // NaN counts as 0.5
		{0.5, 8, 0.08},
		{0.5, 7, 0.10},  // dte ≤ 7: 0.08 + 0.02
		{0.70, 7, 0.14}, // 0.12 + 0.02
		{0.90, 0, 0.17}, // 0.15 + 0.02
	}
	for _, tt := range tests {
		if got := l.Allowed(tt.ivp, tt.dte); !near(got, tt.want) {
			t.Errorf("Allowed(%v, %d) = %v, want %v", tt.ivp, tt.dte, got, tt.want)
		}
	}
}

func TestClassifyDefaults(t *testing.T) {
	l := DefaultLiquidity()
	nan := math.NaN()
	tests := []struct {
		name     string
		bid, ask float64
		ivp      float64
		dte      int
		tier     Tier
		penalty  float64
	}{
		// Calm regime: allowed 0.08, tight ≤ 0.6·0.08 = 0.048, hard 0.20.
		// 0.04/1.02 = 0.0392 ≤ 0.048.
		{"tight", 1.00, 1.04, 0.5, 30, Tight, 1.0},
		// 0.06/1.03 = 0.0583: > 0.048, ≤ 0.08.
		{"moderate", 1.00, 1.06, 0.5, 30, Moderate, 1.15},
		// 0.10/1.05 = 0.0952: > 0.08, ≤ 0.20.
		{"wide", 1.00, 1.10, 0.5, 30, Wide, 1.35},
		// 0.20/1.10 = 0.1818 ≤ 0.20.
		{"wide near hard", 1.00, 1.20, 0.5, 30, Wide, 1.35},
		// 0.25/1.125 = 0.2222 > 0.20.
		{"over hard", 1.00, 1.25, 0.5, 30, Reject, 0},
		// IVP 0.70: allowed 0.12, tight ≤ 0.072; 0.0952 is moderate.
		{"high ivp", 1.00, 1.10, 0.70, 30, Moderate, 1.15},
		// IVP 0.90: allowed 0.15, tight ≤ 0.09; 0.08/1.04 = 0.0769 is tight (moderate at 0.5).
		{"extreme ivp", 1.00, 1.08, 0.90, 30, Tight, 1.0},
		{"calm same quote", 1.00, 1.08, 0.5, 30, Moderate, 1.15},
		// DTE 7: allowed 0.10, tight ≤ 0.06; 0.0583 is tight (moderate at DTE 8).
		{"short dte", 1.00, 1.06, 0.5, 7, Tight, 1.0},
		{"dte 8", 1.00, 1.06, 0.5, 8, Moderate, 1.15},
		// IVP 0.90, DTE 7: allowed 0.17 > hard; 0.1818 > 0.17 is wide, 0.2222 still rejected.
		{"allowed above hard", 1.00, 1.20, 0.90, 7, Wide, 1.35},
		{"hard first", 1.00, 1.25, 0.90, 7, Reject, 0},
		// bid at the hard floor is kept (bid ≥ 0.10): 0.004/0.102 = 0.0392.
		{"bid at floor", 0.10, 0.104, 0.5, 30, Tight, 1.0},
		{"penny", 0.09, 0.092, 0.5, 30, Reject, 0},
		{"zero bid", 0, 0.05, 0.5, 30, Reject, 0},
		{"negative bid", -1, 1, 0.5, 30, Reject, 0},
		{"crossed", 1.10, 1.00, 0.5, 30, Reject, 0},
		{"nan bid", nan, 1.00, 0.5, 30, Reject, 0},
		{"nan ask", 1.00, nan, 0.5, 30, Reject, 0},
		{"inf ask", 1.00, math.Inf(1), 0.5, 30, Reject, 0},
		{"inf both", math.Inf(1), math.Inf(1), 0.5, 30, Reject, 0},
		// NaN ivp counts as 0.5.
		{"nan ivp", 1.00, 1.06, nan, 30, Moderate, 1.15},
	}
	for _, tt := range tests {
		tier, pen := l.Classify(tt.bid, tt.ask, tt.ivp, tt.dte)
		if tier != tt.tier || pen != tt.penalty {
			t.Errorf("%s: Classify(%v, %v, %v, %d) = %v, %v; want %v, %v",
				tt.name, tt.bid, tt.ask, tt.ivp, tt.dte, tier, pen, tt.tier, tt.penalty)
		}
	}
}

// TestClassifyBoundaries checks that each tier includes its upper bound (≤, as in the
// seed), with settings and quotes that are exact in binary so spread_pct lands exactly
// on each bound. Every quote has mid 1, so spread_pct = ask − bid.
func TestClassifyBoundaries(t *testing.T) {
	l := Liquidity{
		HardMaxSpreadPct: 0.5, BaseMaxSpreadPct: 0.25, TightFraction: 0.5,
		IVPHighThreshold: 2, IVPExtremeThreshold: 2, ShortDTEThreshold: -1,
		PenaltyTight: 1, PenaltyModerate: 2, PenaltyWide: 3,
	}
	tests := []struct {
		bid, ask float64
		tier     Tier
	}{
		{0.9375, 1.0625, Tight},  // 0.125 = 0.5·0.25
		{0.9, 1.1, Moderate},     // 0.2 (approximately): above tight, below allowed
		{0.875, 1.125, Moderate}, // 0.25 = allowed
		{0.75, 1.25, Wide},       // 0.5 = hard max
		{0.6875, 1.3125, Reject}, // 0.625 > hard max
	}
	for _, tt := range tests {
		if tier, _ := l.Classify(tt.bid, tt.ask, 0.5, 30); tier != tt.tier {
			t.Errorf("Classify(%v, %v) = %v, want %v", tt.bid, tt.ask, tier, tt.tier)
		}
	}
}

func TestTierString(t *testing.T) {
	for tier, want := range map[Tier]string{Tight: "tight", Moderate: "moderate", Wide: "wide", Reject: "reject", 9: "Tier(9)"} {
		if got := tier.String(); got != want {
			t.Errorf("Tier(%d).String() = %q, want %q", uint8(tier), got, want)
		}
	}
}

func TestSpreadPct(t *testing.T) {
	// (1.20 − 1.00) / 1.10 = 0.181818…
	if got := SpreadPct(1.00, 1.20); !near(got, 0.2/1.1) {
		t.Errorf("SpreadPct(1.00, 1.20) = %v", got)
	}
}

package putspread_test

import (
	"math"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/putspread"
)

func TestContracts(t *testing.T) {
	tests := []struct {
		name                        string
		equity, risk, width, credit float64
		want                        int
	}{
		// Section 6.1: 2 % of $500,000 = $10,000; (50 − 4) × 100 = $4,600;
		// floor(10000/4600) = floor(2.17) = 2.
		{"document example", 500_000, 2, 50, 4, 2},
		// Section 9.2's trade: (50 − 2.60) × 100 = 4,740; 10000/4740 = 2.11.
		{"section 9.2", 500_000, 2, 50, 2.6, 2},
		// Exactly two max losses: 8,000 / 4,000.
		{"exact multiple", 400_000, 2, 50, 10, 2},
		// 3 % of 500,000 = 15,000 / 4,600 = 3.26.
		{"conviction 1.5", 500_000, 3, 50, 4, 3},
		// 1,000 / 4,600 < 1.
		{"too small", 50_000, 2, 50, 4, 0},
		{"no credit", 500_000, 2, 50, 0, 0},
		{"credit at width", 500_000, 2, 50, 50, 0},
	}
	for _, tt := range tests {
		if got := putspread.Contracts(tt.equity, tt.risk, tt.width, tt.credit); got != tt.want {
			t.Errorf("%s: Contracts(%g, %g, %g, %g) = %d, want %d", tt.name, tt.equity, tt.risk, tt.width, tt.credit, got, tt.want)
		}
	}
}

func TestRiskPct(t *testing.T) {
	c := putspread.Default()
	for _, tt := range []struct{ dd, want float64 }{
		{0, 2}, {9.99, 2}, {10, 1.5}, {19.99, 1.5}, {20, 1}, {60, 1},
	} {
		if got := c.RiskPct(tt.dd); got != tt.want {
			t.Errorf("RiskPct(%g) = %g, want %g", tt.dd, got, tt.want)
		}
	}
	c.RiskPerTradePct = 1.2 // never raised by a tier
	if got := c.RiskPct(15); got != 1.2 {
		t.Errorf("RiskPct(15) with 1.2 %% = %g", got)
	}
}

func TestConviction(t *testing.T) {
	c := putspread.Default()
	tests := []struct {
		name string
		in   putspread.Inputs
		want float64
	}{
		// Every factor at its high column: score +1 → 1.5.
		{"high", putspread.Inputs{IVRank: 80, Ratio: 0.85, Close: 110, EMA: 100, BBDepth: 3, WinRate: 90, Trades: 10}, 1.5},
		// Every factor at its low column: −1 → 0.5.
		{"low", putspread.Inputs{IVRank: 50, Ratio: 1.02, Close: 100.5, EMA: 100, BBDepth: 1, WinRate: 50, Trades: 10}, 0.5},
		// Midpoints: IV 62.5 of 55–70, ratio 0.95 of 1.0–0.9, trend 3 % of
		// 1–5 %, depth 2.25 of 2–2.5; fewer than 10 trades: all 0 → 1.
		{"neutral", putspread.Inputs{IVRank: 62.5, Ratio: 0.95, Close: 103, EMA: 100, BBDepth: 2.25, WinRate: 0, Trades: 3}, 1},
		// One factor high, four neutral: mean 0.2 → 1 + 0.2 × 0.5 = 1.1.
		{"one high", putspread.Inputs{IVRank: 70, Ratio: 0.95, Close: 103, EMA: 100, BBDepth: 2.25}, 1.1},
		// One factor low: mean −0.2 → 1 − 0.2 × 0.5 = 0.9.
		{"one low", putspread.Inputs{IVRank: 55, Ratio: 0.95, Close: 103, EMA: 100, BBDepth: 2.25}, 0.9},
		{"disabled", putspread.Inputs{IVRank: 80, Disabled: true}, 1},
	}
	for _, tt := range tests {
		if got := c.Conviction(tt.in); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: conviction %g, want %g", tt.name, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	c := putspread.Default()
	tests := []struct {
		vix, ratio, close, ema float64
		want                   putspread.Regime
	}{
		{16, 0.9, 5100, 5000, putspread.BullishCalm},
		{18, 0.9, 5100, 5000, putspread.ElevatedVol},
		{24.9, 0.9, 5100, 5000, putspread.ElevatedVol},
		{25, 0.9, 5100, 5000, putspread.HighVol},
		{35, 0.9, 5100, 5000, putspread.HighVol},
		{35.1, 0.9, 5100, 5000, putspread.Crisis},
		{16, 1.05, 5100, 5000, putspread.Crisis},   // steep backwardation
		{16, 0.9, 4999, 5000, putspread.BearTrend}, // below the EMA
		{40, 0.9, 4999, 5000, putspread.Crisis},    // crisis wins
		{16, math.NaN(), 5100, 5000, putspread.BullishCalm},
		{math.NaN(), 0.9, 5100, 5000, putspread.Unknown},
	}
	for _, tt := range tests {
		if got := c.Classify(tt.vix, tt.ratio, tt.close, tt.ema); got != tt.want {
			t.Errorf("Classify(%g, %g, %g, %g) = %v, want %v", tt.vix, tt.ratio, tt.close, tt.ema, got, tt.want)
		}
	}
	if putspread.HighVol.String() != "High Vol" || putspread.BearTrend.Key() != "bear_trend" || !putspread.Crisis.Halts() || putspread.HighVol.Halts() {
		t.Error("regime names")
	}
}

func TestValidate(t *testing.T) {
	c := putspread.Default()
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	tests := []struct {
		name string
		mod  func(*putspread.Config)
		want string
	}{
		{"positive delta", func(c *putspread.Config) { c.TargetDelta = 0.16 }, "target_delta"},
		{"dte order", func(c *putspread.Config) { c.MinDTEEntry = 61 }, "min_dte_entry"},
		{"target dte", func(c *putspread.Config) { c.TargetDTE = 70 }, "target_dte"},
		{"stop", func(c *putspread.Config) { c.StopLossMultiplier = 1 }, "stop_loss_multiplier"},
		{"time stop", func(c *putspread.Config) { c.TimeStopDTE = 30 }, "time_stop_dte"},
		{"vix bands", func(c *putspread.Config) { c.VIXHighVol = 40 }, "vix_high_vol_threshold"},
		{"heat", func(c *putspread.Config) { c.MaxPortfolioHeat = 0 }, "max_portfolio_heat"},
		{"macd", func(c *putspread.Config) { c.MACDFast = 26 }, "macd_fast"},
		{"delta limit", func(c *putspread.Config) { c.MaxAggregateDelta = 0.5 }, "max_aggregate_delta"},
		{"drawdown", func(c *putspread.Config) { c.DrawdownTier2Risk = 2 }, "drawdown_tier1_risk_pct"},
		{"conviction", func(c *putspread.Config) { c.ConvictionMin = 0 }, "conviction_min"},
		{"underlying", func(c *putspread.Config) { c.Underlying = "" }, "underlying"},
	}
	for _, tt := range tests {
		c := putspread.Default()
		tt.mod(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one naming %s", tt.name, err, tt.want)
		}
		if _, err := putspread.New(c); err == nil {
			t.Errorf("%s: New accepted an invalid config", tt.name)
		}
	}
}

// TestParams checks the document's parameter names and defaults (section 10).
func TestParams(t *testing.T) {
	c := putspread.Default()
	want := map[string]string{
		"target_delta": "-0.16", "spread_width": "50", "target_dte": "45", "min_dte_entry": "30", "max_dte_entry": "60",
		"profit_target_pct": "50", "stop_loss_multiplier": "2", "time_stop_dte": "21", "min_iv_rank": "50",
		"min_days_between_entries": "3", "max_concurrent_per_underlying": "3", "max_concurrent_total": "8",
		"max_portfolio_heat": "15", "risk_per_trade_pct": "2", "circuit_breaker_count": "3",
		"circuit_breaker_cooldown_days": "5", "bb_period": "20", "bb_std_dev": "2", "bb_touch_lookback": "5",
		"min_consecutive_up_closes": "1", "rsi_period": "14", "rsi_oversold_threshold": "30",
		"trend_ema_period": "200", "vix_crisis_threshold": "35", "vix_high_vol_threshold": "25",
		"vix_term_structure_threshold": "1.05", "max_aggregate_delta": "-0.5",
		"target_delta_elevated": "-0.14", "target_delta_high_vol": "-0.12", "iv_rank_lookback": "252",
		"dynamic_pt_tier1_pct": "40", "dynamic_pt_tier2_pct": "30", "drawdown_tier1_risk_pct": "1.5",
		"drawdown_tier2_risk_pct": "1", "underlying": "SPX",
	}
	simtest.WantDefaults(t, &c, want)
	if err := param.Set(&c, "trend_ema_period", "100"); err != nil || c.TrendEMAPeriod != 100 {
		t.Errorf("set: %v, %d", err, c.TrendEMAPeriod)
	}
}

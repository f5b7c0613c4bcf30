package putspread

import (
	"math"

	"github.com/optsweep/sweep/sim"
)

// Contracts returns the position size of section 6.1: the risk budget
// (riskPct percent of equity) over the max loss per contract,
// (width − credit) × 100, rounded down. It is 0 when the credit is not in
// (0, width) or the budget is not positive. The document's example:
// Contracts(500000, 2, 50, 4) = floor(10000 / 4600) = 2.
func Contracts(equity, riskPct, width, credit float64) int {
	loss := (width - credit) * sim.Multiplier
	budget := equity * riskPct / 100
	if !(credit > 0 && loss > 0 && budget > 0) {
		return 0
	}
	// A hair of tolerance so that a budget of exactly n max losses buys n.
	return int(math.Floor(budget/loss + 1e-9))
}

// RiskPct returns the risk per trade in percent at drawdown dd (percent
// below the equity peak): risk_per_trade_pct, cut to drawdown_tier1_risk_pct
// from drawdown_tier1_pct and to drawdown_tier2_risk_pct from
// drawdown_tier2_pct (never raised above risk_per_trade_pct).
func (c *Config) RiskPct(dd float64) float64 {
	r := c.RiskPerTradePct
	switch {
	case dd >= c.DrawdownTier2Pct:
		r = min(r, c.DrawdownTier2Risk)
	case dd >= c.DrawdownTier1Pct:
		r = min(r, c.DrawdownTier1Risk)
	}
	return r
}

// Inputs are what the conviction scorer of section 6.2 reads.
type Inputs struct {
	IVRank   float64 // percent
	Ratio    float64 // VIX / VIX3M
	Close    float64 // the signal bar's close
	EMA      float64 // the trend EMA at the signal bar
	BBDepth  float64 // deepest touch in the lookback, standard deviations below the band's mid
	WinRate  float64 // percent of the last conviction_win_trades closed trades that won
	Trades   int     // closed trades behind WinRate
	Disabled bool    // use_conviction off: the score is 1
}

// score maps x linearly from [lo, hi] onto [−1, +1], clamped.
func score(x, lo, hi float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return max(-1, min(1, 2*(x-lo)/(hi-lo)-1))
}

// Conviction returns the size multiplier of section 6.2, in
// [conviction_min, conviction_max]. Each factor scores −1 (low conviction)
// to +1 (high), linearly between the document's two columns: IV rank from
// conviction_iv_rank_low to _high; the term structure from
// conviction_contango_flat to _strong; the trend from conviction_trend_weak_pct
// to _strong_pct above the EMA; the touch depth from bb_std_dev to
// conviction_bb_depth_deep; the recent win rate from conviction_win_rate_low
// to _high (0 until conviction_win_trades trades have closed). The mean
// score s gives 1 + s × (conviction_max − 1) when s ≥ 0 and
// 1 + s × (1 − conviction_min) when s < 0.
func (c *Config) Conviction(in Inputs) float64 {
	if in.Disabled || !c.UseConviction {
		return 1
	}
	trend := math.NaN()
	if in.EMA > 0 {
		trend = 100 * (in.Close/in.EMA - 1)
	}
	win := 0.0
	if in.Trades >= c.ConvWinTrades {
		win = score(in.WinRate, c.ConvWinLow, c.ConvWinHigh)
	}
	s := (score(in.IVRank, c.ConvIVRankLow, c.ConvIVRankHigh) +
		score(in.Ratio, c.ConvContangoFlat, c.ConvContangoStrong) +
		score(trend, c.ConvTrendWeakPct, c.ConvTrendStrongPct) +
		score(in.BBDepth, c.BBStdDev, c.ConvBBDeep) + win) / 5
	if s >= 0 {
		return 1 + s*(c.ConvictionMax-1)
	}
	return 1 + s*(1-c.ConvictionMin)
}

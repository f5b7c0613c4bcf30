package putspread

import (
	"fmt"
	"math"

	"github.com/optsweep/sweep/sim/param"
)

// Config holds Optimus's parameters. The names and defaults of section 10 of
// the design document come first; the parameters after them give a number to
// rules the document states in prose (the regime table, the conviction
// scorer, the dynamic profit target, VIX-adjusted deltas, drawdown scaling)
// or make the indicator lookbacks settable. Percentages are in percent, as the
// document writes them (profit_target_pct 50 is 50 %).
type Config struct {
	// Section 10.1, core parameters.
	TargetDelta           float64 `param:"target_delta" help:"short put delta target (negative), used when VIX < vix_elevated_threshold or vix_adjusted_delta is off"`
	SpreadWidth           float64 `param:"spread_width" help:"points between the short and the long put strike"`
	TargetDTE             int     `param:"target_dte" help:"target calendar days to expiration at entry"`
	MinDTEEntry           int     `param:"min_dte_entry" help:"minimum DTE for a new entry"`
	MaxDTEEntry           int     `param:"max_dte_entry" help:"maximum DTE for a new entry"`
	ProfitTargetPct       float64 `param:"profit_target_pct" help:"close when this percent of the credit is captured (debit <= credit x (1 - pct/100))"`
	StopLossMultiplier    float64 `param:"stop_loss_multiplier" help:"close when the spread costs this multiple of the credit received"`
	TimeStopDTE           int     `param:"time_stop_dte" help:"close every position at or below this DTE; 0 = no time stop (hold to expiry)"`
	MinIVRank             float64 `param:"min_iv_rank" help:"gate 2: IV rank (52-week percentile, percent) must exceed this"`
	MinDaysBetweenEntries int     `param:"min_days_between_entries" help:"gate 10: business days since the last entry"`
	MaxPerUnderlying      int     `param:"max_concurrent_per_underlying" help:"risk veto: open positions per underlying"`
	MaxConcurrentTotal    int     `param:"max_concurrent_total" help:"gate 9: open positions must be below this"`
	MaxPortfolioHeat      float64 `param:"max_portfolio_heat" help:"sum of the positions' max losses, percent of equity, never exceeded"`
	RiskPerTradePct       float64 `param:"risk_per_trade_pct" help:"max loss per trade, percent of equity"`
	CircuitBreakerCount   int     `param:"circuit_breaker_count" help:"consecutive stop-loss exits that halt new entries"`
	CircuitBreakerDays    int     `param:"circuit_breaker_cooldown_days" help:"business days new entries stay halted after the circuit breaker trips"`

	// Section 10.2, Bollinger band and mean reversion.
	BBPeriod         int     `param:"bb_period" help:"Bollinger band lookback (closes)"`
	BBStdDev         float64 `param:"bb_std_dev" help:"Bollinger band standard deviation multiplier"`
	BBTouchLookback  int     `param:"bb_touch_lookback" help:"gate 5: bars (ending at the signal bar) to look back for a lower band touch"`
	MinUpCloses      int     `param:"min_consecutive_up_closes" help:"gate 6: consecutive higher closes ending at the signal bar"`
	RSIPeriod        int     `param:"rsi_period" help:"gate 7: RSI period (Wilder)"`
	RSIOversold      float64 `param:"rsi_oversold_threshold" help:"gate 7: RSI must be above this and rising"`
	BBTouchOnLow     bool    `param:"bb_touch_on_low" help:"gate 5: a bar touches when its low (true) or its close (false) is at or below the lower band"`
	UseMACD          bool    `param:"use_macd_confirmation" help:"gate 8: require the MACD histogram to cross above zero on the signal bar (off: gate 8 is skipped)"`
	MACDFast         int     `param:"macd_fast" help:"gate 8: MACD fast EMA period"`
	MACDSlow         int     `param:"macd_slow" help:"gate 8: MACD slow EMA period"`
	MACDSignal       int     `param:"macd_signal" help:"gate 8: MACD signal EMA period"`
	IVRankLookback   int     `param:"iv_rank_lookback" help:"gate 2: sessions of ATM IV in the IV percentile window (252 = 52 weeks)"`
	MaxLegSpreadPct  float64 `param:"max_leg_spread_pct" help:"quality check: each leg's (ask - bid) / mid, percent, must be below this"`
	DashboardAlertDT int     `param:"dashboard_alert_dte" help:"dashboard flags the nearest expiry at or below this DTE (the 28-DTE soft warning)"`

	// Section 10.3, market filters and the regime table (3.3).
	TrendEMAPeriod      int     `param:"trend_ema_period" help:"EMA period of the trend filter and the Bear Trend regime"`
	VIXCrisis           float64 `param:"vix_crisis_threshold" help:"VIX above this is the Crisis regime"`
	VIXHighVol          float64 `param:"vix_high_vol_threshold" help:"VIX at or above this is the High Vol regime"`
	VIXElevated         float64 `param:"vix_elevated_threshold" help:"VIX at or above this is Elevated Vol, below it Bullish Calm"`
	VIXTermThreshold    float64 `param:"vix_term_structure_threshold" help:"gate 3: VIX / VIX3M must be below this"`
	CrisisTermRatio     float64 `param:"crisis_term_structure_ratio" help:"VIX / VIX3M at or above this (steep backwardation) is the Crisis regime"`
	MaxAggregateDelta   float64 `param:"max_aggregate_delta" help:"risk veto: aggregate delta (delta dollars / equity) after the entry must stay above this"`
	HighVolSizeMult     float64 `param:"high_vol_size_mult" help:"allocation multiplier in the High Vol regime (document: 50-75 %)"`
	RegimeExit          bool    `param:"regime_exit" help:"close every position when the regime is Crisis or Bear Trend"`
	VIXAdjustedDelta    bool    `param:"vix_adjusted_delta" help:"use the VIX-adjusted delta targets (11.2)"`
	TargetDeltaElevated float64 `param:"target_delta_elevated" help:"short put delta target when vix_elevated_threshold <= VIX < vix_high_vol_threshold"`
	TargetDeltaHighVol  float64 `param:"target_delta_high_vol" help:"short put delta target when VIX >= vix_high_vol_threshold"`

	// Section 11.1, dynamic profit targets.
	DynamicProfitTarget bool    `param:"dynamic_profit_target" help:"tighten the profit target as DTE falls (11.1)"`
	DynamicTier1DTE     int     `param:"dynamic_pt_tier1_dte" help:"at or below this DTE the profit target is dynamic_pt_tier1_pct"`
	DynamicTier1Pct     float64 `param:"dynamic_pt_tier1_pct" help:"profit target percent at DTE <= dynamic_pt_tier1_dte"`
	DynamicTier2DTE     int     `param:"dynamic_pt_tier2_dte" help:"at or below this DTE the profit target is dynamic_pt_tier2_pct"`
	DynamicTier2Pct     float64 `param:"dynamic_pt_tier2_pct" help:"profit target percent at DTE <= dynamic_pt_tier2_dte"`

	// Section 6.3, drawdown scaling.
	DrawdownTier1Pct  float64 `param:"drawdown_tier1_pct" help:"drawdown percent from the equity peak at which risk per trade drops to drawdown_tier1_risk_pct"`
	DrawdownTier1Risk float64 `param:"drawdown_tier1_risk_pct" help:"risk per trade percent in the first drawdown tier"`
	DrawdownTier2Pct  float64 `param:"drawdown_tier2_pct" help:"drawdown percent at which risk per trade drops to drawdown_tier2_risk_pct"`
	DrawdownTier2Risk float64 `param:"drawdown_tier2_risk_pct" help:"risk per trade percent in the second drawdown tier"`

	// Section 6.2, conviction scaling.
	UseConviction      bool    `param:"use_conviction" help:"scale the risk budget by the conviction score (6.2)"`
	ConvictionMin      float64 `param:"conviction_min" help:"lowest conviction multiplier"`
	ConvictionMax      float64 `param:"conviction_max" help:"highest conviction multiplier"`
	ConvIVRankHigh     float64 `param:"conviction_iv_rank_high" help:"IV rank (percent) of full conviction"`
	ConvIVRankLow      float64 `param:"conviction_iv_rank_low" help:"IV rank (percent) of low conviction"`
	ConvContangoStrong float64 `param:"conviction_contango_strong" help:"VIX / VIX3M of strong contango (full conviction)"`
	ConvContangoFlat   float64 `param:"conviction_contango_flat" help:"VIX / VIX3M of a flat term structure (low conviction)"`
	ConvTrendStrongPct float64 `param:"conviction_trend_strong_pct" help:"close above the EMA by this percent is a strong trend"`
	ConvTrendWeakPct   float64 `param:"conviction_trend_weak_pct" help:"close above the EMA by this percent or less is barely above"`
	ConvBBDeep         float64 `param:"conviction_bb_depth_deep" help:"a touch this many standard deviations below the band's mid is deep (bb_std_dev is shallow)"`
	ConvWinHigh        float64 `param:"conviction_win_rate_high" help:"recent win rate (percent) of full conviction"`
	ConvWinLow         float64 `param:"conviction_win_rate_low" help:"recent win rate (percent) of low conviction"`
	ConvWinTrades      int     `param:"conviction_win_trades" help:"closed trades in the recent win rate (neutral until there are this many)"`

	Underlying string `param:"underlying" help:"the underlying traded (V1: SPX)"`
}

// Default returns the design document's defaults.
func Default() Config {
	return Config{
		TargetDelta: -0.16, SpreadWidth: 50, TargetDTE: 45, MinDTEEntry: 30, MaxDTEEntry: 60,
		ProfitTargetPct: 50, StopLossMultiplier: 2.0, TimeStopDTE: 21, MinIVRank: 50,
		MinDaysBetweenEntries: 3, MaxPerUnderlying: 3, MaxConcurrentTotal: 8, MaxPortfolioHeat: 15,
		RiskPerTradePct: 2.0, CircuitBreakerCount: 3, CircuitBreakerDays: 5,

		BBPeriod: 20, BBStdDev: 2.0, BBTouchLookback: 5, MinUpCloses: 1, RSIPeriod: 14, RSIOversold: 30,
		BBTouchOnLow: true, UseMACD: false, MACDFast: 12, MACDSlow: 26, MACDSignal: 9,
		IVRankLookback: 252, MaxLegSpreadPct: 20, DashboardAlertDT: 28,

		TrendEMAPeriod: 200, VIXCrisis: 35, VIXHighVol: 25, VIXElevated: 18, VIXTermThreshold: 1.05,
		CrisisTermRatio: 1.05, MaxAggregateDelta: -0.50, HighVolSizeMult: 0.5, RegimeExit: true,
		VIXAdjustedDelta: true, TargetDeltaElevated: -0.14, TargetDeltaHighVol: -0.12,

		DynamicProfitTarget: false, DynamicTier1DTE: 35, DynamicTier1Pct: 40, DynamicTier2DTE: 28, DynamicTier2Pct: 30,

		DrawdownTier1Pct: 10, DrawdownTier1Risk: 1.5, DrawdownTier2Pct: 20, DrawdownTier2Risk: 1.0,

		UseConviction: true, ConvictionMin: 0.5, ConvictionMax: 1.5,
		ConvIVRankHigh: 70, ConvIVRankLow: 55, ConvContangoStrong: 0.90, ConvContangoFlat: 1.0,
		ConvTrendStrongPct: 5, ConvTrendWeakPct: 1, ConvBBDeep: 2.5, ConvWinHigh: 80, ConvWinLow: 60, ConvWinTrades: 10,

		Underlying: "SPX",
	}
}

func pct(x float64) bool { return param.Finite(x) && x >= 0 && x <= 100 }

// Validate reports the first inconsistent parameter, by name.
func (c *Config) Validate() error {
	return param.Check("optimus", []param.Rule{
		{c.Underlying == "", "underlying is empty"},
		{!(c.TargetDelta < 0 && c.TargetDelta > -1), fmt.Sprintf("target_delta %g: want -1 < delta < 0", c.TargetDelta)},
		{!(c.TargetDeltaElevated < 0 && c.TargetDeltaElevated > -1), fmt.Sprintf("target_delta_elevated %g: want -1 < delta < 0", c.TargetDeltaElevated)},
		{!(c.TargetDeltaHighVol < 0 && c.TargetDeltaHighVol > -1), fmt.Sprintf("target_delta_high_vol %g: want -1 < delta < 0", c.TargetDeltaHighVol)},
		{!(c.SpreadWidth > 0) || !param.Finite(c.SpreadWidth), fmt.Sprintf("spread_width %g: want > 0", c.SpreadWidth)},
		{c.MinDTEEntry < 1 || c.MinDTEEntry > c.MaxDTEEntry,
			fmt.Sprintf("min_dte_entry %d / max_dte_entry %d: want 1 <= min <= max", c.MinDTEEntry, c.MaxDTEEntry)},
		{c.TargetDTE < c.MinDTEEntry || c.TargetDTE > c.MaxDTEEntry,
			fmt.Sprintf("target_dte %d outside [min_dte_entry %d, max_dte_entry %d]", c.TargetDTE, c.MinDTEEntry, c.MaxDTEEntry)},
		{!(c.ProfitTargetPct > 0 && c.ProfitTargetPct < 100), fmt.Sprintf("profit_target_pct %g: want 0 < pct < 100", c.ProfitTargetPct)},
		{!(c.StopLossMultiplier > 1) || !param.Finite(c.StopLossMultiplier), fmt.Sprintf("stop_loss_multiplier %g: want > 1", c.StopLossMultiplier)},
		{c.TimeStopDTE < 0, fmt.Sprintf("time_stop_dte %d is negative (0 = off)", c.TimeStopDTE)},
		{c.TimeStopDTE >= c.MinDTEEntry, fmt.Sprintf("time_stop_dte %d >= min_dte_entry %d: every entry would close at once", c.TimeStopDTE, c.MinDTEEntry)},
		{!pct(c.MinIVRank), fmt.Sprintf("min_iv_rank %g outside [0, 100]", c.MinIVRank)},
		{c.MinDaysBetweenEntries < 0, fmt.Sprintf("min_days_between_entries %d is negative", c.MinDaysBetweenEntries)},
		{c.MaxPerUnderlying < 1, fmt.Sprintf("max_concurrent_per_underlying %d < 1", c.MaxPerUnderlying)},
		{c.MaxConcurrentTotal < 1, fmt.Sprintf("max_concurrent_total %d < 1", c.MaxConcurrentTotal)},
		{!(c.MaxPortfolioHeat > 0 && c.MaxPortfolioHeat <= 100), fmt.Sprintf("max_portfolio_heat %g: want 0 < pct <= 100", c.MaxPortfolioHeat)},
		{!(c.RiskPerTradePct > 0 && c.RiskPerTradePct <= 100), fmt.Sprintf("risk_per_trade_pct %g: want 0 < pct <= 100", c.RiskPerTradePct)},
		{c.CircuitBreakerCount < 1, fmt.Sprintf("circuit_breaker_count %d < 1", c.CircuitBreakerCount)},
		{c.CircuitBreakerDays < 0, fmt.Sprintf("circuit_breaker_cooldown_days %d is negative", c.CircuitBreakerDays)},
		{c.BBPeriod < 2, fmt.Sprintf("bb_period %d < 2", c.BBPeriod)},
		{!(c.BBStdDev > 0) || !param.Finite(c.BBStdDev), fmt.Sprintf("bb_std_dev %g: want > 0", c.BBStdDev)},
		{c.BBTouchLookback < 1, fmt.Sprintf("bb_touch_lookback %d < 1", c.BBTouchLookback)},
		{c.MinUpCloses < 0, fmt.Sprintf("min_consecutive_up_closes %d is negative", c.MinUpCloses)},
		{c.RSIPeriod < 1, fmt.Sprintf("rsi_period %d < 1", c.RSIPeriod)},
		{!pct(c.RSIOversold), fmt.Sprintf("rsi_oversold_threshold %g outside [0, 100]", c.RSIOversold)},
		{c.MACDFast < 1 || c.MACDSignal < 1 || c.MACDFast >= c.MACDSlow,
			fmt.Sprintf("macd_fast %d / macd_slow %d / macd_signal %d: want 1 <= fast < slow, signal >= 1", c.MACDFast, c.MACDSlow, c.MACDSignal)},
		{c.IVRankLookback < 2, fmt.Sprintf("iv_rank_lookback %d < 2", c.IVRankLookback)},
		{!(c.MaxLegSpreadPct > 0) || !param.Finite(c.MaxLegSpreadPct), fmt.Sprintf("max_leg_spread_pct %g: want > 0", c.MaxLegSpreadPct)},
		{c.TrendEMAPeriod < 1, fmt.Sprintf("trend_ema_period %d < 1", c.TrendEMAPeriod)},
		{!(c.VIXElevated > 0 && c.VIXElevated <= c.VIXHighVol && c.VIXHighVol <= c.VIXCrisis) || !param.Finite(c.VIXCrisis),
			fmt.Sprintf("vix_elevated_threshold %g / vix_high_vol_threshold %g / vix_crisis_threshold %g: want 0 < elevated <= high <= crisis",
				c.VIXElevated, c.VIXHighVol, c.VIXCrisis)},
		{!(c.VIXTermThreshold > 0) || !param.Finite(c.VIXTermThreshold), fmt.Sprintf("vix_term_structure_threshold %g: want > 0", c.VIXTermThreshold)},
		{!(c.CrisisTermRatio > 0), fmt.Sprintf("crisis_term_structure_ratio %g: want > 0", c.CrisisTermRatio)},
		{!(c.MaxAggregateDelta < 0) || math.IsNaN(c.MaxAggregateDelta), fmt.Sprintf("max_aggregate_delta %g: want < 0 (-inf = off)", c.MaxAggregateDelta)},
		{!(c.HighVolSizeMult > 0 && c.HighVolSizeMult <= 1), fmt.Sprintf("high_vol_size_mult %g outside (0, 1]", c.HighVolSizeMult)},
		{c.DynamicTier2DTE > c.DynamicTier1DTE, fmt.Sprintf("dynamic_pt_tier2_dte %d > dynamic_pt_tier1_dte %d", c.DynamicTier2DTE, c.DynamicTier1DTE)},
		{!(c.DynamicTier1Pct > 0 && c.DynamicTier1Pct < 100 && c.DynamicTier2Pct > 0 && c.DynamicTier2Pct < 100),
			fmt.Sprintf("dynamic_pt_tier1_pct %g / dynamic_pt_tier2_pct %g: want 0 < pct < 100", c.DynamicTier1Pct, c.DynamicTier2Pct)},
		{!(pct(c.DrawdownTier1Pct) && pct(c.DrawdownTier2Pct) && c.DrawdownTier1Pct <= c.DrawdownTier2Pct),
			fmt.Sprintf("drawdown_tier1_pct %g / drawdown_tier2_pct %g: want 0 <= tier1 <= tier2 <= 100", c.DrawdownTier1Pct, c.DrawdownTier2Pct)},
		{!(c.DrawdownTier1Risk > 0 && c.DrawdownTier2Risk > 0 && c.DrawdownTier2Risk <= c.DrawdownTier1Risk),
			fmt.Sprintf("drawdown_tier1_risk_pct %g / drawdown_tier2_risk_pct %g: want 0 < tier2 <= tier1", c.DrawdownTier1Risk, c.DrawdownTier2Risk)},
		{!(c.ConvictionMin > 0 && c.ConvictionMin <= 1 && c.ConvictionMax >= 1) || !param.Finite(c.ConvictionMax),
			fmt.Sprintf("conviction_min %g / conviction_max %g: want 0 < min <= 1 <= max", c.ConvictionMin, c.ConvictionMax)},
		{!(c.ConvIVRankLow < c.ConvIVRankHigh), fmt.Sprintf("conviction_iv_rank_low %g >= conviction_iv_rank_high %g", c.ConvIVRankLow, c.ConvIVRankHigh)},
		{!(c.ConvContangoStrong < c.ConvContangoFlat), fmt.Sprintf("conviction_contango_strong %g >= conviction_contango_flat %g", c.ConvContangoStrong, c.ConvContangoFlat)},
		{!(c.ConvTrendWeakPct < c.ConvTrendStrongPct), fmt.Sprintf("conviction_trend_weak_pct %g >= conviction_trend_strong_pct %g", c.ConvTrendWeakPct, c.ConvTrendStrongPct)},
		{!(c.ConvBBDeep > c.BBStdDev), fmt.Sprintf("conviction_bb_depth_deep %g <= bb_std_dev %g", c.ConvBBDeep, c.BBStdDev)},
		{!(c.ConvWinLow < c.ConvWinHigh), fmt.Sprintf("conviction_win_rate_low %g >= conviction_win_rate_high %g", c.ConvWinLow, c.ConvWinHigh)},
		{c.ConvWinTrades < 1, fmt.Sprintf("conviction_win_trades %d < 1", c.ConvWinTrades)},
	}...)
}

// profitTargetPct returns the profit target in percent at dte days to
// expiration: profit_target_pct, or with dynamic_profit_target the tier
// whose DTE bound dte is at or below (the tighter tier first).
func (c *Config) profitTargetPct(dte int) float64 {
	if c.DynamicProfitTarget {
		switch {
		case dte <= c.DynamicTier2DTE:
			return c.DynamicTier2Pct
		case dte <= c.DynamicTier1DTE:
			return c.DynamicTier1Pct
		}
	}
	return c.ProfitTargetPct
}

package vertical

import (
	"fmt"
	"math"
	"slices"

	"github.com/optsweep/sweep/sim/param"
)

// Debit spread sides (debit_side).
const (
	// DebitCall buys a call vertical: long the call nearest debit_delta, short
	// the call max_spread_width above it (the seed's buy_call_debit_spread).
	DebitCall = "call"
	// DebitPut buys a put vertical: long the put nearest −debit_delta, short
	// the put max_spread_width below it.
	DebitPut = "put"
)

// Config holds the IV-rank strategy's parameters with seed 003's names and
// defaults (IVRankStrategy, RiskManager, RegimeDetector). Parameters the seed
// does not name are marked "not in the seed" in their help.
type Config struct {
	Regime RegimeConfig

	SellThreshold  float64  `param:"sell_threshold" help:"sell a put credit spread when IV rank is above this"`
	BuyThreshold   float64  `param:"buy_threshold" help:"buy a debit spread when IV rank is below this (in buy_regimes)"`
	IVRankWindow   int      `param:"iv_rank_window" help:"sessions of at-the-money IV in the IV rank (min-max rank of today's)"`
	TargetDTEMin   int      `param:"target_dte_min" help:"minimum calendar days to expiration"`
	TargetDTEMax   int      `param:"target_dte_max" help:"maximum calendar days to expiration"`
	TargetDelta    float64  `param:"target_delta" help:"|delta| of the sold put of a credit spread"`
	MaxSpreadWidth float64  `param:"max_spread_width" help:"strike distance between the legs, dollars"`
	BuyRegimes     []string `param:"buy_regimes" help:"regimes in which a low IV rank buys a debit spread"`
	DebitSide      string   `param:"debit_side" help:"debit spread: call (bull call vertical) or put (bear put vertical); not in the seed"`
	DebitDelta     float64  `param:"debit_delta" help:"|delta| of the bought leg of a debit spread; not in the seed"`

	ProfitTarget     float64 `param:"profit_target" help:"close at this fraction of the maximum profit (0 = off)"`
	StopLossMultiple float64 `param:"stop_loss_multiple" help:"credit spreads: close when the loss reaches this multiple of the credit (0 = off)"`
	DebitStopLoss    float64 `param:"debit_stop_loss" help:"debit spreads: close when the loss reaches this fraction of the debit (0 = off); not in the seed"`
	TimeExitPct      float64 `param:"time_exit_pct" help:"close when days held / DTE at entry reaches this (0 = off)"`
	RegimeShiftExit  bool    `param:"regime_shift_exit" help:"close a position opened in low_vol when the regime turns high_vol"`

	MaxRiskPerTrade  float64 `param:"max_risk_per_trade" help:"fraction of equity at risk per trade (max loss of the spread)"`
	MaxPortfolioRisk float64 `param:"max_portfolio_risk" help:"cap on the summed max loss of open positions, fraction of equity"`
	MaxPositions     int     `param:"max_positions" help:"maximum open positions"`
	MaxDrawdown      float64 `param:"max_drawdown" help:"no new positions while equity is this fraction below its peak"`
	SizeLowVol       float64 `param:"size_mult_low_vol" help:"quantity multiplier in low_vol"`
	SizeHighVol      float64 `param:"size_mult_high_vol" help:"quantity multiplier in high_vol"`
	SizeExpansion    float64 `param:"size_mult_iv_expansion" help:"quantity multiplier in iv_expansion"`
	SizeContraction  float64 `param:"size_mult_iv_contraction" help:"quantity multiplier in iv_contraction"`
	UseConfidence    bool    `param:"use_confidence" help:"apply the seed's confidence gate (IV rank extremity × regime fit)"`
	MinConfidence    float64 `param:"min_confidence" help:"no trade below this confidence"`
	HalfConfidence   float64 `param:"half_size_confidence" help:"half size below this confidence"`

	EarningsBlackoutDays int `param:"earnings_blackout_days" help:"no entry on a symbol with earnings within this many calendar days (0 = off)"`
}

// Default returns seed 003's settings: sell above IV rank 70 %, buy below
// 30 % in iv_expansion or low_vol, DTE 3–7, |delta| 0.25, $5 wide; exits at
// 50 % of the maximum profit, a loss of 2 × the credit, 80 % of the time, and
// on a low_vol → high_vol shift; 2 % of equity at risk per trade, 20 % in
// all, 5 positions, a 25 % drawdown stop, the seed's regime size multipliers
// and confidence gate, a 5-day earnings blackout.
func Default() Config {
	return Config{
		Regime:        DefaultRegimeConfig(),
		SellThreshold: 0.70, BuyThreshold: 0.30, IVRankWindow: 252,
		TargetDTEMin: 3, TargetDTEMax: 7, TargetDelta: 0.25, MaxSpreadWidth: 5,
		BuyRegimes: []string{string(IVExpansion), string(LowVol)},
		DebitSide:  DebitCall, DebitDelta: 0.50,
		ProfitTarget: 0.50, StopLossMultiple: 2, DebitStopLoss: 0.50, TimeExitPct: 0.80, RegimeShiftExit: true,
		MaxRiskPerTrade: 0.02, MaxPortfolioRisk: 0.20, MaxPositions: 5, MaxDrawdown: 0.25,
		SizeLowVol: 1, SizeHighVol: 0.5, SizeExpansion: 0.75, SizeContraction: 1,
		UseConfidence: true, MinConfidence: 0.6, HalfConfidence: 0.75,
		EarningsBlackoutDays: 5,
	}
}

// Validate reports the first parameter whose value makes no sense, naming it.
func (c *Config) Validate() error {
	if err := c.Regime.Validate(); err != nil {
		return fmt.Errorf("ivrank: %w", err)
	}
	frac := func(x float64) bool { return x >= 0 && x <= 1 }
	pos := func(x float64) bool { return x > 0 && !math.IsInf(x, 0) }
	if err := param.Check("ivrank", []param.Rule{
		{!frac(c.SellThreshold) || !frac(c.BuyThreshold) || !(c.BuyThreshold <= c.SellThreshold),
			fmt.Sprintf("buy_threshold %g / sell_threshold %g: want 0 ≤ buy ≤ sell ≤ 1", c.BuyThreshold, c.SellThreshold)},
		{c.IVRankWindow < 2, fmt.Sprintf("iv_rank_window %d < 2", c.IVRankWindow)},
		{c.TargetDTEMin < 0 || c.TargetDTEMax < c.TargetDTEMin,
			fmt.Sprintf("target_dte_min %d / target_dte_max %d: want 0 ≤ min ≤ max", c.TargetDTEMin, c.TargetDTEMax)},
		{!(c.TargetDelta > 0 && c.TargetDelta < 1), fmt.Sprintf("target_delta %g outside (0, 1)", c.TargetDelta)},
		{!pos(c.MaxSpreadWidth), fmt.Sprintf("max_spread_width %g: want > 0", c.MaxSpreadWidth)},
		{c.DebitSide != DebitCall && c.DebitSide != DebitPut, fmt.Sprintf("debit_side %q: want call or put", c.DebitSide)},
		{!(c.DebitDelta > 0 && c.DebitDelta < 1), fmt.Sprintf("debit_delta %g outside (0, 1)", c.DebitDelta)},
		{!frac(c.ProfitTarget), fmt.Sprintf("profit_target %g outside [0, 1]", c.ProfitTarget)},
		{!(c.StopLossMultiple >= 0) || math.IsInf(c.StopLossMultiple, 0), fmt.Sprintf("stop_loss_multiple %g: want ≥ 0", c.StopLossMultiple)},
		{!frac(c.DebitStopLoss), fmt.Sprintf("debit_stop_loss %g outside [0, 1]", c.DebitStopLoss)},
		{!frac(c.TimeExitPct), fmt.Sprintf("time_exit_pct %g outside [0, 1]", c.TimeExitPct)},
		{!(c.MaxRiskPerTrade > 0 && c.MaxRiskPerTrade <= 1), fmt.Sprintf("max_risk_per_trade %g outside (0, 1]", c.MaxRiskPerTrade)},
		{!(c.MaxPortfolioRisk > 0 && c.MaxPortfolioRisk <= 1), fmt.Sprintf("max_portfolio_risk %g outside (0, 1]", c.MaxPortfolioRisk)},
		{c.MaxPositions < 1, fmt.Sprintf("max_positions %d < 1", c.MaxPositions)},
		{!(c.MaxDrawdown > 0 && c.MaxDrawdown <= 1), fmt.Sprintf("max_drawdown %g outside (0, 1]", c.MaxDrawdown)},
		{!frac(c.SizeLowVol) || !frac(c.SizeHighVol) || !frac(c.SizeExpansion) || !frac(c.SizeContraction),
			"size_mult_low_vol, size_mult_high_vol, size_mult_iv_expansion and size_mult_iv_contraction must be in [0, 1]"},
		{!frac(c.MinConfidence) || !frac(c.HalfConfidence) || c.HalfConfidence < c.MinConfidence,
			fmt.Sprintf("min_confidence %g / half_size_confidence %g: want 0 ≤ min ≤ half ≤ 1", c.MinConfidence, c.HalfConfidence)},
		{c.EarningsBlackoutDays < 0, fmt.Sprintf("earnings_blackout_days %d is negative", c.EarningsBlackoutDays)},
	}...); err != nil {
		return err
	}
	for _, r := range c.BuyRegimes {
		if !Regime(r).Valid() {
			return fmt.Errorf("ivrank: buy_regimes: %q is not a regime (want low_vol, high_vol, iv_expansion, iv_contraction or neutral)", r)
		}
	}
	return nil
}

// buys reports whether a low IV rank buys a debit spread in regime r.
func (c *Config) buys(r Regime) bool { return slices.Contains(c.BuyRegimes, string(r)) }

// sizeMult returns the seed's regime quantity multiplier (neutral: 0).
func (c *Config) sizeMult(r Regime) float64 {
	switch r {
	case LowVol:
		return c.SizeLowVol
	case HighVol:
		return c.SizeHighVol
	case IVExpansion:
		return c.SizeExpansion
	case IVContraction:
		return c.SizeContraction
	}
	return 0
}

// Confidence returns the seed's signal confidence without a model
// prediction: min(IV rank, 0.95) for a sale (min(1 − IV rank, 0.95) for a
// purchase) times the regime's fit, capped at 0.98. The fit multipliers are
// the seed's constants:
//
//	regime          sell  buy
//	low_vol         1.0   0.8
//	high_vol        0.7   0.9
//	iv_contraction  1.2   0.6
//	iv_expansion    0.6   1.2
//	neutral         0.5   0.5
func Confidence(ivRank float64, r Regime, sell bool) float64 {
	base := min(1-ivRank, 0.95)
	if sell {
		base = min(ivRank, 0.95)
	}
	type fit struct{ sell, buy float64 }
	var f fit
	switch r {
	case LowVol:
		f = fit{1.0, 0.8}
	case HighVol:
		f = fit{0.7, 0.9}
	case IVContraction:
		f = fit{1.2, 0.6}
	case IVExpansion:
		f = fit{0.6, 1.2}
	default:
		f = fit{0.5, 0.5}
	}
	m := f.buy
	if sell {
		m = f.sell
	}
	return min(base*m, 0.98)
}

// Quantity returns the seed's position size (RiskManager
// _calculate_position_size): floor(equity × max_risk_per_trade / (max risk
// per share × 100)), at least 1, times the regime multiplier (floored), then
// zero below min_confidence and halved (at least 1) below
// half_size_confidence when use_confidence is set.
func (c *Config) Quantity(equity, maxRisk, confidence float64, r Regime) int {
	if !(maxRisk > 0) {
		return 0
	}
	q := max(int(equity*c.MaxRiskPerTrade/(maxRisk*100)), 1)
	q = int(float64(q) * c.sizeMult(r))
	if c.UseConfidence {
		switch {
		case confidence < c.MinConfidence:
			q = 0
		case confidence < c.HalfConfidence:
			q = max(1, int(float64(q)*0.5))
		}
	}
	return q
}

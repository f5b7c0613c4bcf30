package earnings

import (
	"fmt"
	"math"

	"github.com/optsweep/sweep/sim/param"
)

// Structures (structure).
const (
	// Strangle sells an out-of-the-money call and put.
	Strangle = "strangle"
	// Straddle sells the at-the-money call and put at one strike.
	Straddle = "straddle"
)

// Strike selection modes of a strangle (strike_mode).
const (
	// StrikeDelta sells the call with delta nearest target_delta and the put
	// with delta nearest −target_delta.
	StrikeDelta = "delta"
	// StrikeOTMPct sells the strikes nearest spot × (1 ± strangle_width), as
	// the seed's _create_strangle_signal does.
	StrikeOTMPct = "otm_pct"
)

// Config holds the earnings strategy's parameters with seed 003's names and
// defaults (EarningsStrategy, EarningsStrategyConfig). Parameters the seed
// does not name are marked "not in the seed" in their help.
type Config struct {
	MinDaysToEarnings int     `param:"min_days_to_earnings" help:"sell at least this many calendar days before the report"`
	MaxDaysToEarnings int     `param:"max_days_to_earnings" help:"sell at most this many calendar days before the report"`
	Structure         string  `param:"structure" help:"strangle or straddle"`
	StrikeMode        string  `param:"strike_mode" help:"strangle strikes by delta (target_delta) or otm_pct (strangle_width); not in the seed"`
	TargetDelta       float64 `param:"target_delta" help:"|delta| of the strangle's legs in delta mode; not in the seed"`
	StrangleWidth     float64 `param:"strangle_width" help:"strangle strikes this fraction out of the money in otm_pct mode"`
	MaxDTE            int     `param:"max_dte" help:"the expiration (the first after the report) at most this many calendar days away"`

	MinIVPercentile float64 `param:"min_iv_percentile" help:"quality: today's ATM IV percentile at least this"`
	IVWindow        int     `param:"iv_percentile_window" help:"sessions of ATM IV in the IV percentile"`
	MaxExpectedMove float64 `param:"max_expected_move" help:"quality: ATM straddle mid / spot at most this"`
	MaxLegSpreadPct float64 `param:"max_leg_spread_pct" help:"quality: each leg's (ask − bid)/mid at most this; not in the seed"`
	MinCredit       float64 `param:"min_credit" help:"quality: natural credit (sum of the bids) per share above this"`

	ProfitTarget     float64 `param:"profit_target" help:"close at this fraction of the credit captured (0 = off)"`
	StopLossMultiple float64 `param:"stop_loss_multiple" help:"close when the loss reaches this multiple of the credit (0 = off)"`

	MaxBuyingPowerPct float64 `param:"max_buying_power_pct" help:"a trade's collateral at most this fraction of buying power; not in the seed"`
	MaxContracts      int     `param:"max_contracts" help:"cap on units per trade (0 = none); not in the seed"`
	MaxPositions      int     `param:"max_positions" help:"maximum open positions"`
}

// Default returns seed 003's settings (sell 1–5 days before the report, the
// first expiration after it within 7 days, IV percentile ≥ 0.6, expected
// move ≤ 10 %, 50 % profit target, stop at a loss of 1 × the credit, 5
// positions) and, where the seed has none, ours: strangle strikes at |delta|
// 0.25, legs' spreads ≤ 25 % of the mid, at most 20 % of buying power per
// trade.
func Default() Config {
	return Config{
		MinDaysToEarnings: 1, MaxDaysToEarnings: 5,
		Structure: Strangle, StrikeMode: StrikeDelta, TargetDelta: 0.25, StrangleWidth: 0.05, MaxDTE: 7,
		MinIVPercentile: 0.6, IVWindow: 252, MaxExpectedMove: 0.10, MaxLegSpreadPct: 0.25, MinCredit: 0,
		ProfitTarget: 0.5, StopLossMultiple: 1,
		MaxBuyingPowerPct: 0.20, MaxContracts: 0, MaxPositions: 5,
	}
}

// Validate reports the first parameter whose value makes no sense, naming it.
func (c *Config) Validate() error {
	frac := func(x float64) bool { return x >= 0 && x <= 1 }
	return param.Check("earnings", []param.Rule{
		{c.MinDaysToEarnings < 0 || c.MaxDaysToEarnings < c.MinDaysToEarnings,
			fmt.Sprintf("min_days_to_earnings %d / max_days_to_earnings %d: want 0 ≤ min ≤ max", c.MinDaysToEarnings, c.MaxDaysToEarnings)},
		{c.Structure != Strangle && c.Structure != Straddle, fmt.Sprintf("structure %q: want strangle or straddle", c.Structure)},
		{c.StrikeMode != StrikeDelta && c.StrikeMode != StrikeOTMPct, fmt.Sprintf("strike_mode %q: want delta or otm_pct", c.StrikeMode)},
		{!(c.TargetDelta > 0 && c.TargetDelta < 1), fmt.Sprintf("target_delta %g outside (0, 1)", c.TargetDelta)},
		{!(c.StrangleWidth >= 0 && c.StrangleWidth < 1), fmt.Sprintf("strangle_width %g outside [0, 1)", c.StrangleWidth)},
		{c.MaxDTE < 1, fmt.Sprintf("max_dte %d < 1", c.MaxDTE)},
		{c.MaxDTE <= c.MinDaysToEarnings, fmt.Sprintf("max_dte %d ≤ min_days_to_earnings %d: no expiration after the report could qualify", c.MaxDTE, c.MinDaysToEarnings)},
		{!frac(c.MinIVPercentile), fmt.Sprintf("min_iv_percentile %g outside [0, 1]", c.MinIVPercentile)},
		{c.IVWindow < 2, fmt.Sprintf("iv_percentile_window %d < 2", c.IVWindow)},
		{!(c.MaxExpectedMove > 0) || math.IsInf(c.MaxExpectedMove, 0), fmt.Sprintf("max_expected_move %g: want > 0", c.MaxExpectedMove)},
		{!(c.MaxLegSpreadPct > 0) || math.IsInf(c.MaxLegSpreadPct, 0), fmt.Sprintf("max_leg_spread_pct %g: want > 0", c.MaxLegSpreadPct)},
		{!(c.MinCredit >= 0) || math.IsInf(c.MinCredit, 0), fmt.Sprintf("min_credit %g: want ≥ 0", c.MinCredit)},
		{!frac(c.ProfitTarget), fmt.Sprintf("profit_target %g outside [0, 1]", c.ProfitTarget)},
		{!(c.StopLossMultiple >= 0) || math.IsInf(c.StopLossMultiple, 0), fmt.Sprintf("stop_loss_multiple %g: want ≥ 0", c.StopLossMultiple)},
		{!(c.MaxBuyingPowerPct > 0 && c.MaxBuyingPowerPct <= 1), fmt.Sprintf("max_buying_power_pct %g outside (0, 1]", c.MaxBuyingPowerPct)},
		{c.MaxContracts < 0, fmt.Sprintf("max_contracts %d is negative (0 = no cap)", c.MaxContracts)},
		{c.MaxPositions < 1, fmt.Sprintf("max_positions %d < 1", c.MaxPositions)},
	}...)
}

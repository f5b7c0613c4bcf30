// Package wheel is the wheel of seed 001 as a strategy on the sim decision
// core: sell a cash-secured put; if it is assigned, sell covered calls over the
// shares until they are called away or the wheel completes.
//
// Each trading day, for each symbol of the run, the day's chain snapshot
// (15:45 ET) gives candidates: puts with DTE in [dte_min, dte_max] calendar days
// and |delta| in [delta_min, delta_max] (delta from the IV solved on the mid),
// that pass the liquidity model's hard limits (bid ≥ min_bid_hard, spread ≤
// hard_max_spread_pct of the mid). A wheel starts for every candidate (or the
// first max_wheels_per_symbol_per_day of them, sorted by expiration then
// strike), each selling contracts puts at the fill model's price.
//
// The put is then worked on its daily bars from the next session: a stop when
// the bar's high reaches stop_loss_multiplier × the premium, then a profit
// target when its low reaches exit_pct × the premium (filled with the fill
// model's probability when use_probabilistic_exit_fills is set, each draw
// recorded); otherwise at expiry the engine assigns it if the underlying closes
// below the strike, or lets it expire worthless.
//
// After assignment the wheel sells a call (DTE in [cc_dte_min, cc_dte_max],
// |delta| in [cc_delta_min, cc_delta_max], strike at or above the net cost
// basis when sell_call_only_if_price_above_basis is set, ties broken by
// tie_break_method), from the next session on until one is found. The call
// exits at its profit target, is called away at expiry (the shares go at the
// strike), or expires worthless. The wheel then completes; shares it still
// holds are sold at the next decision when liquidate_on_complete is set (the
// seed leaves them unaccounted).
//
// The state machine (State, Advance) has only the seed's legal transitions,
// plus CSP_CLOSED_TIME and CC_CLOSED_TIME for the max_hold_dte exit the seed
// declares but never implements. An illegal transition stops the run with an
// error.
//
// Records turns a run's trades into the seed's per-phase records (csp, cc,
// stock, total) and Summarize aggregates them.
package wheel

import (
	"fmt"

	"github.com/optsweep/sweep/sim/param"
)

// Config holds every parameter of seed 001's CONFIG, CC_CONFIG and
// SCHEDULER_CONFIG that matters in a backtest, with the seed's defaults. The
// liquidity model (min_bid_hard, hard_max_spread_pct and the spread tiers),
// fill mode, probabilistic fill buckets, costs and seed are execution settings
// of the engine.
type Config struct {
	DTEMin             int     `param:"dte_min" help:"minimum calendar days to expiration of the put"`
	DTEMax             int     `param:"dte_max" help:"maximum calendar days to expiration of the put"`
	DeltaMin           float64 `param:"delta_min" help:"minimum |delta| of the put"`
	DeltaMax           float64 `param:"delta_max" help:"maximum |delta| of the put"`
	ExitPct            float64 `param:"exit_pct" help:"profit target: buy the put back at this fraction of the premium"`
	StopLossMultiplier float64 `param:"stop_loss_multiplier" help:"stop: buy the put back when its high reaches this multiple of the premium (0 = off)"`
	MaxHoldDTE         int     `param:"max_hold_dte" help:"close an option at this many days to expiration (0 = off)"`
	Probabilistic      bool    `param:"use_probabilistic_exit_fills" help:"profit-target touches fill with the fill model's probability"`
	Contracts          int     `param:"contracts" help:"contracts per wheel"`

	CCDTEMin        int     `param:"cc_dte_min" help:"minimum calendar days to expiration of the covered call"`
	CCDTEMax        int     `param:"cc_dte_max" help:"maximum calendar days to expiration of the covered call"`
	CCDeltaMin      float64 `param:"cc_delta_min" help:"minimum |delta| of the covered call"`
	CCDeltaMax      float64 `param:"cc_delta_max" help:"maximum |delta| of the covered call"`
	CCExitPct       float64 `param:"cc_exit_pct" help:"profit target of the covered call as a fraction of its premium (0 = hold)"`
	StrikeAboveBase float64 `param:"strike_min_pct_above_basis" help:"covered call strike at least this fraction above the cost basis"`
	AboveBasisOnly  bool    `param:"sell_call_only_if_price_above_basis" help:"require call strike >= net cost basis per share"`
	TieBreak        string  `param:"tie_break_method" help:"covered call choice: highest_premium, closest_delta or highest_strike"`

	MultiplePerSymbol bool `param:"allow_multiple_wheels_per_symbol" help:"start a wheel for every candidate the buying power secures, even with wheels open on the symbol"`
	MaxPerDay         int  `param:"max_wheels_per_symbol_per_day" help:"cap on wheels started per symbol per day (0 = no cap)"`
	LiquidateComplete bool `param:"liquidate_on_complete" help:"sell shares a completed wheel still holds at the next decision"`

	// StockPnLBasis is how the wheel's records and summary value the stock
	// phase: StockFromAssignment (ours) or StockFromNetCost (the seed).
	StockPnLBasis string `param:"stock_pnl_basis" help:"stock phase P&L in the wheel records: assignment (from the assignment price; ours) or net_cost (the seed: from strike less the put premium, which counts the premium twice)"`

	// TargetFill is the price a touched profit target fills at:
	// TargetAtLimit (ours) or TargetAtBar (the seed).
	TargetFill string `param:"profit_target_fill" help:"price of a filled profit target: limit (at most the target, as a resting limit order; ours) or bar (the seed: the fill mode's formula on the day's bar, above the target in the pessimistic mode)"`
}

// Values of Config.TargetFill.
const (
	TargetAtLimit = "limit" // a resting limit order: never above the target
	TargetAtBar   = "bar"   // seed 001: get_exit_price on the day's bar, whatever the target
)

// Values of Config.StockPnLBasis.
const (
	StockFromAssignment = "assignment" // shares valued from the assignment price: each dollar counted once
	StockFromNetCost    = "net_cost"   // seed 001: called-away shares from strike − put premium
)

// Default returns seed 001's settings.
func Default() Config {
	return Config{
		DTEMin: 30, DTEMax: 45, DeltaMin: 0.25, DeltaMax: 0.35,
		ExitPct: 0.50, StopLossMultiplier: 2.0, Probabilistic: true, Contracts: 1,
		CCDTEMin: 14, CCDTEMax: 30, CCDeltaMin: 0.25, CCDeltaMax: 0.35, CCExitPct: 0.50,
		AboveBasisOnly: true, TieBreak: "highest_premium",
		MultiplePerSymbol: true, LiquidateComplete: true, StockPnLBasis: StockFromAssignment, TargetFill: TargetAtLimit,
	}
}

// Validate reports the first setting that makes no sense.
func (c *Config) Validate() error {
	var rules []param.Rule
	check := func(ok bool, format string, a ...any) {
		rules = append(rules, param.Rule{Bad: !ok, Msg: fmt.Sprintf(format, a...)})
	}
	check(c.DTEMin >= 0 && c.DTEMin <= c.DTEMax, "dte_min %d and dte_max %d: need 0 <= dte_min <= dte_max", c.DTEMin, c.DTEMax)
	check(c.CCDTEMin >= 0 && c.CCDTEMin <= c.CCDTEMax, "cc_dte_min %d and cc_dte_max %d: need 0 <= cc_dte_min <= cc_dte_max", c.CCDTEMin, c.CCDTEMax)
	check(c.DeltaMin >= 0 && c.DeltaMin <= c.DeltaMax && c.DeltaMax <= 1, "delta_min %g and delta_max %g: need 0 <= min <= max <= 1", c.DeltaMin, c.DeltaMax)
	check(c.CCDeltaMin >= 0 && c.CCDeltaMin <= c.CCDeltaMax && c.CCDeltaMax <= 1, "cc_delta_min %g and cc_delta_max %g: need 0 <= min <= max <= 1", c.CCDeltaMin, c.CCDeltaMax)
	check(c.ExitPct >= 0 && c.ExitPct < 1, "exit_pct %g: need 0 <= exit_pct < 1", c.ExitPct)
	check(c.CCExitPct >= 0 && c.CCExitPct < 1, "cc_exit_pct %g: need 0 <= cc_exit_pct < 1", c.CCExitPct)
	check(c.StopLossMultiplier == 0 || c.StopLossMultiplier > 1, "stop_loss_multiplier %g: need 0 (off) or > 1", c.StopLossMultiplier)
	check(c.MaxHoldDTE >= 0, "max_hold_dte %d: need >= 0", c.MaxHoldDTE)
	check(c.Contracts >= 1, "contracts %d: need >= 1", c.Contracts)
	check(c.MaxPerDay >= 0, "max_wheels_per_symbol_per_day %d: need >= 0", c.MaxPerDay)
	check(c.StrikeAboveBase >= 0, "strike_min_pct_above_basis %g: need >= 0", c.StrikeAboveBase)
	check(c.StockPnLBasis == StockFromAssignment || c.StockPnLBasis == StockFromNetCost,
		"stock_pnl_basis %q: need %s or %s", c.StockPnLBasis, StockFromAssignment, StockFromNetCost)
	check(c.TargetFill == TargetAtLimit || c.TargetFill == TargetAtBar,
		"profit_target_fill %q: need %s or %s", c.TargetFill, TargetAtLimit, TargetAtBar)
	switch c.TieBreak {
	case "highest_premium", "closest_delta", "highest_strike":
	default:
		check(false, "tie_break_method %q: need highest_premium, closest_delta or highest_strike", c.TieBreak)
	}
	return param.CheckAll("wheel", rules...)
}

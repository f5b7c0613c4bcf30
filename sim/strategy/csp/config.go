package csp

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/optsweep/sweep/sim/param"
)

// Contract ranking modes (seed contract_rank_mode). Every mode ranks
// descending by its key; ties go to the earlier expiration, then the lower
// strike, then (across tickers) the symbol first in sort order.
const (
	// RankReturnPerDelta ranks by daily return on collateral / |delta|.
	RankReturnPerDelta = "daily_return_per_delta"
	// RankDaysSinceStrike ranks by calendar days since the stock last closed
	// at or below the strike (999 when it did not within history_days).
	RankDaysSinceStrike = "days_since_strike"
	// RankLowestStrike ranks the lowest strike first.
	RankLowestStrike = "lowest_strike_price"
	// RankReturnOnCollateral ranks by daily return on collateral.
	RankReturnOnCollateral = "daily_return_on_collateral"
)

// Strike ceiling modes (seed max_strike_mode).
const (
	// StrikeSMA caps strikes at SMA(max_strike_sma_period) of the closes.
	StrikeSMA = "sma"
	// StrikePct caps strikes at max_strike_pct × price.
	StrikePct = "pct"
)

// VIXBand is one row of a VIX deployment table: VIX levels in [Lo, Hi) deploy
// Mult of the starting cash.
type VIXBand struct {
	Lo, Hi float64 // Hi may be +Inf
	Mult   float64 // fraction of the starting cash to deploy, in [0, 1]
}

// VIXTable maps VIX levels to the fraction of the starting cash to deploy (seed
// vix_deployment_rules). Its text form is a comma-separated list of
// "lo-hi:mult" bands, hi "inf" for no upper bound:
//
//	0-12:0,12-15:0.2,15-18:0.8,18-21:0.9,21-inf:1
type VIXTable []VIXBand

// DefaultVIXTable returns the seed's table: nothing below 12, 20 % in
// [12, 15), 80 % in [15, 18), 90 % in [18, 21), everything from 21 up.
func DefaultVIXTable() VIXTable {
	return VIXTable{{0, 12, 0}, {12, 15, 0.2}, {15, 18, 0.8}, {18, 21, 0.9}, {21, math.Inf(1), 1}}
}

// Multiplier returns the deployment fraction of the first band with
// Lo ≤ vix < Hi, and 0 when no band holds vix (or vix is NaN), as the seed's
// get_deployment_multiplier does.
func (t VIXTable) Multiplier(vix float64) float64 {
	for _, b := range t {
		if b.Lo <= vix && vix < b.Hi {
			return b.Mult
		}
	}
	return 0
}

// MarshalText implements encoding.TextMarshaler.
func (t VIXTable) MarshalText() ([]byte, error) {
	var sb strings.Builder
	num := func(x float64) string {
		if math.IsInf(x, 1) {
			return "inf"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	for i, b := range t {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(num(b.Lo) + "-" + num(b.Hi) + ":" + num(b.Mult))
	}
	return []byte(sb.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, parsing the form
// MarshalText writes. Spaces around the parts are ignored. It checks each
// band's syntax and order (lo < hi); Validate checks the table as a whole.
func (t *VIXTable) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	if s == "" {
		return errors.New("csp: empty VIX table")
	}
	var out VIXTable
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		rng, mult, ok := strings.Cut(part, ":")
		if !ok {
			return fmt.Errorf("csp: VIX band %q: want lo-hi:mult", part)
		}
		lo, hi, ok := strings.Cut(rng, "-")
		if !ok {
			return fmt.Errorf("csp: VIX band %q: want lo-hi:mult", part)
		}
		var b VIXBand
		var err error
		if b.Lo, err = parseNum(lo); err != nil {
			return fmt.Errorf("csp: VIX band %q: lower bound: %w", part, err)
		}
		if b.Hi, err = parseNum(hi); err != nil {
			return fmt.Errorf("csp: VIX band %q: upper bound: %w", part, err)
		}
		if b.Mult, err = parseNum(mult); err != nil {
			return fmt.Errorf("csp: VIX band %q: multiplier: %w", part, err)
		}
		if !(b.Lo < b.Hi) {
			return fmt.Errorf("csp: VIX band %q: lower bound must be below the upper bound", part)
		}
		out = append(out, b)
	}
	*t = out
	return nil
}

func parseNum(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "inf") {
		return math.Inf(1), nil
	}
	return strconv.ParseFloat(s, 64)
}

// validate checks that bands are well formed, do not overlap and deploy a
// fraction in [0, 1].
func (t VIXTable) validate() error {
	if len(t) == 0 {
		return errors.New("csp: vix_deployment_rules is empty")
	}
	for i, b := range t {
		if math.IsNaN(b.Lo) || math.IsNaN(b.Hi) || b.Lo < 0 || !(b.Lo < b.Hi) {
			return fmt.Errorf("csp: vix_deployment_rules band %d [%g, %g): want 0 ≤ lo < hi", i, b.Lo, b.Hi)
		}
		if !(b.Mult >= 0 && b.Mult <= 1) {
			return fmt.Errorf("csp: vix_deployment_rules band %d: multiplier %g outside [0, 1]", i, b.Mult)
		}
		for j := range i {
			if o := t[j]; b.Lo < o.Hi && o.Lo < b.Hi {
				return fmt.Errorf("csp: vix_deployment_rules bands %d and %d overlap", j, i)
			}
		}
	}
	return nil
}

// Config holds the strategy's parameters, named after the seed's
// StrategyConfig. Left out, because a backtest supplies them otherwise or has
// no use for them: ticker_universe (the run's symbols), starting_cash (the
// engine's cash, Book.StartCash), the stepped-entry ladder entry_start_price,
// entry_step_pct and entry_max_steps (the engine's fill.Stepped; entries use
// sim.PriceStepped), entry_step_interval and entry_refetch_snapshot (one quote
// stands for the whole ladder), poll_interval_seconds, paper_trading,
// liquidate_all, price_lookback_days (live price look-ups), the verbose_*
// toggles (the decision log replaces them) and sma_periods (declared but
// unused by the seed, whose checks are SMA 8, 20 and 50).
type Config struct {
	NumTickers int      `param:"num_tickers" help:"maximum open positions; 0 = no cap"`
	VIXRules   VIXTable `param:"vix_deployment_rules" help:"VIX bands lo-hi:fraction of starting cash to deploy"`

	RSIPeriod        int     `param:"rsi_period" help:"RSI period (simple rolling means)"`
	RSILower         float64 `param:"rsi_lower" help:"RSI must be strictly above this"`
	RSIUpper         float64 `param:"rsi_upper" help:"RSI must be strictly below this"`
	RSIFlat          string  `param:"rsi_flat_window" help:"RSI on a window without price changes: neutral (50; ours) or nan (the seed: the RSI check fails)"`
	BBPeriod         int     `param:"bb_period" help:"Bollinger period of the legacy bb_upper check"`
	BBStd            float64 `param:"bb_std" help:"Bollinger width in standard deviations (both band checks)"`
	SMABBPeriod      int     `param:"sma_bb_period" help:"period n of the band check SMA(n) <= price <= BB_upper(n)"`
	SMATrendLookback int     `param:"sma_trend_lookback" help:"days SMA(50) must have risen"`
	HistoryDays      int     `param:"history_days" help:"closes used by the equity filter (today's price included)"`
	MaxPositionPct   float64 `param:"max_position_pct" help:"fraction of starting cash per ticker (sizing and position-size check)"`

	ContractRankMode      string `param:"contract_rank_mode" help:"daily_return_per_delta | days_since_strike | lowest_strike_price | daily_return_on_collateral"`
	MaxContractsPerTicker int    `param:"max_contracts_per_ticker" help:"hard cap on contracts per ticker"`

	MinDailyReturn         float64 `param:"min_daily_return" help:"minimum premium/effective DTE/strike per day"`
	MaxStrikeSMAPeriod     int     `param:"max_strike_sma_period" help:"SMA period of the strike ceiling in sma mode"`
	MaxStrikeMode          string  `param:"max_strike_mode" help:"strike ceiling: sma = SMA(max_strike_sma_period), pct = max_strike_pct x price"`
	MinStrikePct           float64 `param:"min_strike_pct" help:"strike >= this fraction of the price"`
	MaxStrikePct           float64 `param:"max_strike_pct" help:"strike <= this fraction of the price (always checked)"`
	DeltaMin               float64 `param:"delta_min" help:"minimum |delta|"`
	DeltaMax               float64 `param:"delta_max" help:"maximum |delta|"`
	MaxDTE                 int     `param:"max_dte" help:"maximum calendar days to expiration (also the event window)"`
	MinDTE                 int     `param:"min_dte" help:"minimum calendar days to expiration"`
	MaxCandidatesPerSymbol int     `param:"max_candidates_per_symbol" help:"ranked contracts kept per symbol"`
	MaxCandidatesTotal     int     `param:"max_candidates_total" help:"tickers tried for entry per day"`
	MinVolume              int     `param:"min_volume" help:"minimum previous-session option volume; 0 = off"`
	MinOpenInterest        int     `param:"min_open_interest" help:"minimum open interest; 0 = off"`
	MaxSpreadPct           float64 `param:"max_spread_pct" help:"maximum (ask-bid)/mid; 1 = off"`

	DeltaStopMultiplier float64 `param:"delta_stop_multiplier" help:"exit when |delta| >= this x entry |delta|"`
	StockDropStopPct    float64 `param:"stock_drop_stop_pct" help:"exit when the price falls this fraction below the entry price"`
	VIXSpikeMultiplier  float64 `param:"vix_spike_multiplier" help:"exit when VIX >= this x the entry VIX"`
	EarlyExitBuffer     float64 `param:"early_exit_buffer" help:"exit when captured premium >= days held/DTE at entry + this"`

	EnableSMA8Check         bool `param:"enable_sma8_check" help:"require price > SMA(8)"`
	EnableSMA20Check        bool `param:"enable_sma20_check" help:"require price > SMA(20)"`
	EnableSMA50Check        bool `param:"enable_sma50_check" help:"require price > SMA(50)"`
	EnableBBUpperCheck      bool `param:"enable_bb_upper_check" help:"legacy: require price > BB_upper(bb_period)"`
	EnableBandCheck         bool `param:"enable_band_check" help:"require SMA(n) <= price <= BB_upper(n), n = sma_bb_period"`
	EnableSMA50TrendCheck   bool `param:"enable_sma50_trend_check" help:"require SMA(50) rising for sma_trend_lookback days"`
	EnableRSICheck          bool `param:"enable_rsi_check" help:"require rsi_lower < RSI < rsi_upper"`
	EnablePositionSizeCheck bool `param:"enable_position_size_check" help:"require 100 x price <= max_position_pct x starting cash"`

	EnablePremiumCheck      bool `param:"enable_premium_check" help:"apply min_daily_return"`
	EnableDeltaCheck        bool `param:"enable_delta_check" help:"apply delta_min/delta_max"`
	EnableDTECheck          bool `param:"enable_dte_check" help:"apply min_dte/max_dte in the options filter"`
	EnableVolumeCheck       bool `param:"enable_volume_check" help:"apply min_volume"`
	EnableOpenInterestCheck bool `param:"enable_open_interest_check" help:"apply min_open_interest"`
	EnableSpreadCheck       bool `param:"enable_spread_check" help:"apply max_spread_pct"`
	TradeDuringEarnings     bool `param:"trade_during_earnings" help:"allow entries with earnings within max_dte days"`
	TradeDuringDividends    bool `param:"trade_during_dividends" help:"allow entries with an ex-dividend date within max_dte days"`
	TradeDuringFOMC         bool `param:"trade_during_fomc" help:"allow entries with an FOMC meeting within max_dte days"`

	EnableDeltaStop     bool `param:"enable_delta_stop" help:"exit on the delta stop"`
	EnableStockDropStop bool `param:"enable_stock_drop_stop" help:"exit on the stock-drop stop"`
	EnableVIXSpikeStop  bool `param:"enable_vix_spike_stop" help:"exit on the VIX-spike stop"`
	EnableEarlyExit     bool `param:"enable_early_exit" help:"exit ahead of the linear decay schedule"`

	// SellAssigned is not in the seed, which leaves assigned shares in the
	// broker account: it sells them at the next decision, freeing the symbol.
	SellAssigned bool `param:"sell_assigned_shares" help:"sell shares delivered by assignment at the next decision (not in the seed)"`
}

// Default returns the seed's defaults.
func Default() Config {
	return Config{
		VIXRules:  DefaultVIXTable(),
		RSIPeriod: 14, RSILower: 30, RSIUpper: 70, RSIFlat: RSIFlatNeutral,
		BBPeriod: 20, BBStd: 1.0, SMABBPeriod: 20, SMATrendLookback: 3, HistoryDays: 60,
		MaxPositionPct:   0.10,
		ContractRankMode: RankLowestStrike, MaxContractsPerTicker: 5,
		MinDailyReturn: 0.0015, MaxStrikeSMAPeriod: 20, MaxStrikeMode: StrikeSMA,
		MinStrikePct: 0.50, MaxStrikePct: 0.90, DeltaMin: 0, DeltaMax: 0.40,
		MaxDTE: 10, MinDTE: 1, MaxCandidatesPerSymbol: 20, MaxCandidatesTotal: 1000,
		MinVolume: 0, MinOpenInterest: 0, MaxSpreadPct: 1.0,
		DeltaStopMultiplier: 2.0, StockDropStopPct: 0.05, VIXSpikeMultiplier: 1.15, EarlyExitBuffer: 0.15,
		EnableSMA8Check: true, EnableSMA20Check: true, EnableSMA50Check: true, EnableBBUpperCheck: false,
		EnableBandCheck: true, EnableSMA50TrendCheck: true, EnableRSICheck: true, EnablePositionSizeCheck: true,
		EnablePremiumCheck: true, EnableDeltaCheck: true, EnableDTECheck: true, EnableVolumeCheck: true,
		EnableOpenInterestCheck: true, EnableSpreadCheck: true,
		EnableDeltaStop: true, EnableStockDropStop: true, EnableVIXSpikeStop: true, EnableEarlyExit: true,
		SellAssigned: true,
	}
}

// minCloses is the equity filter's minimum history (seed: fewer than 50
// prices fail with "Insufficient price history").
const minCloses = 50

// Validate reports the first parameter whose value makes no sense, naming it.
func (c *Config) Validate() error {
	if err := param.Check("csp", []param.Rule{
		{c.NumTickers < 0, fmt.Sprintf("num_tickers %d is negative (0 = no cap)", c.NumTickers)},
		{c.RSIPeriod < 1, fmt.Sprintf("rsi_period %d < 1", c.RSIPeriod)},
		{c.RSIFlat != RSIFlatNeutral && c.RSIFlat != RSIFlatNaN,
			fmt.Sprintf("rsi_flat_window %q: want %s or %s", c.RSIFlat, RSIFlatNeutral, RSIFlatNaN)},
		{!(c.RSILower >= 0 && c.RSILower < c.RSIUpper && c.RSIUpper <= 100),
			fmt.Sprintf("rsi_lower %g / rsi_upper %g: want 0 ≤ lower < upper ≤ 100", c.RSILower, c.RSIUpper)},
		{c.BBPeriod < 2, fmt.Sprintf("bb_period %d < 2", c.BBPeriod)},
		{!(c.BBStd >= 0) || !param.Finite(c.BBStd), fmt.Sprintf("bb_std %g: want ≥ 0", c.BBStd)},
		{c.SMABBPeriod < 2, fmt.Sprintf("sma_bb_period %d < 2", c.SMABBPeriod)},
		{c.SMATrendLookback < 1, fmt.Sprintf("sma_trend_lookback %d < 1", c.SMATrendLookback)},
		{c.HistoryDays < minCloses, fmt.Sprintf("history_days %d < %d, the equity filter's minimum", c.HistoryDays, minCloses)},
		{c.EnableSMA50TrendCheck && c.HistoryDays < 50+c.SMATrendLookback,
			fmt.Sprintf("history_days %d < 50 + sma_trend_lookback %d: the SMA(50) trend check could never pass", c.HistoryDays, c.SMATrendLookback)},
		{c.RSIPeriod >= c.HistoryDays, fmt.Sprintf("rsi_period %d needs more than history_days %d closes", c.RSIPeriod, c.HistoryDays)},
		{c.BBPeriod > c.HistoryDays, fmt.Sprintf("bb_period %d > history_days %d", c.BBPeriod, c.HistoryDays)},
		{c.SMABBPeriod > c.HistoryDays, fmt.Sprintf("sma_bb_period %d > history_days %d", c.SMABBPeriod, c.HistoryDays)},
		{!(c.MaxPositionPct > 0 && c.MaxPositionPct <= 1), fmt.Sprintf("max_position_pct %g outside (0, 1]", c.MaxPositionPct)},
		{!knownRank(c.ContractRankMode), fmt.Sprintf("contract_rank_mode %q unknown (want %s, %s, %s or %s)", c.ContractRankMode,
			RankReturnPerDelta, RankDaysSinceStrike, RankLowestStrike, RankReturnOnCollateral)},
		{c.MaxContractsPerTicker < 1, fmt.Sprintf("max_contracts_per_ticker %d < 1", c.MaxContractsPerTicker)},
		{!(c.MinDailyReturn >= 0) || !param.Finite(c.MinDailyReturn), fmt.Sprintf("min_daily_return %g is negative", c.MinDailyReturn)},
		{c.MaxStrikeMode != StrikeSMA && c.MaxStrikeMode != StrikePct, fmt.Sprintf("max_strike_mode %q unknown (want sma or pct)", c.MaxStrikeMode)},
		{c.MaxStrikeSMAPeriod < 1 || c.MaxStrikeSMAPeriod > c.HistoryDays,
			fmt.Sprintf("max_strike_sma_period %d outside [1, history_days %d]", c.MaxStrikeSMAPeriod, c.HistoryDays)},
		{!(c.MinStrikePct >= 0 && c.MinStrikePct <= c.MaxStrikePct) || !param.Finite(c.MaxStrikePct),
			fmt.Sprintf("min_strike_pct %g / max_strike_pct %g: want 0 ≤ min ≤ max", c.MinStrikePct, c.MaxStrikePct)},
		{!(c.DeltaMin >= 0 && c.DeltaMin <= c.DeltaMax && c.DeltaMax <= 1),
			fmt.Sprintf("delta_min %g / delta_max %g: want 0 ≤ min ≤ max ≤ 1", c.DeltaMin, c.DeltaMax)},
		{c.MinDTE < 0 || c.MinDTE > c.MaxDTE, fmt.Sprintf("min_dte %d / max_dte %d: want 0 ≤ min_dte ≤ max_dte", c.MinDTE, c.MaxDTE)},
		{c.MaxCandidatesPerSymbol < 1, fmt.Sprintf("max_candidates_per_symbol %d < 1", c.MaxCandidatesPerSymbol)},
		{c.MaxCandidatesTotal < 1, fmt.Sprintf("max_candidates_total %d < 1", c.MaxCandidatesTotal)},
		{c.MinVolume < 0, fmt.Sprintf("min_volume %d is negative", c.MinVolume)},
		{c.MinOpenInterest < 0, fmt.Sprintf("min_open_interest %d is negative", c.MinOpenInterest)},
		{!(c.MaxSpreadPct > 0), fmt.Sprintf("max_spread_pct %g: want > 0 (1 = off)", c.MaxSpreadPct)},
		{!(c.DeltaStopMultiplier > 0) || !param.Finite(c.DeltaStopMultiplier), fmt.Sprintf("delta_stop_multiplier %g: want > 0", c.DeltaStopMultiplier)},
		{!(c.StockDropStopPct > 0 && c.StockDropStopPct < 1), fmt.Sprintf("stock_drop_stop_pct %g outside (0, 1)", c.StockDropStopPct)},
		{!(c.VIXSpikeMultiplier > 0) || !param.Finite(c.VIXSpikeMultiplier), fmt.Sprintf("vix_spike_multiplier %g: want > 0", c.VIXSpikeMultiplier)},
		{!(c.EarlyExitBuffer >= 0) || !param.Finite(c.EarlyExitBuffer), fmt.Sprintf("early_exit_buffer %g is negative", c.EarlyExitBuffer)},
	}...); err != nil {
		return err
	}
	return c.VIXRules.validate()
}

func knownRank(m string) bool {
	switch m {
	case RankReturnPerDelta, RankDaysSinceStrike, RankLowestStrike, RankReturnOnCollateral:
		return true
	}
	return false
}

// Values of Config.RSIFlat.
const (
	RSIFlatNeutral = "neutral" // a flat window's RSI is 50 (ours)
	RSIFlatNaN     = "nan"     // the seed: 0/0 gives NaN and fails the RSI check
)

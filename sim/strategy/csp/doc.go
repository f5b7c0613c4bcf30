// Package csp is the cash-secured-put scanner of seed 000 as a sim.Strategy:
// each day it monitors its open short puts, then scans the run's symbols for
// new ones.
//
// # Monitoring
//
// Every open position is checked in the seed's RiskManager order, each check
// behind its enable_* toggle: the delta stop (|delta| ≥ delta_stop_multiplier
// × |entry delta|; the entry delta stands in when the chain has none and on
// the expiration day, where the seed's whole-day delta is undefined), the
// stock drop (spot ≤ entry spot × (1 − stock_drop_stop_pct)), the VIX spike
// (VIX ≥ vix_spike_multiplier × the entry VIX), then the early exit on the
// linear decay schedule: the captured share of the entry premium,
// (entry − ask)/entry, at least days held / DTE at entry + early_exit_buffer,
// with days counted in calendar days and never on the entry day. The first
// that fires closes the position at the market with reason "delta_stop",
// "stock_drop", "vix_spike" or "early_exit". A position whose contract is not
// in the day's chain is skipped, as the seed skips one without data.
//
// The seed's VIX reference is the session's opening VIX; in a daily backtest
// the VIX known at the decision is that same open, so the reference is the
// VIX at entry instead. The VIX now is snap.VIX.Now, or the last close when
// it is unknown.
//
// Expiry and assignment are the engine's. Shares an assignment delivers are
// sold at the next decision ("assigned_shares_sold") when sell_assigned_shares
// is set (the default; the seed has no rule for them).
//
// # Entries
//
// Deployable cash is the starting cash × the VIX table's fraction; available
// cash is that less the collateral of the positions that stay open. The
// equity filter reads the last history_days closes with today's price as the
// last value: price above SMA 8, 20 and 50; SMA(n) ≤ price ≤ BB_upper(n, k);
// optionally price above BB_upper(bb_period) (the legacy check); SMA(50)
// rising sma_trend_lookback days; 30 < RSI(14) < 70 in the seed's
// simple-mean form; 100 × price within max_position_pct of the starting
// cash. Symbols already held are not scanned further.
//
// The puts chain keeps puts with DTE (calendar days) in [min_dte, max_dte],
// strike in [min_strike_pct × price, ceiling], the ceiling being
// SMA(max_strike_sma_period) in "sma" mode and max_strike_pct × price in
// "pct" mode, and a positive bid. The options filter then checks the daily
// return on collateral, bid / effective DTE / strike, where the effective DTE
// adds the share of the 390-minute session left until 16:00 at the decision
// time (15:45 adds 15/390); the strike within [min_strike_pct,
// max_strike_pct] of the price, always, even in "sma" mode (a seed quirk: an
// SMA ceiling above max_strike_pct × price is cut back to it); |delta| in
// [delta_min, delta_max] (a zero or missing delta fails, as in the seed);
// DTE; volume; open interest; spread. Volume is the previous session's: the
// seed reads the live snapshot's volume so far, but a day's own volume is
// stamped at its close, after the decision.
//
// Puts are ranked by contract_rank_mode, the best per symbol re-ranked across
// symbols, symbols with earnings or an ex-dividend date (or any FOMC meeting,
// which rejects every symbol) within [today, today + max_dte] dropped unless
// trade_during_* allows them, and the first max_candidates_total tried in
// order. Each is sized by the seed's compute_target_quantity and entered if
// the positions cap and the available cash allow, as a stepped sell-to-open
// (sim.PriceStepped: the engine's fill.Stepped ladder) tagged with its symbol.
// Entries planned earlier in the same step count against the cash and the
// cap even though the engine might not fill them; the seed, which sees each
// fill before the next entry, would free that cash for later candidates.
//
// # Decision log
//
// Every decision is a Book note: per symbol and day one "equity" note (the
// values or the failure reasons), one "options" note (puts scanned, passed,
// failures by reason, the best put), "event" for blackout rejections, "entry"
// and "exit" with the values behind them.
//
// # Left out of the seed
//
// See Config for the seed parameters that a backtest supplies otherwise.
// The seed only honours max_strike_sma_period 8, 20 or 50 (other periods
// fall back to max_strike_pct); here any period up to history_days works.
package csp

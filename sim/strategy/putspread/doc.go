// Package putspread trades put credit spreads: it is "Optimus" (seed 004,
// system 5 of STRATEGIES.md, registered as "optimus") as a sim.Strategy:
// defined-risk SPX put credit spreads, entered on a Bollinger
// band mean-reversion signal when the volatility regime allows it, sized by
// their maximum loss and managed by a profit target, a stop, a time stop and
// a regime override.
//
// # Timing and data
//
// The signal is formed on the last closed session (the signal bar: the last
// bar of Market.History) and the spread is opened at the next decision, the
// snapshot of the following trading day, at that day's quotes: the
// document's "next trading day" entry, without look-ahead. Price indicators
// (EMA, Bollinger, RSI, MACD, up-closes) read only closed bars. VIX and VIX3M
// are read as known at the decision (today's open, else the last close); the
// IV rank is the 52-week percentile (indicators.IVPercentile over
// iv_rank_lookback sessions, 252 by default) of Market.ATMIV up to and
// including today's snapshot. Days to expiration are calendar days.
//
// # Warm-up
//
// No gate is evaluated until there are max(trend_ema_period, bb_period +
// bb_touch_lookback − 1, rsi_period + 2, min_consecutive_up_closes + 1) closes
// (macd_slow + macd_signal more with MACD on) and iv_rank_lookback sessions
// of ATM IV; until then each day logs WARMUP with the bars remaining. The
// IV history starts with the run, so a run's first iv_rank_lookback sessions
// are warm-up.
//
// # Regimes
//
// Classify, in order: Crisis when VIX > vix_crisis_threshold (35) or VIX /
// VIX3M ≥ crisis_term_structure_ratio (1.05, the document's "steep
// backwardation"); Bear Trend when the signal bar closes below its EMA(200);
// High Vol when VIX ≥ 25; Elevated Vol when VIX ≥ 18; else Bullish Calm.
// The document's breadth, put/call and credit-spread filters have no data in
// a backtest and are left out. High Vol multiplies the risk budget by
// high_vol_size_mult (0.5, the low end of the document's 50–75 %).
//
// # Entry gates
//
// Ten gates run in order and the first failure ends the chain (one
// ENTRY_EVAL note per gate evaluated, then a signal note):
//
//  1. regime: not Crisis, Bear Trend or Unknown (no VIX);
//  2. iv_rank: IV percentile > min_iv_rank (50 %);
//  3. term_structure: VIX / VIX3M < vix_term_structure_threshold (1.05); a
//     missing VIX3M fails;
//  4. trend: close > EMA(trend_ema_period). With the default crisis ratio
//     and without breadth data, gates 3 and 4 only fail where gate 1 does
//     not: at a ratio in [threshold, crisis ratio) and at a close equal to
//     its EMA;
//  5. bb_touch: within the last bb_touch_lookback bars (ending at the signal
//     bar) a bar at or below its own lower band (bb_period, bb_std_dev) — its
//     low with bb_touch_on_low (the document's "touched or closed below"),
//     its close otherwise. The note shows the latest touch, or the closest
//     approach when there is none;
//  6. mean_reversion: the signal bar closes above its lower band after at
//     least min_consecutive_up_closes consecutive higher closes;
//  7. rsi: Wilder RSI(rsi_period) > rsi_oversold_threshold and above the
//     prior bar's;
//  8. macd (optional, use_macd_confirmation, off by default): the MACD
//     histogram crosses above zero on the signal bar ("turning positive" and
//     "MACD crossing above its signal line" are the same event); SKIP when off;
//  9. capacity: spreads staying open (after today's exits) < max_concurrent_total;
//  10. spacing: ≥ min_days_between_entries trading days since the last entry
//     fill.
//
// # Risk manager and construction
//
// After the gates pass, in order (a veto logs "risk=VETO reason=…"): the
// circuit breaker; max_concurrent_per_underlying; the strikes; the size; the
// portfolio heat; the aggregate delta. Strikes: the expiration with DTE in
// [min_dte_entry, max_dte_entry] nearest target_dte (the shorter on a tie);
// its unflagged, two-sided put with a delta nearest the target (−0.16, or
// with vix_adjusted_delta −0.14 at VIX ≥ 18 and −0.12 at VIX ≥ 25; the lower
// strike on a tie) is sold and the put spread_width lower bought; each leg's
// (ask − bid)/mid must be below max_leg_spread_pct (20 %) and the mid credit
// in (0, width). Size: Contracts(equity, risk % × conviction × regime
// multiplier, width, credit) = floor(budget / ((width − credit) × 100)), with
// the risk cut by RiskPct in a drawdown from the equity peak and conviction
// from Conviction (0.5–1.5; the document's qualitative columns are given
// numbers as parameters). Heat and delta cut the size to what fits and veto
// when not one contract does. Aggregate delta is delta dollars over equity;
// the document writes short-put exposure as negative, so the limit bounds its
// magnitude by |max_aggregate_delta|. The order is a two-leg Open at the
// market (Phase "put_spread", Tag "optimus").
//
// # Exits
//
// Each decision, every spread with both legs quoted is checked in the
// document's priority: profit target (the mid debit ≤ credit × (1 −
// profit_target_pct); with dynamic_profit_target 40 % at DTE ≤ 35 and 30 % at
// DTE ≤ 28), stop loss (debit ≥ stop_loss_multiplier × credit), time stop (DTE
// ≤ time_stop_dte; 0 turns it off) and regime shift (Crisis or Bear Trend,
// with regime_exit). A spread reaching expiry (time stop off, or unquoted) is
// settled by the engine at intrinsic value (SPX is cash-settled).
//
// The circuit breaker counts consecutive stop-loss exits as they are decided;
// any other exit, or a settlement at expiry, resets the count. At
// circuit_breaker_count stops it halts entries on that day and the next
// circuit_breaker_cooldown_days business days, then resets.
//
// # Logs
//
// Notes are space-separated key=value pairs (Fields parses them); kinds:
// WARMUP, ENTRY_EVAL, EXIT, TRADE_OPENED, TRADE_CLOSED, TRADE_REJECTED,
// CIRCUIT_BREAKER, DAILY_SUMMARY (days without an entry) and DAILY_DASHBOARD
// (every day: regime, VIX, IV rank, open spreads, unrealised P&L, aggregate
// delta and theta, heat, nearest expiry, breaker state). Fills and closes
// happen after a step, so TRADE_OPENED and TRADE_CLOSED are written at the
// next decision (or in Finish) and carry the fill's date in date=.
package putspread

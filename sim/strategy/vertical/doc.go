// Package vertical trades vertical spreads chosen by IV rank: seed 003's
// adaptive IV-rank strategy (registered as "ivrank", section 4 of
// STRATEGIES.md) as a sim.Strategy: volatility regimes from VIX, VIX rank and
// HV/IV, put credit spreads when a symbol's implied volatility is rich, debit
// spreads when it is cheap.
//
// # Regimes
//
// Detect classifies a day from closed sessions only (no look-ahead): VIX is
// the last VIX close, VIX rank its percentile among the last vix_rank_window
// closes (scipy's percentileofscore, kind "rank", as the seed computes it),
// HV the annualized sample standard deviation of the symbol's last hv_window
// daily log returns, and HV/IV = HV / (VIX/100). Classify then applies the
// seed's rules, first match wins: low_vol (VIX < 15 and rank < 30 %),
// high_vol (VIX > 25 or rank > 80 %), iv_expansion (HV/IV > 0.9 and rank >
// 50 %), iv_contraction (HV/IV < 0.6 and rank < 50 %), else neutral. In the
// warm-up a missing feature fails its comparisons, as NaN does in the seed's
// pandas code. A change of a symbol's regime is noted (kind REGIME).
//
// # Entries
//
// A symbol with no open position, outside a neutral regime and with no
// earnings within earnings_blackout_days, is evaluated at each step (kind
// ENTRY_EVAL notes the outcome). Its IV rank is the min-max rank of today's
// at-the-money IV among the last iv_rank_window sessions (Market.ATMIV).
//
//   - IV rank > sell_threshold (0.70): a put credit spread: sell the put with
//     delta nearest −target_delta (0.25) among expirations with DTE in
//     [target_dte_min, target_dte_max] (3–7 calendar days; the first in chain
//     order on ties), buy the put max_spread_width ($5) below it. The natural
//     credit (short bid − long ask) must be positive.
//   - IV rank < buy_threshold (0.30) in a regime of buy_regimes (iv_expansion,
//     low_vol): a debit spread. The seed's _create_buy_signal is not in the
//     document; its action name buy_call_debit_spread suggests a bull call
//     vertical, which is the default (debit_side call): buy the call with
//     delta nearest debit_delta (0.50, at the money), sell the call
//     max_spread_width above. debit_side put buys the put nearest −debit_delta
//     and sells the one max_spread_width below. The natural debit (long ask −
//     short bid) must be below the width.
//
// Sizing is the seed's RiskManager: floor(equity × max_risk_per_trade (2 %) /
// (max risk × 100)), at least 1, where the max risk per share is the width
// less the natural credit, or the natural debit; times the regime multiplier
// (low_vol 1, high_vol 0.5, iv_expansion 0.75, iv_contraction 1); then the
// seed's confidence gate (use_confidence): confidence is min(IV rank, 0.95)
// for a sale, min(1 − IV rank, 0.95) for a purchase, times the regime's fit
// (see Confidence); below min_confidence (0.6) nothing is traded, below
// half_size_confidence (0.75) the size is halved (at least 1). No entry is
// made with max_positions (5) open or while equity is max_drawdown (25 %)
// below its peak, and the quantity is cut so that the summed max loss of the
// open spreads stays within max_portfolio_risk (20 %) of equity. The order
// fills at the fill model's price; the position's Tag is the entry regime.
//
// # Exits
//
// Each step values every open spread at its legs' mids; the first rule that
// fires closes it at the market (kind EXIT notes the rule and its numbers):
//
//  1. profit_target: P&L ≥ profit_target (0.5) × max profit, where the max
//     profit is the credit received, or the width less the debit paid;
//  2. stop_loss: for a credit spread, P&L ≤ −stop_loss_multiple (2) × the
//     credit. The seed's rule cannot fire for a debit spread (it never loses
//     more than its debit), so ours is a loss of debit_stop_loss (0.5) × the
//     debit, the mirror of the 50 % profit target;
//  3. time_stop: calendar days held / DTE at entry ≥ time_exit_pct (0.8) (the
//     seed's 1 − dte/initial_dte > 0.8 with ≥);
//  4. regime_shift: opened in low_vol and the regime is now high_vol.
//
// A spread whose legs are not quoted is held; one still open at expiry is
// settled by the engine, which delivers shares for an equity option expiring
// in the money. Shares are not part of the strategy, so a position holding
// them is closed at the next step, shares sold at the market ("delivered");
// until then the symbol takes no new entry.
package vertical

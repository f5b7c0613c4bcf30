// Package earnings is seed 003's earnings strategy (EarningsStrategy) as a
// sim.Strategy: sell a strangle or a straddle a few days before a company
// reports, to capture the implied volatility crush, and buy it back the
// trading day after the report.
//
// # Entries
//
// For each symbol without an open position, the event schedule
// (Snapshot.EventWithin, kind sim.Earnings) is searched for a report
// min_days_to_earnings to max_days_to_earnings (1–5) calendar days ahead;
// each report is traded at most once. The expiration is the first one after
// the report day and within max_dte (7) calendar days. The legs:
//
//   - structure strangle, strike_mode delta (the default): the call with
//     delta nearest target_delta (0.25) and the put nearest −target_delta;
//   - strike_mode otm_pct: the strikes nearest spot × (1 ± strangle_width),
//     5 % out of the money, as the seed's _create_strangle_signal;
//   - structure straddle: the call and put at the strike nearest spot.
//
// The seed decides with a model's prediction (out of scope); the quality
// check stands in for it: today's at-the-money IV percentile over
// iv_percentile_window sessions at least min_iv_percentile (0.6, the seed's);
// the expected move, the ATM straddle's mid over spot, at most
// max_expected_move (10 %, the seed's); each leg's bid-ask spread at most
// max_leg_spread_pct of its mid; the natural credit (the sum of the bids, as
// the seed prices it) above min_credit. Each failure is noted (kind
// EARNINGS_EVAL), with its numbers; an entry is noted as ENTRY.
//
// # Sizing
//
// A short strangle's risk is undefined; the engine reserves as collateral its
// worst loss at expiry over underlying prices from 0 to three times the
// highest strike (sim.Position.Collateral): for a strangle, the call's loss
// at three times its strike, about twice the call strike × 100 a unit. The
// strategy sizes by that collateral (sim.LegsCollateral): floor(buying power ×
// max_buying_power_pct / collateral per unit), capped at max_contracts, with
// at most max_positions open. The seed's rough max-risk estimates (twice the
// expected move, three times the credit) are not used.
//
// # Exits
//
// First that fires, closed at the market:
//
//  1. post_earnings: the report is past, dated after the opening day and
//     before today, so the position is closed on the first trading day after
//     the report (the seed exits once the report is announced and at the
//     latest two days after; a report before the open or after the close is
//     not told apart in the schedule, so the day after is the safe reading);
//  2. profit_target: P&L at the mids ≥ profit_target (0.5) × the credit;
//  3. stop_loss: P&L ≤ −stop_loss_multiple (1) × the credit (the seed's
//     "position doubled in value").
//
// The seed's third rule (the stock moving beyond the expected move) is not
// implemented.
package earnings

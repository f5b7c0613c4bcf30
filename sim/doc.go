// Package sim is the decision core shared by backtests, sweep cells and live
// mode: the domain model (contracts, multi-leg positions, orders, fills and a
// book per strategy instance), the market snapshot a strategy sees at a
// decision time, and the backtest engine that steps a strategy through a Tape of
// snapshots, fills its orders with a fill model and keeps the accounts.
//
// # The step
//
// A Strategy is a step function: given the Snapshot at a decision time and its
// Book, it returns orders. The backtest engine (Run), a sweep cell and the live
// adapter are three drivers of that one function; they differ only in where
// snapshots come from and who fills the orders.
//
// # Time and look-ahead
//
// The daily decision time is the snapshot time of the market store: 15:45 New
// York, 12:45 on early-close days. A Snapshot holds only what is stamped at or
// before it:
//
//   - option quotes at the snapshot, greeks and implied volatilities computed
//     from them, open interest (published before the open) and the previous
//     session's volume (the day's own volume is only known at the close);
//   - for the underlying, VIX and VIX3M, the closed daily bars of earlier
//     sessions and today's open; the price at the decision time (Spot) is
//     implied from the chain by put-call parity, because today's close is
//     stamped 16:00;
//   - the schedule of events (earnings, ex-dividend dates, FOMC meetings), which
//     is published ahead of the dates it lists.
//
// Values stamped later (the option's daily high, low, close and volume, the
// underlying's close) reach only the engine, which uses them after the step to
// fill resting orders, settle expirations and mark the book. The types enforce
// this: a Snapshot's history slices are capped at the decision time, so even
// re-slicing cannot reach later values.
//
// # Money
//
// Prices are per share in dollars; a contract is Multiplier (100) shares.
// Cash moves at fills (premium and fees), at assignment and exercise (strike ×
// shares) and at cash settlement (intrinsic value). Collateral is the worst
// loss of a position's option legs at expiry, reserved from cash; buying power
// is cash less collateral. Equity is cash plus the positions marked at the
// snapshot's mids (stock at the close), every trading day.
package sim

// Version identifies the engine's behaviour. It goes into every result's cell
// key, so results computed by an engine that fills, settles or accounts
// differently are never mistaken for current ones. Change it with any change
// that can move a number.
const Version = "sim-2026.11.2"

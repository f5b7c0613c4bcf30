// Package fill holds the execution models of a backtest: the price a fill mode gives at a
// quote or from a daily option bar, the liquidity tiers that reject a quote or widen its
// effective spread, seeded probabilistic profit-target fills, stepped limit-order entries
// and per-contract commissions and fees.
//
// The formulas reproduce the wheel backtester (seeds/001: get_entry_price,
// get_exit_price, get_transaction_costs, compute_allowed_spread,
// compute_liquidity_penalty, apply_liquidity_model, compute_p_fill_profit,
// try_probabilistic_fill) and the stepped entry of the cash-secured-put system
// (seeds/000: _execute_stepped_entry), with the same defaults. Each function's doc
// comment states its formula. Where this package adds something the seeds lack (buying
// at a quote, selling from a bar, buy-side ladders) the comment says it is the mirror
// image and not in the seeds.
//
// # Units
//
// Prices are per share, in dollars, as quoted; multiply by the contract multiplier
// (100) for a contract's value. Costs are dollars per contract. Spread percentages and IV
// percentiles are fractions (0.08 is 8 %, an IVP of 0.7 is the 70th percentile).
//
// # Quotes
//
// For a quote with bid b and ask a, mid = (b+a)/2, spread = a−b and
// spread_pct = spread/mid. Price functions do not validate the quote; screen it with
// [Liquidity.Classify] first, which rejects NaN, non-positive and crossed quotes.
//
// # Randomness
//
// Every random draw comes from a generator made by [NewRand] from the grid seed and a
// key naming the position, so a position's draws do not depend on the order in which
// positions, cells or workers run.
//
// The package has no mutable package-level state and allocates nothing on its hot
// paths.
package fill

// Package legs is the generic leg-based strategy ("legs"): a structure of up
// to four legs configured entirely by parameters, so that a grid file can
// vary the structure itself (legs[0].delta, legs[1].width, preset).
//
// Each slot legs[i] has a side, a right, a ratio, a strike rule (Select: a
// delta target within a band, moneyness, a point or percent offset from an
// earlier leg, a width further out of the money, or an earlier leg's strike)
// and an expiry rule (its own DTE range and target, or an earlier leg's
// expiry, or the first expiration DaysLater after it; with AnyExpiry a delta
// leg takes the contract nearest its delta among every expiration in its
// DTE range; with Exact an offset or width leg needs that very strike). A
// Preset fills the
// slots; every field set in a slot overrides the preset's. Legs are chosen in
// order, so a leg's references point to earlier legs.
//
// Entries pass the weekdays, an entry signal (sim/signal), credit, debit and
// credit/width floors (at the mids or, with gate_price natural, bought at
// the ask and sold at the bid), the fill model's liquidity tiers, an
// open-interest floor, a cap on open positions and a cooldown after an exit
// (exit_cooldown_days); one entry per symbol a day. Exits, in order: shares
// an exercise or assignment delivered are sold; a profit target (a fraction
// of the credit or of the max profit at expiry); a stop (a multiple of the
// credit or debit); a DTE exit; a holding-time exit in days (max_hold) or as
// a fraction of the entry's days to expiration (max_hold_frac: time_stop).
//
// The IV-rank seed's put credit spread is a special case: with its regime,
// sizing and portfolio gates out of the way, legs with any_expiry, exact,
// gate_price natural, max_hold_frac, exit_cooldown_days 1 and an iv_rank
// signal over the same window makes the same trades
// (TestLegsReproducesIVRankPutSpread in sweep/scan). P&L for
// the exits counts what the trade realised (a calendar's expired front leg)
// and the open legs at their exit mids.
//
// Scan computes the distribution of a structure's outcomes by DTE × delta
// bucket in one pass over a tape, independent of cash, with the same exit
// rules (exitRule is shared); Replay runs a scan's entries through the engine
// to check it.
package legs

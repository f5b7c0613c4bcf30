// Package legs is the generic leg-based strategy ("legs"): a structure of up
// to four legs configured entirely by parameters, so that a grid file can
// vary the structure itself (legs[0].delta, legs[1].width, preset).
//
// Each slot legs[i] has a side, a right, a ratio, a strike rule (Select: a
// delta target within a band, moneyness, a point or percent offset from an
// earlier leg, a width further out of the money, or an earlier leg's strike)
// and an expiry rule (its own DTE range and target, or an earlier leg's
// expiry, or the first expiration DaysLater after it). A Preset fills the
// slots; every field set in a slot overrides the preset's. Legs are chosen in
// order, so a leg's references point to earlier legs.
//
// Entries pass the weekdays, an entry signal (sim/signal), credit, debit and
// credit/width floors, the fill model's liquidity tiers, an open-interest
// floor and a cap on open positions; one entry per symbol a day. Exits, in
// order: shares an exercise or assignment delivered are sold; a profit target
// (a fraction of the credit or of the max profit at expiry); a stop (a
// multiple of the credit or debit); a DTE exit; a holding-time exit. P&L for
// the exits counts what the trade realised (a calendar's expired front leg)
// and the open legs at their exit mids.
//
// Scan computes the distribution of a structure's outcomes by DTE × delta
// bucket in one pass over a tape, independent of cash, with the same exit
// rules (exitRule is shared); Replay runs a scan's entries through the engine
// to check it.
package legs

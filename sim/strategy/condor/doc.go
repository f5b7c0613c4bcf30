// Package condor implements the SPX iron condors of seed 002 (system 3 of
// STRATEGIES.md) as sim.Strategy values, and the seed's order/fill event log
// and performance summary computed from a run's sim.Result.
//
// Both strategies sell one-unit iron condors (long put, short put, short
// call, long call; ratios +1/−1/−1/+1) of Quantity units on a cash-settled
// index, price every order at the market (sim.PriceMarket: the fill model
// decides the fill) and write their decisions to the book's notes under short
// kinds: ENTRY, EXIT, SKIP, VIX_SPIKE, EXIT_BLOCKED, REJECTED, and ORDER,
// whose text is an OrderRecord as JSON (the order's time, legs and limit).
//
// # Strike selection (both)
//
// Each side is chosen on its own from one expiration and one settlement
// style. A short strike qualifies when it has a usable quote (two-sided, no
// data-quality flag), a delta, is at least the distance floor from spot (the
// floor itself included) and its wing — the strike wing_width further out —
// is listed with a usable quote. Among those, the short strike whose |delta|
// is nearest target_delta wins; ties go to the strike farther from spot.
// With prefer_quarter_strikes (monthly) the multiples of strike_multiple (25)
// are chosen from first, and other strikes only when no multiple qualifies.
// The credit is the package's mid: short mids less long mids; it must be at
// least min_credit.
//
// # Monthly (NewMonthly, "condor-monthly")
//
//   - Trigger: the VIX rises at least vix_spike_pct (20 %) day over day. With
//     vix_change_basis "now" (the default) the level known at the decision
//     time, Snapshot.VIX.Now (today's open in a daily run; the latest level in
//     an intraday one), is compared with the previous session's close in
//     Snapshot.VIX.History; with "close" the last closed session's close is
//     compared with the one before, and the spike is traded the session after
//     it. Neither reads anything stamped after the decision time.
//   - At most one entry per day (a live poll would otherwise fill up on one
//     spike), and at most max_positions (3) condors open.
//   - The nearest expiration at least min_dte (49) calendar days away among
//     the contracts of the configured settlement (pm: SPXW, the default; am:
//     the SPX monthlies). |delta| ≈ 0.10, puts at least 125 points below spot
//     and calls at least 100 above, 25-point wings, credit ≥ 3.00.
//   - Exits, in this order at each step: at DTE ≤ time_exit_dte (30) the whole
//     position closes ("time_stop"); otherwise, once per position, when a
//     short strike's |delta| reaches delta_red_line (0.30) or spot comes
//     within proximity_red_line (50) points of it (or passes it),
//     red_line_close_pct (half) of the condors close with a Reduce
//     ("red_line_half"). Half is rounded down but is at least one condor, so
//     a one-condor position closes entirely ("red_line"); contracts defaults to
//     2 (the seed names no quantity) so that half is whole. The rest of a
//     reduced position waits for the time exit. time_exit_dte −1 holds to
//     expiry, where the engine cash-settles at intrinsic value.
//
// # 0DTE (NewZeroDTE, "condor-0dte")
//
// The strategy reads Snapshot.Time in New York and works when stepped once a
// day or many times a day. At each step, in the seed's poll order:
//
//  1. At or after eod_close (15:45) every position closes ("forced_close").
//     On an early-close day the cut-off is as far before the close as 15:45
//     is before 16:00 (12:45).
//  2. A short strike's |delta| ≥ delta_red_line (0.15), or spot within
//     proximity_red_line (15) points of it or beyond it: close ("red_line").
//  3. At the mids, credit − debit ≥ profit_target_pct (0.50) × credit closes
//     ("profit_target"); debit ≥ stop_loss_mult (2) × credit closes
//     ("stop_loss"). The credit is the entry fill.
//  4. With no position open, fewer than max_entries_per_day (1) entries today
//     and the time inside [entry_window_start, entry_window_end] (09:45–10:00,
//     both included): VIX (Now, else the last close) inside [vix_min,
//     vix_max] (14–30, both included), then a condor of contracts expiring
//     today that are PM-settled (Chain.AM false, SPXW): an AM-settled
//     contract expiring today settled on the morning's open. |delta| ≈ 0.06,
//     both shorts at least 30 points from spot, 10-point wings, credit ≥ 0.50.
//
// An entry the engine rejects (seen as a rejection event at the next step)
// does not count. A due exit whose legs are not all quoted is not sent
// (EXIT_BLOCKED) and is tried again at the next step. The seed's delta red
// lines "30" and "15" are deltas in points: 0.30 and 0.15 here.
//
// # Event log and summary
//
// WriteEvents renders a run as JSON lines: ORDER lines from the ORDER notes
// (with status filled or rejected, matched against the rejection events) and
// FILL lines from the trade records, with limit, fill and slippage = fill −
// limit, prices per share per unit signed as the engine signs them (positive
// paid, negative received). sim.Result records one averaged exit price per
// trade, so a trade closed by several orders has one closing FILL standing
// for them (see Events). Summarize computes the seed's summary: trades,
// wins, losses, win rate, gross and net P&L, commissions, average, best,
// worst and the maximum drawdown of the cumulative closed-trade P&L.
package condor

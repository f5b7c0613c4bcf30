// Package synth generates a synthetic US options market and writes it as real DBN
// files, so that demos, tests and benchmarks run the same ingest path as purchased
// OPRA data.
//
// # Model
//
// SPX follows a stochastic-variance (Heston-like) process with leverage and jumps,
// on NYSE trading days (sim/calendar). VIX and VIX3M are the expected volatility over
// 30 and 93 days times an implied-over-realized premium with its own noise. ETFs and
// stocks load on the index's returns with a beta and add their own diffusion, jumps
// and earnings-day moves; SPY is the SPX level over ten, stepping down on each
// ex-dividend date. Implied volatility is the premium-scaled expected variance to
// expiry (a term structure that inverts after a crash) plus each earnings move
// before the expiry (run-up, then crush), shaped by a smile in standard deviations
// of moneyness that is steep on the put side. Options are priced with
// Black-Scholes-Merton on the underlying's close (American ones never below
// intrinsic); bid/ask spreads widen for cheap, far out-of-the-money and short-dated
// contracts. Volume falls off away from the money and with time to expiry; open
// interest accumulates from volume.
//
// # Real history
//
// Config.History drives underlyings by real daily bars (a CSV of date, open, high,
// low, close and volume; ShippedSeries gives SPY, QQQ, IWM and AAPL 1998-2021 from
// QuantConnect LEAN's sample data, Apache-2.0, in ingest/synth/history) instead of a
// random path. A symbol's bars are then the real ones to the cent, and its variance
// is a GJR-GARCH forecast of its daily returns known at each close (no look-ahead),
// which sets the level of its implied-volatility surface; the smile, term structure,
// spreads, volume and open interest follow the same model as above. SPY's history
// drives the market too: SPX is SPY × 10 (dividend drops included) and VIX and VIX3M
// are derived from SPY's variance with the same premium and noise, synthetic but close
// to the real indices' levels (about 80 in late 2008, 11 in 2017, 32 on 2018-02-05).
// Other symbols are simulated on SPY's real overnight and intraday returns. Earnings
// and ex-dividend dates stay synthetic (earnings moved to Tuesday-Thursday). A window
// that crosses a split visible in a series (Series.Splits) is refused. The manifest records each
// series' source and SHA-256 and what was derived from it; the output is
// byte-identical for a seed and the same input files.
//
// Chains follow real listing rules: Friday weeklies (Thursday when Friday is a
// holiday), dailies for SPX, SPY, QQQ and IWM (Mondays and Wednesdays from 2016 for
// SPX and 2018 for the ETFs, Tuesdays and Thursdays from 2022), third-Friday
// monthlies and quarterlies; expirations more than 70 days out list coarse strikes
// only.
// SPX monthlies are AM-settled under root SPX; its weeklies, dailies and third
// Fridays also list PM-settled under SPXW. Strikes: SPX 5 points near the money and
// 25 beyond; ETFs $1 and $5; stocks $1 under $25, $2.50 under $200, else $5, twice
// that far out. Strike ladders widen as the spot moves and never shrink.
//
// # Files
//
// Generate writes into one directory:
//
//	manifest.json                              files in ingest order, config and seed
//	events.csv                                 symbol,event_date,kind,amount
//	INDEX/ohlcv-1d.dbn.zst                     SPX, VIX, VIX3M daily bars (dataset SYNTH.INDEX)
//	EQUS/ohlcv-1d.dbn.zst                      stock and ETF daily bars (dataset EQUS.SUMMARY)
//	OPRA.PILLAR/YYYY-MM.definition.dbn.zst     each contract once per month
//	OPRA.PILLAR/YYYY-MM.statistics.dbn.zst     open interest, repeated by two venues
//	OPRA.PILLAR/YYYY-MM.cbbo-1m.dbn.zst        2-3 consolidated quotes per contract per day
//	OPRA.PILLAR/YYYY-MM.ohlcv-1d.dbn.zst       daily bars, once per venue that traded (up to 3)
//	OPRA.PILLAR/YYYY-MM-DD.0dte.cbbo-1m.dbn.zst  with Intraday: minute quotes of 0DTE chains
//
// The files mimic OPRA.PILLAR as Databento delivers it (DBN version 3, zstd):
//
//   - Instrument IDs are renumbered every week, so an ID means different contracts in
//     different weeks: only the metadata's symbol mappings (raw OSI symbol → ID per
//     date range) resolve a record. The stock and index files renumber every year.
//   - Definitions carry the expiration as midnight UTC of the expiry date and leave the
//     contract multiplier undefined (OPRA does not send it; options carry 100 shares).
//   - Open interest (statistics, stat_type 9) is published before the open and is the
//     open interest after the previous session; two venues repeat each value.
//   - cbbo-1m records sit on minute boundaries (ts_recv); ts_event is the last update
//     within the minute; price and size are the day's last trade (UndefPrice if it
//     has not traded). Each contract has a quote between 15:31 and 15:43 ET, one at
//     15:45 ET (the snapshot, priced on the close) and often one at 15:46-15:47 that a
//     15:45 snapshot must ignore. About 3% of quotes show an empty side (UndefPrice);
//     a contract worth less than a tick is bid at zero. Early closes move the
//     snapshot to 12:45 ET and drop the later quote.
//   - Daily bars (ohlcv-1d, ts_event midnight UTC) come once per venue that traded.
//
// # Splits
//
// Config.Splits (sweep gen --split SYM=YYYY-MM-DD:RATIO) splits a simulated stock
// or ETF RATIO-for-one, for a whole-number ratio: from the ex-date the bars as
// traded are divided by the ratio (volume and later dividends adjusted too), each
// listed contract becomes RATIO contracts of 100 shares at the strike over the
// ratio under its new OSI symbol (open interest times the ratio; a new definition
// and mapping from the ex-date, the instrument ID kept), as OCC adjusts a
// whole-number split, and events.csv has a split row (amount: the ratio).
//
// events.csv lists earnings (announced after the close of event_date), ex-dividend
// dates with the amount per share, and FOMC decision days (symbol empty), from the
// first day through three months after the last.
package synth

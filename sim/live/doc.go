// Package live runs a strategy live on the same decision core as the
// backtest: one tick per decision time, with no I/O of its own.
//
// A tick (Driver.Tick) resolves every unfinished order intent by its client
// order id, reconciles the broker's positions with the book, builds the
// snapshot (MarketData), steps the strategy (sim.Strategy, unchanged), checks
// each order against the safety limits (Limits), journals the intent
// (Journal) before anything is sent, works the order at the broker (Broker: a
// limit at the fill model's price, or a stepped ladder from the mid toward
// the natural side, each rung a replacement with its own client id), records
// the fills, and changes the book through the same Book operations the
// backtest engine uses (sim.Book.Apply, sim.Book.EndSession).
//
// Client order ids are deterministic (ClientID): the strategy instance, the
// session, the decision step, the order's index and the rung. A restart
// replays the run's past decision times from the journal: the strategy sees
// the same snapshots and makes the same orders under the same ids, whose
// answers come from the journal (or, for an intent the journal has no answer
// to, from the broker by client id), so nothing is sent twice and the book
// and the strategy's own state come back exactly.
//
// Loop is the resident loop: it sleeps on a Clock until each decision time
// of the NYSE schedule (Schedule, Next) and runs a tick there; it stops
// between ticks when its context is cancelled or the kill switch is set.
//
// Paper is the default broker: it fills with the backtest's own fill model
// (sim.Config.FillModel's prices) against the live snapshot, so a replay of
// the market store through Driver equals the backtest order for order and
// fill for fill. The network adapters (Alpaca, Interactive Brokers) and the
// DuckDB journal are in sweep/live.
package live

// Package live is the I/O side of live mode (the driver is sim/live): the
// DuckDB journal, market data from the market store, the broker adapters
// that talk to the network (Alpaca through its official SDK, Interactive
// Brokers' Client Portal gateway over net/http), the mode and account
// safety checks, and the runs `sweep live` makes: one decision time (Once,
// OnceAt), the resident loop running OnceAt at every decision time
// (Resident, on sim/live.Loop and the SystemClock) or a replay of the
// store's sessions (Replay).
package live

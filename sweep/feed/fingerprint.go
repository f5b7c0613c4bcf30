package feed

import (
	"context"
	"time"

	"github.com/optsweep/sweep/ingest/market"
)

// Fingerprint identifies the data Load reads for symbols over [from, to]
// with opt: their chains, their bars and VIX's with opt.HistoryDays of
// history, and the event schedule around the dates. A cell keyed by it is
// recomputed when that data changes and reused when anything else in the
// store does.
func Fingerprint(ctx context.Context, st *market.Store, symbols []string, from, to time.Time, opt Options) (string, error) {
	return st.ScopeFingerprint(ctx, market.Scope{Symbols: symbols, From: from, To: to,
		BarsFrom: from.AddDate(0, 0, -opt.HistoryDays), EventsFrom: from.AddDate(0, 0, -7), EventsTo: to.AddDate(0, 0, opt.EventDays)})
}

package market

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Scope is the data a backtest reads: the option quotes (daily and intraday)
// of its symbols over [From, To], the daily bars of its symbols and of VIX
// and VIX3M over [BarsFrom, To], and the events of its symbols and the
// market-wide ones over [EventsFrom, EventsTo].
type Scope struct {
	Symbols              []string
	From, To             time.Time
	BarsFrom             time.Time
	EventsFrom, EventsTo time.Time
}

// ScopeFingerprint identifies the rows s reads: a SHA-256 over the count and
// an order-independent hash of every row of each part. It changes when any of
// those rows does, and only then: ingesting another symbol, or dates outside
// the scope, leaves it as it was. (The row hash is DuckDB's hash(), so a
// DuckDB upgrade may change every fingerprint once.)
func (st *Store) ScopeFingerprint(ctx context.Context, s Scope) (string, error) {
	syms := append([]string(nil), s.Symbols...)
	sort.Strings(syms)
	bars := append(append([]string(nil), syms...), "VIX", "VIX3M")
	parts := []struct {
		name, q string
		args    []any
	}{
		{"option_quotes", `FROM option_quotes x WHERE list_contains(?, underlying) AND trade_date BETWEEN ? AND ?`,
			[]any{syms, s.From, s.To}},
		{"option_intraday", `FROM option_intraday x WHERE list_contains(?, underlying)
			AND ts >= ?::DATE AND ts < ?::DATE + 1`, []any{syms, s.From, s.To.AddDate(0, 0, 1)}},
		{"underlying_bars", `FROM underlying_bars x WHERE list_contains(?, symbol) AND trade_date BETWEEN ? AND ?`,
			[]any{bars, s.BarsFrom, s.To}},
		{"events", `FROM events x WHERE (symbol = '*' OR list_contains(?, symbol)) AND event_date BETWEEN ? AND ?`,
			[]any{syms, s.EventsFrom, s.EventsTo}},
	}
	h := sha256.New()
	fmt.Fprintf(h, "scope v1 %s\n", strings.Join(syms, ","))
	for _, p := range parts {
		var n int64
		var sum string
		err := st.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(hash(x))::VARCHAR, '') `+p.q, p.args...).Scan(&n, &sum)
		if err != nil {
			return "", fmt.Errorf("market: fingerprint %s: %w", p.name, err)
		}
		fmt.Fprintf(h, "%s %d %s\n", p.name, n, sum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

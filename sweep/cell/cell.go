// Package cell runs one configuration (a cell of a sweep, or a single
// backtest) on a tape and names it: its key hashes its canonical contents, the
// market data's fingerprint and the engine version.
package cell

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/metrics"
)

// Spec is what makes a cell: the strategy, its data and every parameter value.
type Spec struct {
	Strategy    string
	Symbols     []string // sorted
	From, To    time.Time
	Params      map[string]string // strategy and execution parameters, formatted
	Model       string            // data-model settings the greeks depend on (rate, dividend, exercise)
	Fingerprint string            // the market data's fingerprint
}

// Key returns the cell's key: a SHA-256 over its canonical text (see
// Canonical) and the engine version, in hex.
func (s Spec) Key() string {
	h := sha256.Sum256([]byte(s.Canonical() + "engine=" + sim.Version + "\n"))
	return hex.EncodeToString(h[:])
}

// Canonical returns the spec as text in a fixed order: one "name=value" line
// each for the strategy, symbols, dates, model, fingerprint and every
// parameter (sorted by name).
func (s Spec) Canonical() string {
	var b strings.Builder
	syms := append([]string(nil), s.Symbols...)
	sort.Strings(syms)
	fmt.Fprintf(&b, "strategy=%s\nsymbols=%s\nfrom=%s\nto=%s\nmodel=%s\ndata=%s\n", s.Strategy, strings.Join(syms, ","),
		s.From.Format(time.DateOnly), s.To.Format(time.DateOnly), s.Model, s.Fingerprint)
	keys := make([]string, 0, len(s.Params))
	for k := range s.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(s.Params[k])
		b.WriteByte('\n')
	}
	return b.String()
}

// Metrics computes a run's performance metrics over its closed trades.
func Metrics(res *sim.Result) (metrics.Summary, error) {
	trades := make([]metrics.Trade, 0, len(res.Trades))
	for i := range res.Trades {
		t := &res.Trades[i]
		if t.Closed == 0 {
			continue
		}
		coll := t.Collateral
		if coll <= 0 {
			coll = 1 // a trade that reserved nothing: ROC per dollar
		}
		trades = append(trades, metrics.Trade{Gross: t.Gross, Fees: t.Fees, Collateral: coll,
			DaysHeld: float64(t.Closed - t.Opened), ExitReason: t.Reason})
	}
	return metrics.Compute(res.Days, res.Equity, trades, 0)
}

package signal_test

import (
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/signal"
)

// Parse never panics, and a signal it accepts evaluates without panicking on
// a market with little history.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"all": [{"sma": {"period": 50}}, {"not": {"rsi": {"period": 14, "below": 70}}}]}`,
		`{"any": [{"vix": {"above": 20}}, {"weekday": ["mon"]}]}`,
		`{"sma_cross": {"fast": 5, "slow": 20, "within": 3}}`,
		`{"event": {"kind": "fomc", "max_days": 2}}`,
		`{"bollinger": {"period": 20, "k": 2.5, "touch": "upper"}}`,
		`[`, `{}`, `{"not": 1}`,
	} {
		f.Add(s)
	}
	snap := &sim.Snapshot{Day: 19800}
	m := market(100, 101, 99, 102)
	f.Fuzz(func(t *testing.T, text string) {
		s, err := signal.Parse(text)
		if err != nil || s == nil {
			return
		}
		s.Eval(snap, m)
	})
}

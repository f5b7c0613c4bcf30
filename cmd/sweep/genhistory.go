package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/optsweep/sweep/ingest/synth"
)

// historyFlags collects repeated --history values: FILE, SYM=FILE or
// shipped:SYM (comma-separated lists allowed).
type historyFlags []string

func (h *historyFlags) String() string { return strings.Join(*h, ",") }

func (h *historyFlags) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*h = append(*h, s)
		}
	}
	return nil
}

// loadHistories reads the series the --history values name and puts them in
// cfg, replacing a preset's series for the same symbol.
func loadHistories(cfg *synth.Config, values []string) error {
	for _, v := range values {
		var s *synth.Series
		var err error
		switch sym, path, ok := strings.Cut(v, "="); {
		case strings.HasPrefix(v, "shipped:"):
			s, err = synth.ShippedSeries(strings.TrimPrefix(v, "shipped:"))
		case ok:
			s, err = synth.LoadSeries(path, sym)
		default:
			s, err = synth.LoadSeries(v, "")
		}
		if err != nil {
			return fmt.Errorf("--history %s: %w", v, err)
		}
		kept := cfg.History[:0:0]
		for _, old := range cfg.History {
			if old.Symbol != s.Symbol {
				kept = append(kept, old)
			}
		}
		cfg.History = append(kept, s)
	}
	return nil
}

// spxNote says what SPY's history implies for SPX, VIX and VIX3M.
func spxNote(sym string) string {
	if sym != "SPY" {
		return ""
	}
	return " (SPX = SPY x 10; VIX and VIX3M synthetic, from SPY's realized volatility)"
}

// sameSymbols reports whether a manifest's symbols are cfg's once
// normalized (upper case, sorted, with the history symbols added).
func sameSymbols(got []string, cfg synth.Config) bool {
	want := slices.Clone(cfg.Symbols)
	for _, h := range cfg.History {
		want = append(want, h.Symbol)
	}
	for i := range want {
		want[i] = strings.ToUpper(strings.TrimSpace(want[i]))
	}
	slices.Sort(want)
	return slices.Equal(got, slices.Compact(want))
}

// Package synthtest builds small synthetic markets for other packages' tests.
package synthtest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/ingest/synth"
)

// Store generates the named preset's market as DBN files under dir (which the
// caller removes) and ingests them into a new in-memory store.
func Store(ctx context.Context, preset, dir string) (*market.Store, error) {
	cfg, err := synth.Preset(preset)
	if err != nil {
		return nil, err
	}
	cfg.OutDir = dir
	m, err := synth.Generate(ctx, cfg, nil)
	if err != nil {
		return nil, err
	}
	st, err := market.Open("")
	if err != nil {
		return nil, err
	}
	for _, p := range m.Paths(dir, "") {
		if _, err := st.Ingest(ctx, p, market.Options{}); err != nil {
			st.Close()
			return nil, fmt.Errorf("ingest %s: %w", p, err)
		}
	}
	return st, nil
}

// Shared is one preset's market for a whole test binary: generated and ingested
// on first use, closed and removed by Close (call it from TestMain).
type Shared struct {
	Preset string // the synth preset, "small" for most tests

	once  sync.Once
	dir   string
	store *market.Store
	err   error
}

// Store returns the shared store, generating it on the first call; it fails tb
// when the market cannot be built.
func (s *Shared) Store(tb testing.TB) *market.Store {
	tb.Helper()
	s.once.Do(func() {
		if s.dir, s.err = os.MkdirTemp("", "synthtest-"+s.Preset+"-"); s.err != nil {
			return
		}
		s.store, s.err = Store(context.Background(), s.Preset, s.dir)
	})
	if s.err != nil {
		tb.Fatal(s.err)
	}
	return s.store
}

// Dir is the folder that holds the generated files ("" before the first Store);
// tests may put scratch files (a tape cache) under it, and Close removes it.
func (s *Shared) Dir() string { return s.dir }

// Close closes the store and removes its folder.
func (s *Shared) Close() {
	if s.store != nil {
		s.store.Close()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// Package synthtest builds small synthetic markets for other packages' tests.
package synthtest

import (
	"context"
	"fmt"

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

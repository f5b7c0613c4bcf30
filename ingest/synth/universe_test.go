package synth

import (
	"slices"
	"testing"
)

// TestUniversePreset: 100 distinct tickers the generator accepts, over two
// years, with chains that list no dailies.
func TestUniversePreset(t *testing.T) {
	c, err := Preset("universe")
	if err != nil {
		t.Fatal(err)
	}
	syms := slices.Clone(c.Symbols)
	slices.Sort(syms)
	if len(slices.Compact(syms)) != 100 {
		t.Errorf("%d distinct symbols, want 100", len(slices.Compact(syms)))
	}
	for _, s := range c.Symbols {
		if _, err := profileFor(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	if c.From.Year() != 2023 || c.To.Year() != 2024 || c.Chain.DailyDays != 0 {
		t.Errorf("preset %+v", c)
	}
	c.OutDir = t.TempDir()
	if _, err := c.normalize(); err != nil {
		t.Error(err)
	}
}

package strategy_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sim/strategy/condor"
)

func TestPhaseName(t *testing.T) {
	for _, tc := range []struct{ strategy, phase, want string }{
		{"wheel", "cc", "covered call"},
		{"wheel", "csp", "cash-secured put"},
		{"csp", "csp", "cash-secured put"},
		{"wheel", "stock", "stock"},          // no label: the phase itself
		{"earnings", "strangle", "strangle"}, // a strategy without labels
		{"nosuch", "cc", "cc"},
	} {
		if got := strategy.PhaseName(tc.strategy, tc.phase); got != tc.want {
			t.Errorf("PhaseName(%q, %q) = %q, want %q", tc.strategy, tc.phase, got, tc.want)
		}
	}
}

func TestRunSummary(t *testing.T) {
	res := &sim.Result{}
	w, err := strategy.Build("wheel", map[string]string{"seed_compat": "true"})
	if err != nil {
		t.Fatal(err)
	}
	lines := w.RunSummary(res)
	if len(lines) != 1 || lines[0].Label != "wheels" || !strings.HasPrefix(lines[0].Text, "0 complete (0 open)") {
		t.Errorf("wheel summary %+v", lines)
	}
	if w.Config == nil || w.Name != "wheel" {
		t.Errorf("built %q with config %v", w.Name, w.Config)
	}
	c, err := strategy.Build("csp", nil)
	if err != nil {
		t.Fatal(err)
	}
	if lines := c.RunSummary(res); lines != nil {
		t.Errorf("csp has no summary of its own, got %+v", lines)
	}
}

// Every strategy writes seed 002's event log unless it has its own: for an
// empty run, the same bytes as condor.WriteEvents.
func TestWriteEvents(t *testing.T) {
	res := &sim.Result{}
	var want bytes.Buffer
	if err := condor.WriteEvents(&want, res); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"condor-monthly", "wheel", "legs"} {
		var got bytes.Buffer
		if err := strategy.WriteEvents(name, &got, res); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: %q, want %q", name, got.String(), want.String())
		}
	}
}

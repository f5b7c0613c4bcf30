package strategy_test

import (
	"testing"

	"github.com/optsweep/sweep/sim/strategy"
)

// BenchmarkBuild is the cost of building one grid cell's strategy from its
// parameters, which a sweep pays for every cell it plans and runs.
func BenchmarkBuild(b *testing.B) {
	set := map[string]string{"delta_min": "0.2", "dte_min": "21", "exit_pct": "0.5", "stop_loss_multiplier": "2.5", "fill_mode": "realistic"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := strategy.Build("wheel", set); err != nil {
			b.Fatal(err)
		}
	}
}

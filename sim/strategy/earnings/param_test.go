package earnings_test

import (
	"testing"

	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/strategy/earnings"
)

func TestParams(t *testing.T) {
	c := earnings.Default()
	want := map[string]string{
		"min_days_to_earnings": "1", "max_days_to_earnings": "5", "structure": "strangle", "strike_mode": "delta",
		"strangle_width": "0.05", "max_dte": "7", "min_iv_percentile": "0.6", "max_expected_move": "0.1",
		"profit_target": "0.5", "stop_loss_multiple": "1",
	}
	seen := 0
	for _, f := range param.List(&c) {
		if f.Help == "" {
			t.Errorf("%s has no help", f.Name)
		}
		if w, ok := want[f.Name]; ok {
			seen++
			if f.Default != w {
				t.Errorf("%s default %q, want %q", f.Name, f.Default, w)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of %d parameters", seen, len(want))
	}
}

package earnings_test

import (
	"testing"

	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/earnings"
)

func TestParams(t *testing.T) {
	c := earnings.Default()
	want := map[string]string{
		"min_days_to_earnings": "1", "max_days_to_earnings": "5", "structure": "strangle", "strike_mode": "delta",
		"strangle_width": "0.05", "max_dte": "7", "min_iv_percentile": "0.6", "max_expected_move": "0.1",
		"profit_target": "0.5", "stop_loss_multiple": "1",
	}
	simtest.WantDefaults(t, &c, want)
}

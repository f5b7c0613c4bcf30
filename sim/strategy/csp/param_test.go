package csp_test

import (
	"testing"

	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/csp"
)

func TestParams(t *testing.T) {
	cfg := csp.Default()
	want := map[string]string{
		"num_tickers":           "0",
		"vix_deployment_rules":  "0-12:0,12-15:0.2,15-18:0.8,18-21:0.9,21-inf:1",
		"min_daily_return":      "0.0015",
		"contract_rank_mode":    "lowest_strike_price",
		"enable_bb_upper_check": "false",
		"max_dte":               "10",
	}
	simtest.WantDefaults(t, &cfg, want)
	if err := param.Set(&cfg, "vix_deployment_rules", "0-20:0.5,20-inf:1"); err != nil {
		t.Fatal(err)
	}
	if got := cfg.VIXRules.Multiplier(19.9); got != 0.5 {
		t.Errorf("after Set: multiplier %g", got)
	}
}

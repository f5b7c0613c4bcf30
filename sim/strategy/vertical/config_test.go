package vertical_test

import (
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/vertical"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		set  func(*vertical.Config)
		want string
	}{
		{func(c *vertical.Config) { c.BuyThreshold = 0.8 }, "buy_threshold 0.8 / sell_threshold 0.7"},
		{func(c *vertical.Config) { c.TargetDTEMax = 2 }, "target_dte_min 3 / target_dte_max 2"},
		{func(c *vertical.Config) { c.TargetDelta = 0 }, "target_delta 0 outside (0, 1)"},
		{func(c *vertical.Config) { c.MaxSpreadWidth = -5 }, "max_spread_width -5"},
		{func(c *vertical.Config) { c.DebitSide = "both" }, `debit_side "both"`},
		{func(c *vertical.Config) { c.BuyRegimes = []string{"calm"} }, `buy_regimes: "calm" is not a regime`},
		{func(c *vertical.Config) { c.TimeExitPct = 1.5 }, "time_exit_pct 1.5"},
		{func(c *vertical.Config) { c.MaxPositions = 0 }, "max_positions 0 < 1"},
		{func(c *vertical.Config) { c.HalfConfidence = 0.5 }, "min_confidence 0.6 / half_size_confidence 0.5"},
		{func(c *vertical.Config) { c.Regime.VIXRankWindow = 1 }, "vix_rank_window 1 < 2"},
		{func(c *vertical.Config) { c.Regime.HighVolVIXRank = 80 }, "high_vol_vix_rank 80: want a fraction"},
	} {
		c := vertical.Default()
		tc.set(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
		if _, err := vertical.New(c); err == nil {
			t.Errorf("New accepted %q", tc.want)
		}
	}
	c := vertical.Default()
	if err := c.Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestParams(t *testing.T) {
	c := vertical.Default()
	want := map[string]string{
		"sell_threshold": "0.7", "buy_threshold": "0.3", "target_dte_min": "3", "target_dte_max": "7",
		"target_delta": "0.25", "max_spread_width": "5", "buy_regimes": "iv_expansion,low_vol",
		"profit_target": "0.5", "stop_loss_multiple": "2", "time_exit_pct": "0.8", "max_risk_per_trade": "0.02",
		"vix_rank_window": "252", "hv_window": "20", "low_vol_vix": "15", "high_vol_vix_rank": "0.8",
	}
	simtest.WantDefaults(t, &c, want)
	if err := param.Set(&c, "buy_regimes", "iv_expansion"); err != nil || len(c.BuyRegimes) != 1 {
		t.Errorf("set buy_regimes: %v %v", err, c.BuyRegimes)
	}
}

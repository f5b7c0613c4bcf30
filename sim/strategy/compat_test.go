package strategy_test

import (
	"math"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/strategy"
)

// TestMidFillMode: fill_mode=mid is optimistic here and the seed's realistic
// fall-through with mid_fill_mode=realistic (or seed_compat). Selling a put
// quoted 1.00 × 1.20 (penalty 1): optimistic fills at the mid 1.10, the
// seed's realistic formula at 1.10 − 0.30 × 0.20 = 1.04.
func TestMidFillMode(t *testing.T) {
	for _, c := range []struct {
		name  string
		set   map[string]string
		mode  fill.Mode
		price float64
	}{
		{"ours: mid is optimistic", map[string]string{"fill_mode": "mid"}, fill.Optimistic, 1.10},
		{"seed: mid falls through", map[string]string{"fill_mode": "mid", "mid_fill_mode": "realistic"}, fill.Realistic, 1.04},
		{"seed_compat", map[string]string{"fill_mode": "mid", "seed_compat": "true"}, fill.Realistic, 1.04},
		{"seed_compat keeps an explicit optimistic", map[string]string{"fill_mode": "optimistic", "seed_compat": "true"}, fill.Optimistic, 1.10},
		{"seed_compat=false", map[string]string{"fill_mode": "mid", "seed_compat": "false"}, fill.Optimistic, 1.10},
	} {
		b, err := strategy.Build("wheel", c.set)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if b.Exec.Mode != c.mode {
			t.Errorf("%s: mode %v, want %v", c.name, b.Exec.Mode, c.mode)
		}
		if p := fill.Sell(b.Exec.Mode, 1.00, 1.20, 1); math.Abs(p-c.price) > 1e-12 {
			t.Errorf("%s: sells at %.4f, want %.2f", c.name, p, c.price)
		}
		if _, ok := b.Params["seed_compat"]; ok {
			t.Errorf("%s: seed_compat recorded as a parameter; the parameters it sets should be", c.name)
		}
	}
	if _, err := strategy.Build("wheel", map[string]string{"mid_fill_mode": "bid"}); err == nil {
		t.Error("mid_fill_mode bid accepted")
	}
	if _, err := strategy.Build("wheel", map[string]string{"seed_compat": "yes please"}); err == nil {
		t.Error("seed_compat 'yes please' accepted")
	}
}

// TestSeedCompat: the preset sets every compat parameter of the strategy to
// the seed's value, and an explicit setting wins.
func TestSeedCompat(t *testing.T) {
	b, err := strategy.Build("csp", map[string]string{"seed_compat": "true"})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range strategy.SeedCompat("csp") {
		if got := b.Params[k]; got != want {
			t.Errorf("seed_compat: %s = %q, want %q", k, got, want)
		}
	}
	b, err = strategy.Build("csp", map[string]string{"seed_compat": "true", "rsi_flat_window": "neutral"})
	if err != nil || b.Params["rsi_flat_window"] != "neutral" {
		t.Errorf("explicit setting under seed_compat: %v %v", b.Params, err)
	}
	d, _ := strategy.Build("csp", nil)
	if d.Params["rsi_flat_window"] != "neutral" || d.Params["mid_fill_mode"] != "optimistic" {
		t.Errorf("defaults %q %q", d.Params["rsi_flat_window"], d.Params["mid_fill_mode"])
	}
	for _, info := range strategy.Registry() {
		if _, err := strategy.Build(info.Name, map[string]string{"seed_compat": "true"}); err != nil {
			t.Errorf("%s: seed_compat: %v", info.Name, err)
		}
	}
}

// TestWheelTargetFill: profit_target_fill defaults to the limit, seed_compat
// sets the seed's bar price, and anything else is refused by name.
func TestWheelTargetFill(t *testing.T) {
	for _, c := range []struct {
		set  map[string]string
		want string
	}{
		{nil, "limit"},
		{map[string]string{"seed_compat": "true"}, "bar"},
		{map[string]string{"seed_compat": "true", "profit_target_fill": "limit"}, "limit"},
	} {
		b, err := strategy.Build("wheel", c.set)
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Params["profit_target_fill"]; got != c.want {
			t.Errorf("%v: profit_target_fill %q, want %q", c.set, got, c.want)
		}
	}
	if _, err := strategy.Build("wheel", map[string]string{"profit_target_fill": "mid"}); err == nil || !strings.Contains(err.Error(), "profit_target_fill") {
		t.Errorf("profit_target_fill=mid: error %v, want one naming it", err)
	}
}

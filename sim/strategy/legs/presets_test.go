package legs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/strategy/legs"
)

// shape writes a resolved leg as "short call ×2 moneyness 0 exp own 25-50".
func shape(l legs.Leg) string {
	s := fmt.Sprintf("%s %s ×%d", l.Side, l.Right, l.Ratio)
	if l.Right == legs.Stock {
		return s
	}
	switch l.Select {
	case legs.SelectDelta:
		s += fmt.Sprintf(" delta %g", l.Delta)
	case legs.SelectMoneyness:
		s += fmt.Sprintf(" moneyness %g", l.Moneyness)
	case legs.SelectWidth:
		s += fmt.Sprintf(" width %g of %d", l.Width, l.Of)
	case legs.SelectOffset:
		s += fmt.Sprintf(" offset %+g of %d", l.Offset, l.Of)
	case legs.SelectStrike:
		s += fmt.Sprintf(" strike of %d", l.Of)
	}
	switch {
	case l.ExpiryOf < 0:
		s += fmt.Sprintf(" exp own %d-%d", l.DTEMin, l.DTEMax)
	case l.DaysLater > 0:
		s += fmt.Sprintf(" exp %d+%dd", l.ExpiryOf, l.DaysLater)
	default:
		s += fmt.Sprintf(" exp %d", l.ExpiryOf)
	}
	return s
}

// Each preset expands to the legs its name says.
func TestPresets(t *testing.T) {
	want := map[string][]string{
		"short_put":     {"short put ×1 delta 0.3 exp own 25-50"},
		"vertical":      {"short put ×1 delta 0.3 exp own 25-50", "long put ×1 width 5 of 0 exp 0"},
		"call_vertical": {"short call ×1 delta 0.3 exp own 25-50", "long call ×1 width 5 of 0 exp 0"},
		"strangle":      {"short call ×1 delta 0.16 exp own 25-50", "short put ×1 delta 0.16 exp 0"},
		"straddle":      {"short call ×1 moneyness 0 exp own 25-50", "short put ×1 strike of 0 exp 0"},
		"iron_condor": {"short put ×1 delta 0.16 exp own 25-50", "long put ×1 width 5 of 0 exp 0",
			"short call ×1 delta 0.16 exp 0", "long call ×1 width 5 of 2 exp 0"},
		"iron_fly": {"short call ×1 moneyness 0 exp own 25-50", "short put ×1 strike of 0 exp 0",
			"long put ×1 width 10 of 1 exp 0", "long call ×1 width 10 of 0 exp 0"},
		"butterfly":      {"short call ×2 moneyness 0 exp own 25-50", "long call ×1 offset -5 of 0 exp 0", "long call ×1 offset +5 of 0 exp 0"},
		"put_butterfly":  {"short put ×2 moneyness 0 exp own 25-50", "long put ×1 offset +5 of 0 exp 0", "long put ×1 offset -5 of 0 exp 0"},
		"calendar":       {"short call ×1 moneyness 0 exp own 20-35", "long call ×1 strike of 0 exp 0+28d"},
		"put_calendar":   {"short put ×1 moneyness 0 exp own 20-35", "long put ×1 strike of 0 exp 0+28d"},
		"diagonal":       {"short call ×1 delta 0.3 exp own 20-35", "long call ×1 offset -5 of 0 exp 0+28d"},
		"put_ratio":      {"long put ×1 delta 0.4 exp own 25-50", "short put ×2 width 10 of 0 exp 0"},
		"call_ratio":     {"long call ×1 delta 0.4 exp own 25-50", "short call ×2 width 10 of 0 exp 0"},
		"put_backspread": {"short put ×1 delta 0.4 exp own 25-50", "long put ×2 width 10 of 0 exp 0"},
		"covered_call":   {"long stock ×1", "short call ×1 delta 0.3 exp own 25-50"},
		"collar":         {"long stock ×1", "short call ×1 delta 0.3 exp own 25-50", "long put ×1 delta 0.3 exp 1"},
		"protective_put": {"long stock ×1", "long put ×1 delta 0.3 exp own 25-50"},
		"short_call":     {"short call ×1 delta 0.3 exp own 25-50"},
		"long_put":       {"long put ×1 delta 0.3 exp own 25-50"},
		"long_call":      {"long call ×1 delta 0.3 exp own 25-50"},
	}
	if got := len(legs.Presets()); got != len(want) {
		t.Errorf("%d presets, the table has %d", got, len(want))
	}
	for _, p := range legs.Presets() {
		c := legs.Default()
		c.Preset = p.Name
		ls, err := c.Resolve()
		if err != nil {
			t.Errorf("%s: %v", p.Name, err)
			continue
		}
		var got []string
		for _, l := range ls {
			got = append(got, shape(l))
		}
		if w := want[p.Name]; strings.Join(got, "; ") != strings.Join(w, "; ") {
			t.Errorf("%s:\n got %q\nwant %q", p.Name, got, w)
		}
	}
}

// A slot's fields override the preset's; stock presets do not build for the
// engine; bad values name their parameter.
func TestConfigErrors(t *testing.T) {
	c := legs.Default()
	c.Preset = "vertical"
	c.Legs[1].Width = 10
	c.Legs[0].DTEMin, c.Legs[0].DTEMax = 7, 14
	ls, err := c.Resolve()
	if err != nil || ls[1].Width != 10 || ls[0].DTEMin != 7 || ls[0].DTEMax != 14 || ls[0].Delta != 0.3 {
		t.Fatalf("override: %+v %v", ls, err)
	}
	for _, tc := range []struct {
		set  func(c *legs.Config)
		want string
	}{
		{func(c *legs.Config) { c.Preset = "condor" }, `preset "condor": unknown`},
		{func(c *legs.Config) { c.Preset = ""; c.Legs[1].Side = "short" }, "legs[0] is unused but legs[1] is set"},
		{func(c *legs.Config) { c.Preset = ""; c.Legs[0].Side = "short"; c.Legs[0].Right = "bond" }, `legs[0].right "bond"`},
		{func(c *legs.Config) { c.Preset = "vertical"; c.Legs[1].Of = 1 }, "legs[1].of 1: select width needs an earlier leg"},
		{func(c *legs.Config) { c.Legs[0].Delta = 1.5 }, "legs[0].delta 1.5"},
		{func(c *legs.Config) { c.Legs[0].DTEMin, c.Legs[0].DTEMax = 30, 10 }, "legs[0].dte_min 30 / dte_max 10"},
		{func(c *legs.Config) { c.Weekdays = []string{"funday"} }, `entry_weekdays "funday"`},
		{func(c *legs.Config) { c.TakeProfitOf = "premium" }, `take_profit_of "premium"`},
		{func(c *legs.Config) { c.Preset = "covered_call" }, "stock leg"},
		{func(c *legs.Config) { c.Signal = `{"rsi": {"period": 0, "below": 70}}` }, "signal: rsi.period"},
	} {
		c := legs.Default()
		tc.set(&c)
		if _, err := legs.New(c, fill.DefaultLiquidity()); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
}

package param_test

import (
	"math"
	"testing"

	"github.com/optsweep/sweep/sim/param"
)

func TestCheck(t *testing.T) {
	rules := []param.Rule{
		{false, "fine"},
		{true, "contracts 0 < 1"},
		{true, "symbol is empty"},
	}
	for _, tc := range []struct {
		name  string
		check func(string, ...param.Rule) error
		rules []param.Rule
		want  string
	}{
		{"first", param.Check, rules, "x: contracts 0 < 1"},
		{"all", param.CheckAll, rules, "x: contracts 0 < 1\nx: symbol is empty"},
		{"first, none broken", param.Check, rules[:1], ""},
		{"all, none broken", param.CheckAll, rules[:1], ""},
		{"all, no rules", param.CheckAll, nil, ""},
	} {
		err := tc.check("x", tc.rules...)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestFinite(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want bool
	}{{0, true}, {-1.5, true}, {math.NaN(), false}, {math.Inf(1), false}, {math.Inf(-1), false}} {
		if got := param.Finite(tc.x); got != tc.want {
			t.Errorf("Finite(%g) = %v, want %v", tc.x, got, tc.want)
		}
	}
}

package strategy_test

import (
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/strategy"
)

// A strategy parameter with an execution parameter's name could never be set.
func TestNoNameClashes(t *testing.T) {
	x := strategy.DefaultExec()
	exec := map[string]bool{}
	for _, f := range param.List(&x) {
		exec[f.Name] = true
	}
	for _, info := range strategy.Registry() {
		for _, f := range param.List(info.Defaults()) {
			if exec[f.Name] {
				t.Errorf("%s: parameter %s is also an execution parameter", info.Name, f.Name)
			}
		}
	}
}

func TestBuild(t *testing.T) {
	b, err := strategy.Build("wheel", map[string]string{"dte_min": "21", "fill_mode": "pessimistic", "entry_max_steps": "2"})
	if err != nil {
		t.Fatal(err)
	}
	if b.Params["dte_min"] != "21" || b.Exec.Mode != fill.Pessimistic || b.Exec.Stepped.MaxSteps != 2 || b.Types["dte_min"] != "int" {
		t.Errorf("built %+v", b)
	}
	// The default execution settings are the seeds'.
	d, _ := strategy.Build("csp", nil)
	if d.Exec.Costs != fill.DefaultCosts() || d.Exec.Liquidity != fill.DefaultLiquidity() || d.Exec.Cash != 1_000_000 {
		t.Errorf("defaults %+v", d.Exec)
	}
	for _, tc := range []struct {
		name string
		set  map[string]string
		want string
	}{
		{"wheel", map[string]string{"dte_mn": "3"}, `did you mean "dte_min"`},
		{"wheel", map[string]string{"dte_min": "50"}, "dte_min 50 and dte_max 45"},
		{"wheel", map[string]string{"starting_cash": "0"}, "starting_cash"},
		{"wheel", map[string]string{"entry_start_price": "ask"}, "entry_start_price"},
		{"condor", nil, "unknown strategy"},
	} {
		if _, err := strategy.Build(tc.name, tc.set); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v: error %v, want %q", tc.name, tc.set, err, tc.want)
		}
	}
}

package condor_test

import (
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/strategy/condor"
)

func TestConfigValidate(t *testing.T) {
	monthly := []struct {
		set, want string
	}{
		{"", ""},
		{"settlement=both", "settlement"},
		{"vix_change_basis=open", "vix_change_basis"},
		{"delta_red_line=30", "delta_red_line"},
		{"time_exit_dte=49", "time_exit_dte"},
		{"time_exit_dte=-2", "time_exit_dte"},
		{"min_credit=25", "min_credit"},
		{"red_line_close_pct=0", "red_line_close_pct"},
		{"max_positions=0", "max_positions"},
	}
	for _, tc := range monthly {
		c := condor.DefaultMonthly()
		if tc.set != "" {
			k, v, _ := strings.Cut(tc.set, "=")
			if err := param.Set(&c, k, v); err != nil {
				t.Fatal(err)
			}
		}
		checkErr(t, "monthly "+tc.set, c.Validate(), tc.want)
	}
	zero := []struct {
		set, want string
	}{
		{"", ""},
		{"entry_window_start=9:45am", "entry_window_start"},
		{"entry_window_end=09:30", "entry_window_start"},
		{"eod_close=09:59", "eod_close"},
		{"vix_min=31", "vix_min"},
		{"stop_loss_mult=1", "stop_loss_mult"},
		{"delta_red_line=15", "delta_red_line"},
		{"min_credit=10", "min_credit"},
	}
	for _, tc := range zero {
		c := condor.DefaultZeroDTE()
		if tc.set != "" {
			k, v, _ := strings.Cut(tc.set, "=")
			if err := param.Set(&c, k, v); err != nil {
				t.Fatal(err)
			}
		}
		checkErr(t, "0dte "+tc.set, c.Validate(), tc.want)
	}
}

func checkErr(t *testing.T, name string, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: %v", name, err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("%s: error %v, want one naming %s", name, err, want)
	}
}

// TestParams checks the parameter names the registry exposes.
func TestParams(t *testing.T) {
	m := condor.DefaultMonthly()
	z := condor.DefaultZeroDTE()
	for _, tc := range []struct {
		cfg        any
		name, want string
	}{
		{&m, "vix_spike_pct", "0.2"}, {&m, "min_dte", "49"}, {&m, "min_distance_put", "125"},
		{&m, "min_distance_call", "100"}, {&m, "prefer_quarter_strikes", "true"}, {&m, "time_exit_dte", "30"},
		{&z, "entry_window_start", "09:45"}, {&z, "eod_close", "15:45"}, {&z, "target_delta", "0.06"},
		{&z, "profit_target_pct", "0.5"}, {&z, "stop_loss_mult", "2"}, {&z, "proximity_red_line", "15"},
	} {
		if got, ok := param.Get(tc.cfg, tc.name); !ok || got != tc.want {
			t.Errorf("%s = %q (%v), want %q", tc.name, got, ok, tc.want)
		}
	}
}

package strategy

import (
	"fmt"
	"maps"
	"strconv"
)

// SeedCompatKey is the pseudo-parameter that sets every compat parameter of
// a strategy to the seed's behaviour at once: --set seed_compat=true. It is
// expanded before the other settings, so an explicit setting still wins; the
// parameters it sets are recorded with the run, not the key itself.
const SeedCompatKey = "seed_compat"

// SeedCompat returns the parameter values that reproduce the seed's behaviour
// where strategy name differs from it on purpose (README: "Where we differ
// from the seeds"). A strategy without any has an empty map.
func SeedCompat(name string) map[string]string {
	m := map[string]string{}
	switch name {
	case "wheel":
		m["mid_fill_mode"] = "realistic"  // seed 001: fill_mode 'mid' falls through to the realistic formulas
		m["stock_pnl_basis"] = "net_cost" // seed 001: called-away shares valued from strike less the put premium
		m["profit_target_fill"] = "bar"   // seed 001: a touched target pays get_exit_price, above the target when pessimistic
	case "csp":
		m["rsi_flat_window"] = "nan" // seed 000: 0/0 on a flat window, the RSI check fails
	}
	return m
}

// expandSeedCompat returns set with seed_compat replaced by the parameters
// it stands for (set's own values win).
func expandSeedCompat(info Info, set map[string]string) (map[string]string, error) {
	v, ok := set[SeedCompatKey]
	if !ok {
		return set, nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return nil, fmt.Errorf("%s %q: want true or false", SeedCompatKey, v)
	}
	out := map[string]string{}
	if on {
		maps.Copy(out, SeedCompat(info.Name))
	}
	for k, val := range set {
		if k != SeedCompatKey {
			out[k] = val
		}
	}
	return out, nil
}

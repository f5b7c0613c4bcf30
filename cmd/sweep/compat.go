package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sim/strategy/wheel"
)

// stockBasis returns the wheel's stock_pnl_basis a backtest's settings ask
// for: the explicit value, else seed_compat's, else ours.
func stockBasis(set map[string]string) string {
	if v, ok := set["stock_pnl_basis"]; ok {
		return v
	}
	if on, err := strconv.ParseBool(set[strategy.SeedCompatKey]); err == nil && on {
		return strategy.SeedCompat("wheel")["stock_pnl_basis"]
	}
	return wheel.StockFromAssignment
}

// printSeedCompat lists what --set seed_compat=true sets for strategy name.
func printSeedCompat(w io.Writer, name string) {
	m := strategy.SeedCompat(name)
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+"="+m[k])
	}
	what := "nothing: no known deviation from the seed is switchable for this strategy"
	if len(parts) > 0 {
		what = strings.Join(parts, ", ")
	}
	fmt.Fprintf(w, "\n%s\tbool\tfalse\tthe seed's behaviour where we differ on purpose; sets %s\n", strategy.SeedCompatKey, what)
}

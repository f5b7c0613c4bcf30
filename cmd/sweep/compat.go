package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/optsweep/sweep/sim/strategy"
)

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

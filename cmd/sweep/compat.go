package main

import (
	"strconv"

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

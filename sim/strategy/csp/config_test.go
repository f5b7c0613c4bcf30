package csp

import (
	"math"
	"strings"
	"testing"
)

func TestVIXTableText(t *testing.T) {
	const def = "0-12:0,12-15:0.2,15-18:0.8,18-21:0.9,21-inf:1"
	b, err := DefaultVIXTable().MarshalText()
	if err != nil || string(b) != def {
		t.Fatalf("MarshalText = %q, %v; want %q", b, err, def)
	}
	var v VIXTable
	if err := v.UnmarshalText([]byte(" 0-12:0, 12-15:0.2,15-18:0.8,18-21:0.9,21-INF:1 ")); err != nil {
		t.Fatal(err)
	}
	if b, _ := v.MarshalText(); string(b) != def {
		t.Errorf("round trip = %q", b)
	}
	for _, bad := range []string{"", "12:0.2", "0-12", "12-0:1", "a-12:0", "0-12:x", "0-b:1"} {
		var v VIXTable
		if err := v.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) succeeded", bad)
		}
	}
}

func TestVIXTableMultiplier(t *testing.T) {
	// Lower bounds inclusive, upper exclusive (seed: lower <= vix < upper).
	tab := DefaultVIXTable()
	for _, c := range []struct{ vix, want float64 }{
		{-1, 0}, {0, 0}, {11.99, 0}, {12, 0.2}, {14.99, 0.2}, {15, 0.8}, {17.99, 0.8},
		{18, 0.9}, {20.99, 0.9}, {21, 1}, {80, 1}, {math.NaN(), 0},
	} {
		if got := tab.Multiplier(c.vix); got != c.want {
			t.Errorf("Multiplier(%g) = %g, want %g", c.vix, got, c.want)
		}
	}
	gap := VIXTable{{10, 20, 0.5}}
	if got := gap.Multiplier(25); got != 0 {
		t.Errorf("no band: %g, want 0", got)
	}
}

func TestValidate(t *testing.T) {
	d := Default()
	if err := d.Validate(); err != nil {
		t.Fatalf("Default: %v", err)
	}
	for _, c := range []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"dte", func(c *Config) { c.MinDTE, c.MaxDTE = 5, 3 }, "min_dte 5 / max_dte 3"},
		{"delta", func(c *Config) { c.DeltaMin, c.DeltaMax = 0.3, 0.2 }, "delta_min 0.3 / delta_max 0.2"},
		{"rank", func(c *Config) { c.ContractRankMode = "best" }, `contract_rank_mode "best" unknown`},
		{"strike mode", func(c *Config) { c.MaxStrikeMode = "atm" }, `max_strike_mode "atm"`},
		{"num_tickers", func(c *Config) { c.NumTickers = -1 }, "num_tickers -1"},
		{"rsi", func(c *Config) { c.RSILower = 80 }, "rsi_lower 80 / rsi_upper 70"},
		{"history", func(c *Config) { c.HistoryDays = 40 }, "history_days 40 < 50"},
		{"trend", func(c *Config) { c.HistoryDays, c.SMATrendLookback = 52, 3 }, "50 + sma_trend_lookback 3"},
		{"pct", func(c *Config) { c.MaxPositionPct = 0 }, "max_position_pct 0"},
		{"strikes", func(c *Config) { c.MinStrikePct = 0.95 }, "min_strike_pct 0.95 / max_strike_pct 0.9"},
		{"return", func(c *Config) { c.MinDailyReturn = -0.001 }, "min_daily_return -0.001"},
		{"volume", func(c *Config) { c.MinVolume = -5 }, "min_volume -5"},
		{"spread", func(c *Config) { c.MaxSpreadPct = 0 }, "max_spread_pct 0"},
		{"drop", func(c *Config) { c.StockDropStopPct = 1 }, "stock_drop_stop_pct 1"},
		{"buffer", func(c *Config) { c.EarlyExitBuffer = math.NaN() }, "early_exit_buffer"},
		{"contracts", func(c *Config) { c.MaxContractsPerTicker = 0 }, "max_contracts_per_ticker 0"},
		{"sma period", func(c *Config) { c.MaxStrikeSMAPeriod = 61 }, "max_strike_sma_period 61"},
		{"vix overlap", func(c *Config) { c.VIXRules = VIXTable{{0, 15, 0}, {12, 20, 1}} }, "overlap"},
		{"vix mult", func(c *Config) { c.VIXRules = VIXTable{{0, 15, 1.5}} }, "multiplier 1.5"},
		{"vix empty", func(c *Config) { c.VIXRules = nil }, "empty"},
	} {
		cfg := Default()
		c.mod(&cfg)
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Validate() = %v, want an error containing %q", c.name, err, c.want)
		}
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted an invalid config", c.name)
		}
	}
}

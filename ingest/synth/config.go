package synth

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Config says what to generate.
type Config struct {
	Symbols  []string  // option underlyings, e.g. SPX, SPY, AAPL; any 1-6 letter ticker works
	From, To time.Time // civil dates, inclusive; only NYSE trading days are generated
	Seed     int64     // the output is byte-identical for a seed and the rest of the Config
	Intraday bool      // also write minute snapshots of each day's expiring (0DTE) chains
	OutDir   string    // directory to write into; created if missing
	Chain    ChainSpec // chain size; the zero value means DefaultChain
	// History drives underlyings by real daily bars instead of random paths
	// (their symbols are added to Symbols). SPY's history also drives the
	// market: SPX is SPY × 10 and VIX and VIX3M follow SPY's realized
	// volatility. See Series.
	History []*Series
	// Splits are stock splits to emit (see SymbolSplit): the bars drop by the
	// ratio on the ex-date, the listed contracts are adjusted as OCC adjusts
	// them, and events.csv carries a split event.
	Splits []SymbolSplit
}

// ChainSpec sizes the option chains: which expirations are listed and how far the
// strikes reach.
type ChainSpec struct {
	DailyDays   int     // Monday-Thursday expirations listed this many calendar days ahead (products with dailies)
	Weeks       int     // Friday weekly expirations listed this many weeks ahead
	Monthlies   int     // standard monthly (third Friday) expirations listed ahead
	Quarterlies int     // quarter-end monthly expirations listed beyond the monthlies
	StdDevs     float64 // strikes reach this many at-the-money standard deviations (σ·√T) from the spot
	MinWidth    float64 // the strike range reaches at least this far (log-moneyness) ...
	MaxWidth    float64 // ... and at most this far
	FineWidth   float64 // fine strike increments within this log-moneyness of the spot (at least)
}

// DefaultChain returns the chain used when a Config leaves Chain zero: dailies a week
// out, weeklies 5 weeks out, 4 monthlies and 2 quarterlies, strikes over ±2.5
// standard deviations.
func DefaultChain() ChainSpec {
	return ChainSpec{DailyDays: 7, Weeks: 5, Monthlies: 4, Quarterlies: 2,
		StdDevs: 2.5, MinWidth: 0.04, MaxWidth: 0.30, FineWidth: 0.03}
}

// PresetNames returns the names Preset accepts.
func PresetNames() []string {
	return append([]string{"small", "demo", "spy-5y", "universe"}, historyPresetNames()...)
}

// Preset returns a named configuration with OutDir unset:
//
//   - small: SPX, SPY and AAPL over 2024-01-02..2024-03-28 with short, narrow chains
//     (a few hundred contracts a day); for tests, generates in well under a second.
//   - demo: SPX, SPY and AAPL over 2023-01-03..2024-12-31 with modest chains.
//   - spy-5y: SPY over 2020-01-02..2024-12-31 with full chains (several thousand
//     contracts a day: dailies, weeklies, monthlies and quarterlies).
//   - universe: 100 large US stocks (UniverseSymbols) over 2023-01-03..2024-12-31
//     with single-stock chains (weeklies, monthlies, a quarterly; no dailies),
//     for universe scans such as the CSP scanner's; --symbols takes a subset.
//
// and the presets on real history (see historyPreset): real, real-2008, real-2020.
func Preset(name string) (Config, error) {
	d := func(s string) time.Time {
		t, _ := time.Parse(time.DateOnly, s)
		return t
	}
	switch name {
	case "small":
		return Config{Symbols: []string{"AAPL", "SPX", "SPY"}, From: d("2024-01-02"), To: d("2024-03-28"), Seed: 3,
			Chain: ChainSpec{DailyDays: 1, Weeks: 2, Monthlies: 1, StdDevs: 0.75, MinWidth: 0.01, MaxWidth: 0.04, FineWidth: 0.008}}, nil
	case "demo":
		return Config{Symbols: []string{"AAPL", "SPX", "SPY"}, From: d("2023-01-03"), To: d("2024-12-31"), Seed: 1,
			Chain: ChainSpec{DailyDays: 2, Weeks: 3, Monthlies: 2, Quarterlies: 1, StdDevs: 1.5, MinWidth: 0.02, MaxWidth: 0.12, FineWidth: 0.012}}, nil
	case "spy-5y":
		return Config{Symbols: []string{"SPY"}, From: d("2020-01-02"), To: d("2024-12-31"), Seed: 1,
			Chain: ChainSpec{DailyDays: 7, Weeks: 8, Monthlies: 6, Quarterlies: 4, StdDevs: 3, MinWidth: 0.05, MaxWidth: 0.35, FineWidth: 0.10}}, nil
	case "universe":
		return Config{Symbols: UniverseSymbols(), From: d("2023-01-03"), To: d("2024-12-31"), Seed: 7,
			Chain: ChainSpec{Weeks: 2, Monthlies: 2, Quarterlies: 1, StdDevs: 1.5, MinWidth: 0.02, MaxWidth: 0.12, FineWidth: 0.012}}, nil
	}
	if c, ok, err := historyPreset(name); ok {
		return c, err
	}
	return Config{}, fmt.Errorf("unknown preset %q (want one of %s)", name, strings.Join(PresetNames(), ", "))
}

// normalize checks c and returns a copy with dates at midnight UTC, symbols upper-case,
// sorted and unique, and the default chain filled in.
func (c Config) normalize() (Config, error) {
	if c.OutDir == "" {
		return c, errors.New("synth: no output directory")
	}
	c.Symbols = slices.Clone(c.Symbols)
	if err := c.checkHistory(); err != nil {
		return c, err
	}
	if len(c.Symbols) == 0 {
		return c, errors.New("synth: no symbols")
	}
	syms := make([]string, 0, len(c.Symbols))
	for _, s := range c.Symbols {
		s = strings.ToUpper(strings.TrimSpace(s))
		if _, err := profileFor(s); err != nil {
			return c, fmt.Errorf("synth: %w", err)
		}
		syms = append(syms, s)
	}
	slices.Sort(syms)
	c.Symbols = slices.Compact(syms)
	y, m, d := c.From.Date()
	c.From = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	y, m, d = c.To.Date()
	c.To = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if c.To.Before(c.From) {
		return c, fmt.Errorf("synth: --to %s is before --from %s", c.To.Format(time.DateOnly), c.From.Format(time.DateOnly))
	}
	c.Splits = slices.Clone(c.Splits)
	if err := c.checkSplits(); err != nil {
		return c, err
	}
	if c.From.Year() < 2000 || c.To.Year() > 2098 {
		return c, fmt.Errorf("synth: dates must fall within 2000-2098 (OSI symbols carry two-digit years)")
	}
	if c.Chain == (ChainSpec{}) {
		c.Chain = DefaultChain()
	}
	ch := c.Chain
	if ch.Weeks < 0 || ch.Monthlies < 0 || ch.Quarterlies < 0 || ch.DailyDays < 0 ||
		!(ch.StdDevs > 0) || !(ch.MinWidth > 0) || !(ch.MaxWidth >= ch.MinWidth) || ch.FineWidth < 0 {
		return c, fmt.Errorf("synth: invalid chain spec %+v", ch)
	}
	if ch.Weeks+ch.Monthlies+ch.Quarterlies == 0 && ch.DailyDays == 0 {
		return c, errors.New("synth: chain spec lists no expirations")
	}
	return c, nil
}

// UniverseSymbols returns the universe preset's 100 tickers: large US stocks
// by index weight, in that order, so that the first n are a smaller universe
// of the same kind. Those without a profile of their own are simulated with
// one derived from the ticker.
func UniverseSymbols() []string {
	return strings.Fields(`AAPL MSFT NVDA AMZN META GOOGL GOOG TSLA AVGO JPM
		LLY UNH XOM V MA JNJ PG HD COST MRK
		ABBV CVX CRM BAC NFLX AMD PEP KO WMT TMO
		ADBE LIN MCD CSCO ACN ABT ORCL DIS WFC INTU
		DHR CMCSA VZ TXN QCOM PFE AMGN IBM NOW CAT
		PM UNP GE SPGI INTC HON AMAT ISRG LOW NKE
		BA RTX GS T NEE UPS ELV SYK BKNG PLD
		MS MDT BLK LMT DE SCHW TJX GILD ADP MDLZ
		AXP CB MMC VRTX C ADI CVS REGN SBUX PGR
		ETN ZTS BSX CI MO SO LRCX DUK BDX CME`)
}

package synth

import "time"

// historyPresetNames returns the presets on the shipped real history.
func historyPresetNames() []string { return []string{"real", "real-2008", "real-2020"} }

// historyPreset returns the named preset on the shipped real daily bars, and
// whether name is one:
//
//   - real: SPX (SPY × 10), SPY and AAPL over 2016-01-04..2019-12-31 on SPY's
//     and AAPL's real bars, with the demo's chains: the early-2016 sell-off,
//     the calm 2017, the February 2018 volatility spike, the late-2018
//     sell-off and the 2019 recovery. The window sits between AAPL's splits
//     (2014-06-09 and 2020-08-31); the first year is the warm-up the IV-rank
//     strategies need (252 sessions). NVDA, TSLA, AMD and FCX are simulated
//     on SPY's real returns (their profiles' beta and idiosyncratic
//     volatility; AMD and FCX about 75% a year, their prices not the real
//     companies') to give the scanners the high-volatility names the seeds'
//     S&P 500 universe would: the CSP scanner's defaults want about 80%
//     implied volatility. `sweep demo` runs every seed strategy on it.
//   - real-2008: SPX, SPY, IWM and AAPL over 2007-07-02..2009-06-30 (the
//     financial crisis; the shipped QQQ bars have a gap from August 2004 to
//     March 2011).
//   - real-2020: SPX, SPY, QQQ and IWM over 2019-07-01..2021-03-31 (the 2020
//     crash and recovery; AAPL is left out: its 4:1 split is on 2020-08-31).
//
// Option quotes, VIX and VIX3M, earnings and dividends are synthetic, derived
// from the real prices and their realized volatility.
func historyPreset(name string) (Config, bool, error) {
	d := func(s string) time.Time {
		t, _ := time.Parse(time.DateOnly, s)
		return t
	}
	demo := ChainSpec{DailyDays: 2, Weeks: 3, Monthlies: 2, Quarterlies: 1, StdDevs: 1.5, MinWidth: 0.02, MaxWidth: 0.12, FineWidth: 0.012}
	var c Config
	var hist []string
	switch name {
	case "real":
		c = Config{Symbols: []string{"AAPL", "AMD", "FCX", "NVDA", "SPX", "SPY", "TSLA"}, From: d("2016-01-04"), To: d("2019-12-31"), Seed: 1, Chain: demo}
		hist = []string{"AAPL", "SPY"}
	case "real-2008":
		c = Config{Symbols: []string{"AAPL", "IWM", "SPX", "SPY"}, From: d("2007-07-02"), To: d("2009-06-30"), Seed: 1, Chain: demo}
		hist = []string{"AAPL", "IWM", "SPY"}
	case "real-2020":
		c = Config{Symbols: []string{"IWM", "QQQ", "SPX", "SPY"}, From: d("2019-07-01"), To: d("2021-03-31"), Seed: 1, Chain: demo}
		hist = []string{"IWM", "QQQ", "SPY"}
	default:
		return Config{}, false, nil
	}
	for _, sym := range hist {
		s, err := ShippedSeries(sym)
		if err != nil {
			return Config{}, true, err
		}
		c.History = append(c.History, s)
	}
	return c, true, nil
}

package csp

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
)

// zigzag returns the test's base closes x[i] = 50 + 0.1·i, plus 1 at odd i,
// for i = 0..59. Worked by hand (i = 59 is today, price 56.9):
//
//	SMA8  over i = 52..59: 50 + 0.1·55.5 + 0.5 = 56.05
//	SMA20 over i = 40..59: 50 + 0.1·49.5 + 0.5 = 55.45
//	SMA50 over i = 10..59: 50 + 0.1·34.5 + 0.5 = 53.95, rising 0.1 a day
//	  (SMA50[i] − SMA50[i−1] = (x[i] − x[i−50])/50 = 5/50)
//	RSI14: the last 14 changes are 7 × +1.1 (odd i) and 7 × −0.9 (even i):
//	  100·1.1/(1.1 + 0.9) = 55
//	std20: deviations 0.1(j−9.5) ± 0.5 for j = 0..19 (+ at odd j); the sum of
//	  squares is 0.01·665 + 20·0.25 + 0.1·(100 − 90) = 12.65, so the sample
//	  std is √(12.65/19) = 0.81596: BB_upper(20, 1) = 56.266 < 56.9 and
//	  BB_upper(20, 2) = 57.082 > 56.9.
func zigzag() []float64 {
	x := make([]float64, 60)
	for i := range x {
		x[i] = 50 + 0.1*float64(i)
		if i%2 == 1 {
			x[i]++
		}
	}
	return x
}

func falling() []float64 {
	x := make([]float64, 60)
	for i := range x {
		x[i] = 100 - float64(i)
	}
	return x
}

// flatTail is the zigzag with its last 15 closes at 56.9.
func flatTail() []float64 {
	x := zigzag()
	for i := len(x) - 15; i < len(x); i++ {
		x[i] = 56.9
	}
	return x
}

// onlyEquity returns the default config with every equity check off but one.
func onlyEquity(set func(*Config)) Config {
	c := Default()
	c.BBStd = 2
	c.EnableSMA8Check, c.EnableSMA20Check, c.EnableSMA50Check = false, false, false
	c.EnableBBUpperCheck, c.EnableBandCheck, c.EnableSMA50TrendCheck = false, false, false
	c.EnableRSICheck, c.EnablePositionSizeCheck = false, false
	set(&c)
	return c
}

func TestEquityValues(t *testing.T) {
	c := Default()
	c.BBStd = 2
	var s scratch
	r := c.evalEquity(&s, zigzag(), 100_000)
	if !r.pass() {
		t.Fatalf("base series fails: %v", r.fails)
	}
	for _, v := range []struct {
		name      string
		got, want float64
	}{
		{"price", r.price, 56.9}, {"sma8", r.sma8, 56.05}, {"sma20", r.sma20, 55.45},
		{"sma50", r.sma50, 53.95}, {"rsi", r.rsi, 55}, {"bandSMA", r.bandSMA, 55.45},
		{"bandUpper", r.bandUpper, 55.45 + 2*math.Sqrt(12.65/19)}, {"ceiling", r.ceilingSMA, 55.45},
	} {
		if math.Abs(v.got-v.want) > 1e-9 {
			t.Errorf("%s = %.12g, want %.12g", v.name, v.got, v.want)
		}
	}
}

func TestEquityChecks(t *testing.T) {
	with := func(x []float64, i int, v float64) []float64 { x[i] = v; return x }
	for _, c := range []struct {
		name   string
		cfg    Config
		closes []float64
		cash   float64
		fail   string // "" = pass
	}{
		// Price 56.0: SMA8 = (8·56.05 − 56.9 + 56.0)/8 = 55.9375 < 56.0.
		{"sma8 pass", onlyEquity(func(c *Config) { c.EnableSMA8Check = true }), with(zigzag(), 59, 56.0), 1e5, ""},
		// Price 55.9: SMA8 = (448.4 − 1.0)/8 = 55.925 > 55.9.
		{"sma8 fail", onlyEquity(func(c *Config) { c.EnableSMA8Check = true }), with(zigzag(), 59, 55.9), 1e5, "SMA(8)"},
		// Falling 100 − i: price 41, SMA20 = 50.5, SMA50 = 65.5.
		{"sma20 fail", onlyEquity(func(c *Config) { c.EnableSMA20Check = true }), falling(), 1e5, "SMA(20) 50.50"},
		{"sma50 pass", onlyEquity(func(c *Config) { c.EnableSMA50Check = true }), zigzag(), 1e5, ""},
		{"sma50 fail", onlyEquity(func(c *Config) { c.EnableSMA50Check = true }), falling(), 1e5, "SMA(50) 65.50"},
		{"band pass k=2", onlyEquity(func(c *Config) { c.EnableBandCheck = true }), zigzag(), 1e5, ""},
		// k = 1: BB_upper = 55.45 + 0.816 = 56.27 < 56.9.
		{"band above k=1", onlyEquity(func(c *Config) { c.EnableBandCheck = true; c.BBStd = 1 }), zigzag(), 1e5, "> BB_upper(20) 56.27"},
		{"band below", onlyEquity(func(c *Config) { c.EnableBandCheck = true }), falling(), 1e5, "< SMA(20) 50.50"},
		// Legacy: price must exceed BB_upper; 56.9 ≤ 57.08 at k = 2, > 55.86 at k = 0.5.
		{"bb_upper fail", onlyEquity(func(c *Config) { c.EnableBBUpperCheck = true }), zigzag(), 1e5, "BB_upper(20) 57.08"},
		{"bb_upper pass", onlyEquity(func(c *Config) { c.EnableBBUpperCheck = true; c.BBStd = 0.5 }), zigzag(), 1e5, ""},
		{"trend pass", onlyEquity(func(c *Config) { c.EnableSMA50TrendCheck = true }), zigzag(), 1e5, ""},
		{"trend fail", onlyEquity(func(c *Config) { c.EnableSMA50TrendCheck = true }), falling(), 1e5, "not rising"},
		{"rsi pass", onlyEquity(func(c *Config) { c.EnableRSICheck = true; c.RSILower = 54.9 }), zigzag(), 1e5, ""},
		{"rsi low", onlyEquity(func(c *Config) { c.EnableRSICheck = true; c.RSILower = 55.1 }), zigzag(), 1e5, "RSI 55.0"},
		{"rsi high", onlyEquity(func(c *Config) { c.EnableRSICheck = true; c.RSIUpper = 54.9 }), zigzag(), 1e5, "RSI 55.0"},
		// Falling: every change a loss, RSI 0.
		{"rsi zero", onlyEquity(func(c *Config) { c.EnableRSICheck = true }), falling(), 1e5, "RSI 0.0"},
		// The zigzag's last 15 closes set to 56.9: no change in the RSI's 14,
		// 0 gains over 0 losses. Ours: RSI 50, inside (30, 70). The seed's
		// rolling means give 0/0 = NaN, which fails 30 < RSI < 70.
		{"rsi flat neutral", onlyEquity(func(c *Config) { c.EnableRSICheck = true }), flatTail(), 1e5, ""},
		{"rsi flat nan (seed)", onlyEquity(func(c *Config) { c.EnableRSICheck = true; c.RSIFlat = RSIFlatNaN }), flatTail(), 1e5, "RSI NaN outside (30, 70)"},
		// One change among the 14 (the 15th-last close differs): not flat, so
		// the seed's form is a number too: 1 loss of 1.0, RSI 0.
		{"rsi nearly flat nan", onlyEquity(func(c *Config) { c.EnableRSICheck = true; c.RSIFlat = RSIFlatNaN }), with(flatTail(), 45, 57.9), 1e5, "RSI 0.0"},
		// 100 × 56.9 = 5690 ≤ 10 % of 100,000; > 10 % of 50,000.
		{"size pass", onlyEquity(func(c *Config) { c.EnablePositionSizeCheck = true }), zigzag(), 1e5, ""},
		{"size fail", onlyEquity(func(c *Config) { c.EnablePositionSizeCheck = true }), zigzag(), 5e4, "collateral $5690"},
		{"history", onlyEquity(func(*Config) {}), zigzag()[11:], 1e5, "insufficient history (49 closes"},
	} {
		var s scratch
		r := c.cfg.evalEquity(&s, c.closes, c.cash)
		got := strings.Join(r.fails, "; ")
		switch {
		case c.fail == "" && !r.pass():
			t.Errorf("%s: fails %q", c.name, got)
		case c.fail != "" && !strings.Contains(got, c.fail):
			t.Errorf("%s: fails %q, want %q", c.name, got, c.fail)
		case c.fail != "" && len(r.fails) != 1:
			t.Errorf("%s: %d failures %q, want 1", c.name, len(r.fails), got)
		}
	}
}

// row is a one-contract chain.
type row struct {
	dte              int
	strike, bid, ask float64
	delta, iv        float64
	oi, vol          int64
}

var testDay = sim.DayOf(time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC))

func (r row) candidate(frac float64) candidate {
	ch := sim.Chain{Expiration: []int32{testDay + int32(r.dte)}, PutCall: []byte{sim.Put}, Strike: []float64{r.strike},
		Bid: []float64{r.bid}, Ask: []float64{r.ask}, Delta: []float64{r.delta}, IV: []float64{r.iv},
		OpenInterest: []int64{r.oi}, PrevVolume: []int64{r.vol}}
	return newCandidate("AAA", &ch, 0, testDay, 100, frac)
}

func TestOptionChecks(t *testing.T) {
	frac := 15.0 / 390 // decision at 15:45
	base := row{dte: 5, strike: 90, bid: 1.00, ask: 1.10, delta: -0.25, iv: 0.3, oi: 100, vol: 50}
	// Daily return: 1.00 / (5 + 15/390) / 90 = 1/453.4615 = 0.0022053.
	c := base.candidate(frac)
	if want := 1.0 / (5 + frac) / 90; math.Abs(c.ret-0.0022053) > 1e-7 || c.ret != want {
		t.Errorf("ret = %.9g, want %.9g", c.ret, want)
	}
	// Per delta: 0.00220526/0.25 = 0.0088210; spread (1.10−1.00)/1.05 = 0.095238.
	if math.Abs(c.perDelta-0.0088210) > 1e-7 || math.Abs(c.spread-0.0952381) > 1e-7 {
		t.Errorf("perDelta %g spread %g", c.perDelta, c.spread)
	}
	mod := func(f func(*row)) row { r := base; f(&r); return r }
	liq := Default()
	liq.MinVolume, liq.MinOpenInterest, liq.MaxSpreadPct = 10, 10, 0.5
	for _, tc := range []struct {
		name string
		cfg  Config
		r    row
		want int // failure reason, -1 = pass
	}{
		{"pass", liq, base, -1},
		// 0.60/5.03846/90 = 0.0013232 < 0.0015.
		{"premium", liq, mod(func(r *row) { r.bid = 0.60; r.ask = 0.70 }), failPremium},
		{"premium off", func() Config { c := liq; c.EnablePremiumCheck = false; return c }(), mod(func(r *row) { r.bid = 0.60; r.ask = 0.70 }), -1},
		// 91/100 > 0.90 even though the chain ceiling (sma mode) may allow it.
		{"strike high", liq, mod(func(r *row) { r.strike = 91 }), failStrikeHigh},
		{"strike low", liq, mod(func(r *row) { r.strike = 49; r.bid = 2 }), failStrikeLow},
		{"delta high", liq, mod(func(r *row) { r.delta = -0.41 }), failDelta},
		{"delta na", liq, mod(func(r *row) { r.delta = math.NaN() }), failDeltaNA},
		{"delta zero", liq, mod(func(r *row) { r.delta = 0 }), failDeltaNA},
		{"delta off", func() Config { c := liq; c.EnableDeltaCheck = false; return c }(), mod(func(r *row) { r.delta = math.NaN() }), -1},
		{"dte", liq, mod(func(r *row) { r.dte = 11; r.bid = 3; r.ask = 3.2 }), failDTE},
		{"volume", liq, mod(func(r *row) { r.vol = 9 }), failVolume},
		{"volume unknown", liq, mod(func(r *row) { r.vol = -1 }), failVolume},
		{"oi", liq, mod(func(r *row) { r.oi = 9 }), failOI},
		// (2.0 − 1.0)/1.5 = 0.667 > 0.5.
		{"spread", liq, mod(func(r *row) { r.ask = 2.0 }), failSpread},
		{"spread off at 1", Default(), mod(func(r *row) { r.ask = 2.0 }), -1},
	} {
		var counts [nReasons]int
		c := tc.r.candidate(frac)
		ok := tc.cfg.evalOption(&c, &counts)
		if tc.want < 0 {
			if !ok {
				t.Errorf("%s: failed %v", tc.name, counts)
			}
			continue
		}
		want := [nReasons]int{}
		want[tc.want] = 1
		if ok || counts != want {
			t.Errorf("%s: ok %v counts %v, want %v", tc.name, ok, counts, want)
		}
	}
}

func TestRank(t *testing.T) {
	frac := 0.0
	a := row{dte: 5, strike: 90, bid: 1.0, ask: 1.1, delta: -0.30}.candidate(frac) // ret 1/5/90 = 0.002222, /0.30 = 0.007407
	b := row{dte: 5, strike: 85, bid: 0.6, ask: 0.7, delta: -0.15}.candidate(frac) // ret 0.6/5/85 = 0.001412, /0.15 = 0.009412
	c := row{dte: 3, strike: 88, bid: 0.9, ask: 1.0, delta: -0.35}.candidate(frac) // ret 0.9/3/88 = 0.003409, /0.35 = 0.009740
	d := row{dte: 5, strike: 85, bid: 0.5, ask: 0.6, delta: -0.10}.candidate(frac) // ties b on strike 85 and expiry
	d.symbol = "BBB"
	a.daysSince, b.daysSince, c.daysSince, d.daysSince = 10, 999, 10, 3
	names := func(cs []candidate) []string {
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%s/%s/%g", c.symbol, sim.DayString(c.exp)[5:], c.strike))
		}
		return out
	}
	for _, tc := range []struct {
		mode string
		want []string
	}{
		// perDelta: c 0.00974 > b 0.00941 > d (0.5/5/85/0.10 = 0.01176) — d first.
		{RankReturnPerDelta, []string{"BBB/03-09/85", "AAA/03-07/88", "AAA/03-09/85", "AAA/03-09/90"}},
		// 999 > 10 = 10 (tie: earlier expiration c first) > 3.
		{RankDaysSinceStrike, []string{"AAA/03-09/85", "AAA/03-07/88", "AAA/03-09/90", "BBB/03-09/85"}},
		// 85 = 85 (tie on expiry and strike: symbol AAA first), 88, 90.
		{RankLowestStrike, []string{"AAA/03-09/85", "BBB/03-09/85", "AAA/03-07/88", "AAA/03-09/90"}},
		// c 0.003409 > a 0.002222 > b 0.001412 > d 0.5/5/85 = 0.001176.
		{RankReturnOnCollateral, []string{"AAA/03-07/88", "AAA/03-09/90", "AAA/03-09/85", "BBB/03-09/85"}},
	} {
		for _, in := range [][]candidate{{a, b, c, d}, {d, c, b, a}} {
			cs := slices.Clone(in)
			rank(tc.mode, cs)
			if got := names(cs); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.mode, got, tc.want)
			}
		}
	}
}

func TestDaysSinceStrike(t *testing.T) {
	closes := []float64{48, 52, 49.5, 53, 55}
	days := []int32{100, 101, 104, 105, 106}
	for _, c := range []struct {
		strike float64
		want   int
	}{{50, 2}, {49.5, 2}, {49, 6}, {47, 999}, {55, 0}} {
		if got := daysSinceStrike(closes, days, 106, c.strike); got != c.want {
			t.Errorf("strike %g: %d, want %d", c.strike, got, c.want)
		}
	}
}

func TestTargetQuantity(t *testing.T) {
	c := Default() // 10 % of starting cash per ticker, at most 5 contracts
	for _, tc := range []struct {
		coll, avail float64
		want        int
	}{
		{9000, 50_000, 1}, // floor(10,000/9,000) = 1
		{2000, 50_000, 5}, // floor(10,000/2,000) = 5
		{1500, 50_000, 5}, // floor(10,000/1,500) = 6, capped at 5
		{2000, 7_000, 3},  // available < target: floor(7,000/2,000) = 3
		{2000, 500, 1},    // floor(500/2,000) = 0, at least 1
		{0, 500, 1},
	} {
		if got := c.targetQuantity(tc.coll, tc.avail, 100_000); got != tc.want {
			t.Errorf("targetQuantity(%g, %g) = %d, want %d", tc.coll, tc.avail, got, tc.want)
		}
	}
}

func TestSessionFraction(t *testing.T) {
	ny := calendar.NewYork()
	for _, c := range []struct {
		h, m int
		want float64
	}{{15, 45, 15.0 / 390}, {9, 30, 1}, {12, 45, 195.0 / 390}, {16, 30, 0}} {
		at := time.Date(2024, 3, 4, c.h, c.m, 0, 0, ny).UTC()
		if got := sessionFraction(at); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%02d:%02d: %g, want %g", c.h, c.m, got, c.want)
		}
	}
}

func TestCheckExit(t *testing.T) {
	// Entry: delta −0.20, spot 100, VIX 20, premium 1.00, 10 DTE.
	base := held{entryDelta: -0.20, delta: -0.25, entrySpot: 100, spot: 99, entryVIX: 20, vix: 21,
		entryPremium: 1.00, ask: 0.80, daysHeld: 2, dteAtEntry: 10}
	// Base: delta 0.25 < 0.40; 99 > 95; 21 < 23; captured 20 % < 2/10 + 15 % = 35 %.
	mod := func(f func(*held)) held { h := base; f(&h); return h }
	off := func(f func(*Config)) Config { c := Default(); f(&c); return c }
	for _, tc := range []struct {
		name string
		cfg  Config
		h    held
		want string
	}{
		{"hold", Default(), base, ""},
		{"delta at 2x", Default(), mod(func(h *held) { h.delta = -0.40 }), ReasonDeltaStop},
		{"delta below", Default(), mod(func(h *held) { h.delta = -0.399 }), ""},
		{"delta off", off(func(c *Config) { c.EnableDeltaStop = false }), mod(func(h *held) { h.delta = -0.5 }), ""},
		{"drop at 5%", Default(), mod(func(h *held) { h.spot = 95 }), ReasonStockDrop}, // 100 × 0.95
		{"drop 4.9%", Default(), mod(func(h *held) { h.spot = 95.1 }), ""},
		{"drop off", off(func(c *Config) { c.EnableStockDropStop = false }), mod(func(h *held) { h.spot = 90 }), ""},
		{"vix at 1.15x", Default(), mod(func(h *held) { h.vix = 23 }), ReasonVIXSpike}, // 20 × 1.15
		{"vix below", Default(), mod(func(h *held) { h.vix = 22.99 }), ""},
		{"vix off", off(func(c *Config) { c.EnableVIXSpikeStop = false }), mod(func(h *held) { h.vix = 30 }), ""},
		// Stops before the early exit, and the delta stop before the others.
		{"order", Default(), mod(func(h *held) { h.delta, h.spot, h.vix, h.ask = -0.5, 90, 30, 0.1 }), ReasonDeltaStop},
		{"order 2", Default(), mod(func(h *held) { h.spot, h.vix = 90, 30 }), ReasonStockDrop},
		// Day 2 of 10: target 0.2 + 0.15 = 0.35; ask 0.65 captures exactly 35 %.
		{"early at target", Default(), mod(func(h *held) { h.ask = 0.65 }), ReasonEarlyExit},
		{"early short", Default(), mod(func(h *held) { h.ask = 0.66 }), ""}, // 34 %
		// Day 5 of 10: target 0.65; ask 0.35 captures 65 %.
		{"early day 5", Default(), mod(func(h *held) { h.daysHeld, h.ask = 5, 0.35 }), ReasonEarlyExit},
		{"entry day", Default(), mod(func(h *held) { h.daysHeld, h.ask = 0, 0.01 }), ""},
		{"no ask", Default(), mod(func(h *held) { h.ask = math.NaN() }), ""},
		{"early off", off(func(c *Config) { c.EnableEarlyExit = false }), mod(func(h *held) { h.ask = 0.1 }), ""},
		// Day 9 of 10 with buffer 0.15: target 1.05, unreachable.
		{"late", Default(), mod(func(h *held) { h.daysHeld, h.ask = 9, 0 }), ""},
	} {
		got, detail := tc.cfg.checkExit(tc.h)
		if got != tc.want {
			t.Errorf("%s: %q (%s), want %q", tc.name, got, detail, tc.want)
		}
	}
}

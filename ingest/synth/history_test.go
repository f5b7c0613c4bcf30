package synth

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim/calendar"
)

func shippedOrFatal(t *testing.T, sym string) *Series {
	t.Helper()
	s, err := ShippedSeries(sym)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestHistoryDeterministic generates a market on real history twice with the
// same seed and input (byte-identical, manifest included) and once with
// another seed (every file but the bars and events differs).
func TestHistoryDeterministic(t *testing.T) {
	cfg := Config{Symbols: []string{"SPX"}, From: day("2018-01-29"), To: day("2018-02-09"), Seed: 5, Intraday: true,
		History: []*Series{shippedOrFatal(t, "SPY"), shippedOrFatal(t, "AAPL")},
		Chain:   ChainSpec{DailyDays: 1, Weeks: 2, Monthlies: 1, StdDevs: 1, MinWidth: 0.01, MaxWidth: 0.04, FineWidth: 0.01}}
	var dirs [3]string
	for k := range dirs {
		dirs[k] = t.TempDir()
		c := cfg
		c.OutDir = dirs[k]
		if k == 2 {
			c.Seed = 6
		}
		if _, err := Generate(context.Background(), c, nil); err != nil {
			t.Fatal(err)
		}
	}
	man, err := ReadManifest(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(man.Config.Symbols, ","); got != "AAPL,SPX,SPY" {
		t.Errorf("symbols %s, want the history symbols added: AAPL,SPX,SPY", got)
	}
	if man.Config.Derived["SPX"] != "SPY x 10 (real SPY bars)" {
		t.Errorf("manifest derived %v", man.Config.Derived)
	}
	if len(man.Config.History) != 2 || man.Config.History[1].Source != "shipped:SPY.csv" || len(man.Config.History[1].SHA256) != 64 {
		t.Errorf("manifest history %+v", man.Config.History)
	}
	differ := 0
	for _, rel := range append([]string{ManifestName}, relPaths(man)...) {
		a := readBytes(t, filepath.Join(dirs[0], rel))
		if b := readBytes(t, filepath.Join(dirs[1], rel)); !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same seed and input", rel)
		}
		if c, err := os.ReadFile(filepath.Join(dirs[2], rel)); err != nil || !bytes.Equal(a, c) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("another seed gives the same files")
	}
}

// TestHistoryMarket checks SPX = SPY × 10 to the cent, the real bars of
// AAPL, and VIX levels that follow realized volatility: high in the 2008
// crisis and March 2020, low in the calm of 2017.
func TestHistoryMarket(t *testing.T) {
	spy, aapl := shippedOrFatal(t, "SPY"), shippedOrFatal(t, "AAPL")
	days := calendar.TradingDays(day("2007-01-03"), day("2014-06-06"))
	idx, err := spy.window(days)
	if err != nil {
		t.Fatal(err)
	}
	m := historyMarket(days, spy, idx, 1)
	for i := range days {
		j := idx[i]
		if m.spx.close[i] != round2(10*spy.Close[j]) || m.spx.open[i] != round2(10*spy.Open[j]) {
			t.Fatalf("%s: SPX %g/%g, SPY %g/%g", days[i].Format("2006-01-02"), m.spx.open[i], m.spx.close[i], spy.Open[j], spy.Close[j])
		}
	}
	ai, err := aapl.window(days)
	if err != nil {
		t.Fatal(err)
	}
	u := historyUnderlying(profileOrFatal(t, "AAPL"), m, aapl, ai, nil)
	if k := len(days) - 1; u.bars.close[k] != round2(aapl.Close[ai[k]]) || !u.own {
		t.Errorf("AAPL close %g, real %g", u.bars.close[k], aapl.Close[ai[k]])
	}
	long := calendar.TradingDays(day("2007-01-03"), day("2021-03-31"))
	li, err := spy.window(long)
	if err != nil {
		t.Fatal(err)
	}
	lm := historyMarket(long, spy, li, 1)
	vix := func(d string) float64 {
		for i, x := range long {
			if x.Equal(day(d)) {
				return lm.vix.close[i]
			}
		}
		t.Fatalf("no %s", d)
		return 0
	}
	for _, c := range []struct {
		d      string
		lo, hi float64
	}{{"2008-10-24", 55, 110}, {"2020-03-16", 55, 110}, {"2017-06-01", 8, 16}, {"2019-12-02", 8, 16}, {"2018-02-05", 25, 50}} {
		if v := vix(c.d); !(v >= c.lo && v <= c.hi) {
			t.Errorf("VIX on %s = %.2f, want within [%g, %g]", c.d, v, c.lo, c.hi)
		}
	}
}

func profileOrFatal(t *testing.T, sym string) profile {
	t.Helper()
	p, err := profileFor(sym)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestVarianceNoLookAhead changes every bar after a day and checks the
// variance forecast up to that day does not move.
func TestVarianceNoLookAhead(t *testing.T) {
	s := shippedOrFatal(t, "SPY")
	a := s.realizedVariance()
	cut := 3000
	c := *s
	c.Close = append([]float64(nil), s.Close...)
	for j := cut + 1; j < len(c.Close); j++ {
		c.Close[j] *= 1.5
	}
	b := c.realizedVariance()
	for j := 0; j <= cut; j++ {
		if a[j] != b[j] {
			t.Fatalf("variance on %s moved with later bars", s.Days[j].Format("2006-01-02"))
		}
	}
	if a[cut+1] == b[cut+1] {
		t.Error("variance ignores the day's own return")
	}
}

// TestSplits finds AAPL's two splits in the raw series, none in SPY's, and
// refuses a window across one.
func TestSplits(t *testing.T) {
	aapl := shippedOrFatal(t, "AAPL")
	var got []string
	for _, s := range aapl.Splits() {
		if s.Date.Year() >= 2010 {
			got = append(got, fmt.Sprintf("%s %g", s.Date.Format("2006-01-02"), s.Ratio))
		}
	}
	if strings.Join(got, ",") != "2014-06-09 7,2020-08-31 4" {
		t.Errorf("AAPL splits since 2010: %v", got)
	}
	if s := shippedOrFatal(t, "SPY").Splits(); len(s) != 0 {
		t.Errorf("SPY splits %v", s)
	}
	cfg := Config{Symbols: []string{"AAPL"}, From: day("2014-06-02"), To: day("2014-06-13"), OutDir: t.TempDir(),
		History: []*Series{aapl}}
	_, err := Generate(context.Background(), cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "7:1 split on 2014-06-09") {
		t.Errorf("window across the split: %v", err)
	}
	cfg.From, cfg.To = day("2021-03-01"), day("2021-04-30")
	if _, err := Generate(context.Background(), cfg, nil); err == nil || !strings.Contains(err.Error(), "no bar for trading day 2021-04-01") {
		t.Errorf("window beyond the series: %v", err)
	}
}

func TestReadSeriesErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"date,open,high,low,close\n2020-01-02,1,2,0.5,1.5\n2020-01-02,1,2,0.5,1.5\n", "line 3: date 2020-01-02 is not after"},
		{"date,open,high,close\n", `no "low" column`},
		{"date,open,high,low,close\n2020-01-02,1,2,0.5,x\n", `line 2: close "x"`},
		{"date,open,high,low,close\n2020-1-2,1,2,0.5,1\n", "line 2: date"},
		{"date,open,high,low,close\n2020-01-02,1,1.2,0.5,1.5\n", "do not contain"},
		{"date,open,high,low,close\n", "no rows"},
	} {
		_, err := ReadSeries(strings.NewReader(c.in), "XYZ", "x.csv")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "x.csv") {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
	s, err := ReadSeries(strings.NewReader("Date,Close,Open,High,Low\n2020-01-02,1.5,1,2,0.5\n"), "XYZ", "x.csv")
	if err != nil || s.Close[0] != 1.5 || s.Volume[0] != 0 || math.IsNaN(s.Open[0]) {
		t.Errorf("columns in any order, volume optional: %+v %v", s, err)
	}
}

// TestHistoryPresetsCovered checks that every preset on real history has
// bars for each of its trading days and crosses no split.
func TestHistoryPresetsCovered(t *testing.T) {
	for _, name := range historyPresetNames() {
		c, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		days := calendar.TradingDays(c.From, c.To)
		for _, s := range c.History {
			if _, err := s.window(days); err != nil {
				t.Errorf("preset %s: %v", name, err)
			}
		}
	}
}

// TestRealPresetHasVolatileNames checks that the demo's preset gives the CSP
// scanner names it can trade: its defaults (0.15 % of the strike a day from
// a put at most 90 % of the price, 10 days out) want about 80 % implied
// volatility, so at least two simulated names must have about 75 % annual
// volatility before the implied premium (SPY's 2016-2019 realized is about
// 13 %).
func TestRealPresetHasVolatileNames(t *testing.T) {
	c, err := Preset("real")
	if err != nil {
		t.Fatal(err)
	}
	const market = 0.13
	var volatile []string
	for _, sym := range c.Symbols {
		p, err := profileFor(sym)
		if err != nil {
			t.Fatal(err)
		}
		v := math.Hypot(p.beta*market, p.idioVol)
		if c.historyFor(sym) == nil && p.kind == kindStock && v*ivPremium >= 0.78 {
			volatile = append(volatile, sym)
		}
	}
	if len(volatile) < 2 {
		t.Errorf("preset real: volatile simulated names %v, want at least 2", volatile)
	}
}

package synth

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/osi"
	"github.com/optsweep/sweep/sim/calendar"
)

func TestParseSplit(t *testing.T) {
	cases := []struct {
		in   string
		want SymbolSplit
		err  string
	}{
		{"aapl=2024-02-12:4", SymbolSplit{"AAPL", time.Date(2024, 2, 12, 0, 0, 0, 0, time.UTC), 4}, ""},
		{"NVDA=2024-06-10:10", SymbolSplit{"NVDA", time.Date(2024, 6, 10, 0, 0, 0, 0, time.UTC), 10}, ""},
		{"AAPL:4", SymbolSplit{}, "want SYM=YYYY-MM-DD:RATIO"},
		{"AAPL=2024-13-01:4", SymbolSplit{}, "ex-date"},
		{"AAPL=2024-02-12:four", SymbolSplit{}, "ratio"},
	}
	for _, c := range cases {
		got, err := ParseSplit(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want one containing %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

// TestSplitConfigRefused lists the splits the generator refuses, each with an
// error that says why.
func TestSplitConfigRefused(t *testing.T) {
	for _, c := range []struct{ split, err string }{
		{"AAPL=2024-02-12:1.5", "whole number"},
		{"AAPL=2024-02-12:0.1", "whole number"},
		{"SPY=2024-02-12:4", "follows the index"},
		{"SPX=2024-02-12:4", "follows the index"},
		{"TSLA=2024-02-12:4", "not among the symbols"},
		{"AAPL=2024-02-10:4", "not a trading day"},
		{"AAPL=2024-01-02:4", "must fall after"},
		{"AAPL=2024-06-03:4", "must fall after"},
	} {
		cfg, _ := Preset("small")
		cfg.OutDir = t.TempDir()
		sp, err := ParseSplit(c.split)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Splits = []SymbolSplit{sp}
		if _, err := cfg.normalize(); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: error %v, want one containing %q", c.split, err, c.err)
		}
	}
}

// TestSplitChains generates the small market with AAPL splitting 4-for-1 and
// checks the chain as the files carry it, through the readback: every AAPL
// contract listed on the ex-date is a contract of the day before at a quarter
// of the strike, or a strike of the new grid, and the bars drop by the ratio.
func TestSplitChains(t *testing.T) {
	cfg, _ := Preset("small")
	cfg.OutDir = t.TempDir()
	cfg.To = time.Date(2024, 2, 16, 0, 0, 0, 0, time.UTC)
	ex := time.Date(2024, 2, 12, 0, 0, 0, 0, time.UTC)
	cfg.Splits = []SymbolSplit{{Symbol: "AAPL", Date: ex, Ratio: 4}}
	m, err := Generate(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Config.Splits) != 1 || m.Config.Splits[0] != "AAPL=2024-02-12:4" {
		t.Errorf("manifest splits %v", m.Config.Splits)
	}
	norm, err := cfg.normalize()
	if err != nil {
		t.Fatal(err)
	}
	g, err := newGen(norm, calendar.TradingDays(norm.From, norm.To))
	if err != nil {
		t.Fatal(err)
	}
	var aapl *underlying
	for _, u := range g.unds {
		if u.prof.symbol == "AAPL" {
			aapl = u
		}
	}
	var found bool
	for _, e := range g.events {
		if e.kind == KindSplit && e.symbol == "AAPL" && e.date.Equal(ex) && e.amount == 4 {
			found = true
		}
	}
	if !found {
		t.Error("no split event for AAPL on the ex-date")
	}
	i := 0
	for !g.days[i].Equal(ex) {
		i++
	}
	if r := aapl.bars.close[i-1] / aapl.bars.open[i]; r < 3.6 || r > 4.4 {
		t.Errorf("AAPL's close before the ex-date over its open on it: %.3f, want about 4", r)
	}
	before := map[string]bool{}
	c := &chain{u: aapl, splitAt: -1}
	for k := 0; k < i; k++ {
		c.update(g.m, k, &g.cfg.Chain)
	}
	for _, s := range c.series {
		for _, ct := range s.con {
			before[fmt.Sprint(s.expiry.Format(time.DateOnly), "/", ct.strike/4)] = true
		}
	}
	c.split(4, aapl.bars.close[i])
	c.update(g.m, i, &g.cfg.Chain)
	converted := 0
	for _, s := range c.series {
		for _, ct := range s.con {
			key := fmt.Sprint(s.expiry.Format(time.DateOnly), "/", ct.strike)
			if before[key] {
				converted++
			} else if ct.strike%s.fine != 0 {
				t.Errorf("%s: neither a converted strike nor on the new %d grid", key, s.fine)
			}
			sym := osi.Symbol{Root: s.root, Expiry: s.expiry, PutCall: 'P', Strike: float64(ct.strike) / 1000}
			if ct.side[put].osi != osi.Format(sym) {
				t.Errorf("%s: symbol %q", key, ct.side[put].osi)
			}
		}
	}
	if converted == 0 {
		t.Error("no contract of the day before the split is listed at a quarter of its strike")
	}
}

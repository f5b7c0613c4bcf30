package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/optsweep/sweep/ingest/synth"
)

func genCommand() *command {
	c := &command{
		name:  "gen",
		usage: "sweep gen [--preset NAME] [--history FILE|SYM=FILE|shipped:SYM ...] [--symbols SPY,AAPL] [--from DATE --to DATE] [--seed N] [--split SYM=DATE:RATIO ...] [--intraday] [--out DIR]",
		short: "generate a synthetic options market as DBN files",
		long: `Generate a synthetic US options market and write it as real DBN files (OPRA.PILLAR
definitions, cbbo-1m quotes, open interest and daily bars; stock, ETF and index daily
bars; an events.csv of earnings, ex-dividend and FOMC dates) plus manifest.json, which
lists the files in the order to ingest them:

  sweep gen --preset demo --out data/synth
  sweep ingest data/synth             # or let "sweep demo" do both

Prices follow stochastic volatility with jumps on NYSE trading days; VIX and VIX3M
follow the index's volatility; option IVs have put skew, a term structure and an
earnings run-up and crush; chains follow real strike grids and expiration cycles
(SPX AM monthlies and SPXW PM weeklies and dailies). The same flags and seed give
byte-identical files.

Presets: small (3 symbols x 3 months, for tests), demo (SPX, SPY, AAPL x 2 years),
spy-5y (SPY x 5 years, several thousand contracts a day), universe (100 large
stocks x 2 years with single-stock chains, for universe scans; --symbols with
a subset of them, e.g. the first 10, makes a smaller universe). --symbols, --from, --to
and --seed override the preset; any 1-6 letter ticker works (unknown ones get a
plausible profile derived from the name).

Real history: --history drives an underlying by real daily bars instead of a
random path (a CSV of date,open,high,low,close[,volume]; SYM=FILE names the
symbol, else the file's name does; shipped:SYM uses the bars shipped with sweep:
SPY, QQQ, IWM and AAPL, 1998-01-02..2021-03-31, from QuantConnect LEAN's sample
data, Apache-2.0). Options are priced on the real closes with a volatility
surface whose level follows the series' realized volatility (a GJR-GARCH
forecast from past returns only). SPY's history also drives the market: SPX is
generated as SPY x 10 (named so in the manifest), and VIX and VIX3M are derived
from SPY's volatility: they are synthetic, not the CBOE's. Earnings and
dividend dates stay synthetic; other symbols are simulated on SPY's real
returns. A window that crosses a split in a series (AAPL 7:1 on 2014-06-09, 4:1
on 2020-08-31) is refused: use dates that do not cross it.

Splits: --split SYM=YYYY-MM-DD:RATIO (repeatable; e.g. --split NVDA=2017-06-01:4)
splits a simulated stock or ETF RATIO-for-one with that ex-date: its bars as
traded drop by the ratio from the ex-date on (volume and later dividends too),
every listed contract becomes RATIO contracts of 100 shares at the strike over
the ratio under its new OSI symbol (open interest times the ratio), as OCC
adjusts a whole-number split, and events.csv carries a split event (kind split,
amount RATIO) that the backtester converts open positions by. Whole-number
ratios only (3:2 and reverse splits leave contracts delivering other than 100
shares); not for SPX, SPY or symbols on real history.

  sweep gen --preset real --out data/real       # the demo's: SPY, AAPL real 2016-2019; SPX = SPY x 10
  sweep gen --preset demo --history shipped:SPY --from 2008-01-02 --to 2009-12-31

Presets on real history: real (the demo's), real-2008, real-2020.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		preset := fs.String("preset", "demo", "size `preset`: "+strings.Join(synth.PresetNames(), ", "))
		symbols := fs.String("symbols", "", "comma-separated option underlyings, e.g. SPX,SPY,AAPL (default: the preset's)")
		from := fs.String("from", "", "first `date`, YYYY-MM-DD (default: the preset's)")
		to := fs.String("to", "", "last `date`, YYYY-MM-DD, inclusive (default: the preset's)")
		seed := fs.Int64("seed", 0, "random `seed` (0 keeps the preset's)")
		intraday := fs.Bool("intraday", false, "also write minute quotes of each day's 0DTE chains")
		out := fs.String("out", "data/synth", "output `directory`")
		var hist historyFlags
		var splits splitFlags
		fs.Var(&splits, "split", "split a simulated stock: `SYM=YYYY-MM-DD:RATIO` (repeatable; ratio 2, 3, 4, ...)")
		fs.Var(&hist, "history", "drive an underlying by real daily bars: `FILE`, SYM=FILE or shipped:SYM (repeatable)")
		if err := parseFlags(fs, args, s); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return usageErrorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
		}
		cfg, err := synth.Preset(*preset)
		if err != nil {
			return usageErrorf("%v", err)
		}
		if *symbols != "" {
			cfg.Symbols = strings.Split(*symbols, ",")
		}
		for _, d := range []struct {
			flag, val string
			dst       *time.Time
		}{{"--from", *from, &cfg.From}, {"--to", *to, &cfg.To}} {
			if d.val == "" {
				continue
			}
			t, err := time.Parse(time.DateOnly, d.val)
			if err != nil {
				return usageErrorf("%s %q: want a date as YYYY-MM-DD", d.flag, d.val)
			}
			*d.dst = t
		}
		if *seed != 0 {
			cfg.Seed = *seed
		}
		cfg.Intraday, cfg.OutDir = *intraday, *out
		cfg.Splits = append(cfg.Splits, splits...)
		if err := loadHistories(&cfg, hist); err != nil {
			return err
		}
		return runGen(ctx, cfg, s)
	}
	return c
}

func runGen(ctx context.Context, cfg synth.Config, s stdio) error {
	start := time.Now()
	fmt.Fprintf(s.err, "generating %s, %s..%s, seed %d -> %s\n", strings.Join(cfg.Symbols, ","),
		cfg.From.Format(time.DateOnly), cfg.To.Format(time.DateOnly), cfg.Seed, cfg.OutDir)
	for _, h := range cfg.HistorySources() {
		fmt.Fprintf(s.err, "  %s on real daily bars from %s%s\n", h.Symbol, h.Source, spxNote(h.Symbol))
	}
	m, err := synth.Generate(ctx, cfg, progressPrinter(s.err, "day"))
	if err != nil {
		return err
	}
	type sum struct {
		files          int
		records, bytes int64
	}
	var order []string
	by := map[string]*sum{}
	for _, f := range m.Files {
		key := f.Schema
		if key == "" {
			key = f.Kind
		}
		if by[key] == nil {
			by[key] = &sum{}
			order = append(order, key)
		}
		by[key].files++
		by[key].records += f.Records
		by[key].bytes += f.Bytes
	}
	tw := tabwriter.NewWriter(s.out, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "schema\tfiles\trecords\tMB\t")
	for _, k := range order {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t\n", k, by[k].files, by[k].records, float64(by[k].bytes)/1e6)
	}
	files, records, bytes := m.Totals()
	fmt.Fprintf(tw, "total\t%d\t%d\t%.1f\t\n", files, records, float64(bytes)/1e6)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "wrote %s in %.1fs; load it with: sweep ingest %s\n", cfg.OutDir, time.Since(start).Seconds(), cfg.OutDir)
	return nil
}

// splitFlags collects --split flags.
type splitFlags []synth.SymbolSplit

func (f *splitFlags) String() string { return fmt.Sprint(len(*f), " splits") }

func (f *splitFlags) Set(v string) error {
	sp, err := synth.ParseSplit(v)
	if err != nil {
		return err
	}
	*f = append(*f, sp)
	return nil
}

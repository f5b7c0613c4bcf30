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
		usage: "sweep gen [--preset small|demo|spy-5y] [--symbols SPY,AAPL] [--from DATE --to DATE] [--seed N] [--intraday] [--out DIR]",
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
spy-5y (SPY x 5 years, several thousand contracts a day). --symbols, --from, --to
and --seed override the preset; any 1-6 letter ticker works (unknown ones get a
plausible profile derived from the name).`,
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
		return runGen(ctx, cfg, s)
	}
	return c
}

func runGen(ctx context.Context, cfg synth.Config, s stdio) error {
	start := time.Now()
	fmt.Fprintf(s.err, "generating %s, %s..%s, seed %d -> %s\n", strings.Join(cfg.Symbols, ","),
		cfg.From.Format(time.DateOnly), cfg.To.Format(time.DateOnly), cfg.Seed, cfg.OutDir)
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

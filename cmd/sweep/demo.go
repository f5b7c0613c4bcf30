package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/ingest/synth"
	"github.com/optsweep/sweep/report"
	"github.com/optsweep/sweep/sim/why"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/grid"
	"github.com/optsweep/sweep/sweep/results"
)

// demoMarketDB is the market store "sweep demo" writes with its default --dir.
const demoMarketDB = "demo/market.duckdb"

func demoCommand() *command {
	c := &command{
		name:  "demo",
		usage: "sweep demo [flags]",
		short: "run the whole pipeline on a market built on real price history (start here)",
		long: `Run the main job end to end on embedded defaults, with nothing to download:

  1. generate a market as real DBN files: SPY and AAPL on their real daily bars
     2016-2019 (shipped with sweep, from QuantConnect LEAN's sample data), SPX as
     SPY x 10, NVDA, TSLA, AMD and FCX simulated on SPY's real returns (the
     high-volatility names the CSP scanner looks for); option chains priced
     with skewed IV surfaces whose level follows each series' realized
     volatility, VIX and VIX3M derived from SPY's (synthetic, not the CBOE's),
     real strike grids and expiration cycles, synthetic earnings and dividends
     (--preset demo: the fully synthetic market instead)
  2. ingest them into a DuckDB market store
  3. backtest every seed strategy with its default settings (the wheel, the
     CSP scanner, monthly SPX condors, Optimus, IV-rank spreads, earnings
     strangles), record each as a run in a results DB and print one line per
     strategy: trades, win rate, net P&L, and for one that trades rarely the
     gate that turned it down most
  4. write the example grid to grid.yaml (12 wheel cells) and run it over the
     generated dates, as "sweep run" would
  5. write the HTML reports: the sweep's, one per backtest and a comparison

Everything lands under --dir; running the demo again reuses the generated files,
skips files already ingested and replaces the backtests' runs.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		dir := fs.String("dir", "demo", "output `directory`")
		preset := fs.String("preset", "real", "market preset: "+strings.Join(synth.PresetNames(), ", "))
		seed := fs.Int64("seed", 0, "random `seed` (0 keeps the preset's)")
		if err := parseFlags(fs, args, s); err != nil {
			return err
		}
		cfg, err := synth.Preset(*preset)
		if err != nil {
			return usageErrorf("%v", err)
		}
		if *seed != 0 {
			cfg.Seed = *seed
		}
		cfg.OutDir = filepath.Join(*dir, "synth")
		return runDemo(ctx, cfg, filepath.Join(*dir, "market.duckdb"), s)
	}
	return c
}

func runDemo(ctx context.Context, cfg synth.Config, dbPath string, s stdio) error {
	start := time.Now()
	fmt.Fprintf(s.out, "== 1/5 generate a market: %s, %s..%s, seed %d -> %s\n",
		strings.Join(cfg.Symbols, ","), cfg.From.Format(time.DateOnly), cfg.To.Format(time.DateOnly), cfg.Seed, cfg.OutDir)
	for _, h := range cfg.HistorySources() {
		fmt.Fprintf(s.out, "   %s on real daily bars (%s)%s\n", h.Symbol, h.Source, spxNote(h.Symbol))
	}
	m, err := generateOnce(ctx, cfg, s.err)
	if err != nil {
		return err
	}
	files, records, bytes := m.Totals()
	fmt.Fprintf(s.out, "   %d files, %d records, %.1f MB\n", files, records, float64(bytes)/1e6)

	fmt.Fprintf(s.out, "== 2/5 ingest into %s\n", dbPath)
	st, err := market.Open(dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := ingestFiles(ctx, st, m.Paths(cfg.OutDir, ""), market.Options{Intraday: cfg.Intraday}, io.Discard, s.out, s.err,
		progressPrinter(s.err, "ingest")); err != nil {
		return err
	}
	if err := printStoreSummary(ctx, st, s.out); err != nil {
		return err
	}
	if err := printSampleChain(ctx, st, cfg.Symbols, s.out); err != nil {
		return err
	}
	if err := st.Close(); err != nil { // the backtests open it read-only
		return err
	}
	out := filepath.Join(filepath.Dir(dbPath), "results.duckdb")
	bts, err := demoBacktests(ctx, cfg, dbPath, out, s)
	if err != nil {
		return err
	}
	gridPath, sweepID, err := demoSweep(ctx, cfg, dbPath, out, s)
	if err != nil {
		return err
	}
	reports, err := demoReports(ctx, out, sweepID, bts, s)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, `done in %.1fs. Open the report: %s
Next:
  sweep query --db %s "%s"
  sweep plan --db %s --out %s %s     (edit the grid, then "sweep run" it the same way)
  sweep report --db %s --sweep %s -o sweep.html
`, time.Since(start).Seconds(), reports, out, results.ExampleRunStatus, dbPath, out, gridPath, out, sweepID)
	return nil
}

// demoReports writes the sweep's report (report.html) next to the results DB,
// a report of each backtest and a comparison of them with the sweep's best
// cell, and returns the sweep report's path.
func demoReports(ctx context.Context, out, sweepID string, backtests []string, s stdio) (string, error) {
	dir := filepath.Dir(out)
	fmt.Fprintf(s.out, "== 5/5 reports -> %s\n", dir)
	main := filepath.Join(dir, "report.html")
	err := writeHTML(ctx, out, main, func(db *results.DB, buf *bytes.Buffer) error {
		return report.SweepReport(ctx, db, buf, out, sweepID, report.DefaultMetric)
	})
	if err != nil {
		return "", err
	}
	fmt.Fprintf(s.out, "sweep     %s\n", main)
	for _, id := range backtests {
		path := filepath.Join(dir, "report-"+safeName(id)+".html")
		err := writeHTML(ctx, out, path, func(db *results.DB, buf *bytes.Buffer) error {
			return report.RunReport(ctx, db, buf, out, id, report.DefaultMetric)
		})
		if err != nil {
			return "", err
		}
		fmt.Fprintf(s.out, "backtest  %s\n", path)
	}
	if len(backtests) > 0 {
		path := filepath.Join(dir, "compare.html")
		err := writeHTML(ctx, out, path, func(db *results.DB, buf *bytes.Buffer) error {
			return report.CompareReport(ctx, db, buf, out, append(slices.Clone(backtests), sweepID), report.DefaultMetric)
		})
		if err != nil {
			return "", err
		}
		fmt.Fprintf(s.out, "compare   %s\n", path)
	}
	return main, nil
}

//go:embed demo_grid.yaml
var demoGrid []byte

// demoSweep writes the demo grid next to the market DB and runs it over the
// generated dates.
func demoSweep(ctx context.Context, cfg synth.Config, db, out string, s stdio) (path, runID string, err error) {
	path = filepath.Join(filepath.Dir(db), "grid.yaml")
	if err := os.WriteFile(path, demoGrid, 0o644); err != nil {
		return "", "", err
	}
	fmt.Fprintf(s.out, "== 4/5 sweep the grid %s -> %s\n", path, out)
	o := runOptions{grid: path, db: db, out: out, workers: runtime.NumCPU(), maxParts: 2, progress: "auto", detail: "trades",
		env: func(string) string { return "" }, cache: filepath.Join(filepath.Dir(db), "cache"),
		window: &grid.Window{From: cfg.From, To: cfg.To}}
	r, err := runGrid(ctx, o, s)
	if err != nil {
		return "", "", err
	}
	return path, r.RunID, nil
}

// demoRuns are the demo's backtests: every seed strategy with its default
// settings, on the symbols it trades.
var demoRuns = []struct {
	strategy string
	symbols  []string
}{
	{"wheel", []string{"SPY"}},
	{"csp", []string{"SPY", "AAPL", "NVDA", "TSLA", "AMD", "FCX"}},
	{"condor-monthly", []string{"SPX"}},
	{"optimus", []string{"SPX"}},
	{"ivrank", []string{"SPY"}},
	{"earnings", []string{"AAPL", "NVDA", "TSLA"}},
}

// demoBacktests runs the demo's backtests over the generated range, prints
// one line per strategy (trades, win rate, P&L; for one that trades rarely,
// the gate that turned it down most) and returns their run ids.
func demoBacktests(ctx context.Context, cfg synth.Config, db, out string, s stdio) ([]string, error) {
	fmt.Fprintf(s.out, "== 3/5 backtest every seed strategy with its defaults, %s..%s -> %s\n",
		cfg.From.Format(time.DateOnly), cfg.To.Format(time.DateOnly), out)
	tw := tabwriter.NewWriter(s.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "   strategy\tsymbols\ttrades\twin rate\tnet P&L\trun")
	var ids, notes []string
	for _, r := range demoRuns {
		syms := intersect(r.symbols, cfg.Symbols)
		if len(syms) == 0 {
			continue
		}
		o := backtestOptions{strategy: r.strategy, symbols: syms, from: cfg.From, to: cfg.To,
			db: db, out: out, model: feed.DefaultOptions(), quiet: true}
		res, err := backtest(ctx, o, io.Discard)
		if err != nil {
			return nil, fmt.Errorf("backtest %s: %w", r.strategy, err)
		}
		m := res.Metrics
		fmt.Fprintf(tw, "   %s\t%s\t%d\t%.1f%%\t$%.2f\t%s\n", r.strategy, strings.Join(syms, ","), m.Trades, 100*m.WinRate, m.NetPnL, res.RunID)
		if m.Trades < why.Rare {
			d := why.Diagnose(r.strategy, len(res.Result.Days), res.Result.Notes)
			if _, ok := d.Top(); ok {
				notes = append(notes, fmt.Sprintf("   %s trades rarely: %s", r.strategy, d.Lines(1)[0]))
			}
		}
		ids = append(ids, res.RunID)
	}
	if err := tw.Flush(); err != nil {
		return nil, err
	}
	for _, n := range notes {
		fmt.Fprintln(s.out, n)
	}
	return ids, nil
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// generateOnce generates cfg unless its output directory already holds a manifest
// of the same configuration (generation is deterministic, so it would be identical).
func generateOnce(ctx context.Context, cfg synth.Config, progress io.Writer) (*synth.Manifest, error) {
	if m, err := synth.ReadManifest(cfg.OutDir); err == nil {
		c := m.Config
		if c.Seed == cfg.Seed && c.From == cfg.From.Format(time.DateOnly) && c.To == cfg.To.Format(time.DateOnly) &&
			sameSymbols(c.Symbols, cfg) && c.Intraday == cfg.Intraday && c.Chain == cfg.Chain &&
			slices.Equal(c.History, cfg.HistorySources()) && allExist(m.Paths(cfg.OutDir, "")) {
			fmt.Fprintf(progress, "   reusing %s (same configuration)\n", cfg.OutDir)
			return m, nil
		}
	}
	return synth.Generate(ctx, cfg, progressPrinter(progress, "generate"))
}

func allExist(paths []string) bool {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}

// progressPrinter returns a progress callback that rewrites one line on a terminal
// and prints a line per 10% otherwise.
func progressPrinter(w io.Writer, what string) func(done, total int) {
	tty := isTerminal(w)
	last := -1
	start := time.Now()
	return func(done, total int) {
		if total <= 0 {
			return
		}
		pct := done * 100 / total
		if tty {
			eta := ""
			if done > 0 && done < total {
				rest := time.Duration(float64(time.Since(start)) * float64(total-done) / float64(done))
				eta = fmt.Sprintf(", ETA %s", rest.Round(time.Second))
			}
			fmt.Fprintf(w, "\r   %s %d/%d (%d%%%s)   ", what, done, total, pct, eta)
			if done == total {
				fmt.Fprintln(w)
			}
			return
		}
		if pct/10 != last/10 || done == total {
			last = pct
			fmt.Fprintf(w, "   %s %d/%d (%d%%)\n", what, done, total, pct)
		}
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// printStoreSummary shows what the market store holds.
func printStoreSummary(ctx context.Context, st *market.Store, w io.Writer) error {
	sum, err := st.Summary(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "   table\trows\tfrom\tto\tsymbols")
	for _, t := range sum {
		fmt.Fprintf(tw, "   %s\t%d\t%s\t%s\t%s\n", t.Table, t.Rows, t.From, t.To, t.Symbols)
	}
	return tw.Flush()
}

// printSampleChain shows a few strikes around the money of the expiration nearest
// 30 days out, on the last day in the store, for the first ETF or stock symbol.
func printSampleChain(ctx context.Context, st *market.Store, symbols []string, w io.Writer) error {
	sym := symbols[len(symbols)-1]
	for _, s := range symbols {
		if s == "SPY" {
			sym = s
		}
	}
	chain, err := st.SampleChain(ctx, sym)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	for i, r := range chain {
		if i == 0 {
			fmt.Fprintf(w, "   %s on %s (close %.2f), expiration %s:\n", sym, r.Day, r.Spot, r.Expiration)
			fmt.Fprintln(tw, "put bid\tput ask\tput OI\tstrike\tcall bid\tcall ask\tcall OI\t")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f\t%s\t%s\t%s\t\n", fmtPx(r.PutBid), fmtPx(r.PutAsk), fmtOI(r.PutOI), r.Strike,
			fmtPx(r.CallBid), fmtPx(r.CallAsk), fmtOI(r.CallOI))
	}
	return tw.Flush()
}

func fmtPx(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *p)
}

func fmtOI(n *int64) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}

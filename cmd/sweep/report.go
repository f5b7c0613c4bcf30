package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/optsweep/sweep/report"
	"github.com/optsweep/sweep/sweep/results"
)

func reportCommand() *command {
	c := &command{
		name:  "report",
		usage: "sweep report (--run ID | --sweep ID | --scan ID) [--db runs/results.duckdb] [--metric sharpe] [-o FILE]\n       sweep report --live live.duckdb --run NAME [-o FILE]",
		short: "write a single-file HTML report for a run or a sweep",
		long: `Report writes one HTML file that opens offline (no network, no CDN): the
charts are inline SVG and the tables sort when a heading is clicked.

--run ID reports one run: a backtest's run id, a sweep's run id (its best
cell by --metric), or a cell key (8 or more characters of it). It shows the
metrics (CAGR, Sharpe, Sortino, Calmar, max drawdown and its duration, win
rate, profit factor, expectancy, P&L and fees, days held), the equity curve
with its high-water mark, the underwater drawdown, monthly returns, a rolling
Sharpe ratio, the trade P&L distribution, exit reasons, P&L by symbol and by
phase (the wheel's puts, calls and stock), and the configuration, engine
version and data fingerprint that reproduce it.

--sweep ID reports a sweep: heatmaps of --metric over each pair of varied
parameters (the others held at the best cell's values), the metric along
each parameter, the best cell's neighbourhood (a plateau or a lone spike?),
in-sample against out-of-sample for a walk-forward, and every cell ranked.

Without -o the file is report-<ID>.html (sweep-<ID>.html for --sweep).
Run ids are listed by: sweep query "` + results.ExampleRunIDs + `"`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		db := fs.String("db", "runs/results.duckdb", "results `DB` (opened read-only)")
		run := fs.String("run", "", "run `ID`, or cell key, to report")
		sweepID := fs.String("sweep", "", "sweep run `ID` to report")
		scanID := fs.String("scan", "", "`sweep scan` ID to report (its outcome table)")
		metric := fs.String("metric", report.DefaultMetric, "`metric` (a cell_metrics column) that picks the best cell")
		out := fs.String("o", "", "output `file`")
		liveJournal := fs.String("live", "", "report the live run --run of this live `journal` (sweep live)")
		pos, err := parseInterleaved(fs, args, s)
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageErrorf("unexpected arguments %v (give the run with --run or --sweep)", pos)
		}
		if *liveJournal != "" {
			return liveReport(ctx, *liveJournal, *run, *out, s)
		}
		if *scanID != "" && *run == "" && *sweepID == "" {
			return scanReport(ctx, s, *db, *scanID, *out)
		}
		if (*run == "") == (*sweepID == "") {
			return usageErrorf("give one of --run ID or --sweep ID (or --scan ID)")
		}
		if err := checkMetric(*metric); err != nil {
			return err
		}
		id, prefix, build := *run, "report-", report.RunReport
		if *sweepID != "" {
			id, prefix, build = *sweepID, "sweep-", report.SweepReport
		}
		if *out == "" {
			*out = prefix + safeName(id) + ".html"
		}
		err = writeHTML(ctx, *db, *out, func(rdb *results.DB, buf *bytes.Buffer) error {
			return build(ctx, rdb, buf, *db, id, *metric)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(s.out, "report: %s\n", *out)
		return nil
	}
	return c
}

func compareCommand() *command {
	c := &command{
		name:  "compare",
		usage: "sweep compare [--db runs/results.duckdb] [--metric sharpe] [-o compare.html] ID_A ID_B ...",
		short: "compare runs side by side in one HTML file",
		long: `Compare writes one offline HTML file with the runs' metrics side by side (the
best of each row marked), their equity (as growth of 100) and drawdowns
overlaid, and the parameters that differ. Each ID is a backtest's run id, a
sweep's run id (its best cell by --metric) or a cell key.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		db := fs.String("db", "runs/results.duckdb", "results `DB` (opened read-only)")
		metric := fs.String("metric", report.DefaultMetric, "`metric` that picks a sweep's best cell")
		out := fs.String("o", "compare.html", "output `file`")
		ids, err := parseInterleaved(fs, args, s)
		if err != nil {
			return err
		}
		if len(ids) < 2 {
			return usageErrorf("want at least two run ids or cell keys, got %d", len(ids))
		}
		if err := checkMetric(*metric); err != nil {
			return err
		}
		err = writeHTML(ctx, *db, *out, func(rdb *results.DB, buf *bytes.Buffer) error {
			return report.CompareReport(ctx, rdb, buf, *db, ids, *metric)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(s.out, "compare: %s\n", *out)
		return nil
	}
	return c
}

// checkMetric accepts the numeric columns of cell_metrics.
func checkMetric(m string) error {
	for _, c := range results.MetricColumns() {
		if c == m {
			return nil
		}
	}
	return usageErrorf("--metric %q: want one of %s", m, strings.Join(results.MetricColumns(), ", "))
}

// writeHTML opens the results DB read-only, renders into memory with fill
// and writes the file whole (through a temporary file and a rename), so a
// failed report leaves no half-written file.
func writeHTML(ctx context.Context, dbPath, out string, fill func(*results.DB, *bytes.Buffer) error) error {
	if _, err := os.Stat(dbPath); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("results DB %s does not exist (run `sweep demo` or `sweep run GRID.yaml` first, or pass --db)", dbPath)
	}
	rdb, err := results.OpenReadOnly(dbPath)
	if err != nil {
		return err
	}
	defer rdb.Close()
	var buf bytes.Buffer
	if err := fill(rdb, &buf); err != nil {
		if errors.Is(err, report.ErrNotFound) {
			return fmt.Errorf("%w (list the runs: sweep query --db %s \"%s\")", err, dbPath, results.ExampleRunIDs)
		}
		return err
	}
	if dir := filepath.Dir(out); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		os.Remove(tmp) // a full disk leaves a partial file: never keep it
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// safeName keeps the characters of id that are safe in a file name.
func safeName(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, id)
}

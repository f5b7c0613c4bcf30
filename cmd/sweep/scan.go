package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"bytes"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/report"
	"github.com/optsweep/sweep/sweep/results"
	"github.com/optsweep/sweep/sweep/scan"
)

func scanCommand() *command {
	c := &command{
		name:  "scan",
		usage: "sweep scan --symbol S --from D --to D [--set name=value]... [flags]",
		short: "outcome distribution of a legs structure by DTE × delta bucket",
		long: `Scan enters the legs strategy's structure (--set preset=…, legs[i].… and
its exits, as "sweep strategies legs" lists them) on every trading day of the
window with leg 0 on every contract of its right whose days to expiry and
|delta| fall in the buckets, independent of cash and open positions, follows
each entry to its exit by the same rules as the strategy (filled at the mids,
no fees; an expiring leg at its intrinsic value), and prints the distribution
of P&L per unit by bucket: count, mean, standard deviation, quartiles, win
rate, profit factor. The table goes to the results DB (tables scans and
scan_buckets) and to "sweep report --scan ID".

Entry gates apply (min_credit, max_debit, min_credit_width, min_open_interest,
liquidity_check with the execution liquidity tiers); the signal, weekdays and
max_open do not. Outcomes still open at the end of the window are counted
apart (n_open) and left out of the statistics.

Example, the distribution optopsy's short_puts gives:

  sweep scan --db demo/market.duckdb --out demo/results.duckdb --symbol SPY \
    --from 2023-01-03 --to 2024-12-31 --set preset=short_put \
    --set take_profit=0 --set stop_multiple=0 --set liquidity_check=false`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		set := assignments{}
		o := scan.DefaultOptions()
		sym := fs.String("symbol", "", "underlying (required)")
		from := fs.String("from", "", "first trading date, YYYY-MM-DD (required)")
		to := fs.String("to", "", "last trading date, YYYY-MM-DD (required)")
		fs.Var(set, "set", "legs or execution parameter `name=value` (repeatable)")
		db := fs.String("db", "data/market.duckdb", "market DB")
		out := fs.String("out", "runs/results.duckdb", "results DB")
		dte := fs.String("dte", joinInts(o.Buckets.DTE), "DTE bucket `edges`, ascending")
		delta := fs.String("delta", joinFloats(o.Buckets.Delta), "|delta| bucket `edges`, ascending")
		fs.Float64Var(&o.Model.Rate, "rate", o.Model.Rate, "risk-free rate for greeks (continuous)")
		fs.Float64Var(&o.Model.Dividend, "dividend", o.Model.Dividend, "dividend yield for greeks (continuous)")
		quiet := fs.Bool("q", false, "print only the summary line")
		if err := parseFlags(fs, args, s); err != nil {
			return err
		}
		if *sym == "" || *from == "" || *to == "" {
			return usageErrorf("--symbol, --from and --to are required")
		}
		o.Symbol, o.Set = strings.ToUpper(strings.TrimSpace(*sym)), set
		var err error
		if o.From, err = time.Parse(time.DateOnly, *from); err != nil {
			return usageErrorf("--from %q: want YYYY-MM-DD", *from)
		}
		if o.To, err = time.Parse(time.DateOnly, *to); err != nil {
			return usageErrorf("--to %q: want YYYY-MM-DD", *to)
		}
		if o.Buckets.DTE, err = parseInts(*dte); err != nil {
			return usageErrorf("--dte: %v", err)
		}
		if o.Buckets.Delta, err = parseFloats(*delta); err != nil {
			return usageErrorf("--delta: %v", err)
		}
		if _, _, err := scan.Config(set); err != nil {
			return usageErrorf("%v", err)
		}
		if _, err := os.Stat(*db); err != nil {
			return fmt.Errorf("market DB %s: %w (run `sweep demo` or `sweep ingest` first)", *db, err)
		}
		st, err := market.OpenReadOnly(*db)
		if err != nil {
			return err
		}
		defer st.Close()
		r, err := scan.Run(ctx, st, o)
		if err != nil {
			return err
		}
		if err := scan.Record(ctx, *out, r); err != nil {
			return err
		}
		if !*quiet {
			printScan(s, r)
		}
		fmt.Fprintf(s.out, "%s: %s %s..%s, %d entries over %d contract-days; load %v, scan %v; results: %s\n",
			r.Record.ID, o.Symbol, *from, *to, r.Scan.Entries, r.Record.ChainRows, r.Load.Round(time.Millisecond),
			r.Compute.Round(time.Millisecond), *out)
		return nil
	}
	return c
}

// printScan prints the non-empty buckets.
func printScan(s stdio, r *scan.Result) {
	tw := tabwriter.NewWriter(s.out, 2, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "DTE\t|delta|\tn\topen\tmean $\tstd\tq1\tmedian\tq3\twin %\tPF\tdays\t")
	for _, b := range r.Scan.Buckets {
		if b.Count == 0 && b.Open == 0 {
			continue
		}
		pf := fmt.Sprintf("%.2f", b.ProfitFactor)
		if math.IsInf(b.ProfitFactor, 1) {
			pf = "∞"
		}
		fmt.Fprintf(tw, "%d–%d\t%.2f–%.2f\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.1f\t%s\t%.1f\t\n", b.DTELo, b.DTEHi, b.DeltaLo, b.DeltaHi,
			b.Count, b.Open, b.Mean, b.Std, b.Q1, b.Median, b.Q3, 100*b.WinRate, pf, b.MeanDays)
	}
	tw.Flush()
}

func joinInts(x []int) string {
	s := make([]string, len(x))
	for i, v := range x {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ",")
}

func joinFloats(x []float64) string {
	s := make([]string, len(x))
	for i, v := range x {
		s[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(s, ",")
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number of days", p)
		}
		out = append(out, v)
	}
	return out, nil
}

func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, p := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", p)
		}
		out = append(out, v)
	}
	return out, nil
}

// scanReport writes the report of scan id from the results DB db.
func scanReport(ctx context.Context, s stdio, db, id, out string) error {
	if out == "" {
		out = "scan-" + safeName(strings.TrimPrefix(id, "scan-")) + ".html"
	}
	err := writeHTML(ctx, db, out, func(rdb *results.DB, buf *bytes.Buffer) error {
		return report.ScanReport(ctx, rdb, buf, db, id)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "report: %s\n", out)
	return nil
}

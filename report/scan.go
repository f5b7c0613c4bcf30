package report

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/optsweep/sweep/report/chart"
	"github.com/optsweep/sweep/sweep/results"
)

// ScanPage is the model of a scan report: a `sweep scan` outcome table (the
// tables scans and scan_buckets) as heatmaps of mean P&L, win rate and count
// by DTE × |delta| bucket, and the table of every non-empty bucket.
type ScanPage struct {
	Title      string
	ID, Symbol string
	From, To   time.Time
	Params     Table
	Entries    int
	ChainRows  int
	Load, Scan float64 // seconds
	Mean, Win  template.HTML
	Count      template.HTML
	Buckets    Table
}

// ScanReport writes the report of scan id read from db to w.
func ScanReport(ctx context.Context, db *results.DB, w io.Writer, dbName, id string) error {
	p, err := LoadScanPage(ctx, db, id)
	if err != nil {
		return err
	}
	return write(w, "scan", dbName, p)
}

// LoadScanPage reads scan id and builds its page.
func LoadScanPage(ctx context.Context, db *results.DB, id string) (*ScanPage, error) {
	sc, err := db.ReadScan(ctx, id)
	if err != nil {
		// Not %w: a missing scan is not a missing run, whose hint callers add.
		return nil, fmt.Errorf("%v (sweep query \"SELECT scan_id FROM scans\" lists them)", err)
	}
	p := &ScanPage{ID: id, Symbol: sc.Symbol, From: sc.From, To: sc.To, Entries: sc.Entries, ChainRows: sc.ChainRows,
		Load: sc.Load.Seconds(), Scan: sc.Compute.Seconds()}
	p.Title = fmt.Sprintf("Scan %s: %s %s to %s", id, p.Symbol, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly))
	if p.Params, err = jsonParams(sc.Params); err != nil {
		return nil, err
	}
	return p, p.build(sc.Buckets)
}

// build lays the buckets out as heatmaps and a table.
func (p *ScanPage) build(bs []results.ScanBucket) error {
	var rows, cols []string
	ri, ci := map[int]int{}, map[float64]int{}
	for _, b := range bs {
		if _, ok := ri[b.DTELo]; !ok {
			ri[b.DTELo] = len(rows)
			rows = append(rows, fmt.Sprintf("%d–%d", b.DTELo, b.DTEHi))
		}
		if _, ok := ci[b.DeltaLo]; !ok {
			ci[b.DeltaLo] = len(cols)
			cols = append(cols, fmt.Sprintf("%.2f–%.2f", b.DeltaLo, b.DeltaHi))
		}
	}
	grid := func() [][]float64 {
		z := make([][]float64, len(rows))
		for i := range z {
			z[i] = make([]float64, len(cols))
			for j := range z[i] {
				z[i][j] = math.NaN()
			}
		}
		return z
	}
	mean, win, counts := grid(), grid(), grid()
	p.Buckets.Head = []string{"DTE", "|delta|", "n", "open", "mean $", "std", "min", "q1", "median", "q3", "max", "win rate", "profit factor", "days held"}
	for _, b := range bs {
		i, j := ri[b.DTELo], ci[b.DeltaLo]
		if b.Count > 0 {
			mean[i][j], win[i][j], counts[i][j] = b.Mean, 100*b.WinRate, float64(b.Count)
		}
		if b.Count == 0 && b.Open == 0 {
			continue
		}
		row := []Value{text(rows[i]), text(cols[j]), count(float64(b.Count)), count(float64(b.Open))}
		for _, x := range []float64{b.Mean, b.Std, b.Min, b.Q1, b.Median, b.Q3, b.Max} {
			row = append(row, money(x))
		}
		pf := b.ProfitFactor // +Inf without losses
		if b.Count == 0 {
			pf = math.NaN()
		}
		row = append(row, pct(b.WinRate), ratio(pf), days(b.MeanDays))
		p.Buckets.Rows = append(p.Buckets.Rows, row)
	}
	var err error
	o := chart.Options{XLabel: "|delta| of leg 0 at entry", YLabel: "days to expiry at entry"}
	o.Title, o.Scale = "Mean P&L per unit, $", chart.Diverging
	if p.Mean, err = svg(chart.Heatmap(o, rows, cols, mean, "%.0f")); err != nil {
		return err
	}
	o.Title, o.Scale = "Win rate, %", chart.Sequential
	if p.Win, err = svg(chart.Heatmap(o, rows, cols, win, "%.0f")); err != nil {
		return err
	}
	o.Title = "Entries (closed)"
	p.Count, err = svg(chart.Heatmap(o, rows, cols, counts, "%.0f"))
	return err
}

// jsonParams tabulates a scan's parameters (a JSON object of strings).
func jsonParams(s string) (Table, error) {
	m := map[string]string{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return Table{}, fmt.Errorf("scan parameters: %w", err)
	}
	// Unused leg slots only repeat their defaults: leave them out.
	for k, v := range m {
		if v == "" || v == strconv.Itoa(-1) && len(k) > 5 && k[:5] == "legs[" {
			delete(m, k)
		}
	}
	return paramTable(m), nil
}

package report

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/optsweep/sweep/report/chart"
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

// scanBucket is one row of scan_buckets.
type scanBucket struct {
	dteLo, dteHi     int
	deltaLo, deltaHi float64
	n, open          int
	v                [10]sql.NullFloat64 // mean std min q1 median q3 max win pf days
}

// ScanReport writes the report of scan id read from db to w.
func ScanReport(ctx context.Context, db *sql.DB, w io.Writer, dbName, id string) error {
	p, err := LoadScanPage(ctx, db, id)
	if err != nil {
		return err
	}
	return write(w, "scan", dbName, p)
}

// LoadScanPage reads scan id and builds its page.
func LoadScanPage(ctx context.Context, db *sql.DB, id string) (*ScanPage, error) {
	p := &ScanPage{ID: id}
	var params string
	err := db.QueryRowContext(ctx, `SELECT symbol, date_from, date_to, CAST(params AS VARCHAR), entries, chain_rows, load_seconds, scan_seconds
		FROM scans WHERE scan_id = ?`, id).Scan(&p.Symbol, &p.From, &p.To, &params, &p.Entries, &p.ChainRows, &p.Load, &p.Scan)
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w (sweep query \"SELECT scan_id FROM scans\" lists them)", id, err)
	}
	p.Title = fmt.Sprintf("Scan %s: %s %s to %s", id, p.Symbol, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly))
	if p.Params, err = jsonParams(params); err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT dte_lo, dte_hi, delta_lo, delta_hi, n, n_open, pnl_mean, pnl_std, pnl_min, pnl_q1,
		pnl_median, pnl_q3, pnl_max, win_rate, profit_factor, mean_days FROM scan_buckets WHERE scan_id = ? ORDER BY dte_lo, delta_lo`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var bs []scanBucket
	for rows.Next() {
		var b scanBucket
		dst := []any{&b.dteLo, &b.dteHi, &b.deltaLo, &b.deltaHi, &b.n, &b.open}
		for k := range b.v {
			dst = append(dst, &b.v[k])
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		bs = append(bs, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return p, p.build(bs)
}

// build lays the buckets out as heatmaps and a table.
func (p *ScanPage) build(bs []scanBucket) error {
	var rows, cols []string
	ri, ci := map[int]int{}, map[float64]int{}
	for _, b := range bs {
		if _, ok := ri[b.dteLo]; !ok {
			ri[b.dteLo] = len(rows)
			rows = append(rows, fmt.Sprintf("%d–%d", b.dteLo, b.dteHi))
		}
		if _, ok := ci[b.deltaLo]; !ok {
			ci[b.deltaLo] = len(cols)
			cols = append(cols, fmt.Sprintf("%.2f–%.2f", b.deltaLo, b.deltaHi))
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
		i, j := ri[b.dteLo], ci[b.deltaLo]
		if b.n > 0 {
			mean[i][j], win[i][j], counts[i][j] = nullNaN(b.v[0]), 100*nullNaN(b.v[7]), float64(b.n)
		}
		if b.n == 0 && b.open == 0 {
			continue
		}
		row := []Value{text(rows[i]), text(cols[j]), count(float64(b.n)), count(float64(b.open))}
		for k := 0; k < 7; k++ {
			row = append(row, money(nullNaN(b.v[k])))
		}
		pf := math.Inf(1) // NULL: no losses
		if b.v[8].Valid {
			pf = b.v[8].Float64
		}
		if b.n == 0 {
			pf = math.NaN()
		}
		row = append(row, pct(nullNaN(b.v[7])), ratio(pf), days(nullNaN(b.v[9])))
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

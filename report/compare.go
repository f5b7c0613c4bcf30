package report

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/optsweep/sweep/report/chart"
	"github.com/optsweep/sweep/sim/metrics"
)

// ComparePage is the model of a comparison of runs.
type ComparePage struct {
	Title    string
	Names    []string  // one column per run: run id, and the cell for sweeps
	Runs     []*Detail // as compared
	Metrics  Table     // metrics by run, the best of each row marked
	Params   Table     // parameters that differ between the runs
	Equity   template.HTML
	Drawdown template.HTML
}

// NewComparePage builds the comparison of runs (each a resolved Detail).
func NewComparePage(runs []*Detail) (*ComparePage, error) {
	if len(runs) < 2 {
		return nil, fmt.Errorf("compare needs at least two runs, have %d", len(runs))
	}
	p := &ComparePage{Runs: runs, Title: fmt.Sprintf("Comparison of %d runs", len(runs))}
	for _, d := range runs {
		name := d.Run.ID
		if d.Run.Kind != "backtest" {
			name += " · " + d.Cell.Key[:12]
		}
		p.Names = append(p.Names, name)
	}
	p.metrics()
	p.params()
	return p, p.curves()
}

// metrics tabulates the headline metrics by run, marking each row's best.
func (p *ComparePage) metrics() {
	p.Metrics.Head = append([]string{"Metric"}, p.Names...)
	for _, h := range headline {
		m := h.metric
		row := []Value{text(metricLabel(m))}
		best := -1
		for i, d := range p.Runs {
			v := d.Cell.Metric(m)
			row = append(row, metricFormat(m)(v))
			if math.IsNaN(v) {
				continue
			}
			if best < 0 || (lowerIsBetter(m) && v < p.Runs[best].Cell.Metric(m)) ||
				(!lowerIsBetter(m) && v > p.Runs[best].Cell.Metric(m)) {
				best = i
			}
		}
		if best >= 0 {
			row[1+best].Mark = true
		}
		p.Metrics.Rows = append(p.Metrics.Rows, row)
	}
}

// params lists the strategy, symbols, window and every parameter whose value
// is not the same in all runs.
func (p *ComparePage) params() {
	p.Params.Head = append([]string{"Parameter"}, p.Names...)
	row := func(name string, val func(d *Detail) string) {
		vals := make([]string, len(p.Runs))
		for i, d := range p.Runs {
			vals[i] = val(d)
		}
		if name != "strategy" && name != "symbols" && name != "window" &&
			slices.IndexFunc(vals, func(v string) bool { return v != vals[0] }) < 0 {
			return
		}
		r := []Value{text(name)}
		for _, v := range vals {
			r = append(r, text(v))
		}
		p.Params.Rows = append(p.Params.Rows, r)
	}
	row("strategy", func(d *Detail) string { return d.Cell.Strategy })
	row("symbols", func(d *Detail) string { return strings.Join(d.Cell.Symbols, ",") })
	row("window", func(d *Detail) string { return d.Cell.Window() })
	names := map[string]bool{}
	for _, d := range p.Runs {
		for k := range d.Cell.Params {
			names[k] = true
		}
	}
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		row(k, func(d *Detail) string {
			if v, ok := d.Cell.Params[k]; ok {
				return v
			}
			return undefined
		})
	}
}

// curves overlays the runs' equity, as growth of 100, and drawdowns on the
// union of their dates (a run is blank on dates it did not trade).
func (p *ComparePage) curves() error {
	var all []int32
	for _, d := range p.Runs {
		all = append(all, d.Series.Days...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	var eq, dd []chart.Series
	for i, d := range p.Runs {
		g, w := make([]float64, len(all)), make([]float64, len(all))
		for k := range g {
			g[k], w[k] = math.NaN(), math.NaN()
		}
		s := &d.Series
		under := make([]float64, len(s.Equity))
		metrics.Drawdown(under, s.Equity)
		for k, day := range s.Days {
			j, _ := slices.BinarySearch(all, day)
			g[j] = 100 * s.Equity[k] / s.Equity[0]
			w[j] = 100 * under[k]
		}
		eq = append(eq, chart.Series{Name: p.Names[i], Y: g})
		dd = append(dd, chart.Series{Name: p.Names[i], Y: w})
	}
	var err error
	if p.Equity, err = svg(chart.Lines(chart.Options{Title: "Equity, growth of 100", YLabel: "equity (start = 100)"},
		all, eq...)); err != nil {
		return err
	}
	p.Drawdown, err = svg(chart.Lines(chart.Options{Title: "Drawdown from the high-water mark", YLabel: "drawdown, %"},
		all, dd...))
	return err
}

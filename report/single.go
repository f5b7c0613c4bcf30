package report

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/optsweep/sweep/report/chart"
	"github.com/optsweep/sweep/sim/metrics"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/results"
)

// RollingWindow is the number of daily returns in the rolling Sharpe ratio
// (about three months).
const RollingWindow = 63

// Stat is one row of a metrics table.
type Stat struct {
	Label string
	Value Value
	Note  string // how it is defined or what it spans
}

// Table is a sortable table: a header and rows of values.
type Table struct {
	Head []string
	Rows [][]Value
}

// RunPage is the model of a single-run report.
type RunPage struct {
	Title    string
	Run      results.RunRow
	Cell     results.CellRow
	Stats    []Stat
	Equity   template.HTML // equity with its high-water mark
	Under    template.HTML // underwater drawdown
	Monthly  template.HTML // monthly returns heatmap
	Rolling  template.HTML // rolling Sharpe
	PnLHist  template.HTML // trade P&L distribution
	Exits    template.HTML // exit reasons
	Phases   template.HTML // P&L by phase; empty with fewer than two phases
	ExitTab  Table
	Symbols  Table
	PhaseTab Table
	Params   Table
	Why      *WhySection // why so few trades; nil when the run traded enough
}

// NewRunPage builds the single-run report of d.
func NewRunPage(d *Detail) (*RunPage, error) {
	p := &RunPage{Run: d.Run, Cell: d.Cell,
		Title: fmt.Sprintf("%s on %s, %s", d.Cell.Strategy, strings.Join(d.Cell.Symbols, ","), d.Cell.Window())}
	p.Stats = runStats(&d.Cell)
	if err := p.curves(&d.Series); err != nil {
		return nil, err
	}
	if err := p.trades(d.Trades); err != nil {
		return nil, err
	}
	p.Params = paramTable(d.Cell.Params)
	return p, nil
}

// headline are the metrics a run report leads with, in order, with their
// labels and notes (cellNote, when set, writes the note from the cell). The
// single-run report shows all of them, a sweep report the first eight, and a
// comparison one row per metric.
var headline = []struct {
	metric, label, note string
	cellNote            func(c *results.CellRow) string
}{
	{"cagr", "CAGR", "compound annual growth over the calendar span", nil},
	{"total_return", "Total return", "", func(c *results.CellRow) string {
		return money(c.Metric("start_equity")).Text + " → " + money(c.Metric("end_equity")).Text
	}},
	{"sharpe", "Sharpe", "mean/std of daily excess returns × √252", nil},
	{"sortino", "Sortino", "mean/downside deviation of daily excess returns × √252", nil},
	{"calmar", "Calmar", "CAGR / max drawdown", nil},
	{"max_drawdown", "Max drawdown", "", drawdownNote},
	{"max_drawdown_days", "Max drawdown duration", "calendar days from peak to recovery", nil},
	{"win_rate", "Win rate", "", func(c *results.CellRow) string {
		return fmt.Sprintf("%s wins, %s losses", count(c.Metric("wins")).Text, count(c.Metric("losses")).Text)
	}},
	{"profit_factor", "Profit factor", "winning P&L / losing P&L", nil},
	{"expectancy", "Expectancy", "net P&L per closed trade", nil},
	{"gross_pnl", "Total P&L", "before fees", nil},
	{"net_pnl", "Net P&L", "after fees", nil},
	{"fees", "Fees", "commissions and regulatory fees", nil},
	{"trades", "Trades", "", func(c *results.CellRow) string {
		return count(c.Metric("open_trades")).Text + " still open at the end"
	}},
	{"avg_days_held", "Average days held", "calendar days, closed trades", nil},
}

// runStats is the metrics table of a cell: the headline metrics.
func runStats(c *results.CellRow) []Stat {
	out := make([]Stat, len(headline))
	for i, h := range headline {
		note := h.note
		if h.cellNote != nil {
			note = h.cellNote(c)
		}
		out[i] = Stat{h.label, metricFormat(h.metric)(c.Metric(h.metric)), note}
	}
	return out
}

// drawdownNote dates the cell's deepest drawdown.
func drawdownNote(c *results.CellRow) string {
	dd := fmt.Sprintf("peak %s, trough %s", date(c.DDStart), date(c.DDTrough))
	if c.Recovered {
		return dd + ", recovered " + date(c.DDEnd)
	}
	return dd + ", not recovered by " + date(c.DDEnd)
}

func date(t time.Time) string {
	if t.IsZero() {
		return undefined
	}
	return t.Format(time.DateOnly)
}

// curves renders the equity, drawdown, monthly and rolling charts.
func (p *RunPage) curves(s *results.Series) error {
	n := len(s.Equity)
	hwm, dd := make([]float64, n), make([]float64, n)
	metrics.HighWater(hwm, s.Equity)
	metrics.Drawdown(dd, s.Equity)
	var err error
	if p.Equity, err = svg(chart.Lines(chart.Options{Title: "Equity and high-water mark", YLabel: "equity, $"},
		s.Days, chart.Series{Name: "equity", Y: s.Equity}, chart.Series{Name: "high-water mark", Y: hwm, Dashed: true})); err != nil {
		return err
	}
	if p.Under, err = svg(chart.Underwater(chart.Options{Title: "Underwater (drawdown from the high-water mark)", YLabel: "drawdown, %"},
		s.Days, dd)); err != nil {
		return err
	}
	rows, cols, z := monthGrid(s)
	if p.Monthly, err = svg(chart.Heatmap(chart.Options{Title: "Monthly returns, %",
		Note: "Year: the calendar year's return", Height: gridHeight(len(rows))}, rows, cols, z, "%.1f")); err != nil {
		return err
	}
	roll := []float64{}
	if n > 1 {
		r := make([]float64, n-1)
		metrics.Returns(r, s.Equity)
		roll = make([]float64, n-1)
		if len(r) >= RollingWindow {
			metrics.RollingSharpe(roll, r, RollingWindow, 0)
		} else {
			for i := range roll {
				roll[i] = math.NaN()
			}
		}
	}
	rdays := s.Days
	if n > 1 {
		rdays = s.Days[1:]
	}
	p.Rolling, err = svg(chart.Lines(chart.Options{Title: fmt.Sprintf("Rolling Sharpe, %d trading days", RollingWindow), YLabel: "Sharpe"},
		rdays, chart.Series{Name: "rolling Sharpe", Y: roll}))
	return err
}

// monthGrid lays the monthly returns out as years × (12 months + the year),
// in percent.
func monthGrid(s *results.Series) (rows, cols []string, z [][]float64) {
	rows, cols, z = chart.MonthlyGrid(metrics.MonthlyReturns(s.Days, s.Equity))
	cols = append(cols, "Year")
	for i, row := range z {
		year := 1.0
		for _, m := range row {
			if !math.IsNaN(m) {
				year *= 1 + m/100
			}
		}
		z[i] = append(row, 100*(year-1))
	}
	return rows, cols, z
}

// group is the trades of one exit reason, symbol or phase.
type group struct {
	name             string
	n, wins          int
	net, fees, daysH float64
}

func groupBy(trades []results.TradeRow, key func(*results.TradeRow) string) []group {
	idx := map[string]int{}
	var out []group
	for i := range trades {
		t := &trades[i]
		if t.Closed < 0 {
			continue
		}
		k := key(t)
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, group{name: k})
		}
		g := &out[j]
		g.n++
		if t.Net > 0 {
			g.wins++
		}
		g.net += t.Net
		g.fees += t.Fees
		g.daysH += t.DaysHeld
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].n > out[b].n })
	return out
}

func groupTable(first string, gs []group) Table {
	t := Table{Head: []string{first, "Trades", "Win rate", "Net P&L", "Average", "Fees", "Avg days"}}
	for _, g := range gs {
		n := float64(g.n)
		t.Rows = append(t.Rows, []Value{text(g.name), count(n), pct(float64(g.wins) / n), money(g.net),
			money(g.net / n), money(g.fees), days(g.daysH / n)})
	}
	return t
}

// trades renders the P&L distribution and the exit, symbol and phase views.
func (p *RunPage) trades(trades []results.TradeRow) error {
	var nets []float64
	for _, t := range trades {
		if t.Closed >= 0 {
			nets = append(nets, t.Net)
		}
	}
	var err error
	if p.PnLHist, err = svg(chart.Histogram(chart.Options{Title: "Net P&L per closed trade", XLabel: "net P&L, $", YLabel: "trades"},
		nets, 40)); err != nil {
		return err
	}
	exits := groupBy(trades, func(t *results.TradeRow) string { return orNone(t.ExitReason) })
	p.ExitTab = groupTable("Exit reason", exits)
	labels, vals := make([]string, len(exits)), make([]float64, len(exits))
	for i, g := range exits {
		labels[i], vals[i] = g.name, float64(g.n)
	}
	if p.Exits, err = svg(chart.Bars(chart.Options{Title: "Exit reasons", YLabel: "trades"}, labels, vals)); err != nil {
		return err
	}
	syms := groupBy(trades, func(t *results.TradeRow) string { return t.Symbol })
	slices.SortStableFunc(syms, func(a, b group) int { return strings.Compare(a.name, b.name) })
	p.Symbols = groupTable("Symbol", syms)
	phases := groupBy(trades, func(t *results.TradeRow) string { return orNone(t.Phase) })
	if len(phases) < 2 {
		return nil
	}
	p.PhaseTab = groupTable("Phase", phases)
	labels, vals = make([]string, len(phases)), make([]float64, len(phases))
	for i, g := range phases {
		labels[i], vals[i] = strategy.PhaseName(p.Cell.Strategy, g.name), g.net
	}
	p.Phases, err = svg(chart.Bars(chart.Options{Title: "Net P&L by phase", YLabel: "net P&L, $"}, labels, vals))
	return err
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// paramTable lists parameters by name.
func paramTable(params map[string]string) Table {
	t := Table{Head: []string{"Parameter", "Value"}}
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		t.Rows = append(t.Rows, []Value{text(k), text(params[k])})
	}
	return t
}

// svg marks a chart's SVG as safe to inline: the chart package escapes every
// text it draws.
func svg(b []byte, err error) (template.HTML, error) {
	if err != nil {
		return "", fmt.Errorf("chart: %w", err)
	}
	return template.HTML(b), nil
}

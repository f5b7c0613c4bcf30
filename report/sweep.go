package report

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/optsweep/sweep/report/chart"
	"github.com/optsweep/sweep/sweep/results"
)

// MaxHeatmaps caps the parameter pairs a sweep report draws.
const MaxHeatmaps = 15

// Axis is a parameter that varies across a sweep's cells.
type Axis struct {
	Name   string
	Values []string // distinct values, numerically ordered when all are numbers
}

// Figure is a chart with a title and a note under it.
type Figure struct {
	Title string
	Note  string
	SVG   template.HTML
}

// Robustness sums up the best cell's neighbourhood: the cells one grid step
// away from it on any varying parameters (symbols and window held).
type Robustness struct {
	Best       Value   // the best cell's metric
	Neighbours int     // cells in the neighbourhood, the best excluded
	Mean, Min  Value   // of the neighbours' metric
	Ratio      Value   // Mean / Best
	Verdict    string  // "plateau", "mixed" or "spike", from Ratio and Min
	Table      Table   // each neighbour: what differs, its metric and the change
	Smoothed   Table   // cells ranked by the mean over themselves and their neighbours
	ratio, min float64 // unformatted, for tests
}

// SweepPage is the model of a sweep report.
type SweepPage struct {
	Title    string
	Run      results.RunRow
	Metric   string // the cell_metrics column ranked by
	Label    string // its label
	Best     results.CellRow
	Stats    []Stat // the best cell's headline metrics
	Axes     []Axis
	Held     string // what the heatmaps hold fixed besides the pair drawn
	Heatmaps []Figure
	Profiles []Figure
	Robust   *Robustness // nil without varying parameters
	Ranked   Table
	WF       *WalkForward // nil unless the run is a walk-forward
}

// NewSweepPage builds the report of a sweep's cells ranked by metric, with
// the walk-forward folds wf (nil for none).
func NewSweepPage(run results.RunRow, cells []results.CellRow, metric string, wf []results.FoldRow) (*SweepPage, error) {
	best := Best(cells, metric)
	if best < 0 {
		return nil, fmt.Errorf("run %s: no cell has a value of %s", run.ID, metric)
	}
	p := &SweepPage{Run: run, Metric: metric, Label: metricLabel(metric), Best: cells[best],
		Title: fmt.Sprintf("Sweep %s: %d cells of %s", run.ID, len(cells), cells[best].Strategy)}
	p.Stats = runStats(&p.Best)[:8]
	p.Axes = axes(cells)
	g := newLattice(cells, p.Axes)
	p.Held = held(&p.Best)
	if err := p.heatmaps(g, best); err != nil {
		return nil, err
	}
	if err := p.profiles(g, best); err != nil {
		return nil, err
	}
	if len(p.Axes) > 0 {
		p.Robust = robustness(g, best, metric)
	}
	p.Ranked = ranked(cells, p.Axes, metric)
	if len(wf) > 0 {
		w, err := newWalkForward(wf)
		if err != nil {
			return nil, err
		}
		p.WF = w
	}
	return p, nil
}

// held describes what every heatmap and profile holds at the best cell.
func held(c *results.CellRow) string {
	return fmt.Sprintf("%s, %s, seed %d", strings.Join(c.Symbols, ","), c.Window(), c.Seed)
}

// axes returns the parameters with more than one value among cells, by name.
func axes(cells []results.CellRow) []Axis {
	vals := map[string]map[string]bool{}
	for i := range cells {
		for k, v := range cells[i].Params {
			if vals[k] == nil {
				vals[k] = map[string]bool{}
			}
			vals[k][v] = true
		}
	}
	var out []Axis
	for k, set := range vals {
		if len(set) < 2 {
			continue
		}
		a := Axis{Name: k}
		for v := range set {
			a.Values = append(a.Values, v)
		}
		sortValues(a.Values)
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// sortValues orders values numerically when they all parse as numbers, else
// as text.
func sortValues(v []string) {
	nums := make([]float64, len(v))
	for i, s := range v {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			sort.Strings(v)
			return
		}
		nums[i] = x
	}
	sort.Sort(byNum{v, nums})
}

type byNum struct {
	s []string
	x []float64
}

func (b byNum) Len() int           { return len(b.s) }
func (b byNum) Less(i, j int) bool { return b.x[i] < b.x[j] }
func (b byNum) Swap(i, j int) {
	b.s[i], b.s[j] = b.s[j], b.s[i]
	b.x[i], b.x[j] = b.x[j], b.x[i]
}

// lattice places cells on the grid of their axes' values.
type lattice struct {
	cells []results.CellRow
	axes  []Axis
	pos   [][]int        // cell → index of its value on each axis
	at    map[string]int // coordinates (with symbols, window, seed) → cell
}

func newLattice(cells []results.CellRow, axes []Axis) *lattice {
	g := &lattice{cells: cells, axes: axes, pos: make([][]int, len(cells)), at: map[string]int{}}
	for i := range cells {
		pos := make([]int, len(axes))
		for a, ax := range axes {
			pos[a] = slices.Index(ax.Values, cells[i].Params[ax.Name])
		}
		g.pos[i] = pos
		k := g.key(i, pos)
		if _, dup := g.at[k]; !dup {
			g.at[k] = i
		}
	}
	return g
}

// key is the coordinates pos in the symbols, window and seed of cell i.
func (g *lattice) key(i int, pos []int) string {
	c := &g.cells[i]
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%d", strings.Join(c.Symbols, ","), c.Window(), c.Seed)
	for _, p := range pos {
		fmt.Fprintf(&b, "|%d", p)
	}
	return b.String()
}

// find returns the cell at pos in the symbols, window and seed of cell i, or -1.
func (g *lattice) find(i int, pos []int) int {
	if j, ok := g.at[g.key(i, pos)]; ok {
		return j
	}
	return -1
}

// neighbours returns the cells whose every axis index is within one step of
// cell i's (i excluded), in the order of the lattice.
func (g *lattice) neighbours(i int) []int {
	var out []int
	n := len(g.axes)
	pos := make([]int, n)
	steps := make([]int, n)
	for k := range steps {
		steps[k] = -1
	}
	for {
		moved, ok := false, true
		for a := range pos {
			pos[a] = g.pos[i][a] + steps[a]
			moved = moved || steps[a] != 0
			ok = ok && pos[a] >= 0 && pos[a] < len(g.axes[a].Values)
		}
		if moved && ok {
			if j := g.find(i, pos); j >= 0 {
				out = append(out, j)
			}
		}
		a := 0
		for ; a < n; a++ {
			if steps[a] < 1 {
				steps[a]++
				break
			}
			steps[a] = -1
		}
		if a == n {
			return out
		}
	}
}

// heatmaps draws the metric over each pair of axes, the others at the best
// cell's values.
func (p *SweepPage) heatmaps(g *lattice, best int) error {
	for a := 0; a < len(g.axes); a++ {
		for b := a + 1; b < len(g.axes); b++ {
			if len(p.Heatmaps) == MaxHeatmaps {
				return nil
			}
			ax, bx := g.axes[a], g.axes[b]
			z := make([][]float64, len(ax.Values))
			pos := slices.Clone(g.pos[best])
			for i := range ax.Values {
				z[i] = make([]float64, len(bx.Values))
				for j := range bx.Values {
					pos[a], pos[b] = i, j
					z[i][j] = math.NaN()
					if c := g.find(best, pos); c >= 0 {
						z[i][j] = g.cells[c].Metric(p.Metric)
					}
				}
			}
			note := "Other parameters held at the best cell's values: " + p.others(g, best, a, b)
			svgText, err := svg(chart.Heatmap(chart.Options{Title: fmt.Sprintf("%s by %s × %s", p.Label, ax.Name, bx.Name),
				XLabel: bx.Name, YLabel: ax.Name, Note: note, Height: gridHeight(len(ax.Values))}, ax.Values, bx.Values, z, "%.2f"))
			if err != nil {
				return err
			}
			p.Heatmaps = append(p.Heatmaps, Figure{Title: ax.Name + " × " + bx.Name, Note: note, SVG: svgText})
		}
	}
	return nil
}

// gridHeight is the height in points of a heatmap of n rows.
func gridHeight(n int) float64 { return float64(max(200, 110+34*n)) }

// others lists the best cell's values of the axes other than skip.
func (p *SweepPage) others(g *lattice, best int, skip ...int) string {
	var parts []string
	for a, ax := range g.axes {
		if !slices.Contains(skip, a) {
			parts = append(parts, ax.Name+"="+ax.Values[g.pos[best][a]])
		}
	}
	parts = append(parts, p.Held)
	return strings.Join(parts, ", ")
}

// profiles draws the metric along each axis through the best cell.
func (p *SweepPage) profiles(g *lattice, best int) error {
	for a, ax := range g.axes {
		pos := slices.Clone(g.pos[best])
		vals := make([]float64, len(ax.Values))
		for i := range ax.Values {
			pos[a] = i
			vals[i] = math.NaN()
			if c := g.find(best, pos); c >= 0 {
				vals[i] = g.cells[c].Metric(p.Metric)
			}
		}
		note := "Others at the best cell's values: " + p.others(g, best, a)
		s, err := svg(chart.Bars(chart.Options{Title: fmt.Sprintf("%s along %s", p.Label, ax.Name), XLabel: ax.Name,
			YLabel: p.Label, Note: note, Height: gridHeight(len(ax.Values))}, ax.Values, vals))
		if err != nil {
			return err
		}
		p.Profiles = append(p.Profiles, Figure{Title: ax.Name, Note: note, SVG: s})
	}
	return nil
}

// robustness compares the best cell with its neighbours, and ranks every cell
// by the mean metric over itself and its neighbours.
func robustness(g *lattice, best int, metric string) *Robustness {
	bv := g.cells[best].Metric(metric)
	r := &Robustness{Best: metricFormat(metric)(bv)}
	r.Table.Head = []string{"Differs from the best in", metricLabel(metric), "Change"}
	sum, lo, n := 0.0, math.Inf(1), 0
	for _, j := range g.neighbours(best) {
		v := g.cells[j].Metric(metric)
		r.Table.Rows = append(r.Table.Rows, []Value{text(g.diff(best, j)), metricFormat(metric)(v), ratio(v - bv)})
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		sum, lo, n = sum+v, min(lo, v), n+1
	}
	r.Neighbours = len(r.Table.Rows)
	r.ratio, r.min = math.NaN(), math.NaN()
	if n > 0 {
		r.ratio, r.min = sum/float64(n)/bv, lo
		r.Mean, r.Min = metricFormat(metric)(sum/float64(n)), metricFormat(metric)(lo)
	} else {
		r.Mean, r.Min = text(undefined), text(undefined)
	}
	r.Ratio = ratio(r.ratio)
	r.Verdict = verdict(r.ratio, r.min, bv, lowerIsBetter(metric))
	r.Smoothed = smoothed(g, metric)
	return r
}

// verdict calls a neighbourhood a plateau when its mean keeps 80% of the best
// value and its worst keeps half, a spike when the mean keeps under half, and
// mixed in between. For a metric where lower is better the ratios are read
// the other way round.
func verdict(ratio, worst, best float64, lower bool) string {
	if math.IsNaN(ratio) || best == 0 {
		return "no neighbours to compare"
	}
	keep, worstKeep := ratio, worst/best
	if lower {
		keep, worstKeep = 1/ratio, best/worst
	}
	if best < 0 {
		keep, worstKeep = 1/keep, 1/worstKeep
	}
	switch {
	case keep >= 0.8 && worstKeep >= 0.5:
		return "plateau"
	case keep < 0.5:
		return "spike"
	}
	return "mixed"
}

// diff names the parameters on which cells i and j differ, with j's values.
func (g *lattice) diff(i, j int) string {
	var parts []string
	for a, ax := range g.axes {
		if g.pos[i][a] != g.pos[j][a] {
			parts = append(parts, ax.Name+"="+ax.Values[g.pos[j][a]])
		}
	}
	return strings.Join(parts, ", ")
}

// smoothed ranks the cells by the mean of the metric over each cell and its
// neighbours (the ten best), which favours plateaus over lone peaks.
func smoothed(g *lattice, metric string) Table {
	type row struct {
		i     int
		mean  float64
		count int
	}
	var rows []row
	for i := range g.cells {
		sum, n := 0.0, 0
		for _, j := range append(g.neighbours(i), i) {
			if v := g.cells[j].Metric(metric); !math.IsNaN(v) && !math.IsInf(v, 0) {
				sum, n = sum+v, n+1
			}
		}
		if n > 0 {
			rows = append(rows, row{i, sum / float64(n), n})
		}
	}
	sign := -1.0
	if lowerIsBetter(metric) {
		sign = 1
	}
	sort.SliceStable(rows, func(a, b int) bool { return sign*rows[a].mean < sign*rows[b].mean })
	t := Table{Head: []string{"Cell", "Parameters", "Neighbourhood mean", "Cells averaged", "Own " + metricLabel(metric)}}
	for k, r := range rows {
		if k == 10 {
			break
		}
		c := &g.cells[r.i]
		t.Rows = append(t.Rows, []Value{text(c.Key[:12]), text(g.describe(r.i)), metricFormat(metric)(r.mean),
			count(float64(r.count)), metricFormat(metric)(c.Metric(metric))})
	}
	return t
}

// describe lists cell i's values of the axes.
func (g *lattice) describe(i int) string {
	parts := make([]string, len(g.axes))
	for a, ax := range g.axes {
		parts[a] = ax.Name + "=" + ax.Values[g.pos[i][a]]
	}
	return strings.Join(parts, ", ")
}

// rankedMetrics are the columns of the ranked table after the parameters.
var rankedMetrics = []string{"sharpe", "cagr", "max_drawdown", "sortino", "calmar", "win_rate",
	"profit_factor", "trades", "net_pnl"}

// ranked is every cell, best first by metric (undefined values last).
func ranked(cells []results.CellRow, axes []Axis, metric string) Table {
	cols := rankedMetrics
	if !slices.Contains(cols, metric) {
		cols = append([]string{metric}, cols...)
	}
	t := Table{Head: []string{"Rank", "Cell", "Symbols", "Window"}}
	for _, a := range axes {
		t.Head = append(t.Head, a.Name)
	}
	for _, m := range cols {
		t.Head = append(t.Head, metricLabel(m))
	}
	order := make([]int, len(cells))
	for i := range order {
		order[i] = i
	}
	sign := -1.0
	if lowerIsBetter(metric) {
		sign = 1
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := cells[order[a]].Metric(metric), cells[order[b]].Metric(metric)
		if math.IsNaN(y) {
			return !math.IsNaN(x)
		}
		return sign*x < sign*y
	})
	for r, i := range order {
		c := &cells[i]
		row := []Value{count(float64(r + 1)), text(c.Key[:12]), text(strings.Join(c.Symbols, ",")), text(c.Window())}
		for _, a := range axes {
			row = append(row, paramValue(c.Params[a.Name]))
		}
		for _, m := range cols {
			row = append(row, metricFormat(m)(c.Metric(m)))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// paramValue is a parameter's value, sorting numerically when it is a number.
func paramValue(s string) Value {
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		return Value{Text: s, Sort: x, Num: true}
	}
	return text(s)
}

// Package grid reads grid files, the YAML documents `sweep run grid.yaml`
// runs: a strategy, symbol sets, date windows (a range, a list, or
// walk-forward folds) and parameters that vary (lists, ranges and zip
// groups). Parse validates the whole file, strategy parameters included, and
// reports every problem with its line; a Grid then expands, in a fixed
// order, into cells.
//
// A minimal grid:
//
//	name: wheel-spy
//	strategy: wheel
//	symbols: [SPY]
//	dates: {from: 2023-01-03, to: 2024-12-31}
//	params:
//	  delta_min: [0.2, 0.25, 0.3]
//	  dte_min: {from: 20, to: 40, step: 5}
//
// The example grids in sweep/testdata document every key.
package grid

import (
	"fmt"
	"maps"
	"os"
	"time"
)

// Defaults of optional keys.
const (
	DefaultData = "data/market.duckdb"  // market DB
	DefaultOut  = "runs/results.duckdb" // results DB
)

// Limits on the size of a grid.
const (
	MaxRangeValues = 100_000   // values one range may give
	MaxCells       = 1_000_000 // cells a grid may have
)

// Window is a span of calendar dates, both ends included, at UTC midnight.
type Window struct{ From, To time.Time }

// String returns "YYYY-MM-DD..YYYY-MM-DD".
func (w Window) String() string {
	return w.From.Format(time.DateOnly) + ".." + w.To.Format(time.DateOnly)
}

// Fold is one walk-forward step: parameters are chosen on Train and then run
// on Test.
type Fold struct{ Train, Test Window }

// WalkForward describes rolling train/test windows.
type WalkForward struct {
	From, To          time.Time // the span the folds cover
	Train, Test, Step string    // periods as written: "12m", "3m", "10d", "2w", "1y"
	Metric            string    // the metric chosen on each train window, e.g. "sharpe"
	Maximize          bool      // whether a larger Metric is better

	// Folds are computed from the above: fold k's train window starts at
	// From plus k Steps and lasts Train; its test window starts the day after
	// and lasts Test, clipped to To. Folds stop before the first whose test
	// window would start after To.
	Folds []Fold
}

// Model holds the greeks model's settings, which are data settings rather
// than strategy parameters.
type Model struct {
	Rate     float64 // risk-free rate, continuously compounded (default 0.04)
	Dividend float64 // dividend yield, continuous (default 0)
	American bool    // price options as American (default false: European)
}

// Axis is one varying dimension of a grid: one parameter, or the parameters
// of a zip group, which vary together.
type Axis struct {
	Names  []string   // one name, or several for a zip group
	Values [][]string // Values[k][j] is the k-th value of Names[j], as text
	Line   int        // the line the axis is written on
}

// Grid is a parsed and validated grid file.
type Grid struct {
	Path, Text string // the file and its contents

	Name     string // the grid's name, [A-Za-z0-9._-]+
	Data     string // market DB path
	Out      string // results DB path
	Strategy string // registered strategy name

	// Settings holds every fixed parameter value (strategy.settings and the
	// scalars of params and execution), as text.
	Settings map[string]string
	// SymbolSets are the symbol sets, each upper-cased and sorted, in file
	// order.
	SymbolSets [][]string
	// Windows are the date windows: the range, the listed windows, or for
	// walk-forward each fold's train window.
	Windows []Window
	// WalkForward is nil unless the dates are walk_forward.
	WalkForward *WalkForward
	// Axes are the varying dimensions in file order: params (lists, ranges
	// and zip groups), then execution, then seeds (execution_seed).
	Axes  []Axis
	Model Model
}

// Cell is one run of a grid.
type Cell struct {
	Index   int      // position in expansion order, from 0
	Symbols []string // the symbol set, shared with the Grid: do not modify
	Window  Window
	Fold    int               // the walk-forward fold whose train window this is, else -1
	Params  map[string]string // Settings plus this cell's axis values (a fresh map)
}

// Load reads the grid file at path and parses it.
func Load(path string) (*Grid, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("grid: %w", err)
	}
	return Parse(path, text)
}

// Combos returns the number of parameter combinations: the product of the
// axes' lengths, 1 with no axes.
func (g *Grid) Combos() int {
	n := 1
	for _, a := range g.Axes {
		n *= len(a.Values)
	}
	return n
}

// Size returns the number of cells: symbol sets × windows × combinations.
func (g *Grid) Size() int { return len(g.SymbolSets) * len(g.Windows) * g.Combos() }

// Cell returns cell i, 0 <= i < Size(), without expanding the others. Symbol
// sets vary slowest, then windows, then the axes in order with the last
// axis fastest, like an odometer.
func (g *Grid) Cell(i int) Cell {
	if i < 0 || i >= g.Size() {
		panic(fmt.Sprintf("grid: cell %d out of range [0, %d)", i, g.Size()))
	}
	nc, nw := g.Combos(), len(g.Windows)
	k, w, s := i%nc, (i/nc)%nw, i/(nc*nw)
	c := Cell{Index: i, Symbols: g.SymbolSets[s], Window: g.Windows[w], Fold: -1, Params: g.Combo(k)}
	if g.WalkForward != nil {
		c.Fold = w
	}
	return c
}

// Cells returns every cell, Cell(0) to Cell(Size()-1).
func (g *Grid) Cells() []Cell {
	cells := make([]Cell, g.Size())
	for i := range cells {
		cells[i] = g.Cell(i)
	}
	return cells
}

// Combo returns Settings plus the values of combination k, 0 <= k <
// Combos(), in the order Cell uses (last axis fastest), as a fresh map. It
// serves to rerun a combination on another window, such as a walk-forward
// fold's test window.
func (g *Grid) Combo(k int) map[string]string {
	if k < 0 || k >= g.Combos() {
		panic(fmt.Sprintf("grid: combination %d out of range [0, %d)", k, g.Combos()))
	}
	m := make(map[string]string, len(g.Settings)+len(g.Axes))
	maps.Copy(m, g.Settings)
	for a := len(g.Axes) - 1; a >= 0; a-- {
		ax := g.Axes[a]
		v := ax.Values[k%len(ax.Values)]
		k /= len(ax.Values)
		for j, name := range ax.Names {
			m[name] = v[j]
		}
	}
	return m
}

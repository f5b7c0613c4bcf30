// Package runner runs the cells of a grid: it plans them (builds each cell's
// strategy to check it and to name it by its key), loads each (symbols, dates)
// partition's tape once and shares it read-only among the cells that need it,
// runs the cells on a pool of workers, and streams the results to a sink (the
// results DuckDB, or Parquet parts for a shard) in batches, one transaction
// each.
//
// A cell is written whole or not at all, so a run that is interrupted (Ctrl-C,
// kill -9, a lost node) is resumed by running it again: cells whose keys are
// already in the sink are skipped. A cell's result depends only on its tape and
// its parameters, never on the number of workers or the order cells finish in.
package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/cell"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/grid"
)

// Cell is one backtest to run: a grid cell with its full parameters and key.
type Cell struct {
	Index int       // position in the grid's expansion order
	Fold  int       // walk-forward fold of a train cell, else -1
	Combo int       // index of its parameter combination in the grid
	Spec  cell.Spec // strategy, symbols, dates, every parameter value, model, data fingerprint
	Key   string    // Spec.Key()
	Set   map[string]string
	Seed  uint64
	Types map[string]string // parameter types, for the results' typed columns
}

// Partition names the data a cell reads: its symbols and dates.
func (c *Cell) Partition() string {
	return strings.Join(c.Spec.Symbols, ",") + " " + c.Spec.From.Format(time.DateOnly) + ".." + c.Spec.To.Format(time.DateOnly)
}

// Label describes the cell for people: its index, symbols, dates and the
// parameters that the grid varies or sets.
func (c *Cell) Label() string {
	keys := make([]string, 0, len(c.Set))
	for k := range c.Set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + c.Set[k]
	}
	return fmt.Sprintf("cell %d (%s; %s)", c.Index, c.Partition(), strings.Join(parts, " "))
}

// Plan turns grid cells into runnable cells on data with the given
// fingerprint. Building each cell's strategy checks every value; the key
// hashes the full parameter set (defaults included), so a value written out
// and the same value left at its default name the same cell.
func Plan(g *grid.Grid, cells []grid.Cell, fingerprint string, model feed.Options) ([]Cell, error) {
	return planWith(g, cells, func([]string, grid.Window) (string, error) { return fingerprint, nil }, model)
}

// PlanOn is Plan with every cell keyed by the fingerprint of the data it
// reads from st (feed.Fingerprint), computed once per partition: ingesting
// data a cell does not read leaves its key, and so its stored result, as it
// was.
func PlanOn(ctx context.Context, st *market.Store, g *grid.Grid, cells []grid.Cell, model feed.Options) ([]Cell, error) {
	return planWith(g, cells, partitionFingerprints(ctx, st, model), model)
}

// partitionFingerprints returns a memoised feed.Fingerprint on st.
func partitionFingerprints(ctx context.Context, st *market.Store, model feed.Options) func([]string, grid.Window) (string, error) {
	memo := map[string]string{}
	return func(symbols []string, w grid.Window) (string, error) {
		syms := append([]string(nil), symbols...)
		sort.Strings(syms)
		k := strings.Join(syms, ",") + " " + w.From.Format(time.DateOnly) + ".." + w.To.Format(time.DateOnly)
		if fp, ok := memo[k]; ok {
			return fp, nil
		}
		fp, err := feed.Fingerprint(ctx, st, syms, w.From, w.To, model)
		if err != nil {
			return "", err
		}
		memo[k] = fp
		return fp, nil
	}
}

// Planner plans cells one at a time, on demand, for callers that must not
// hold every cell of a large grid: sweep plan counts, samples and checks
// cells in memory independent of their number.
type Planner struct {
	g           *grid.Grid
	fingerprint func([]string, grid.Window) (string, error)
	model       feed.Options
}

// NewPlanner returns a Planner of g's cells on st's data, keyed as PlanOn keys them.
func NewPlanner(ctx context.Context, st *market.Store, g *grid.Grid, model feed.Options) *Planner {
	return &Planner{g: g, fingerprint: partitionFingerprints(ctx, st, model), model: model}
}

// Cell plans cell i of the grid's expansion, 0 <= i < g.Size(): the cell
// PlanOn(..., g.Cells(), ...)[i] would be.
func (p *Planner) Cell(i int) (Cell, error) {
	gc := p.g.Cell(i)
	fp, err := p.fingerprint(gc.Symbols, gc.Window)
	if err != nil {
		return Cell{}, err
	}
	c, err := planOne(p.g.Strategy, gc.Symbols, gc.Window, gc.Params, fp, p.model)
	if err != nil {
		return Cell{}, fmt.Errorf("%s: cell %d: %w", p.g.Path, gc.Index, err)
	}
	c.Index, c.Fold, c.Combo = gc.Index, gc.Fold, gc.Index%max(p.g.Combos(), 1)
	return c, nil
}

// DataVersion names the data a set of cells read, for runs.data_fingerprint:
// a hash of their distinct fingerprints.
func DataVersion(cells []Cell) string {
	seen := map[string]bool{}
	var fps []string
	for i := range cells {
		if fp := cells[i].Spec.Fingerprint; !seen[fp] {
			seen[fp] = true
			fps = append(fps, fp)
		}
	}
	sort.Strings(fps)
	h := sha256.Sum256([]byte(strings.Join(fps, "\n")))
	return hex.EncodeToString(h[:])
}

func planWith(g *grid.Grid, cells []grid.Cell, fingerprint func([]string, grid.Window) (string, error), model feed.Options) ([]Cell, error) {
	out := make([]Cell, len(cells))
	combos := max(g.Combos(), 1)
	for i, gc := range cells {
		fp, err := fingerprint(gc.Symbols, gc.Window)
		if err != nil {
			return nil, err
		}
		c, err := planOne(g.Strategy, gc.Symbols, gc.Window, gc.Params, fp, model)
		if err != nil {
			return nil, fmt.Errorf("%s: cell %d: %w", g.Path, gc.Index, err)
		}
		c.Index, c.Fold, c.Combo = gc.Index, gc.Fold, gc.Index%combos
		out[i] = c
	}
	return out, nil
}

func planOne(name string, symbols []string, w grid.Window, set map[string]string, fingerprint string, model feed.Options) (Cell, error) {
	b, err := strategy.Build(name, set)
	if err != nil {
		return Cell{}, err
	}
	syms := append([]string(nil), symbols...)
	sort.Strings(syms)
	spec := cell.Spec{Strategy: name, Symbols: syms, From: w.From, To: w.To, Params: b.Params,
		Model: model.Model(), Fingerprint: fingerprint}
	return Cell{Fold: -1, Spec: spec, Key: spec.Key(), Set: set, Seed: b.Exec.Seed, Types: b.Types}, nil
}

// RunID names a grid's run: its name and a hash of its text, so that running
// the same file again resumes the same run and an edited file is a new run
// (which still reuses every cell it shares with the old one).
func RunID(g *grid.Grid) string {
	h := sha256.Sum256([]byte(g.Text))
	return g.Name + "-" + hex.EncodeToString(h[:])[:8]
}

// Shard returns the stable slice i of n (0 ≤ i < n) of cells: the i-th of n
// contiguous blocks of the expansion order, so that a shard reads few
// partitions. The same grid always gives the same slices, and the slices of
// 0..n-1 together are all the cells, each once.
func Shard(cells []Cell, i, n int) []Cell {
	lo, hi := len(cells)*i/n, len(cells)*(i+1)/n
	return cells[lo:hi]
}

package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/grid"
	"github.com/optsweep/sweep/sweep/results"
)

// GridError is a mistake in a grid file or in one of its cells (an unknown
// parameter, a bad value, step_minutes varying across cells): the user's
// input, not a failure of the run. Its text is the mistake's.
type GridError struct{ Err error }

func (e *GridError) Error() string { return e.Err.Error() }

// Unwrap returns the mistake.
func (e *GridError) Unwrap() error { return e.Err }

// Overrides change what a grid file says. The zero value changes nothing.
type Overrides struct {
	Data string // market DB instead of the grid's data
	Out  string // results DB instead of the grid's out
	// Window replaces the grid's date windows with one (the demo fits its
	// grid to the market it generated); a walk-forward grid keeps its folds.
	Window *grid.Window
	// Check, if not nil, is called with the market and results DB paths
	// before either is opened; its error stops Prepare.
	Check func(ctx context.Context, data, out string) error
}

// Prepared is a grid ready to run: parsed and checked, its market DB open
// read-only and every cell planned once (a cell that does not plan is a
// GridError before anything is written). Cells are planned again on demand
// by Planner, so that memory does not grow with the grid.
type Prepared struct {
	Grid        *grid.Grid
	Store       *market.Store // the market DB, read-only
	Data, Out   string        // the market and results DB paths
	Model       feed.Options  // the grid's model, with the cells' IntradayEvery
	Fingerprint string        // the data version of every cell (DataVersion)
	Planner     *Planner
}

// Prepare parses the grid file at path, applies ov, opens its market DB
// read-only and plans every cell once, a batch at a time. Close the result.
func Prepare(ctx context.Context, path string, ov Overrides) (*Prepared, error) {
	p, err := open(ctx, path, ov)
	if err != nil {
		return nil, err
	}
	if err := p.survey(nil); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Open is Prepare without planning the cells: for a look at the grid (sweep
// plan) that plans only what it shows. Fingerprint and Model.IntradayEvery
// are left unset.
func Open(ctx context.Context, path string, ov Overrides) (*Prepared, error) {
	return open(ctx, path, ov)
}

func open(ctx context.Context, path string, ov Overrides) (*Prepared, error) {
	g, err := grid.Load(path)
	if err != nil {
		return nil, &GridError{err}
	}
	if ov.Window != nil && g.WalkForward == nil {
		g.Windows = []grid.Window{*ov.Window}
	}
	p := &Prepared{Grid: g, Data: g.Data, Out: g.Out, Model: feed.DefaultOptions()}
	if ov.Data != "" {
		p.Data = ov.Data
	}
	if ov.Out != "" {
		p.Out = ov.Out
	}
	p.Model.Rate, p.Model.Dividend, p.Model.American = g.Model.Rate, g.Model.Dividend, g.Model.American
	if _, err := os.Stat(p.Data); err != nil {
		return nil, fmt.Errorf("%s: market DB %s: %w (run `sweep demo` or `sweep ingest` first)", path, p.Data, err)
	}
	if ov.Check != nil {
		if err := ov.Check(ctx, p.Data, p.Out); err != nil {
			return nil, err
		}
	}
	if p.Store, err = market.OpenReadOnly(p.Data); err != nil {
		return nil, err
	}
	p.Planner = NewPlanner(ctx, p.Store, g, p.Model)
	return p, nil
}

// Close closes the market DB.
func (p *Prepared) Close() { p.Store.Close() }

// survey plans every cell of the grid once, a batch at a time, before a run
// starts. With keys nil it sets p.Fingerprint and p.Model.IntradayEvery; else
// it hands each batch's keys to keys.
func (p *Prepared) survey(keys func([]string) error) error {
	const batch = 4096
	var firsts []Cell // a cell of each partition, for the data version
	steps := map[string]bool{}
	var kb []string
	for i := range p.Planner.Len() {
		c, err := p.Planner.Cell(i)
		if err != nil {
			return &GridError{err}
		}
		if i == 0 || p.Planner.PartitionEnd(i-1) == i {
			firsts = append(firsts, Cell{Spec: c.Spec})
		}
		if v := c.Spec.Params["step_minutes"]; !steps[v] && len(steps) < 64 {
			steps[v] = true
			firsts = append(firsts, Cell{Spec: c.Spec})
		}
		if keys != nil {
			if kb = append(kb, c.Key); len(kb) == batch {
				if err := keys(kb); err != nil {
					return err
				}
				kb = kb[:0]
			}
		}
	}
	if keys != nil {
		if len(kb) > 0 {
			return keys(kb)
		}
		return nil
	}
	p.Fingerprint = DataVersion(firsts)
	var err error
	if p.Model.IntradayEvery, err = IntradayEvery(firsts); err != nil {
		return &GridError{fmt.Errorf("%s: %v", p.Grid.Path, err)}
	}
	return nil
}

// IntradayEvery returns how often the cells' strategy steps within the
// session (0 for daily strategies). Every cell of a grid must agree, since
// they share their partitions' tapes.
func IntradayEvery(cells []Cell) (time.Duration, error) {
	var every time.Duration
	seen := map[string]bool{}
	for i := range cells {
		spec := &cells[i].Spec
		v := spec.Params["step_minutes"]
		if seen[v] {
			continue
		}
		seen[v] = true
		b, err := strategy.Build(spec.Strategy, spec.Params)
		if err != nil {
			return 0, err
		}
		st, ok := b.Strategy.(sim.Stepper)
		if !ok {
			return 0, nil
		}
		e := st.StepEvery()
		if every != 0 && e != every {
			return 0, fmt.Errorf("step_minutes varies across cells (%v and %v): run each value as its own grid", every, e)
		}
		every = e
	}
	return every, nil
}

// Stored counts the grid's cells already in the results DB, if it exists,
// planning them one at a time: nothing is planned when the DB holds no cells.
func (p *Prepared) Stored(ctx context.Context) (int, error) {
	if _, err := os.Stat(p.Out); err != nil {
		return 0, nil
	}
	db, err := results.OpenReadOnly(p.Out)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	have, err := db.CellKeys(ctx)
	if err != nil || len(have) == 0 {
		return 0, err
	}
	n := 0
	for i := range p.Grid.Size() {
		c, err := p.Planner.Cell(i)
		if err != nil {
			return 0, err
		}
		if have[c.Key] {
			n++
		}
	}
	return n, nil
}

// ContractDays counts the option quotes a cell's partition loads.
func (p *Prepared) ContractDays(ctx context.Context, c *Cell) (int64, error) {
	n, err := p.Store.CountQuotes(ctx, c.Spec.Symbols, c.Spec.From, c.Spec.To)
	if err != nil {
		return 0, fmt.Errorf("plan: count contracts of %s: %w", c.Partition(), err)
	}
	return n, nil
}

// Status is the status a run that ended with err is recorded with:
// results.StatusDone, "interrupted" when it was cancelled, else
// results.StatusFailed.
func Status(err error) string {
	switch {
	case err == nil:
		return results.StatusDone
	case errors.Is(err, context.Canceled):
		return "interrupted"
	}
	return results.StatusFailed
}

// Pruned says which cells of an earlier pass of a run were unlinked from it
// because the run no longer plans them.
type Pruned struct {
	Cells   int      // cells unlinked
	Changed []string // partitions still in the grid whose data changed
	Gone    []string // partitions no longer in the grid
}

// Reason describes why the cells were unlinked.
func (p Pruned) Reason() string {
	var why []string
	if len(p.Changed) > 0 {
		why = append(why, "data changed for "+strings.Join(p.Changed, "; "))
	}
	if len(p.Gone) > 0 {
		why = append(why, "no longer in the grid: "+strings.Join(p.Gone, "; "))
	}
	return strings.Join(why, "; ")
}

// prune unlinks from run runID the cells it no longer plans, so that the run
// keeps one cell per grid point.
func (p *Prepared) prune(ctx context.Context, db *results.DB, runID string) (Pruned, error) {
	current := map[string]bool{}
	for i := 0; i < p.Planner.Len(); i = p.Planner.PartitionEnd(i) {
		c, err := p.Planner.Cell(i)
		if err != nil {
			return Pruned{}, err
		}
		current[c.Partition()] = true
	}
	r, err := db.PruneRunKeys(ctx, runID, func(yield func([]string) error) error { return p.survey(yield) })
	if err != nil || r.Cells == 0 {
		return Pruned{}, err
	}
	out := Pruned{Cells: r.Cells}
	for _, part := range r.Partitions {
		if current[part] {
			out.Changed = append(out.Changed, part)
		} else {
			out.Gone = append(out.Gone, part)
		}
	}
	return out, nil
}

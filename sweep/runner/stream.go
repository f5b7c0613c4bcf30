package runner

import (
	"context"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sweep/results"
)

// Source is a sequence of planned cells that ExecuteSource reads in order,
// a partition at a time, so that a run holds only the cells it is about to
// run rather than every cell of its grid. A Planner is one; Slice and
// ShardOf make others.
type Source interface {
	// Len returns the number of cells.
	Len() int
	// Cell plans cell i, 0 <= i < Len().
	Cell(i int) (Cell, error)
	// PartitionEnd returns the end of the run of cells from i on that read
	// the data cell i reads: cells i..PartitionEnd(i)-1 share a tape.
	PartitionEnd(i int) int
}

// chunkCells bounds the cells of a partition planned at once.
const chunkCells = 256

// Len returns the number of cells of the grid.
func (p *Planner) Len() int { return p.g.Size() }

// PartitionEnd returns the end of cell i's partition: a symbol set × a
// window is the grid's combinations, contiguous in the expansion order.
func (p *Planner) PartitionEnd(i int) int {
	combos := max(p.g.Combos(), 1)
	return min((i/combos+1)*combos, p.g.Size())
}

// DataVersion is the package's DataVersion of every cell of the grid,
// computed from one cell per partition.
func (p *Planner) DataVersion() (string, error) {
	var firsts []Cell
	for i := 0; i < p.Len(); i = p.PartitionEnd(i) {
		c, err := p.Cell(i)
		if err != nil {
			return "", err
		}
		firsts = append(firsts, Cell{Spec: c.Spec})
	}
	return DataVersion(firsts), nil
}

// Slice is a Source of cells already planned.
type Slice []Cell

// Len returns len(s).
func (s Slice) Len() int { return len(s) }

// Cell returns s[i].
func (s Slice) Cell(i int) (Cell, error) { return s[i], nil }

// PartitionEnd returns the end of the run of cells from i with cell i's partition.
func (s Slice) PartitionEnd(i int) int {
	name := s[i].Partition()
	j := i + 1
	for j < len(s) && s[j].Partition() == name {
		j++
	}
	return j
}

// ShardOf returns slice i of n of src, the cells Shard(cells, i, n) returns.
func ShardOf(src Source, i, n int) Source {
	return sub{src: src, lo: src.Len() * i / n, hi: src.Len() * (i + 1) / n}
}

type sub struct {
	src    Source
	lo, hi int
}

func (s sub) Len() int                 { return s.hi - s.lo }
func (s sub) Cell(i int) (Cell, error) { return s.src.Cell(s.lo + i) }
func (s sub) PartitionEnd(i int) int   { return min(s.src.PartitionEnd(s.lo+i), s.hi) - s.lo }

// ExecuteSource is Execute on cells planned as the run reaches them, a
// partition (or chunkCells of a large partition) at a time: its memory does
// not grow with the number of cells. Cells run and are keyed exactly as
// Execute runs the same cells in a slice.
func ExecuteSource(ctx context.Context, st *market.Store, run results.Run, src Source, sink Sink, opt Options) (Stats, error) {
	opt.defaults()
	start := time.Now()
	stats := &Stats{Cells: src.Len()}
	have := map[string]bool{}
	if !opt.Force {
		var err error
		if have, err = sink.Keys(ctx); err != nil {
			return *stats, err
		}
	}
	next, lo, hi := 0, 0, 0
	var seen map[string]bool
	chunks := func(ctx context.Context) (chunk, bool, error) {
		if next >= src.Len() {
			return chunk{}, false, nil
		}
		if next == hi { // a new partition
			lo, hi = next, src.PartitionEnd(next)
			seen = map[string]bool{}
		}
		end := min(next+chunkCells, hi)
		var ch chunk
		var skipped []string
		dups := 0
		for i := next; i < end; i++ {
			c, err := src.Cell(i)
			if err != nil {
				return chunk{}, false, err
			}
			switch {
			case seen[c.Key]: // the grid names one cell twice: run it once
				dups++
			case have[c.Key]:
				skipped = append(skipped, c.Key)
			default:
				ch.cells = append(ch.cells, &c)
			}
			seen[c.Key] = true
		}
		if len(skipped) > 0 {
			if err := sink.Link(ctx, run, skipped); err != nil {
				return chunk{}, false, err
			}
		}
		if n := dups + len(skipped); n > 0 {
			stats.Skipped += n
			if opt.Progress != nil {
				opt.Progress.Skip(n)
			}
		}
		ch.total, ch.last = hi-lo, end == hi
		next = end
		return ch, true, nil
	}
	err := execute(ctx, st, run, sink, opt, stats, chunks)
	stats.Elapsed = time.Since(start)
	return *stats, err
}

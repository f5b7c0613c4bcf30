package runner

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/results"
)

// countSink stores nothing: it counts the cells written, so that the heap a
// run holds is the runner's own.
type countSink struct {
	mu    sync.Mutex
	cells int
}

func (s *countSink) Keys(context.Context) (map[string]bool, error) { return map[string]bool{}, nil }
func (s *countSink) Link(context.Context, results.Run, []string) error {
	return nil
}
func (s *countSink) Write(_ context.Context, _ results.Run, b []*results.Encoded) error {
	s.mu.Lock()
	s.cells += len(b)
	s.mu.Unlock()
	return nil
}

// heapPeak is a Progress that measures the live heap (after a collection)
// each time a batch is stored, keeping the largest.
type heapPeak struct {
	mu   sync.Mutex
	peak uint64
}

func (h *heapPeak) Skip(int) {}
func (h *heapPeak) Add(int) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.mu.Lock()
	h.peak = max(h.peak, m.HeapAlloc)
	h.mu.Unlock()
}

// streamGrid is a grid of n×n×4 cells of the wheel on SPY over three weeks
// of the small market: many cells on a tiny tape.
func streamGrid(n int) string {
	vals := func(from, step float64) string {
		s := "["
		for i := range n {
			if i > 0 {
				s += ", "
			}
			s += fmt.Sprint(from + float64(i)*step)
		}
		return s + "]"
	}
	return fmt.Sprintf(`name: stream
strategy:
  name: wheel
  settings:
    dte_max: 25
    cc_dte_min: 5
symbols: [SPY]
dates: {from: 2024-01-02, to: 2024-01-19}
params:
  exit_pct: %s
  delta_min: %s
  dte_min: [10, 12, 14, 16]
`, vals(0.3, 0.001), vals(0.15, 0.002))
}

// TestItem6ExecuteSourceBounded is issue 18 item 6 for sweep run: running a
// grid streamed from its Planner at DetailMetrics, the live heap's peak does
// not grow with the number of cells. Sixteen times the cells may not raise
// it by more than half of the smaller run's peak growth plus 8 MB (holding
// the larger grid's planned cells alone would).
func TestItem6ExecuteSourceBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("runs thousands of cells")
	}
	st := smallStore(t)
	model := feed.DefaultOptions()
	peak := func(n int) (uint64, int) {
		g := parse(t, streamGrid(n))
		p := NewPlanner(context.Background(), st, g, model)
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		base := m.HeapAlloc
		h, sink := &heapPeak{}, &countSink{}
		opt := cachedOptions(t, Options{Workers: 2, Detail: DetailMetrics, Progress: h, Model: model, BatchSize: 64})
		stats, err := ExecuteSource(context.Background(), st, results.Run{ID: "stream"}, p, sink, opt)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Ran != g.Size() || sink.cells != g.Size() || stats.Partitions != 1 {
			t.Fatalf("%d cells: stats %+v, %d stored", g.Size(), stats, sink.cells)
		}
		if h.peak < base {
			return 0, g.Size()
		}
		return h.peak - base, g.Size()
	}
	small, ns := peak(10)
	large, nl := peak(40)
	t.Logf("live heap growth at peak: %d cells %d KB, %d cells %d KB", ns, small/1024, nl, large/1024)
	if large > small+small/2+8<<20 {
		t.Errorf("live heap growth at peak: %d cells %d KB, %d cells %d KB: grows with the cell count", ns, small/1024, nl, large/1024)
	}
}

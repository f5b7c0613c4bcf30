package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/ingest/synth/synthtest"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/grid"
	"github.com/optsweep/sweep/sweep/results"
)

var (
	// shared is the "small" synthetic market, generated and ingested once; its
	// folder also holds the tape cache.
	shared = synthtest.Shared{Preset: "small"}

	baseOnce sync.Once
	base     map[string]stored // testGrid's cells run with -j 1, by key
	baseErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	shared.Close()
	os.Exit(code)
}

// smallStore is the shared small market.
func smallStore(t *testing.T) *market.Store { return shared.Store(t) }

// testGrid is sweep/testdata/small-wheel.yaml: 8 wheel cells on the small
// preset, in 2 partitions.
var testGrid = mustRead("../testdata/small-wheel.yaml")

func mustRead(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func parse(t *testing.T, text string) *grid.Grid {
	t.Helper()
	g, err := grid.Parse("grid.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func plan(t *testing.T, g *grid.Grid, fingerprint string, model feed.Options) []Cell {
	t.Helper()
	cells, err := Plan(g, g.Cells(), fingerprint, model)
	if err != nil {
		t.Fatal(err)
	}
	return cells
}

// errSink is the error memSink's failing Write wraps.
var errSink = errors.New("sink: disk full")

// memSink is a Sink in memory. It records the size of every batch written and
// every Link, fails the failAt-th Write (from 1; 0: never) and calls after
// once a Write has stored its batch.
type memSink struct {
	mu      sync.Mutex
	cells   map[string]stored
	batches []int
	links   [][]string
	writes  int // Write calls, failed ones included
	rewrite int // cells written under a key already present
	failAt  int
	after   func()
}

func newMemSink() *memSink { return &memSink{cells: map[string]stored{}} }

// stored is a cell as memSink keeps it: its description and the text of its
// encoded rows, table by table, exactly what DBSink would write.
type stored struct {
	Cell     results.Cell
	NoTrades bool
	rows     map[string][]string // table → rows, columns joined by '|'
}

// storedTables are the tables of a cell's rows.
var storedTables = []string{"cell_metrics", "trades", "equity", "events", "decisions"}

// storeCell keeps e's description and rows as text.
func storeCell(e *results.Encoded) stored {
	c := stored{Cell: e.Cell, NoTrades: e.NoTrades, rows: map[string][]string{}}
	var b strings.Builder
	for _, table := range storedTables {
		rec := e.Table(table)
		if rec == nil {
			continue
		}
		for i := range int(rec.NumRows()) {
			b.Reset()
			for j := range int(rec.NumCols()) {
				if j > 0 {
					b.WriteByte('|')
				}
				b.WriteString(rec.Column(j).ValueStr(i))
			}
			c.rows[table] = append(c.rows[table], b.String())
		}
	}
	return c
}

func (s *memSink) Keys(context.Context) (map[string]bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make(map[string]bool, len(s.cells))
	for k := range s.cells {
		keys[k] = true
	}
	return keys, nil
}

func (s *memSink) Write(_ context.Context, run results.Run, enc []*results.Encoded) error {
	batch := make([]stored, len(enc))
	for i, e := range enc {
		batch[i] = storeCell(e)
		e.Release()
	}
	s.mu.Lock()
	s.writes++
	if s.writes == s.failAt {
		s.mu.Unlock()
		return fmt.Errorf("write %d: %w", s.failAt, errSink)
	}
	for _, r := range batch {
		if _, ok := s.cells[r.Cell.Key]; ok {
			s.rewrite++
		}
		s.cells[r.Cell.Key] = r
	}
	s.batches = append(s.batches, len(batch))
	s.mu.Unlock()
	if s.after != nil {
		s.after()
	}
	return nil
}

func (s *memSink) Link(_ context.Context, _ results.Run, keys []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.links = append(s.links, slices.Clone(keys))
	return nil
}

// counter is a Progress that sums what it is told.
type counter struct {
	mu        sync.Mutex
	added     int
	skipped   int
	skipCalls int
}

func (c *counter) Add(n int) {
	c.mu.Lock()
	c.added += n
	c.mu.Unlock()
}

func (c *counter) Skip(n int) {
	c.mu.Lock()
	c.skipped += n
	c.skipCalls++
	c.mu.Unlock()
}

// fixture is what an Execute test needs: the store, the run and its cells.
type fixture struct {
	st    *market.Store
	run   results.Run
	cells []Cell
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	st := smallStore(t)
	fp, err := st.Fingerprint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	g := parse(t, testGrid)
	run := results.Run{ID: RunID(g), Kind: "sweep", Name: g.Name, Config: g.Text, DataFingerprint: fp}
	return fixture{st: st, run: run, cells: plan(t, g, fp, feed.DefaultOptions())}
}

// execute runs f's cells (or the given ones) into sink.
func (f fixture) execute(t *testing.T, ctx context.Context, cells []Cell, sink Sink, opt Options) (Stats, error) {
	t.Helper()
	if cells == nil {
		cells = f.cells
	}
	opt.Model = feed.DefaultOptions()
	return Execute(ctx, f.st, f.run, cells, sink, opt)
}

// cachedOptions are options whose tapes come from a cache shared by the tests
// after the first load, which keeps the test run short.
func cachedOptions(t *testing.T, opt Options) Options {
	t.Helper()
	smallStore(t) // the cache lives in the shared market's folder
	opt.Cache = feed.Cache{Dir: shared.Dir() + "/tapes"}
	return opt
}

// baseline returns testGrid's 8 cells run by one worker one at a time without
// a cache, by key.
func baseline(t *testing.T) map[string]stored {
	t.Helper()
	f := newFixture(t)
	baseOnce.Do(func() {
		sink := newMemSink()
		var st Stats
		st, baseErr = f.execute(t, context.Background(), nil, sink, Options{Workers: 1, Lockstep: 1})
		if baseErr == nil && (st.Ran != 8 || len(sink.cells) != 8) {
			baseErr = fmt.Errorf("baseline: ran %d, stored %d cells, want 8", st.Ran, len(sink.cells))
		}
		base = sink.cells
	})
	if baseErr != nil {
		t.Fatal(baseErr)
	}
	return base
}

// sameResult reports how got differs from want: the cell's description and
// its rows of cell_metrics (orders and rejections among them) and equity (the
// days too), and of trades unless got left them out. Values are compared as
// the text of the encoded rows, which is exact for floats (the shortest text
// that reads back to the same float).
func sameResult(got, want stored) error {
	g, w := got.Cell, want.Cell
	g.RunID, w.RunID = "", ""
	if gs, ws := fmt.Sprintf("%+v", g), fmt.Sprintf("%+v", w); gs != ws {
		return fmt.Errorf("cell differs:\n got %.300s\nwant %.300s", gs, ws)
	}
	tables := []string{"cell_metrics", "equity"}
	if !got.NoTrades {
		tables = append(tables, "trades")
	}
	for _, table := range tables {
		gr, wr := got.rows[table], want.rows[table]
		if len(gr) != len(wr) {
			return fmt.Errorf("%s: %d rows, want %d", table, len(gr), len(wr))
		}
		for i := range gr {
			if gr[i] != wr[i] {
				return fmt.Errorf("%s row %d differs:\n got %.300s\nwant %.300s", table, i, gr[i], wr[i])
			}
		}
	}
	return nil
}

// checkAgainst checks that every cell in sink is complete and equal to the
// baseline's cell of its key, and that it belongs to run.
func checkAgainst(t *testing.T, what string, sink *memSink, runID string, want map[string]stored) {
	t.Helper()
	for k, r := range sink.cells {
		b, ok := want[k]
		if !ok {
			t.Errorf("%s: cell %s is not one of the grid's", what, k)
			continue
		}
		if len(r.rows["cell_metrics"]) != 1 || len(r.rows["equity"]) == 0 {
			t.Errorf("%s: cell %s is incomplete", what, k)
			continue
		}
		if r.Cell.RunID != runID {
			t.Errorf("%s: cell %s has run %q, want %q", what, k, r.Cell.RunID, runID)
		}
		if err := sameResult(r, b); err != nil {
			t.Errorf("%s: cell %s: %v", what, k, err)
		}
	}
}

func TestPlan(t *testing.T) {
	g := parse(t, testGrid)
	cells := plan(t, g, "fp-a", feed.DefaultOptions())
	if len(cells) != 8 {
		t.Fatalf("%d cells, want 2 symbol sets × 2 × 2 = 8", len(cells))
	}
	again := plan(t, g, "fp-a", feed.DefaultOptions())
	keys := map[string]int{}
	for i, c := range cells {
		if c.Key != again[i].Key {
			t.Errorf("cell %d: key %s, then %s", i, c.Key, again[i].Key)
		}
		if c.Key != c.Spec.Key() {
			t.Errorf("cell %d: key %s, spec key %s", i, c.Key, c.Spec.Key())
		}
		if j, dup := keys[c.Key]; dup {
			t.Errorf("cells %d and %d share key %s", j, i, c.Key)
		}
		keys[c.Key] = i
		// 4 combinations per (symbols, window): cells 0-3 are SPY's, 4-7 AAPL's.
		if c.Index != i || c.Combo != i%4 || c.Fold != -1 {
			t.Errorf("cell %d: index %d, combo %d, fold %d; want %d, %d, -1", i, c.Index, c.Combo, c.Fold, i, i%4)
		}
		if c.Spec.Fingerprint != "fp-a" || c.Spec.Model != "rate=0.04 dividend=0 american=false" {
			t.Errorf("cell %d: fingerprint %q, model %q", i, c.Spec.Fingerprint, c.Spec.Model)
		}
	}
	// Cell 5: symbol set 5/4 = 1 (AAPL), combination 5%4 = 1: dte_min is the
	// slower axis (index 1/2 = 0: 10), exit_pct the faster (index 1%2 = 1:
	// 0.75); the settings are set too.
	const label = "cell 5 (AAPL 2024-01-02..2024-03-28; cc_dte_min=5 dte_max=25 dte_min=10 exit_pct=0.75)"
	if got := cells[5].Label(); got != label {
		t.Errorf("label %q\n want %q", got, label)
	}
	if got := cells[5].Partition(); got != "AAPL 2024-01-02..2024-03-28" {
		t.Errorf("partition %q", got)
	}
	// The spec holds every parameter, defaults included: delta_min is not in
	// the grid and is the wheel's default 0.25.
	if p := cells[5].Spec.Params; p["delta_min"] == "" || p["dte_min"] != "10" || p["dte_max"] != "25" {
		t.Errorf("params %v", p)
	}
	if cells[5].Types["dte_min"] != "int" || cells[5].Types["exit_pct"] != "float" {
		t.Errorf("types %v", cells[5].Types)
	}
}

func TestPlanSymbolsSorted(t *testing.T) {
	g := &grid.Grid{Path: "g.yaml", Strategy: "wheel"}
	w := grid.Window{From: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 28, 0, 0, 0, 0, time.UTC)}
	syms := []string{"SPY", "AAPL"}
	cells, err := Plan(g, []grid.Cell{{Index: 0, Symbols: syms, Window: w, Fold: 2, Params: map[string]string{}}}, "fp", feed.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := cells[0].Spec.Symbols; !slices.Equal(got, []string{"AAPL", "SPY"}) {
		t.Errorf("symbols %v, want sorted", got)
	}
	if !slices.Equal(syms, []string{"SPY", "AAPL"}) {
		t.Errorf("Plan changed the grid's symbols to %v", syms)
	}
	if cells[0].Fold != 2 {
		t.Errorf("fold %d, want the grid cell's 2", cells[0].Fold)
	}
}

func TestPlanError(t *testing.T) {
	g := &grid.Grid{Path: "g.yaml", Strategy: "wheel"}
	bad := []grid.Cell{{Index: 3, Symbols: []string{"SPY"}, Params: map[string]string{"exit_pct": "1.5"}}}
	_, err := Plan(g, bad, "fp", feed.DefaultOptions())
	if err == nil || !strings.Contains(err.Error(), "g.yaml: cell 3:") || !strings.Contains(err.Error(), "exit_pct") {
		t.Errorf("error %v, want one naming g.yaml, cell 3 and exit_pct", err)
	}
}

// oneCell is a one-cell wheel grid on SPY with the given params block.
func oneCell(symbols, to, params string) string {
	return "name: one\nstrategy: {name: wheel, settings: {dte_max: 25}}\nsymbols: [" + symbols +
		"]\ndates: {from: 2024-01-02, to: " + to + "}\nparams:\n" + params
}

func TestPlanKeys(t *testing.T) {
	def := feed.DefaultOptions()
	ref := oneCell("SPY", "2024-03-28", "  dte_min: [10]\n")
	other := def
	other.Rate = 0.05
	american := def
	american.American = true
	tests := []struct {
		name        string
		text        string
		fingerprint string
		model       feed.Options
		same        bool
	}{
		{"same text", ref, "fp", def, true},
		{"default written out", oneCell("SPY", "2024-03-28", "  dte_min: [10]\n  exit_pct: [0.5]\n"), "fp", def, true},
		{"default written as a setting", oneCell("SPY", "2024-03-28", "  dte_min: 10\n  exit_pct: 0.50\n"), "fp", def, true},
		{"history days (not a model setting)", ref, "fp", feed.Options{Rate: 0.04, HistoryDays: 10}, true},
		{"param", oneCell("SPY", "2024-03-28", "  dte_min: [10]\n  exit_pct: [0.6]\n"), "fp", def, false},
		{"param at another value", oneCell("SPY", "2024-03-28", "  dte_min: [11]\n"), "fp", def, false},
		{"symbol", oneCell("AAPL", "2024-03-28", "  dte_min: [10]\n"), "fp", def, false},
		{"symbol set", oneCell(`"SPY,AAPL"`, "2024-03-28", "  dte_min: [10]\n"), "fp", def, false},
		{"window", oneCell("SPY", "2024-03-27", "  dte_min: [10]\n"), "fp", def, false},
		{"fingerprint", ref, "fp2", def, false},
		{"rate", ref, "fp", other, false},
		{"exercise", ref, "fp", american, false},
	}
	want := plan(t, parse(t, ref), "fp", def)[0].Key
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells := plan(t, parse(t, tt.text), tt.fingerprint, tt.model)
			if len(cells) != 1 {
				t.Fatalf("%d cells", len(cells))
			}
			if got := cells[0].Key; (got == want) != tt.same {
				t.Errorf("key %s, reference %s: same = %t, want %t", got, want, got == want, tt.same)
			}
		})
	}
}

func TestShard(t *testing.T) {
	for _, size := range []int{0, 1, 2, 3, 5, 7, 8, 13, 100} {
		cells := make([]Cell, size)
		for i := range cells {
			cells[i].Index = i
		}
		for n := 1; n <= 5; n++ {
			var all []int
			for i := range n {
				s := Shard(cells, i, n)
				// Contiguous blocks: each is size/n cells, rounded down or up.
				if len(s) < size/n || len(s) > (size+n-1)/n {
					t.Errorf("size %d, shard %d/%d: %d cells, want %d or %d", size, i, n, len(s), size/n, (size+n-1)/n)
				}
				again := Shard(cells, i, n)
				for j := range s {
					all = append(all, s[j].Index)
					if again[j].Index != s[j].Index {
						t.Errorf("size %d, shard %d/%d: cell %d is %d, then %d", size, i, n, j, s[j].Index, again[j].Index)
					}
				}
			}
			// Disjoint and covering, in order: the shards concatenated are 0..size-1.
			for j, x := range all {
				if x != j {
					t.Fatalf("size %d, %d shards: concatenated %v", size, n, all)
				}
			}
			if len(all) != size {
				t.Errorf("size %d, %d shards: %d cells in all", size, n, len(all))
			}
		}
	}
	// 8 cells in 3 shards: bounds 8·0/3 = 0, 8·1/3 = 2, 8·2/3 = 5, 8·3/3 = 8.
	cells := make([]Cell, 8)
	for i := range cells {
		cells[i].Index = i
	}
	want := [][]int{{0, 1}, {2, 3, 4}, {5, 6, 7}}
	for i, w := range want {
		var got []int
		for _, c := range Shard(cells, i, 3) {
			got = append(got, c.Index)
		}
		if !slices.Equal(got, w) {
			t.Errorf("shard %d/3: %v, want %v", i, got, w)
		}
	}
}

func TestRunID(t *testing.T) {
	g := parse(t, testGrid)
	id := RunID(g)
	// "test-wheel" + "-" + 8 hex digits.
	if !strings.HasPrefix(id, "test-wheel-") || len(id) != len("test-wheel-")+8 ||
		strings.Trim(id[len("test-wheel-"):], "0123456789abcdef") != "" {
		t.Errorf("id %q, want test-wheel- and 8 hex digits", id)
	}
	if again := RunID(parse(t, testGrid)); again != id {
		t.Errorf("same text: %q, then %q", id, again)
	}
	edits := map[string]string{
		"value":   strings.Replace(testGrid, "0.75", "0.7", 1),
		"comment": testGrid + "# a note\n",
	}
	for what, text := range edits {
		if other := RunID(parse(t, text)); other == id || !strings.HasPrefix(other, "test-wheel-") {
			t.Errorf("edited %s: id %q, first %q", what, other, id)
		}
	}
}

func TestParseDetail(t *testing.T) {
	for _, s := range []string{"metrics", "trades", "full"} {
		if d, err := ParseDetail(s); err != nil || string(d) != s {
			t.Errorf("ParseDetail(%q) = %q, %v", s, d, err)
		}
	}
	if _, err := ParseDetail("all"); err == nil {
		t.Error("ParseDetail(all): no error")
	}
	o := Options{}.WithDefaults()
	if o.Workers < 1 || o.MaxPartitions != 2 || o.BatchSize != 1024 || o.BatchRows != 250_000 || o.Writers != 1 ||
		o.FlushEvery != 2*time.Second || o.MaxWait != 10*time.Second || o.Detail != DetailTrades || o.Log == nil {
		t.Errorf("defaults %+v", o)
	}
}

func TestExecuteWorkers(t *testing.T) {
	want := baseline(t)
	f := newFixture(t)
	sink, prog := newMemSink(), &counter{}
	st, err := f.execute(t, context.Background(), nil, sink, cachedOptions(t, Options{Workers: 3, Progress: prog}))
	if err != nil {
		t.Fatal(err)
	}
	if st.Cells != 8 || st.Ran != 8 || st.Skipped != 0 || st.Partitions != 2 || st.Contracts == 0 {
		t.Errorf("stats %+v", st)
	}
	if len(sink.cells) != 8 || sink.rewrite != 0 || len(sink.links) != 0 {
		t.Errorf("%d cells, %d rewritten, links %v", len(sink.cells), sink.rewrite, sink.links)
	}
	if prog.added != 8 || prog.skipCalls != 0 {
		t.Errorf("progress: %d added, %d skip calls", prog.added, prog.skipCalls)
	}
	checkAgainst(t, "-j 3 against -j 1", sink, f.run.ID, want)
	trades := 0
	for _, r := range sink.cells {
		trades += len(r.rows["trades"])
		if len(r.rows["events"]) != 0 || len(r.rows["decisions"]) != 0 {
			t.Errorf("cell %s: detail trades kept %d events, %d decisions", r.Cell.Key, len(r.rows["events"]), len(r.rows["decisions"]))
		}
	}
	if trades == 0 {
		t.Error("no cell traded: the comparison proves little")
	}
}

// Cells run in lockstep (each partition's four cells stepping a day at a time
// together, on one worker and on two) give every cell exactly the rows it has
// run alone, trades included.
func TestExecuteLockstep(t *testing.T) {
	want := baseline(t)
	for _, tc := range []struct{ workers, lockstep int }{{1, 4}, {2, 3}} {
		f := newFixture(t)
		sink := newMemSink()
		st, err := f.execute(t, context.Background(), nil, sink, cachedOptions(t, Options{Workers: tc.workers, Lockstep: tc.lockstep}))
		if err != nil {
			t.Fatal(err)
		}
		if st.Ran != 8 || len(sink.cells) != 8 {
			t.Fatalf("-j %d, lockstep %d: ran %d, stored %d cells", tc.workers, tc.lockstep, st.Ran, len(sink.cells))
		}
		checkAgainst(t, fmt.Sprintf("-j %d in lockstep by %d against one at a time", tc.workers, tc.lockstep), sink, f.run.ID, want)
	}
}

func TestExecuteDetail(t *testing.T) {
	want := baseline(t)
	f := newFixture(t)
	tests := []struct {
		detail   Detail
		noTrades bool // the sink is told to leave out the trades
		events   bool // the book's events and the decision log are kept
	}{
		{DetailMetrics, true, false},
		{DetailTrades, false, false},
		{DetailFull, false, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.detail), func(t *testing.T) {
			sink := newMemSink()
			if _, err := f.execute(t, context.Background(), nil, sink, cachedOptions(t, Options{Workers: 2, Detail: tt.detail})); err != nil {
				t.Fatal(err)
			}
			if len(sink.cells) != 8 {
				t.Fatalf("%d cells", len(sink.cells))
			}
			events := 0
			for k, r := range sink.cells {
				events += len(r.rows["events"]) + len(r.rows["decisions"])
				if r.NoTrades != tt.noTrades || (r.NoTrades && len(r.rows["trades"]) != 0) {
					t.Errorf("cell %s: NoTrades %t, %d trade rows", k, r.NoTrades, len(r.rows["trades"]))
				}
			}
			if (events > 0) != tt.events {
				t.Errorf("%d events and notes kept, want some: %t", events, tt.events)
			}
			// The detail changes what is stored, never the backtest.
			checkAgainst(t, string(tt.detail), sink, f.run.ID, want)
		})
	}
}

func TestExecuteSkips(t *testing.T) {
	want := baseline(t)
	f := newFixture(t)
	sink, prog := newMemSink(), &counter{}
	for _, c := range f.cells[:3] {
		sink.cells[c.Key] = want[c.Key]
	}
	st, err := f.execute(t, context.Background(), nil, sink, cachedOptions(t, Options{Workers: 2, Progress: prog}))
	if err != nil {
		t.Fatal(err)
	}
	// 3 of 8 stored: 5 run, 3 skipped and linked, in grid order.
	if st.Cells != 8 || st.Ran != 5 || st.Skipped != 3 {
		t.Errorf("stats %+v", st)
	}
	wantLink := []string{f.cells[0].Key, f.cells[1].Key, f.cells[2].Key}
	if len(sink.links) != 1 || !slices.Equal(sink.links[0], wantLink) {
		t.Errorf("links %v, want [%v]", sink.links, wantLink)
	}
	if prog.skipped != 3 || prog.skipCalls != 1 || prog.added != 5 {
		t.Errorf("progress: %d skipped in %d calls, %d added", prog.skipped, prog.skipCalls, prog.added)
	}
	if len(sink.cells) != 8 || sink.rewrite != 0 {
		t.Errorf("%d cells, %d rewritten", len(sink.cells), sink.rewrite)
	}
	checkAgainst(t, "resumed", sink, f.run.ID, want)

	// Everything stored: nothing runs, no tape loads, all 8 are linked.
	prog2 := &counter{}
	writes := sink.writes
	st, err = f.execute(t, context.Background(), nil, sink, cachedOptions(t, Options{Progress: prog2}))
	if err != nil {
		t.Fatal(err)
	}
	if st.Ran != 0 || st.Skipped != 8 || st.Partitions != 0 || sink.writes != writes {
		t.Errorf("rerun: stats %+v, %d writes", st, sink.writes-writes)
	}
	if len(sink.links) != 2 || len(sink.links[1]) != 8 || prog2.skipped != 8 {
		t.Errorf("rerun: links %d, last %d keys; progress skipped %d", len(sink.links), len(sink.links[len(sink.links)-1]), prog2.skipped)
	}
}

func TestExecuteForce(t *testing.T) {
	want := baseline(t)
	f := newFixture(t)
	sink := newMemSink()
	for k, r := range want {
		r.Cell.RunID = "before" // checkAgainst wants the forced run's: every cell rewritten
		sink.cells[k] = r
	}
	st, err := f.execute(t, context.Background(), nil, sink, cachedOptions(t, Options{Workers: 2, Force: true}))
	if err != nil {
		t.Fatal(err)
	}
	if st.Ran != 8 || st.Skipped != 0 || sink.rewrite != 8 || len(sink.links) != 0 {
		t.Errorf("stats %+v, %d rewritten, links %v", st, sink.rewrite, sink.links)
	}
	checkAgainst(t, "forced", sink, f.run.ID, want)
}

func TestExecuteDuplicates(t *testing.T) {
	want := baseline(t)
	f := newFixture(t)
	cells := append(slices.Clone(f.cells), f.cells[1], f.cells[6], f.cells[1])
	sink, prog := newMemSink(), &counter{}
	st, err := f.execute(t, context.Background(), cells, sink, cachedOptions(t, Options{Workers: 2, Progress: prog}))
	if err != nil {
		t.Fatal(err)
	}
	// 11 cells naming 8 keys: 8 run, 11 − 8 = 3 skipped, none linked.
	if st.Cells != 11 || st.Ran != 8 || st.Skipped != 3 || len(sink.links) != 0 {
		t.Errorf("stats %+v, links %v", st, sink.links)
	}
	if len(sink.cells) != 8 || sink.rewrite != 0 || prog.skipped != 3 || prog.added != 8 {
		t.Errorf("%d cells, %d rewritten; progress %d skipped, %d added", len(sink.cells), sink.rewrite, prog.skipped, prog.added)
	}
	checkAgainst(t, "duplicates", sink, f.run.ID, want)
}

func TestExecuteOnePartitionAtATime(t *testing.T) {
	want := baseline(t)
	f := newFixture(t)
	sink := newMemSink()
	st, err := f.execute(t, context.Background(), nil, sink, cachedOptions(t, Options{Workers: 2, MaxPartitions: 1, BatchSize: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if st.Ran != 8 || st.Partitions != 2 || len(sink.cells) != 8 {
		t.Errorf("stats %+v, %d cells", st, len(sink.cells))
	}
	checkAgainst(t, "max partitions 1", sink, f.run.ID, want)
}

func TestExecuteBatches(t *testing.T) {
	baseline(t)
	f := newFixture(t)
	sink := newMemSink()
	// No timed flush: 8 cells in batches of 3 are 3 + 3 + 2.
	opt := Options{Workers: 2, BatchSize: 3, FlushEvery: time.Hour}
	if _, err := f.execute(t, context.Background(), nil, sink, cachedOptions(t, opt)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sink.batches, []int{3, 3, 2}) {
		t.Errorf("batches %v, want [3 3 2]", sink.batches)
	}
	// With a timed flush batches may be smaller, never larger.
	sink = newMemSink()
	opt.FlushEvery = time.Millisecond
	if _, err := f.execute(t, context.Background(), nil, sink, cachedOptions(t, opt)); err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, n := range sink.batches {
		sum += n
		if n < 1 || n > 3 {
			t.Errorf("batch of %d", n)
		}
	}
	if sum != 8 {
		t.Errorf("batches %v: %d cells", sink.batches, sum)
	}
}

func TestExecuteSinkError(t *testing.T) {
	baseline(t)
	f := newFixture(t)
	for range 3 { // the error must win every time, whatever the interleaving
		sink := newMemSink()
		sink.failAt = 2
		st, err := f.execute(t, context.Background(), nil, sink, cachedOptions(t, Options{Workers: 2, BatchSize: 1}))
		if !errors.Is(err, errSink) {
			t.Fatalf("error %v, want the sink's", err)
		}
		// The first batch (1 cell) was stored, the second failed, nothing after.
		if st.Ran != 1 || len(sink.cells) != 1 || sink.writes != 2 {
			t.Errorf("stats %+v; %d cells stored in %d writes, want 1 in 2", st, len(sink.cells), sink.writes)
		}
	}
}

func TestExecuteCancel(t *testing.T) {
	want := baseline(t)
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink := newMemSink()
	sink.after = cancel
	st, err := f.execute(t, ctx, nil, sink, cachedOptions(t, Options{Workers: 1, BatchSize: 1}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	// When the first Write cancels, at most 5 cells have started: the one
	// written, one in the batcher, 2 in the results channel (2 × 1 worker)
	// and one in the worker, which then stops.
	if n := len(sink.cells); n < 1 || n > 5 || st.Ran != n || sink.rewrite != 0 {
		t.Errorf("stats %+v, %d cells stored, want 1 to 5", st, n)
	}
	checkAgainst(t, "cancelled", sink, f.run.ID, want)
}

func TestBatchFlush(t *testing.T) {
	done := make(chan *results.Encoded)
	out := make(chan []*results.Encoded)
	errc := make(chan error, 1)
	go func() {
		errc <- batch(context.Background(), done, out, Options{BatchSize: 100, FlushEvery: time.Millisecond})
		close(out)
	}()
	done <- &results.Encoded{Cell: results.Cell{Key: "a"}}
	// done is still open and the batch is far from full: only the timer
	// sends it.
	if b := <-out; len(b) != 1 || b[0].Cell.Key != "a" {
		t.Errorf("flushed %v", b)
	}
	done <- &results.Encoded{Cell: results.Cell{Key: "b"}}
	close(done)
	var keys []string
	for b := range out {
		for _, r := range b {
			keys = append(keys, r.Cell.Key)
		}
	}
	if err := <-errc; err != nil || !slices.Equal(keys, []string{"b"}) {
		t.Errorf("batch: %v, then %v", err, keys)
	}

	// A stopped writer (a done ctx) stops the batcher with its error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := batch(ctx, make(chan *results.Encoded), make(chan []*results.Encoded), Options{BatchSize: 1, FlushEvery: time.Hour}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled batch: %v", err)
	}
}

// equityCells encodes n cells of rows equity rows each.
func equityCells(t *testing.T, n, rows int) []*results.Encoded {
	t.Helper()
	out := make([]*results.Encoded, n)
	for i := range out {
		res := &sim.Result{Days: make([]int32, rows), Equity: make([]float64, rows), Cash: make([]float64, rows),
			Collateral: make([]float64, rows)}
		e, err := results.Encode(results.CellResult{Cell: results.Cell{Key: fmt.Sprintf("c%d", i)}, Result: res})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = e
	}
	return out
}

// TestBatchAligned checks that a batch past BatchRows waits for cells until its
// largest table fills DuckDB's row groups (results.Tally.Aligned), up to twice
// BatchRows, and that a timed flush waits for alignment up to MaxWait.
func TestBatchAligned(t *testing.T) {
	const g = results.RowGroupRows
	sizes := func(opt Options, cells []*results.Encoded, closeAfter bool) []int {
		done := make(chan *results.Encoded)
		out := make(chan []*results.Encoded, len(cells))
		errc := make(chan error, 1)
		go func() { errc <- batch(context.Background(), done, out, opt); close(out) }()
		for _, e := range cells {
			done <- e
		}
		if closeAfter {
			close(done)
		}
		var got []int
		for b := range out {
			got = append(got, len(b))
			if !closeAfter && len(got) == 1 {
				close(done)
			}
		}
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
		return got
	}
	hour := time.Hour
	for _, tt := range []struct {
		what  string
		opt   Options
		rows  int // equity rows a cell
		cells int
		want  []int
	}{
		// Past BatchRows after 2 cells (1.06 row groups): aligned at 3 (1.59).
		{"aligned", Options{BatchSize: 100, BatchRows: 100_000, FlushEvery: hour, MaxWait: hour}, 65_000, 7, []int{3, 3, 1}},
		// Never aligned (a cell of 0.2 row groups): cut at twice BatchRows.
		{"capped", Options{BatchSize: 100, BatchRows: 50_000, FlushEvery: hour, MaxWait: hour}, g / 5, 9, []int{5, 4}},
		// BatchSize still caps the cells.
		{"cells", Options{BatchSize: 2, BatchRows: 100_000, FlushEvery: hour, MaxWait: hour}, 65_000, 5, []int{2, 2, 1}},
	} {
		if got := sizes(tt.opt, equityCells(t, tt.cells, tt.rows), true); !slices.Equal(got, tt.want) {
			t.Errorf("%s: batches %v, want %v", tt.what, got, tt.want)
		}
	}
	// A timed flush sends an aligned batch, and a small one only once it
	// has waited MaxWait.
	ms := time.Millisecond
	if got := sizes(Options{BatchSize: 100, BatchRows: 1 << 30, FlushEvery: ms, MaxWait: hour}, equityCells(t, 2, g/2), false); !slices.Equal(got, []int{2}) {
		t.Errorf("aligned, timed: batches %v, want [2]", got)
	}
	if got := sizes(Options{BatchSize: 100, BatchRows: 1 << 30, FlushEvery: ms, MaxWait: 5 * ms}, equityCells(t, 1, 10), false); !slices.Equal(got, []int{1}) {
		t.Errorf("small, waited: batches %v, want [1]", got)
	}
}

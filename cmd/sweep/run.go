package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/grid"
	"github.com/optsweep/sweep/sweep/progress"
	"github.com/optsweep/sweep/sweep/results"
	"github.com/optsweep/sweep/sweep/runner"
)

// runOptions is one `sweep run`'s settings.
type runOptions struct {
	grid       string
	db, out    string // override the grid's data and out
	workers    int
	maxParts   int
	streamDays int // stream partitions in blocks of this many days; 0 loads whole tapes
	force      bool
	shard      string // "i/N"
	shards     int    // N when the index comes from the environment
	parts      string
	cache      string
	noCache    bool
	progress   string
	quiet      bool
	env        func(string) string
	flushEvery time.Duration // tests shorten it
	batch      int
	detail     string
	window     *grid.Window // replaces the grid's dates (the demo fits its grid to the generated market)
}

func runCommand() *command {
	c := &command{
		name:  "run",
		usage: "sweep run [flags] GRID.yaml",
		short: "run a grid search: every cell of GRID.yaml, in parallel, resumable",
		long: `Run expands the grid file into cells (symbol sets × date windows × parameter
combinations × seeds), loads each (symbols, dates) partition's chains once,
computes their greeks once (or takes them from the cache), and runs the cells
on -j workers sharing that data read-only. Finished cells stream to the
results DB in batches, one transaction each.

Resuming: a cell is written whole or not at all, and its key hashes its
strategy, symbols, dates, every parameter value, the greeks model, the
market data's fingerprint and the engine version. Running the same grid again
skips cells already in the results DB (--force recomputes them), so after
Ctrl-C, kill -9 or a lost machine you run the same command again. Ctrl-C
stops cleanly: finished cells are written first.

Each cell stores its row in cells, its metrics, its trades and its daily
equity; --detail metrics leaves the trades out (for very large sweeps), and
--detail full also stores the book's events and the strategy's
decision log (thousands of rows a cell: use it for a few cells, or rerun one
with "sweep backtest"). A cell already stored is not recomputed to add
detail unless --force.

Walk-forward grids (dates: walk_forward) run every combination on each
training window, then rerun the best one (by the grid's metric) on the next
window as a cell of a separate run, <run id>-oos; the folds are in the
walk_forward table.

Clusters: --shard i/N (0 ≤ i < N) runs the i-th of N stable slices of the
cells, opening the market DB read-only and writing Parquet parts under --parts
instead of the results DB; "sweep merge" loads the parts. Without --shard the
slice comes from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shards
N or JOB_COMPLETION_COUNT) or a Slurm array (SLURM_ARRAY_TASK_ID,
SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT). See sweep/deploy.

"sweep plan GRID.yaml" shows what a run would do; testdata grids are in
sweep/testdata. Results: "sweep query", "go doc ./sweep/results".`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		o := runOptions{env: os.Getenv}
		fs.IntVar(&o.workers, "j", runtime.NumCPU(), "cells run at once")
		fs.IntVar(&o.maxParts, "max-partitions", 2, "(symbols, dates) tapes held in memory at once")
		fs.IntVar(&o.streamDays, "stream-days", 0, "stream each partition's window in blocks of `N` trading days instead of holding its whole tape (memory by symbols x N, for universe scans; no cache, no intraday); 0 holds whole tapes")
		fs.BoolVar(&o.force, "force", false, "recompute cells already in the results")
		fs.StringVar(&o.shard, "shard", "", "run slice `i/N` of the cells (0-based i) and write Parquet parts")
		fs.IntVar(&o.shards, "shards", 0, "number of shards when the index comes from JOB_COMPLETION_INDEX")
		fs.StringVar(&o.parts, "parts", "", "directory of a shard's Parquet parts (default: parts/<grid name> next to the results DB)")
		fs.StringVar(&o.db, "db", "", "market DB (default: the grid's data)")
		fs.StringVar(&o.out, "out", "", "results DB (default: the grid's out)")
		fs.StringVar(&o.cache, "cache", "", "directory of the greeks cache (default: cache/ next to the market DB)")
		fs.BoolVar(&o.noCache, "no-cache", false, "neither read nor write the greeks cache")
		fs.StringVar(&o.detail, "detail", "trades", "what to store of each cell: metrics (cells, metrics, equity), trades (and trades) or full (and events and decision logs)")
		fs.StringVar(&o.progress, "progress", "auto", "progress display: auto, bar, lines or off")
		fs.BoolVar(&o.quiet, "q", false, "print only the summary")
		cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to `file` (go tool pprof)")
		fs.IntVar(&o.batch, "batch", 64, "cells per write transaction (a kill loses at most one batch of work)")
		pos, err := parseInterleaved(fs, args, s)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usageErrorf("want one grid file, got %d arguments", len(pos))
		}
		o.grid = pos[0]
		if o.workers < 1 || o.maxParts < 1 || o.streamDays < 0 {
			return usageErrorf("-j and --max-partitions must be at least 1, --stream-days at least 0")
		}
		if *cpuProfile != "" {
			stop, err := startCPUProfile(*cpuProfile)
			if err != nil {
				return err
			}
			defer stop()
		}
		_, err = runGrid(ctx, o, s)
		return err
	}
	return c
}

// runReport is what runGrid did.
type runReport struct {
	RunID string
	Stats runner.Stats
	Folds []results.FoldRow
}

// loaded is a grid ready to run: parsed, its data opened, its cells
// planned on demand.
type loaded struct {
	g             *grid.Grid
	store         *market.Store
	fp            string // data version of every cell (surveyGrid)
	model         feed.Options
	planner       *runner.Planner // plans cells one by one
	data, outPath string
}

func (l *loaded) Close() { l.store.Close() }

// openGrid parses the grid and opens its market DB read-only; l.planner
// plans its cells on demand, and surveyGrid plans each once.
func openGrid(ctx context.Context, path, db, out string, window *grid.Window) (*loaded, error) {
	g, err := grid.Load(path)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	if window != nil && g.WalkForward == nil {
		g.Windows = []grid.Window{*window}
	}
	l := &loaded{g: g, data: g.Data, outPath: g.Out, model: feed.DefaultOptions()}
	if db != "" {
		l.data = db
	}
	if out != "" {
		l.outPath = out
	}
	l.model.Rate, l.model.Dividend, l.model.American = g.Model.Rate, g.Model.Dividend, g.Model.American
	if _, err := os.Stat(l.data); err != nil {
		return nil, fmt.Errorf("%s: market DB %s: %w (run `sweep demo` or `sweep ingest` first)", path, l.data, err)
	}
	if err := checkDBs(ctx, l.data, l.outPath); err != nil {
		return nil, err
	}
	if l.store, err = market.OpenReadOnly(l.data); err != nil {
		return nil, err
	}
	l.planner = runner.NewPlanner(ctx, l.store, g, l.model)
	return l, nil
}

// intradayEvery returns how often the cells' strategy steps within the
// session (0 for daily strategies). Every cell of a grid must agree, since
// they share their partitions' tapes.
func intradayEvery(cells []runner.Cell) (time.Duration, error) {
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

// runGrid runs o's grid and prints a summary. It streams the grid's cells
// (runner.ExecuteSource): its memory does not grow with their number.
func runGrid(ctx context.Context, o runOptions, s stdio) (*runReport, error) {
	l, err := openGrid(ctx, o.grid, o.db, o.out, o.window)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	if err := surveyGrid(l, nil); err != nil {
		return nil, err
	}
	g := l.g
	i, n, sharded, err := shardOf(o)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	var cells runner.Source = l.planner
	if sharded {
		cells = runner.ShardOf(cells, i, n)
	}
	rep := &runReport{RunID: runner.RunID(g)}
	run := results.Run{ID: rep.RunID, Kind: "sweep", Name: g.Name, Config: g.Text, EngineVersion: sim.Version,
		DataFingerprint: l.fp, MarketDB: l.data, Started: time.Now().UTC()}
	opt := o.runnerOptions(l, s)
	if opt.Detail, err = runner.ParseDetail(o.detail); err != nil {
		return nil, usageErrorf("--%v", err)
	}
	label := g.Name
	if sharded {
		label = fmt.Sprintf("%s shard %d/%d", g.Name, i, n)
	}
	if !o.quiet {
		fmt.Fprintf(s.out, "%s: %d cells of %d (run %s), %d workers\n", label, cells.Len(), g.Size(), rep.RunID, opt.Workers)
	}
	bar := progress.New(s.err, cells.Len(), progress.Options{Label: label, Mode: progressMode(o.progress, o.quiet)})
	opt.Progress = bar
	if sharded {
		rep.Stats, err = runShard(ctx, l, o, i, n, run, cells, opt)
		bar.Done()
		printRunStats(s.out, label, rep.Stats)
		return rep, err
	}
	db, err := results.Open(l.outPath)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.BeginRun(ctx, run); err != nil {
		return nil, err
	}
	if err := pruneRun(ctx, db, run.ID, l, s.out); err != nil {
		return nil, err
	}
	rep.Stats, err = runner.ExecuteSource(ctx, l.store, run, cells, runner.DBSink{DB: db}, opt)
	bar.Done()
	printRunStats(s.out, label, rep.Stats)
	if err == nil && g.WalkForward != nil {
		rep.Folds, err = walkForward(ctx, l, db, run, opt, s)
	}
	if ferr := db.FinishRun(context.WithoutCancel(ctx), run.ID, time.Now().UTC(), status(err)); ferr != nil {
		err = errors.Join(err, ferr)
	}
	if err != nil {
		return rep, err
	}
	if !o.quiet {
		printBest(ctx, s.out, db, run.ID, l, 5)
		fmt.Fprintf(s.out, "results: %s (sweep query --db %s \"...\")\n", l.outPath, l.outPath)
	}
	return rep, nil
}

// surveyGrid plans every cell of l's grid once, a batch at a time, before a
// run starts: a cell that does not plan is a usage error before anything is
// written, as when every cell was planned up front. It sets l.fp and
// l.model.IntradayEvery, and hands each batch's keys to keys when not nil.
func surveyGrid(l *loaded, keys func([]string) error) error {
	const batch = 4096
	var firsts []runner.Cell // a cell of each partition, for the data version
	steps := map[string]bool{}
	var kb []string
	for i := range l.planner.Len() {
		c, err := l.planner.Cell(i)
		if err != nil {
			return usageErrorf("%v", err)
		}
		if i == 0 || l.planner.PartitionEnd(i-1) == i {
			firsts = append(firsts, runner.Cell{Spec: c.Spec})
		}
		if v := c.Spec.Params["step_minutes"]; !steps[v] && len(steps) < 64 {
			steps[v] = true
			firsts = append(firsts, runner.Cell{Spec: c.Spec})
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
	if keys != nil && len(kb) > 0 {
		if err := keys(kb); err != nil {
			return err
		}
	}
	if keys != nil {
		return nil
	}
	l.fp = runner.DataVersion(firsts)
	var err error
	if l.model.IntradayEvery, err = intradayEvery(firsts); err != nil {
		return usageErrorf("%s: %v", l.g.Path, err)
	}
	return nil
}

// pruneRun unlinks from the run the cells it no longer plans, saying how many
// and why (the data of their partition changed, or the partition is no longer
// in the grid), so that the run keeps one cell per grid point.
func pruneRun(ctx context.Context, db *results.DB, runID string, l *loaded, w io.Writer) error {
	current := map[string]bool{}
	for i := 0; i < l.planner.Len(); i = l.planner.PartitionEnd(i) {
		c, err := l.planner.Cell(i)
		if err != nil {
			return err
		}
		current[c.Partition()] = true
	}
	p, err := db.PruneRunKeys(ctx, runID, func(yield func([]string) error) error { return surveyGrid(l, yield) })
	if err != nil || p.Cells == 0 {
		return err
	}
	var changed, gone []string
	for _, part := range p.Partitions {
		if current[part] {
			changed = append(changed, part)
		} else {
			gone = append(gone, part)
		}
	}
	var why []string
	if len(changed) > 0 {
		why = append(why, "data changed for "+strings.Join(changed, "; "))
	}
	if len(gone) > 0 {
		why = append(why, "no longer in the grid: "+strings.Join(gone, "; "))
	}
	fmt.Fprintf(w, "%d cells of an earlier pass of this run are replaced by cells on the current data (%s); the run keeps one cell per grid point\n",
		p.Cells, strings.Join(why, "; "))
	return nil
}

func status(err error) string {
	switch {
	case err == nil:
		return results.StatusDone
	case errors.Is(err, context.Canceled):
		return "interrupted"
	}
	return results.StatusFailed
}

func (o runOptions) runnerOptions(l *loaded, s stdio) runner.Options {
	opt := runner.Options{Workers: o.workers, MaxPartitions: o.maxParts, Force: o.force, Model: l.model,
		BatchSize: o.batch, FlushEvery: o.flushEvery, StreamDays: o.streamDays}
	if !o.quiet {
		opt.Log = s.out
	}
	if !o.noCache {
		opt.Cache.Dir = o.cache
		if opt.Cache.Dir == "" {
			opt.Cache.Dir = filepath.Join(filepath.Dir(l.data), "cache")
		}
	}
	return opt
}

// runShard runs a shard's cells into Parquet parts.
func runShard(ctx context.Context, l *loaded, o runOptions, i, n int, run results.Run, cells runner.Source, opt runner.Options) (runner.Stats, error) {
	dir := o.parts
	if dir == "" {
		dir = filepath.Join(filepath.Dir(l.outPath), "parts", l.g.Name)
	}
	pw, err := results.NewPartWriter(filepath.Join(dir, fmt.Sprintf("shard-%04d-of-%04d", i, n)))
	if err != nil {
		return runner.Stats{}, err
	}
	st, err := runner.ExecuteSource(ctx, l.store, run, cells, runner.PartSink{W: pw}, opt)
	if err == nil && l.g.WalkForward != nil {
		fmt.Fprintf(opt.Log, "walk-forward: the out-of-sample step runs after `sweep merge`, by running %s again without --shard\n", l.g.Path)
	}
	return st, err
}

// walkForward runs the out-of-sample step of a walk-forward grid.
func walkForward(ctx context.Context, l *loaded, db *results.DB, run results.Run, opt runner.Options, s stdio) ([]results.FoldRow, error) {
	oos := run
	oos.ID, oos.Kind, oos.Name = run.ID+"-oos", "walkforward", run.Name+" out-of-sample"
	oos.Started = time.Now().UTC()
	if err := db.BeginRun(ctx, oos); err != nil {
		return nil, err
	}
	opt.Progress = nil
	st, rows, err := runner.WalkForwardSource(ctx, l.store, l.g, l.planner, db, oos, opt)
	if ferr := db.FinishRun(context.WithoutCancel(ctx), oos.ID, time.Now().UTC(), status(err)); ferr != nil {
		err = errors.Join(err, ferr)
	}
	if err != nil {
		return nil, err
	}
	printRunStats(s.out, oos.Name, st)
	printFolds(s.out, l.g.WalkForward.Metric, rows)
	return rows, nil
}

func printFolds(w io.Writer, metric string, rows []results.FoldRow) {
	fmt.Fprintf(w, "walk-forward by %s:\n", metric)
	for _, r := range rows {
		test := "n/a"
		if !math.IsNaN(r.TestValue) {
			test = strconv.FormatFloat(r.TestValue, 'f', 3, 64)
		}
		fmt.Fprintf(w, "  fold %d %s: train %s..%s %s %.3f, test %s..%s %s %s  %s\n", r.Fold, strings.Join(r.Symbols, ","),
			r.TrainFrom.Format(time.DateOnly), r.TrainTo.Format(time.DateOnly), metric, r.TrainValue,
			r.TestFrom.Format(time.DateOnly), r.TestTo.Format(time.DateOnly), metric, test, formatSet(r.Params))
	}
}

func printRunStats(w io.Writer, label string, st runner.Stats) {
	rate := 0.0
	if st.Elapsed > 0 {
		rate = float64(st.Ran) / st.Elapsed.Seconds()
	}
	fmt.Fprintf(w, "%s: %d cells run, %d already done, in %v (%.1f cells/s); %d partitions (%d from cache), load %v, greeks %v, engine %v, writes %v\n",
		label, st.Ran, st.Skipped, st.Elapsed.Round(time.Millisecond), rate, st.Partitions, st.CacheHits,
		st.LoadTime.Round(time.Millisecond), st.GreeksTime.Round(time.Millisecond), st.SimTime.Round(time.Millisecond),
		st.WriteTime.Round(time.Millisecond))
}

// printBest prints a run's best cells by Sharpe ratio among those that
// traded, each with the values of the parameters its grid varies.
func printBest(ctx context.Context, w io.Writer, db *results.DB, runID string, l *loaded, n int) {
	rows, err := db.SQL().QueryContext(ctx, `SELECT c.cell_key, m.sharpe, m.cagr, m.max_drawdown, m.trades
		FROM run_cells rc JOIN cells c USING (cell_key) JOIN cell_metrics m USING (cell_key)
		WHERE rc.run_id = ? AND m.sharpe IS NOT NULL AND m.trades > 0 ORDER BY m.sharpe DESC, c.cell_key LIMIT ?`, runID, n)
	if err != nil {
		fmt.Fprintf(w, "best cells: %v\n", err)
		return
	}
	type best struct {
		key              string
		sharpe, cagr, dd float64
		trades           int64
	}
	var top []best
	for rows.Next() {
		var b best
		if err := rows.Scan(&b.key, &b.sharpe, &b.cagr, &b.dd, &b.trades); err != nil {
			rows.Close()
			fmt.Fprintf(w, "best cells: %v\n", err)
			return
		}
		top = append(top, b)
	}
	rows.Close()
	if len(top) == 0 {
		fmt.Fprintf(w, "no cell of the run traded\n")
		return
	}
	byKey := make(map[string]*runner.Cell, len(top))
	for _, b := range top {
		byKey[b.key] = nil
	}
	for i, found := 0, 0; i < l.planner.Len() && found < len(byKey); i++ { // the cells are not held: find these few
		c, err := l.planner.Cell(i)
		if err != nil {
			break
		}
		if p, ok := byKey[c.Key]; ok && p == nil {
			byKey[c.Key] = &c
			found++
		}
	}
	var varied []string
	for _, a := range l.g.Axes {
		varied = append(varied, a.Names...)
	}
	fmt.Fprintf(w, "best cells by Sharpe:\n")
	for _, b := range top {
		desc := b.key[:12]
		if c := byKey[b.key]; c != nil {
			vals := make(map[string]string, len(varied))
			for _, name := range varied {
				vals[name] = c.Set[name]
			}
			desc = strings.Join(c.Spec.Symbols, ",") + " " + c.Spec.From.Format(time.DateOnly) + ".." + c.Spec.To.Format(time.DateOnly) + " " + formatSet(vals)
		}
		fmt.Fprintf(w, "  Sharpe %6.2f  CAGR %6.2f%%  max DD %5.2f%%  %4d trades  %s\n", b.sharpe, 100*b.cagr, 100*b.dd, b.trades, desc)
	}
}

func progressMode(s string, quiet bool) progress.Mode {
	if quiet {
		return progress.Off
	}
	switch s {
	case "bar":
		return progress.Bar
	case "lines":
		return progress.Lines
	case "off":
		return progress.Off
	}
	return progress.Auto
}

// shardOf returns the shard to run: from --shard, else a Kubernetes Indexed
// Job's or a Slurm array's environment. ok is false for a whole run.
func shardOf(o runOptions) (i, n int, ok bool, err error) {
	if o.shard != "" {
		a, b, found := strings.Cut(o.shard, "/")
		i, err1 := strconv.Atoi(a)
		n, err2 := strconv.Atoi(b)
		if !found || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
			return 0, 0, false, fmt.Errorf("--shard %q: want i/N with 0 <= i < N", o.shard)
		}
		return i, n, true, nil
	}
	env := o.env
	if v := env("JOB_COMPLETION_INDEX"); v != "" {
		n := o.shards
		if n == 0 {
			n, _ = strconv.Atoi(env("JOB_COMPLETION_COUNT"))
		}
		i, err := strconv.Atoi(v)
		if err != nil || n < 1 || i < 0 || i >= n {
			return 0, 0, false, fmt.Errorf("JOB_COMPLETION_INDEX=%q with %d shards: pass --shards N (the Job's completions) or --shard i/N", v, n)
		}
		return i, n, true, nil
	}
	if v := env("SLURM_ARRAY_TASK_ID"); v != "" {
		id, err1 := strconv.Atoi(v)
		lo := 0
		if m := env("SLURM_ARRAY_TASK_MIN"); m != "" {
			lo, _ = strconv.Atoi(m)
		}
		n, err2 := strconv.Atoi(env("SLURM_ARRAY_TASK_COUNT"))
		if err1 != nil || err2 != nil || n < 1 || id-lo < 0 || id-lo >= n {
			return 0, 0, false, fmt.Errorf("SLURM_ARRAY_TASK_ID=%q, SLURM_ARRAY_TASK_MIN=%q, SLURM_ARRAY_TASK_COUNT=%q: not a shard of an array",
				v, env("SLURM_ARRAY_TASK_MIN"), env("SLURM_ARRAY_TASK_COUNT"))
		}
		return id - lo, n, true, nil
	}
	return 0, 0, false, nil
}

// formatSet writes parameters as sorted name=value pairs.
func formatSet(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = k + "=" + m[k]
	}
	return strings.Join(keys, " ")
}

// startCPUProfile profiles the process into path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

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
		fs.IntVar(&o.batch, "batch", 1024, "most cells per write transaction (a transaction also ends from 250,000 rows on, where its largest table fills DuckDB's row groups, or after 2 s when it does, 10 s at most; a kill loses at most one batch of work)")
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

// gridUsage turns the runner's grid mistakes into usage errors.
func gridUsage(err error) error {
	var ge *runner.GridError
	if errors.As(err, &ge) {
		return usageErrorf("%v", err)
	}
	return err
}

// runGrid runs o's grid and prints a summary. It streams the grid's cells
// (runner.ExecuteSource): its memory does not grow with their number.
func runGrid(ctx context.Context, o runOptions, s stdio) (*runner.Report, error) {
	p, err := runner.Prepare(ctx, o.grid, runner.Overrides{Data: o.db, Out: o.out, Window: o.window, Check: checkDBs})
	if err != nil {
		return nil, gridUsage(err)
	}
	defer p.Close()
	g := p.Grid
	i, n, sharded, err := shardOf(o)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	cfg := runner.RunConfig{Options: o.runnerOptions(p, s)}
	if cfg.Detail, err = runner.ParseDetail(o.detail); err != nil {
		return nil, usageErrorf("--%v", err)
	}
	label := g.Name
	if sharded {
		label = fmt.Sprintf("%s shard %d/%d", g.Name, i, n)
		cfg.Shard = &runner.ShardSpec{I: i, N: n, Parts: o.parts}
	}
	cells := p.Source(cfg.Shard)
	if !o.quiet {
		fmt.Fprintf(s.out, "%s: %d cells of %d (run %s), %d workers\n", label, cells.Len(), g.Size(), runner.RunID(g), cfg.Workers)
		cfg.Best = 5
	}
	bar := progress.New(s.err, cells.Len(), progress.Options{Label: label, Mode: progressMode(o.progress, o.quiet)})
	cfg.Progress = bar
	cfg.Observer = runner.Observer{
		Pruned: func(r runner.Pruned) {
			fmt.Fprintf(s.out, "%d cells of an earlier pass of this run are replaced by cells on the current data (%s); the run keeps one cell per grid point\n",
				r.Cells, r.Reason())
		},
		Ran: func(st runner.Stats) {
			bar.Done()
			printRunStats(s.out, label, st)
		},
		OutOfSample: func(name string, st runner.Stats, folds []results.FoldRow) {
			printRunStats(s.out, name, st)
			printFolds(s.out, g.WalkForward.Metric, folds)
		},
	}
	rep, err := p.Run(ctx, cfg)
	if err != nil || sharded {
		return rep, gridUsage(err)
	}
	if !o.quiet {
		printBest(s.out, g, rep)
		fmt.Fprintf(s.out, "results: %s (sweep query --db %s \"...\")\n", p.Out, p.Out)
	}
	return rep, nil
}

func (o runOptions) runnerOptions(p *runner.Prepared, s stdio) runner.Options {
	opt := runner.Options{Workers: o.workers, MaxPartitions: o.maxParts, Force: o.force, BatchSize: o.batch, FlushEvery: o.flushEvery, StreamDays: o.streamDays}
	if !o.quiet {
		opt.Log = s.out
	}
	if !o.noCache {
		opt.Cache.Dir = o.cache
		if opt.Cache.Dir == "" {
			opt.Cache.Dir = filepath.Join(filepath.Dir(p.Data), "cache")
		}
	}
	return opt
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
func printBest(w io.Writer, g *grid.Grid, rep *runner.Report) {
	if rep.BestErr != nil {
		fmt.Fprintf(w, "best cells: %v\n", rep.BestErr)
		return
	}
	if len(rep.Best) == 0 {
		fmt.Fprintf(w, "no cell of the run traded\n")
		return
	}
	var varied []string
	for _, a := range g.Axes {
		varied = append(varied, a.Names...)
	}
	fmt.Fprintf(w, "best cells by Sharpe:\n")
	for _, b := range rep.Best {
		desc := b.Key[:12]
		if c := b.Cell; c != nil {
			vals := make(map[string]string, len(varied))
			for _, name := range varied {
				vals[name] = c.Set[name]
			}
			desc = strings.Join(c.Spec.Symbols, ",") + " " + c.Spec.From.Format(time.DateOnly) + ".." + c.Spec.To.Format(time.DateOnly) + " " + formatSet(vals)
		}
		fmt.Fprintf(w, "  Sharpe %6.2f  CAGR %6.2f%%  max DD %5.2f%%  %4d trades  %s\n", b.Sharpe, 100*b.CAGR, 100*b.MaxDrawdown, b.Trades, desc)
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

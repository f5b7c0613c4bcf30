package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/grid"
	"github.com/optsweep/sweep/sweep/runner"
)

// assignments collects repeated --set key=value flags.
type assignments map[string]string

func (a assignments) String() string { return fmt.Sprint(map[string]string(a)) }

func (a assignments) Set(s string) error {
	k, v, err := param.ParseAssignment(s)
	if err != nil {
		return err
	}
	a[k] = v
	return nil
}

// backtestOptions is one backtest's settings.
type backtestOptions struct {
	strategy      string
	symbols       []string
	from, to      time.Time
	set           map[string]string
	db, out, name string
	model         feed.Options
	quiet         bool
	logPath       string // decision log as text lines, "" for none
	eventsPath    string // order/fill event log as JSON lines, "" for none
}

func backtestCommand() *command {
	c := &command{
		name:  "backtest",
		usage: "sweep backtest --strategy NAME --symbols A,B --from D --to D [--set key=value ...] [--db data/market.duckdb] [--out runs/results.duckdb]",
		short: "run one strategy configuration and record it as a run",
		long: `Backtest runs one configuration of a strategy over the symbols and dates, on
the market DB (opened read-only), and writes it to the results DB as a run
with one cell (tables runs, cells, cell_metrics, trades, equity, events,
decisions). It prints the metrics, and for the wheel the P&L by phase.

Every strategy and execution parameter can be set with --set name=value
(repeatable); "sweep strategies NAME" lists them with their defaults. The run
is deterministic: the same data, parameters and execution_seed give the same
trades, and running it again replaces the run's rows rather than adding to them.

Decisions are made at the 15:45 ET snapshot on what is known then (see
"go doc ./sim"); greeks come from the mid with --rate and --dividend, European
unless --american.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		o := backtestOptions{set: assignments{}, model: feed.DefaultOptions()}
		fs.StringVar(&o.strategy, "strategy", "", "strategy `name` (sweep strategies lists them; required)")
		symbols := fs.String("symbols", "", "comma-separated underlyings (required)")
		from := fs.String("from", "", "first trading date, YYYY-MM-DD (required)")
		to := fs.String("to", "", "last trading date, YYYY-MM-DD (required)")
		fs.Var(assignments(o.set), "set", "parameter `name=value` (repeatable)")
		fs.StringVar(&o.db, "db", "data/market.duckdb", "market DB")
		fs.StringVar(&o.out, "out", "runs/results.duckdb", "results DB")
		fs.StringVar(&o.name, "name", "", "a name for the run (default: strategy and symbols)")
		fs.Float64Var(&o.model.Rate, "rate", o.model.Rate, "risk-free rate for greeks (continuous)")
		fs.Float64Var(&o.model.Dividend, "dividend", o.model.Dividend, "dividend yield for greeks (continuous)")
		fs.BoolVar(&o.model.American, "american", false, "value equity options as American (slower)")
		fs.BoolVar(&o.quiet, "q", false, "print only the summary")
		fs.StringVar(&o.logPath, "log", "", "also write the strategy's decision log (the decisions table) to `file`, one line per note")
		fs.StringVar(&o.eventsPath, "events", "", "also write the order/fill event log to `file` as JSON lines (slippage = fill − limit)")
		if err := parseFlags(fs, args, s); err != nil {
			return err
		}
		if o.strategy == "" || *symbols == "" || *from == "" || *to == "" {
			return usageErrorf("--strategy, --symbols, --from and --to are required")
		}
		seen := map[string]bool{}
		for _, sym := range strings.Split(*symbols, ",") {
			sym = strings.ToUpper(strings.TrimSpace(sym))
			if sym != "" && !grid.ValidSymbol(sym) {
				return usageErrorf("--symbols: bad symbol %q (letters, digits and . _ ^ / - only, as in grid files)", sym)
			}
			if sym != "" && !seen[sym] { // SPY,SPY is SPY
				seen[sym] = true
				o.symbols = append(o.symbols, sym)
			}
		}
		if err := checkModel(o.model); err != nil {
			return err
		}
		var err error
		if o.from, err = time.Parse(time.DateOnly, *from); err != nil {
			return usageErrorf("--from %q: want YYYY-MM-DD", *from)
		}
		if o.to, err = time.Parse(time.DateOnly, *to); err != nil {
			return usageErrorf("--to %q: want YYYY-MM-DD", *to)
		}
		if o.to.Before(o.from) {
			return usageErrorf("--to %s is before --from %s", *to, *from)
		}
		_, err = backtest(ctx, o, s.out)
		return err
	}
	return c
}

// checkModel refuses a rate or dividend yield that is not a finite number in
// [-1, 1] (continuous, per year), as --set refuses bad values: NaN or 1e308
// would give every greek NaN and a "done" run of NaN statistics.
func checkModel(m feed.Options) error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"--rate", m.Rate}, {"--dividend", m.Dividend}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < -1 || f.v > 1 {
			return usageErrorf("%s %g: want a finite rate between -1 and 1 (0.04 is 4%% a year)", f.name, f.v)
		}
	}
	return nil
}

// backtestResult is what backtest reports.
type backtestResult = runner.BacktestResult

// backtest runs o, records it in the results DB and prints its summary to w.
func backtest(ctx context.Context, o backtestOptions, w io.Writer) (*backtestResult, error) {
	b := runner.Backtest{Strategy: o.strategy, Symbols: o.symbols, From: o.from, To: o.to, Set: o.set,
		Data: o.db, Out: o.out, Name: o.name, Model: o.model, Check: checkDBs}
	if !o.quiet {
		b.Loaded = func(tape *sim.Tape, stats feed.Stats, model feed.Options) {
			fmt.Fprintf(w, "loaded %d days, %d contracts of %s in %v (greeks and IV %v; %d contracts without IV)\n",
				stats.Days, stats.Contracts, strings.Join(o.symbols, ","), (stats.LoadTime + stats.GreeksTime).Round(time.Millisecond),
				stats.GreeksTime.Round(time.Millisecond), stats.NoIV)
			if model.IntradayEvery > 0 {
				fmt.Fprintf(w, "intraday  %d steps every %v from the minute quotes\n", len(tape.StepTimes), model.IntradayEvery)
			}
			fmt.Fprintln(w, stats.ChecksSummary())
		}
	}
	out, err := b.Run(ctx)
	if err != nil {
		return nil, gridUsage(err)
	}
	if err := writeLogs(o, out.Result); err != nil {
		return nil, err
	}
	printSummary(w, o, out, out.Built.RunSummary(out.Result), out.Elapsed)
	printWhy(w, o.strategy, out.Result, out.Metrics.Trades)
	return out, nil
}

// writeLogs writes the run's decision log and event log where o asks.
func writeLogs(o backtestOptions, res *sim.Result) error {
	if o.logPath != "" {
		var b strings.Builder
		for _, n := range res.Notes {
			fmt.Fprintf(&b, "%s %s %s %s\n", sim.DayString(n.Day), n.Symbol, n.Kind, n.Text)
		}
		if err := os.WriteFile(o.logPath, []byte(b.String()), 0o644); err != nil {
			return fmt.Errorf("decision log: %w", err)
		}
	}
	if o.eventsPath != "" {
		var b bytes.Buffer
		if err := strategy.WriteEvents(o.strategy, &b, res); err != nil {
			return fmt.Errorf("event log: %w", err)
		}
		if err := os.WriteFile(o.eventsPath, b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("event log: %w", err)
		}
	}
	return nil
}

func printSummary(w io.Writer, o backtestOptions, r *backtestResult, own []strategy.Line, elapsed time.Duration) {
	m := r.Metrics
	res := r.Result
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "run\t%s (cell %s…) in %s\n", r.RunID, r.Key[:16], o.out)
	fmt.Fprintf(tw, "strategy\t%s on %s, %s..%s\n", o.strategy, strings.Join(o.symbols, ","), o.from.Format(time.DateOnly), o.to.Format(time.DateOnly))
	fmt.Fprintf(tw, "engine\t%d days in %v (%.1f µs/day), %d orders, %d rejected\n", len(res.Days), elapsed.Round(time.Microsecond),
		float64(elapsed.Microseconds())/float64(max(len(res.Days), 1)), res.Orders, res.Rejected)
	fmt.Fprintf(tw, "equity\t$%.2f → $%.2f (%+.2f%%), CAGR %.2f%%\n", m.StartEquity, m.EndEquity, 100*m.TotalReturn, 100*m.CAGR)
	fmt.Fprintf(tw, "risk\tSharpe %.2f, Sortino %.2f, Calmar %.2f, max drawdown %.2f%% over %d days\n", m.Sharpe, m.Sortino, m.Calmar, 100*m.MaxDrawdown, m.MaxDrawdownDays)
	fmt.Fprintf(tw, "trades\t%d closed (%d open), win rate %.1f%%, profit factor %.2f, expectancy $%.2f, avg %.1f days\n",
		m.Trades, openTrades(res), 100*m.WinRate, m.ProfitFactor, m.Expectancy, m.AvgDaysHeld)
	fmt.Fprintf(tw, "P&L\tgross $%.2f, fees $%.2f, net $%.2f\n", m.GrossPnL, m.Fees, m.NetPnL)
	fmt.Fprintf(tw, "exits\t%s\n", reasons(m.ExitReasons))
	for _, l := range own {
		fmt.Fprintf(tw, "%s\t%s\n", l.Label, l.Text)
	}
	tw.Flush()
}

func openTrades(res *sim.Result) int {
	n := 0
	for i := range res.Trades {
		if res.Trades[i].Closed == 0 {
			n++
		}
	}
	return n
}

func reasons(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func strategiesCommand() *command {
	c := &command{
		name:  "strategies",
		usage: "sweep strategies [NAME]",
		short: "list strategies, or one strategy's parameters with their defaults",
		long: `Without NAME, strategies lists the strategies. With NAME it lists every
parameter of that strategy and the execution parameters shared by all of
them (fills, liquidity tiers, probabilistic fills, costs, stepped entries,
starting cash, seed), with type, default and meaning. Any of them can be set
with "sweep backtest --set name=value" and varied in grid files.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		if err := parseFlags(fs, args, s); err != nil {
			return err
		}
		tw := tabwriter.NewWriter(s.out, 2, 0, 2, ' ', 0)
		defer tw.Flush()
		if fs.NArg() == 0 {
			for _, i := range strategy.Registry() {
				fmt.Fprintf(tw, "%s\t%s\n", i.Name, i.Summary)
			}
			fmt.Fprintln(tw, "\n\"sweep strategies NAME\" lists a strategy's parameters.")
			return nil
		}
		info, err := strategy.Lookup(fs.Arg(0))
		if err != nil {
			return usageErrorf("%v", err)
		}
		fmt.Fprintf(tw, "%s: %s\n\nPARAMETER\tTYPE\tDEFAULT\tMEANING\n", info.Name, info.Summary)
		for _, f := range param.List(info.Defaults()) {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Name, f.Type, f.Default, f.Help)
		}
		if info.More != nil {
			fmt.Fprintf(tw, "\n%s", info.More())
		}
		x := strategy.DefaultExec()
		fmt.Fprintf(tw, "\nexecution (every strategy)\n")
		for _, f := range param.List(&x) {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Name, f.Type, f.Default, f.Help)
		}
		printSeedCompat(tw, info.Name)
		return nil
	}
	return c
}

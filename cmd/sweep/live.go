package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/internal/duckfile"
	"github.com/optsweep/sweep/report"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
	slive "github.com/optsweep/sweep/sim/live"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/live"
	"github.com/optsweep/sweep/sweep/results"
)

// liveOptions are `sweep live`'s settings.
type liveOptions struct {
	strategy, cell, results string
	symbols                 []string
	set                     map[string]string
	broker, mode, account   string
	confirm, once, adopt    bool
	replay, at              string
	db, journal, name       string
	killFile                string
	grace                   time.Duration
	limits                  slive.Limits
	model                   feed.Options
}

func liveCommand() *command {
	c := &command{
		name: "live",
		usage: "sweep live (--strategy NAME --symbols A,B [--set k=v ...] | --cell KEY) [--broker paper] [--mode dry|paper|live]\n" +
			"           [--once [--at DATE] | --replay FROM..TO] [--db data/market.duckdb] [--journal live.duckdb]\n" +
			"       sweep live status [--journal live.duckdb] [--name NAME]",
		short: "run a strategy live on the decision core (paper broker; journal in DuckDB)",
		long: `Live runs a strategy on the same decision core that backtests it: at each
decision time it reconciles the broker's positions with the book, builds the
snapshot, steps the strategy, checks every order against the safety limits,
journals the order intent before anything is sent, works the order (a limit
at the fill model's price, or the stepped ladder from the mid toward the
natural side, each rung a replacement with its own client order id), and
changes the book by the fills through the backtest's own Book operations.

Without --once or --replay, live is a resident process: it runs until
interrupted, waking at the strategy's decision times from the NYSE schedule
(15:45 ET, 12:45 on early closes, none on weekends and holidays, and every
step_minutes from 10:00 for 0DTE strategies), running at each exactly what
--once runs for it, and printing a line per wake with the next wake time.
It opens the market store and the journal only while it runs a decision,
so "sweep ingest" can add the session to the store and "sweep live status"
can read the journal in between. A decision more than --grace late is
skipped and reported; one that fails (the store does not hold its session
yet) is tried again every minute within --grace. SIGINT or SIGTERM stops it: a decision under way
finishes first (a second kill leaves the journal as a crash does, which the
next start recovers).

--once runs the daily decision (15:45 ET, 12:45 on early closes) of one
session of the market store (--at, default the store's last session), as a
cron job would; run it again with a later --at for the next session. Each
run first replays the journal (live.duckdb), so the book and the
strategy's state come back exactly and nothing is sent twice.

--replay FROM..TO drives the live loop through the store's sessions as if
each were live and compares its orders and fills with the backtest of the
same dates and settings.

The paper broker (the default) fills with the backtest's fill model against
the snapshot and needs no account. The Alpaca and IBKR adapters are in
sweep/live and tested offline only; they are not wired to this command yet
(see README, "Live trading").

A kill switch stops trading and cancels open orders: create the --kill-file
or send SIGUSR1. "sweep live status" prints a run's positions, open orders,
P&L and recent fills from the journal.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		if len(args) > 0 && args[0] == "status" {
			return liveStatus(ctx, c, args[1:], s)
		}
		o, err := parseLive(c, args, s)
		if err != nil {
			return err
		}
		return runLive(ctx, o, s)
	}
	return c
}

func parseLive(c *command, args []string, s stdio) (liveOptions, error) {
	fs := newFlags(c, s)
	o := liveOptions{set: assignments{}, model: feed.DefaultOptions(), limits: slive.DefaultLimits()}
	fs.StringVar(&o.strategy, "strategy", "", "strategy `name` (sweep strategies lists them)")
	symbols := fs.String("symbols", "", "comma-separated underlyings")
	fs.Var(assignments(o.set), "set", "parameter `name=value` (repeatable)")
	fs.StringVar(&o.cell, "cell", "", "run the strategy, symbols and parameters of this cell `key` of --results")
	fs.StringVar(&o.results, "results", "runs/results.duckdb", "results DB holding --cell")
	fs.StringVar(&o.broker, "broker", "paper", "broker: paper (alpaca and ibkr: see README)")
	fs.StringVar(&o.mode, "mode", "paper", "dry (print the orders, send nothing), paper or live")
	fs.BoolVar(&o.confirm, "live", false, "confirm --mode live: real money")
	fs.StringVar(&o.account, "account", "", "the broker account `id` to trade (required for --mode live)")
	fs.BoolVar(&o.once, "once", false, "run one decision time and exit")
	fs.StringVar(&o.at, "at", "", "the session `date` for --once on the store (default: its last session)")
	fs.StringVar(&o.replay, "replay", "", "replay the store's sessions `FROM..TO` through the live loop")
	fs.StringVar(&o.db, "db", "data/market.duckdb", "market DB")
	fs.StringVar(&o.journal, "journal", "live.duckdb", "journal DB")
	fs.StringVar(&o.name, "name", "", "strategy instance `name`, the root of its client order ids (default: strategy-symbols)")
	fs.BoolVar(&o.adopt, "adopt", false, "on a reconciliation difference take the broker's side (import its positions)")
	fs.DurationVar(&o.grace, "grace", slive.DefaultGrace, "resident loop: run a decision time at most this late, skip it after")
	fs.StringVar(&o.killFile, "kill-file", "", "kill switch `file`: when it exists, cancel open orders and stop (default: JOURNAL.kill)")
	fs.IntVar(&o.limits.OrderContracts, "max-contracts", o.limits.OrderContracts, "contracts per order (0: no limit)")
	fs.Float64Var(&o.limits.OrderNotional, "max-notional", o.limits.OrderNotional, "strike notional per order, dollars")
	fs.IntVar(&o.limits.DayOrders, "max-day-orders", o.limits.DayOrders, "orders per session")
	fs.IntVar(&o.limits.DayContracts, "max-day-contracts", o.limits.DayContracts, "contracts per session")
	fs.Float64Var(&o.limits.DayNotional, "max-day-notional", o.limits.DayNotional, "strike notional per session, dollars")
	fs.Float64Var(&o.limits.BuyingPower, "max-bp", o.limits.BuyingPower, "fraction of buying power one entry may use")
	fs.Float64Var(&o.limits.DayLoss, "max-day-loss", 0, "stop entries after this loss in a session, dollars (0: none)")
	fs.DurationVar(&o.limits.QuoteAge, "max-quote-age", o.limits.QuoteAge, "refuse orders on quotes older than this")
	if err := parseFlags(fs, args, s); err != nil {
		return o, err
	}
	if *symbols != "" {
		o.symbols = strings.Split(strings.ToUpper(*symbols), ",")
	}
	switch {
	case fs.NArg() > 0:
		return o, usageErrorf("unexpected argument %q", fs.Arg(0))
	case o.cell == "" && (o.strategy == "" || len(o.symbols) == 0):
		return o, usageErrorf("give --strategy and --symbols, or --cell")
	case o.once && o.replay != "":
		return o, usageErrorf("give one of --once or --replay FROM..TO")
	case o.at != "" && !o.once && o.replay == "":
		return o, usageErrorf("--at is for --once: the resident loop runs today's decisions")
	case o.broker != "paper":
		return o, fmt.Errorf("--broker %s: the adapter is in sweep/live and tested offline, but not wired to the command yet; use --broker paper", o.broker)
	}
	if o.killFile == "" {
		o.killFile = o.journal + ".kill"
	}
	return o, live.CheckTarget(live.Target{Mode: o.mode, Broker: o.broker, Account: o.account, Confirmed: o.confirm}, "", false)
}

// cellSpec reads a cell's strategy, symbols and parameters from a results DB.
func cellSpec(ctx context.Context, o *liveOptions) error {
	db, err := results.OpenReadOnly(o.results)
	if err != nil {
		return fmt.Errorf("results DB %s: %w", o.results, err)
	}
	defer db.Close()
	c, err := db.CellConfigByKey(ctx, o.cell)
	if errors.Is(err, results.ErrNoCell) {
		return fmt.Errorf("results DB %s has no cell %s", o.results, o.cell)
	} else if err != nil {
		return fmt.Errorf("results DB %s: %w", o.results, err)
	}
	o.strategy, o.symbols = c.Strategy, c.Symbols
	for k, v := range c.Params {
		if _, set := o.set[k]; !set {
			o.set[k] = v
		}
	}
	return nil
}

func runLive(ctx context.Context, o liveOptions, s stdio) error {
	if o.cell != "" {
		if err := cellSpec(ctx, &o); err != nil {
			return err
		}
	}
	built, err := strategy.Build(o.strategy, o.set)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if o.name == "" {
		o.name = o.strategy + "-" + strings.Join(o.symbols, "-")
	}
	if stepper, ok := built.Strategy.(sim.Stepper); ok {
		o.model.IntradayEvery = stepper.StepEvery()
	}
	if _, err := os.Stat(o.db); err != nil {
		return fmt.Errorf("market DB %s: %w (run `sweep demo` or `sweep ingest` first)", o.db, err)
	}
	var killed atomic.Bool
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1)
	defer signal.Stop(sig)
	go func() {
		for range sig {
			killed.Store(true)
		}
	}()
	kill := func() bool {
		_, err := os.Stat(o.killFile)
		return killed.Load() || err == nil
	}
	if !o.once && o.replay == "" {
		return runResident(ctx, o, kill, s)
	}
	st, err := market.OpenReadOnly(o.db)
	if err != nil {
		return err
	}
	defer st.Close()
	j, err := live.OpenJournal(o.journal)
	if err != nil {
		return err
	}
	defer j.Close()
	lo := o.options(built, st, j, kill)
	if o.replay != "" {
		return runReplay(ctx, o, lo, s)
	}
	at, err := liveDay(ctx, o, st)
	if err != nil {
		return err
	}
	out, err := live.Once(ctx, lo, at)
	if out != nil {
		printOnce(s.out, o, at, out)
	}
	return err
}

// options are the live run's settings on an open store and journal.
func (o *liveOptions) options(built *strategy.Built, st *market.Store, j *live.Journal, kill func() bool) live.Options {
	return live.Options{
		Run: live.Run{ID: o.name, Strategy: o.strategy, Symbols: o.symbols, Params: built.Params, Broker: o.broker,
			Mode: o.mode, Account: o.account, Cash: built.Exec.Cash},
		Built: built, Store: st, Journal: j, Broker: slive.NewPaper("paper-"+o.name, built.Exec), Model: o.model,
		Limits: o.limits, Dry: o.mode == live.ModeDry, Adopt: o.adopt, Kill: kill,
	}
}

func liveDay(ctx context.Context, o liveOptions, st *market.Store) (time.Time, error) {
	if o.at == "" {
		return live.LastDay(ctx, st, o.symbols)
	}
	at, err := time.Parse(time.DateOnly, o.at)
	if err != nil {
		return at, usageErrorf("--at %q: want YYYY-MM-DD", o.at)
	}
	return at, nil
}

func runReplay(ctx context.Context, o liveOptions, lo live.Options, s stdio) error {
	a, b, ok := strings.Cut(o.replay, "..")
	from, err1 := time.Parse(time.DateOnly, a)
	to, err2 := time.Parse(time.DateOnly, b)
	if !ok || err1 != nil || err2 != nil || to.Before(from) {
		return usageErrorf("--replay %q: want FROM..TO as YYYY-MM-DD..YYYY-MM-DD", o.replay)
	}
	bt, err := strategy.Build(o.strategy, o.set)
	if err != nil {
		return err
	}
	t0 := time.Now()
	out, err := live.Replay(ctx, lo, from, to, bt)
	if err != nil {
		return err
	}
	r := out.Result
	fmt.Fprintf(s.out, "replayed %s %s %s..%s through the live loop in %v: %d sessions, %d orders (%d rejected), %d trades, equity $%.2f\n",
		o.strategy, strings.Join(o.symbols, ","), a, b, time.Since(t0).Round(time.Millisecond), len(r.Days), r.Orders, r.Rejected,
		len(r.Trades), last(r.Equity))
	same, why := live.Same(r, out.Backtest)
	if !same {
		done, _, err := lo.Journal.Past(ctx)
		if err != nil {
			return fmt.Errorf("replay differs from the backtest: %s (journal: %w)", why, err)
		}
		return fmt.Errorf("replay differs from the backtest: %s%s", why, refusalNote(done))
	}
	fmt.Fprintf(s.out, "the backtest of the same dates and settings made the same orders and fills (%d trades, equity $%.2f)\n",
		len(out.Backtest.Trades), last(out.Backtest.Equity))
	fmt.Fprintf(s.out, "journal %s, run %s\n", o.journal, o.name)
	return nil
}

// refusalNote explains a replay that differs because the safety limits
// refused orders the backtest, which has no such limits, placed; it is empty
// when nothing was refused.
func refusalNote(recs []slive.Record) string {
	n, first := 0, ""
	for _, rec := range recs {
		for _, r := range rec.Refusals {
			if n == 0 {
				first = sim.DayString(rec.Tick.Day) + ": " + r.Why
			}
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("\nthe live safety limits refused %d orders, which the backtest does not check (the first on %s);"+
		" with the limits off (0: --max-bp 0 --max-day-orders 0 --max-day-contracts 0 --max-day-notional 0 --max-contracts 0 --max-notional 0) the replay compares the decision core alone", n, first)
}

func last(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	return x[len(x)-1]
}

func printOnce(w io.Writer, o liveOptions, at time.Time, out *live.Outcome) {
	fmt.Fprintf(w, "run %s (%s %s, broker %s, mode %s), session %s\n", o.name, o.strategy, strings.Join(o.symbols, ","),
		o.broker, o.mode, at.Format(time.DateOnly))
	if out.Replayed > 0 {
		fmt.Fprintf(w, "replayed %d journal records (nothing sent)\n", out.Replayed)
	}
	if out.Already {
		fmt.Fprintf(w, "the decision of %s is already in the journal: nothing new to do\n", at.Format(time.DateOnly))
	}
	printRecords(w, out.Ticks)
	printBook(w, out)
	fmt.Fprintf(w, "journal %s (sweep live status --journal %s --name %s)\n", o.journal, o.journal, o.name)
}

// printRecords prints what each record did: its fills, refusals, book
// events and messages.
func printRecords(w io.Writer, recs []*slive.Record) {
	for _, rec := range recs {
		if rec.Kind == slive.KindTick {
			fmt.Fprintf(w, "decision at %s: %d order states, %d fills, %d refused\n", rec.Tick.Time.In(calendar.NewYork()).Format("2006-01-02 15:04 MST"),
				len(rec.Orders), len(rec.Fills), len(rec.Refusals))
		} else {
			fmt.Fprintf(w, "session end %s\n", sim.DayString(rec.Tick.Day))
		}
		for _, f := range rec.Fills {
			fmt.Fprintf(w, "  fill %s %s %d at %.4f (fill model %.4f), fees $%.2f\n", f.ClientID, f.Kind, f.Units, f.Price, f.Model, f.Fees)
		}
		for _, f := range rec.Refusals {
			fmt.Fprintf(w, "  refused order %d: %s\n", f.Index, f.Why)
		}
		for _, e := range rec.Events {
			if e.Kind != sim.EventFilled && e.Kind != sim.EventRejected {
				fmt.Fprintf(w, "  %s: %s\n", e.Kind, e.Detail)
			}
		}
		for _, m := range rec.Messages {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
}

// printBook prints the book after a run and why entries are stopped.
func printBook(w io.Writer, out *live.Outcome) {
	b := out.Book
	fmt.Fprintf(w, "book: cash $%.2f, equity $%.2f, collateral $%.2f, %d positions\n", b.Cash, b.Equity, b.Collateral(), len(b.Positions))
	for _, h := range slive.Holdings(b) {
		fmt.Fprintf(w, "  %-28s %+d\n", h.Key(), h.Qty)
	}
	if out.Stopped != "" {
		fmt.Fprintf(w, "%s\n", out.Stopped)
	}
}

func liveStatus(ctx context.Context, c *command, args []string, s stdio) error {
	fs := flag.NewFlagSet("live status", flag.ContinueOnError)
	journal := fs.String("journal", "live.duckdb", "journal DB")
	name := fs.String("name", "", "run `name` (default: every run)")
	if err := parseFlags(fs, args, s); err != nil {
		return err
	}
	if _, err := os.Stat(*journal); err != nil {
		return fmt.Errorf("journal %s: %w", *journal, err)
	}
	return live.Status(ctx, *journal, *name, s.out)
}

// liveReport writes the HTML report of live run name of journal.
func liveReport(ctx context.Context, journal, name, out string, s stdio) error {
	if name == "" {
		return usageErrorf("give the live run's name with --run")
	}
	db, err := duckfile.OpenReadOnly(journal)
	if err != nil {
		return fmt.Errorf("live journal: %w", err)
	}
	defer db.Close()
	var buf bytes.Buffer
	if err := report.LiveReport(ctx, db, &buf, journal, name); err != nil {
		return err
	}
	if out == "" {
		out = "live-" + safeName(name) + ".html"
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "report: %s\n", out)
	return nil
}

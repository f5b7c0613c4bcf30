package runner

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/metrics"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/cell"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/results"
)

// Backtest is one configuration of a strategy to run over some symbols and
// dates and record as a run with one cell ("sweep backtest").
type Backtest struct {
	Strategy string
	Symbols  []string
	From, To time.Time
	Set      map[string]string // parameter values over the strategy's and the execution's defaults
	Data     string            // market DB, opened read-only
	Out      string            // results DB
	Name     string            // the run's name; default the strategy and symbols
	Model    feed.Options      // data and greeks settings; IntradayEvery comes from the strategy
	// Check, if not nil, is called with the market and results DB paths
	// before either is opened; its error stops the backtest.
	Check func(ctx context.Context, data, out string) error
	// Loaded, if not nil, is told of the tape once it is loaded, with the
	// model it was loaded with.
	Loaded func(tape *sim.Tape, st feed.Stats, model feed.Options)
}

// BacktestResult is what a backtest did.
type BacktestResult struct {
	RunID, Key string
	Spec       cell.Spec
	Built      *strategy.Built
	Result     *sim.Result
	Metrics    metrics.Summary
	Elapsed    time.Duration // the cell's run (cell.Run)
}

// Run backtests b (cell.Run on its tape) and records it in the results DB as
// run bt-<key prefix>, replacing an earlier run of the same cell. A bad
// strategy name or parameter is a GridError.
func (b Backtest) Run(ctx context.Context) (*BacktestResult, error) {
	built, err := strategy.Build(b.Strategy, b.Set)
	if err != nil {
		return nil, &GridError{err}
	}
	if _, err := os.Stat(b.Data); err != nil {
		return nil, fmt.Errorf("market DB %s: %w (run `sweep demo` or `sweep ingest` first)", b.Data, err)
	}
	if b.Check != nil {
		if err := b.Check(ctx, b.Data, b.Out); err != nil {
			return nil, err
		}
	}
	st, err := market.OpenReadOnly(b.Data)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	fp, err := feed.Fingerprint(ctx, st, b.Symbols, b.From, b.To, b.Model)
	if err != nil {
		return nil, err
	}
	model := b.Model
	if stepper, ok := built.Strategy.(sim.Stepper); ok {
		model.IntradayEvery = stepper.StepEvery()
	}
	tape, stats, err := feed.Load(ctx, st, b.Symbols, b.From, b.To, model)
	if err != nil {
		return nil, err
	}
	if b.Loaded != nil {
		b.Loaded(tape, stats, model)
	}
	t0 := time.Now()
	res, m, err := cell.Run(tape, built)
	if err != nil {
		return nil, err
	}
	elapsed := time.Since(t0)
	spec := cell.Spec{Strategy: b.Strategy, Symbols: b.Symbols, From: b.From, To: b.To, Params: built.Params,
		Model: b.Model.Model(), Fingerprint: fp}
	key := spec.Key()
	out := &BacktestResult{RunID: "bt-" + key[:12], Key: key, Spec: spec, Built: built, Result: res, Metrics: m,
		Elapsed: elapsed}
	if err := b.record(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// record writes the backtest as a run with one cell.
func (b Backtest) record(ctx context.Context, r *BacktestResult) error {
	db, err := results.Open(b.Out)
	if err != nil {
		return err
	}
	defer db.Close()
	name := b.Name
	if name == "" {
		name = b.Strategy + " " + strings.Join(b.Symbols, ",")
	}
	run := results.Run{ID: r.RunID, Kind: "backtest", Name: name, Config: r.Spec.Canonical(), EngineVersion: sim.Version,
		DataFingerprint: r.Spec.Fingerprint, MarketDB: b.Data, Started: time.Now().UTC()}
	if err := db.BeginRun(ctx, run); err != nil {
		return err
	}
	c := results.Cell{Key: r.Key, RunID: r.RunID, Strategy: b.Strategy, Symbols: r.Spec.Symbols, From: b.From, To: b.To,
		Seed: r.Built.Exec.Seed, Params: r.Built.Params, ParamTypes: r.Built.Types}
	if err := db.WriteCell(ctx, c, r.Result, r.Metrics); err != nil {
		_ = db.FinishRun(ctx, r.RunID, time.Now().UTC(), results.StatusFailed)
		return err
	}
	return db.FinishRun(ctx, r.RunID, time.Now().UTC(), results.StatusDone)
}

package live

import (
	"context"
	"errors"
	"fmt"
	"time"

	slive "github.com/optsweep/sweep/sim/live"
)

// SystemClock is the machine's clock: slive.Clock for the resident loop.
type SystemClock struct{}

// Now implements slive.Clock.
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep implements slive.Clock. (The loop sleeps a minute at most at a
// time and reads the wall clock again, so a machine's suspend does not
// stretch a sleep past a decision time.)
func (SystemClock) Sleep(ctx context.Context, until time.Time) error {
	t := time.NewTimer(time.Until(until))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Opener opens what one decision time needs (the market store, the journal,
// the broker) and returns them as Options with a function closing them.
// The resident loop opens them at each wake and closes them before it
// sleeps, so `sweep ingest` can add the session to the store and
// `sweep live status` can read the journal between decision times; a fresh
// broker per wake is rebuilt from the journal as a --once process rebuilds
// it.
type Opener func(ctx context.Context) (Options, func(), error)

// Resident is the resident loop of a live run.
type Resident struct {
	Open  Opener
	Clock slive.Clock
	// Every is the strategy's intraday step (sim.Stepper), 0 for a daily
	// strategy; Options.Model.IntradayEvery must be the same.
	Every time.Duration
	Grace time.Duration // how late a decision may still run (slive.DefaultGrace when 0)
	Kill  func() bool
	// Report is told of every wake, with the outcome of the decision run
	// (nil when none ran or it failed before running).
	Report func(w slive.Wake, out *Outcome)
}

// Run runs the loop until ctx is done, the kill switch is set or a tick is
// killed (slive.Loop.Run). At each decision time it runs exactly what
// `sweep live --once` runs for it (OnceAt): the journal replayed, the
// decision made, the session ended after its daily decision; so a resident
// run leaves the journal a run of --once per decision time would. A
// decision whose session the store does not hold yet is reported and the
// loop goes on.
func (r *Resident) Run(ctx context.Context) error {
	var out *Outcome
	l := slive.Loop{Clock: r.Clock, Every: r.Every, Grace: r.Grace, Kill: r.Kill,
		Tick: func(ctx context.Context, t slive.Tick) error {
			o, closeAll, err := r.Open(ctx)
			if err != nil {
				out = nil
				return err
			}
			defer closeAll()
			o.Kill = r.Kill
			out, err = OnceAt(ctx, o, t)
			return err
		},
		Halt: func(ctx context.Context) error {
			o, closeAll, err := r.Open(ctx)
			if err != nil {
				return err
			}
			defer closeAll()
			return cancelOpen(ctx, o.Broker)
		},
		Report: func(w slive.Wake) {
			if r.Report != nil {
				o := out
				if !w.Ran {
					o = nil
				}
				r.Report(w, o)
			}
			out = nil
		}}
	return l.Run(ctx)
}

// cancelOpen cancels every order open at b.
func cancelOpen(ctx context.Context, b slive.Broker) error {
	open, err := b.OpenOrders(ctx)
	if err != nil {
		return fmt.Errorf("live: kill switch: list open orders: %w", err)
	}
	var errs []error
	for _, o := range open {
		if _, err := b.Cancel(ctx, o.ClientID); err != nil {
			errs = append(errs, fmt.Errorf("live: kill switch: cancel %s: %w", o.ClientID, err))
		}
	}
	return errors.Join(errs...)
}

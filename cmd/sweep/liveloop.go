package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim/calendar"
	slive "github.com/optsweep/sweep/sim/live"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/live"
)

// runResident runs the resident loop on the system clock until ctx is done
// or the kill switch is set.
func runResident(ctx context.Context, o liveOptions, kill func() bool, s stdio) error {
	open := func(ctx context.Context) (live.Options, func(), error) {
		built, err := strategy.Build(o.strategy, o.set) // fresh: the journal's replay rebuilds its state
		if err != nil {
			return live.Options{}, nil, err
		}
		st, err := market.OpenReadOnly(o.db)
		if err != nil {
			return live.Options{}, nil, err
		}
		j, err := live.OpenJournal(o.journal)
		if err != nil {
			st.Close()
			return live.Options{}, nil, err
		}
		return o.options(built, st, j, kill), func() { j.Close(); st.Close() }, nil
	}
	fmt.Fprintf(s.out, "run %s (%s %s, broker %s, mode %s): resident; journal %s, market store %s; stop with Ctrl-C, kill switch %s or SIGUSR1\n",
		o.name, o.strategy, strings.Join(o.symbols, ","), o.broker, o.mode, o.journal, o.db, o.killFile)
	r := live.Resident{Open: open, Clock: live.SystemClock{}, Every: o.model.IntradayEvery, Grace: o.grace, Kill: kill,
		Report: func(w slive.Wake, out *live.Outcome) { printWake(s.out, w, out) }}
	err := r.Run(ctx)
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(s.out, "stopped between decision times: the journal holds every decision run")
	case errors.Is(err, slive.ErrKilledIdle), errors.Is(err, slive.ErrKilled):
		fmt.Fprintf(s.out, "stopped by the kill switch (remove %s to trade again)\n", o.killFile)
	}
	return err
}

const wakeFormat = "2006-01-02 15:04 MST"

// printWake prints one wake of the resident loop: what it ran, what it
// missed, and when it wakes next.
func printWake(w io.Writer, k slive.Wake, out *live.Outcome) {
	ny := calendar.NewYork()
	if n := len(k.Missed); n > 0 {
		fmt.Fprintf(w, "missed %d decision times, %s to %s (more than the grace late)\n", n,
			k.Missed[0].Time.In(ny).Format(wakeFormat), k.Missed[n-1].Time.In(ny).Format(wakeFormat))
	}
	if k.Ran {
		fmt.Fprintf(w, "woke %s for the decision of %s step %d", k.Now.In(ny).Format("15:04:05"), k.Tick.Time.In(ny).Format(wakeFormat), k.Tick.Step)
		switch {
		case k.Err != nil:
			fmt.Fprintf(w, ": %v\n", k.Err)
		case out != nil && out.Already:
			fmt.Fprintln(w, ": already in the journal")
		default:
			fmt.Fprintln(w)
		}
		if out != nil {
			printRecords(w, out.Ticks)
			printBook(w, out)
		}
	}
	if k.Retry {
		fmt.Fprintf(w, "trying the decision of %s again in a minute (within the grace)\n", k.Next.Time.In(ny).Format(wakeFormat))
		return
	}
	fmt.Fprintf(w, "next decision %s (in %v)\n", k.Next.Time.In(ny).Format(wakeFormat), k.Next.Time.Sub(k.Now).Round(time.Second))
}

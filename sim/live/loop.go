package live

import (
	"context"
	"errors"
	"time"
)

// DefaultGrace is how late a decision time may still be run by default: a
// loop started at 15:50 ET still makes that session's 15:45 decision.
const DefaultGrace = 10 * time.Minute

// DefaultPoll is how long the loop sleeps at most before it looks at the
// clock and the kill switch again.
const DefaultPoll = time.Minute

// ErrKilledIdle is returned by Loop.Run when the kill switch is found set
// between decision times.
var ErrKilledIdle = errors.New("live: kill switch set between decision times: trading stopped")

// Wake is what the loop did at one wake: the decision time it ran (if any),
// the decision times it skipped, and the next one it sleeps until.
type Wake struct {
	Now    time.Time
	Ran    bool
	Tick   Tick   // the decision time run, when Ran
	Err    error  // the tick's error, when Ran
	Missed []Tick // decision times passed by more than the grace, not run
	Next   Tick   // the decision time the loop sleeps until
	// Retry is set when the tick failed and is tried again at Next (the
	// same decision time) after a poll, while it is within the grace: the
	// market data may not have arrived yet.
	Retry bool
}

// Loop is the resident loop: it wakes at the decision times of the NYSE
// schedule (Schedule: 15:45 ET, 12:45 on early closes, intraday steps every
// Every for strategies that trade within the session), runs Tick at each,
// and sleeps on Clock between them. It does no I/O itself.
type Loop struct {
	Clock Clock
	// Every is the strategy's intraday step (sim.Stepper), 0 for daily only.
	Every time.Duration
	// Grace is how late a decision time may still be run (DefaultGrace when
	// 0). An older one is reported missed; of several due at once, only the
	// latest is run.
	Grace time.Duration
	// Poll is the longest single sleep (DefaultPoll when 0): the kill switch
	// is looked at after each.
	Poll time.Duration
	// Kill reports whether the kill switch is set.
	Kill func() bool
	// Tick runs one decision time (what `sweep live --once` runs). Its
	// context is not cancelled by the loop's: a tick under way finishes
	// before the loop returns, so the journal is left between ticks.
	Tick func(ctx context.Context, t Tick) error
	// Halt, when not nil, is called when the kill switch is found set
	// between decision times (to cancel orders open at the broker).
	Halt func(ctx context.Context) error
	// Report, when not nil, is told of every wake and of the first sleep.
	Report func(w Wake)
}

// Run runs the loop until ctx is done (it returns ctx's error, after the
// tick under way if any has finished), the kill switch is set (ErrKilled
// from a tick, ErrKilledIdle between ticks) or a tick's error is ErrKilled.
// A tick that fails otherwise is reported and tried again every poll while
// it is within the grace (its session's data may be late), then left for
// the next decision time.
func (l *Loop) Run(ctx context.Context) error {
	grace, poll := l.Grace, l.Poll
	if grace <= 0 {
		grace = DefaultGrace
	}
	if poll <= 0 {
		poll = DefaultPoll
	}
	next := Next(l.Clock.Now().Add(-grace), l.Every)
	for first := true; ; first = false {
		w := Wake{Now: l.Clock.Now()}
		next = l.catchUp(next, w.Now, grace, &w.Missed)
		if next.Time.After(w.Now) {
			if first || len(w.Missed) > 0 {
				w.Next = next
				l.report(w)
			}
			if err := l.sleep(ctx, next.Time, poll); err != nil {
				return err
			}
			continue
		}
		if err := ctx.Err(); err != nil { // no new tick once cancelled
			return err
		}
		w.Ran, w.Tick = true, next
		w.Err = l.Tick(context.WithoutCancel(ctx), next)
		if errors.Is(w.Err, ErrKilled) {
			w.Next = Next(next.Time.Add(time.Nanosecond), l.Every)
			l.report(w)
			return w.Err
		}
		retry := w.Err != nil && !l.Clock.Now().Add(poll).After(next.Time.Add(grace))
		if !retry {
			next = Next(next.Time.Add(time.Nanosecond), l.Every)
		}
		w.Next, w.Retry = next, retry
		l.report(w)
		if retry {
			if err := l.sleep(ctx, l.Clock.Now().Add(poll), poll); err != nil {
				return err
			}
		}
	}
}

// catchUp skips from next the decision times passed by more than grace,
// and those due when a later one is due too, appending them to missed.
func (l *Loop) catchUp(next Tick, now time.Time, grace time.Duration, missed *[]Tick) Tick {
	for {
		after := Next(next.Time.Add(time.Nanosecond), l.Every)
		if !next.Time.Add(grace).Before(now) && after.Time.After(now) {
			return next
		}
		*missed = append(*missed, next)
		next = after
	}
}

// sleep sleeps until until in steps of at most poll, looking at the kill
// switch before each.
func (l *Loop) sleep(ctx context.Context, until time.Time, poll time.Duration) error {
	for {
		if l.Kill != nil && l.Kill() {
			if l.Halt != nil {
				if err := l.Halt(context.WithoutCancel(ctx)); err != nil {
					return errors.Join(ErrKilledIdle, err)
				}
			}
			return ErrKilledIdle
		}
		now := l.Clock.Now()
		if !now.Before(until) {
			return nil
		}
		wake := now.Add(poll)
		if until.Before(wake) {
			wake = until
		}
		if err := l.Clock.Sleep(ctx, wake); err != nil {
			return err
		}
	}
}

func (l *Loop) report(w Wake) {
	if l.Report != nil {
		l.Report(w)
	}
}

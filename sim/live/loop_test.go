package live

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
)

func nyTimes(ticks []Tick) string {
	var s []string
	for _, t := range ticks {
		s = append(s, t.Time.In(calendar.NewYork()).Format("Mon 01-02 15:04"))
	}
	return strings.Join(s, ", ")
}

// TestLoopSchedule drives the loop with a fake clock from a Tuesday
// morning through Thanksgiving (a holiday), the early close after it, a
// weekend and the Monday after; the context is cancelled inside the fifth
// tick, which finishes, and the loop stops before the next.
func TestLoopSchedule(t *testing.T) {
	cases := []struct {
		name  string
		every time.Duration
		n     int
		want  string
	}{
		{"daily", 0, 4, "Tue 11-26 15:45, Wed 11-27 15:45, Fri 11-29 12:45, Mon 12-02 15:45"},
		{"intraday", 2 * time.Hour, 7, "Tue 11-26 14:00, Tue 11-26 15:45, Wed 11-27 10:00, Wed 11-27 12:00, Wed 11-27 14:00, Wed 11-27 15:45, Fri 11-29 10:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock := &ManualClock{T: time.Date(2024, 11, 26, 17, 30, 0, 0, time.UTC)} // 12:30 ET
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var ran []Tick
			var wakes []Wake
			l := Loop{Clock: clock, Every: c.every,
				Tick: func(tctx context.Context, tk Tick) error {
					if !clock.T.Equal(tk.Time) {
						t.Errorf("tick %v run at %v", tk.Time, clock.T)
					}
					ran = append(ran, tk)
					if len(ran) == c.n {
						cancel()
						if tctx.Err() != nil {
							t.Error("the tick's context is cancelled with the loop's: the tick could not finish")
						}
					}
					return nil
				},
				Report: func(w Wake) { wakes = append(wakes, w) }}
			err := l.Run(ctx)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Run: %v, want context.Canceled", err)
			}
			if got := nyTimes(ran); got != c.want {
				t.Errorf("ticks\n got %s\nwant %s", got, c.want)
			}
			if len(wakes) != c.n+1 || wakes[0].Ran || !wakes[0].Next.Time.Equal(ran[0].Time) {
				t.Errorf("%d wakes reported, the first %+v", len(wakes), wakes[0])
			}
			for i, w := range wakes[1:] {
				if !w.Ran || w.Tick != ran[i] || !w.Next.Time.After(w.Tick.Time) {
					t.Errorf("wake %d: %+v", i, w)
				}
			}
			for _, tk := range ran {
				day := Schedule(sim.DayTime(tk.Day), c.every)
				if tk.Daily != (tk == day[len(day)-1]) {
					t.Errorf("tick %+v: Daily wrong", tk)
				}
			}
		})
	}
}

// TestLoopLate: a loop started after a decision time runs it within the
// grace; one that slept past several runs only the latest due and reports
// the rest missed.
func TestLoopLate(t *testing.T) {
	cases := []struct {
		start  time.Time
		every  time.Duration
		first  string
		missed int
	}{
		{time.Date(2024, 3, 15, 19, 50, 0, 0, time.UTC), 0, "Fri 03-15 15:45", 0},               // 15:50 ET: 5 minutes late
		{time.Date(2024, 3, 15, 20, 5, 0, 0, time.UTC), 0, "Mon 03-18 15:45", 0},                // 16:05 ET: after the grace
		{time.Date(2024, 3, 15, 15, 12, 0, 0, time.UTC), 5 * time.Minute, "Fri 03-15 11:10", 1}, // 11:12 ET: 11:05 missed
	}
	for i, c := range cases {
		clock := &ManualClock{T: c.start}
		ctx, cancel := context.WithCancel(context.Background())
		var ran []Tick
		var missed int
		l := Loop{Clock: clock, Every: c.every,
			Tick:   func(_ context.Context, tk Tick) error { ran = append(ran, tk); cancel(); return nil },
			Report: func(w Wake) { missed += len(w.Missed) }}
		if err := l.Run(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("case %d: %v", i, err)
		}
		if got := nyTimes(ran); got != c.first || missed != c.missed {
			t.Errorf("case %d: ran %s with %d missed, want %s with %d", i, got, missed, c.first, c.missed)
		}
	}
}

// TestLoopStops: the kill switch between ticks stops the loop (calling
// Halt), a tick's ErrKilled stops it, other tick errors do not, and a
// context cancelled while sleeping stops it with no tick run.
func TestLoopStops(t *testing.T) {
	start := time.Date(2024, 3, 15, 12, 0, 0, 0, time.UTC)
	clock := &ManualClock{T: start}
	killAt := time.Date(2024, 3, 18, 12, 0, 0, 0, time.UTC)
	var ran, halts, retries int
	var last Wake
	l := Loop{Clock: clock,
		Kill: func() bool { return !clock.T.Before(killAt) },
		Halt: func(context.Context) error { halts++; return nil },
		Tick: func(context.Context, Tick) error { ran++; return errors.New("the store has no session yet") },
		Report: func(w Wake) {
			if w.Retry {
				retries++
			}
			last = w
		}}
	// 15:45 and a retry every minute within the 10-minute grace, then Monday's
	// decision time is next, and the kill switch is set on Monday morning.
	if err := l.Run(context.Background()); !errors.Is(err, ErrKilledIdle) || ran != 11 || retries != 10 || halts != 1 {
		t.Errorf("kill between ticks: %v after %d ticks (%d retries), %d halts", err, ran, retries, halts)
	}
	if last.Retry || sim.DayString(last.Next.Day) != "2024-03-18" {
		t.Errorf("after the retries: %+v", last)
	}
	l.Report = nil
	clock.T, ran = start, 0
	l.Kill = nil
	l.Tick = func(context.Context, Tick) error { ran++; return ErrKilled }
	if err := l.Run(context.Background()); !errors.Is(err, ErrKilled) || ran != 1 {
		t.Errorf("killed tick: %v after %d ticks", err, ran)
	}
	clock.T, ran = start, 0
	ctx, cancel := context.WithCancel(context.Background())
	l.Report = func(w Wake) { cancel() } // cancelled as the loop goes to sleep
	if err := l.Run(ctx); !errors.Is(err, context.Canceled) || ran != 0 {
		t.Errorf("cancelled while sleeping: %v after %d ticks", err, ran)
	}
}

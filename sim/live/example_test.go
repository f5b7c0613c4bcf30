package live_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
	"github.com/optsweep/sweep/sim/live"
)

// Client order ids are a function of the instance, the session, the step,
// the order's index and the rung: a restart finds what it sent by them.
func ExampleClientID() {
	day := sim.DayOf(calendar.Date(2024, 3, 15))
	fmt.Println(live.ClientID("csp", day, 0, 2, 0))
	fmt.Println(live.ClientID("csp", day, 0, 2, 1)) // the first replacement
	// Output:
	// sw-csp-20240315-s0-o2-r0
	// sw-csp-20240315-s0-o2-r1
}

// The decision times of a session: intraday steps for a 0DTE strategy, then
// the daily decision 15 minutes before the close (12:45 on an early close).
func ExampleSchedule() {
	ny := calendar.NewYork()
	for _, d := range []int{26, 29} { // Tuesday 26 and Friday 29 November 2024, the day after Thanksgiving
		ticks := live.Schedule(calendar.Date(2024, 11, d), 2*time.Hour)
		var times []string
		for _, t := range ticks {
			times = append(times, t.Time.In(ny).Format("15:04"))
		}
		fmt.Println(strings.Join(times, " "))
	}
	// Output:
	// 10:00 12:00 14:00 15:45
	// 10:00 12:00 12:45
}

// The resident loop on a manual clock: from a Wednesday afternoon through
// Thanksgiving (no session) to the early close the day after, and the
// Monday after the weekend.
func ExampleLoop() {
	ny := calendar.NewYork()
	clock := &live.ManualClock{T: time.Date(2024, 11, 27, 18, 0, 0, 0, time.UTC)}
	ctx, stop := context.WithCancel(context.Background())
	n := 0
	l := live.Loop{Clock: clock,
		Tick: func(_ context.Context, t live.Tick) error {
			if n++; n == 3 {
				stop() // the tick finishes; the loop starts no other
			}
			return nil
		},
		Report: func(w live.Wake) {
			if w.Ran {
				fmt.Printf("ran %s, ", w.Tick.Time.In(ny).Format("Mon Jan 2 15:04"))
			}
			fmt.Printf("next %s\n", w.Next.Time.In(ny).Format("Mon Jan 2 15:04"))
		}}
	fmt.Println(l.Run(ctx))
	// Output:
	// next Wed Nov 27 15:45
	// ran Wed Nov 27 15:45, next Fri Nov 29 12:45
	// ran Fri Nov 29 12:45, next Mon Dec 2 15:45
	// ran Mon Dec 2 15:45, next Tue Dec 3 15:45
	// context canceled
}

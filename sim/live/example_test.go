package live_test

import (
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

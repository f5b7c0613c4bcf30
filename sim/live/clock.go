package live

import (
	"context"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
)

// Clock tells the time and sleeps. The resident loop (Loop) sleeps on it;
// tests give a fake one that moves only when slept on. sim/live never reads
// the system clock itself (sweep/live.SystemClock does).
type Clock interface {
	Now() time.Time
	// Sleep waits until the clock reads until, or until ctx is done, when
	// it returns ctx's error.
	Sleep(ctx context.Context, until time.Time) error
}

// Tick is one decision time of a session.
type Tick struct {
	Day  int32     // trading date, days since 1970-01-01
	Time time.Time // the decision time
	// Step numbers the decision times of the day from 0; the daily decision
	// is the last.
	Step  int
	Daily bool // the session's daily decision (after it the session can end)
}

// DailyLead is how long before the close the daily decision is made: 15:45
// ET on a full session, 12:45 on an early close.
const DailyLead = 15 * time.Minute

// FirstStep is when intraday steps start, after the opening auction's noise:
// 10:00 New York time.
const FirstStep = 30 * time.Minute

// Schedule returns the decision times of trading date d (midnight UTC of the
// civil date, as sim/calendar carries dates): with every > 0 the intraday
// steps every every from 10:00 New York time up to (not including) the daily
// decision, then the daily decision DailyLead before the close (early closes
// included). It is empty on a day without a session.
func Schedule(d time.Time, every time.Duration) []Tick {
	if !calendar.IsTradingDay(d) {
		return nil
	}
	day := sim.DayOf(d)
	daily := calendar.CloseTime(d).Add(-DailyLead)
	var out []Tick
	if every > 0 {
		for t := calendar.OpenTime(d).Add(FirstStep); t.Before(daily); t = t.Add(every) {
			out = append(out, Tick{Day: day, Time: t, Step: len(out)})
		}
	}
	return append(out, Tick{Day: day, Time: daily, Step: len(out), Daily: true})
}

// Next returns the first decision time at or after now (in the session of
// now or a later one).
func Next(now time.Time, every time.Duration) Tick {
	ny := calendar.NewYork()
	local := now.In(ny)
	d := calendar.Date(local.Year(), local.Month(), local.Day())
	for {
		for _, t := range Schedule(d, every) {
			if !t.Time.Before(now) {
				return t
			}
		}
		d = calendar.NextTradingDay(d)
	}
}

// ManualClock is a Clock that moves only when slept on: Sleep jumps to its
// deadline at once. Tests drive the resident loop with it, sessions in
// microseconds. It is not safe for concurrent use.
type ManualClock struct {
	T time.Time
}

// Now implements Clock.
func (c *ManualClock) Now() time.Time { return c.T }

// Sleep implements Clock.
func (c *ManualClock) Sleep(ctx context.Context, until time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if until.After(c.T) {
		c.T = until
	}
	return nil
}

// Package calendar is the New York Stock Exchange trading calendar, in code: holidays,
// weekend observance, special closures, early closes and business-day arithmetic.
//
// # Dates
//
// A date is a civil date (a day in New York), carried as a time.Time. Every function
// reads the year, month and day of its argument in the argument's own location and
// ignores the clock; every date it returns is midnight UTC of the civil date, the form
// the rest of sweep uses (and the form OPRA uses for expirations). Instants, such as a
// session's close, are returned in America/New_York (see NewYork).
//
// # Rules
//
// The regular holidays follow NYSE Rule 7.2 as applied since 1971: New Year's Day,
// Martin Luther King Jr. Day (from 1998), Washington's Birthday (Presidents' Day),
// Good Friday, Memorial Day, Juneteenth (from 2022), Independence Day, Labor Day,
// Thanksgiving and Christmas. A holiday on a Saturday is observed on the Friday before
// and one on a Sunday on the Monday after, except that a Saturday New Year's Day is not
// observed at all (the Friday before closes a year). Unscheduled closures (national days
// of mourning, 9/11, hurricanes) are listed from 1985 on.
//
// The market closes early, at 13:00 ET, on July 3 when it is a weekday session before
// Independence Day (before 2013 a Wednesday July 3 was a full day and Friday July 5
// closed early instead), on the day after Thanksgiving and on December 24 when it is a
// weekday session before Christmas. The regular session runs 09:30 to 16:00 ET.
//
// The rules are exact from 1999 through the present; unscheduled closures and early
// closes before 1985 are not listed, and future special closures cannot be known.
package calendar

import (
	"sync"
	"time"
	_ "time/tzdata" // NewYork must work on machines without a zoneinfo database.
)

// Session times in minutes after midnight, New York time.
const (
	openMinute       = 9*60 + 30
	closeMinute      = 16 * 60
	earlyCloseMinute = 13 * 60
)

// NewYork returns the America/New_York location. The zone data is embedded in the
// binary, so this works on any machine.
func NewYork() *time.Location { return newYork() }

// newYork loads the zone once, on first use; the result never changes.
var newYork = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		// Unreachable: time/tzdata embeds the zone.
		panic("calendar: America/New_York unavailable: " + err.Error())
	}
	return loc
})

// Date returns midnight UTC of the civil date year-month-day, the form every function
// of this package returns.
func Date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// civil returns the civil date of t (read in t's location) as midnight UTC.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return Date(y, m, d)
}

// IsWeekend reports whether d falls on a Saturday or a Sunday.
func IsWeekend(d time.Time) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// IsTradingDay reports whether the NYSE holds a session on date d: a weekday that is
// neither a holiday nor a special closure.
func IsTradingDay(d time.Time) bool {
	d = civil(d)
	if IsWeekend(d) {
		return false
	}
	_, closed := Holiday(d)
	return !closed
}

// Holiday reports whether the NYSE is closed on d for a holiday or a special closure,
// and names it. A holiday observed on another day carries its name with " (observed)"
// on that day; the weekend day it falls on is not reported (a plain weekend is not a
// holiday).
func Holiday(d time.Time) (name string, ok bool) {
	d = civil(d)
	if name, ok := specialClosure(d); ok {
		return name, true
	}
	var buf [maxHolidays]holiday
	for _, h := range holidays(d.Year(), buf[:0]) {
		if h.observed.Equal(d) {
			if !h.observed.Equal(h.date) {
				return h.name + " (observed)", true
			}
			return h.name, true
		}
	}
	return "", false
}

// IsEarlyClose reports whether the session on trading day d ends at 13:00 ET.
// It is false for days without a session.
func IsEarlyClose(d time.Time) bool {
	d = civil(d)
	if !IsTradingDay(d) {
		return false
	}
	y, m, day := d.Date()
	wd := d.Weekday()
	switch {
	case m == time.July && day == 3:
		// The eve of Independence Day. A Friday July 3 is itself the observed holiday
		// and a weekend one has no session, both excluded above. Before 2013 a
		// Wednesday July 3 was a full day and Friday July 5 closed early instead.
		return y >= 1995 && (wd != time.Wednesday || y >= 2013)
	case m == time.July && day == 5 && wd == time.Friday:
		return y >= 1996 && y < 2013
	case m == time.November && wd == time.Friday:
		// The day after Thanksgiving (the fourth Thursday).
		return y >= 1993 && Date(y, time.November, day-1).Equal(nthWeekday(y, time.November, time.Thursday, 4))
	case m == time.December && day == 24:
		return y >= 1999
	}
	return false
}

// OpenTime returns the instant the regular session on d opens, 09:30 New York time,
// or the zero Time if d is not a trading day.
func OpenTime(d time.Time) time.Time {
	d = civil(d)
	if !IsTradingDay(d) {
		return time.Time{}
	}
	return clock(d, openMinute)
}

// CloseTime returns the instant the regular session on d closes: 16:00 New York time,
// or 13:00 on an early-close day. It returns the zero Time if d is not a trading day.
func CloseTime(d time.Time) time.Time {
	d = civil(d)
	if !IsTradingDay(d) {
		return time.Time{}
	}
	if IsEarlyClose(d) {
		return clock(d, earlyCloseMinute)
	}
	return clock(d, closeMinute)
}

// clock returns the instant minute minutes after midnight of civil date d in New York.
func clock(d time.Time, minute int) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, minute/60, minute%60, 0, 0, NewYork())
}

// NextTradingDay returns the first trading day strictly after d.
func NextTradingDay(d time.Time) time.Time {
	d = civil(d)
	for {
		d = d.AddDate(0, 0, 1)
		if IsTradingDay(d) {
			return d
		}
	}
}

// PrevTradingDay returns the last trading day strictly before d.
func PrevTradingDay(d time.Time) time.Time {
	d = civil(d)
	for {
		d = d.AddDate(0, 0, -1)
		if IsTradingDay(d) {
			return d
		}
	}
}

// AddTradingDays moves n trading days from d: forward for n > 0, backward for n < 0.
// The count starts from d whether or not d is a trading day, so AddTradingDays(sat, 1)
// is the Monday after (if open). For n == 0 it returns d itself when d is a trading
// day and otherwise the next trading day.
func AddTradingDays(d time.Time, n int) time.Time {
	d = civil(d)
	if n == 0 {
		if IsTradingDay(d) {
			return d
		}
		return NextTradingDay(d)
	}
	for ; n > 0; n-- {
		d = NextTradingDay(d)
	}
	for ; n < 0; n++ {
		d = PrevTradingDay(d)
	}
	return d
}

// TradingDays returns the trading days from from through to, both inclusive, in order.
// It returns nil when to is before from.
func TradingDays(from, to time.Time) []time.Time {
	from, to = civil(from), civil(to)
	var days []time.Time
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if IsTradingDay(d) {
			days = append(days, d)
		}
	}
	return days
}

// CountTradingDays returns the number of trading days in (from, to]: zero when to is
// not after from. It is the number of sessions an option bought at the close of from
// lives through until the close of to.
func CountTradingDays(from, to time.Time) int {
	from, to = civil(from), civil(to)
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if IsTradingDay(d) {
			n++
		}
	}
	return n
}

// MonthlyExpiration returns the standard monthly option expiration of a month: the
// third Friday, or the trading day before it when the exchange is closed that Friday
// (Good Friday 2025 moved April's expiration to Thursday the 17th).
func MonthlyExpiration(year int, month time.Month) time.Time {
	f := nthWeekday(year, month, time.Friday, 3)
	if IsTradingDay(f) {
		return f
	}
	return PrevTradingDay(f)
}

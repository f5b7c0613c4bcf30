package calendar

import "time"

// holiday is one regular holiday of a year: the day it falls on and the day the
// exchange closes for it.
type holiday struct {
	name     string
	date     time.Time // the holiday itself
	observed time.Time // the day the exchange closes; zero if not observed
}

// maxHolidays bounds the regular holidays of one year.
const maxHolidays = 10

// holidays appends the regular NYSE holidays of year to buf and returns it. Every
// observed day falls in year itself: a Sunday New Year's Day moves to January 2 and a
// Saturday one is not observed.
func holidays(year int, buf []holiday) []holiday {
	fixed := func(name string, m time.Month, day int) holiday {
		d := Date(year, m, day)
		obs := d
		switch d.Weekday() {
		case time.Saturday:
			obs = d.AddDate(0, 0, -1)
		case time.Sunday:
			obs = d.AddDate(0, 0, 1)
		}
		return holiday{name: name, date: d, observed: obs}
	}
	floating := func(name string, d time.Time) holiday {
		return holiday{name: name, date: d, observed: d}
	}

	ny := fixed("New Year's Day", time.January, 1)
	if ny.date.Weekday() == time.Saturday {
		ny.observed = time.Time{} // NYSE Rule 7.2: the Friday before ends a year.
	}
	buf = append(buf, ny)
	if year >= 1998 {
		buf = append(buf, floating("Martin Luther King Jr. Day", nthWeekday(year, time.January, time.Monday, 3)))
	}
	buf = append(buf,
		floating("Washington's Birthday", nthWeekday(year, time.February, time.Monday, 3)),
		floating("Good Friday", easter(year).AddDate(0, 0, -2)),
		floating("Memorial Day", lastWeekday(year, time.May, time.Monday)),
	)
	if year >= 2022 {
		buf = append(buf, fixed("Juneteenth", time.June, 19))
	}
	buf = append(buf,
		fixed("Independence Day", time.July, 4),
		floating("Labor Day", nthWeekday(year, time.September, time.Monday, 1)),
		floating("Thanksgiving Day", nthWeekday(year, time.November, time.Thursday, 4)),
		fixed("Christmas Day", time.December, 25),
	)
	return buf
}

// Holidays returns the days of year on which the NYSE is closed other than weekends
// (regular holidays as observed, and special closures), in order.
func Holidays(year int) []time.Time {
	var days []time.Time
	for d := Date(year, time.January, 1); d.Year() == year; d = d.AddDate(0, 0, 1) {
		if IsWeekend(d) {
			continue
		}
		if _, ok := Holiday(d); ok {
			days = append(days, d)
		}
	}
	return days
}

// nthWeekday returns the n-th (1-based) given weekday of a month.
func nthWeekday(year int, m time.Month, wd time.Weekday, n int) time.Time {
	first := Date(year, m, 1)
	offset := (int(wd) - int(first.Weekday()) + 7) % 7
	return first.AddDate(0, 0, offset+7*(n-1))
}

// lastWeekday returns the last given weekday of a month.
func lastWeekday(year int, m time.Month, wd time.Weekday) time.Time {
	last := Date(year, m+1, 0)
	offset := (int(last.Weekday()) - int(wd) + 7) % 7
	return last.AddDate(0, 0, -offset)
}

// easter returns Easter Sunday of year in the Gregorian calendar (the anonymous
// Gregorian computus of Meeus, Jones and Butcher).
func easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date(year, time.Month(month), day)
}

// specialClosure reports unscheduled full-day closures: days of mourning, 9/11 and
// storms, from 1985 on.
func specialClosure(d time.Time) (string, bool) {
	y, m, day := d.Date()
	switch key := y*10000 + int(m)*100 + day; key {
	case 19850927:
		return "Hurricane Gloria", true
	case 19940427:
		return "National Day of Mourning for Richard Nixon", true
	case 20010911, 20010912, 20010913, 20010914:
		return "September 11 attacks", true
	case 20040611:
		return "National Day of Mourning for Ronald Reagan", true
	case 20070102:
		return "National Day of Mourning for Gerald Ford", true
	case 20121029, 20121030:
		return "Hurricane Sandy", true
	case 20181205:
		return "National Day of Mourning for George H. W. Bush", true
	case 20250109:
		return "National Day of Mourning for Jimmy Carter", true
	}
	return "", false
}

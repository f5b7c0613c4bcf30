package calendar

import (
	"fmt"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func days(ss ...string) []time.Time {
	out := make([]time.Time, len(ss))
	for i, s := range ss {
		out[i] = day(s)
	}
	return out
}

// Published NYSE holiday schedules.
func TestHolidays(t *testing.T) {
	tests := []struct {
		year int
		want []time.Time
	}{
		{2018, days("2018-01-01", "2018-01-15", "2018-02-19", "2018-03-30", "2018-05-28", "2018-07-04",
			"2018-09-03", "2018-11-22", "2018-12-05", "2018-12-25")},
		{2021, days("2021-01-01", "2021-01-18", "2021-02-15", "2021-04-02", "2021-05-31", "2021-07-05",
			"2021-09-06", "2021-11-25", "2021-12-24")},
		// New Year's Day 2022 is a Saturday: not observed on Friday 2021-12-31.
		{2022, days("2022-01-17", "2022-02-21", "2022-04-15", "2022-05-30", "2022-06-20", "2022-07-04",
			"2022-09-05", "2022-11-24", "2022-12-26")},
		{2023, days("2023-01-02", "2023-01-16", "2023-02-20", "2023-04-07", "2023-05-29", "2023-06-19",
			"2023-07-04", "2023-09-04", "2023-11-23", "2023-12-25")},
		{2024, days("2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19",
			"2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25")},
		{2025, days("2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26",
			"2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25")},
		{2026, days("2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19",
			"2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25")},
		{2027, days("2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18",
			"2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24")},
	}
	for _, tt := range tests {
		got := Holidays(tt.year)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Holidays(%d):\n got %v\nwant %v", tt.year, dates(got), dates(tt.want))
		}
	}
}

func dates(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Format(time.DateOnly)
	}
	return out
}

func TestIsTradingDay(t *testing.T) {
	tests := []struct {
		date string
		want bool
		name string
	}{
		{"2021-06-18", true, ""},                       // Juneteenth not yet a holiday
		{"2022-06-20", false, "Juneteenth (observed)"}, // Juneteenth 2022 is a Sunday
		{"2021-12-31", true, ""},                       // Saturday New Year's not observed
		{"2024-03-29", false, "Good Friday"},           // Good Friday 2024
		{"2025-01-09", false, "National Day of Mourning for Jimmy Carter"},
		{"2012-10-29", false, "Hurricane Sandy"},
		{"2012-10-30", false, "Hurricane Sandy"},
		{"2012-10-31", true, ""},
		{"2001-09-11", false, "September 11 attacks"},
		{"2001-09-17", true, ""},
		{"2004-06-11", false, "National Day of Mourning for Ronald Reagan"},
		{"2007-01-02", false, "National Day of Mourning for Gerald Ford"},
		{"1997-01-20", true, ""}, // MLK Day before 1998
		{"1998-01-19", false, "Martin Luther King Jr. Day"},
		{"2017-01-02", false, "New Year's Day (observed)"}, // Sunday New Year's
		{"2024-07-06", false, ""},                          // Saturday
		{"2024-07-07", false, ""},                          // Sunday
		{"2024-07-05", true, ""},
	}
	for _, tt := range tests {
		d := day(tt.date)
		if got := IsTradingDay(d); got != tt.want {
			t.Errorf("IsTradingDay(%s) = %v, want %v", tt.date, got, tt.want)
		}
		if name, _ := Holiday(d); name != tt.name {
			t.Errorf("Holiday(%s) = %q, want %q", tt.date, name, tt.name)
		}
	}
}

func TestTradingDayCounts(t *testing.T) {
	tests := []struct{ year, want int }{
		{2018, 251}, {2019, 252}, {2021, 252}, {2022, 251}, {2023, 250}, {2024, 252}, {2025, 250},
	}
	for _, tt := range tests {
		got := len(TradingDays(Date(tt.year, 1, 1), Date(tt.year, 12, 31)))
		if got != tt.want {
			t.Errorf("%d: %d trading days, want %d", tt.year, got, tt.want)
		}
	}
}

func TestEarlyClose(t *testing.T) {
	tests := []struct {
		date string
		want bool
	}{
		{"2024-07-03", true},
		{"2024-11-29", true},
		{"2024-12-24", true},
		{"2025-07-03", true},
		{"2025-11-28", true},
		{"2025-12-24", true},
		{"2023-07-03", true},
		{"2019-07-03", true},  // Wednesday, after 2013
		{"2012-07-03", true},  // Tuesday
		{"2002-07-03", false}, // Wednesday before 2013: full day ...
		{"2002-07-05", true},  // ... and the Friday after closed early
		{"2019-07-05", false},
		{"2026-07-02", false}, // July 3, 2026 is the observed holiday
		{"2026-07-03", false}, // closed, not early
		{"2021-12-24", false}, // observed Christmas
		{"2022-11-25", true},
		{"2024-11-22", false},
		{"2024-12-23", false},
		{"2024-07-02", false},
	}
	for _, tt := range tests {
		if got := IsEarlyClose(day(tt.date)); got != tt.want {
			t.Errorf("IsEarlyClose(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestCloseTime(t *testing.T) {
	tests := []struct {
		date string
		want string // UTC
	}{
		{"2024-11-29", "2024-11-29T18:00:00Z"}, // 13:00 EST
		{"2024-07-03", "2024-07-03T17:00:00Z"}, // 13:00 EDT
		{"2024-07-15", "2024-07-15T20:00:00Z"}, // 16:00 EDT
		{"2024-01-16", "2024-01-16T21:00:00Z"}, // 16:00 EST
		{"2024-03-11", "2024-03-11T20:00:00Z"}, // first day of DST
		{"2024-07-04", "0001-01-01T00:00:00Z"}, // closed
	}
	for _, tt := range tests {
		got := CloseTime(day(tt.date)).UTC().Format(time.RFC3339)
		if got != tt.want {
			t.Errorf("CloseTime(%s) = %s, want %s", tt.date, got, tt.want)
		}
	}
	if got := OpenTime(day("2024-01-16")).UTC().Format(time.RFC3339); got != "2024-01-16T14:30:00Z" {
		t.Errorf("OpenTime(2024-01-16) = %s", got)
	}
}

func TestAddTradingDays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2024-12-31", 1, "2025-01-02"},
		{"2025-01-08", 1, "2025-01-10"}, // over the Carter closure
		{"2025-01-10", -1, "2025-01-08"},
		{"2024-03-28", 1, "2024-04-01"}, // over Good Friday and a weekend
		{"2024-04-01", -1, "2024-03-28"},
		{"2024-07-06", 1, "2024-07-08"}, // from a Saturday
		{"2024-07-06", -1, "2024-07-05"},
		{"2024-07-06", 0, "2024-07-08"},
		{"2024-07-05", 0, "2024-07-05"},
		{"2024-01-02", 251, "2024-12-31"},
		{"2024-12-31", -251, "2024-01-02"},
	}
	for _, tt := range tests {
		got := AddTradingDays(day(tt.from), tt.n).Format(time.DateOnly)
		if got != tt.want {
			t.Errorf("AddTradingDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
	if got := NextTradingDay(day("2022-06-17")); !got.Equal(day("2022-06-21")) {
		t.Errorf("NextTradingDay(2022-06-17) = %v", got)
	}
	if got := PrevTradingDay(day("2022-01-03")); !got.Equal(day("2021-12-31")) {
		t.Errorf("PrevTradingDay(2022-01-03) = %v", got)
	}
	if got := CountTradingDays(day("2024-03-27"), day("2024-04-02")); got != 3 {
		t.Errorf("CountTradingDays = %d, want 3", got)
	}
	if got := TradingDays(day("2024-02-01"), day("2024-01-01")); got != nil {
		t.Errorf("TradingDays(reversed) = %v, want nil", got)
	}
}

func TestDatesIgnoreClockAndZone(t *testing.T) {
	// 23:00 in New York on July 3 is already July 4 in UTC; the civil date is read in
	// the argument's own location.
	ny := time.Date(2024, 7, 3, 23, 0, 0, 0, NewYork())
	if !IsTradingDay(ny) || !IsEarlyClose(ny) {
		t.Errorf("2024-07-03 23:00 New York: want a trading day with an early close")
	}
	if got := NextTradingDay(ny); !got.Equal(day("2024-07-05")) || got.Location() != time.UTC {
		t.Errorf("NextTradingDay = %v, want 2024-07-05 UTC", got)
	}
}

func TestEaster(t *testing.T) {
	for _, s := range []string{"2008-03-23", "2019-04-21", "2024-03-31", "2025-04-20", "2038-04-25", "2285-03-22", "1818-03-22"} {
		d := day(s)
		if got := easter(d.Year()); !got.Equal(d) {
			t.Errorf("easter(%d) = %s, want %s", d.Year(), got.Format(time.DateOnly), s)
		}
	}
}

func TestMonthlyExpiration(t *testing.T) {
	tests := []struct {
		year  int
		month time.Month
		want  string
	}{
		{2024, time.March, "2024-03-15"},
		{2022, time.April, "2022-04-14"}, // third Friday is Good Friday
		{2025, time.April, "2025-04-17"},
		{2025, time.February, "2025-02-21"},
		{2026, time.January, "2026-01-16"},
	}
	for _, tt := range tests {
		if got := MonthlyExpiration(tt.year, tt.month).Format(time.DateOnly); got != tt.want {
			t.Errorf("MonthlyExpiration(%d, %v) = %s, want %s", tt.year, tt.month, got, tt.want)
		}
	}
}

func BenchmarkIsTradingDay(b *testing.B) {
	d := day("2024-01-01")
	for i := 0; b.Loop(); i++ {
		IsTradingDay(d.AddDate(0, 0, i%366))
	}
}

func ExampleAddTradingDays() {
	// Five sessions after Thursday 2025-01-02, skipping the 2025-01-09 closure.
	d := AddTradingDays(Date(2025, time.January, 2), 5)
	fmt.Println(d.Format(time.DateOnly), d.Weekday())
	fmt.Println(CloseTime(Date(2024, time.November, 29)).Format("15:04 MST"))
	// Output:
	// 2025-01-10 Friday
	// 13:00 EST
}

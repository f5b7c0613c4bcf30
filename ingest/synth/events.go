package synth

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/optsweep/sweep/sim/calendar"
)

// Event kinds as written to events.csv.
const (
	KindEarnings   = "earnings"    // announced after the close of event_date
	KindExDividend = "ex_dividend" // shares trade without the dividend from the open of event_date
	KindFOMC       = "fomc"        // FOMC decision at 14:00 ET on event_date; symbol empty
)

// event is one scheduled corporate or macro event.
type event struct {
	symbol string
	date   time.Time // a trading day, midnight UTC
	kind   string
	amount float64 // dividend per share for KindExDividend, else 0
}

// scheduleEvents returns the earnings and ex-dividend dates of p from the year of from
// through to, in date order. Dividend amounts are filled in later, by the path
// simulation, from the share price.
func scheduleEvents(p *profile, from, to time.Time) []event {
	var evs []event
	key := symbolSeed(p.symbol)
	for y := from.Year(); y <= to.Year(); y++ {
		for q := 0; q < 4; q++ {
			if p.earnMove > 0 {
				jitter := int(mix(key, uint64(y), uint64(q))%7) - 3
				d := calendar.Date(y, time.Month(1+3*q), 15+p.earnDay+jitter)
				evs = append(evs, event{symbol: p.symbol, date: onOrAfterTradingDay(d), kind: KindEarnings})
			}
			if p.divYield > 0 {
				m := time.Month(p.divMonth + 3*q)
				var d time.Time
				if p.kind == kindETF {
					d = calendar.MonthlyExpiration(y, m) // ETFs go ex on the third Friday
				} else {
					d = onOrAfterTradingDay(calendar.Date(y, m, 5+int(mix(key, uint64(y), 7)%15)))
				}
				evs = append(evs, event{symbol: p.symbol, date: d, kind: KindExDividend})
			}
		}
	}
	out := evs[:0]
	for _, e := range evs {
		if !e.date.Before(from) && !e.date.After(to) {
			out = append(out, e)
		}
	}
	sortEvents(out)
	return out
}

// fomcEvents returns FOMC decision days from from through to. The schedule follows the
// Fed's usual pattern of eight meetings (late January, mid March, early May, mid June,
// late July, mid September, early November, mid December), not the real calendar.
func fomcEvents(from, to time.Time) []event {
	type slot struct {
		m   time.Month
		nth int // n-th Wednesday; 0 for the last
	}
	slots := [...]slot{{1, 0}, {3, 3}, {5, 1}, {6, 3}, {7, 0}, {9, 3}, {11, 1}, {12, 2}}
	var evs []event
	for y := from.Year(); y <= to.Year(); y++ {
		for _, s := range slots {
			d := nthWednesday(y, s.m, s.nth)
			if !calendar.IsTradingDay(d) || d.Before(from) || d.After(to) {
				continue
			}
			evs = append(evs, event{date: d, kind: KindFOMC})
		}
	}
	return evs
}

// nthWednesday returns the n-th Wednesday of a month, or the last when n is 0.
func nthWednesday(y int, m time.Month, n int) time.Time {
	if n == 0 {
		d := calendar.Date(y, m+1, 0)
		for d.Weekday() != time.Wednesday {
			d = d.AddDate(0, 0, -1)
		}
		return d
	}
	d := calendar.Date(y, m, 1)
	for d.Weekday() != time.Wednesday {
		d = d.AddDate(0, 0, 1)
	}
	return d.AddDate(0, 0, 7*(n-1))
}

func onOrAfterTradingDay(d time.Time) time.Time {
	return calendar.AddTradingDays(d, 0)
}

func sortEvents(evs []event) {
	slices.SortStableFunc(evs, func(a, b event) int {
		if c := a.date.Compare(b.date); c != 0 {
			return c
		}
		if a.symbol != b.symbol {
			if a.symbol < b.symbol {
				return -1
			}
			return 1
		}
		if a.kind < b.kind {
			return -1
		}
		if a.kind > b.kind {
			return 1
		}
		return 0
	})
}

// writeEvents writes events as CSV with the header symbol,event_date,kind,amount.
// The amount is empty except for dividends; the symbol is empty for FOMC meetings.
func writeEvents(path string, evs []event) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("synth: %w", err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("symbol,event_date,kind,amount\n")
	var buf []byte
	for _, e := range evs {
		buf = append(buf[:0], e.symbol...)
		buf = append(buf, ',')
		buf = e.date.AppendFormat(buf, time.DateOnly)
		buf = append(buf, ',')
		buf = append(buf, e.kind...)
		buf = append(buf, ',')
		if e.kind == KindExDividend || e.kind == KindSplit {
			buf = strconv.AppendFloat(buf, e.amount, 'f', 4, 64)
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, fmt.Errorf("synth: writing %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, fmt.Errorf("synth: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("synth: writing %s: %w", path, err)
	}
	return st.Size(), nil
}

// mix hashes a few words into one (splitmix64 finalizer over a running sum), for
// deriving independent random streams and stable per-key jitter.
func mix(xs ...uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, x := range xs {
		h ^= x + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2)
		h ^= h >> 30
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 27
		h *= 0x94d049bb133111eb
		h ^= h >> 31
	}
	return h
}

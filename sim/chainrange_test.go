package sim

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func TestExpiring(t *testing.T) {
	c := &Chain{Expiration: []int32{10, 10, 12, 15, 15, 15, 20}}
	for _, tc := range []struct {
		day      int32
		min, max int
		lo, hi   int
	}{
		{0, 10, 15, 0, 6}, {0, 11, 14, 2, 3}, {5, 5, 5, 0, 2}, {0, 16, 19, 6, 6}, {0, 0, 100, 0, 7},
		{0, 21, 30, 7, 7}, {0, 15, 10, 0, 0}, {10, -5, 0, 0, 2}, {0, math.MinInt, math.MaxInt, 0, 7},
	} {
		lo, hi := c.Expiring(tc.day, tc.min, tc.max)
		if lo != tc.lo || hi != tc.hi {
			t.Errorf("Expiring(%d, %d, %d) = %d, %d, want %d, %d", tc.day, tc.min, tc.max, lo, hi, tc.lo, tc.hi)
		}
		// The rows are exactly those a full scan keeps.
		for r, e := range c.Expiration {
			dte := int64(e) - int64(tc.day)
			in := dte >= int64(tc.min) && dte <= int64(tc.max)
			if in != (r >= lo && r < hi) {
				t.Errorf("Expiring(%d, %d, %d): row %d (dte %d) in=%t", tc.day, tc.min, tc.max, r, dte, in)
			}
		}
	}
}

// TestContractText: the text of contracts and order legs is what fmt gave.
func TestContractText(t *testing.T) {
	cs := []Contract{
		{Underlying: "SPY", Expiration: DayOf(mustDay("2024-03-15")), PutCall: Put, Strike: 450},
		{Underlying: "SPX", Expiration: DayOf(mustDay("2024-03-15")), PutCall: Call, Strike: 5012.5, AM: true},
		{Underlying: "AAPL", Expiration: DayOf(mustDay("2030-01-18")), PutCall: Put, Strike: 1e21},
		{Underlying: "X", PutCall: 0xe9, Strike: math.NaN()},
	}
	var legs []OrderLeg
	want := ""
	for i, c := range cs {
		if w := fmt.Sprintf("%s %s %c %g%s", c.Underlying, DayString(c.Expiration), c.PutCall, c.Strike,
			map[bool]string{true: " AM"}[c.AM]); c.String() != w {
			t.Errorf("String() = %q, want %q", c.String(), w)
		}
		l := OrderLeg{Contract: c, Ratio: []int{1, -1, 0, -12}[i]}
		legs = append(legs, l)
		if i > 0 {
			want += " / "
		}
		want += fmt.Sprintf("%+d %v", l.Ratio, l.Contract)
	}
	if got := describe(legs); got != want {
		t.Errorf("describe = %q, want %q", got, want)
	}
}

func mustDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

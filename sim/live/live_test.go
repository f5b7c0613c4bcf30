package live

import (
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
)

func TestClientID(t *testing.T) {
	d := sim.DayOf(calendar.Date(2024, 3, 15))
	a := ClientID("wheel-SPY", d, 0, 3, 1)
	if !strings.HasPrefix(a, "sw-wheelSP") || !strings.HasSuffix(a, "-20240315-s0-o3-r1") {
		t.Errorf("ClientID = %s", a)
	}
	if b := ClientID("wheel-SPY", d, 0, 3, 1); a != b {
		t.Errorf("not deterministic: %s, %s", a, b)
	}
	seen := map[string]bool{}
	for _, inst := range []string{"a", "b", "wheel-SPY", "wheel_SPY", strings.Repeat("x", 40)} {
		for step := 0; step < 3; step++ {
			for k := 0; k < 3; k++ {
				for r := 0; r < 3; r++ {
					id := ClientID(inst, d, step, k, r)
					if seen[id] {
						t.Fatalf("duplicate id %s", id)
					}
					seen[id] = true
					if len(id) > 48 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
						t.Fatalf("id %q: more than 48 characters or not [A-Za-z0-9-]", id)
					}
				}
			}
		}
	}
}

func TestSchedule(t *testing.T) {
	ny := calendar.NewYork()
	cases := []struct {
		day   time.Time
		every time.Duration
		n     int
		daily string
	}{
		{calendar.Date(2024, 3, 15), 0, 1, "15:45"},
		{calendar.Date(2024, 11, 29), 0, 1, "12:45"},                // the day after Thanksgiving closes at 13:00
		{calendar.Date(2024, 3, 15), 30 * time.Minute, 13, "15:45"}, // 10:00..15:30, then 15:45
		{calendar.Date(2024, 3, 16), 0, 0, ""},                      // a Saturday
		{calendar.Date(2024, 12, 25), 0, 0, ""},
	}
	for _, c := range cases {
		got := Schedule(c.day, c.every)
		if len(got) != c.n {
			t.Errorf("%s: %d ticks, want %d", c.day.Format(time.DateOnly), len(got), c.n)
			continue
		}
		if c.n == 0 {
			continue
		}
		last := got[len(got)-1]
		if !last.Daily || last.Time.In(ny).Format("15:04") != c.daily || last.Step != c.n-1 {
			t.Errorf("%s: daily tick %+v at %s, want %s", c.day.Format(time.DateOnly), last, last.Time.In(ny).Format("15:04"), c.daily)
		}
		if c.n > 1 && got[0].Time.In(ny).Format("15:04") != "10:00" {
			t.Errorf("first intraday step at %s", got[0].Time.In(ny).Format("15:04"))
		}
	}
	n := Next(time.Date(2024, 3, 15, 20, 0, 0, 0, time.UTC), 0) // 16:00 ET on a Friday: Monday's decision
	if sim.DayString(n.Day) != "2024-03-18" || !n.Daily {
		t.Errorf("Next = %+v", n)
	}
}

func TestLimits(t *testing.T) {
	k := sim.Contract{Underlying: "SPY", Expiration: sim.DayOf(calendar.Date(2024, 4, 19)), PutCall: sim.Put, Strike: 500}
	legs := []sim.OrderLeg{{Contract: k, Ratio: -1}}
	p := &sim.Package{Bid: -2.10, Ask: -2.00, Mid: -2.05}
	at := time.Date(2024, 3, 15, 19, 45, 0, 0, time.UTC)
	book := sim.NewBook(100_000)
	cases := []struct {
		l     Limits
		u     usage
		units int
		limit float64
		age   time.Duration
		want  string
	}{
		{Limits{}, usage{}, 1, -2.05, 0, ""},
		{Limits{QuoteAge: time.Minute}, usage{}, 1, -2.05, 2 * time.Minute, "stale quotes"},
		{Limits{}, usage{}, 1, -2.20, 0, "outside the bid/ask"},
		{Limits{OrderContracts: 2}, usage{}, 3, -2.05, 0, "per-order limit of 2"},
		{Limits{OrderNotional: 100_000}, usage{}, 3, -2.05, 0, "per-order limit of $100000"},
		{Limits{DayOrders: 5}, usage{orders: 5}, 1, -2.05, 0, "daily limit of 5"},
		{Limits{DayContracts: 10}, usage{contracts: 9}, 2, -2.05, 0, "daily limit of 10"},
		{Limits{DayNotional: 200_000}, usage{notional: 160_000}, 1, -2.05, 0, "daily limit of $200000"},
		{Limits{DayLoss: 500}, usage{startEq: 101_000}, 1, -2.05, 0, "entries stopped: the session has lost"},
		{Limits{BuyingPower: 0.25}, usage{}, 1, -2.05, 0, "buying power, limit 25%"},
	}
	for i, c := range cases {
		x := &sim.Execution{Price: c.limit}
		got := c.l.check(&c.u, book, legs, c.units, true, x, p, c.limit, at, at.Add(-c.age))
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("case %d: %q, want %q", i, got, c.want)
		}
	}
}

func TestDiff(t *testing.T) {
	k := sim.Contract{Underlying: "SPY", Expiration: sim.DayOf(calendar.Date(2024, 4, 19)), PutCall: sim.Put, Strike: 500}
	book := []Holding{{Symbol: "SPY", Contract: k, Qty: -1}, {Symbol: "SPY", Qty: 100}}
	broker := []Holding{{Symbol: "SPY", Contract: k, Qty: -2}, {Symbol: "SPY", Qty: 100}, {Symbol: "AAPL", Qty: 5}}
	d := Diff(book, broker)
	if len(d) != 2 || d[0].String() != "AAPL: book +0, broker +5" || d[1].String() != "SPY 2024-04-19 P 500: book -1, broker -2" {
		t.Errorf("Diff = %v", d)
	}
	if len(Diff(book, book)) != 0 {
		t.Error("a book differs from itself")
	}
}

package legs_test

import (
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/legs"
)

// The scenarios trade AAA (equity options, spot 100 at entry on Friday
// 2024-03-01), filled at the mids without fees from $100,000, under the
// default liquidity tiers. Every number below is worked out by hand.

func put(exp string, k, bid, ask, delta float64) simtest.Quote {
	return simtest.Quote{Exp: exp, PC: sim.Put, K: k, Bid: bid, Ask: ask, Delta: delta, IV: 0.3}
}

func call(exp string, k, bid, ask, delta float64) simtest.Quote {
	return simtest.Quote{Exp: exp, PC: sim.Call, K: k, Bid: bid, Ask: ask, Delta: delta, IV: 0.3}
}

// config returns the defaults with set applied by parameter name, as a grid
// file would.
func config(t *testing.T, set map[string]string) legs.Config {
	t.Helper()
	c := legs.Default()
	if err := param.SetAll(&c, set); err != nil {
		t.Fatal(err)
	}
	return c
}

// wantLegs checks a trade's contracts and signed quantities.
func wantLegs(t *testing.T, tr sim.Trade, want ...sim.Leg) {
	t.Helper()
	if len(tr.Legs) != len(want) {
		t.Fatalf("trade legs %+v, want %d legs", tr.Legs, len(want))
	}
	for i, w := range want {
		g := tr.Legs[i]
		if g.Contract.PutCall != w.Contract.PutCall || g.Contract.Strike != w.Contract.Strike ||
			g.Contract.Expiration != w.Contract.Expiration || g.Qty != w.Qty || !simtest.Near(g.Price, w.Price) {
			t.Errorf("leg %d: %v ×%d at %g, want %v ×%d at %g", i, g.Contract, g.Qty, g.Price, w.Contract, w.Qty, w.Price)
		}
	}
}

func leg(exp string, pc byte, k float64, qty int, price float64) sim.Leg {
	return sim.Leg{Contract: sim.Contract{Underlying: "AAA", Expiration: simtest.Day(exp), PutCall: pc, Strike: k}, Qty: qty, Price: price}
}

func optionTrades(res *sim.Result) []sim.Trade {
	var out []sim.Trade
	for _, tr := range res.Trades {
		if tr.Phase != "stock" {
			out = append(out, tr)
		}
	}
	return out
}

// A short strangle at |delta| 0.16, 35 days out: the 110 call (delta 0.15,
// 0.01 off) beats the 105 (0.20); the 90 put (−0.16) beats the 95 (−0.30).
// Credit at the mids 1.00 + 0.50 = 1.50. On Monday the put is worth 0.60 and
// the call 0.15: P&L 1.50 − 0.75 = 0.75 = half the credit, the target. Gross
// 100 × 0.75 = $75.
func TestStrangle(t *testing.T) {
	b := simtest.New("2024-03-01", "2024-03-04").Spot("AAA", "2024-03-01", 100).Spot("AAA", "2024-03-04", 101).
		Bar("AAA", "2024-03-01", 100, 100, 100, 100).Bar("AAA", "2024-03-04", 101, 101, 101, 101).
		Quote("AAA", "2024-03-01",
			put("2024-04-05", 90, 0.95, 1.05, -0.16), put("2024-04-05", 95, 1.90, 2.10, -0.30),
			call("2024-04-05", 105, 0.75, 0.85, 0.20), call("2024-04-05", 110, 0.46, 0.54, 0.15)).
		Quote("AAA", "2024-03-04",
			put("2024-04-05", 90, 0.55, 0.65, -0.10), call("2024-04-05", 110, 0.10, 0.20, 0.05))
	res := run(t, b, config(t, map[string]string{"preset": "strangle", "entry_weekdays": "fri", "take_profit": "0.5"}))
	tr := optionTrades(res)
	if len(tr) != 1 {
		t.Fatalf("trades %+v", res.Trades)
	}
	wantLegs(t, tr[0], leg("2024-04-05", sim.Call, 110, -1, 0.50), leg("2024-04-05", sim.Put, 90, -1, 1.00))
	if !simtest.Near(tr[0].Entry, -1.50) || !simtest.Near(tr[0].Exit, -0.75) || !simtest.Near(tr[0].Gross, 75) || tr[0].Reason != legs.ReasonProfit ||
		tr[0].Closed != simtest.Day("2024-03-04") || tr[0].Phase != "strangle" {
		t.Errorf("trade %+v", tr[0])
	}
	// A wider strangle from the grid: legs[0].delta 0.20 picks the 105 call.
	res = run(t, b, config(t, map[string]string{"preset": "strangle", "entry_weekdays": "fri", "legs[0].delta": "0.2"}))
	if tr := optionTrades(res); len(tr) != 1 || tr[0].Legs[0].Contract.Strike != 105 || !simtest.Near(tr[0].Entry, -1.80) {
		t.Errorf("legs[0].delta 0.2: %+v", res.Trades)
	}
}

// A call butterfly at the money: spot 100 picks the 100 strike (sold ×2),
// wings at 95 and 105. Debit 6.50 − 2 × 3.10 + 1.20 = 1.50. Max profit at
// expiry (spot at 100): 5 − 1.50 = 3.50; half of it is 1.75. Monday: 6.00 −
// 2 × 1.90 + 0.50 = 2.70, P&L 1.20 (above half the debit, 0.75, below 1.75).
// Tuesday: 5.50 − 2 × 1.25 + 0.35 = 3.35, P&L 1.85 ≥ 1.75.
func TestButterfly(t *testing.T) {
	b := simtest.New("2024-03-01", "2024-03-04", "2024-03-05").
		Spot("AAA", "2024-03-01", 100).Spot("AAA", "2024-03-04", 100).Spot("AAA", "2024-03-05", 100).
		Quote("AAA", "2024-03-01",
			call("2024-04-05", 95, 6.40, 6.60, 0.70), call("2024-04-05", 100, 3.00, 3.20, 0.50),
			call("2024-04-05", 105, 1.10, 1.30, 0.30)).
		Quote("AAA", "2024-03-04",
			call("2024-04-05", 95, 5.90, 6.10, 0.72), call("2024-04-05", 100, 1.80, 2.00, 0.50),
			call("2024-04-05", 105, 0.45, 0.55, 0.20)).
		Quote("AAA", "2024-03-05",
			call("2024-04-05", 95, 5.40, 5.60, 0.75), call("2024-04-05", 100, 1.20, 1.30, 0.50),
			call("2024-04-05", 105, 0.30, 0.40, 0.15))
	for _, tc := range []struct {
		of, closed string
		gross      float64
	}{
		{legs.OfMaxProfit, "2024-03-05", 185},
		{legs.OfCredit, "2024-03-04", 120},
	} {
		res := run(t, b, config(t, map[string]string{"preset": "butterfly", "entry_weekdays": "fri", "take_profit": "0.5",
			"take_profit_of": tc.of, "stop_multiple": "0"}))
		tr := optionTrades(res)
		if len(tr) != 1 {
			t.Fatalf("%s: trades %+v", tc.of, res.Trades)
		}
		wantLegs(t, tr[0], leg("2024-04-05", sim.Call, 100, -2, 3.10), leg("2024-04-05", sim.Call, 95, 1, 6.50), leg("2024-04-05", sim.Call, 105, 1, 1.20))
		if !simtest.Near(tr[0].Entry, 1.50) || !simtest.Near(tr[0].Gross, tc.gross) || tr[0].Reason != legs.ReasonProfit || tr[0].Closed != simtest.Day(tc.closed) {
			t.Errorf("%s: trade %+v", tc.of, tr[0])
		}
	}
}

// A call calendar: sell the 100 call of 2024-03-28 (27 days, in 20–35), buy
// the 100 call of the first expiration at least 28 days later: 2024-04-26,
// not 04-19 (22 days later). Debit 4.00 − 2.50 = 1.50, $150. The front call
// expires worthless on 03-28 (close 99): the trade realises +$250 and the
// back call stays open, marked at its own quote (3.10): equity 100,000 −
// 150 + 310 = 100,160. On 04-01, 31 days held, max_hold_days closes it at
// 3.40: −$60 on the back leg, $190 in all = 100 × (3.40 − 1.50).
func TestCalendar(t *testing.T) {
	days := []string{"2024-03-01", "2024-03-27", "2024-03-28", "2024-04-01"}
	b := simtest.New(days...)
	for i, s := range []float64{100, 99.5, 99, 99.2} {
		b.Spot("AAA", days[i], s).Bar("AAA", days[i], s, s, s, s)
	}
	b.Quote("AAA", "2024-03-01",
		call("2024-03-28", 95, 5.60, 5.80, 0.80), call("2024-03-28", 100, 2.40, 2.60, 0.52),
		call("2024-04-19", 100, 3.50, 3.70, 0.53), call("2024-04-26", 100, 3.90, 4.10, 0.54)).
		Quote("AAA", "2024-03-27", call("2024-03-28", 100, 0.10, 0.14, 0.2), call("2024-04-26", 100, 3.20, 3.40, 0.5)).
		Quote("AAA", "2024-03-28", call("2024-04-26", 100, 3.00, 3.20, 0.5)).
		Quote("AAA", "2024-04-01", call("2024-04-26", 100, 3.30, 3.50, 0.5))
	res := run(t, b, config(t, map[string]string{"preset": "calendar", "take_profit": "0", "stop_multiple": "0", "max_hold_days": "31"}))
	tr := optionTrades(res)
	if len(tr) != 1 {
		t.Fatalf("trades %+v", res.Trades)
	}
	wantLegs(t, tr[0], leg("2024-03-28", sim.Call, 100, -1, 2.50), leg("2024-04-26", sim.Call, 100, 1, 4.00))
	if !simtest.Near(tr[0].Entry, 1.50) || !simtest.Near(tr[0].Gross, 190) || tr[0].Reason != legs.ReasonHold || tr[0].Closed != simtest.Day("2024-04-01") {
		t.Errorf("trade %+v", tr[0])
	}
	if !simtest.Near(res.Equity[2], 100_160) || !simtest.Near(res.Equity[3], 100_190) {
		t.Errorf("equity %v, want 100160 on 03-28 and 100190 on 04-01", res.Equity)
	}
	expired := false
	for _, e := range res.Events {
		expired = expired || (e.Kind == sim.EventExpired && e.Day == simtest.Day("2024-03-28"))
	}
	if !expired {
		t.Errorf("no expiry of the front call on 03-28: %+v", res.Events)
	}
}

// A 1×2 put ratio spread: buy the put at |delta| 0.40 (95), sell two 10
// points lower (85). Debit 3.00 − 2 × 1.00 = 1.00, $100. Held to expiry,
// AAA closes at 88 on 04-05: the 85 puts expire worthless (+$200), the 95 put
// is exercised (−$300 of premium) and delivers −100 shares at 95. The next
// session the strategy buys them back at the spot, 88.50: +$650 on the
// stock. In all $550 = 100 × (95 − 88.50 − 1.00).
func TestRatioSpread(t *testing.T) {
	days := []string{"2024-03-01", "2024-04-05", "2024-04-08"}
	b := simtest.New(days...)
	for i, s := range []float64{100, 88, 88.5} {
		b.Spot("AAA", days[i], s).Bar("AAA", days[i], s, s, s, s)
	}
	b.Quote("AAA", "2024-03-01",
		put("2024-04-05", 85, 0.95, 1.05, -0.15), put("2024-04-05", 90, 1.70, 1.90, -0.25),
		put("2024-04-05", 95, 2.90, 3.10, -0.40))
	res := run(t, b, config(t, map[string]string{"preset": "put_ratio", "take_profit": "0", "stop_multiple": "0"}))
	tr := optionTrades(res)
	if len(tr) != 1 {
		t.Fatalf("trades %+v", res.Trades)
	}
	wantLegs(t, tr[0], leg("2024-04-05", sim.Put, 95, 1, 3.00), leg("2024-04-05", sim.Put, 85, -2, 1.00))
	if !simtest.Near(tr[0].Entry, 1.00) || !simtest.Near(tr[0].Gross, -100) || tr[0].Reason != sim.EventExercised || tr[0].Closed != simtest.Day("2024-04-05") {
		t.Errorf("option trade %+v", tr[0])
	}
	var stock *sim.Trade
	for i := range res.Trades {
		if res.Trades[i].Phase == "stock" {
			stock = &res.Trades[i]
		}
	}
	if stock == nil || !simtest.Near(stock.Gross, 650) || stock.Reason != legs.ReasonDelivered || stock.Closed != simtest.Day("2024-04-08") {
		t.Fatalf("stock trade %+v", stock)
	}
	if n := len(res.Equity); !simtest.Near(res.Equity[n-1], 100_550) {
		t.Errorf("final equity %g, want 100550", res.Equity[n-1])
	}
}

// run runs c on b under simtest.Exec with $100,000 and the default liquidity.
func run(t *testing.T, b *simtest.Builder, c legs.Config) *sim.Result {
	t.Helper()
	newS := func(c legs.Config) (*legs.Strategy, error) { return legs.New(c, fill.DefaultLiquidity()) }
	return simtest.Run(t, b, newS, c, simtest.Exec(100_000))
}

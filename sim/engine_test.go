package sim_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/simtest"
)

// script is a strategy that gives fixed orders on fixed days.
type script map[string][]sim.Order

func (s script) Step(snap *sim.Snapshot, b *sim.Book) ([]sim.Order, error) {
	return s[sim.DayString(snap.Day)], nil
}

func cfg() sim.Config {
	c := sim.DefaultConfig()
	c.Mode = fill.Optimistic // fills at the mid, so the arithmetic stays short
	return c
}

func put(exp string, k float64) sim.Contract {
	return sim.Contract{Underlying: "SPX", Expiration: simtest.Day(exp), PutCall: sim.Put, Strike: k}
}

// TestCashSettledSpread sells the SPX 5000/4990 put spread at the mids and lets
// it settle partly in the money: cash settlement at intrinsic value, no fees.
func TestCashSettledSpread(t *testing.T) {
	// 03-04: short 5000 put mid 3.00, long 4990 put mid 1.00: credit 2.00 × 100 = 200.
	// Fees 2 legs × 0.66 = 1.32. Collateral: the worst payoff is the width, 10 × 100 = 1000.
	// 03-08: SPX closes at 4995: the 5000 put is worth 5, the 4990 put 0;
	// settlement pays −5 × 100 = −500. Net 200 − 500 − 1.32 = −301.32.
	b := simtest.New("2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08").Cash("SPX")
	for _, d := range []string{"2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08"} {
		b.Spot("SPX", d, 5010).Bar("SPX", d, 5010, 5010, 5010, 5010)
		b.Quote("SPX", d, simtest.Quote{Exp: "2024-03-08", PC: sim.Put, K: 4990, Bid: 0.95, Ask: 1.05},
			simtest.Quote{Exp: "2024-03-08", PC: sim.Put, K: 5000, Bid: 2.90, Ask: 3.10})
	}
	b.Bar("SPX", "2024-03-08", 5000, 5000, 4990, 4995)
	tp, err := b.Tape()
	if err != nil {
		t.Fatal(err)
	}
	var coll float64
	s := script{"2024-03-04": {{Kind: sim.Open, Symbol: "SPX", Quantity: 1, Phase: "spread",
		Legs: []sim.OrderLeg{{Contract: put("2024-03-08", 5000), Ratio: -1}, {Contract: put("2024-03-08", 4990), Ratio: 1}}}}}
	res, err := sim.Run(tp, collateralProbe{s, &coll}, cfg())
	if err != nil {
		t.Fatal(err)
	}
	simtest.WantNear(t, "collateral", coll, 1000)
	if len(res.Trades) != 1 {
		t.Fatalf("trades %+v", res.Trades)
	}
	tr := res.Trades[0]
	simtest.WantNear(t, "entry (per share, a credit)", tr.Entry, -2.00)
	simtest.WantNear(t, "net", tr.Net(), -301.32)
	if tr.Reason != sim.EventSettled || tr.Closed != simtest.Day("2024-03-08") {
		t.Errorf("reason %q closed %s", tr.Reason, sim.DayString(tr.Closed))
	}
	simtest.WantNear(t, "final equity", res.Equity[len(res.Equity)-1], 100_000-301.32)
}

// collateralProbe records the book's collateral on the second day.
type collateralProbe struct {
	s    sim.Strategy
	coll *float64
}

func (c collateralProbe) Step(snap *sim.Snapshot, b *sim.Book) ([]sim.Order, error) {
	if snap.Index == 1 {
		*c.coll = b.Collateral()
	}
	return c.s.Step(snap, b)
}

// TestEarlyAssignment covers a short call in the money the day before an
// ex-dividend date, whose extrinsic value is below the dividend: its holder
// exercises, so the shares go at the strike that evening.
func TestEarlyAssignment(t *testing.T) {
	// 03-04: sell the 45 put (mid 5.00); XYZ closes at 40 on its expiry 03-08:
	// assigned, +100 shares at 45. 03-11: sell the 2024-04-19 50 call at its mid
	// 5.20, XYZ at 55. Ex-dividend $1.00 on 03-13. On 03-12 the call closes at
	// 5.30 and XYZ at 55.20: extrinsic 5.30 − 5.20 = 0.10 < 1.00, so the call is
	// assigned at the 03-12 close.
	tp, call := dividendTape(t, 1.00)
	s := &assigner{call: call}
	res, err := sim.Run(tp, s, cfg())
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range res.Events {
		kinds = append(kinds, sim.DayString(e.Day)+" "+e.Kind)
	}
	got := strings.Join(kinds, ", ")
	want := "2024-03-04 filled, 2024-03-08 assigned, 2024-03-11 filled, 2024-03-12 early_assigned"
	if got != want {
		t.Fatalf("events:\n got %s\nwant %s", got, want)
	}
	// Cash: +5.00 × 100 − 0.66 (put), −45 × 100 (assignment), +5.20 × 100 − 0.66
	// (call), +50 × 100 (shares called at the strike) = 100,000 + 1,518.68.
	simtest.WantNear(t, "final cash", res.Cash[len(res.Cash)-1], 100_000+1518.68)
	// Off, the call stays open over the ex-dividend date.
	c := cfg()
	c.EarlyAssignment = false
	res, err = sim.Run(tp, &assigner{call: call}, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Events {
		if e.Kind == sim.EventEarlyAssigned {
			t.Fatal("early assignment with early_assignment off")
		}
	}
}

// assigner sells the put on the first day and the call once it holds shares.
type assigner struct {
	call sim.Contract
	sold bool
}

func (a *assigner) Step(snap *sim.Snapshot, b *sim.Book) ([]sim.Order, error) {
	if snap.Index == 0 {
		return []sim.Order{{Kind: sim.Open, Symbol: "XYZ", Quantity: 1, Phase: "csp",
			Legs: []sim.OrderLeg{{Contract: sim.Contract{Underlying: "XYZ", Expiration: simtest.Day("2024-03-08"), PutCall: sim.Put, Strike: 45}, Ratio: -1}}}}, nil
	}
	for _, p := range b.Positions {
		if p.Shares == 100 && !a.sold {
			a.sold = true
			return []sim.Order{{Kind: sim.Add, Position: p.ID, Quantity: 1, Phase: "cc",
				Legs: []sim.OrderLeg{{Contract: a.call, Ratio: -1}}}}, nil
		}
	}
	return nil, nil
}

func TestBuyingPowerAndBadOrders(t *testing.T) {
	b := simtest.New("2024-03-04", "2024-03-05")
	for _, d := range []string{"2024-03-04", "2024-03-05"} {
		b.Spot("XYZ", d, 600).Bar("XYZ", d, 600, 600, 600, 600)
		b.Quote("XYZ", d, simtest.Quote{Exp: "2024-03-15", PC: sim.Put, K: 590, Bid: 4.9, Ask: 5.1})
	}
	tp, err := b.Tape()
	if err != nil {
		t.Fatal(err)
	}
	leg := []sim.OrderLeg{{Contract: sim.Contract{Underlying: "XYZ", Expiration: simtest.Day("2024-03-15"), PutCall: sim.Put, Strike: 590}, Ratio: -1}}
	// 2 contracts reserve 2 × 590 × 100 = 118,000 > 100,000 + the premium: rejected.
	res, err := sim.Run(tp, script{"2024-03-04": {{Kind: sim.Open, Symbol: "XYZ", Quantity: 2, Legs: leg}}}, cfg())
	if err != nil || res.Rejected != 1 || len(res.Trades) != 0 || !strings.Contains(res.Events[0].Detail, "buying power") {
		t.Fatalf("err %v, rejected %d, events %+v", err, res.Rejected, res.Events)
	}
	for _, bad := range []sim.Order{
		{Kind: sim.Close, Position: 99},
		{Kind: sim.Open, Symbol: "XYZ", Quantity: 0, Legs: leg},
		{Kind: sim.Open, Symbol: "ABC", Quantity: 1, Legs: leg},
	} {
		if _, err := sim.Run(tp, script{"2024-03-04": {bad}}, cfg()); err == nil || !strings.Contains(err.Error(), "2024-03-04") {
			t.Errorf("%+v: error %v, want one naming the day", bad, err)
		}
	}
}

// ExampleRun sells one put with a resting profit target and shows the trade.
func ExampleRun() {
	b := simtest.New("2024-03-04", "2024-03-05")
	for _, d := range []string{"2024-03-04", "2024-03-05"} {
		b.Spot("XYZ", d, 100).Bar("XYZ", d, 100, 100, 100, 100)
	}
	b.Quote("XYZ", "2024-03-04", simtest.Quote{Exp: "2024-03-15", PC: sim.Put, K: 95, Bid: 1.00, Ask: 1.10})
	b.Quote("XYZ", "2024-03-05", simtest.Quote{Exp: "2024-03-15", PC: sim.Put, K: 95, Bid: 0.50, Ask: 0.60, High: 0.9, Low: 0.4, Close: 0.55})
	tp, _ := b.Tape()
	put := sim.Contract{Underlying: "XYZ", Expiration: simtest.Day("2024-03-15"), PutCall: sim.Put, Strike: 95}
	orders := script{"2024-03-04": {{Kind: sim.Open, Symbol: "XYZ", Quantity: 1, Phase: "csp",
		Legs: []sim.OrderLeg{{Contract: put, Ratio: -1}}, Bracket: sim.Bracket{TakeProfit: 0.5}}}}
	c := sim.DefaultConfig()
	c.Mode = fill.Optimistic
	res, _ := sim.Run(tp, orders, c)
	for _, tr := range res.Trades {
		fmt.Printf("%s sold at %.3f, %s on %s: net $%.2f\n", tr.Phase, tr.Legs[0].Price, tr.Reason, sim.DayString(tr.Closed), tr.Net())
	}
	// The bar's low 0.40 reaches the target 0.525; the optimistic bar price,
	// max(low, close − 25% of the range × the 1.35 penalty), is the low 0.40:
	// (1.05 − 0.40) × 100 − 2 × 0.66 fees = 63.68.

	// Output:
	// csp sold at 1.050, profit_target on 2024-03-05: net $63.68
}

// dividendTape is the early-assignment scenario of TestEarlyAssignment with an
// ex-dividend of amount on 2024-03-13, and the call it sells.
func dividendTape(t *testing.T, amount float64) (*sim.Tape, sim.Contract) {
	t.Helper()
	days := []string{"2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08", "2024-03-11", "2024-03-12", "2024-03-13"}
	b := simtest.New(days...).Event("XYZ", "2024-03-13", sim.ExDividend, amount)
	for i, d := range days {
		px := 40.0
		if i >= 5 {
			px = 55
		}
		b.Spot("XYZ", d, px).Bar("XYZ", d, px, px, px, px)
		b.Quote("XYZ", d, simtest.Quote{Exp: "2024-03-08", PC: sim.Put, K: 45, Bid: 4.9, Ask: 5.1},
			simtest.Quote{Exp: "2024-04-19", PC: sim.Call, K: 50, Bid: 5.1, Ask: 5.3, Close: 5.3, High: 5.4, Low: 5.1})
	}
	b.Bar("XYZ", "2024-03-12", 55, 55.2, 55, 55.2)
	tp, err := b.Tape()
	if err != nil {
		t.Fatal(err)
	}
	return tp, sim.Contract{Underlying: "XYZ", Expiration: simtest.Day("2024-04-19"), PutCall: sim.Call, Strike: 50}
}

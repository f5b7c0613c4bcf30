package live

import (
	"context"
	"strings"
	"testing"

	"github.com/alpacahq/alpaca-trade-api-go/v3/alpaca"

	"github.com/optsweep/sweep/sim"
	slive "github.com/optsweep/sweep/sim/live"
)

func put(exp string, k float64) sim.Contract {
	return sim.Contract{Underlying: "SPY", Expiration: sim.DayOf(day(exp)), PutCall: sim.Put, Strike: k}
}

func call(exp string, k float64) sim.Contract {
	return sim.Contract{Underlying: "SPY", Expiration: sim.DayOf(day(exp)), PutCall: sim.Call, Strike: k}
}

func TestOCC(t *testing.T) {
	for _, c := range []sim.Contract{put("2024-01-19", 470), call("2025-12-19", 612.5), put("2024-03-15", 0.5)} {
		s := OCC(c)
		got, err := ParseOCC(s)
		if err != nil || got != c {
			t.Errorf("ParseOCC(%q) = %v, %v; want %v", s, got, err, c)
		}
	}
	if s := OCC(put("2024-01-19", 470)); s != "SPY240119P00470000" {
		t.Errorf("OCC = %s", s)
	}
	for _, bad := range []string{"", "SPY", "SPY24011XP00470000", "SPY240119X00470000"} {
		if _, err := ParseOCC(bad); err == nil {
			t.Errorf("ParseOCC(%q) accepted", bad)
		}
	}
}

// TestAlpacaLifecycle sells two puts to open through the SDK against the
// fake exchange: accepted when placed, partially filled at the first
// lookup, filled at the second, at the limit (rounded down to the cent for
// a sale), with the position and the account following; the same client id
// again is answered by a lookup, not a second order.
func TestAlpacaLifecycle(t *testing.T) {
	ctx := context.Background()
	x := newExchange()
	defer x.srv.Close()
	a := NewAlpaca(x.client())
	o := &slive.Order{ClientID: "sw-t-20240301-s0-o0-r0", Symbol: "SPY", Quantity: 2, Limit: -3.3125,
		Legs: []sim.OrderLeg{{Contract: put("2024-03-15", 470), Ratio: -1}}}
	st, err := a.Submit(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != slive.StatusNew || st.BrokerID == "" {
		t.Fatalf("after placing: %+v", st)
	}
	req := x.requests[0]
	if req.Symbol != "SPY240315P00470000" || req.Side != alpaca.Sell || req.PositionIntent != alpaca.SellToOpen ||
		req.LimitPrice.String() != "3.31" || req.Qty.String() != "2" || req.TimeInForce != alpaca.Day {
		t.Errorf("request %+v", req)
	}
	want := []struct {
		status slive.Status
		filled int
	}{{slive.StatusPartial, 1}, {slive.StatusFilled, 2}}
	for _, w := range want {
		st, ok, err := a.Lookup(ctx, o)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		if st.Status != w.status || st.Filled != w.filled || st.Price != -3.31 {
			t.Errorf("lookup: %+v, want %s with %d filled at -3.31", st, w.status, w.filled)
		}
	}
	hs, err := a.Positions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 1 || hs[0].Contract != put("2024-03-15", 470) || hs[0].Qty != -2 || hs[0].Price != 3.31 {
		t.Errorf("positions %+v", hs)
	}
	ac, err := a.Account(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !ac.Paper || ac.ID != "PA3TESTACCT" || ac.Cash != 1_000_000+662 {
		t.Errorf("account %+v", ac)
	}
	again, err := a.Submit(ctx, o)
	if err != nil || again.BrokerID != st.BrokerID || x.dups != 1 || len(x.requests) != 1 {
		t.Errorf("resubmit: %+v, %v; %d duplicates refused, %d orders", again, err, x.dups, len(x.requests))
	}
	if _, ok, err := a.Lookup(ctx, &slive.Order{ClientID: "never-sent"}); ok || err != nil {
		t.Errorf("lookup of an unknown id: %v, %v", ok, err)
	}
}

// TestAlpacaMultiLeg sends a 4-leg iron condor as one mleg order with ratio
// quantities and one net credit limit, then replaces its limit under a new
// client id and cancels it.
func TestAlpacaMultiLeg(t *testing.T) {
	ctx := context.Background()
	x := newExchange()
	defer x.srv.Close()
	a := NewAlpaca(x.client())
	legs := []sim.OrderLeg{{Contract: put("2024-03-15", 440), Ratio: 1}, {Contract: put("2024-03-15", 450), Ratio: -1},
		{Contract: call("2024-03-15", 520), Ratio: -1}, {Contract: call("2024-03-15", 530), Ratio: 1}}
	o := &slive.Order{ClientID: "sw-c-20240301-s0-o0-r0", Symbol: "SPY", Quantity: 3, Limit: -2.104, Legs: legs}
	if _, err := a.Submit(ctx, o); err != nil {
		t.Fatal(err)
	}
	req := x.requests[0]
	if req.OrderClass != alpaca.MLeg || len(req.Legs) != 4 || req.Qty.String() != "3" || req.LimitPrice.String() != "-2.1" {
		t.Fatalf("mleg request %+v", req)
	}
	for k, l := range req.Legs {
		wantSide := alpaca.Buy
		if legs[k].Ratio < 0 {
			wantSide = alpaca.Sell
		}
		if l.Side != wantSide || l.RatioQty.String() != "1" || l.Symbol != OCC(legs[k].Contract) || !strings.HasSuffix(string(l.PositionIntent), "_open") {
			t.Errorf("leg %d: %+v", k, l)
		}
	}
	r := *o
	r.ClientID, r.Limit = "sw-c-20240301-s0-o0-r1", -2.05
	st, err := a.Replace(ctx, o.ClientID, &r)
	if err != nil {
		t.Fatal(err)
	}
	if st.ClientID != r.ClientID || st.Status != slive.StatusNew {
		t.Errorf("replacement %+v", st)
	}
	if old, _, _ := a.Lookup(ctx, o); old.Status != slive.StatusCancelled || old.Reason != "replaced" {
		t.Errorf("replaced order reads %+v", old)
	}
	st, err = a.Cancel(ctx, r.ClientID)
	if err != nil || st.Status != slive.StatusCancelled {
		t.Errorf("cancel: %+v, %v", st, err)
	}
	if open, err := a.OpenOrders(ctx); err != nil || len(open) != 0 {
		t.Errorf("open orders after cancel: %v, %v", open, err)
	}
	if _, err := a.Submit(ctx, &slive.Order{ClientID: "x", Symbol: "SPX", Quantity: 1, Legs: []sim.OrderLeg{{Contract: sim.Contract{Underlying: "SPX", PutCall: 'P', Strike: 4000}, Ratio: -1}}}); err == nil || !strings.Contains(err.Error(), "not index options") {
		t.Errorf("an SPX order: %v", err)
	}
}

package condor_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/condor"
)

// handResult is a run written out by hand: on 03-06 a condor opened at 09:45
// (limit −0.60, filled at −0.55) and forced out at 15:45 (limit 0.35, filled
// at 0.40), fees 4 legs × 0.66 × 2 sides = 5.28; on 03-07 a rejected entry;
// a condor opened 03-07 without order records that settled on 03-08 for
// 10.00 against a 4.00 credit (gross −600, fees 2.64); one opened 03-08,
// closed 03-11 for +100; one still open.
func handResult(t *testing.T) *sim.Result {
	d := simtest.Day
	contract := func(day string, pc byte, k float64) sim.Contract {
		return sim.Contract{Underlying: "SPX", Expiration: d(day), PutCall: pc, Strike: k}
	}
	legs := []sim.Leg{
		{Contract: contract("2024-03-06", sim.Put, 4950), Qty: 1}, {Contract: contract("2024-03-06", sim.Put, 4960), Qty: -1},
		{Contract: contract("2024-03-06", sim.Call, 5040), Qty: -1}, {Contract: contract("2024-03-06", sim.Call, 5050), Qty: 1},
	}
	orderLegs := make([]condor.LegRecord, len(legs))
	for i, l := range legs {
		orderLegs[i] = condor.LegRecord{Expiration: "2024-03-06", PutCall: string(l.Contract.PutCall), Strike: l.Contract.Strike, Ratio: l.Qty}
	}
	note := func(day string, hh, mm int, r condor.OrderRecord) sim.Note {
		r.Time = nyTime(t, day, hh, mm)
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return sim.Note{Day: d(day), Symbol: "SPX", Kind: condor.KindOrder, Text: string(b)}
	}
	return &sim.Result{
		Trades: []sim.Trade{
			{ID: 0, Position: 1, Symbol: "SPX", Phase: condor.Phase, Legs: legs, Quantity: 1, Opened: d("2024-03-06"),
				Closed: d("2024-03-06"), Entry: -0.55, Exit: -0.40, Gross: 15, Fees: 5.28, Reason: condor.ReasonForcedClose},
			{ID: 1, Position: 2, Symbol: "SPX", Phase: condor.Phase, Legs: legs, Quantity: 1, Opened: d("2024-03-07"),
				Closed: d("2024-03-08"), Entry: -4, Exit: -10, Gross: -600, Fees: 2.64, Reason: sim.EventSettled},
			{ID: 2, Position: 3, Symbol: "SPX", Legs: legs, Quantity: 1, Opened: d("2024-03-08"), Closed: d("2024-03-11"),
				Entry: -2, Exit: -1, Gross: 100, Reason: "time_stop"},
			{ID: 3, Position: 4, Symbol: "SPX", Legs: legs, Quantity: 1, Opened: d("2024-03-11"), Entry: -2, Reason: "open"},
		},
		Events: []sim.BookEvent{{Day: d("2024-03-07"), Kind: sim.EventRejected, Trade: -1, Detail: "open SPX: no quote for SPX"}},
		Notes: []sim.Note{
			note("2024-03-06", 9, 45, condor.OrderRecord{Action: "open", Qty: 1, Legs: orderLegs, Limit: -0.60}),
			{Day: d("2024-03-06"), Symbol: "SPX", Kind: condor.KindEntry, Text: "not an order"},
			note("2024-03-06", 15, 45, condor.OrderRecord{Action: "close", Position: 1, Qty: 1, Limit: 0.35, Reason: condor.ReasonForcedClose}),
			note("2024-03-07", 9, 45, condor.OrderRecord{Action: "open", Qty: 1, Legs: orderLegs, Limit: -0.70}),
		},
	}
}

func TestEvents(t *testing.T) {
	res := handResult(t)
	var buf bytes.Buffer
	if err := condor.WriteEvents(&buf, res); err != nil {
		t.Fatal(err)
	}
	text := strings.TrimSpace(buf.String())
	lines := strings.Split(text, "\n")
	type line struct {
		Event, Day, Action, Status, Reason string
		Position                           int64
		Limit, Fill, Slippage, Net         *float64
		Orders                             int
	}
	f := func(x float64) *float64 { return &x }
	want := []line{
		// Opening fill −0.55 against a −0.60 limit: slippage +0.05 (0.05 less credit).
		{Event: "ORDER", Day: "2024-03-06", Action: "open", Status: "filled", Position: 1, Limit: f(-0.6)},
		{Event: "FILL", Day: "2024-03-06", Action: "open", Position: 1, Limit: f(-0.6), Fill: f(-0.55), Slippage: f(0.05)},
		// Paid 0.40 against a 0.35 limit: +0.05. Net 15 − 5.28 = 9.72.
		{Event: "ORDER", Day: "2024-03-06", Action: "close", Status: "filled", Position: 1, Limit: f(0.35), Reason: "forced_close"},
		{Event: "FILL", Day: "2024-03-06", Action: "close", Position: 1, Limit: f(0.35), Fill: f(0.4), Slippage: f(0.05),
			Net: f(9.72), Reason: "forced_close", Orders: 1},
		{Event: "ORDER", Day: "2024-03-07", Action: "open", Status: "rejected", Limit: f(-0.7)},
		{Event: "FILL", Day: "2024-03-07", Action: "open", Position: 2, Fill: f(-4)},
		// Settled: paid 10 per share, net −600 − 2.64.
		{Event: "FILL", Day: "2024-03-08", Action: "settle", Position: 2, Fill: f(10), Net: f(-602.64), Reason: sim.EventSettled},
		{Event: "FILL", Day: "2024-03-08", Action: "open", Position: 3, Fill: f(-2)},
		{Event: "FILL", Day: "2024-03-11", Action: "settle", Position: 3, Fill: f(1), Net: f(100), Reason: "time_stop"},
		{Event: "FILL", Day: "2024-03-11", Action: "open", Position: 4, Fill: f(-2)},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), text)
	}
	eq := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || math.Abs(*a-*b) < 1e-9) }
	for i, s := range lines {
		var got line
		if err := json.Unmarshal([]byte(s), &got); err != nil {
			t.Fatalf("line %d %q: %v", i, s, err)
		}
		w := want[i]
		if got.Event != w.Event || got.Day != w.Day || got.Action != w.Action || got.Status != w.Status || got.Reason != w.Reason ||
			got.Position != w.Position || got.Orders != w.Orders || !eq(got.Limit, w.Limit) || !eq(got.Fill, w.Fill) ||
			!eq(got.Slippage, w.Slippage) || !eq(got.Net, w.Net) {
			t.Errorf("line %d = %s\nwant %+v", i, s, w)
		}
	}
	if !strings.Contains(lines[0], `"ts":"2024-03-06T09:45:00-05:00"`) {
		t.Errorf("line 0 has no New York timestamp: %s", lines[0])
	}
}

// TestSummarize: closed trades in closing order net +9.72, −602.64, +100.
//
//	wins 2, losses 1, win rate 2/3; gross 15 − 600 + 100 = −485;
//	commissions 5.28 + 2.64 = 7.92; net −492.92; average −492.92/3;
//	cumulative 9.72, −592.92, −492.92: drawdown from 9.72 to −592.92 = 602.64.
func TestSummarize(t *testing.T) {
	s := condor.Summarize(handResult(t))
	want := condor.Summary{Trades: 3, Open: 1, Wins: 2, Losses: 1, WinRate: 2.0 / 3, GrossPnL: -485, Commissions: 7.92,
		NetPnL: -492.92, AvgPnL: -492.92 / 3, Best: 100, Worst: -602.64, MaxDrawdown: 602.64}
	ok := s.Trades == want.Trades && s.Open == want.Open && s.Wins == want.Wins && s.Losses == want.Losses
	for _, p := range [][2]float64{{s.WinRate, want.WinRate}, {s.GrossPnL, want.GrossPnL}, {s.Commissions, want.Commissions},
		{s.NetPnL, want.NetPnL}, {s.AvgPnL, want.AvgPnL}, {s.Best, want.Best}, {s.Worst, want.Worst}, {s.MaxDrawdown, want.MaxDrawdown}} {
		ok = ok && math.Abs(p[0]-p[1]) < 1e-9
	}
	if !ok {
		t.Errorf("summary %+v\nwant    %+v", s, want)
	}
	if z := condor.Summarize(&sim.Result{}); z != (condor.Summary{}) {
		t.Errorf("empty summary %+v", z)
	}
}

// TestEventsMonthlyRun checks the log of the monthly scenario: the reduce
// (limit 4.50) and the close (limit 2.50) merge into one closing fill at the
// average 3.50 against the average limit 3.50 (fills at the mids: no
// slippage).
func TestEventsMonthlyRun(t *testing.T) {
	b := entryDay("2024-03-07", "2024-03-25").VIX("2024-03-06", 18, 25).
		Spot("SPX", "2024-03-07", 5055).Quote("SPX", "2024-03-07", condorQuotes(4, 5.5, 9, 6, -0.07, 0.22)...).
		Spot("SPX", "2024-03-25", 5000).Quote("SPX", "2024-03-25", condorQuotes(1.5, 2.5, 2.5, 1, -0.06, 0.10)...)
	res := runMonthly(t, b, condor.DefaultMonthly())
	lines, err := condor.Events(res)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		s := l.Event + " " + l.Action
		if l.Limit != nil {
			s += " " + strings.TrimRight(strings.TrimRight(jsonNum(*l.Limit), "0"), ".")
		}
		if l.Slippage != nil {
			s += " slip " + jsonNum(*l.Slippage)
		}
		got = append(got, s)
	}
	want := []string{"ORDER open -4", "FILL open -4 slip 0", "ORDER reduce 4.5", "ORDER close 2.5", "FILL close 3.5 slip 0"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("log %q\nwant %q", got, want)
	}
	if s := condor.Summarize(res); s.Trades != 1 || s.GrossPnL != 100 || s.Wins != 1 {
		t.Errorf("summary %+v", s)
	}
}

func jsonNum(x float64) string {
	b, _ := json.Marshal(x)
	return string(b)
}

package sim_test

import (
	"math"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/indicators"
	"github.com/optsweep/sweep/sim/simtest"
)

// splitDays are the sessions of the scenario: XYZ splits 4-for-1 with ex-date
// Tuesday 2024-09-03 (Monday is Labor Day).
var splitDays = []string{"2024-08-26", "2024-08-27", "2024-08-28", "2024-08-29", "2024-08-30",
	"2024-09-03", "2024-09-04", "2024-09-05", "2024-09-06"}

// splitTape builds XYZ's tape. adjusted false: prices as traded, the split on
// 09-03 as an event, and the listed contracts OCC adjusted (the 380 put becomes
// the 95 put). adjusted true: the same market with every price before the split
// divided by 4, as split-adjusted data shows it, and no event.
func splitTape(t *testing.T, adjusted bool) *sim.Tape {
	t.Helper()
	f := 1.0
	b := simtest.New(splitDays...)
	if adjusted {
		f = 4
	} else {
		b.Event("XYZ", "2024-09-03", sim.Split, 4)
	}
	q := func(exp string, k, mid float64) simtest.Quote {
		return simtest.Quote{Exp: exp, PC: sim.Put, K: k, Bid: mid - 0.1/f, Ask: mid + 0.1/f, Close: mid, High: mid, Low: mid}
	}
	for i, d := range splitDays {
		switch {
		case i < 4: // XYZ at 400
			b.Spot("XYZ", d, 400/f).Bar("XYZ", d, 400/f, 400/f, 400/f, 400/f)
			b.Quote("XYZ", d, q("2024-08-30", 400/f, 10/f), q("2024-09-20", 380/f, 8/f))
		case i == 4: // expiry of the 400 put: XYZ closes at 380, the put is assigned
			b.Spot("XYZ", d, 380/f).Bar("XYZ", d, 400/f, 400/f, 380/f, 380/f)
			b.Quote("XYZ", d, q("2024-08-30", 400/f, 20/f), q("2024-09-20", 380/f, 14/f))
		default: // after the split: XYZ at 96, then 97; the 95 put (was 380)
			px, mid := 96.0, 3.0
			if d == "2024-09-06" {
				px, mid = 97, 2.5
			}
			b.Spot("XYZ", d, px).Bar("XYZ", d, px, px, px, px)
			b.Quote("XYZ", d, simtest.Quote{Exp: "2024-09-20", PC: sim.Put, K: 95, Bid: mid - 0.025, Ask: mid + 0.025,
				Close: mid, High: mid, Low: mid})
		}
	}
	tp, err := b.Tape()
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

// splitScript sells the two puts on the first day (units contracts of each: 1
// as traded, 4 on adjusted data, the same shares either way) and closes
// everything, put and delivered shares, on the last.
func splitScript(adjusted bool) script {
	units, f := 1, 1.0
	if adjusted {
		units, f = 4, 4
	}
	p := func(exp string, k float64) sim.Contract {
		return sim.Contract{Underlying: "XYZ", Expiration: simtest.Day(exp), PutCall: sim.Put, Strike: k}
	}
	return script{
		"2024-08-26": {{Kind: sim.Open, Symbol: "XYZ", Quantity: units, Phase: "puts",
			Legs: []sim.OrderLeg{{Contract: p("2024-08-30", 400/f), Ratio: -1}, {Contract: p("2024-09-20", 380/f), Ratio: -1}}}},
		"2024-09-06": {{Kind: sim.Close, Position: 1, Reason: "done"}},
	}
}

// TestSplitMatchesAdjustedData works a short put and 100 assigned shares through
// XYZ's 4-for-1 split, by hand:
//
//	08-26  sell the 08-30 400 put at 10 and the 09-20 380 put at 8: +1,800
//	08-30  XYZ 380: the 400 put is assigned, 100 shares at 400: −40,000
//	09-03  split: 400 shares at basis 100; the 380 put becomes 4 × the 95 put
//	09-06  buy the 4 puts back at 2.50 (−1,000), sell 400 shares at 97 (+38,800)
//
// Cash ends at 100,000 + 1,800 − 40,000 − 1,000 + 38,800 = 99,600. On
// split-adjusted data the same trade is 4 contracts of each put at a quarter of
// the strikes and prices, 400 shares at 100: every dollar is the same, so the two
// runs agree on every trade's P&L and on the equity of every day (no jump on the
// ex-date), costs aside. With costs the as-traded run opens 1 contract a leg and
// the adjusted one 4, so it pays 2 × 3 × 0.66 = 3.96 less.
func TestSplitMatchesAdjustedData(t *testing.T) {
	c := cfg()
	c.Costs = fill.Costs{}
	traded, err := sim.Run(splitTape(t, false), splitScript(false), c)
	if err != nil {
		t.Fatal(err)
	}
	adjusted, err := sim.Run(splitTape(t, true), splitScript(true), c)
	if err != nil {
		t.Fatal(err)
	}
	simtest.WantNear(t, "final cash", traded.Cash[len(traded.Cash)-1], 99_600)
	if len(traded.Equity) != len(adjusted.Equity) {
		t.Fatalf("equity days %d vs %d", len(traded.Equity), len(adjusted.Equity))
	}
	for i := range traded.Equity {
		simtest.WantNear(t, "equity on "+splitDays[i], traded.Equity[i], adjusted.Equity[i])
	}
	// The ex-date's equity moves only with the market: 09-03 marks 400 shares at
	// 96 and the 4 puts at 3: 100,000 + 1,800 − 40,000 + 38,400 − 1,200 = 99,000.
	simtest.WantNear(t, "equity on the ex-date", traded.Equity[5], 99_000)
	if len(traded.Trades) != len(adjusted.Trades) {
		t.Fatalf("trades %d vs %d", len(traded.Trades), len(adjusted.Trades))
	}
	for i := range traded.Trades {
		a, b := traded.Trades[i], adjusted.Trades[i]
		simtest.WantNear(t, a.Phase+" gross", a.Gross, b.Gross)
		simtest.WantNear(t, a.Phase+" entry per share", a.Entry, b.Entry)
		if a.Quantity != b.Quantity {
			t.Errorf("%s quantity %d vs %d on adjusted data", a.Phase, a.Quantity, b.Quantity)
		}
	}
	var splits []string
	for _, e := range traded.Events {
		if e.Kind == sim.EventSplit {
			splits = append(splits, sim.DayString(e.Day)+" "+e.Detail)
		}
	}
	if want := "2024-09-03 4-for-1: 1 legs, 400 shares at basis 100.0000"; strings.Join(splits, "; ") != want {
		t.Errorf("split events %q, want %q", splits, want)
	}

	withCosts, err := sim.Run(splitTape(t, false), splitScript(false), cfg())
	if err != nil {
		t.Fatal(err)
	}
	adjCosts, err := sim.Run(splitTape(t, true), splitScript(true), cfg())
	if err != nil {
		t.Fatal(err)
	}
	last := func(r *sim.Result) float64 { return r.Cash[len(r.Cash)-1] }
	simtest.WantNear(t, "as traded less adjusted, with costs", last(withCosts)-last(adjCosts), 3.96)
}

// TestSplitRefusesRatiosItCannotHold: a ratio that is not a positive number is
// an error (3-for-2 and reverse splits convert: see TestSplitRatios).
func TestSplitRefusesRatiosItCannotHold(t *testing.T) {
	b := sim.NewBook(1000)
	for _, r := range []float64{0, -4, math.NaN(), math.Inf(1)} {
		if err := b.Split("XYZ", r); err == nil {
			t.Errorf("ratio %g: no error", r)
		}
	}
}

// historyProbe records the closes of each decision's history and runs s.
type historyProbe struct {
	s      sim.Strategy
	closes map[int32][]float64
}

func (h historyProbe) Step(snap *sim.Snapshot, b *sim.Book) ([]sim.Order, error) {
	h.closes[snap.Day] = append([]float64(nil), snap.Market("XYZ").History.Close...)
	return h.s.Step(snap, b)
}

// From the ex-date on, a decision's history is split-adjusted: the same closes,
// the same moving average and realized volatility as on adjusted data, no drop
// by the ratio. Before it, the history is as traded (adjusting it for a split
// still to come would be look-ahead and would not match the strikes then listed).
func TestSplitAdjustsHistoryFromTheExDate(t *testing.T) {
	traded := historyProbe{splitScript(false), map[int32][]float64{}}
	adjusted := historyProbe{splitScript(true), map[int32][]float64{}}
	if _, err := sim.Run(splitTape(t, false), traded, cfg()); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Run(splitTape(t, true), adjusted, cfg()); err != nil {
		t.Fatal(err)
	}
	for _, d := range splitDays[1:] {
		day := simtest.Day(d)
		f := 1.0
		if d < "2024-09-03" {
			f = 4 // as traded, 4 times the adjusted prices
		}
		a, b := traded.closes[day], adjusted.closes[day]
		if len(a) != len(b) || len(a) == 0 {
			t.Fatalf("%s: history of %d and %d closes", d, len(a), len(b))
		}
		for i := range a {
			simtest.WantNear(t, d+" close", a[i], f*b[i])
		}
	}
	ex := traded.closes[simtest.Day("2024-09-04")] // the ex-date's close is in 09-04's history
	sma := make([]float64, len(ex))
	vol := make([]float64, len(ex))
	indicators.SMA(sma, ex, 3)
	indicators.RealizedVol(vol, ex, 3, 252)
	// Closes 100, 100, 100, 95, 96: the SMA moves by cents, not by a factor of 4.
	simtest.WantNear(t, "3-day SMA through the ex-date", sma[len(sma)-1], (100+95+96)/3.0)
	want := make([]float64, len(ex))
	indicators.RealizedVol(want, adjusted.closes[simtest.Day("2024-09-04")], 3, 252)
	simtest.WantNear(t, "realized vol through the ex-date", vol[len(vol)-1], want[len(want)-1])
	if v := vol[len(vol)-1]; !(v < 1) {
		t.Errorf("realized vol %.2f through the split: the drop was read as a crash", v)
	}
}

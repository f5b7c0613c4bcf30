package sim_test

import (
	"math"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/simtest"
)

// clockLog is a strategy that sells one 0DTE put at its first intraday step
// and buys it back at the daily decision, recording what it saw.
type clockLog struct {
	put    sim.Contract
	seen   []string  // "date HH:MM spot chain-rows"
	ranks  []float64 // IV rank seen at each step
	atmivs []int     // length of the ATM IV history seen
}

func (c *clockLog) Step(snap *sim.Snapshot, b *sim.Book) ([]sim.Order, error) {
	m := snap.Market("SPX")
	c.seen = append(c.seen, snap.Time.Format("2006-01-02 15:04")+" "+ftoa(m.Spot)+" "+itoa(m.Chain.Len()))
	c.ranks = append(c.ranks, m.IVRank)
	c.atmivs = append(c.atmivs, len(m.ATMIV))
	switch {
	case len(c.seen) == 1:
		return []sim.Order{{Kind: sim.Open, Symbol: "SPX", Legs: []sim.OrderLeg{{Contract: c.put, Ratio: -1}},
			Quantity: 1, Pricing: sim.PriceMarket, Phase: "put"}}, nil
	case snap.Time.Format("15:04") == "15:45" && len(b.Positions) > 0:
		return []sim.Order{{Kind: sim.Close, Position: b.Positions[0].ID, Reason: "forced_close"}}, nil
	}
	return nil, nil
}

func ftoa(x float64) string {
	if math.IsNaN(x) {
		return "NaN"
	}
	return itoa(int(x))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// TestIntradaySteps: a put sold at 10:00 at that minute's mid (2.00) and
// bought back at 15:45 at the daily snapshot's mid (1.00) makes
// (2.00 − 1.00) × 100 = $100 with optimistic fills and no costs (the naked
// put reserves 5000 × 100 less its credit, so the cash is $1M). The 12:00
// step sees its own quotes; the second day has no intraday data and steps
// once. Intraday steps see yesterday's IV rank and ATM IV history.
func TestIntradaySteps(t *testing.T) {
	put := simtest.Quote{Exp: "2024-03-04", PC: sim.Put, K: 5000}
	q := func(bid, ask float64) simtest.Quote { p := put; p.Bid, p.Ask = bid, ask; return p }
	tape, err := simtest.New("2024-03-04", "2024-03-05").Cash("SPX").
		Bar("SPX", "2024-03-04", 5040, 5080, 5020, 5060).Bar("SPX", "2024-03-05", 5060, 5070, 5030, 5050).
		Spot("SPX", "2024-03-04", 5060).Spot("SPX", "2024-03-05", 5050).
		ATMIV("SPX", "2024-03-04", 0.12).ATMIV("SPX", "2024-03-05", 0.13).
		Quote("SPX", "2024-03-04", q(0.9, 1.1)).
		Intraday("SPX", "2024-03-04", "10:00", 5050, q(1.9, 2.1)).
		Intraday("SPX", "2024-03-04", "12:00", 5055, q(1.4, 1.6)).
		Tape()
	if err != nil {
		t.Fatal(err)
	}
	s := &clockLog{put: sim.Contract{Underlying: "SPX", Expiration: simtest.Day("2024-03-04"), PutCall: sim.Put, Strike: 5000}}
	cfg := sim.DefaultConfig()
	cfg.Mode, cfg.Costs, cfg.Cash = fill.Optimistic, fill.Costs{}, 1e6
	res, err := sim.Run(tape, s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2024-03-04 10:00 5050 1", "2024-03-04 12:00 5055 1", "2024-03-04 15:45 5060 1", "2024-03-05 15:45 5050 0"}
	if len(s.seen) != len(want) {
		t.Fatalf("steps %q, want %q", s.seen, want)
	}
	for i := range want {
		if s.seen[i] != want[i] {
			t.Errorf("step %d saw %q, want %q", i, s.seen[i], want[i])
		}
	}
	if s.atmivs[0] != 0 || s.atmivs[1] != 0 || s.atmivs[2] != 1 || s.atmivs[3] != 2 {
		t.Errorf("ATM IV history lengths %v, want [0 0 1 2]", s.atmivs)
	}
	if !math.IsNaN(s.ranks[0]) {
		t.Errorf("intraday IV rank on the first day %g, want NaN (no yesterday)", s.ranks[0])
	}
	if len(res.Trades) != 1 {
		t.Fatalf("%d trades; events %v", len(res.Trades), res.Events)
	}
	tr := res.Trades[0]
	if tr.Entry != -2 || tr.Exit != -1 || tr.Gross != 100 || tr.Reason != "forced_close" {
		t.Errorf("trade entry %g exit %g gross %g reason %s", tr.Entry, tr.Exit, tr.Gross, tr.Reason)
	}
}

// TestIntradayValidate rejects steps after the daily decision.
func TestIntradayValidate(t *testing.T) {
	_, err := simtest.New("2024-03-04").Cash("SPX").Spot("SPX", "2024-03-04", 5000).
		Intraday("SPX", "2024-03-04", "15:50", 5000).Tape()
	if err == nil {
		t.Fatal("a step at 15:50 (after the 15:45 decision) was accepted")
	}
}

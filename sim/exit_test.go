package sim_test

import (
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/simtest"
)

// TestExitTakesWhatTheMarketOffers: a put spread opened for a 1.10 credit
// (short 100P at its 2.10 mid, long 95P at its 1.00 mid, optimistic fills,
// no costs) is closed the next day while its long leg is bid 0. Entries need
// two-sided quotes; exits do not, so the long leg goes for what it is worth.
func TestExitTakesWhatTheMarketOffers(t *testing.T) {
	short := simtest.Quote{Exp: "2024-03-15", PC: sim.Put, K: 100}
	long := simtest.Quote{Exp: "2024-03-15", PC: sim.Put, K: 95}
	q := func(base simtest.Quote, bid, ask float64) simtest.Quote { base.Bid, base.Ask = bid, ask; return base }
	c := func(k float64) sim.Contract {
		return sim.Contract{Underlying: "SPY", Expiration: simtest.Day("2024-03-15"), PutCall: sim.Put, Strike: k}
	}
	open := sim.Order{Kind: sim.Open, Symbol: "SPY", Quantity: 1, Pricing: sim.PriceMarket,
		Legs: []sim.OrderLeg{{Contract: c(100), Ratio: -1}, {Contract: c(95), Ratio: 1}}}
	closeAll := sim.Order{Kind: sim.Close, Position: 1, Reason: "stop"}
	tests := []struct {
		name   string
		day2   []simtest.Quote
		gross  float64
		closed bool
	}{
		// Buy back 100P at its 1.00 mid, sell 95P at its 0.025 mid (bid 0, ask
		// 0.05): debit 0.975, gross (1.10 − 0.975) × 100 = 12.50.
		{"long leg bid zero", []simtest.Quote{q(short, 0.9, 1.1), q(long, 0, 0.05)}, 12.5, true},
		// The long leg is not quoted at all: it goes for 0; debit 1.00, gross 10.
		{"long leg unquoted", []simtest.Quote{q(short, 0.9, 1.1)}, 10, true},
		// The short leg has no ask: it cannot be bought back; the spread stays open.
		{"short leg without ask", []simtest.Quote{q(short, 0.9, 0), q(long, 0.2, 0.3)}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tape, err := simtest.New("2024-03-11", "2024-03-12").
				Spot("SPY", "2024-03-11", 102).Spot("SPY", "2024-03-12", 101).
				Bar("SPY", "2024-03-11", 102, 103, 101, 102).Bar("SPY", "2024-03-12", 101, 102, 100, 101).
				Quote("SPY", "2024-03-11", q(short, 2.0, 2.2), q(long, 0.9, 1.1)).
				Quote("SPY", "2024-03-12", tt.day2...).Tape()
			if err != nil {
				t.Fatal(err)
			}
			cfg := sim.DefaultConfig()
			cfg.Mode, cfg.Costs = fill.Optimistic, fill.Costs{}
			res, err := sim.Run(tape, script{"2024-03-11": {open}, "2024-03-12": {closeAll}}, cfg)
			if err != nil {
				t.Fatal(err)
			}
			tr := res.Trades[0]
			if closed := tr.Closed != 0; closed != tt.closed {
				t.Fatalf("closed %v, want %v (events %v)", closed, tt.closed, res.Events)
			}
			if tt.closed && (tr.Gross < tt.gross-1e-9 || tr.Gross > tt.gross+1e-9) {
				t.Errorf("gross %g, want %g", tr.Gross, tt.gross)
			}
		})
	}
}

// TestTakeProfitFillPrice works a touched profit target in the pessimistic
// mode both ways. The put sold on day 1 (bid 1.00, ask 1.10) rests a target
// at half its credit; day 2's bar (high 0.60, low 0.40, close 0.45) touches
// it. The pessimistic bar price is min(high, close + 0.75 × range × penalty)
// = 0.60 for any penalty ≥ 1 (0.45 + 0.75 × 0.20 × 1.35 = 0.6525 here),
// above the target: a resting limit order fills at the target (ours), seed
// 001 pays the 0.60.
func TestTakeProfitFillPrice(t *testing.T) {
	b := simtest.New("2024-03-04", "2024-03-05")
	for _, d := range []string{"2024-03-04", "2024-03-05"} {
		b.Spot("XYZ", d, 100).Bar("XYZ", d, 100, 100, 100, 100)
	}
	b.Quote("XYZ", "2024-03-04", simtest.Quote{Exp: "2024-03-15", PC: sim.Put, K: 95, Bid: 1.00, Ask: 1.10})
	b.Quote("XYZ", "2024-03-05", simtest.Quote{Exp: "2024-03-15", PC: sim.Put, K: 95, Bid: 0.44, Ask: 0.46, High: 0.60, Low: 0.40, Close: 0.45})
	tp, err := b.Tape()
	if err != nil {
		t.Fatal(err)
	}
	put := sim.Contract{Underlying: "XYZ", Expiration: simtest.Day("2024-03-15"), PutCall: sim.Put, Strike: 95}
	for _, c := range []struct {
		name  string
		atBar bool
		exit  func(credit float64) float64 // price per share paid to close
	}{
		{"limit (ours)", false, func(credit float64) float64 { return 0.5 * credit }},
		{"bar (seed 001)", true, func(float64) float64 { return 0.60 }},
	} {
		orders := script{"2024-03-04": {{Kind: sim.Open, Symbol: "XYZ", Quantity: 1, Phase: "csp",
			Legs: []sim.OrderLeg{{Contract: put, Ratio: -1}}, Bracket: sim.Bracket{TakeProfit: 0.5, TargetAtBar: c.atBar}}}}
		conf := sim.DefaultConfig()
		conf.Mode = fill.Pessimistic
		res, err := sim.Run(tp, orders, conf)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Trades) != 1 || res.Trades[0].Reason != sim.EventTakeProfit {
			t.Fatalf("%s: trades %+v", c.name, res.Trades)
		}
		tr := res.Trades[0]
		credit := -tr.Entry
		if !(credit > 0.5 && credit < 1.05) {
			t.Fatalf("%s: pessimistic credit %.4f, want between the target's double and the mid", c.name, credit)
		}
		simtest.WantNear(t, c.name+": exit", -tr.Exit, c.exit(credit))
		simtest.WantNear(t, c.name+": gross", tr.Gross, 100*(credit-c.exit(credit)))
	}
}

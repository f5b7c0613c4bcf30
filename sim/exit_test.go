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

package fill

import (
	"math"
	"testing"
)

const tol = 1e-12

func near(a, b float64) bool { return math.Abs(a-b) <= tol }

func TestParseMode(t *testing.T) {
	tests := []struct {
		in   string
		want Mode
		err  bool
	}{
		{"optimistic", Optimistic, false},
		{"mid", Optimistic, false},
		{"realistic", Realistic, false},
		{"pessimistic", Pessimistic, false},
		{" Realistic ", Realistic, false},
		{"PESSIMISTIC", Pessimistic, false},
		{"bid", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseMode(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseMode(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestModeString(t *testing.T) {
	for m, want := range map[Mode]string{
		Optimistic: "optimistic", Realistic: "realistic", Pessimistic: "pessimistic", 7: "Mode(7)",
	} {
		if got := m.String(); got != want {
			t.Errorf("Mode(%d).String() = %q, want %q", uint8(m), got, want)
		}
	}
}

func TestModeText(t *testing.T) {
	for _, m := range []Mode{Optimistic, Realistic, Pessimistic} {
		b, err := m.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Mode
		if err := back.UnmarshalText(b); err != nil || back != m {
			t.Errorf("round trip of %v: got %v, %v", m, back, err)
		}
	}
	if _, err := Mode(9).MarshalText(); err == nil {
		t.Error("MarshalText(Mode(9)) succeeded")
	}
	var m Mode
	if err := m.UnmarshalText([]byte("sideways")); err == nil {
		t.Error(`UnmarshalText("sideways") succeeded`)
	}
}

func TestSellBuy(t *testing.T) {
	tests := []struct {
		name              string
		m                 Mode
		bid, ask, penalty float64
		sell, buy         float64
	}{
		// bid 1.00 ask 1.20: mid 1.10, spread 0.20.
		{"opt", Optimistic, 1.00, 1.20, 1, 1.10, 1.10},
		// 1.10 ∓ 0.30·0.20 = 1.10 ∓ 0.06.
		{"real", Realistic, 1.00, 1.20, 1, 1.04, 1.16},
		// 1.10 ∓ 0.75·0.20 = 1.10 ∓ 0.15 = 0.95 / 1.25, clamped to 1.00 / 1.20.
		{"pess", Pessimistic, 1.00, 1.20, 1, 1.00, 1.20},
		// Optimistic ignores the penalty.
		{"opt pen", Optimistic, 1.00, 1.20, 1.35, 1.10, 1.10},
		// 1.10 ∓ 0.30·0.20·1.35 = 1.10 ∓ 0.081.
		{"real pen", Realistic, 1.00, 1.20, 1.35, 1.019, 1.181},
		// 1.10 ∓ 0.75·0.20·1.35 = 1.10 ∓ 0.2025, clamped.
		{"pess pen", Pessimistic, 1.00, 1.20, 1.35, 1.00, 1.20},
		// bid 2.00 ask 2.10: mid 2.05, spread 0.10; 2.05 ∓ 0.30·0.10·1.15 = 2.05 ∓ 0.0345.
		{"real 1.15", Realistic, 2.00, 2.10, 1.15, 2.0155, 2.0845},
		// 2.05 ∓ 0.75·0.10·1.15 = 2.05 ∓ 0.08625 = 1.96375 / 2.13625, clamped.
		{"pess 1.15", Pessimistic, 2.00, 2.10, 1.15, 2.00, 2.10},
		// bid 4.00 ask 4.10, penalty 1: 4.05 ∓ 0.75·0.10 = 3.975 / 4.125, clamped to
		// 4.00 / 4.10.
		{"pess clamp", Pessimistic, 4.00, 4.10, 1, 4.00, 4.10},
		// A locked quote prices at the quote in every mode.
		{"locked", Pessimistic, 1.00, 1.00, 1.35, 1.00, 1.00},
		// An unknown mode prices as Realistic (the seed's else-branch).
		{"unknown", Mode(9), 1.00, 1.20, 1, 1.04, 1.16},
	}
	for _, tt := range tests {
		if got := Sell(tt.m, tt.bid, tt.ask, tt.penalty); !near(got, tt.sell) {
			t.Errorf("%s: Sell = %v, want %v", tt.name, got, tt.sell)
		}
		if got := Buy(tt.m, tt.bid, tt.ask, tt.penalty); !near(got, tt.buy) {
			t.Errorf("%s: Buy = %v, want %v", tt.name, got, tt.buy)
		}
	}
}

func TestBar(t *testing.T) {
	tests := []struct {
		name                  string
		m                     Mode
		high, low, close, pen float64
		buy, sell             float64
	}{
		// high 1.50 low 1.00 close 1.20: range 0.50.
		// buy: 1.20 − 0.125 = 1.075; sell: 1.20 + 0.125 = 1.325.
		{"opt", Optimistic, 1.50, 1.00, 1.20, 1, 1.075, 1.325},
		// buy: 1.20 + 0.30·0.50 = 1.35; sell: 1.20 − 0.15 = 1.05.
		{"real", Realistic, 1.50, 1.00, 1.20, 1, 1.35, 1.05},
		// buy: 1.20 + 0.375 = 1.575 → high 1.50; sell: 1.20 − 0.375 = 0.825 → low 1.00.
		{"pess", Pessimistic, 1.50, 1.00, 1.20, 1, 1.50, 1.00},
		// Penalty 1.35: r = 0.675. buy: 1.20 − 0.16875 = 1.03125; sell: 1.20 + 0.16875 = 1.36875.
		{"opt pen", Optimistic, 1.50, 1.00, 1.20, 1.35, 1.03125, 1.36875},
		// buy: 1.20 + 0.2025 = 1.4025; sell: 1.20 − 0.2025 = 0.9975 → low 1.00.
		{"real pen", Realistic, 1.50, 1.00, 1.20, 1.35, 1.4025, 1.00},
		// close 1.05: buy 1.05 − 0.125 = 0.925 → low 1.00; sell 1.175.
		{"opt clamp low", Optimistic, 1.50, 1.00, 1.05, 1, 1.00, 1.175},
		// close 1.40: buy 1.40 − 0.125 = 1.275; sell 1.525 → high 1.50.
		{"opt clamp high", Optimistic, 1.50, 1.00, 1.40, 1, 1.275, 1.50},
		// close 1.40: buy 1.40 + 0.15 = 1.55 → high 1.50; sell 1.25.
		{"real clamp", Realistic, 1.50, 1.00, 1.40, 1, 1.50, 1.25},
	}
	for _, tt := range tests {
		if got := BarBuy(tt.m, tt.high, tt.low, tt.close, tt.pen); !near(got, tt.buy) {
			t.Errorf("%s: BarBuy = %v, want %v", tt.name, got, tt.buy)
		}
		if got := BarSell(tt.m, tt.high, tt.low, tt.close, tt.pen); !near(got, tt.sell) {
			t.Errorf("%s: BarSell = %v, want %v", tt.name, got, tt.sell)
		}
	}
}

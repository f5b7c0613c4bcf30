package fill

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

func TestRoundCents(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{1.15, 1.15},
		{1.0, 1.0},
		{1.234, 1.23},
		{1.236, 1.24},
		// Stored below the half cent (1.00499999999999989…): down, as Python's
		// round(1.005, 2) == 1.0; math.Round(1.005*100)/100 gives 1.01.
		{1.005, 1.00},
		{2.675, 2.67}, // 2.67499999999999982…; Python round gives 2.67
		{1.255, 1.25}, // 1.25499999999999989…
		{1.015, 1.01}, // 1.01499999999999990…
		{0.005, 0.01}, // 0.00500000000000000010…: above the half
		{0.125, 0.12}, // exact half: to the even cent
		{0.375, 0.38}, // exact half: to the even cent
		{-1.005, -1.00},
		{-0.125, -0.12},
		{0.0049, 0},
		{1e20, 1e20},
	}
	for _, tt := range tests {
		if got := RoundCents(tt.in); got != tt.want {
			t.Errorf("RoundCents(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := RoundCents(math.NaN()); !math.IsNaN(got) {
		t.Errorf("RoundCents(NaN) = %v", got)
	}
	if got := RoundCents(math.Inf(-1)); !math.IsInf(got, -1) {
		t.Errorf("RoundCents(-Inf) = %v", got)
	}
}

// TestRoundCentsStrconv checks RoundCents against strconv, which also rounds the exact
// binary value with halves to even, over random prices and prices near half cents.
func TestRoundCentsStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(x float64) {
		want, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := RoundCents(x); got != want && !(got == 0 && want == 0) {
			t.Fatalf("RoundCents(%v) = %v, strconv gives %v", x, got, want)
		}
	}
	for range 200000 {
		check(r.Float64() * 1000)
		// Half cents as decimals, and their neighbours.
		h := (float64(r.IntN(100000)) + 0.5) / 100
		check(h)
		check(math.Nextafter(h, 0))
		check(math.Nextafter(h, 1e9))
	}
}

func TestLadder(t *testing.T) {
	d := DefaultStepped()
	tests := []struct {
		name     string
		s        Stepped
		bid, ask float64
		want     []float64
	}{
		// mid 1.25, spread 0.50, step 0.10, floor max(1.00, 1.25 − 4·0.20·0.50 = 0.85) = 1.00:
		// 1.25, 1.15, 1.05, max(0.95, 1.00), max(0.85, 1.00).
		{"seed example", d, 1.00, 1.50, []float64{1.25, 1.15, 1.05, 1.00, 1.00}},
		// mid 1.10, spread 0.20, step 0.04, floor max(1.00, 0.94) = 1.00.
		{"narrow", d, 1.00, 1.20, []float64{1.10, 1.06, 1.02, 1.00, 1.00}},
		// Starting at the bid, every rung is the floor: here the bid.
		{"start at bid", Stepped{StartAtBid: true, StepPct: 0.2, MaxSteps: 4}, 1.00, 1.50,
			[]float64{1.00, 1.00, 1.00, 1.00, 1.00}},
		// Two steps: floor max(1.00, 1.25 − 2·0.20·0.50 = 1.05) = 1.05, above the bid, so
		// a ladder "at the bid" sits at 1.05 (the seed's logic).
		{"start at bid, floor above", Stepped{StartAtBid: true, StepPct: 0.2, MaxSteps: 2}, 1.00, 1.50,
			[]float64{1.05, 1.05, 1.05}},
		// mid 2.15, spread 0.30, step 0.03, floor max(2.00, 2.15 − 0.06 = 2.09) = 2.09.
		{"step floor", Stepped{StepPct: 0.1, MaxSteps: 2}, 2.00, 2.30, []float64{2.15, 2.12, 2.09}},
		// mid 1.23, spread 0.46, step 0.138, floor max(1.00, 1.092) = 1.092; the last rung
		// rounds to 1.09, below the floor (round after floor, as the seed).
		{"floor off cent", Stepped{StepPct: 0.3, MaxSteps: 1}, 1.00, 1.46, []float64{1.23, 1.09}},
		{"no steps", Stepped{StepPct: 0.2, MaxSteps: 0}, 1.00, 1.50, []float64{1.25}},
		{"negative steps", Stepped{StepPct: 0.2, MaxSteps: -1}, 1.00, 1.50, []float64{}},
	}
	for _, tt := range tests {
		if got := tt.s.Ladder(nil, tt.bid, tt.ask); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Ladder = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBuyLadder(t *testing.T) {
	// mid 1.25, spread 0.50, step 0.10, ceiling min(1.50, 1.25 + 0.40 = 1.65) = 1.50.
	want := []float64{1.25, 1.35, 1.45, 1.50, 1.50}
	if got := DefaultStepped().BuyLadder(nil, 1.00, 1.50); !slices.Equal(got, want) {
		t.Errorf("BuyLadder = %v, want %v", got, want)
	}
	// Starting at the ask, every rung is the ceiling min(1.50, 1.25 + 2·0.20·0.50 = 1.45).
	s := Stepped{StartAtBid: true, StepPct: 0.2, MaxSteps: 2}
	if got := s.BuyLadder(nil, 1.00, 1.50); !slices.Equal(got, []float64{1.45, 1.45, 1.45}) {
		t.Errorf("BuyLadder from ask = %v", got)
	}
}

func TestLadderReusesDst(t *testing.T) {
	s := DefaultStepped()
	dst := make([]float64, 3, 8)
	got := s.Ladder(dst, 1.00, 1.50)
	if len(got) != 5 || &got[0] != &dst[0] {
		t.Fatalf("Ladder did not reuse dst: len %d", len(got))
	}
	if allocs := testing.AllocsPerRun(100, func() { dst = s.Ladder(dst, 1.00, 1.50) }); allocs != 0 {
		t.Errorf("Ladder allocates %v times", allocs)
	}
}

func TestSteppedSell(t *testing.T) {
	d := DefaultStepped()
	nan := math.NaN()
	tests := []struct {
		name          string
		s             Stepped
		m             Mode
		bid, ask, pen float64
		price         float64
		step          int
		ok            bool
	}{
		// Ladder 1.25, 1.15, 1.05, 1.00, 1.00.
		// Optimistic: reach = mid 1.25, so the first rung fills.
		{"opt", d, Optimistic, 1.00, 1.50, 1, 1.25, 0, true},
		// Realistic: reach = 1.25 − 0.30·0.50 = 1.10; 1.25 and 1.15 are above it, 1.05 fills.
		{"real", d, Realistic, 1.00, 1.50, 1, 1.05, 2, true},
		// Pessimistic: reach = 1.25 − 0.375 = 0.875 → bid 1.00; the first 1.00 rung fills.
		{"pess", d, Pessimistic, 1.00, 1.50, 1, 1.00, 3, true},
		// Realistic, penalty 1.35: reach = 1.25 − 0.2025 = 1.0475; 1.05 is above it.
		{"real pen", d, Realistic, 1.00, 1.50, 1.35, 1.00, 3, true},
		// bid 1.00 ask 1.20: ladder 1.10, 1.06, 1.02, 1.00, 1.00; reach 1.10 − 0.06 = 1.04.
		{"narrow real", d, Realistic, 1.00, 1.20, 1, 1.02, 2, true},
		// Step 0.3: ladder 1.10, 1.04, 1.00, ...; the rung equal to reach 1.04 fills.
		{"limit equals reach", Stepped{StepPct: 0.3, MaxSteps: 4}, Realistic, 1.00, 1.20, 1, 1.04, 1, true},
		// One step: floor max(1.00, 1.25 − 0.10) = 1.15; ladder 1.25, 1.15, both above
		// reach 1.10: exhausted.
		{"exhausted", Stepped{StepPct: 0.2, MaxSteps: 1}, Realistic, 1.00, 1.50, 1, 0, -1, false},
		{"nan", d, Realistic, nan, 1.50, 1, 0, -1, false},
		{"crossed", d, Realistic, 1.50, 1.00, 1, 0, -1, false},
	}
	for _, tt := range tests {
		price, step, ok := tt.s.Sell(tt.m, tt.bid, tt.ask, tt.pen)
		if price != tt.price || step != tt.step || ok != tt.ok {
			t.Errorf("%s: Sell = %v, %d, %v; want %v, %d, %v", tt.name, price, step, ok, tt.price, tt.step, tt.ok)
		}
	}
}

func TestSteppedBuy(t *testing.T) {
	d := DefaultStepped()
	tests := []struct {
		name          string
		s             Stepped
		m             Mode
		bid, ask, pen float64
		price         float64
		step          int
		ok            bool
	}{
		// Ladder 1.25, 1.35, 1.45, 1.50, 1.50.
		{"opt", d, Optimistic, 1.00, 1.50, 1, 1.25, 0, true},
		// reach = 1.25 + 0.15 = 1.40; 1.45 is the first rung at or above it.
		{"real", d, Realistic, 1.00, 1.50, 1, 1.45, 2, true},
		// reach = 1.25 + 0.375 = 1.625 → ask 1.50.
		{"pess", d, Pessimistic, 1.00, 1.50, 1, 1.50, 3, true},
		// Ceiling min(1.50, 1.35) = 1.35; ladder 1.25, 1.35, both below reach 1.40.
		{"exhausted", Stepped{StepPct: 0.2, MaxSteps: 1}, Realistic, 1.00, 1.50, 1, 0, -1, false},
	}
	for _, tt := range tests {
		price, step, ok := tt.s.Buy(tt.m, tt.bid, tt.ask, tt.pen)
		if price != tt.price || step != tt.step || ok != tt.ok {
			t.Errorf("%s: Buy = %v, %d, %v; want %v, %d, %v", tt.name, price, step, ok, tt.price, tt.step, tt.ok)
		}
	}
}

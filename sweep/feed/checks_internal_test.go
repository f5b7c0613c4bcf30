package feed

import (
	"math"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
)

func TestQuoteFlags(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		bid, ask float64
		want     uint8
	}{
		{1.00, 1.10, 0},
		{1.10, 1.00, market.FlagCrossed},
		{1.00, 1.00, market.FlagLocked},
		{0, 0.05, market.FlagZeroBid},
		{0, 0, market.FlagLocked | market.FlagZeroBid}, // 2 + 4 = 6
		{nan, 1.00, market.FlagNoQuote},
		{1.00, nan, market.FlagNoQuote},
	} {
		if got := quoteFlags(tc.bid, tc.ask); got != tc.want {
			t.Errorf("quoteFlags(%v, %v) = %d, want %d", tc.bid, tc.ask, got, tc.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0"}, {12, "12"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-45678, "-45,678"}} {
		if got := thousands(tc.n); got != tc.want {
			t.Errorf("thousands(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// TestCopyRowsDuplicates copies a chain whose days repeat contracts and checks
// that the last of each repeat is kept, the rest counted, and the previous
// session's volume taken from the kept row.
func TestCopyRowsDuplicates(t *testing.T) {
	const exp = 19832 // 2024-04-19
	// Day 0: C100 twice (volumes 1 then 2), P100. Day 1: C100, P100 three
	// times (bids 1, 2, 3), P110.
	ch := &market.Chains{
		Days:         []int32{19786, 19787},
		DayStart:     []int{0, 3, 8},
		Expiration:   []int32{exp, exp, exp, exp, exp, exp, exp, exp},
		PutCall:      []byte{'C', 'C', 'P', 'C', 'P', 'P', 'P', 'P'},
		Strike:       []float64{100, 100, 100, 100, 100, 100, 100, 110},
		Bid:          []float64{5, 6, 4, 5, 1, 2, 3, 9},
		Ask:          []float64{5.5, 6.5, 4.5, 5.5, 1.5, 2.5, 3.5, 9.5},
		Volume:       []int64{1, 2, 3, 4, 5, 6, 7, 8},
		OpenInterest: []int64{-1, -1, -1, -1, -1, -1, -1, -1},
		High:         make([]float64, 8),
		Low:          make([]float64, 8),
		Close:        make([]float64, 8),
		AM:           make([]bool, 8),
		Flags:        make([]uint8, 8),
	}
	b := &builder{opt: DefaultOptions(), settle: map[int32]time.Time{}}
	var c sim.Chain
	var a sim.After
	dec := time.Date(2024, 3, 5, 15, 45, 0, 0, time.UTC)
	var d0, d1 DayCheck
	b.copyRows(&c, &a, ch, 0, -1, dec, &d0)
	b.copyRows(&c, &a, ch, 1, 0, dec, &d1)
	// Day 0: 3 rows, C100 repeated once → 1 duplicate, 2 kept.
	// Day 1: 5 rows, P100 repeated twice → 2 duplicates, 3 kept.
	if d0.Rows != 3 || d0.Duplicates != 1 || d1.Rows != 5 || d1.Duplicates != 2 {
		t.Fatalf("checks %+v %+v; want rows 3 and 5, duplicates 1 and 2", d0, d1)
	}
	// Kept: day 0 rows 1 (C100, bid 6) and 2 (P100); day 1 rows 3 (C100), 6
	// (P100, bid 3, the last) and 7 (P110).
	wantBid := []float64{6, 4, 5, 3, 9}
	// Previous volumes: none on day 0; on day 1 C100 ← the kept C100 of day
	// 0 (volume 2, not 1), P100 ← 3, P110 was not quoted the day before → -1.
	wantPrev := []int64{-1, -1, 2, 3, -1}
	if c.Len() != len(wantBid) {
		t.Fatalf("%d rows on the tape, want %d", c.Len(), len(wantBid))
	}
	for i := range wantBid {
		if c.Bid[i] != wantBid[i] || c.PrevVolume[i] != wantPrev[i] {
			t.Errorf("row %d: bid %v prev volume %d, want %v and %d", i, c.Bid[i], c.PrevVolume[i], wantBid[i], wantPrev[i])
		}
	}
	for i, n := range []int{len(c.Expiration), len(c.PutCall), len(c.AM), len(c.Ask), len(c.Years), len(c.OpenInterest),
		len(c.Flags), len(c.IV), len(c.Delta), len(c.Gamma), len(c.Theta), len(c.Vega),
		len(a.High), len(a.Low), len(a.Close), len(a.Volume)} {
		if n != len(wantBid) {
			t.Errorf("column %d has %d rows, want %d", i, n, len(wantBid))
		}
	}
}

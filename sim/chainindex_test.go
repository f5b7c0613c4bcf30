package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// randomChain returns a sorted chain of about n rows over a few expirations
// from day, with deltas that repeat, are NaN or are signed zeros.
func randomChain(rng *rand.Rand, day int32, n int) Chain {
	var c Chain
	exp := day - 2
	for len(c.Strike) < n {
		exp += int32(1 + rng.IntN(9))
		strikes := 1 + rng.IntN(40)
		for s := range strikes {
			k := 100 + 2.5*float64(s)
			for _, pc := range []byte{Call, Put} {
				for _, am := range []bool{false, true} {
					if am && rng.IntN(4) != 0 {
						continue
					}
					d := math.Round(rng.Float64()*20) / 20 // ties
					switch rng.IntN(10) {
					case 0:
						d = math.NaN()
					case 1:
						d = math.Copysign(0, -1)
					}
					if pc == Put {
						d = -d
					}
					c.Expiration = append(c.Expiration, exp)
					c.Strike = append(c.Strike, k)
					c.PutCall = append(c.PutCall, pc)
					c.AM = append(c.AM, am)
					c.Delta = append(c.Delta, d)
				}
			}
		}
	}
	return c
}

// keepRows returns the rows r of c with r%3 != drop.
func keepRows(c *Chain, drop int) Chain {
	var out Chain
	for r := range c.Len() {
		if r%3 != drop {
			out.Expiration = append(out.Expiration, c.Expiration[r])
			out.Strike = append(out.Strike, c.Strike[r])
			out.PutCall = append(out.PutCall, c.PutCall[r])
			out.AM = append(out.AM, c.AM[r])
			out.Delta = append(out.Delta, c.Delta[r])
		}
	}
	return out
}

// TestChainIndex checks that the index gives what the scans without it give:
// Select's rows, Expiring's range and Find's row, for windows and bands
// inside, across and outside the chain's, empty, inverted and NaN.
func TestChainIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	bands := [][2]float64{{0, 1}, {0.25, 0.35}, {0.3, 0.3}, {0.5, 0.2}, {0, 0}, {math.NaN(), 1}, {0, math.NaN()},
		{-1, 2}, {math.Inf(-1), math.Inf(1)}}
	windows := [][2]int{{0, 0}, {0, 1000}, {3, 10}, {10, 3}, {-5, 2}, {20, 45}, {500, 600}, {-1 << 40, 1 << 40}}
	for trial := range 50 {
		day := int32(19000 + trial)
		plain := randomChain(rng, day, 10+rng.IntN(400))
		if trial == 0 {
			plain = Chain{}
		}
		ix := newChainIndex(&plain)
		fast := plain
		fast.ix = &ix
		if fast.index() == nil {
			t.Fatalf("trial %d: index not used", trial)
		}
		for _, w := range windows {
			lo0, hi0 := plain.Expiring(day, w[0], w[1])
			lo1, hi1 := fast.Expiring(day, w[0], w[1])
			if lo0 != lo1 || hi0 != hi1 {
				t.Errorf("trial %d: Expiring(%v) = %d,%d with the index, %d,%d without", trial, w, lo1, hi1, lo0, hi0)
			}
			for _, b := range bands {
				for _, pc := range []byte{Put, Call, 'X'} {
					want := plain.Select(nil, pc, day, w[0], w[1], b[0], b[1])
					got := fast.Select(nil, pc, day, w[0], w[1], b[0], b[1])
					if !slices.Equal(got, want) {
						t.Errorf("trial %d: Select(%c, %v, %v) = %v with the index, %v without", trial, pc, w, b, got, want)
					}
				}
			}
		}
		for r := range plain.Len() + 20 {
			k := Contract{Expiration: day + int32(rng.IntN(60)), Strike: 100 + 2.5*float64(rng.IntN(45)), PutCall: Put, AM: rng.IntN(3) == 0}
			if r < plain.Len() {
				k = plain.Contract("X", r)
			}
			if rng.IntN(2) == 0 {
				k.PutCall = Call
			}
			if got, want := fast.Find(k), plain.Find(k); got != want {
				t.Errorf("trial %d: Find(%v) = %d with the index, %d without", trial, k, got, want)
			}
		}
	}
}

// TestIndexChainsSnapshot checks that a prepared tape's snapshots carry the
// index of their own day's chain.
func TestIndexChainsSnapshot(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// Two days sharing most contracts, each with some the other lacks.
	base := randomChain(rng, 19000, 120)
	t0, t1 := keepRows(&base, 1), keepRows(&base, 2)
	ch := t0
	ch.Expiration = append(slices.Clip(t0.Expiration), t1.Expiration...)
	ch.Strike = append(slices.Clip(t0.Strike), t1.Strike...)
	ch.PutCall = append(slices.Clip(t0.PutCall), t1.PutCall...)
	ch.AM = append(slices.Clip(t0.AM), t1.AM...)
	ch.Delta = append(slices.Clip(t0.Delta), t1.Delta...)
	n := ch.Len()
	f := func() []float64 { return make([]float64, n) }
	i64 := func() []int64 { return make([]int64, n) }
	ch.Bid, ch.Ask, ch.Years, ch.IV, ch.Gamma, ch.Theta, ch.Vega = f(), f(), f(), f(), f(), f(), f()
	ch.OpenInterest, ch.PrevVolume, ch.Flags = i64(), i64(), make([]uint8, n)
	two := []float64{1, 1}
	tp := &Tape{Days: []int32{19000, 19001}, Times: make([]time.Time, 2), Symbols: []Series{{Symbol: "X", Chain: ch,
		DayStart: []int{0, t0.Len(), ch.Len()}, Spot: two, ATMIV: two, IVRank: two, IVPct: two}}}
	tp.IndexChains()
	var snap Snapshot
	tp.Snapshot(0, &snap)
	c0 := snap.Markets[0].Chain
	tp.Snapshot(1, &snap)
	c1 := snap.Markets[0].Chain
	found := 0
	for r := range t0.Len() + t1.Len() {
		k := t0.Contract("X", r%t0.Len())
		if r >= t0.Len() {
			k = t1.Contract("X", r-t0.Len()) // mostly not in day 0's chain
		}
		l := Leg{Contract: k}
		for day, c := range []*Chain{&c0, &c0, &c1, &c1, &c0} {
			want := t0.Find(k)
			if c == &c1 {
				want = t1.Find(k)
			}
			if got := c.legRow(&l); got != want {
				t.Errorf("legRow(%v) on lookup %d = %d, want %d", k, day, got, want)
			}
		}
		if t1.Find(k) >= 0 && t0.Find(k) >= 0 {
			found++
		}
	}
	if found == 0 {
		t.Error("no contract of day 0 is in day 1's chain: the link is not tested")
	}
	for i, want := range []Chain{t0, t1} {
		tp.Snapshot(i, &snap)
		c := &snap.Markets[0].Chain
		if c.index() == nil {
			t.Fatalf("day %d: snapshot chain has no index", i)
		}
		for r := range want.Len() {
			if got := c.Find(want.Contract("X", r)); got != r {
				t.Errorf("day %d: Find(row %d) = %d", i, r, got)
			}
		}
	}
}

// TestText checks the renderings without fmt against fmt's.
func TestText(t *testing.T) {
	for d := int32(-800_000); d < 3_000_000; d += 7 {
		if got, want := DayString(d), DayTime(d).Format(time.DateOnly); got != want {
			t.Fatalf("DayString(%d) = %s, want %s", d, got, want)
		}
	}
	for _, d := range []int32{math.MinInt32, math.MaxInt32, -719162, -719163, 2932896, 2932897, 0, -1} {
		if got, want := DayString(d), DayTime(d).Format(time.DateOnly); got != want {
			t.Errorf("DayString(%d) = %s, want %s", d, got, want)
		}
	}
	for _, v := range []float64{0, math.Copysign(0, -1), 1.005, -2.675, 1e21, math.NaN(), math.Inf(1), math.Inf(-1), 123.456789} {
		if got, want := bracketText("high ", v, " ≥ ", -v, v/3), fmt.Sprintf("high %.2f ≥ %.2f; bought at %.2f", v, -v, v/3); got != want {
			t.Errorf("bracketText(%v) = %q, want %q", v, got, want)
		}
		for _, n := range []int{0, 5, -100} {
			if got, want := string(appendSigned(appendFixed(nil, v, 4), n)), fmt.Sprintf("%.4f%+d", v, n); got != want {
				t.Errorf("appendFixed, appendSigned(%v, %d) = %q, want %q", v, n, got, want)
			}
		}
	}
	for _, c := range []Contract{{"SPY", 19800, Put, 480, false}, {"SPX", 19801, Call, 4512.5, true}, {"X", -5, 'Z', math.NaN(), false}} {
		want := fmt.Sprintf("%s %s %c %g", c.Underlying, DayTime(c.Expiration).Format(time.DateOnly), c.PutCall, c.Strike)
		if c.AM {
			want += " AM"
		}
		if got := c.String(); got != want {
			t.Errorf("Contract.String() = %q, want %q", got, want)
		}
	}
}

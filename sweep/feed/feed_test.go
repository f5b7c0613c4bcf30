package feed_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/ingest/synth/synthtest"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy/wheel"
	"github.com/optsweep/sweep/sweep/feed"
)

// shared is the "small" synthetic market, generated and ingested once.
var shared = synthtest.Shared{Preset: "small"}

func TestMain(m *testing.M) {
	code := m.Run()
	shared.Close()
	longer.Close()
	os.Exit(code)
}

// smallStore is the shared small market.
func smallStore(t *testing.T) *market.Store { return shared.Store(t) }

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func load(t *testing.T) *sim.Tape {
	t.Helper()
	tp, st, err := feed.Load(context.Background(), smallStore(t), []string{"SPY", "AAPL", "SPX"},
		day("2024-01-02"), day("2024-03-28"), feed.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if st.Contracts == 0 || float64(st.NoIV) > 0.2*float64(st.Contracts) {
		t.Errorf("stats %+v: too many contracts without IV", st)
	}
	return tp
}

func TestLoad(t *testing.T) {
	tp := load(t)
	if len(tp.Symbols) != 3 || tp.Symbols[0].Symbol != "AAPL" || !tp.Symbols[1].Cash {
		t.Fatalf("symbols %v", tp.Symbols)
	}
	for k := range tp.Symbols {
		s := &tp.Symbols[k]
		for i, d := range tp.Days {
			// The generator prices the 15:45 snapshot on the close, so the spot
			// implied by parity must sit on it.
			c := closeOn(&s.Bars, d)
			if math.IsNaN(c) || math.Abs(s.Spot[i]/c-1) > 0.003 {
				t.Errorf("%s %s: implied spot %.3f, close %.3f", s.Symbol, sim.DayString(d), s.Spot[i], c)
			}
			if iv := s.ATMIV[i]; !(iv > 0.03 && iv < 1.5) {
				t.Errorf("%s %s: ATM IV %v", s.Symbol, sim.DayString(d), iv)
			}
		}
		// Deltas of puts lie in (−1, 0), of calls in (0, 1).
		c := &s.Chain
		for r := range c.Strike {
			if d := c.Delta[r]; !math.IsNaN(d) && ((c.PutCall[r] == sim.Put) != (d < 0) || math.Abs(d) >= 1) {
				t.Fatalf("%s row %d: %c delta %v", s.Symbol, r, c.PutCall[r], d)
			}
		}
	}
}

func closeOn(b *sim.Bars, d int32) float64 {
	for i, x := range b.Days {
		if x == d {
			return b.Close[i]
		}
	}
	return math.NaN()
}

// recorder records every order a strategy gives, by day.
type recorder struct {
	s   sim.Strategy
	log map[int32]string
}

func (r *recorder) Step(snap *sim.Snapshot, b *sim.Book) ([]sim.Order, error) {
	o, err := r.s.Step(snap, b)
	r.log[snap.Day] = fmt.Sprintf("%+v", o)
	return o, err
}

// TestNoLookAhead changes every value stamped after the decision time of day
// k (the session's option bars and underlying close, and everything of later
// days) and shows that no decision up to day k changes.
func TestNoLookAhead(t *testing.T) {
	for _, k := range []int{10, 30} {
		base := run(t, load(t))
		tp := load(t)
		perturb(tp, k, rand.New(rand.NewPCG(1, uint64(k))))
		got := run(t, tp)
		changed := false
		for i, d := range tp.Days {
			if i <= k && got[d] != base[d] {
				t.Errorf("k=%d: decision on %s changed:\n%s\n%s", k, sim.DayString(d), base[d], got[d])
			}
			changed = changed || got[d] != base[d]
		}
		if !changed {
			t.Errorf("k=%d: perturbing the future changed nothing at all; the test proves nothing", k)
		}
	}
}

func run(t *testing.T, tp *sim.Tape) map[int32]string {
	t.Helper()
	cfg := wheel.Default()
	cfg.DTEMin, cfg.DTEMax, cfg.MaxPerDay = 20, 60, 2
	w, err := wheel.New(cfg, sim.DefaultConfig().Liquidity)
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{s: w, log: map[int32]string{}}
	if _, err := sim.Run(tp, r, sim.DefaultConfig()); err != nil && !strings.Contains(err.Error(), "no underlying price") {
		t.Fatal(err)
	}
	return r.log
}

func perturb(tp *sim.Tape, k int, rng *rand.Rand) {
	dk := tp.Days[k]
	jitter := func(x []float64) {
		for i := range x {
			x[i] *= 0.5 + rng.Float64()
		}
	}
	barsAfter := func(b *sim.Bars) {
		for i, d := range b.Days {
			if d >= dk { // the close, high and low of day k are stamped at 16:00
				b.Close[i] *= 0.5 + rng.Float64()
				b.High[i] *= 0.5 + rng.Float64()
				b.Low[i] *= 0.5 + rng.Float64()
				if d > dk {
					b.Open[i] *= 0.5 + rng.Float64()
				}
			}
		}
	}
	barsAfter(&tp.VIX)
	barsAfter(&tp.VIX3M)
	for s := range tp.Symbols {
		ser := &tp.Symbols[s]
		barsAfter(&ser.Bars)
		lo := ser.DayStart[k]
		jitter(ser.After.High[lo:])
		jitter(ser.After.Low[lo:])
		jitter(ser.After.Close[lo:])
		for i := range ser.After.Volume[lo:] {
			ser.After.Volume[lo+i] = rng.Int64N(1000)
		}
		next := ser.DayStart[k+1]
		c := &ser.Chain
		for _, col := range [][]float64{c.Bid, c.Ask, c.IV, c.Delta, c.Gamma, c.Theta, c.Vega} {
			jitter(col[next:])
		}
		for i := range c.OpenInterest[next:] {
			c.OpenInterest[next+i] = rng.Int64N(1000)
			c.PrevVolume[next+i] = rng.Int64N(1000)
		}
		jitter(ser.Spot[k+1:])
		jitter(ser.ATMIV[k+1:])
	}
	if err := tp.Prepare(); err != nil {
		panic(err)
	}
}

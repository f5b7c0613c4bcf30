package feed_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/ingest/synth"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
	"github.com/optsweep/sweep/sweep/feed"
)

// TestIntradaySteps loads two days of synthetic SPX with minute quotes of the
// 0DTE chains, sampled every 30 minutes: the steps run from 10:00 to 15:30
// (12 a day: the decision at 15:45 is daily, the 09:30 open has no quotes
// yet), each with a chain of same-day contracts only, a spot implied from it
// within 5% of the daily one, and deltas of the right sign from their own
// quotes (the small preset's narrow 0DTE chains end up deep in the money by
// the afternoon, where many mids carry no time value to invert).
func TestIntradaySteps(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg, err := synth.Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Symbols, cfg.Intraday, cfg.OutDir = []string{"SPX"}, true, dir
	cfg.From, cfg.To = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	m, err := synth.Generate(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := market.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, p := range m.Paths(dir, "") {
		if _, err := st.Ingest(ctx, p, market.Options{Intraday: true}); err != nil {
			t.Fatal(err)
		}
	}
	opt := feed.DefaultOptions()
	opt.IntradayEvery = 30 * time.Minute
	tape, _, err := feed.Load(ctx, st, []string{"SPX"}, cfg.From, cfg.To, opt)
	if err != nil {
		t.Fatal(err)
	}
	ny := calendar.NewYork()
	for i, day := range tape.Days {
		lo, hi := tape.Steps(i)
		if hi-lo != 12 {
			t.Fatalf("%s: %d steps, want 12", sim.DayString(day), hi-lo)
		}
		if got := tape.StepTimes[lo].In(ny).Format("15:04"); got != "10:00" {
			t.Errorf("first step %s, want 10:00", got)
		}
		if got := tape.StepTimes[hi-1].In(ny).Format("15:04"); got != "15:30" {
			t.Errorf("last step %s, want 15:30", got)
		}
		var snap sim.Snapshot
		for j := lo; j < hi; j++ {
			tape.IntradaySnapshot(i, j, &snap)
			mk := snap.Market("SPX")
			c := &mk.Chain
			if c.Len() == 0 {
				t.Fatalf("step %s: empty chain", snap.Time)
			}
			if d := math.Abs(mk.Spot - tape.Symbols[0].Spot[i]); !(d < 0.05*tape.Symbols[0].Spot[i]) {
				t.Errorf("step %s: spot %g vs daily %g", snap.Time, mk.Spot, tape.Symbols[0].Spot[i])
			}
			withDelta := 0
			for r := 0; r < c.Len(); r++ {
				if c.Expiration[r] != day || c.AM[r] {
					t.Fatalf("step %s: row %d is not a same-day PM contract", snap.Time, r)
				}
				if d := c.Delta[r]; !math.IsNaN(d) {
					withDelta++
					if (c.PutCall[r] == sim.Put) != (d < 0) || math.Abs(d) > 1 {
						t.Errorf("step %s: %c %g delta %g", snap.Time, c.PutCall[r], c.Strike[r], d)
					}
				}
			}
			if withDelta == 0 {
				t.Errorf("step %s: %d of %d rows have a delta", snap.Time, withDelta, c.Len())
			}
		}
	}
}

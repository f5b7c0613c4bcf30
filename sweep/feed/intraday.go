package feed

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
	"github.com/optsweep/sweep/sim/greeks"
)

// loadIntraday gives t intraday steps every opt.IntradayEvery from the
// store's minute quotes (option_intraday): the step times are the sampled
// minutes, from the open to before each day's decision, at which any symbol
// has quotes; each symbol's chain at a step holds that minute's quotes with
// greeks at their implied volatilities and the spot implied from them.
func loadIntraday(ctx context.Context, st *market.Store, t *sim.Tape, opt Options) error {
	quotes := make([]market.IntradayQuotes, len(t.Symbols))
	var times []int64
	for k := range t.Symbols {
		q := &quotes[k]
		if err := st.LoadIntraday(ctx, t.Symbols[k].Symbol, sim.DayTime(t.Days[0]), sim.DayTime(t.Days[len(t.Days)-1]),
			opt.IntradayEvery, q); err != nil {
			return fmt.Errorf("feed: %w", err)
		}
		for _, tm := range q.Times {
			times = append(times, tm.UnixMilli())
		}
	}
	slices.Sort(times)
	times = slices.Compact(times)
	ny := calendar.NewYork()
	t.StepTimes, t.StepDay = t.StepTimes[:0], []int{0}
	j := 0
	for i, day := range t.Days {
		open := calendar.OpenTime(sim.DayTime(day))
		for ; j < len(times); j++ {
			tm := time.UnixMilli(times[j]).In(ny)
			d := sim.DayOf(tm)
			if d > day {
				break
			}
			if d == day && tm.After(open) && tm.Before(t.Times[i]) {
				t.StepTimes = append(t.StepTimes, tm)
			}
		}
		t.StepDay = append(t.StepDay, len(t.StepTimes))
	}
	b := &builder{opt: opt, settle: map[int32]time.Time{}}
	for k := range t.Symbols {
		if quotes[k].Len() > 0 {
			b.intraday(&t.Symbols[k], t.StepTimes, &quotes[k])
		}
	}
	return nil
}

// intraday fills s.Intra with q's quotes at each of the tape's steps.
func (b *builder) intraday(s *sim.Series, steps []time.Time, q *market.IntradayQuotes) {
	d := &s.Intra
	c := &d.Chain
	*d = sim.Intraday{Start: make([]int, 0, len(steps)+1), Spot: make([]float64, 0, len(steps))}
	d.Start = append(d.Start, 0)
	at := 0 // q.Times[at] is the first sample not before the step
	for _, tm := range steps {
		for at < len(q.Times) && q.Times[at].Before(tm) {
			at++
		}
		spot := math.NaN()
		if at < len(q.Times) && q.Times[at].Equal(tm) {
			base := c.Len()
			for r := q.Start[at]; r < q.Start[at+1]; r++ {
				b.appendIntraday(c, q, r, tm)
			}
			spot = impliedSpotFrom(c, base, b.opt, 0, func(r int) bool { return oneSided(c, r) })
			if !math.IsNaN(spot) {
				b.greeks(c, base, spot, s.Cash)
			}
		}
		d.Spot = append(d.Spot, spot)
		d.Start = append(d.Start, c.Len())
	}
}

// oneSided reports whether row r has an ask and a bid that is not above it
// (a zero bid counts).
func oneSided(c *sim.Chain, r int) bool {
	b, a := c.Bid[r], c.Ask[r]
	return a > 0 && !math.IsInf(a, 0) && b >= 0 && b <= a
}

// appendIntraday appends row r of q, quoted at tm, to c: PM-settled, with
// its data-quality flags and unknown open interest, volume and greeks.
func (b *builder) appendIntraday(c *sim.Chain, q *market.IntradayQuotes, r int, tm time.Time) {
	exp := q.Expiration[r]
	c.Expiration = append(c.Expiration, exp)
	c.PutCall = append(c.PutCall, q.PutCall[r])
	c.Strike = append(c.Strike, q.Strike[r])
	c.AM = append(c.AM, false)
	c.Bid = append(c.Bid, q.Bid[r])
	c.Ask = append(c.Ask, q.Ask[r])
	c.Years = append(c.Years, b.settlement(exp, false).Sub(tm).Hours()/24/greeks.DaysPerYear)
	c.OpenInterest = append(c.OpenInterest, -1)
	c.PrevVolume = append(c.PrevVolume, -1)
	c.Flags = append(c.Flags, market.QuoteFlags(q.Bid[r], q.Ask[r]))
	for _, col := range []*[]float64{&c.IV, &c.Delta, &c.Gamma, &c.Theta, &c.Vega} {
		*col = append(*col, math.NaN())
	}
}

package feed

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/ingest/osi"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
)

// A Stream loads a window's tape a block of trading days at a time, so that a
// reader holds the chains of the days in flight rather than of the whole
// window: memory grows with the symbols and the block, not with the window.
// Each block is a sim.Tape whose First is the block's first day; its per-day
// series (spot, ATM IV, IV rank and percentile) and the bars, VIX and events
// cover the window from its first day, so indicators and IV rank lookbacks
// read the same history as on the whole tape, and a sim.Backtest advanced
// through the blocks in order gives the Result that sim.Run gives on the tape
// Load returns. A Stream has no intraday steps and does not use the cache.
//
// Next is called from one goroutine; the tapes it returns may be read
// concurrently by any number of runs, also while Next builds the next block.
type Stream struct {
	st       *market.Store
	opt      Options
	block    int
	parallel int
	base     sim.Tape // the window: days, VIX, events; per symbol its bars and the per-day series so far
	next     int      // first day of the next block
	stats    Stats
}

// StreamOptions size a Stream.
type StreamOptions struct {
	Days     int // trading days a block; default 21 (about a month)
	Parallel int // symbols loaded at once; default 1
}

// OpenStream prepares a Stream of symbols' data over [from, to] from st: it
// loads the bars (with opt.HistoryDays of history), VIX, VIX3M and the event
// schedule, which are small; Next loads the chains. A symbol without bars in
// the window and without chains is an error, as Load's.
func OpenStream(ctx context.Context, st *market.Store, symbols []string, from, to time.Time, opt Options, so StreamOptions) (*Stream, error) {
	if opt.IntradayEvery > 0 {
		return nil, fmt.Errorf("feed: a streamed window has no intraday steps (load the whole tape for intraday strategies)")
	}
	if so.Days <= 0 {
		so.Days = 21
	}
	s := &Stream{st: st, opt: opt, block: so.Days, parallel: max(so.Parallel, 1)}
	start := time.Now()
	t := &s.base
	for _, d := range calendar.TradingDays(from, to) {
		t.Days = append(t.Days, sim.DayOf(d))
		t.Times = append(t.Times, calendar.CloseTime(d).Add(-opt.SnapshotLead))
	}
	n := len(t.Days)
	if n == 0 {
		return nil, fmt.Errorf("feed: no trading days in %s..%s", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	s.stats.Days = n
	histFrom := from.AddDate(0, 0, -opt.HistoryDays)
	var err error
	if t.VIX, err = bars(ctx, st, "VIX", histFrom, to); err != nil {
		return nil, err
	}
	if t.VIX3M, err = bars(ctx, st, "VIX3M", histFrom, to); err != nil {
		return nil, err
	}
	syms := append([]string(nil), symbols...)
	sort.Strings(syms)
	evs, err := st.LoadEvents(ctx, from.AddDate(0, 0, -7), to.AddDate(0, 0, opt.EventDays), syms...)
	if err != nil {
		return nil, fmt.Errorf("feed: events: %w", err)
	}
	for _, e := range evs {
		t.Events = append(t.Events, sim.Event{Symbol: e.Symbol, Day: sim.DayOf(e.Date), Kind: e.Kind, Amount: e.Amount})
	}
	var ch market.Chains
	for _, sym := range syms {
		b, err := bars(ctx, st, sym, histFrom, to)
		if err != nil {
			return nil, err
		}
		if !barsIn(b.Days, sim.DayOf(from), sim.DayOf(to)) { // history alone is no data: are there chains?
			if err := st.LoadChains(ctx, sym, from, to, &ch); err != nil {
				return nil, fmt.Errorf("feed: %s chains: %w", sym, err)
			}
			if len(ch.Days) == 0 {
				return nil, fmt.Errorf("feed: no data for %s in %s..%s (ingest it first)", sym, from.Format(time.DateOnly), to.Format(time.DateOnly))
			}
		}
		t.Symbols = append(t.Symbols, sim.Series{Symbol: sym, Cash: osi.European(sym), Bars: b,
			Spot: make([]float64, 0, n), ATMIV: make([]float64, 0, n),
			IVRank: make([]float64, 0, n), IVPct: make([]float64, 0, n)})
	}
	s.stats.LoadTime = time.Since(start)
	return s, nil
}

// Days returns the number of trading days of the window.
func (s *Stream) Days() int { return len(s.base.Days) }

// Next returns the next block of days, or io.EOF after the last.
func (s *Stream) Next(ctx context.Context) (*sim.Tape, error) {
	lo := s.next
	if lo >= len(s.base.Days) {
		return nil, io.EOF
	}
	hi := min(lo+s.block, len(s.base.Days))
	b := &s.base
	t := &sim.Tape{Days: b.Days[:hi:hi], Times: b.Times[:hi:hi], VIX: b.VIX, VIX3M: b.VIX3M, Events: b.Events, First: lo,
		Symbols: make([]sim.Series, len(b.Symbols))}
	from := sim.DayTime(b.Days[max(lo-1, 0)]) // a day early, for the previous session's volumes
	to := sim.DayTime(b.Days[hi-1])
	stats := make([]Stats, len(b.Symbols))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.parallel)
	for k := range b.Symbols {
		g.Go(func() error {
			base := &b.Symbols[k]
			ser := &t.Symbols[k]
			*ser = sim.Series{Symbol: base.Symbol, Cash: base.Cash, Bars: base.Bars,
				Spot: base.Spot, ATMIV: base.ATMIV, IVRank: base.IVRank, IVPct: base.IVPct}
			var ch market.Chains
			t0 := time.Now()
			if err := s.st.LoadChains(gctx, base.Symbol, from, to, &ch); err != nil {
				return fmt.Errorf("feed: %s chains: %w", base.Symbol, err)
			}
			g0 := time.Now()
			build(ser, t, &ch, s.opt, &stats[k])
			stats[k].GreeksTime += time.Since(g0)
			stats[k].LoadTime += g0.Sub(t0)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := t.Prepare(); err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	for k := range b.Symbols {
		ser, base := &t.Symbols[k], &b.Symbols[k]
		base.Spot, base.ATMIV, base.IVRank, base.IVPct = ser.Spot, ser.ATMIV, ser.IVRank, ser.IVPct
		s.stats.add(&stats[k])
	}
	s.next = hi
	return t, nil
}

// Stats returns what the blocks so far found, with Load's totals and its
// Checks by symbol then day; the times are summed over symbols.
func (s *Stream) Stats() Stats {
	st := s.stats
	st.Checks = append([]DayCheck(nil), st.Checks...)
	sort.SliceStable(st.Checks, func(i, j int) bool { return st.Checks[i].Symbol < st.Checks[j].Symbol })
	return st
}

// add adds o's counts, checks and times to s.
func (s *Stats) add(o *Stats) {
	s.Contracts += o.Contracts
	s.NoIV += o.NoIV
	s.SpotFromOpen += o.SpotFromOpen
	s.MissingSpot += o.MissingSpot
	s.EmptyChains += o.EmptyChains
	s.GreeksTime += o.GreeksTime
	s.LoadTime += o.LoadTime
	s.Crossed += o.Crossed
	s.Locked += o.Locked
	s.ZeroBid += o.ZeroBid
	s.NoQuote += o.NoQuote
	s.Duplicates += o.Duplicates
	s.MissingBars += o.MissingBars
	s.Checks = append(s.Checks, o.Checks...)
}

// Package feed loads a sim.Tape from the market store: for a symbol set and a
// date range, each trading day's option chains with greeks and implied
// volatilities (computed once per chain, from the mid), the underlying's price
// at the decision time, bar history, VIX, VIX3M and the event schedule. It does
// the I/O so that sim does none.
package feed

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/ingest/osi"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
)

// Options are the data and model settings of a tape. Greeks depend on them and
// on the data only, never on a strategy's parameters.
type Options struct {
	Rate         float64       // risk-free rate, continuously compounded (the seeds use 0.04)
	Dividend     float64       // continuous dividend yield of every underlying
	American     bool          // value equity options as American (Bjerksund-Stensland 2002); slower
	HistoryDays  int           // calendar days of bars loaded before the first day, for indicators
	EventDays    int           // calendar days of the event schedule loaded after the last day
	SnapshotLead time.Duration // decision time before the close (15m: 15:45 ET)
	// IntradayEvery, when positive, adds intraday steps sampled from the
	// store's minute quotes every so often (whole minutes) before each daily
	// decision, for strategies that trade within the session (0DTE).
	IntradayEvery time.Duration
}

// DefaultOptions returns the seeds' model: r = 4 %, no dividend yield,
// European Black-Scholes-Merton on the mid (py_vollib's model), 400 days of
// history, 120 days of events ahead, decisions at 15:45 ET.
func DefaultOptions() Options {
	return Options{Rate: 0.04, HistoryDays: 400, EventDays: 120, SnapshotLead: 15 * time.Minute}
}

// Model returns the settings greeks depend on as text, for cell keys:
// "rate=0.04 dividend=0 american=false".
func (o Options) Model() string {
	return fmt.Sprintf("rate=%g dividend=%g american=%t", o.Rate, o.Dividend, o.American)
}

// Stats counts what loading found.
type Stats struct {
	Days, Contracts int
	NoIV            int // contracts without an implied volatility (no two-sided quote, or below intrinsic)
	SpotFromOpen    int // days whose spot came from the open (no call/put pair to imply it)
	MissingSpot     int // days without any spot (no chain and no bar)
	EmptyChains     int // symbol-days without a chain
	GreeksTime      time.Duration
	LoadTime        time.Duration

	// Data checks, totalled over every symbol-day (see DayCheck): rows on
	// the tape flagged crossed, locked, zero-bid or no-quote (excluded from
	// selection by sim.Chain.Quoted), duplicate rows dropped, and symbol-days
	// without an underlying bar.
	Crossed, Locked, ZeroBid, NoQuote, Duplicates int
	MissingBars                                   int
	// Checks holds the symbol-days with at least one problem, by symbol then
	// day.
	Checks []DayCheck
}

// Load reads symbols' data over [from, to] from st into a prepared Tape.
func Load(ctx context.Context, st *market.Store, symbols []string, from, to time.Time, opt Options) (*sim.Tape, Stats, error) {
	var stats Stats
	start := time.Now()
	syms := append([]string(nil), symbols...)
	sort.Strings(syms)
	t := &sim.Tape{}
	for _, d := range calendar.TradingDays(from, to) {
		t.Days = append(t.Days, sim.DayOf(d))
		t.Times = append(t.Times, calendar.CloseTime(d).Add(-opt.SnapshotLead))
	}
	if len(t.Days) == 0 {
		return nil, stats, fmt.Errorf("feed: no trading days in %s..%s", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	stats.Days = len(t.Days)
	histFrom := from.AddDate(0, 0, -opt.HistoryDays)
	var err error
	if t.VIX, err = bars(ctx, st, "VIX", histFrom, to); err != nil {
		return nil, stats, err
	}
	if t.VIX3M, err = bars(ctx, st, "VIX3M", histFrom, to); err != nil {
		return nil, stats, err
	}
	evs, err := st.LoadEvents(ctx, from.AddDate(0, 0, -7), to.AddDate(0, 0, opt.EventDays), syms...)
	if err != nil {
		return nil, stats, fmt.Errorf("feed: events: %w", err)
	}
	for _, e := range evs {
		t.Events = append(t.Events, sim.Event{Symbol: e.Symbol, Day: sim.DayOf(e.Date), Kind: e.Kind, Amount: e.Amount})
	}
	var ch market.Chains
	for _, sym := range syms {
		if err := st.LoadChains(ctx, sym, from, to, &ch); err != nil {
			return nil, stats, fmt.Errorf("feed: %s chains: %w", sym, err)
		}
		b, err := bars(ctx, st, sym, histFrom, to)
		if err != nil {
			return nil, stats, err
		}
		if len(ch.Days) == 0 && !barsIn(b.Days, sim.DayOf(from), sim.DayOf(to)) { // history alone is no data
			return nil, stats, fmt.Errorf("feed: no data for %s in %s..%s (ingest it first)", sym, from.Format(time.DateOnly), to.Format(time.DateOnly))
		}
		s := sim.Series{Symbol: sym, Cash: osi.European(sym), Bars: b}
		g0 := time.Now()
		build(&s, t, &ch, opt, &stats)
		stats.GreeksTime += time.Since(g0)
		t.Symbols = append(t.Symbols, s)
	}
	if opt.IntradayEvery > 0 {
		g0 := time.Now()
		if err := loadIntraday(ctx, st, t, opt); err != nil {
			return nil, stats, err
		}
		stats.GreeksTime += time.Since(g0)
	}
	if err := t.Prepare(); err != nil {
		return nil, stats, fmt.Errorf("feed: %w", err)
	}
	stats.LoadTime = time.Since(start) - stats.GreeksTime
	return t, stats, nil
}

// barsIn reports whether a bar falls on a day in [from, to].
func barsIn(days []int32, from, to int32) bool {
	for _, d := range days {
		if d >= from && d <= to {
			return true
		}
	}
	return false
}

func bars(ctx context.Context, st *market.Store, sym string, from, to time.Time) (sim.Bars, error) {
	var b market.Bars
	if err := st.LoadBars(ctx, sym, from, to, &b); err != nil {
		return sim.Bars{}, fmt.Errorf("feed: %s bars: %w", sym, err)
	}
	return sim.Bars{Days: b.Days, Open: b.Open, High: b.High, Low: b.Low, Close: b.Close}, nil
}

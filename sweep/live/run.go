package live

import (
	"context"
	"fmt"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
	slive "github.com/optsweep/sweep/sim/live"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
)

// Options are what a live run needs.
type Options struct {
	Run     Run
	Built   *strategy.Built
	Store   *market.Store
	Journal *Journal
	Broker  slive.Broker
	Model   feed.Options
	Limits  slive.Limits
	Dry     bool
	Adopt   bool
	Kill    func() bool
	Pause   func(ctx context.Context) error
}

// Outcome is what a run did.
type Outcome struct {
	Ticks    []*slive.Record // the records this process committed
	Replayed int             // journal records replayed to rebuild the state
	Already  bool            // the decision time was already in the journal: nothing done
	Result   *sim.Result     // the whole run so far, in the backtest's form
	Backtest *sim.Result     // Replay only: the backtest of the same tape
	Book     *sim.Book
	Stopped  string
}

// LastDay returns the last trading day the store holds quotes of every
// symbol for.
func LastDay(ctx context.Context, st *market.Store, symbols []string) (time.Time, error) {
	var last time.Time
	for _, s := range symbols {
		var d *time.Time
		if err := st.DB().QueryRowContext(ctx, `SELECT max(trade_date) FROM option_quotes WHERE underlying = ?`, s).Scan(&d); err != nil {
			return time.Time{}, fmt.Errorf("market store %s: %w", st.Path(), err)
		}
		if d == nil {
			return time.Time{}, fmt.Errorf("market store %s holds no quotes of %s", st.Path(), s)
		}
		if last.IsZero() || d.Before(last) {
			last = *d
		}
	}
	return last.UTC(), nil
}

func (o *Options) driver(md slive.MarketData) (*slive.Driver, error) {
	return slive.New(slive.Config{Instance: o.Run.ID, Exec: o.Built.Exec, Limits: o.Limits, Dry: o.Dry, Adopt: o.Adopt,
		Kill: o.Kill, Pause: o.Pause}, o.Built.Strategy, o.Broker, md, o.Journal)
}

// Once runs the daily decision of session at from the market store: it
// replays the run's journal (rebuilding the book and the strategy's state,
// sending nothing), runs the new decision, and ends the session when the
// store holds its close. A decision time already journaled is not run again.
func Once(ctx context.Context, o Options, at time.Time) (*Outcome, error) {
	return once(ctx, o, at, func(ticks []slive.Tick) (slive.Tick, error) { return ticks[len(ticks)-1], nil })
}

// OnceAt runs decision time t from the market store as Once runs a daily
// decision: t is a daily decision or an intraday step (the store's minute
// quotes must hold that minute, with Options.Model.IntradayEvery the
// strategy's step). The session ends after its daily decision.
func OnceAt(ctx context.Context, o Options, t slive.Tick) (*Outcome, error) {
	return once(ctx, o, sim.DayTime(t.Day), func(ticks []slive.Tick) (slive.Tick, error) {
		for _, k := range ticks {
			if k.Day == t.Day && k.Daily == t.Daily && (t.Daily || k.Time.Equal(t.Time)) {
				return k, nil
			}
		}
		return slive.Tick{}, fmt.Errorf("live: market store %s has no quotes at %s for %v", o.Store.Path(),
			t.Time.In(calendar.NewYork()).Format("2006-01-02 15:04 MST"), o.Run.Symbols)
	})
}

// once runs the decision time pick chooses among session at's.
func once(ctx context.Context, o Options, at time.Time, pick func([]slive.Tick) (slive.Tick, error)) (*Outcome, error) {
	if err := o.Journal.Use(ctx, o.Run); err != nil {
		return nil, err
	}
	done, pending, err := o.Journal.Past(ctx)
	if err != nil {
		return nil, err
	}
	start := at
	if len(done) > 0 {
		start = sim.DayTime(done[0].Tick.Day)
	} else if len(pending) > 0 {
		start = sim.DayTime(pending[0].Day)
	}
	if !calendar.IsTradingDay(at) {
		return nil, fmt.Errorf("live: %s is not a trading day", at.Format(time.DateOnly))
	}
	if last, err := LastDay(ctx, o.Store, o.Run.Symbols); err != nil {
		return nil, err
	} else if at.After(last) {
		return nil, fmt.Errorf("live: market store %s has no session on %s for %v (its last is %s)", o.Store.Path(),
			at.Format(time.DateOnly), o.Run.Symbols, last.Format(time.DateOnly))
	}
	if at.Before(start) {
		return nil, fmt.Errorf("live: %s is before the run's first session %s", at.Format(time.DateOnly), start.Format(time.DateOnly))
	}
	tape, _, err := feed.Load(ctx, o.Store, o.Run.Symbols, start, at, o.Model)
	if err != nil {
		return nil, err
	}
	if n := len(tape.Days); n == 0 || tape.Days[n-1] != sim.DayOf(at) {
		return nil, fmt.Errorf("live: market store %s has no session on %s for %v", o.Store.Path(), at.Format(time.DateOnly), o.Run.Symbols)
	}
	md := slive.TapeData{Tape: tape}
	var day []slive.Tick
	for _, t := range md.Ticks() {
		if t.Day == sim.DayOf(at) {
			day = append(day, t)
		}
	}
	last, err := pick(day)
	if err != nil {
		return nil, err
	}
	d, err := o.driver(md)
	if err != nil {
		return nil, err
	}
	if err := d.Recover(ctx); err != nil {
		return nil, err
	}
	out := &Outcome{Replayed: len(done), Book: d.Book()}
	for _, r := range done {
		if r.Kind == slive.KindTick && r.Tick.Day == last.Day && r.Tick.Step == last.Step {
			out.Already = true
		}
	}
	for _, t := range pending { // finished by Recover
		if t.Day == last.Day && t.Step == last.Step {
			out.Already = true
		}
	}
	if !out.Already {
		rec, err := d.Tick(ctx, last)
		if rec != nil {
			out.Ticks = append(out.Ticks, rec)
		}
		if err != nil {
			return out, err
		}
	}
	if day, open := d.SessionOpen(); open && day == last.Day && last.Daily {
		rec, err := d.EndSession(ctx, day)
		if err != nil {
			return out, err
		}
		out.Ticks = append(out.Ticks, rec)
	}
	out.Result, out.Stopped = d.Result(), d.Stopped()
	return out, nil
}

// Replay drives the live loop through every session of the store from from
// to to, as if each were live (the paper broker filling at the fill model's
// prices), journaling it under the run, and runs the backtest of the same
// tape beside it for comparison.
func Replay(ctx context.Context, o Options, from, to time.Time, backtest *strategy.Built) (*Outcome, error) {
	if err := o.Journal.Use(ctx, o.Run); err != nil {
		return nil, err
	}
	if done, pending, err := o.Journal.Past(ctx); err != nil {
		return nil, err
	} else if len(done)+len(pending) > 0 {
		return nil, fmt.Errorf("live: the journal already holds run %s: replay into a new --name or journal", o.Run.ID)
	}
	if last, err := LastDay(ctx, o.Store, o.Run.Symbols); err != nil {
		return nil, err
	} else if to.After(last) {
		return nil, fmt.Errorf("live: replay to %s: market store %s ends on %s for %v", to.Format(time.DateOnly), o.Store.Path(),
			last.Format(time.DateOnly), o.Run.Symbols)
	}
	tape, _, err := feed.Load(ctx, o.Store, o.Run.Symbols, from, to, o.Model)
	if err != nil {
		return nil, err
	}
	md := slive.TapeData{Tape: tape}
	d, err := o.driver(md)
	if err != nil {
		return nil, err
	}
	if err := slive.Replay(ctx, d, md); err != nil {
		return nil, err
	}
	out := &Outcome{Result: d.Result(), Book: d.Book(), Stopped: d.Stopped()}
	if backtest != nil {
		if out.Backtest, err = sim.Run(tape, backtest.Strategy, backtest.Exec); err != nil {
			return out, err
		}
	}
	return out, nil
}

// Same reports whether two runs made the same orders and fills: the same
// trades, book events, order counts and daily equity. It returns the first
// difference.
func Same(a, b *sim.Result) (bool, string) {
	switch {
	case a.Orders != b.Orders || a.Rejected != b.Rejected:
		return false, fmt.Sprintf("orders %d/%d rejected, against %d/%d", a.Orders, a.Rejected, b.Orders, b.Rejected)
	case len(a.Trades) != len(b.Trades):
		return false, fmt.Sprintf("%d trades against %d", len(a.Trades), len(b.Trades))
	case len(a.Events) != len(b.Events):
		return false, fmt.Sprintf("%d events against %d", len(a.Events), len(b.Events))
	}
	for i := range a.Trades {
		if x, y := fmt.Sprintf("%+v", a.Trades[i]), fmt.Sprintf("%+v", b.Trades[i]); x != y {
			return false, fmt.Sprintf("trade %d: %s against %s", i, x, y)
		}
	}
	for i := range a.Events {
		if a.Events[i] != b.Events[i] {
			return false, fmt.Sprintf("event %d: %+v against %+v", i, a.Events[i], b.Events[i])
		}
	}
	if fmt.Sprint(a.Equity) != fmt.Sprint(b.Equity) {
		return false, "daily equity differs"
	}
	return true, ""
}

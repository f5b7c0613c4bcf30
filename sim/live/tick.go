package live

import (
	"context"
	"fmt"

	"github.com/optsweep/sweep/sim"
)

// tick runs decision time t. past is the journal's record of it when the
// driver is replaying (nothing is sent or committed), nil when live.
func (d *Driver) tick(ctx context.Context, t Tick, past *Record) (*Record, error) {
	if d.day != 0 && d.ended != d.day && t.Day > d.day {
		if _, err := d.endSession(ctx, d.day, past != nil); err != nil {
			return nil, err
		}
	}
	d.last, d.ran = t, true
	rec := &Record{Kind: KindTick, Tick: t}
	if t.Day != d.day {
		d.book.BeginDay(t.Day)
		d.day = t.Day
		d.use = usage{day: t.Day, startEq: d.book.Equity}
	}
	if past == nil && d.cfg.Kill != nil && d.cfg.Kill() {
		return rec, d.kill(ctx, rec)
	}
	if err := d.md.Snapshot(ctx, t, &d.snap); err != nil {
		return nil, fmt.Errorf("live: snapshot at %s: %w", t.Time.Format("2006-01-02 15:04 MST"), err)
	}
	if o, ok := d.broker.(Observer); ok {
		o.Observe(&d.snap)
	}
	// A tick a crash interrupted resolves its journaled intents by client id
	// first: its fills are not in the book yet, so it reconciles after them.
	if past == nil && !d.finishing {
		if err := d.reconcile(ctx, rec); err != nil {
			return nil, err
		}
	}
	orders, err := d.strat.Step(&d.snap, d.book)
	if err != nil {
		return nil, fmt.Errorf("live: strategy: %w", err)
	}
	d.res.Events = append(d.res.Events, d.book.Events...)
	d.book.Events = d.book.Events[:0]
	for k := range orders {
		d.res.Orders++
		if err := d.order(ctx, t, k, &orders[k], rec, past); err != nil {
			if err == ErrKilled {
				return rec, d.kill(ctx, rec)
			}
			return nil, fmt.Errorf("live: order %d (%s %s): %w", k, orders[k].Kind, orders[k].Symbol, err)
		}
	}
	if d.finishing {
		if err := d.reconcile(ctx, rec); err != nil {
			return nil, err
		}
	}
	rec.Events = append(rec.Events, d.book.Events...)
	return rec, d.commit(ctx, rec, past)
}

// commit finishes rec with the book's new notes and state and journals it,
// unless the driver is replaying.
func (d *Driver) commit(ctx context.Context, rec *Record, past *Record) error {
	notes := d.book.Notes()
	rec.Notes = append(rec.Notes, notes[d.nnotes:]...)
	d.nnotes = len(notes)
	rec.Book = BookState{Cash: d.book.Cash, Equity: d.book.Equity, Collateral: d.book.Collateral(), Holdings: Holdings(d.book)}
	Exposure(rec.Book.Holdings, &d.snap)
	if past != nil {
		return nil
	}
	if err := d.j.Commit(ctx, rec); err != nil {
		return fmt.Errorf("live: journal the %s of %s: %w", rec.Kind, sim.DayString(rec.Tick.Day), err)
	}
	return nil
}

// endSession applies the end of session day to the book (and a settling
// broker), as the backtest ends a day.
func (d *Driver) endSession(ctx context.Context, day int32, replay bool) (*Record, error) {
	if err := d.md.SessionEnd(ctx, day, &d.end); err != nil {
		return nil, fmt.Errorf("live: the close of %s: %w", sim.DayString(day), err)
	}
	if s, ok := d.broker.(Settler); ok {
		s.Settle(&d.snap, &d.end)
	}
	n0 := len(d.book.Events)
	if err := d.book.EndSession(&d.snap, &d.end, &d.cfg.Exec); err != nil {
		return nil, fmt.Errorf("live: %s: %w", sim.DayString(day), err)
	}
	d.ended = day
	d.res.Days = append(d.res.Days, day)
	d.res.Equity = append(d.res.Equity, d.book.Equity)
	d.res.Cash = append(d.res.Cash, d.book.Cash)
	d.res.Collateral = append(d.res.Collateral, d.book.Collateral())
	rec := &Record{Kind: KindSessionEnd, Tick: Tick{Day: day}}
	rec.Events = append(rec.Events, d.book.Events[n0:]...)
	var past *Record
	if replay {
		past = rec
	}
	return rec, d.commit(ctx, rec, past)
}

// kill cancels every open order at the broker and journals it.
func (d *Driver) kill(ctx context.Context, rec *Record) error {
	open, err := d.broker.OpenOrders(ctx)
	if err != nil {
		return fmt.Errorf("live: kill switch: list open orders: %w", err)
	}
	for _, o := range open {
		st, err := d.broker.Cancel(ctx, o.ClientID)
		if err != nil {
			rec.Messages = append(rec.Messages, fmt.Sprintf("kill switch: cancel %s: %v", o.ClientID, err))
			continue
		}
		rec.Orders = append(rec.Orders, st)
		rec.Messages = append(rec.Messages, "kill switch: cancelled "+o.ClientID)
	}
	rec.Messages = append(rec.Messages, ErrKilled.Error())
	rec.Events = append(rec.Events, d.book.Events...)
	if err := d.commit(ctx, rec, nil); err != nil {
		return err
	}
	return ErrKilled
}

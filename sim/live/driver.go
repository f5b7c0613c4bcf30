package live

import (
	"context"
	"errors"
	"fmt"

	"github.com/optsweep/sweep/sim"
)

// ErrKilled is returned by a tick that found the kill switch set: open orders
// were cancelled and nothing more is sent.
var ErrKilled = errors.New("live: kill switch set: open orders cancelled, trading stopped")

// Config is a driver's settings.
type Config struct {
	Instance string     // strategy instance name, the root of every client order id
	Exec     sim.Config // the execution and accounting settings the backtest uses
	Limits   Limits
	// Dry journals and prints the orders the driver would send, and sends
	// nothing: the strategy sees them rejected ("dry run").
	Dry bool
	// Adopt takes the broker's side of a reconciliation difference: holdings
	// the book does not know become positions of the book.
	Adopt bool
	// Polls is how many times a working order is looked up before it is
	// replaced by the next rung or cancelled (default 3).
	Polls int
	// Pause waits between polls (the resident loop sleeps; tests return at
	// once). Nil waits for nothing.
	Pause func(ctx context.Context) error
	// Kill reports whether the kill switch is set (a file, SIGUSR1).
	Kill func() bool
}

// Driver runs one strategy instance live. It is not safe for concurrent use.
type Driver struct {
	cfg    Config
	strat  sim.Strategy
	broker Broker
	md     MarketData
	j      Journal

	book   *sim.Book
	snap   sim.Snapshot
	end    sim.SessionEnd
	day    int32 // session begun
	ended  int32 // last session ended
	use    usage
	stop   string // why entries are stopped ("" when they are not)
	res    sim.Result
	nnotes int // notes journaled so far
	last   Tick
	ran    bool
	// finishing is set while Recover finishes a tick a crash interrupted.
	finishing bool
}

// New returns a driver of strategy s at broker b, on market data md,
// journaling to j. Call Recover before the first Tick.
func New(cfg Config, s sim.Strategy, b Broker, md MarketData, j Journal) (*Driver, error) {
	if cfg.Instance == "" {
		return nil, errors.New("live: a strategy instance name is needed for client order ids")
	}
	if !(cfg.Exec.Cash > 0) {
		return nil, errors.New("live: starting cash must be positive")
	}
	if cfg.Polls <= 0 {
		cfg.Polls = 3
	}
	return &Driver{cfg: cfg, strat: s, broker: b, md: md, j: j, book: sim.NewBook(cfg.Exec.Cash)}, nil
}

// Book returns the driver's book.
func (d *Driver) Book() *sim.Book { return d.book }

// Stopped returns why new entries are stopped, "" when they are not.
func (d *Driver) Stopped() string { return d.stop }

// Result returns the run so far in the backtest's form: equity per ended
// session, trades, book events, decision notes, order counts.
func (d *Driver) Result() *sim.Result {
	r := d.res
	r.Events = append(append([]sim.BookEvent(nil), d.res.Events...), d.book.Events...)
	r.Trades = d.book.Trades()
	r.Notes = d.book.Notes()
	return &r
}

// Recover replays the journal: every committed tick and session end again,
// with the strategy seeing the same snapshots and every order's answer taken
// from the journal (nothing is sent), which rebuilds the book and the
// strategy's own state; then every tick that journaled intents but never
// committed (a crash), live: its orders are looked up at the broker by
// client id before anything is sent again.
func (d *Driver) Recover(ctx context.Context) error {
	done, pending, err := d.j.Past(ctx)
	if err != nil {
		return fmt.Errorf("live: read the journal: %w", err)
	}
	for i := range done {
		r := &done[i]
		switch r.Kind {
		case KindTick:
			if _, err := d.tick(ctx, r.Tick, r); err != nil {
				return fmt.Errorf("live: replay %s step %d: %w", sim.DayString(r.Tick.Day), r.Tick.Step, err)
			}
		case KindSessionEnd:
			if _, err := d.endSession(ctx, r.Tick.Day, true); err != nil {
				return fmt.Errorf("live: replay the end of %s: %w", sim.DayString(r.Tick.Day), err)
			}
		}
	}
	d.finishing = true
	defer func() { d.finishing = false }()
	for _, t := range pending {
		if _, err := d.tick(ctx, t, nil); err != nil {
			return fmt.Errorf("live: finish %s step %d: %w", sim.DayString(t.Day), t.Step, err)
		}
	}
	return nil
}

// Tick runs decision time t: it ends the previous session if that is still
// open, reconciles, steps the strategy and works its orders, and commits the
// tick's record. A tick already in the journal is not run again.
func (d *Driver) Tick(ctx context.Context, t Tick) (*Record, error) {
	if d.ran && (t.Day < d.last.Day || t.Day == d.last.Day && t.Step <= d.last.Step) {
		return nil, fmt.Errorf("live: %s step %d is not after the last tick run", sim.DayString(t.Day), t.Step)
	}
	return d.tick(ctx, t, nil)
}

// EndSession ends session day (it must be the current one): resting exits,
// early assignment, expiry and marks, as the backtest ends a day, from the
// market data's close; it commits the record.
func (d *Driver) EndSession(ctx context.Context, day int32) (*Record, error) {
	if day != d.day || d.ended == day {
		return nil, fmt.Errorf("live: session %s is not the open one", sim.DayString(day))
	}
	return d.endSession(ctx, day, false)
}

// SessionOpen reports whether a session has begun and not ended.
func (d *Driver) SessionOpen() (int32, bool) { return d.day, d.day != 0 && d.ended != d.day }

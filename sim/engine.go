package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/optsweep/sweep/sim/fill"
)

// Strategy is the decision core: at each decision time it reads the snapshot
// and its book (including the events since its previous step) and returns
// orders. It must be deterministic given its configuration, the snapshots and
// the book, and must read nothing else.
type Strategy interface {
	Step(snap *Snapshot, book *Book) ([]Order, error)
}

// Stepper is implemented by strategies that decide within the session (0DTE):
// the driver gives the tape intraday steps every StepEvery before each daily
// decision.
type Stepper interface {
	StepEvery() time.Duration
}

// Finisher is implemented by strategies that want to see the book's events
// of the last day, after the run's last step (to settle their own state).
type Finisher interface {
	Finish(book *Book) error
}

// Config is an engine's execution and accounting settings.
type Config struct {
	Cash          float64 // starting cash, dollars
	Mode          fill.Mode
	Liquidity     fill.Liquidity // penalty tiers applied to the spread at entry and exit
	Probabilistic fill.Probabilistic
	Costs         fill.Costs
	Stepped       fill.Stepped
	Seed          uint64 // seeds every random draw, per position
	// EarlyAssignment assigns a short equity call at the close before an
	// ex-dividend date when it is in the money and its extrinsic value is below
	// the dividend.
	EarlyAssignment bool
}

// DefaultConfig returns the seeds' execution settings: $100,000, realistic
// fills with the default liquidity tiers, probabilistic take-profit fills,
// $0.65 + $0.01 per contract, a 4-step entry ladder, seed 42, early assignment
// on.
func DefaultConfig() Config {
	return Config{Cash: 100_000, Mode: fill.Realistic, Liquidity: fill.DefaultLiquidity(),
		Probabilistic: fill.DefaultProbabilistic(), Costs: fill.DefaultCosts(), Stepped: fill.DefaultStepped(),
		Seed: 42, EarlyAssignment: true}
}

// Result is what a run produced.
type Result struct {
	Days       []int32   // trading days
	Equity     []float64 // end-of-day equity, dollars
	Cash       []float64
	Collateral []float64
	Trades     []Trade // closed and still-open trade records, in opening order
	Events     []BookEvent
	Notes      []Note
	Orders     int // orders received
	Rejected   int // orders rejected
}

// Run steps strategy s through every day of t and returns the run's record.
// A strategy error or an illegal order stops the run with an error naming the
// day.
func Run(t *Tape, s Strategy, cfg Config) (*Result, error) {
	b, err := newBacktest(s, cfg, len(t.Days))
	if err != nil {
		return nil, err
	}
	if err := b.Advance(t); err != nil {
		return b.e.res, err
	}
	return b.Finish()
}

// RunLockstep runs strategies[k] with cfgs[k] for every k over the same tape,
// a day at a time: each day is run for every strategy in turn, so that the
// day's chains are read by all of them while they are in the processor's
// cache, instead of each run walking the whole tape in turn (a two-year tape is
// far larger than the cache). The runs share nothing but t, and each result and
// error is what Run gives that strategy alone.
func RunLockstep(t *Tape, strategies []Strategy, cfgs []Config) ([]*Result, []error) {
	res := make([]*Result, len(strategies))
	errs := make([]error, len(strategies))
	bs := make([]*Backtest, len(strategies))
	for k := range strategies {
		bs[k], errs[k] = newBacktest(strategies[k], cfgs[k], len(t.Days))
		if errs[k] == nil {
			bs[k].e.t = t
			bs[k].e.res.Days = t.Days
		}
	}
	for i := t.First; i < len(t.Days); i++ {
		for k, b := range bs {
			if errs[k] != nil {
				continue
			}
			if err := b.e.day(i); err != nil {
				res[k], errs[k] = b.e.res, fmt.Errorf("sim: %s: %w", DayString(t.Days[i]), err)
				continue
			}
			b.next = i + 1
		}
	}
	for k, b := range bs {
		if errs[k] == nil {
			res[k], errs[k] = b.Finish()
		}
	}
	return res, errs
}

// A Backtest is a run fed its window a block of days at a time, for drivers
// that stream a window's chains instead of holding them all (sweep/feed's
// Stream): each Advance runs the days of one block, Finish ends the run. The
// blocks of a window give the Result that Run gives on the whole tape.
type Backtest struct {
	e    *engine
	next int // index of the next day to run
}

// NewBacktest starts a run of strategy s with cfg.
func NewBacktest(s Strategy, cfg Config) (*Backtest, error) { return newBacktest(s, cfg, 0) }

func newBacktest(s Strategy, cfg Config, days int) (*Backtest, error) {
	if !(cfg.Cash > 0) {
		return nil, errors.New("sim: starting cash must be positive")
	}
	e := &engine{cfg: cfg, s: s, book: NewBook(cfg.Cash)}
	e.res = &Result{Equity: make([]float64, 0, days), Cash: make([]float64, 0, days), Collateral: make([]float64, 0, days)}
	return &Backtest{e: e}, nil
}

// Advance runs the days t holds chains for, t.First..len(t.Days)-1, which must
// be the days after those already run: the blocks of one window, in order.
func (b *Backtest) Advance(t *Tape) error {
	if t.First != b.next {
		return fmt.Errorf("sim: backtest block starts at day %d, want day %d", t.First, b.next)
	}
	e := b.e
	e.t = t
	e.res.Days = t.Days
	for i := t.First; i < len(t.Days); i++ {
		if err := e.day(i); err != nil {
			return fmt.Errorf("sim: %s: %w", DayString(t.Days[i]), err)
		}
		b.next = i + 1
	}
	return nil
}

// Finish ends the run after its last day and returns its record.
func (b *Backtest) Finish() (*Result, error) {
	e := b.e
	if f, ok := e.s.(Finisher); ok {
		if err := f.Finish(e.book); err != nil {
			return e.res, fmt.Errorf("sim: finish: %w", err)
		}
	}
	e.res.Events = append(e.res.Events, e.book.Events...)
	e.book.Events = nil
	e.res.Trades = e.book.trades
	e.res.Notes = e.book.notes
	return e.res, nil
}

type engine struct {
	t    *Tape
	cfg  Config
	s    Strategy
	book *Book
	res  *Result
	snap Snapshot
	end  SessionEnd
	legs []OrderLeg // scratch
}

// day runs one trading day: the intraday steps (if the tape has them) and the
// daily step, each with its orders filled at its own quotes, then what the rest
// of the session brings (resting exits, early assignment, expiry) and the
// marks. Every change to the book goes through the Book operations
// (bookops.go, session.go), which the live driver calls the same way.
func (e *engine) day(i int) error {
	e.book.BeginDay(e.t.Days[i])
	e.splits(e.book.Day())
	lo, hi := e.t.Steps(i)
	for j := lo; j < hi; j++ {
		e.t.IntradaySnapshot(i, j, &e.snap)
		if err := e.step(); err != nil {
			return fmt.Errorf("%s: %w", e.snap.Time.Format("15:04"), err)
		}
	}
	e.t.Snapshot(i, &e.snap)
	if err := e.step(); err != nil {
		return err
	}
	e.t.SessionEnd(i, &e.end)
	if err := e.book.EndSession(&e.snap, &e.end, &e.cfg); err != nil {
		return err
	}
	e.res.Equity = append(e.res.Equity, e.book.Equity)
	e.res.Cash = append(e.res.Cash, e.book.Cash)
	e.res.Collateral = append(e.res.Collateral, e.book.Collateral())
	return nil
}

// step runs the strategy on e.snap and fills its orders at e.snap's quotes.
func (e *engine) step() error {
	b := e.book
	orders, err := e.s.Step(&e.snap, b)
	if err != nil {
		return err
	}
	e.res.Events = append(e.res.Events, b.Events...)
	b.Events = b.Events[:0]
	for k := range orders {
		e.res.Orders++
		if err := e.execute(&orders[k]); err != nil {
			return err
		}
	}
	return nil
}

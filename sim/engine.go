package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
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
	if !(cfg.Cash > 0) {
		return nil, errors.New("sim: starting cash must be positive")
	}
	e := &engine{t: t, cfg: cfg, s: s, book: NewBook(cfg.Cash), rngs: map[int64]*rand.Rand{}}
	n := len(t.Days)
	e.res = &Result{Days: t.Days, Equity: make([]float64, 0, n), Cash: make([]float64, 0, n), Collateral: make([]float64, 0, n)}
	for i := 0; i < n; i++ {
		if err := e.day(i); err != nil {
			return e.res, fmt.Errorf("sim: %s: %w", DayString(t.Days[i]), err)
		}
	}
	if f, ok := s.(Finisher); ok {
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
	rngs map[int64]*rand.Rand
	legs []OrderLeg // scratch
}

// day runs one trading day: the intraday steps (if the tape has them) and the
// daily step, each with its orders filled at its own quotes, then what the rest
// of the session brings (resting exits, early assignment, expiry) and the
// marks.
func (e *engine) day(i int) error {
	e.book.day = e.t.Days[i]
	e.splits(e.book.day)
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
	e.brackets(i)
	if e.cfg.EarlyAssignment {
		e.earlyAssign(i)
	}
	if err := e.expire(i); err != nil {
		return err
	}
	e.mark(i)
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

// reject records a rejected order; the strategy sees it in its next step.
func (e *engine) reject(o *Order, why string) {
	e.res.Rejected++
	b := e.book
	tag := o.Tag
	if p := b.Position(o.Position); p != nil && tag == "" {
		tag = p.Tag
	}
	b.Events = append(b.Events, BookEvent{Day: b.day, Position: o.Position, Kind: EventRejected, Trade: -1, Tag: tag,
		Detail: fmt.Sprintf("%s %s: %s", o.Kind, o.Symbol, why)})
}

func (e *engine) market(symbol string) (*Market, int) {
	for k := range e.snap.Markets {
		if e.snap.Markets[k].Symbol == symbol {
			return &e.snap.Markets[k], k
		}
	}
	return nil, -1
}

// pkg is a package of legs priced at the snapshot.
type pkg struct {
	bid, ask, mid float64 // per share per unit, signed: what buying one unit costs
	penalty       float64 // the worst leg's liquidity penalty
	mids          [4]float64
	spreads       [4]float64
}

// quote prices legs (ratios per unit) at market m's chain; why says what is
// missing when a leg has no usable quote. An entry needs every leg Quoted. An
// exit (closing legs) takes what the market offers: a leg bought back needs
// an ask; a leg sold may have no bid (it goes for nothing, as a worthless
// long option does); a crossed quote counts at its mid.
func (e *engine) quote(m *Market, legs []OrderLeg, exit bool) (p pkg, why string) {
	c := &m.Chain
	p.penalty = 1
	for k, l := range legs {
		q := float64(l.Ratio)
		bid, ask, ok := legQuote(c, l.Contract, q > 0, exit)
		if !ok {
			return p, fmt.Sprintf("no quote for %v", l.Contract)
		}
		if q > 0 {
			p.bid, p.ask = p.bid+q*bid, p.ask+q*ask
		} else {
			p.bid, p.ask = p.bid+q*ask, p.ask+q*bid
		}
		p.mids[k] = (bid + ask) / 2
		p.mid += q * p.mids[k]
		dte := int(l.Contract.Expiration - e.snap.Day)
		if _, pen := e.cfg.Liquidity.Classify(bid, ask, m.IVPercentile, dte); pen > p.penalty {
			p.penalty = pen
		} else if pen == 0 {
			p.penalty = max(p.penalty, e.cfg.Liquidity.PenaltyWide)
		}
		p.spreads[k] = math.Abs(q) * (ask - bid)
	}
	return p, ""
}

// legQuote returns the bid and ask of contract k in c for an order that buys
// it (buy) or sells it, and whether it can be priced: see quote.
func legQuote(c *Chain, k Contract, buy, exit bool) (bid, ask float64, ok bool) {
	if exit {
		return c.ExitQuote(k, buy)
	}
	r := c.Find(k)
	if r < 0 || !c.Quoted(r) {
		return 0, 0, false
	}
	return c.Bid[r], c.Ask[r], true
}

// legPrices splits a package price among its legs: each leg gets its mid plus
// a share of the slippage from the package mid in proportion to its spread.
func legPrices(legs []OrderLeg, p *pkg, price float64, out []float64) {
	total := 0.0
	for k := range legs {
		total += p.spreads[k]
	}
	slip := price - p.mid
	for k, l := range legs {
		w := 1 / float64(len(legs))
		if total > 0 {
			w = p.spreads[k] / total
		}
		out[k] = p.mids[k] + slip*w/float64(l.Ratio)
	}
}

package sim

import (
	"math"
	"math/rand/v2"

	"github.com/optsweep/sweep/sim/fill"
)

// Leg is one option leg of an open position.
type Leg struct {
	Contract Contract
	Qty      int     // signed contracts: negative is short
	Price    float64 // entry price per share
	Mark     float64 // latest mark per share (mid, or intrinsic when unquoted)
	// Deliver is the shares one contract delivers, 0 meaning Multiplier (100).
	// Only a split that is not whole-number (3-for-2, 1-for-10) changes it, as
	// OCC adjusts such contracts: Price, Mark and the strike are then per share
	// of the deliverable.
	Deliver int
	trade   int // index of the trade record the leg belongs to
	// The leg's row in the chain indexed by rowAt, when rowOf is its
	// contract's (see Chain.legRow).
	rowAt *chainIndex
	row   int32
	rowOf rowKey
}

// Shares returns the shares one contract of the leg delivers.
func (l *Leg) Shares() int {
	if l.Deliver > 0 {
		return l.Deliver
	}
	return Multiplier
}

// Position is an open position: one to four option legs, and shares (the
// stock a put assignment delivered, or that covers calls).
type Position struct {
	ID         int64
	Symbol     string
	Tag        string // strategy label (a wheel's id)
	Opened     int32  // day the position was opened
	Legs       []Leg
	Shares     int     // signed shares held
	ShareBasis float64 // cost per share of the shares
	ShareMark  float64 // latest mark per share
	Entry      Entry   // as given by the opening (or latest adding) order
	Penalty    float64 // liquidity penalty at entry, applied to bracket fills
	Bracket    Bracket
	Touches    int      // take-profit touches so far
	stockTrade int      // trade record of the shares; -1 when none
	bracketDay int32    // first day the bracket is worked
	credit     float64  // entry price per share of the bracketed leg
	bracketOn  Contract // the bracketed leg
}

// Value returns the position's marked value in dollars (negative for net
// short option value).
func (p *Position) Value() float64 {
	v := float64(p.Shares) * p.ShareMark
	for _, l := range p.Legs {
		v += float64(l.Qty*l.Shares()) * l.Mark
	}
	return v
}

// Collateral returns the cash the position's option legs reserve: their worst
// payoff at expiry over underlying prices from 0 to three times the highest
// strike, with short calls covered by held shares left out. A cash-secured put
// reserves strike × 100 per contract, a vertical its width × 100, a covered
// call nothing.
func (p *Position) Collateral() float64 {
	covered := max(p.Shares, 0) // shares still free to cover short calls
	hi := 0.0
	for _, l := range p.Legs {
		hi = max(hi, l.Contract.Strike)
	}
	payoff := func(s float64) float64 {
		free := covered
		v := 0.0
		for _, l := range p.Legs {
			q := l.Qty
			if l.Contract.PutCall == Call && q < 0 && free > 0 {
				c := min(-q, free/l.Shares())
				q += c
				free -= c * l.Shares()
			}
			v += float64(q*l.Shares()) * l.Contract.Intrinsic(s)
		}
		return v
	}
	worst := math.Min(payoff(0), payoff(3*hi))
	for _, l := range p.Legs {
		worst = math.Min(worst, payoff(l.Contract.Strike))
	}
	return max(-worst, 0)
}

// LegsCollateral returns the collateral one unit of legs reserves when opened
// as a new position (no shares held): Position.Collateral of the legs with
// their ratios as quantities. A strategy sizes an entry by it, as the engine
// will reserve it.
func LegsCollateral(legs []OrderLeg) float64 {
	p := Position{Legs: make([]Leg, len(legs))}
	for k, l := range legs {
		p.Legs[k] = Leg{Contract: l.Contract, Qty: l.Ratio}
	}
	return p.Collateral()
}

// Leg returns the index of the leg on contract c, or -1.
func (p *Position) Leg(c Contract) int {
	for i := range p.Legs {
		if p.Legs[i].Contract == c {
			return i
		}
	}
	return -1
}

// Trade is the record of one set of legs opened together (a phase of a
// position), or of a position's shares, from open to close.
type Trade struct {
	ID         int
	Position   int64
	Symbol     string
	Tag        string
	Phase      string // from the opening order; "stock" for shares
	Legs       []Leg  // contracts, signed quantities and entry prices per share
	Quantity   int    // units (contracts of the package, or shares)
	Opened     int32
	Closed     int32   // 0 while open
	Entry      float64 // package price per share paid at open (negative: a credit)
	Exit       float64 // package price per share received at close (negative: paid)
	Gross      float64 // dollars before fees
	Fees       float64 // dollars
	Collateral float64 // dollars reserved at open (for stock: the cost of the shares)
	Reason     string  // exit reason; "open" while open
	Touches    int
	Draws      []fill.Draw
	Info       Entry
	openLegs   int // legs of the trade still open
}

// Net returns the trade's P&L after fees.
func (t *Trade) Net() float64 { return t.Gross - t.Fees }

// ROC returns the net P&L over the collateral (0 when there is none).
func (t *Trade) ROC() float64 {
	if t.Collateral <= 0 {
		return 0
	}
	return t.Net() / t.Collateral
}

// BookEvent is something that happened to the book: a fill, a rejection, an
// exit worked by the engine, an assignment or an expiry.
type BookEvent struct {
	Day      int32
	Position int64
	Kind     string // see the Event* constants
	Trade    int    // the trade record concerned, -1 if none
	Tag      string // the tag of the order or position concerned
	Detail   string
}

// Book event kinds.
const (
	EventFilled          = "filled"
	EventRejected        = "rejected"
	EventTakeProfit      = "profit_target"
	EventStop            = "stop_loss"
	EventAssigned        = "assigned"
	EventCalledAway      = "called_away"
	EventExercised       = "exercised"
	EventExpired         = "expired_worthless"
	EventSettled         = "cash_settled"
	EventEarlyAssigned   = "early_assigned"
	EventClosed          = "closed"
	EventSharesSold      = "shares_sold"
	EventStaleSettlement = "stale_settlement_price"
)

// Note is a line of a strategy's decision log.
type Note struct {
	Day    int32
	Symbol string
	Kind   string
	Text   string
}

// Book is one strategy instance's account: cash, open positions, and what
// happened since its last step.
type Book struct {
	StartCash float64
	Cash      float64
	Positions []*Position // open, in the order they were opened
	// Events holds what happened since the strategy's previous step.
	Events []BookEvent
	// Equity is cash plus positions as marked at the end of the previous day.
	Equity float64

	trades []Trade
	notes  []Note
	day    int32
	nextID int64
	coll   float64 // cached Collateral, valid when collOK
	collOK bool
	rngs   map[int64]*rand.Rand // per position, for probabilistic fills (see rng)

	// Scratch of the session's operations, reused from day to day.
	work   []*Position
	qty    []int
	prices []float64
	fees   []float64
}

// positions returns a copy of the open positions, for a loop that may close
// some, in a buffer the next call reuses.
func (b *Book) positions() []*Position {
	b.work = append(b.work[:0], b.Positions...)
	return b.work
}

// legScratch returns zeroed quantities, prices and fees for n legs, in buffers
// the next call reuses (closeLegs keeps none of them).
func (b *Book) legScratch(n int) (qty []int, prices, fees []float64) {
	if cap(b.qty) < n {
		b.qty, b.prices, b.fees = make([]int, n), make([]float64, n), make([]float64, n)
	}
	b.qty, b.prices, b.fees = b.qty[:n], b.prices[:n], b.fees[:n]
	clear(b.qty)
	clear(b.prices)
	clear(b.fees)
	return b.qty, b.prices, b.fees
}

// NewBook returns a book holding cash.
func NewBook(cash float64) *Book {
	return &Book{StartCash: cash, Cash: cash, Equity: cash, nextID: 1}
}

// Position returns the open position id, or nil.
func (b *Book) Position(id int64) *Position {
	for _, p := range b.Positions {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Collateral returns the cash reserved by all open positions.
func (b *Book) Collateral() float64 {
	if !b.collOK {
		b.coll = 0
		for _, p := range b.Positions {
			b.coll += p.Collateral()
		}
		b.collOK = true
	}
	return b.coll
}

// changed notes that positions changed, so cached totals must be recomputed.
func (b *Book) changed() { b.collOK = false }

// BuyingPower returns cash less collateral.
func (b *Book) BuyingPower() float64 { return b.Cash - b.Collateral() }

// Trade returns trade record i.
func (b *Book) Trade(i int) *Trade { return &b.trades[i] }

// Note adds a line to the decision log, stamped with the current day.
func (b *Book) Note(symbol, kind, text string) {
	b.notes = append(b.notes, Note{Day: b.day, Symbol: symbol, Kind: kind, Text: text})
}

func (b *Book) event(pos int64, kind string, trade int, detail string) {
	tag := ""
	if trade >= 0 {
		tag = b.trades[trade].Tag
	} else if p := b.Position(pos); p != nil {
		tag = p.Tag
	}
	b.Events = append(b.Events, BookEvent{Day: b.day, Position: pos, Kind: kind, Trade: trade, Tag: tag, Detail: detail})
}

func (b *Book) remove(p *Position) {
	b.changed()
	for i, q := range b.Positions {
		if q == p {
			b.Positions = append(b.Positions[:i], b.Positions[i+1:]...)
			return
		}
	}
}

package sim

import "fmt"

// OrderKind says what an order does to the book.
type OrderKind uint8

// Order kinds.
const (
	// Open opens a new position of Quantity units of Legs.
	Open OrderKind = iota
	// Add adds Quantity units of Legs to the open position Position: a covered
	// call over the shares an assigned put delivered, for example.
	Add
	// Close closes every leg and share of the open position Position.
	Close
	// Reduce closes Quantity units of every leg of the open position Position
	// (a partial close; the legs keep their ratios).
	Reduce
)

// String returns the kind's name.
func (k OrderKind) String() string {
	switch k {
	case Open:
		return "open"
	case Add:
		return "add"
	case Close:
		return "close"
	case Reduce:
		return "reduce"
	}
	return fmt.Sprintf("OrderKind(%d)", uint8(k))
}

// Pricing says how an order is priced against the snapshot's quotes.
type Pricing uint8

// Pricings.
const (
	// PriceMarket fills at the fill model's price for the quote: the mid, or the mid
	// moved toward the natural side by a share of the spread times the liquidity
	// penalty.
	PriceMarket Pricing = iota
	// PriceStepped works a limit order from the mid toward the natural side in steps
	// (the fill model's Stepped ladder) and fills at the first rung the fill
	// model says the market takes, or not at all.
	PriceStepped
)

// OrderLeg is one leg of an order: a contract and its signed ratio per unit
// (−1 sells one contract per unit, +1 buys one).
type OrderLeg struct {
	Contract Contract
	Ratio    int
}

// Bracket holds resting exit orders for a single-leg short option, worked on
// the option's daily bars of the sessions after the one it was opened in (as
// seed 001 does): first a stop when the session's high reaches StopMultiple ×
// the entry price, then a take-profit when its low reaches TakeProfit × the
// entry price. A zero field disables that exit.
type Bracket struct {
	TakeProfit   float64 // buy back at this fraction of the entry price (0.5 keeps half the credit)
	StopMultiple float64 // buy back when the price reaches this multiple of the entry price
	// Probabilistic makes a take-profit touch fill only with the fill model's
	// probability for the entry's spread and IV percentile; every draw is
	// recorded on the trade.
	Probabilistic bool
	// TargetAtBar fills a take-profit at the fill model's price on the bar
	// even above the target, as seed 001 does (its get_exit_price); false,
	// the default, fills it at no more than the target, as a resting limit
	// order fills.
	TargetAtBar bool
}

// Entry holds what a strategy wants remembered about a position's entry; the
// engine copies it to the position and its trade records.
type Entry struct {
	Spot, VIX, Delta, IV, IVP float64
	SpreadPct                 float64 // (ask−bid)/mid of the package at entry
	DTE                       int
}

// Order is an instruction from a strategy to the engine.
type Order struct {
	Kind     OrderKind
	Symbol   string // underlying (Open)
	Position int64  // target position (Add, Close, Reduce)
	Legs     []OrderLeg
	Quantity int // units of Legs (Open, Add, Reduce); ignored by Close
	Pricing  Pricing
	Bracket  Bracket // Open and Add: resting exits for the new legs
	Tag      string  // strategy label carried by the position (a wheel's id)
	Phase    string  // phase recorded on the trade the legs open ("csp", "cc", "spread"…)
	Reason   string  // Close and Reduce: the exit reason recorded on the trade
	Entry    Entry   // Open and Add
}

// Validate checks the order's own consistency (not against the book).
func (o *Order) Validate() error {
	switch o.Kind {
	case Open, Add:
		if len(o.Legs) == 0 || len(o.Legs) > 4 {
			return fmt.Errorf("sim: %s order needs 1 to 4 legs, has %d", o.Kind, len(o.Legs))
		}
		if o.Quantity <= 0 {
			return fmt.Errorf("sim: %s order quantity %d", o.Kind, o.Quantity)
		}
		for _, l := range o.Legs {
			if l.Ratio == 0 || (l.Contract.PutCall != Put && l.Contract.PutCall != Call) || !(l.Contract.Strike > 0) {
				return fmt.Errorf("sim: %s order has an invalid leg %v ×%d", o.Kind, l.Contract, l.Ratio)
			}
		}
		if o.Kind == Open && o.Symbol == "" {
			return fmt.Errorf("sim: open order without a symbol")
		}
		if (o.Bracket.TakeProfit != 0 || o.Bracket.StopMultiple != 0) && (len(o.Legs) != 1 || o.Legs[0].Ratio >= 0) {
			return fmt.Errorf("sim: a bracket needs a single short leg")
		}
	case Close:
	case Reduce:
		if o.Quantity <= 0 {
			return fmt.Errorf("sim: reduce order quantity %d", o.Quantity)
		}
	default:
		return fmt.Errorf("sim: unknown order kind %d", o.Kind)
	}
	return nil
}

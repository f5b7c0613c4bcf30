package live

import (
	"context"
	"fmt"

	"github.com/optsweep/sweep/sim"
)

// Order is an order as a broker sees it: a package of option legs with one
// limit price for the whole package.
type Order struct {
	ClientID string // deterministic (ClientID); the broker's idempotency key
	Symbol   string // underlying
	// Legs are the contracts and their signed ratios per unit, as the
	// strategy's order (or sim.Book.TradeLegs for a close) gives them.
	Legs     []sim.OrderLeg
	Quantity int // units of Legs
	// Limit is the package's limit price per share per unit, signed as
	// sim.Package: positive pays (a debit), negative receives (a credit).
	Limit float64
	Close bool // the legs close positions (position intent to close)
	// Shares are the shares to trade at the market with the legs (a Close of
	// a position holding shares), signed.
	Shares int
	// Intent is the strategy's order this one carries out. Brokers that keep
	// a book of their own (Paper) apply it; network adapters ignore it.
	Intent *sim.Order
}

// Status is an order's state at the broker.
type Status string

// Order states. Filled, Cancelled, Rejected and Expired are final.
const (
	StatusNew       Status = "new" // accepted, working
	StatusPartial   Status = "partially_filled"
	StatusFilled    Status = "filled"
	StatusCancelled Status = "cancelled"
	StatusRejected  Status = "rejected"
	StatusExpired   Status = "expired"
)

// Final reports whether the state can no longer change.
func (s Status) Final() bool {
	switch s {
	case StatusFilled, StatusCancelled, StatusRejected, StatusExpired:
		return true
	}
	return false
}

// OrderState is what a broker says of an order.
type OrderState struct {
	ClientID string
	BrokerID string
	Status   Status
	Filled   int     // units filled
	Price    float64 // average fill price per share per unit, signed as Order.Limit
	// LegPrices are the legs' average fill prices per share, in the order's
	// leg order; empty when the broker reports only the package price.
	LegPrices []float64
	LegFees   []float64 // dollars per leg, when the broker reports them
	Fees      float64   // dollars charged on the fills
	// SharePrice is the price per share a Close's shares were sold at.
	SharePrice float64
	Reason     string // why rejected or cancelled
}

// Holding is one line of the broker's positions: contracts of an option, or
// shares of an underlying (Contract zero).
type Holding struct {
	Symbol   string
	Contract sim.Contract // zero for shares
	Qty      int          // signed contracts or shares
	Price    float64      // average entry price per share, when the broker says
	// Delta, Gamma, Theta and Vega are the holding's exposure at the
	// snapshot (Exposure): share-equivalent delta and gamma, theta in
	// dollars per calendar day, vega in dollars per vol point; zero when
	// not computed.
	Delta, Gamma, Theta, Vega float64
}

// Key names the holding: the OSI-like contract or the share symbol.
func (h Holding) Key() string {
	if h.Contract.Strike == 0 {
		return h.Symbol
	}
	return fmt.Sprint(h.Contract)
}

// Account is the broker account's money.
type Account struct {
	ID          string
	Paper       bool // a paper (simulated) account at the broker
	Cash        float64
	BuyingPower float64
	Equity      float64
}

// Broker is the seam to an execution venue (a paper book, Alpaca, IBKR).
// Every method may be retried: Submit with a client id the broker already
// knows must not place a second order (a broker that cannot promise it is
// never called twice: the driver looks the id up first).
type Broker interface {
	Account(ctx context.Context) (Account, error)
	Positions(ctx context.Context) ([]Holding, error)
	OpenOrders(ctx context.Context) ([]OrderState, error)
	Submit(ctx context.Context, o *Order) (OrderState, error)
	// Lookup returns the order placed under o.ClientID (o is the order as
	// the driver would send it, so the answer can be read in its units); ok
	// is false when the broker has none.
	Lookup(ctx context.Context, o *Order) (st OrderState, ok bool, err error)
	// Replace replaces the working order clientID by o (the same legs and
	// quantity at a new limit, under a new client id).
	Replace(ctx context.Context, clientID string, o *Order) (OrderState, error)
	Cancel(ctx context.Context, clientID string) (OrderState, error)
}

// Observer is implemented by brokers that fill against the driver's own
// snapshot (Paper): the driver shows them each snapshot before it trades.
type Observer interface {
	Observe(snap *sim.Snapshot)
}

// Settler is implemented by brokers that settle their own positions at the
// end of a session (Paper): expiry, assignment and exercise as the backtest
// settles them.
type Settler interface {
	Settle(snap *sim.Snapshot, end *sim.SessionEnd)
}

// Restorer is implemented by brokers whose state lives only in the process
// (Paper): on a restart the driver hands them the journal's answers to the
// orders they were sent before.
type Restorer interface {
	Restore(o *Order, st OrderState)
}

// MarketData builds what a strategy sees at a decision time, and what the
// end of a session brings.
type MarketData interface {
	// Snapshot fills snap for the decision time at: today's chain and quotes
	// with greeks computed from them as the backtest computes them, and the
	// history of closed sessions.
	Snapshot(ctx context.Context, at Tick, snap *sim.Snapshot) error
	// SessionEnd fills end with session day's close and option bars.
	SessionEnd(ctx context.Context, day int32, end *sim.SessionEnd) error
}

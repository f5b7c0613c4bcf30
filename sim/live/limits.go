package live

import (
	"fmt"
	"math"
	"time"

	"github.com/optsweep/sweep/sim"
)

// Limits are the safety limits every order must pass before it is sent. A
// zero field is no limit.
type Limits struct {
	OrderContracts int     // contracts in one order (units × |ratio|, summed over legs)
	OrderNotional  float64 // strike notional of one order: Σ strike × 100 × contracts
	DayOrders      int     // orders sent in a session (entries and exits)
	DayContracts   int     // contracts sent in a session
	DayNotional    float64 // strike notional sent in a session
	// BuyingPower is the largest fraction of the book's buying power one
	// entry may use (its collateral and cost).
	BuyingPower float64
	// DayLoss stops new entries once equity has fallen this many dollars
	// below the session's starting equity.
	DayLoss float64
	// QuoteAge refuses an order when the snapshot's quotes are older than
	// this at the decision time.
	QuoteAge time.Duration
}

// DefaultLimits returns limits for a small paper account: 10 contracts and
// $250,000 of strike notional per order; 20 orders, 50 contracts and
// $1,000,000 a session; half the buying power per entry; quotes at most 2
// minutes old. DayLoss is unset: it depends on the account.
func DefaultLimits() Limits {
	return Limits{OrderContracts: 10, OrderNotional: 250_000, DayOrders: 20, DayContracts: 50,
		DayNotional: 1_000_000, BuyingPower: 0.5, QuoteAge: 2 * time.Minute}
}

// usage is what a session has sent so far.
type usage struct {
	day       int32
	orders    int
	contracts int
	notional  float64
	startEq   float64
}

// size returns an order's contracts and strike notional.
func size(legs []sim.OrderLeg, units int) (contracts int, notional float64) {
	for _, l := range legs {
		n := abs(l.Ratio) * units
		contracts += n
		notional += l.Contract.Strike * sim.Multiplier * float64(n)
	}
	return contracts, notional
}

// check returns why limits refuse an order of legs × units priced p at the
// decision time at (quotes stamped quoted), or "". entry is set for Open and
// Add; x is its execution at the limit (for the buying power used).
func (l *Limits) check(u *usage, b *sim.Book, legs []sim.OrderLeg, units int, entry bool, x *sim.Execution,
	p *sim.Package, limit float64, at, quoted time.Time) string {
	contracts, notional := size(legs, units)
	switch {
	case l.QuoteAge > 0 && at.Sub(quoted) > l.QuoteAge:
		return fmt.Sprintf("stale quotes: %v old at the decision, limit %v", at.Sub(quoted).Round(time.Second), l.QuoteAge)
	case len(legs) > 0 && (limit < p.Bid-priceEps || limit > p.Ask+priceEps):
		return fmt.Sprintf("limit %.4f outside the bid/ask %.4f/%.4f", limit, p.Bid, p.Ask)
	case l.OrderContracts > 0 && contracts > l.OrderContracts:
		return fmt.Sprintf("order of %d contracts exceeds the per-order limit of %d", contracts, l.OrderContracts)
	case l.OrderNotional > 0 && notional > l.OrderNotional:
		return fmt.Sprintf("order notional $%.0f exceeds the per-order limit of $%.0f", notional, l.OrderNotional)
	case l.DayOrders > 0 && u.orders+1 > l.DayOrders:
		return fmt.Sprintf("the session's %d orders reach the daily limit of %d", u.orders, l.DayOrders)
	case l.DayContracts > 0 && u.contracts+contracts > l.DayContracts:
		return fmt.Sprintf("%d more contracts would pass the daily limit of %d (%d sent)", contracts, l.DayContracts, u.contracts)
	case l.DayNotional > 0 && u.notional+notional > l.DayNotional:
		return fmt.Sprintf("$%.0f more notional would pass the daily limit of $%.0f ($%.0f sent)", notional, l.DayNotional, u.notional)
	}
	if !entry {
		return ""
	}
	if l.DayLoss > 0 && u.startEq-b.Equity > l.DayLoss {
		return fmt.Sprintf("entries stopped: the session has lost $%.2f, limit $%.2f", u.startEq-b.Equity, l.DayLoss)
	}
	if l.BuyingPower > 0 {
		pos := sim.Position{}
		for _, lg := range legs {
			pos.Legs = append(pos.Legs, sim.Leg{Contract: lg.Contract, Qty: lg.Ratio * units})
		}
		need := pos.Collateral() + math.Max(x.Price*sim.Multiplier*float64(units), 0)
		if bp := b.BuyingPower(); bp > 0 && need > l.BuyingPower*bp {
			return fmt.Sprintf("uses $%.0f of $%.0f buying power, limit %.0f%%", need, bp, 100*l.BuyingPower)
		}
	}
	return ""
}

package sim

import (
	"fmt"
	"strconv"
)

// execute carries out one order at the snapshot: the fill model prices it
// (FillModel) and the book takes it (Book.Apply). An order the market or the
// account cannot take is rejected (a book event); an order that makes no sense
// (a missing position, a malformed leg) is an error.
func (e *engine) execute(o *Order) error {
	legs, why, err := e.book.TradeLegs(o, e.legs)
	if err != nil {
		return err
	}
	if o.Kind == Close || o.Kind == Reduce {
		e.legs = legs[:0] // keep the scratch
	}
	var x Execution
	if why == "" {
		x, why, err = e.price(o, legs)
	}
	if err == nil && why == "" {
		why, err = e.book.Apply(o, &x)
	}
	if err != nil {
		return err
	}
	if why != "" {
		e.res.Rejected++
		e.book.Reject(o, why)
	}
	return nil
}

// price prices order o, trading legs, with the engine's fill model at e.snap.
func (e *engine) price(o *Order, legs []OrderLeg) (Execution, string, error) {
	symbol := e.book.OrderSymbol(o)
	m := e.snap.Market(symbol)
	if m == nil {
		return Execution{}, "", fmt.Errorf("sim: order on %s, which is not in the run", symbol)
	}
	x, why := e.cfg.FillModel(m, e.snap.Day, o, legs)
	return x, why, nil
}

// FillModel carries out order o, trading legs (as Book.TradeLegs gives them),
// at market m on day as the backtest fills it: at the fill model's price for
// the package's quote (Package.Reach), or for a stepped order at the first
// rung of the Stepped ladder the market takes; fees per leg from Costs; a
// Close's shares at the spot. why says what stops the fill (no quote, an
// exhausted ladder).
func (cfg *Config) FillModel(m *Market, day int32, o *Order, legs []OrderLeg) (x Execution, why string) {
	exit := o.Kind == Close || o.Kind == Reduce
	units := o.Quantity
	if exit {
		units = 1 // TradeLegs gives a Close's or Reduce's legs as whole contracts
	}
	x.SharePrice = m.Spot
	if len(legs) == 0 {
		return x, ""
	}
	p, why := QuoteLegs(m, day, legs, exit, &cfg.Liquidity)
	if why != "" {
		return x, why
	}
	price := p.Reach(cfg.Mode)
	if o.Pricing == PriceStepped {
		var ok bool
		if price, _, ok = cfg.Stepped.Buy(cfg.Mode, p.Bid, p.Ask, p.Penalty); !ok {
			if exit {
				return x, "stepped exit exhausted"
			}
			return x, "stepped entry exhausted"
		}
	}
	x.Price, x.Penalty = price, p.Penalty
	p.LegPrices(legs, price, x.Legs[:])
	for k, l := range legs {
		x.Fees[k] = cfg.Costs.Leg(abs(l.Ratio) * units)
	}
	return x, ""
}

// describe renders legs as "+1 SPY 2024-03-15 P 450 / -1 …" (the signed
// ratio and the contract), without fmt's reflection.
func describe(legs []OrderLeg) string { return string(appendLegs(nil, legs)) }

// appendLegs appends legs as describe renders them.
func appendLegs(b []byte, legs []OrderLeg) []byte {
	for k, l := range legs {
		if k > 0 {
			b = append(b, " / "...)
		}
		if l.Ratio >= 0 {
			b = append(b, '+')
		}
		b = strconv.AppendInt(b, int64(l.Ratio), 10)
		b = append(b, ' ')
		b = appendContract(b, l.Contract)
	}
	return b
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

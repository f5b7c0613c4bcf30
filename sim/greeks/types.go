package greeks

import (
	"fmt"
	"math"
)

// Right says whether a contract is a call or a put. Its values are the bytes 'C' and
// 'P', the same letters the market store keeps in its put_call column.
type Right uint8

// The two rights. The zero Right is neither and is reported as BadRight.
const (
	Call Right = 'C'
	Put  Right = 'P'
)

// String returns "C", "P" or a description of an invalid value.
func (r Right) String() string {
	switch r {
	case Call, Put:
		return string(rune(r))
	}
	return fmt.Sprintf("Right(%d)", uint8(r))
}

// Style is a contract's exercise style.
type Style uint8

// The exercise styles. European is the zero value: index options (SPX, XSP, NDX) are
// European, single stocks and ETFs American.
const (
	European Style = iota
	American
)

// String returns "European" or "American".
func (s Style) String() string {
	switch s {
	case European:
		return "European"
	case American:
		return "American"
	}
	return fmt.Sprintf("Style(%d)", uint8(s))
}

// Reason says why an output is NaN. OK means it is not.
type Reason uint8

// The reasons. Every output of a contract whose reason is not OK is NaN.
const (
	OK             Reason = iota
	BadSpot               // spot not positive and finite
	BadStrike             // strike not positive and finite
	BadRate               // rate or dividend yield not finite, or |r·T|, |q·T| over 700
	Expired               // time to expiry not positive (or NaN)
	BadVol                // volatility not positive and finite
	BadRight              // right neither Call nor Put, or style unknown
	BadPrice              // option price NaN, infinite or negative
	BelowIntrinsic        // price below the lowest value any volatility gives
	AboveMaximum          // price at or above the value at infinite volatility
	NoTimeValue           // price at, or within rounding of, the zero-volatility value
	NoConvergence         // the American implied-volatility search did not converge
	OutOfRange            // inputs valid one by one but beyond what float64 can evaluate
)

// String describes the reason in a few words.
func (r Reason) String() string {
	switch r {
	case OK:
		return "ok"
	case BadSpot:
		return "spot not positive and finite"
	case BadStrike:
		return "strike not positive and finite"
	case BadRate:
		return "rate or dividend yield not finite, or too large for the expiry"
	case Expired:
		return "time to expiry not positive"
	case BadVol:
		return "volatility not positive and finite"
	case BadRight:
		return "right not C or P, or unknown style"
	case BadPrice:
		return "price NaN, infinite or negative"
	case BelowIntrinsic:
		return "price below intrinsic value"
	case AboveMaximum:
		return "price at or above the infinite-volatility value"
	case NoTimeValue:
		return "price has no time value"
	case NoConvergence:
		return "implied volatility search did not converge"
	case OutOfRange:
		return "inputs out of the range float64 can evaluate"
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// Chain is a chain of option contracts on one underlying at one moment, in
// struct-of-arrays form: the per-chain scalars, then one slice entry per contract.
// Strike, Years and Right must have the same length; Style may be nil (all European)
// or have that length too.
type Chain struct {
	Spot     float64 // S, price of the underlying
	Rate     float64 // r, continuously compounded risk-free rate per year
	Dividend float64 // q, continuous dividend yield per year

	Strike []float64 // K per contract
	Years  []float64 // T per contract: calendar time to settlement in years of 365 days
	Right  []Right   // Call or Put per contract
	Style  []Style   // exercise style per contract; nil means all European
}

// Len returns the number of contracts in the chain.
func (c *Chain) Len() int { return len(c.Strike) }

// check reports a shape error and returns the chain-level reason (OK, BadSpot or
// BadRate) that applies to every contract.
func (c *Chain) check() (int, Reason, error) {
	n := len(c.Strike)
	if len(c.Years) != n || len(c.Right) != n {
		return 0, OK, fmt.Errorf("greeks: chain has %d strikes, %d expiries and %d rights", n, len(c.Years), len(c.Right))
	}
	if c.Style != nil && len(c.Style) != n {
		return 0, OK, fmt.Errorf("greeks: chain has %d strikes and %d styles", n, len(c.Style))
	}
	switch {
	case !(c.Spot > 0 && c.Spot <= math.MaxFloat64):
		return n, BadSpot, nil
	case !(math.Abs(c.Rate) <= math.MaxFloat64 && math.Abs(c.Dividend) <= math.MaxFloat64):
		return n, BadRate, nil
	}
	return n, OK, nil
}

// Greeks receives the results of Compute: one entry per contract in each slice. A nil
// slice is skipped; any other must be at least as long as the chain.
//
// Units: prices are in the currency of Spot and Strike per unit of underlying (multiply
// by the contract multiplier for a contract's value). Time is calendar time in years of
// 365 days.
type Greeks struct {
	Price        []float64 // option value
	Delta        []float64 // ∂V/∂S
	Gamma        []float64 // ∂²V/∂S², per unit of S
	ThetaPerYear []float64 // ∂V/∂t: change of value per year of calendar time passing
	ThetaPerDay  []float64 // ThetaPerYear/365: change of value per calendar day
	VegaPerPoint []float64 // change of value per volatility point, σ up by 0.01
	RhoPerPoint  []float64 // change of value per rate point, r up by 0.01
	Reason       []Reason  // OK, or why this contract's outputs are NaN
}

// Values holds one contract's price and greeks, in the units of the fields of Greeks
// with the same names.
type Values struct {
	Price        float64
	Delta        float64
	Gamma        float64
	ThetaPerYear float64
	ThetaPerDay  float64
	VegaPerPoint float64
	RhoPerPoint  float64
}

// nanValues returns what an invalid contract gets.
func nanValues() Values {
	n := math.NaN()
	return Values{n, n, n, n, n, n, n}
}

func (g *Greeks) check(n int) error {
	for _, s := range []struct {
		name string
		v    []float64
	}{
		{"Price", g.Price}, {"Delta", g.Delta}, {"Gamma", g.Gamma},
		{"ThetaPerYear", g.ThetaPerYear}, {"ThetaPerDay", g.ThetaPerDay},
		{"VegaPerPoint", g.VegaPerPoint}, {"RhoPerPoint", g.RhoPerPoint},
	} {
		if s.v != nil && len(s.v) < n {
			return fmt.Errorf("greeks: output %s has %d entries for %d contracts", s.name, len(s.v), n)
		}
	}
	if g.Reason != nil && len(g.Reason) < n {
		return fmt.Errorf("greeks: output Reason has %d entries for %d contracts", len(g.Reason), n)
	}
	return nil
}

// set stores v as contract i's results.
func (g *Greeks) set(i int, v *Values, r Reason) {
	if g.Price != nil {
		g.Price[i] = v.Price
	}
	if g.Delta != nil {
		g.Delta[i] = v.Delta
	}
	if g.Gamma != nil {
		g.Gamma[i] = v.Gamma
	}
	if g.ThetaPerYear != nil {
		g.ThetaPerYear[i] = v.ThetaPerYear
	}
	if g.ThetaPerDay != nil {
		g.ThetaPerDay[i] = v.ThetaPerDay
	}
	if g.VegaPerPoint != nil {
		g.VegaPerPoint[i] = v.VegaPerPoint
	}
	if g.RhoPerPoint != nil {
		g.RhoPerPoint[i] = v.RhoPerPoint
	}
	if g.Reason != nil {
		g.Reason[i] = r
	}
}

// Option is one contract with its market, for the one-at-a-time API. The bulk
// functions Compute and ImpliedVol are faster for whole chains.
type Option struct {
	Right    Right
	Style    Style
	Spot     float64 // S
	Strike   float64 // K
	Years    float64 // T, calendar time to settlement in years of 365 days
	Rate     float64 // r, continuously compounded per year
	Dividend float64 // q, continuous dividend yield per year
}

// validate returns the reason o cannot be valued (OK if it can).
func (o *Option) validate() Reason {
	switch {
	case !(o.Spot > 0 && o.Spot <= math.MaxFloat64):
		return BadSpot
	case !(math.Abs(o.Rate) <= math.MaxFloat64 && math.Abs(o.Dividend) <= math.MaxFloat64):
		return BadRate
	}
	return contractReason(o.Right, o.Style, o.Strike, o.Years, o.Rate, o.Dividend)
}

// contractReason checks the per-contract inputs shared by pricing and implied vol,
// given rates r and q already known to be finite.
func contractReason(right Right, style Style, k, t, r, q float64) Reason {
	switch {
	case right != Call && right != Put || style > American:
		return BadRight
	case !(k > 0 && k <= math.MaxFloat64):
		return BadStrike
	case !(t > 0 && t <= math.MaxFloat64):
		return Expired
	case !(math.Abs(r*t) <= 700 && math.Abs(q*t) <= 700 && math.Abs((r-q)*t) <= 700):
		return BadRate // e^{−rT} and friends would overflow
	}
	return OK
}

// errShape reports an input or output slice shorter than the chain.
func errShape(name string, got, want int) error {
	return fmt.Errorf("greeks: %s has %d entries for %d contracts", name, got, want)
}

package fill

import (
	"fmt"
	"math"
	"strings"
)

// Mode is a fill mode: how far from the fair price an order is assumed to fill.
// The zero value is Optimistic, the seed's default ('mid').
type Mode uint8

// Fill modes, from most to least favourable to the trader.
const (
	// Optimistic fills at the mid (patient, favourable fills). The seed calls it "mid".
	Optimistic Mode = iota
	// Realistic gives up 30 % of the penalised spread (normal retail execution).
	Realistic
	// Pessimistic gives up 75 % of the penalised spread (forced, stressed execution).
	Pessimistic
)

// Fractions of the (penalised) spread or bar range given up in each mode.
const (
	realisticFrac   = 0.30
	pessimisticFrac = 0.75
	// optimisticBarFrac is the share of a bar's range an optimistic buyer gains
	// below the close.
	optimisticBarFrac = 0.25
)

// String returns "optimistic", "realistic" or "pessimistic", or "Mode(n)" for an
// unknown value.
func (m Mode) String() string {
	switch m {
	case Optimistic:
		return "optimistic"
	case Realistic:
		return "realistic"
	case Pessimistic:
		return "pessimistic"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// ParseMode parses a fill mode name: "optimistic", "realistic" or "pessimistic", and
// "mid" (the seed's name for Optimistic). Case and surrounding space are ignored.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "optimistic", "mid":
		return Optimistic, nil
	case "realistic":
		return Realistic, nil
	case "pessimistic":
		return Pessimistic, nil
	}
	return 0, fmt.Errorf("fill: unknown fill mode %q (want optimistic, mid, realistic or pessimistic)", s)
}

// MarshalText implements encoding.TextMarshaler; it returns m.String().
func (m Mode) MarshalText() ([]byte, error) {
	if m > Pessimistic {
		return nil, fmt.Errorf("fill: cannot marshal unknown fill mode %d", uint8(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseMode], so a mode can be
// written by name in YAML or JSON grids.
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := ParseMode(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// frac returns the share of the penalised spread given up in mode m. Unknown modes
// price as Realistic, as the seed's else-branch does.
func (m Mode) frac() float64 {
	switch m {
	case Optimistic:
		return 0
	case Pessimistic:
		return pessimisticFrac
	}
	return realisticFrac
}

// clamp returns max(lo, min(hi, x)), in the seed's order.
func clamp(x, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, x))
}

// Sell returns the price per share received when selling at a quote (seed
// get_entry_price). With mid = (bid+ask)/2 and spread = ask−bid:
//
//	optimistic:  mid                            (no penalty applied)
//	realistic:   mid − 0.30·spread·penalty
//	pessimistic: mid − 0.75·spread·penalty
//
// clamped to [bid, ask] as max(bid, min(ask, price)). penalty is the liquidity
// multiplier from [Liquidity.Classify] (1 for no extra slippage). Unknown modes price
// as Realistic.
func Sell(m Mode, bid, ask, penalty float64) float64 {
	mid := (bid + ask) / 2
	if m == Optimistic {
		return mid
	}
	return clamp(mid-m.frac()*(ask-bid)*penalty, bid, ask)
}

// Buy returns the price per share paid when buying at a quote. It is the mirror image
// of [Sell], which the seed does not have (it buys back from daily bars, see [BarBuy]):
//
//	optimistic:  mid
//	realistic:   mid + 0.30·spread·penalty
//	pessimistic: mid + 0.75·spread·penalty
//
// clamped to [bid, ask].
func Buy(m Mode, bid, ask, penalty float64) float64 {
	mid := (bid + ask) / 2
	if m == Optimistic {
		return mid
	}
	return clamp(mid+m.frac()*(ask-bid)*penalty, bid, ask)
}

// BarBuy returns the price per share paid when buying back an option from its daily
// bar (seed get_exit_price, used for the wheel's profit-target and stop-loss exits).
// The day's range high−low stands in for the spread; with r = (high−low)·penalty:
//
//	optimistic:  max(low,  close − 0.25·r)   (a patient buyer gets below the close)
//	realistic:   min(high, close + 0.30·r)
//	pessimistic: min(high, close + 0.75·r)
//
// Unlike [Sell], the optimistic mode applies the penalty too, as the seed does. Unknown
// modes price as Realistic.
func BarBuy(m Mode, high, low, close, penalty float64) float64 {
	r := (high - low) * penalty
	if m == Optimistic {
		return math.Max(low, close-optimisticBarFrac*r)
	}
	return math.Min(high, close+m.frac()*r)
}

// BarSell returns the price per share received when selling (closing a long option)
// from its daily bar. It is the mirror image of [BarBuy], not in the seed; with
// r = (high−low)·penalty:
//
//	optimistic:  min(high, close + 0.25·r)
//	realistic:   max(low,  close − 0.30·r)
//	pessimistic: max(low,  close − 0.75·r)
func BarSell(m Mode, high, low, close, penalty float64) float64 {
	r := (high - low) * penalty
	if m == Optimistic {
		return math.Min(high, close+optimisticBarFrac*r)
	}
	return math.Max(low, close-m.frac()*r)
}

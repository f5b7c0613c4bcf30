package fill

import "math"

// RoundCents rounds a price to whole cents exactly as Python's round(x, 2), which the
// seeds use: to the cent nearest the exact binary value of x, halves to even.
//
// The naive math.Round(x*100)/100 is wrong near half cents, because x*100 is itself
// rounded: 1.005 is stored as 1.00499999999999989…, which should round to 1.00, but
// 1.005*100 rounds to exactly 100.5 and math.Round takes it to 101. RoundCents detects
// that case (x*100 landing exactly on a half) and decides it with the exact residual
// x·100 − fl(x·100), computed with a fused multiply-add; only when the residual is zero
// is x a true half cent (such as 0.125), which goes to the even cent (0.12), as in
// Python. The result is the float64 nearest to the cent value. NaN, infinities and
// values too large to carry cents are returned unchanged.
func RoundCents(x float64) float64 {
	a := math.Abs(x)
	if !(a < 1<<45) { // also NaN and ±Inf
		return x
	}
	p := a * 100
	n := math.Floor(p)
	var c float64
	switch d := p - n; { // exact: p and n are within a factor of two, or n is 0
	case d > 0.5:
		c = n + 1
	case d < 0.5:
		c = n
	default: // p is exactly n+0.5; the exact product a·100 = p + e decides.
		switch e := math.FMA(a, 100, -p); {
		case e > 0:
			c = n + 1
		case e < 0:
			c = n
		case math.Mod(n, 2) != 0:
			c = n + 1
		default:
			c = n
		}
	}
	return math.Copysign(c/100, x)
}

// priceEps is the tolerance of a limit-versus-market comparison: it keeps a limit equal
// to the reachable price, but for binary representation, filling.
const priceEps = 1e-9

// Stepped is a stepped limit-order entry (seed 000 _execute_stepped_entry): the order
// starts at the mid (or the bid) and, while unfilled, is cancelled and re-placed one
// step of StepPct·spread closer to the far side, MaxSteps times (MaxSteps+1 attempts in
// all), never past a floor.
type Stepped struct {
	// StartAtBid starts a sell ladder at the bid (a buy ladder at the ask) instead of
	// the mid. Seed entry_start_price "bid"; the default is "mid".
	StartAtBid bool
	// StepPct is each step's size as a fraction of the spread. Seed entry_step_pct.
	StepPct float64
	// MaxSteps is the number of price reductions. Seed entry_max_steps.
	MaxSteps int
}

// DefaultStepped returns the seed's ladder: start at the mid, steps of 20 % of the
// spread, 4 steps (5 attempts).
func DefaultStepped() Stepped {
	return Stepped{StartAtBid: false, StepPct: 0.20, MaxSteps: 4}
}

// sellRung returns the limit price of step k of a sell ladder.
func (s Stepped) sellRung(k int, bid, mid, spread, floor float64) float64 {
	start := mid
	if s.StartAtBid {
		start = bid
	}
	return RoundCents(math.Max(start-float64(k)*s.StepPct*spread, floor))
}

// buyRung returns the limit price of step k of a buy ladder.
func (s Stepped) buyRung(k int, ask, mid, spread, ceil float64) float64 {
	start := mid
	if s.StartAtBid {
		start = ask
	}
	return RoundCents(math.Min(start+float64(k)*s.StepPct*spread, ceil))
}

// sellFloor returns max(bid, mid − MaxSteps·StepPct·spread).
func (s Stepped) sellFloor(bid, mid, spread float64) float64 {
	return math.Max(bid, mid-float64(s.MaxSteps)*s.StepPct*spread)
}

// buyCeil returns min(ask, mid + MaxSteps·StepPct·spread).
func (s Stepped) buyCeil(ask, mid, spread float64) float64 {
	return math.Min(ask, mid+float64(s.MaxSteps)*s.StepPct*spread)
}

// Ladder appends to dst[:0] the limit prices of a sell ladder's steps 0..MaxSteps and
// returns it (empty when MaxSteps < 0). With mid = (bid+ask)/2, spread = ask−bid and
// start = mid (or bid when StartAtBid), as the seed computes them:
//
//	floor    = max(bid, mid − MaxSteps·StepPct·spread)
//	limit(k) = RoundCents(max(start − k·StepPct·spread, floor))
//
// Rounding comes after the floor, as in the seed, so a floor between cents can round
// half a cent below itself. With StartAtBid every rung is the floor, which is the bid
// unless MaxSteps·StepPct < 1/2: the seed steps down from the bid and meets the floor at
// once, and a floor above the bid lifts the whole ladder to it.
func (s Stepped) Ladder(dst []float64, bid, ask float64) []float64 {
	dst = dst[:0]
	mid, spread := (bid+ask)/2, ask-bid
	floor := s.sellFloor(bid, mid, spread)
	for k := 0; k <= s.MaxSteps; k++ {
		dst = append(dst, s.sellRung(k, bid, mid, spread, floor))
	}
	return dst
}

// BuyLadder is the mirror image of [Stepped.Ladder] for buy orders (not in the seed):
// from start = mid (or ask when StartAtBid; every rung is then the ceiling) up toward
// the ask,
//
//	ceiling  = min(ask, mid + MaxSteps·StepPct·spread)
//	limit(k) = RoundCents(min(start + k·StepPct·spread, ceiling))
func (s Stepped) BuyLadder(dst []float64, bid, ask float64) []float64 {
	dst = dst[:0]
	mid, spread := (bid+ask)/2, ask-bid
	ceil := s.buyCeil(ask, mid, spread)
	for k := 0; k <= s.MaxSteps; k++ {
		dst = append(dst, s.buyRung(k, ask, mid, spread, ceil))
	}
	return dst
}

// Sell models a stepped sell-to-open in a backtest, where one quote stands for the
// market during the whole ladder. The market is taken to pay a seller
// reach = [Sell](m, bid, ask, penalty); the order walks the rungs of [Stepped.Ladder]
// and fills at the first rung whose limit ≤ reach (within 1e-9 for binary
// representation), at that rung's limit price. It returns the price, the step (0 for
// the first attempt) and ok = true; or 0, −1, false when no rung fills (the entry is
// exhausted, as the seed gives up) or the quote is not valid (NaN, ask < bid).
//
// In Optimistic mode reach is the mid, so a ladder starting at the mid fills at step 0.
func (s Stepped) Sell(m Mode, bid, ask, penalty float64) (price float64, step int, ok bool) {
	if !(ask >= bid) {
		return 0, -1, false
	}
	reach := Sell(m, bid, ask, penalty)
	mid, spread := (bid+ask)/2, ask-bid
	floor := s.sellFloor(bid, mid, spread)
	for k := 0; k <= s.MaxSteps; k++ {
		if limit := s.sellRung(k, bid, mid, spread, floor); limit <= reach+priceEps {
			return limit, k, true
		}
	}
	return 0, -1, false
}

// Buy is the mirror image of [Stepped.Sell] for buy orders (buy-to-open, or
// buy-to-close at a quote): the market is taken to charge a buyer
// reach = [Buy](m, bid, ask, penalty), and the order fills at the first rung of
// [Stepped.BuyLadder] whose limit ≥ reach (within 1e-9), at that limit.
func (s Stepped) Buy(m Mode, bid, ask, penalty float64) (price float64, step int, ok bool) {
	if !(ask >= bid) {
		return 0, -1, false
	}
	reach := Buy(m, bid, ask, penalty)
	mid, spread := (bid+ask)/2, ask-bid
	ceil := s.buyCeil(ask, mid, spread)
	for k := 0; k <= s.MaxSteps; k++ {
		if limit := s.buyRung(k, ask, mid, spread, ceil); limit >= reach-priceEps {
			return limit, k, true
		}
	}
	return 0, -1, false
}

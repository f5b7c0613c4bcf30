package csp

import (
	"math"
	"sort"

	"github.com/optsweep/sweep/sim"
)

// candidate is one put of a chain as the options filter sees it (seed
// OptionContract).
type candidate struct {
	symbol       string
	row          int // row in the day's chain
	exp          int32
	strike       float64
	bid, ask     float64
	delta, iv    float64 // NaN when unknown
	dte          int     // calendar days to expiration
	effDTE       float64 // dte + the fraction of today's session left
	ret          float64 // daily return on collateral: bid / effDTE / strike
	perDelta     float64 // ret / |delta|, 0 without a delta
	daysSince    int     // calendar days since a close ≤ strike; 999 if none
	volume, oi   int64   // previous session's volume and open interest; -1 unknown
	spot, spread float64 // the underlying's price; (ask−bid)/mid
}

// Options filter failure reasons, counted per symbol for the decision log.
const (
	failPremium = iota
	failStrikeHigh
	failStrikeLow
	failDeltaNA
	failDelta
	failDTE
	failVolume
	failOI
	failSpread
	nReasons
)

var reasonNames = [nReasons]string{"premium", "strike>max_pct", "strike<min_pct", "delta_na", "delta", "dte", "volume", "oi", "spread"}

// newCandidate fills the contract-derived values of row i of chain ch.
// frac is the fraction of today's session left at the decision time.
func newCandidate(symbol string, ch *sim.Chain, i int, day int32, spot, frac float64) candidate {
	c := candidate{symbol: symbol, row: i, exp: ch.Expiration[i], strike: ch.Strike[i],
		bid: ch.Bid[i], ask: ch.Ask[i], delta: ch.Delta[i], iv: ch.IV[i],
		dte: int(ch.Expiration[i] - day), volume: ch.PrevVolume[i], oi: ch.OpenInterest[i], spot: spot}
	c.effDTE = float64(c.dte) + frac
	// Seed daily_return_on_collateral: 0 for a non-positive strike or DTE.
	if c.strike > 0 && c.dte > 0 && c.effDTE > 0 {
		c.ret = c.bid / c.effDTE / c.strike
	}
	if d := math.Abs(c.delta); d > 0 { // the seed treats a zero delta as missing
		c.perDelta = c.ret / d
	}
	if mid := (c.bid + c.ask) / 2; mid > 0 {
		c.spread = (c.ask - c.bid) / mid
	} else {
		c.spread = math.NaN()
	}
	return c
}

// evalOption runs the seed's OptionsFilter.evaluate, adding each failure to
// counts; it reports whether the contract passes.
func (cfg *Config) evalOption(c *candidate, counts *[nReasons]int) bool {
	ok := true
	fail := func(r int) { counts[r]++; ok = false }
	if cfg.EnablePremiumCheck && c.ret < cfg.MinDailyReturn {
		fail(failPremium)
	}
	// The strike bounds in percent of the price are checked always, whatever
	// max_strike_mode says (seed quirk: in sma mode an SMA ceiling above
	// max_strike_pct × price is cut back to it).
	pct := c.strike / c.spot
	if pct > cfg.MaxStrikePct {
		fail(failStrikeHigh)
	}
	if pct < cfg.MinStrikePct {
		fail(failStrikeLow)
	}
	if cfg.EnableDeltaCheck {
		d := math.Abs(c.delta)
		switch {
		case !(d > 0): // NaN or zero: the seed's "Delta unavailable"
			fail(failDeltaNA)
		case d < cfg.DeltaMin || d > cfg.DeltaMax:
			fail(failDelta)
		}
	}
	if cfg.EnableDTECheck && (c.dte < cfg.MinDTE || c.dte > cfg.MaxDTE) {
		fail(failDTE)
	}
	if cfg.EnableVolumeCheck && cfg.MinVolume > 0 && max(c.volume, 0) < int64(cfg.MinVolume) {
		fail(failVolume)
	}
	if cfg.EnableOpenInterestCheck && cfg.MinOpenInterest > 0 && max(c.oi, 0) < int64(cfg.MinOpenInterest) {
		fail(failOI)
	}
	if cfg.EnableSpreadCheck && cfg.MaxSpreadPct < 1 && c.spread > cfg.MaxSpreadPct {
		fail(failSpread)
	}
	return ok
}

// rankKey returns c's ranking key under mode: higher ranks first.
func rankKey(mode string, c *candidate) float64 {
	switch mode {
	case RankReturnPerDelta:
		return c.perDelta
	case RankDaysSinceStrike:
		return float64(c.daysSince)
	case RankLowestStrike:
		return -c.strike
	}
	return c.ret
}

// rank sorts cs by mode, best first; ties go to the earlier expiration, the
// lower strike, then the symbol first in sort order, so the order never
// depends on input order.
func rank(mode string, cs []candidate) {
	sort.Slice(cs, func(i, j int) bool {
		a, b := &cs[i], &cs[j]
		if ka, kb := rankKey(mode, a), rankKey(mode, b); ka != kb {
			return ka > kb
		}
		if a.exp != b.exp {
			return a.exp < b.exp
		}
		if a.strike != b.strike {
			return a.strike < b.strike
		}
		return a.symbol < b.symbol
	})
}

// daysSinceStrike returns the calendar days from the last of closes that is
// ≤ strike to today, or 999 when none is (seed days_since_strike). days holds
// the closes' dates.
func daysSinceStrike(closes []float64, days []int32, today int32, strike float64) int {
	for i := len(closes) - 1; i >= 0; i-- {
		if closes[i] <= strike {
			return int(today - days[i])
		}
	}
	return 999
}

// targetQuantity is the seed's compute_target_quantity: contracts worth
// startCash × max_position_pct of collateral (or of the available cash when
// less is available), at most max_contracts_per_ticker, at least 1.
func (cfg *Config) targetQuantity(collateral, available, startCash float64) int {
	if collateral <= 0 {
		return 1
	}
	target := startCash * cfg.MaxPositionPct
	n := int(math.Floor(available / collateral))
	if available >= target {
		n = int(math.Floor(target / collateral))
	}
	return max(1, min(n, cfg.MaxContractsPerTicker))
}

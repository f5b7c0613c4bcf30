package csp

import (
	"fmt"
	"math"
	"strings"

	"github.com/optsweep/sweep/sim/indicators"
)

// equityResult is the equity filter's verdict on one symbol (seed
// EquityFilterResult).
type equityResult struct {
	price, sma8, sma20, sma50, rsi, bbUpper float64
	bandSMA, bandUpper                      float64
	ceilingSMA                              float64 // SMA(max_strike_sma_period)
	trending                                bool
	fails                                   []string
}

func (r *equityResult) pass() bool { return len(r.fails) == 0 }

// scratch holds the buffers the per-day computations reuse.
type scratch struct {
	closes        []float64
	days          []int32
	a, b, c, d    []float64
	fails         []string
	cands, best   []candidate
	reasons       [nReasons]int
	sb            strings.Builder
	held, closing map[string]bool
}

func (s *scratch) size(n int) {
	if cap(s.a) < n {
		s.a, s.b, s.c, s.d = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	}
	s.a, s.b, s.c, s.d = s.a[:n], s.b[:n], s.c[:n], s.d[:n]
}

// lastSMA returns SMA(n) of x at its last index, NaN with fewer than n values.
func (s *scratch) lastSMA(x []float64, n int) float64 {
	if n > len(x) {
		return math.NaN()
	}
	indicators.SMA(s.a, x, n)
	return s.a[len(x)-1]
}

// lastUpper returns the upper Bollinger band (n, k) of x at its last index.
func (s *scratch) lastUpper(x []float64, n int, k float64) float64 {
	if n > len(x) {
		return math.NaN()
	}
	indicators.Bollinger(s.b, s.c, s.d, x, n, k)
	return s.d[len(x)-1]
}

// evalEquity runs the seed's EquityFilter.evaluate on closes (oldest first,
// today's price last) with starting cash startCash. The returned fails slice
// is scratch space, valid until the next call.
func (c *Config) evalEquity(s *scratch, closes []float64, startCash float64) equityResult {
	n := len(closes)
	r := equityResult{fails: s.fails[:0]}
	r.price = math.NaN()
	if n > 0 {
		r.price = closes[n-1]
	}
	if n < minCloses {
		r.fails = append(r.fails, fmt.Sprintf("insufficient history (%d closes < %d)", n, minCloses))
		s.fails = r.fails
		return r
	}
	s.size(n)
	last := n - 1
	p := r.price
	r.sma8 = s.lastSMA(closes, 8)
	r.sma20 = s.lastSMA(closes, 20)
	indicators.SMA(s.a, closes, 50)
	r.sma50 = s.a[last]
	r.trending = indicators.Rising(s.a, last, c.SMATrendLookback)
	indicators.RSISimple(s.b, closes, c.RSIPeriod)
	r.rsi = s.b[last]
	if c.RSIFlat == RSIFlatNaN && flat(closes[max(n-1-c.RSIPeriod, 0):]) {
		r.rsi = math.NaN() // the seed divides 0 gains by 0 losses
	}
	r.bbUpper = s.lastUpper(closes, c.BBPeriod, c.BBStd)
	r.bandSMA = s.lastSMA(closes, c.SMABBPeriod)
	r.bandUpper = s.lastUpper(closes, c.SMABBPeriod, c.BBStd)
	r.ceilingSMA = s.lastSMA(closes, c.MaxStrikeSMAPeriod)

	// NaN indicators fail every check, as the seed's comparisons do.
	add := func(format string, a ...any) { r.fails = append(r.fails, fmt.Sprintf(format, a...)) }
	if c.EnableSMA8Check && !(p > r.sma8) {
		add("price %.2f <= SMA(8) %.2f", p, r.sma8)
	}
	if c.EnableSMA20Check && !(p > r.sma20) {
		add("price %.2f <= SMA(20) %.2f", p, r.sma20)
	}
	if c.EnableSMA50Check && !(p > r.sma50) {
		add("price %.2f <= SMA(50) %.2f", p, r.sma50)
	}
	if c.EnableBBUpperCheck && !(p > r.bbUpper) {
		add("price %.2f <= BB_upper(%d) %.2f", p, c.BBPeriod, r.bbUpper)
	}
	if c.EnableBandCheck && !(r.bandSMA <= p && p <= r.bandUpper) {
		if p < r.bandSMA {
			add("price %.2f < SMA(%d) %.2f", p, c.SMABBPeriod, r.bandSMA)
		} else {
			add("price %.2f > BB_upper(%d) %.2f", p, c.SMABBPeriod, r.bandUpper)
		}
	}
	if c.EnableSMA50TrendCheck && !r.trending {
		add("SMA(50) not rising for %d days", c.SMATrendLookback)
	}
	if c.EnableRSICheck && !(c.RSILower < r.rsi && r.rsi < c.RSIUpper) {
		add("RSI %.1f outside (%g, %g)", r.rsi, c.RSILower, c.RSIUpper)
	}
	if c.EnablePositionSizeCheck {
		if limit := startCash * c.MaxPositionPct; p*100 > limit {
			add("collateral $%.0f > %g of starting cash ($%.0f)", p*100, c.MaxPositionPct, limit)
		}
	}
	s.fails = r.fails
	return r
}

// flat reports whether every value of x equals the first.
func flat(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return true
}

package fill

import (
	"math"
	"math/rand/v2"
)

// Probabilistic is the probabilistic profit-target fill model of the wheel backtester
// (seed compute_p_fill_profit, try_probabilistic_fill). When the option's daily low
// touches the profit target, the buy-back fills only with probability P, which depends
// on the spread and the IV percentile at entry; a touch that does not fill leaves the
// position open to be tried again on a later touch.
type Probabilistic struct {
	// Enabled turns the model on; when off every touch fills (seed
	// use_probabilistic_exit_fills).
	Enabled bool
	// PTight, PNormal and PWide are the base fill probabilities of the spread buckets.
	PTight, PNormal, PWide float64
	// TightSpreadPct and NormalSpreadPct bound the tight and normal buckets.
	TightSpreadPct, NormalSpreadPct float64
	// Scale multiplies the bucket's probability (seed pfill_scale).
	Scale float64
	// Min and Max clamp the final probability.
	Min, Max float64
	// IVPHighThreshold and IVPHighMult: at IVP ≥ the threshold the probability is
	// multiplied by IVPHighMult. The seed shares the liquidity model's threshold.
	IVPHighThreshold, IVPHighMult float64
	// IVPExtremeThreshold and IVPExtremeMult: at IVP ≥ the threshold the probability is
	// multiplied by IVPExtremeMult (instead of IVPHighMult).
	IVPExtremeThreshold, IVPExtremeMult float64
}

// DefaultProbabilistic returns the seed's settings: enabled; 0.90 for spreads ≤ 5 %,
// 0.70 for ≤ 10 %, 0.40 wider; scale 0.6; clamp [0.05, 0.98]; × 0.85 at IVP ≥ 0.70 and
// × 0.70 at IVP ≥ 0.90.
func DefaultProbabilistic() Probabilistic {
	return Probabilistic{
		Enabled:             true,
		PTight:              0.90,
		PNormal:             0.70,
		PWide:               0.40,
		TightSpreadPct:      0.05,
		NormalSpreadPct:     0.10,
		Scale:               0.6,
		Min:                 0.05,
		Max:                 0.98,
		IVPHighThreshold:    0.70,
		IVPHighMult:         0.85,
		IVPExtremeThreshold: 0.90,
		IVPExtremeMult:      0.70,
	}
}

// P returns the probability that a profit-target touch fills, from the spread_pct and
// IV percentile at entry (seed compute_p_fill_profit):
//
//	p = PTight   if spreadPct ≤ TightSpreadPct
//	    PNormal  else if spreadPct ≤ NormalSpreadPct
//	    PWide    otherwise
//	p ×= Scale
//	p ×= IVPExtremeMult if ivp ≥ IVPExtremeThreshold, else IVPHighMult if ivp ≥ IVPHighThreshold
//	P = max(Min, min(Max, p))
//
// A NaN spreadPct falls in the wide bucket (as a NaN compares in the seed) and a NaN
// ivp gets no multiplier (as the seed's default 0.5). P ignores Enabled.
func (p Probabilistic) P(spreadPct, ivp float64) float64 {
	var pf float64
	switch {
	case spreadPct <= p.TightSpreadPct:
		pf = p.PTight
	case spreadPct <= p.NormalSpreadPct:
		pf = p.PNormal
	default:
		pf = p.PWide
	}
	pf *= p.Scale
	switch {
	case ivp >= p.IVPExtremeThreshold:
		pf *= p.IVPExtremeMult
	case ivp >= p.IVPHighThreshold:
		pf *= p.IVPHighMult
	}
	return math.Max(p.Min, math.Min(p.Max, pf))
}

// Draw is one recorded fill draw: the probability, the uniform number drawn and the
// outcome. Every draw is kept in the trade record so a run can be audited.
type Draw struct {
	P      float64 // fill probability
	U      float64 // uniform draw in [0, 1)
	Filled bool    // U ≤ P
}

// Try draws whether a profit-target touch fills (seed try_probabilistic_fill):
// U = r.Float64(), uniform in [0, 1), and Filled = U ≤ P(spreadPct, ivp). It consumes
// exactly one value from r per call. When the model is disabled Try consumes nothing and
// returns Draw{P: 1, U: 0, Filled: true}, as the seed fills every touch without a draw.
func (p Probabilistic) Try(spreadPct, ivp float64, r *rand.Rand) Draw {
	if !p.Enabled {
		return Draw{P: 1, U: 0, Filled: true}
	}
	pf := p.P(spreadPct, ivp)
	u := r.Float64()
	return Draw{P: pf, U: u, Filled: u <= pf}
}

// FNV-1a 64-bit parameters.
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// KeyHash returns the 64-bit FNV-1a hash of key, the stream selector [NewRand] uses.
func KeyHash(key string) uint64 {
	h := uint64(fnvOffset64)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= fnvPrime64
	}
	return h
}

// NewRand returns a generator for the draws of one position: a PCG generator seeded
// with rand.NewPCG(seed, KeyHash(key)). seed is the run's seed (the grid seed mixed with
// the cell key); key names the position (for example "SPY|2024-03-15|P450|wheel-7").
// The same seed and key give the same sequence whatever order positions, cells or
// workers run in; different keys give unrelated sequences. The seed uses
// numpy.random.RandomState(seed + hash(wheel_id) % 10000), whose Python string hash is
// salted per process; this generator is stable across processes and machines.
func NewRand(seed uint64, key string) *rand.Rand {
	return rand.New(rand.NewPCG(seed, KeyHash(key)))
}

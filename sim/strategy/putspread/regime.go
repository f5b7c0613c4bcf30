package putspread

import "math"

// Regime is a market regime of section 3.3 of the design document.
type Regime uint8

// Regimes. Unknown stands for a warm-up without the data to classify.
const (
	Unknown Regime = iota
	BullishCalm
	ElevatedVol
	HighVol
	Crisis
	BearTrend
)

// String returns the regime's name as the document writes it.
func (r Regime) String() string {
	switch r {
	case BullishCalm:
		return "Bullish Calm"
	case ElevatedVol:
		return "Elevated Vol"
	case HighVol:
		return "High Vol"
	case Crisis:
		return "Crisis"
	case BearTrend:
		return "Bear Trend"
	}
	return "Unknown"
}

// Key returns the regime's name as one lower-case word, for the logs'
// key=value pairs ("bullish_calm").
func (r Regime) Key() string {
	switch r {
	case BullishCalm:
		return "bullish_calm"
	case ElevatedVol:
		return "elevated_vol"
	case HighVol:
		return "high_vol"
	case Crisis:
		return "crisis"
	case BearTrend:
		return "bear_trend"
	}
	return "unknown"
}

// Halts reports whether the regime halts new entries (and, with
// regime_exit, closes every position): Crisis and Bear Trend.
func (r Regime) Halts() bool { return r == Crisis || r == BearTrend }

// Classify returns the regime for VIX level vix, the VIX / VIX3M ratio, and
// the last close against the trend EMA. Crisis wins over Bear Trend, which
// wins over the VIX bands: VIX > vix_crisis_threshold or ratio ≥
// crisis_term_structure_ratio is Crisis; close < EMA is Bear Trend; then VIX
// ≥ vix_high_vol_threshold is High Vol, VIX ≥ vix_elevated_threshold
// Elevated Vol, and lower Bullish Calm. A NaN ratio does not make a crisis
// (gate 3 fails on it instead); a NaN VIX, close or EMA gives Unknown.
func (c *Config) Classify(vix, ratio, close, ema float64) Regime {
	switch {
	case math.IsNaN(vix) || math.IsNaN(close) || math.IsNaN(ema):
		return Unknown
	case vix > c.VIXCrisis || ratio >= c.CrisisTermRatio:
		return Crisis
	case close < ema:
		return BearTrend
	case vix >= c.VIXHighVol:
		return HighVol
	case vix >= c.VIXElevated:
		return ElevatedVol
	}
	return BullishCalm
}

// targetDelta returns the short put's delta target at VIX level vix: with
// vix_adjusted_delta, target_delta below vix_elevated_threshold,
// target_delta_elevated below vix_high_vol_threshold and
// target_delta_high_vol from there up (section 11.2).
func (c *Config) targetDelta(vix float64) float64 {
	if !c.VIXAdjustedDelta {
		return c.TargetDelta
	}
	switch {
	case vix >= c.VIXHighVol:
		return c.TargetDeltaHighVol
	case vix >= c.VIXElevated:
		return c.TargetDeltaElevated
	}
	return c.TargetDelta
}

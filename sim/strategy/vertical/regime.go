package vertical

import (
	"fmt"
	"math"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/indicators"
)

// Regime is a volatility regime of seed 003's RegimeDetector.
type Regime string

// The regimes, in the order Classify tests them.
const (
	// LowVol: VIX < low_vol_vix and VIX rank < low_vol_vix_rank. Sell premium.
	LowVol Regime = "low_vol"
	// HighVol: VIX > high_vol_vix or VIX rank > high_vol_vix_rank. Reduce size.
	HighVol Regime = "high_vol"
	// IVExpansion: HV/IV > expansion_hv_iv and VIX rank > expansion_vix_rank.
	// Buy options (IV will rise).
	IVExpansion Regime = "iv_expansion"
	// IVContraction: HV/IV < contraction_hv_iv and VIX rank <
	// contraction_vix_rank. Sell options (IV will fall).
	IVContraction Regime = "iv_contraction"
	// Neutral: none of the above. No new positions.
	Neutral Regime = "neutral"
)

// Regimes returns every regime in Classify's order.
func Regimes() []Regime { return []Regime{LowVol, HighVol, IVExpansion, IVContraction, Neutral} }

// Valid reports whether r is one of the five regimes.
func (r Regime) Valid() bool {
	for _, x := range Regimes() {
		if r == x {
			return true
		}
	}
	return false
}

// RegimeConfig holds the regime detector's windows and thresholds, with
// seed 003's names and defaults (section 2.2.2).
type RegimeConfig struct {
	VIXRankWindow int `param:"vix_rank_window" help:"VIX closes in the VIX rank (percentile of the last close among them)"`
	HVWindow      int `param:"hv_window" help:"daily log returns in the realized volatility (rv_20)"`

	LowVolVIX          float64 `param:"low_vol_vix" help:"low_vol: VIX below this"`
	LowVolVIXRank      float64 `param:"low_vol_vix_rank" help:"low_vol: and VIX rank below this"`
	HighVolVIX         float64 `param:"high_vol_vix" help:"high_vol: VIX above this"`
	HighVolVIXRank     float64 `param:"high_vol_vix_rank" help:"high_vol: or VIX rank above this"`
	ExpansionHVIV      float64 `param:"expansion_hv_iv" help:"iv_expansion: HV/IV above this"`
	ExpansionVIXRank   float64 `param:"expansion_vix_rank" help:"iv_expansion: and VIX rank above this"`
	ContractionHVIV    float64 `param:"contraction_hv_iv" help:"iv_contraction: HV/IV below this"`
	ContractionVIXRank float64 `param:"contraction_vix_rank" help:"iv_contraction: and VIX rank below this"`
}

// DefaultRegimeConfig returns the seed's regime rules: a 252-day VIX rank, a
// 20-day realized volatility, low_vol below VIX 15 and rank 30 %, high_vol
// above VIX 25 or rank 80 %, iv_expansion above HV/IV 0.9 and rank 50 %,
// iv_contraction below HV/IV 0.6 and rank 50 %.
func DefaultRegimeConfig() RegimeConfig {
	return RegimeConfig{
		VIXRankWindow: 252, HVWindow: 20,
		LowVolVIX: 15, LowVolVIXRank: 0.30,
		HighVolVIX: 25, HighVolVIXRank: 0.80,
		ExpansionHVIV: 0.9, ExpansionVIXRank: 0.5,
		ContractionHVIV: 0.6, ContractionVIXRank: 0.5,
	}
}

// Validate reports the first setting that makes no sense, naming it.
func (c *RegimeConfig) Validate() error {
	if c.VIXRankWindow < 2 {
		return fmt.Errorf("vix_rank_window %d < 2", c.VIXRankWindow)
	}
	if c.HVWindow < 2 {
		return fmt.Errorf("hv_window %d < 2", c.HVWindow)
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"low_vol_vix", c.LowVolVIX}, {"high_vol_vix", c.HighVolVIX}, {"expansion_hv_iv", c.ExpansionHVIV}, {"contraction_hv_iv", c.ContractionHVIV}} {
		if !(v.x >= 0) || math.IsInf(v.x, 0) {
			return fmt.Errorf("%s %g: want a finite value ≥ 0", v.name, v.x)
		}
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"low_vol_vix_rank", c.LowVolVIXRank}, {"high_vol_vix_rank", c.HighVolVIXRank},
		{"expansion_vix_rank", c.ExpansionVIXRank}, {"contraction_vix_rank", c.ContractionVIXRank}} {
		if !(v.x >= 0 && v.x <= 1) {
			return fmt.Errorf("%s %g: want a fraction in [0, 1]", v.name, v.x)
		}
	}
	return nil
}

// Features are the regime detector's inputs for one day, from closed
// sessions only.
type Features struct {
	VIX     float64 // the last VIX close
	VIXRank float64 // its percentile among the last vix_rank_window closes, in (0, 1]; NaN in the warm-up
	HV      float64 // annualized realized volatility of the last hv_window log returns; NaN in the warm-up
	HVIV    float64 // HV / (VIX/100); NaN when either is unknown
}

// Classify applies seed 003's regime rules to f, first match wins:
//
//	low_vol         VIX < low_vol_vix and VIX rank < low_vol_vix_rank
//	high_vol        VIX > high_vol_vix or VIX rank > high_vol_vix_rank
//	iv_expansion    HV/IV > expansion_hv_iv and VIX rank > expansion_vix_rank
//	iv_contraction  HV/IV < contraction_hv_iv and VIX rank < contraction_vix_rank
//	neutral         otherwise
//
// A NaN feature fails every comparison it is in, as in the seed's pandas
// code: in the warm-up (no VIX rank yet) a day is high_vol when VIX is above
// high_vol_vix and neutral otherwise.
func Classify(f Features, c RegimeConfig) Regime {
	switch {
	case f.VIX < c.LowVolVIX && f.VIXRank < c.LowVolVIXRank:
		return LowVol
	case f.VIX > c.HighVolVIX || f.VIXRank > c.HighVolVIXRank:
		return HighVol
	case f.HVIV > c.ExpansionHVIV && f.VIXRank > c.ExpansionVIXRank:
		return IVExpansion
	case f.HVIV < c.ContractionHVIV && f.VIXRank < c.ContractionVIXRank:
		return IVContraction
	}
	return Neutral
}

// Measure computes the regime features at snap's decision time for market m
// (whose closes give the realized volatility; nil leaves HV and HV/IV NaN).
// It reads only sessions closed before the decision day (snap.VIX.History
// and m.History), never today's values, so a day's regime is that of the
// last close: no look-ahead, and the same at any decision time of the day.
func Measure(snap *sim.Snapshot, m *sim.Market, c RegimeConfig) Features {
	vix := snap.VIX.History.Close
	f := Features{VIX: math.NaN(), VIXRank: math.NaN(), HV: math.NaN(), HVIV: math.NaN()}
	if n := len(vix); n > 0 {
		f.VIX = vix[n-1]
		if n >= c.VIXRankWindow {
			f.VIXRank = PercentileOfScore(vix[n-c.VIXRankWindow:], f.VIX)
		}
	}
	if m != nil {
		f.HV = indicators.RealizedVolLast(m.History.Close, c.HVWindow, 252)
	}
	if f.VIX > 0 {
		f.HVIV = f.HV / (f.VIX / 100)
	}
	return f
}

// Detect returns the regime at snap's decision time for market m and the
// features it was classified from: Classify(Measure(snap, m, c), c).
func Detect(snap *sim.Snapshot, m *sim.Market, c RegimeConfig) (Regime, Features) {
	f := Measure(snap, m, c)
	return Classify(f, c), f
}

// PercentileOfScore returns the percentile of score among xs as a fraction,
// as scipy.stats.percentileofscore(xs, score, kind="rank")/100 computes it
// (the seed's VIX rank): (below + (equal+1)/2)/n when score is among xs,
// where below and equal count the values under and equal to it; in general
// (2·below + equal + [equal > 0]) / (2n). NaN values are skipped; it is NaN
// when none is left or score is NaN.
func PercentileOfScore(xs []float64, score float64) float64 {
	if math.IsNaN(score) {
		return math.NaN()
	}
	n, below, equal := 0, 0, 0
	for _, x := range xs {
		switch {
		case math.IsNaN(x):
			continue
		case x < score:
			below++
		case x == score:
			equal++
		}
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	tie := 0
	if equal > 0 {
		tie = 1
	}
	return float64(2*below+equal+tie) / float64(2*n)
}

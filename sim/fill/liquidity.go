package fill

import (
	"fmt"
	"math"
)

// Liquidity is the regime-aware liquidity model of the wheel backtester (seed
// compute_allowed_spread, compute_liquidity_penalty, apply_liquidity_model): a quote is
// rejected when it is untradeable, and otherwise gets a penalty multiplier that widens
// its effective spread in the fill formulas ([Sell], [Buy], [BarBuy]).
type Liquidity struct {
	// MinBidHard rejects quotes whose bid is below it (penny options). Seed min_bid_hard.
	MinBidHard float64
	// HardMaxSpreadPct rejects quotes whose spread_pct exceeds it, whatever the regime.
	// Seed hard_max_spread_pct.
	HardMaxSpreadPct float64
	// BaseMaxSpreadPct is the allowed spread_pct in calm markets. Seed base_max_spread_pct.
	BaseMaxSpreadPct float64
	// IVPHighThreshold and IVPHighMaxSpreadPct: at an IV percentile ≥ the threshold the
	// allowed spread_pct is IVPHighMaxSpreadPct.
	IVPHighThreshold, IVPHighMaxSpreadPct float64
	// IVPExtremeThreshold and IVPExtremeMaxSpreadPct: at an IV percentile ≥ the
	// threshold the allowed spread_pct is IVPExtremeMaxSpreadPct.
	IVPExtremeThreshold, IVPExtremeMaxSpreadPct float64
	// ShortDTEThreshold: an option with DTE ≤ this (≤, as the seed's code; its comment
	// says "below") gets ShortDTEExtraSpreadPct added to its allowed spread_pct.
	ShortDTEThreshold int
	// ShortDTEExtraSpreadPct is the extra allowance for short-dated options.
	ShortDTEExtraSpreadPct float64
	// TightFraction: spread_pct ≤ TightFraction·allowed is the tight tier.
	TightFraction float64
	// PenaltyTight, PenaltyModerate and PenaltyWide are the tiers' spread multipliers.
	PenaltyTight, PenaltyModerate, PenaltyWide float64
}

// DefaultLiquidity returns the seed's liquidity settings: min bid 0.10, hard max spread
// 20 %, allowed spread 8 % (12 % at IVP ≥ 0.70, 15 % at IVP ≥ 0.90) plus 2 % at
// DTE ≤ 7, tight below 0.6 × allowed, penalties 1.0 / 1.15 / 1.35.
func DefaultLiquidity() Liquidity {
	return Liquidity{
		MinBidHard:             0.10,
		HardMaxSpreadPct:       0.20,
		BaseMaxSpreadPct:       0.08,
		IVPHighThreshold:       0.70,
		IVPHighMaxSpreadPct:    0.12,
		IVPExtremeThreshold:    0.90,
		IVPExtremeMaxSpreadPct: 0.15,
		ShortDTEThreshold:      7,
		ShortDTEExtraSpreadPct: 0.02,
		TightFraction:          0.6,
		PenaltyTight:           1.0,
		PenaltyModerate:        1.15,
		PenaltyWide:            1.35,
	}
}

// Tier is a liquidity tier of a quote.
type Tier uint8

// Liquidity tiers, from best to untradeable.
const (
	Tight    Tier = iota // spread_pct ≤ TightFraction·allowed
	Moderate             // spread_pct ≤ allowed
	Wide                 // spread_pct ≤ HardMaxSpreadPct
	Reject               // untradeable: no trade
)

// String returns "tight", "moderate", "wide" or "reject" (the seed's tier names), or
// "Tier(n)" for an unknown value.
func (t Tier) String() string {
	switch t {
	case Tight:
		return "tight"
	case Moderate:
		return "moderate"
	case Wide:
		return "wide"
	case Reject:
		return "reject"
	}
	return fmt.Sprintf("Tier(%d)", uint8(t))
}

// Allowed returns the allowed spread_pct for an option at IV percentile ivp (a
// fraction in [0, 1]; the seed ranks IV across the snapshot) and dte days to expiry
// (seed compute_allowed_spread):
//
//	allowed = IVPExtremeMaxSpreadPct  if ivp ≥ IVPExtremeThreshold
//	          IVPHighMaxSpreadPct     else if ivp ≥ IVPHighThreshold
//	          BaseMaxSpreadPct        otherwise
//	allowed += ShortDTEExtraSpreadPct if dte ≤ ShortDTEThreshold
//
// A NaN ivp counts as 0.5, the seed's default when the percentile is missing.
func (l Liquidity) Allowed(ivp float64, dte int) float64 {
	if math.IsNaN(ivp) {
		ivp = 0.5
	}
	allowed := l.BaseMaxSpreadPct
	switch {
	case ivp >= l.IVPExtremeThreshold:
		allowed = l.IVPExtremeMaxSpreadPct
	case ivp >= l.IVPHighThreshold:
		allowed = l.IVPHighMaxSpreadPct
	}
	if dte <= l.ShortDTEThreshold {
		allowed += l.ShortDTEExtraSpreadPct
	}
	return allowed
}

// Classify returns a quote's liquidity tier and penalty multiplier (seed
// compute_liquidity_penalty and the hard rejections of apply_liquidity_model). With
// spread_pct = (ask−bid)/mid and allowed = l.Allowed(ivp, dte):
//
//	reject    if spread_pct > HardMaxSpreadPct, or bid < MinBidHard
//	tight     if spread_pct ≤ TightFraction·allowed     penalty PenaltyTight (1.0)
//	moderate  if spread_pct ≤ allowed                   penalty PenaltyModerate (1.15)
//	wide      otherwise                                 penalty PenaltyWide (1.35)
//
// The hard ceiling is tested first, so a regime whose allowed spread exceeds it cannot
// admit a wider quote. A quote is also rejected when bid or ask is NaN, infinite or ≤ 0,
// or the quote is crossed (ask < bid). The penalty of a rejected quote is 0.
func (l Liquidity) Classify(bid, ask, ivp float64, dte int) (Tier, float64) {
	// The negated comparisons also catch NaN.
	if !(bid > 0 && ask >= bid) || math.IsInf(ask, 1) || !(bid >= l.MinBidHard) {
		return Reject, 0
	}
	pct := (ask - bid) / ((bid + ask) / 2)
	if !(pct <= l.HardMaxSpreadPct) {
		return Reject, 0
	}
	allowed := l.Allowed(ivp, dte)
	switch {
	case pct <= l.TightFraction*allowed:
		return Tight, l.PenaltyTight
	case pct <= allowed:
		return Moderate, l.PenaltyModerate
	}
	return Wide, l.PenaltyWide
}

// SpreadPct returns (ask−bid)/mid, the relative spread the liquidity and
// fill-probability models use.
func SpreadPct(bid, ask float64) float64 {
	return (ask - bid) / ((bid + ask) / 2)
}

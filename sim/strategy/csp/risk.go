package csp

import (
	"fmt"
	"math"
)

// Exit reasons, recorded on the closing order and its trade.
const (
	ReasonDeltaStop    = "delta_stop"
	ReasonStockDrop    = "stock_drop"
	ReasonVIXSpike     = "vix_spike"
	ReasonEarlyExit    = "early_exit"
	ReasonAssignedSold = "assigned_shares_sold"
)

// held is what the risk manager knows of an open short put at a decision
// time (seed ActivePosition plus the monitor's current values).
type held struct {
	entryDelta, delta float64 // delta: current, the entry delta when unknown
	entrySpot, spot   float64
	entryVIX, vix     float64
	entryPremium, ask float64 // per share: the fill price, the current ask
	daysHeld          int     // calendar days since the entry
	dteAtEntry        int
}

// checkExit is the seed's RiskManager.evaluate_position: the stops in order
// (delta, stock drop, VIX spike), each when enabled, then the early exit. It
// returns the exit reason and the values that triggered it, or "" to hold.
func (c *Config) checkExit(h held) (reason, detail string) {
	entryAbs, curAbs := math.Abs(h.entryDelta), math.Abs(h.delta)
	if t := entryAbs * c.DeltaStopMultiplier; c.EnableDeltaStop && curAbs >= t {
		return ReasonDeltaStop, fmt.Sprintf("|delta| %.3f >= %.3f (%g x entry %.3f)", curAbs, t, c.DeltaStopMultiplier, entryAbs)
	}
	if t := h.entrySpot * (1 - c.StockDropStopPct); c.EnableStockDropStop && h.spot <= t {
		return ReasonStockDrop, fmt.Sprintf("price %.2f <= %.2f (entry %.2f, %.1f%% drop)", h.spot, t, h.entrySpot,
			100*(h.entrySpot-h.spot)/h.entrySpot)
	}
	if t := h.entryVIX * c.VIXSpikeMultiplier; c.EnableVIXSpikeStop && h.vix >= t {
		return ReasonVIXSpike, fmt.Sprintf("VIX %.2f >= %.2f (%g x entry %.2f)", h.vix, t, c.VIXSpikeMultiplier, h.entryVIX)
	}
	if c.EnableEarlyExit {
		if ok, capture, target := c.earlyExit(h); ok {
			return ReasonEarlyExit, fmt.Sprintf("captured %.1f%% >= target %.1f%% (%d/%d days + %g); ask %.2f, entry %.2f",
				100*capture, 100*target, h.daysHeld, h.dteAtEntry, c.EarlyExitBuffer, h.ask, h.entryPremium)
		}
	}
	return "", ""
}

// earlyExit is the seed's check_early_exit: the share of the entry premium
// captured, (entry − ask)/entry, against the linear decay schedule
// days_held/dte_at_entry plus early_exit_buffer. Never on the entry day, nor
// without a current ask.
func (c *Config) earlyExit(h held) (ok bool, capture, target float64) {
	if h.daysHeld <= 0 || h.dteAtEntry <= 0 || math.IsNaN(h.ask) {
		return false, math.NaN(), math.NaN()
	}
	if h.entryPremium > 0 {
		capture = (h.entryPremium - h.ask) / h.entryPremium
	}
	target = float64(h.daysHeld)/float64(h.dteAtEntry) + c.EarlyExitBuffer
	return capture >= target, capture, target
}

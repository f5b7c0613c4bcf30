package earnings

import (
	"fmt"
	"math"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/indicators"
	"github.com/optsweep/sweep/sim/strategy/pick"
)

// enter evaluates a sale on market m ahead of report ev and returns the
// order and the collateral it reserves, noting the decision either way. bp
// is the buying power left for today's entries.
func (st *Strategy) enter(snap *sim.Snapshot, m *sim.Market, book *sim.Book, ev sim.Event, bp float64) (sim.Order, float64, bool) {
	cfg := &st.cfg
	c := &m.Chain
	head := fmt.Sprintf("report %s in %d days: ", sim.DayString(ev.Day), ev.Day-snap.Day)
	skip := func(format string, a ...any) (sim.Order, float64, bool) {
		book.Note(m.Symbol, NoteEval, head+fmt.Sprintf(format, a...))
		return sim.Order{}, 0, false
	}
	lo, hi := pick.Next(c, ev.Day, snap.Day+int32(cfg.MaxDTE))
	if lo == hi {
		return skip("no expiration after the report within max_dte %d", cfg.MaxDTE)
	}
	if !(m.Spot > 0) {
		return skip("no spot price")
	}
	ivp := indicators.IVPercentileLast(m.ATMIV, cfg.IVWindow)
	if !(ivp >= cfg.MinIVPercentile) {
		return skip("IV percentile %.3f below min_iv_percentile %g", ivp, cfg.MinIVPercentile)
	}
	ac, ap := pick.ATM(c, lo, hi, m.Spot)
	if ac < 0 {
		return skip("no quoted at-the-money call and put")
	}
	move := (c.Mid(ac) + c.Mid(ap)) / m.Spot
	if move > cfg.MaxExpectedMove {
		return skip("expected move %.2f%% above max_expected_move %.2f%%", 100*move, 100*cfg.MaxExpectedMove)
	}
	call, put := ac, ap
	if cfg.Structure == Strangle {
		if cfg.StrikeMode == StrikeDelta {
			call, put = pick.NearestDelta(c, lo, hi, sim.Call, cfg.TargetDelta, 0), pick.NearestDelta(c, lo, hi, sim.Put, -cfg.TargetDelta, 0)
		} else {
			call, put = pick.NearestStrike(c, lo, hi, sim.Call, m.Spot*(1+cfg.StrangleWidth)), pick.NearestStrike(c, lo, hi, sim.Put, m.Spot*(1-cfg.StrangleWidth))
		}
		if call < 0 || put < 0 {
			return skip("no %s strikes for the strangle", cfg.StrikeMode)
		}
	}
	for _, r := range []int{call, put} {
		if s := (c.Ask[r] - c.Bid[r]) / c.Mid(r); s > cfg.MaxLegSpreadPct {
			return skip("%v spread %.1f%% of the mid above max_leg_spread_pct %.1f%%", c.Contract(m.Symbol, r), 100*s, 100*cfg.MaxLegSpreadPct)
		}
	}
	credit := c.Bid[call] + c.Bid[put]
	if !(credit > cfg.MinCredit) {
		return skip("credit %.2f not above min_credit %g", credit, cfg.MinCredit)
	}
	legs := []sim.OrderLeg{{Contract: c.Contract(m.Symbol, call), Ratio: -1}, {Contract: c.Contract(m.Symbol, put), Ratio: -1}}
	coll := sim.LegsCollateral(legs)
	units := int(math.Floor(max(bp, 0) * cfg.MaxBuyingPowerPct / coll))
	if cfg.MaxContracts > 0 {
		units = min(units, cfg.MaxContracts)
	}
	if units < 1 {
		return skip("collateral $%.0f per unit exceeds %g of buying power $%.0f", coll, cfg.MaxBuyingPowerPct, bp)
	}
	book.Note(m.Symbol, NoteEntry, head+fmt.Sprintf("sell %d × %s %v / %v: credit %.2f (bids), delta %.3f / %.3f, IV percentile %.3f, expected move %.2f%%, collateral $%.0f",
		units, cfg.Structure, legs[0].Contract, legs[1].Contract, credit, c.Delta[call], c.Delta[put], ivp, 100*move, coll*float64(units)))
	vix := snap.VIX.Now
	if math.IsNaN(vix) {
		vix = snap.VIX.History.LastClose()
	}
	mid := c.Mid(call) + c.Mid(put)
	return sim.Order{
		Kind: sim.Open, Symbol: m.Symbol, Legs: legs, Quantity: units, Pricing: sim.PriceMarket,
		Tag: "earnings " + sim.DayString(ev.Day), Phase: cfg.Structure,
		Entry: sim.Entry{Spot: m.Spot, VIX: vix, Delta: c.Delta[put], IV: m.ATMIV[len(m.ATMIV)-1], IVP: ivp,
			SpreadPct: (c.Ask[call] - c.Bid[call] + c.Ask[put] - c.Bid[put]) / mid, DTE: int(c.Expiration[call] - snap.Day)},
	}, coll * float64(units), true
}

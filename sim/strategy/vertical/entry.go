package vertical

import (
	"fmt"
	"math"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/indicators"
	"github.com/optsweep/sweep/sim/strategy/pick"
)

// legs is a chosen vertical: the row of the leg picked by delta and of its
// partner max_spread_width away, which side is sold, and the seed's
// conservative package price (natural prices: sold at the bid, bought at
// the ask).
type legs struct {
	pick, other int     // chain rows
	credit      bool    // pick is sold (a credit spread)
	price       float64 // conservative credit (credit spread) or debit per share
	maxRisk     float64 // per share, at the conservative price
}

// enter evaluates an entry on market m and returns its order, noting the
// decision either way. open counts the positions open after today's exits.
func (st *Strategy) enter(snap *sim.Snapshot, m *sim.Market, book *sim.Book, regime Regime, open int) (sim.Order, bool) {
	cfg := &st.cfg
	ivr := indicators.IVRankLast(m.ATMIV, cfg.IVRankWindow)
	head := fmt.Sprintf("regime %s, IV rank %.3f: ", regime, ivr)
	skip := func(format string, a ...any) (sim.Order, bool) {
		book.Note(m.Symbol, NoteEval, head+fmt.Sprintf(format, a...))
		return sim.Order{}, false
	}
	sell := ivr > cfg.SellThreshold
	switch {
	case math.IsNaN(ivr):
		return skip("no IV rank (warm-up: %d of %d sessions)", len(m.ATMIV), cfg.IVRankWindow)
	case regime == Neutral:
		return skip("neutral regime, no new positions")
	case !sell && !(ivr < cfg.BuyThreshold):
		return skip("IV rank within [%g, %g], no signal", cfg.BuyThreshold, cfg.SellThreshold)
	case !sell && !cfg.buys(regime):
		return skip("IV rank below %g but %s is not in buy_regimes", cfg.BuyThreshold, regime)
	case open >= cfg.MaxPositions:
		return skip("%d positions open, max_positions %d", open, cfg.MaxPositions)
	case st.peak > 0 && 1-book.Equity/st.peak >= cfg.MaxDrawdown:
		return skip("drawdown %.1f%% ≥ max_drawdown %.1f%%", 100*(1-book.Equity/st.peak), 100*cfg.MaxDrawdown)
	}
	if d := cfg.EarningsBlackoutDays; d > 0 {
		if e, ok := snap.EventWithin(m.Symbol, sim.Earnings, snap.Day, snap.Day+int32(d)); ok {
			return skip("earnings on %s within earnings_blackout_days %d", sim.DayString(e.Day), d)
		}
	}
	var l legs
	var ok bool
	if sell {
		l, ok = st.creditLegs(snap, m)
	} else {
		l, ok = st.debitLegs(snap, m)
	}
	if !ok {
		return skip("no %s spread with DTE in [%d, %d] and a usable partner leg", kindOf(sell), cfg.TargetDTEMin, cfg.TargetDTEMax)
	}
	conf := Confidence(ivr, regime, sell)
	q := cfg.Quantity(book.Equity, l.maxRisk, conf, regime)
	if q == 0 {
		return skip("quantity 0 (confidence %.3f, regime multiplier %g)", conf, cfg.sizeMult(regime))
	}
	committed := 0.0
	for _, p := range book.Positions {
		if s, ok := spreadOf(p); ok {
			committed += s.maxLoss() * sim.Multiplier * float64(s.units)
		}
	}
	room := cfg.MaxPortfolioRisk*book.Equity - committed
	if fit := int(math.Floor(room / (l.maxRisk * sim.Multiplier))); fit < q {
		if fit <= 0 {
			return skip("portfolio max loss $%.0f leaves no room under max_portfolio_risk %g", committed, cfg.MaxPortfolioRisk)
		}
		q = fit
	}
	return st.order(snap, m, book, l, q, regime, ivr, conf), true
}

func kindOf(sell bool) string {
	if sell {
		return "put credit"
	}
	return "debit"
}

// order builds the opening order for q units of l and notes it.
func (st *Strategy) order(snap *sim.Snapshot, m *sim.Market, book *sim.Book, l legs, q int, regime Regime, ivr, conf float64) sim.Order {
	c := &m.Chain
	pickRatio, phase := -1, PhaseCredit
	if !l.credit {
		pickRatio, phase = 1, PhaseCallDeb
		if c.PutCall[l.pick] == sim.Put {
			phase = PhasePutDeb
		}
	}
	pk, ot := c.Contract(m.Symbol, l.pick), c.Contract(m.Symbol, l.other)
	spreadPct := (c.Ask[l.pick] - c.Bid[l.pick] + c.Ask[l.other] - c.Bid[l.other]) / math.Abs(c.Mid(l.pick)-c.Mid(l.other))
	vix := snap.VIX.Now
	if math.IsNaN(vix) {
		vix = snap.VIX.History.LastClose()
	}
	dte := int(pk.Expiration - snap.Day)
	what := "credit"
	if !l.credit {
		what = "debit"
	}
	book.Note(m.Symbol, NoteEntry, fmt.Sprintf("%s %d × %+d %v / %+d %v: %s %.2f (natural), max risk %.2f, delta %.3f, IV rank %.3f, regime %s, confidence %.3f",
		phase, q, pickRatio, pk, -pickRatio, ot, what, l.price, l.maxRisk, c.Delta[l.pick], ivr, regime, conf))
	iv := math.NaN()
	if n := len(m.ATMIV); n > 0 {
		iv = m.ATMIV[n-1]
	}
	return sim.Order{
		Kind: sim.Open, Symbol: m.Symbol, Quantity: q, Pricing: sim.PriceMarket,
		Legs: []sim.OrderLeg{{Contract: pk, Ratio: pickRatio}, {Contract: ot, Ratio: -pickRatio}},
		Tag:  string(regime), Phase: phase,
		Entry: sim.Entry{Spot: m.Spot, VIX: vix, Delta: c.Delta[l.pick], IV: iv, IVP: ivr, SpreadPct: spreadPct, DTE: dte},
	}
}

// nearest returns the usable row of side pc with DTE in [target_dte_min,
// target_dte_max] whose delta is nearest target, the first in chain order
// (earliest expiration, lowest strike) on ties, as the seed's
// nsmallest(1, 'delta_diff') keeps the first; -1 if none.
func (st *Strategy) nearest(snap *sim.Snapshot, c *sim.Chain, pc byte, target float64) int {
	lo, hi := pick.DTERange(c, snap.Day, st.cfg.TargetDTEMin, st.cfg.TargetDTEMax)
	return pick.NearestDelta(c, lo, hi, pc, target, 0)
}

// creditLegs picks the seed's put credit spread: sell the put with delta
// nearest −target_delta, buy the put max_spread_width below; the natural
// credit (short bid − long ask) must be positive.
func (st *Strategy) creditLegs(snap *sim.Snapshot, m *sim.Market) (legs, bool) {
	c := &m.Chain
	s := st.nearest(snap, c, sim.Put, -st.cfg.TargetDelta)
	if s < 0 {
		return legs{}, false
	}
	b := pick.Partner(c, s, -st.cfg.MaxSpreadWidth)
	if b < 0 {
		return legs{}, false
	}
	credit := c.Bid[s] - c.Ask[b]
	if !(credit > 0) {
		return legs{}, false
	}
	return legs{pick: s, other: b, credit: true, price: credit, maxRisk: pick.MaxLoss(st.cfg.MaxSpreadWidth, credit, true)}, true
}

// debitLegs picks the debit spread: buy the call with delta nearest
// debit_delta and sell the call max_spread_width above (debit_side call), or
// buy the put with delta nearest −debit_delta and sell the put
// max_spread_width below (put). The natural debit (long ask − short bid) must
// be in (0, max_spread_width).
func (st *Strategy) debitLegs(snap *sim.Snapshot, m *sim.Market) (legs, bool) {
	c := &m.Chain
	pc, target, offset := sim.Call, st.cfg.DebitDelta, st.cfg.MaxSpreadWidth
	if st.cfg.DebitSide == DebitPut {
		pc, target, offset = sim.Put, -st.cfg.DebitDelta, -st.cfg.MaxSpreadWidth
	}
	b := st.nearest(snap, c, pc, target)
	if b < 0 {
		return legs{}, false
	}
	s := pick.Partner(c, b, offset)
	if s < 0 {
		return legs{}, false
	}
	debit := c.Ask[b] - c.Bid[s]
	if !(debit > 0 && debit < st.cfg.MaxSpreadWidth) {
		return legs{}, false
	}
	return legs{pick: b, other: s, price: debit, maxRisk: pick.MaxLoss(st.cfg.MaxSpreadWidth, -debit, false)}, true
}

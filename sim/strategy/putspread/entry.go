package putspread

import (
	"fmt"
	"math"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/strategy/pick"
)

// candidate is a spread chosen from the chain.
type candidate struct {
	short, long int // chain rows
	dte         int
	credit      float64 // mid credit per share
	spreadPct   float64 // (ask − bid) / mid of the package
	target      float64 // delta target
}

// enter runs the entry pipeline: warm-up, the ten gates, then the risk
// manager (circuit breaker, per-underlying cap, strikes, sizing, portfolio
// heat, aggregate delta). It returns the order, or nil and what blocked it.
func (st *Strategy) enter(snap *sim.Snapshot, m *sim.Market, book *sim.Book, r *reading, stay *portfolio) (*sim.Order, string) {
	c := &st.cfg
	sym := c.Underlying
	if !r.ready {
		book.Note(sym, KindWarmup, fmt.Sprintf("status=indicators_not_ready bars_remaining=%d closes=%d atm_iv_sessions=%d need_closes=%d need_iv_sessions=%d",
			r.remaining, m.History.Len(), len(m.ATMIV), c.need(), c.IVRankLookback))
		return nil, "warmup"
	}
	st.gs = st.gates(st.gs[:0], r, snap.Day, stay.open, st.last)
	for _, g := range st.gs {
		book.Note(sym, KindEntryEval, g.Note())
	}
	if g := st.gs[len(st.gs)-1]; g.Result == "FAIL" {
		book.Note(sym, KindEntryEval, fmt.Sprintf("signal=NO_TRADE failed=%s gates_evaluated=%d signal_bar=%s remaining_gates=not_evaluated",
			g.Name, len(st.gs), sim.DayString(r.bar)))
		return nil, g.Name
	}
	book.Note(sym, KindEntryEval, "signal=ENTRY_TRIGGERED signal_bar="+sim.DayString(r.bar))
	veto := func(reason, detail string) (*sim.Order, string) {
		s := "risk=VETO reason=" + reason
		if detail != "" {
			s += " " + detail
		}
		book.Note(sym, KindEntryEval, s)
		return nil, reason
	}
	if st.resume != 0 {
		return veto("circuit_breaker", "resume="+sim.DayString(st.resume))
	}
	if stay.open >= c.MaxPerUnderlying {
		return veto("max_per_underlying", fmt.Sprintf("open=%d max=%d", stay.open, c.MaxPerUnderlying))
	}
	cand, why := st.pick(m, snap.Day, c.targetDelta(r.vix))
	if why != "" {
		return veto("no_suitable_strikes", "detail="+why)
	}
	ch := &m.Chain
	eq := book.Equity
	dd := 0.0
	if st.peak > 0 {
		dd = max(0, 100*(1-eq/st.peak))
	}
	wr, n := st.winRate(c.ConvWinTrades)
	conv := c.Conviction(Inputs{IVRank: r.ivr, Ratio: r.ratio, Close: r.close, EMA: r.ema, BBDepth: r.depth, WinRate: wr, Trades: n})
	mult := 1.0
	if r.regime == HighVol {
		mult = c.HighVolSizeMult
	}
	risk := c.RiskPct(dd)
	qty := Contracts(eq, risk*conv*mult, c.SpreadWidth, cand.credit)
	sizing := fmt.Sprintf("risk_pct=%s drawdown_pct=%s conviction=%.3f regime_mult=%g credit=%s",
		f2(risk), f2(dd), conv, mult, f2(cand.credit))
	if qty < 1 {
		return veto("size_zero", sizing)
	}
	lossPer := (c.SpreadWidth - cand.credit) * sim.Multiplier
	spot := m.Spot
	if math.IsNaN(spot) {
		spot = m.History.LastClose()
	}
	ds, dl := ch.Delta[cand.short], ch.Delta[cand.long]
	if math.IsNaN(dl) {
		dl = 0
	}
	qty, reason, detail := st.limit(qty, lossPer, sim.Multiplier*(dl-ds)*spot/eq, eq, stay)
	if qty < 1 {
		return veto(reason, detail)
	}
	sc, lc := ch.Contract(sym, cand.short), ch.Contract(sym, cand.long)
	book.Note(sym, KindEntryEval, fmt.Sprintf("risk=APPROVED contracts=%d %s max_loss_per_contract=%s short_strike=%g long_strike=%g expiration=%s dte=%d short_delta=%.3f target_delta=%g",
		qty, sizing, f2(lossPer), sc.Strike, lc.Strike, sim.DayString(sc.Expiration), cand.dte, ds, cand.target))
	return &sim.Order{
		Kind: sim.Open, Symbol: sym, Quantity: qty, Pricing: sim.PriceMarket, Tag: Tag, Phase: Phase,
		Legs: []sim.OrderLeg{{Contract: sc, Ratio: -1}, {Contract: lc, Ratio: 1}},
		Entry: sim.Entry{Spot: spot, VIX: r.vix, Delta: ds, IV: ch.IV[cand.short], IVP: r.ivr / 100,
			SpreadPct: cand.spreadPct, DTE: cand.dte},
	}, ""
}

// limit cuts qty contracts of max loss lossPer and delta per (delta dollars
// over equity, per contract) to what the portfolio heat and the aggregate
// delta limits leave room for, and says which limit vetoes when none fits.
func (st *Strategy) limit(qty int, lossPer, per, eq float64, stay *portfolio) (int, string, string) {
	c := &st.cfg
	if room := c.MaxPortfolioHeat/100*eq - stay.heat; float64(qty)*lossPer > room+eps {
		qty = int(math.Floor(room/lossPer + eps))
		if qty < 1 {
			return 0, "portfolio_heat", fmt.Sprintf("heat=%s limit_pct=%g", f2(stay.heat), c.MaxPortfolioHeat)
		}
	}
	// The document writes short-put exposure as negative delta; the limit
	// caps the magnitude of the true aggregate delta at |max_aggregate_delta|.
	lim := -c.MaxAggregateDelta
	if per != 0 && math.Abs(stay.delta+float64(qty)*per) > lim+eps {
		room := (lim - stay.delta) / per
		if per < 0 {
			room = (-lim - stay.delta) / per
		}
		qty = int(math.Floor(room + eps))
		if qty < 1 {
			return 0, "aggregate_delta", fmt.Sprintf("aggregate_delta=%.3f per_contract=%.4f limit=%g", stay.delta, per, lim)
		}
	}
	return qty, "", ""
}

// pick chooses the spread (section 5.2): the expiration with DTE in
// [min_dte_entry, max_dte_entry] nearest target_dte (the shorter on a tie)
// among those with a usable put that has a delta; in it the usable put with
// the delta nearest target (the lower strike on a tie) as the short leg; the
// put spread_width points lower as the long leg. Both legs must have
// (ask − bid)/mid below max_leg_spread_pct and the credit must lie in
// (0, spread_width). It returns why not when there is no such spread.
func (st *Strategy) pick(m *sim.Market, day int32, target float64) (candidate, string) {
	c := &st.cfg
	ch := &m.Chain
	exp, ok := pick.NearestDTE(ch, day, c.MinDTEEntry, c.MaxDTEEntry, c.TargetDTE, sim.Put)
	if !ok {
		return candidate{}, "no_expiration_in_dte_range"
	}
	lo, hi := pick.Expiration(ch, exp)
	short := pick.NearestDelta(ch, lo, hi, sim.Put, target, eps)
	long := pick.Partner(ch, short, -c.SpreadWidth)
	if long < 0 {
		return candidate{}, fmt.Sprintf("long_put_%g_missing", ch.Strike[short]-c.SpreadWidth)
	}
	for _, leg := range []struct {
		name string
		row  int
	}{{"short", short}, {"long", long}} {
		if sp := 100 * (ch.Ask[leg.row] - ch.Bid[leg.row]) / ch.Mid(leg.row); !(sp < c.MaxLegSpreadPct) {
			return candidate{}, fmt.Sprintf("%s_leg_spread_%.1f_pct", leg.name, sp)
		}
	}
	credit := ch.Mid(short) - ch.Mid(long)
	if !(credit > 0 && credit < c.SpreadWidth) {
		return candidate{}, "credit_" + f2(credit)
	}
	bid := ch.Bid[short] - ch.Ask[long]
	ask := ch.Ask[short] - ch.Bid[long]
	return candidate{short: short, long: long, dte: int(exp - day), credit: credit,
		spreadPct: (ask - bid) / credit, target: target}, ""
}

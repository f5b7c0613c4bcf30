package csp

import (
	"fmt"
	"math"
	"strings"

	"github.com/optsweep/sweep/sim"
)

// enter is the seed's scan_and_enter: the equity filter over every symbol,
// the puts chain and options filter of the passing symbols not already held,
// the best put per symbol re-ranked across symbols, the event blackout, the
// total cap, then sizing and the entry orders appended to orders.
func (st *Strategy) enter(snap *sim.Snapshot, book *sim.Book, vix, committed float64, active int, orders []sim.Order) []sim.Order {
	cfg := &st.cfg
	mult := cfg.VIXRules.Multiplier(vix)
	deployable := book.StartCash * mult
	if available := deployable - committed; available <= 0 {
		book.Note("*", "entry", fmt.Sprintf("no cash to deploy: VIX %.2f deploys %g of $%.0f, $%.0f committed", vix, mult, book.StartCash, committed))
		return orders
	}
	if cfg.NumTickers > 0 && active >= cfg.NumTickers {
		book.Note("*", "entry", fmt.Sprintf("%d positions open, num_tickers %d", active, cfg.NumTickers))
		return orders
	}
	frac := sessionFraction(snap.Time)
	best := st.s.best[:0]
	for k := range snap.Markets {
		if c, ok := st.scanSymbol(snap, book, &snap.Markets[k], frac); ok {
			best = append(best, c)
		}
	}
	rank(cfg.ContractRankMode, best)
	best = st.blackout(snap, book, best)
	if len(best) > cfg.MaxCandidatesTotal {
		best = best[:cfg.MaxCandidatesTotal]
	}
	st.s.best = best
	for i := range best {
		c := &best[i]
		if math.IsNaN(c.delta) || math.IsNaN(c.iv) {
			book.Note(c.symbol, "entry", fmt.Sprintf("skip %s: missing greeks (delta %g, IV %g)", contractName(c), c.delta, c.iv))
			continue
		}
		coll := c.strike * sim.Multiplier
		available := max(deployable-committed, 0)
		qty := cfg.targetQuantity(coll, available, book.StartCash)
		total := coll * float64(qty)
		if cfg.NumTickers > 0 && active >= cfg.NumTickers {
			book.Note(c.symbol, "entry", fmt.Sprintf("skip %s: %d positions open, num_tickers %d", contractName(c), active, cfg.NumTickers))
			continue
		}
		if available < total {
			book.Note(c.symbol, "entry", fmt.Sprintf("skip %s: needs $%.0f collateral, $%.0f available", contractName(c), total, available))
			continue
		}
		m := snap.Market(c.symbol)
		orders = append(orders, sim.Order{
			Kind: sim.Open, Symbol: c.symbol, Pricing: sim.PriceStepped,
			Legs:     []sim.OrderLeg{{Contract: m.Chain.Contract(c.symbol, c.row), Ratio: -1}},
			Quantity: qty, Phase: "csp", Tag: c.symbol,
			Entry: sim.Entry{Spot: c.spot, VIX: vix, Delta: c.delta, IV: c.iv, IVP: m.IVPercentile, SpreadPct: c.spread, DTE: c.dte},
		})
		committed += total
		active++
		book.Note(c.symbol, "entry", fmt.Sprintf("sell %d %s: bid %.2f ask %.2f, delta %.3f, IV %.3f, %.4f%%/day, collateral $%.0f of $%.0f available",
			qty, contractName(c), c.bid, c.ask, c.delta, c.iv, 100*c.ret, total, available))
	}
	return orders
}

func contractName(c *candidate) string {
	return fmt.Sprintf("%s %s P %g", c.symbol, sim.DayString(c.exp), c.strike)
}

// scanSymbol runs the equity filter on m and, when it passes and the symbol
// is not held, the options filter; it returns the symbol's best put.
func (st *Strategy) scanSymbol(snap *sim.Snapshot, book *sim.Book, m *sim.Market, frac float64) (candidate, bool) {
	cfg, s := &st.cfg, &st.s
	if !(m.Spot > 0) {
		book.Note(m.Symbol, "equity", "fail: no price at the decision time")
		return candidate{}, false
	}
	// The last history_days closes, today's price last (seed get_close_history,
	// whose last bar is the current session's).
	h := &m.History
	n := min(h.Len(), cfg.HistoryDays-1)
	s.closes = append(append(s.closes[:0], h.Close[h.Len()-n:]...), m.Spot)
	s.days = append(append(s.days[:0], h.Days[h.Len()-n:]...), snap.Day)
	r := cfg.evalEquity(s, s.closes, book.StartCash)
	if !r.pass() {
		book.Note(m.Symbol, "equity", "fail: "+strings.Join(r.fails, "; "))
		return candidate{}, false
	}
	held := ""
	if s.held[m.Symbol] {
		held = "; held, not scanned"
	}
	book.Note(m.Symbol, "equity", fmt.Sprintf("pass: price %.2f SMA8 %.2f SMA20 %.2f SMA50 %.2f RSI %.1f band [%.2f, %.2f]%s",
		r.price, r.sma8, r.sma20, r.sma50, r.rsi, r.bandSMA, r.bandUpper, held))
	if held != "" {
		return candidate{}, false
	}

	ceiling := cfg.MaxStrikePct * m.Spot
	if cfg.MaxStrikeMode == StrikeSMA && !math.IsNaN(r.ceilingSMA) {
		ceiling = r.ceilingSMA
	}
	floor := cfg.MinStrikePct * m.Spot
	ch := &m.Chain
	cands := s.cands[:0]
	s.reasons = [nReasons]int{}
	puts := 0
	for i := range ch.Len() {
		dte := int(ch.Expiration[i] - snap.Day)
		if ch.PutCall[i] != sim.Put || dte < cfg.MinDTE || dte > cfg.MaxDTE ||
			ch.Strike[i] < floor || ch.Strike[i] > ceiling || !(ch.Bid[i] > 0) {
			continue
		}
		puts++
		c := newCandidate(m.Symbol, ch, i, snap.Day, m.Spot, frac)
		c.daysSince = daysSinceStrike(s.closes, s.days, snap.Day, c.strike)
		if cfg.evalOption(&c, &s.reasons) {
			cands = append(cands, c)
		}
	}
	rank(cfg.ContractRankMode, cands)
	if len(cands) > cfg.MaxCandidatesPerSymbol {
		cands = cands[:cfg.MaxCandidatesPerSymbol]
	}
	s.cands = cands
	s.sb.Reset()
	fmt.Fprintf(&s.sb, "%d puts in strikes [%.2f, %.2f] DTE [%d, %d], %d passed", puts, floor, ceiling, cfg.MinDTE, cfg.MaxDTE, len(cands))
	sep := "; failed: "
	for k, v := range s.reasons {
		if v > 0 {
			fmt.Fprintf(&s.sb, "%s%s %d", sep, reasonNames[k], v)
			sep = ", "
		}
	}
	if len(cands) > 0 {
		c := &cands[0]
		fmt.Fprintf(&s.sb, "; best %s (%s): bid %.2f delta %.3f %.4f%%/day %dd since strike",
			contractName(c), cfg.ContractRankMode, c.bid, c.delta, 100*c.ret, c.daysSince)
	}
	book.Note(m.Symbol, "options", s.sb.String())
	if len(cands) == 0 {
		return candidate{}, false
	}
	return cands[0], true
}

// blackout removes candidates with an event inside [today, today+max_dte]
// (seed check_events): an FOMC meeting rejects every symbol, earnings and
// ex-dividend dates their own symbol, each unless its trade_during_* is set.
func (st *Strategy) blackout(snap *sim.Snapshot, book *sim.Book, best []candidate) []candidate {
	cfg := &st.cfg
	from, to := snap.Day, snap.Day+int32(cfg.MaxDTE)
	if !cfg.TradeDuringFOMC {
		if e, ok := snap.EventWithin("*", sim.FOMC, from, to); ok {
			for i := range best {
				book.Note(best[i].symbol, "event", fmt.Sprintf("FOMC on %s within %d days", sim.DayString(e.Day), cfg.MaxDTE))
			}
			return best[:0]
		}
	}
	out := best[:0]
	for _, c := range best {
		var why []string
		if !cfg.TradeDuringEarnings {
			if e, ok := snap.EventWithin(c.symbol, sim.Earnings, from, to); ok {
				why = append(why, "earnings on "+sim.DayString(e.Day))
			}
		}
		if !cfg.TradeDuringDividends {
			if e, ok := snap.EventWithin(c.symbol, sim.ExDividend, from, to); ok {
				why = append(why, "ex-dividend on "+sim.DayString(e.Day))
			}
		}
		if len(why) > 0 {
			book.Note(c.symbol, "event", fmt.Sprintf("%s within %d days", strings.Join(why, ", "), cfg.MaxDTE))
			continue
		}
		out = append(out, c)
	}
	return out
}

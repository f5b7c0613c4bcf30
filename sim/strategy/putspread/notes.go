package putspread

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/optsweep/sweep/sim"
)

// pctOf returns 100 × x / of with two decimals.
func pctOf(x, of float64) string {
	if !(of > 0) {
		return "NaN"
	}
	return f2(100 * x / of)
}

// noteOpened writes TRADE_OPENED for spread sp of trade t (section 9.2).
func (st *Strategy) noteOpened(book *sim.Book, t *sim.Trade, sp *spread) {
	c := &st.cfg
	width := sp.short.Strike - sp.long.Strike
	var sPrice, lPrice float64
	for _, l := range t.Legs {
		if l.Qty < 0 {
			sPrice = l.Price
		} else {
			lPrice = l.Price
		}
	}
	q := float64(sp.qty)
	lossPer := (width - sp.credit) * sim.Multiplier
	total := 0.0
	for _, s := range st.spreads {
		total += s.maxLoss()
	}
	timeStop := "off"
	if c.TimeStopDTE > 0 {
		timeStop = sim.DayString(sp.short.Expiration - int32(c.TimeStopDTE))
	}
	rr := math.Inf(1)
	if sp.credit > 0 {
		rr = lossPer / (sp.credit * sim.Multiplier)
	}
	book.Note(c.Underlying, KindTradeOpened, fmt.Sprintf("date=%s structure=put_credit_spread position=%d "+
		"short_strike=%g short_price=%s short_delta=%.3f long_strike=%g long_price=%s credit=%s credit_per_contract=%s "+
		"contracts=%d width=%g width_dollars=%s max_loss_per_contract=%s max_loss=%s max_profit_per_contract=%s max_profit=%s "+
		"risk_reward=%.1f dte=%d expiration=%s profit_target=%s stop_loss=%s time_stop=%s "+
		"portfolio_risk_pct=%s total_exposure_pct=%s open_positions=%d",
		sim.DayString(t.Opened), sp.pos, sp.short.Strike, f2(sPrice), sp.delta, sp.long.Strike, f2(lPrice), f2(sp.credit),
		f2(sp.credit*sim.Multiplier), sp.qty, width, f2(width*sim.Multiplier), f2(lossPer), f2(lossPer*q),
		f2(sp.credit*sim.Multiplier), f2(sp.credit*sim.Multiplier*q), rr, t.Info.DTE, sim.DayString(sp.short.Expiration),
		f2(sp.credit*(1-c.ProfitTargetPct/100)), f2(sp.credit*c.StopLossMultiplier), timeStop,
		pctOf(sp.maxLoss(), book.Equity), pctOf(total, book.Equity), len(st.spreads)))
}

// noteClosed writes TRADE_CLOSED for spread sp of closed trade t (section
// 9.3), with the running statistics (record has counted t).
func (st *Strategy) noteClosed(book *sim.Book, t *sim.Trade, sp *spread) {
	q := float64(sp.qty)
	debit := -t.Exit
	result := "LOSS"
	if t.Net() > 0 {
		result = "WIN"
	}
	pf := "inf"
	if st.lost > 0 {
		pf = f2(st.won / st.lost)
	}
	book.Note(st.cfg.Underlying, KindTradeClosed, fmt.Sprintf("date=%s position=%d reason=%s entry_credit=%s exit_debit=%s "+
		"pnl_per_share=%s pnl=%s fees=%s contracts=%d return_on_risk_pct=%s days_held=%d dte_at_close=%d result=%s "+
		"wins=%d losses=%d win_rate_pct=%s profit_factor=%s",
		sim.DayString(t.Closed), sp.pos, t.Reason, f2(sp.credit), f2(debit), f2(t.Gross/(q*sim.Multiplier)), f2(t.Net()),
		f2(t.Fees), sp.qty, pctOf(t.Net(), sp.maxLoss()), t.Closed-t.Opened, sp.short.Expiration-t.Closed, result,
		st.wins, st.losses, pctOf(float64(st.wins), float64(st.wins+st.losses)), pf))
}

// summary writes DAILY_SUMMARY on a day without an entry (section 9.4).
func (st *Strategy) summary(book *sim.Book, day int32, r *reading, p *portfolio, blocked string) {
	since := "none"
	if st.last != 0 {
		since = strconv.Itoa(businessDays(st.last, day))
	}
	book.Note(st.cfg.Underlying, KindDailySummary, fmt.Sprintf("status=NO_TRADES_ELIGIBLE blocked=%s regime=%s open_positions=%d "+
		"aggregate_delta=%.3f aggregate_theta=%s heat_pct=%s days_since_last_entry=%s",
		blocked, r.regime.Key(), p.open, p.delta, f2(p.theta), pctOf(p.heat, p.equity), since))
}

// dashboard writes DAILY_DASHBOARD (section 9.5) for the spreads open at the
// decision (before today's orders fill).
func (st *Strategy) dashboard(book *sim.Book, day int32, r *reading, p *portfolio, opened bool, closed int) {
	c := &st.cfg
	nearest, dte, alert := "none", "none", "none"
	if p.nearest != 0 {
		d := int(p.nearest - day)
		nearest, dte = sim.DayString(p.nearest), strconv.Itoa(d)
		if d <= c.DashboardAlertDT {
			alert = "approaching_time_stop"
		}
	}
	breaker := "OFF"
	if st.resume != 0 {
		breaker = "ON_until_" + sim.DayString(st.resume)
	}
	last := make([]string, 0, 3)
	for _, w := range st.recent[max(len(st.recent)-3, 0):] {
		if w {
			last = append(last, "W")
		} else {
			last = append(last, "L")
		}
	}
	lastS := strings.Join(last, ",")
	if lastS == "" {
		lastS = "none"
	}
	opens := 0
	if opened {
		opens = 1
	}
	book.Note(c.Underlying, KindDashboard, fmt.Sprintf("regime=%s vix=%s iv_rank=%s open_positions=%d aggregate_pnl=%s "+
		"aggregate_delta=%.3f aggregate_theta=%s heat_pct=%s nearest_expiry=%s nearest_dte=%s alert=%s "+
		"circuit_breaker=%s consecutive_stops=%d last3=%s opened_today=%d closed_today=%d",
		r.regime.Key(), f2(r.vix), strconv.FormatFloat(r.ivr, 'f', 1, 64), p.open, f2(p.pnl), p.delta, f2(p.theta),
		pctOf(p.heat, p.equity), nearest, dte, alert, breaker, st.streak, lastS, opens, closed))
}

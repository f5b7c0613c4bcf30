package sim

import (
	"fmt"
	"math"
)

// Split is the event kind of a stock split: Amount is the ratio, new shares per
// old share (4 for AAPL's 4-for-1 of 2020-08-31). The event's day is the
// ex-date, the first session that trades at the split-adjusted price.
const Split = "split"

// EventSplit is the book event of a split converting a position.
const EventSplit = "split"

// Split converts the book's open positions on symbol through a ratio-for-one
// split, as OCC adjusts listed options for a whole-number split: each contract
// becomes ratio contracts on 100 shares at the strike divided by ratio, and
// shares become ratio times as many at the basis divided by ratio. Entry prices,
// marks, bracket levels and the trade records are converted the same way, so
// every dollar amount (value, collateral, P&L still to come) is unchanged and
// the P&L of a trade held through the split is the P&L the same trade has on
// split-adjusted data. It reports one EventSplit per position converted.
//
// A ratio that is not a whole number (3-for-2) or is below one (a reverse split)
// gives adjusted contracts whose deliverable is not 100 shares, which the book
// cannot hold: Split then changes nothing and returns an error.
func (b *Book) Split(symbol string, ratio float64) error {
	if !(ratio >= 1) || ratio != math.Trunc(ratio) {
		return fmt.Errorf("sim: %s split ratio %g: only whole-number forward splits convert (others deliver other than 100 shares a contract)", symbol, ratio)
	}
	if ratio == 1 {
		return nil
	}
	r := int(ratio)
	seen := map[int]bool{}
	trade := func(i int) {
		if i < 0 || seen[i] {
			return
		}
		seen[i] = true
		t := &b.trades[i]
		t.Quantity *= r
		t.Entry /= ratio
		t.Exit /= ratio
		for k := range t.Legs {
			splitLeg(&t.Legs[k], r, ratio)
		}
	}
	for _, p := range b.Positions {
		if p.Symbol != symbol {
			continue
		}
		for k := range p.Legs {
			trade(p.Legs[k].trade)
			splitLeg(&p.Legs[k], r, ratio)
		}
		if p.Shares != 0 {
			trade(p.stockTrade)
			p.Shares *= r
			p.ShareBasis /= ratio
			p.ShareMark /= ratio
		}
		p.credit /= ratio
		if p.bracketOn.Underlying == symbol {
			p.bracketOn.Strike /= ratio
		}
		b.event(p.ID, EventSplit, -1, fmt.Sprintf("%g-for-1: %d legs, %d shares at basis %.4f", ratio, len(p.Legs), p.Shares, p.ShareBasis))
	}
	b.changed()
	return nil
}

// splitLeg converts one option leg through a whole-number split.
func splitLeg(l *Leg, r int, ratio float64) {
	l.Qty *= r
	l.Contract.Strike /= ratio
	l.Price /= ratio
	l.Mark /= ratio
}

// splits converts the book through the splits whose ex-date is day, before the
// day's first decision. A split the book cannot convert is reported as a
// rejected book event, and the positions are left as they were.
func (e *engine) splits(day int32) {
	for _, ev := range e.t.Events {
		if ev.Day != day || ev.Kind != Split {
			continue
		}
		if err := e.book.Split(ev.Symbol, ev.Amount); err != nil {
			e.book.event(0, EventRejected, -1, err.Error())
		}
	}
}

// splitEpoch is a symbol's bars as a decision on or after from sees them:
// adjusted for every split with an ex-date on or before from, so that
// indicators and historical volatility read one continuous series. A decision
// before a split sees the bars as traded: adjusting them for a split still to
// come would be look-ahead, and would no longer match the strikes listed then.
type splitEpoch struct {
	from int32
	bars Bars
}

// prepareSplits builds each series' split epochs from the tape's split events.
func (t *Tape) prepareSplits() {
	for k := range t.Symbols {
		s := &t.Symbols[k]
		s.epochs = s.epochs[:0]
		for _, ev := range t.Events {
			if ev.Kind != Split || ev.Symbol != s.Symbol || !(ev.Amount > 0) || ev.Amount == 1 {
				continue
			}
			prev := &s.Bars
			if n := len(s.epochs); n > 0 {
				prev = &s.epochs[n-1].bars
			}
			s.epochs = append(s.epochs, splitEpoch{from: ev.Day, bars: adjustBars(prev, ev.Day, ev.Amount)})
		}
	}
}

// adjustBars returns a copy of b with the prices of bars before day divided by
// ratio.
func adjustBars(b *Bars, day int32, ratio float64) Bars {
	out := Bars{Days: b.Days,
		Open: append([]float64(nil), b.Open...), High: append([]float64(nil), b.High...),
		Low: append([]float64(nil), b.Low...), Close: append([]float64(nil), b.Close...)}
	for i, d := range b.Days {
		if d >= day {
			break
		}
		out.Open[i] /= ratio
		out.High[i] /= ratio
		out.Low[i] /= ratio
		out.Close[i] /= ratio
	}
	return out
}

// barsAsOf returns the bars a decision on day reads its history from.
func (s *Series) barsAsOf(day int32) *Bars {
	for i := len(s.epochs) - 1; i >= 0; i-- {
		if s.epochs[i].from <= day {
			return &s.epochs[i].bars
		}
	}
	return &s.Bars
}

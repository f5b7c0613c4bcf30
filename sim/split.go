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

// Split converts the book's open positions on symbol through a split of ratio
// new shares per old share (4 for a 4-for-1, 1.5 for a 3-for-2, 0.1 for a
// 1-for-10 reverse split), as OCC adjusts listed options:
//
//   - A whole-number split: each contract becomes ratio contracts on 100
//     shares at the strike divided by ratio.
//   - Any other ratio: the contract count stays and each contract delivers
//     ratio times its shares (150 after a 3-for-2, 10 after a 1-for-10), the
//     strike and prices per share of the deliverable divided by ratio. Such
//     contracts are the adjusted ones the store flags (FlagAdjusted): a
//     strategy never opens them, the book only carries them to their end.
//   - Shares become ratio times as many at the basis divided by ratio; a
//     fraction of a share is paid out as cash in lieu at the share's mark
//     divided by ratio (the last close, adjusted), realizing its P&L against
//     the basis.
//
// Entry prices, marks, bracket levels and the trade records are converted the
// same way, so every dollar amount is unchanged (but for the cash in lieu,
// which only changes its form) and a trade held through the split has the P&L
// the same trade has on split-adjusted data. It reports one EventSplit per
// position converted. A ratio that is not positive and finite, or that leaves a
// contract delivering a fraction of a share, changes nothing and returns an
// error.
func (b *Book) Split(symbol string, ratio float64) error {
	if !(ratio > 0) || math.IsInf(ratio, 0) {
		return fmt.Errorf("sim: %s split ratio %g: want new shares per old share, above zero", symbol, ratio)
	}
	if ratio == 1 {
		return nil
	}
	whole := ratio >= 1 && ratio == math.Trunc(ratio)
	if !whole {
		for _, p := range b.Positions {
			for _, l := range p.Legs {
				if d := float64(l.Shares()) * ratio; p.Symbol == symbol && math.Abs(d-math.Round(d)) > 1e-6 {
					return fmt.Errorf("sim: %s split %s: %v would deliver %g shares a contract, not a whole number",
						symbol, splitName(ratio), l.Contract, d)
				}
			}
		}
	}
	seen := map[int]bool{}
	trade := func(i int, stock bool) {
		if i < 0 || seen[i] {
			return
		}
		seen[i] = true
		t := &b.trades[i]
		switch {
		case stock:
			t.Quantity = int(math.Floor(float64(t.Quantity)*ratio + 1e-9))
		case whole:
			t.Quantity *= int(ratio)
		}
		t.Entry /= ratio
		t.Exit /= ratio
		for k := range t.Legs {
			splitLeg(&t.Legs[k], ratio, whole)
		}
	}
	for _, p := range append([]*Position(nil), b.Positions...) {
		if p.Symbol != symbol {
			continue
		}
		for k := range p.Legs {
			trade(p.Legs[k].trade, false)
			splitLeg(&p.Legs[k], ratio, whole)
		}
		lieu := ""
		if p.Shares != 0 {
			trade(p.stockTrade, true)
			lieu = b.splitShares(p, ratio)
		}
		p.credit /= ratio
		if p.bracketOn.Underlying == symbol {
			p.bracketOn.Strike /= ratio
		}
		b.event(p.ID, EventSplit, -1, fmt.Sprintf("%s: %d legs, %d shares at basis %.4f%s",
			splitName(ratio), len(p.Legs), p.Shares, p.ShareBasis, lieu))
		b.tidy(p)
	}
	b.changed()
	return nil
}

// splitName names a split: "4-for-1", "1.5-for-1", "1-for-10".
func splitName(ratio float64) string {
	if ratio < 1 {
		return fmt.Sprintf("1-for-%g", math.Round(1/ratio*1e6)/1e6)
	}
	return fmt.Sprintf("%g-for-1", ratio)
}

// splitShares converts p's shares through the split: the whole new shares
// stay at the basis over ratio and a fraction is paid as cash in lieu at the
// adjusted mark, closing the stock trade when no whole share is left. It
// returns the event's note on the cash in lieu ("" when none).
func (b *Book) splitShares(p *Position, ratio float64) string {
	n := float64(p.Shares) * ratio
	w := math.Trunc(n + math.Copysign(1e-9, n))
	frac := n - w
	p.Shares = int(w)
	p.ShareBasis /= ratio
	p.ShareMark /= ratio
	if math.Abs(frac) < 1e-9 {
		return ""
	}
	cash := frac * p.ShareMark
	b.Cash += cash
	t := &b.trades[p.stockTrade]
	t.Gross += frac * (p.ShareMark - p.ShareBasis)
	if p.Shares == 0 {
		t.Exit, t.Closed, t.Reason, t.openLegs = p.ShareMark, b.day, EventSplit, 0
		p.stockTrade = -1
	}
	return fmt.Sprintf(", cash in lieu %.2f for %.4g shares at %.4f", cash, frac, p.ShareMark)
}

// splitLeg converts one option leg through a split: ratio contracts at the
// strike over ratio for a whole-number one, else the same contracts delivering
// ratio times the shares.
func splitLeg(l *Leg, ratio float64, whole bool) {
	if whole {
		l.Qty *= int(ratio)
	} else {
		l.Deliver = int(math.Round(float64(l.Shares()) * ratio))
	}
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

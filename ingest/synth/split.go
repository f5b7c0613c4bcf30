package synth

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/osi"
	"github.com/optsweep/sweep/sim/calendar"
)

// KindSplit is the events.csv kind of a stock split: amount is the ratio, new
// shares per old share, and event_date the ex-date.
const KindSplit = "split"

// SymbolSplit is a stock split the generator emits: from the session Date on,
// one share of Symbol is Ratio shares.
type SymbolSplit struct {
	Symbol string    `json:"symbol"`
	Date   time.Time `json:"date"`
	Ratio  float64   `json:"ratio"`
}

// ParseSplit parses SYM=YYYY-MM-DD:RATIO (AAPL=2020-08-31:4), the form of
// sweep gen's --split flag.
func ParseSplit(s string) (SymbolSplit, error) {
	sym, rest, ok := strings.Cut(s, "=")
	date, ratio, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 {
		return SymbolSplit{}, fmt.Errorf("split %q: want SYM=YYYY-MM-DD:RATIO, e.g. AAPL=2020-08-31:4", s)
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(date))
	if err != nil {
		return SymbolSplit{}, fmt.Errorf("split %q: ex-date: %w", s, err)
	}
	r, err := strconv.ParseFloat(strings.TrimSpace(ratio), 64)
	if err != nil {
		return SymbolSplit{}, fmt.Errorf("split %q: ratio: %w", s, err)
	}
	return SymbolSplit{Symbol: strings.ToUpper(strings.TrimSpace(sym)), Date: d, Ratio: r}, nil
}

// checkSplits validates c.Splits against the normalized symbols and dates.
// Only whole-number forward splits (2, 3, 4, ... for one) of simulated stocks and
// ETFs are emitted: their listed contracts become ratio contracts on 100 shares
// at the strike over the ratio, which is what the backtester converts. Other
// ratios leave contracts with a deliverable other than 100 shares.
func (c *Config) checkSplits() error {
	seen := map[string]bool{}
	for k := range c.Splits {
		sp := &c.Splits[k]
		sp.Symbol = strings.ToUpper(strings.TrimSpace(sp.Symbol))
		y, m, d := sp.Date.Date()
		sp.Date = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		name := fmt.Sprintf("split %s=%s:%g", sp.Symbol, sp.Date.Format(time.DateOnly), sp.Ratio)
		p, err := profileFor(sp.Symbol)
		switch {
		case !slices.Contains(c.Symbols, sp.Symbol):
			return fmt.Errorf("synth: %s: %s is not among the symbols generated (%s)", name, sp.Symbol, strings.Join(c.Symbols, ","))
		case err != nil || p.kind == kindIndex || p.tracksSPX:
			return fmt.Errorf("synth: %s: only a simulated stock or ETF can split (%s follows the index)", name, sp.Symbol)
		case c.historyFor(sp.Symbol) != nil:
			return fmt.Errorf("synth: %s: %s follows real history, whose bars carry their own splits", name, sp.Symbol)
		case !(sp.Ratio >= 2) || sp.Ratio != math.Trunc(sp.Ratio) || sp.Ratio > 50:
			return fmt.Errorf("synth: %s: the ratio must be a whole number from 2 to 50 (3:2 and reverse splits give contracts with a deliverable other than 100 shares, not generated yet)", name)
		case !calendar.IsTradingDay(sp.Date):
			return fmt.Errorf("synth: %s: the ex-date is not a trading day", name)
		case !sp.Date.After(c.From) || sp.Date.After(c.To):
			return fmt.Errorf("synth: %s: the ex-date must fall after --from %s and on or before --to %s", name,
				c.From.Format(time.DateOnly), c.To.Format(time.DateOnly))
		case seen[sp.Symbol]:
			return fmt.Errorf("synth: %s: one split per symbol", name)
		}
		seen[sp.Symbol] = true
	}
	return nil
}

// splitFor returns the split of symbol, if any.
func (c *Config) splitFor(symbol string) (SymbolSplit, bool) {
	for _, sp := range c.Splits {
		if sp.Symbol == symbol {
			return sp, true
		}
	}
	return SymbolSplit{}, false
}

// applySplit turns u's simulated path, which is continuous, into the path as
// traded through sp: from the ex-date on, prices are divided by the ratio and
// volume multiplied by it, and so are later dividends. It returns the split's
// event for events.csv and the index of the ex-date session.
func (u *underlying) applySplit(days []time.Time, sp SymbolSplit) (event, int) {
	ex, _ := slices.BinarySearchFunc(days, sp.Date, func(d, t time.Time) int { return d.Compare(t) })
	b := &u.bars
	for i := ex; i < len(days); i++ {
		b.open[i], b.high[i] = round2(b.open[i]/sp.Ratio), round2(b.high[i]/sp.Ratio)
		b.low[i], b.close[i] = round2(b.low[i]/sp.Ratio), round2(b.close[i]/sp.Ratio)
		b.volume[i] *= sp.Ratio
	}
	for k := range u.events {
		if e := &u.events[k]; e.kind == KindExDividend && !e.date.Before(sp.Date) {
			e.amount = math.Round(e.amount/sp.Ratio*1e4) / 1e4
		}
	}
	return event{symbol: u.prof.symbol, date: sp.Date, kind: KindSplit, amount: sp.Ratio}, ex
}

// split adjusts the chain's listed contracts on the ex-date as OCC does for a
// whole-number split: each contract becomes ratio contracts of 100 shares at the
// strike over the ratio (open interest times the ratio), under the new strike's
// symbol, which gets its own definition and mapping from the ex-date on. The
// ladders start over on the new strike grid, keeping the converted strikes.
func (c *chain) split(ratio float64, price float64) {
	r := int64(ratio)
	for _, s := range c.series {
		for k := range s.con {
			ct := &s.con[k]
			ct.strike = int64(math.Round(float64(ct.strike) / ratio))
			sym := osi.Symbol{Root: s.root, Expiry: s.expiry, Strike: float64(ct.strike) / 1000}
			for side := range ct.side {
				st := &ct.side[side]
				sym.PutCall = "CP"[side]
				st.osi = osi.Format(sym)
				st.oi *= int32(r)
				st.lastMid /= float32(ratio)
				st.mapMonth, st.defMonth = -1, -1
			}
		}
		s.con = slices.CompactFunc(s.con, func(a, b contract) bool { return a.strike == b.strike })
		s.fine, s.coarse = c.u.prof.strikeSteps(price)
		s.lo, s.hi, s.flo, s.fhi = 1, 0, 1, 0
	}
}

// splitNames formats splits as ParseSplit reads them.
func splitNames(splits []SymbolSplit) []string {
	var out []string
	for _, sp := range splits {
		out = append(out, fmt.Sprintf("%s=%s:%g", sp.Symbol, sp.Date.Format(time.DateOnly), sp.Ratio))
	}
	return out
}

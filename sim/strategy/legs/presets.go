package legs

import (
	"fmt"
	"sort"
	"strings"
)

// Preset is a named structure: its legs, with the fields the name fixes
// (sides, rights, ratios, strike and expiry rules) and default knobs (deltas,
// widths, days) that a grid may override slot by slot.
type Preset struct {
	Name    string
	Summary string
	Legs    []Leg
}

// leg returns a preset leg: side, right and ratio, everything else unset.
func leg(side, right string, ratio int) Leg {
	l := unsetLeg()
	l.Side, l.Right, l.Ratio = side, right, ratio
	return l
}

func (l Leg) byDelta(d float64) Leg { l.Select, l.Delta = SelectDelta, d; return l }
func (l Leg) atm() Leg              { l.Select, l.Moneyness = SelectMoneyness, 0; return l }
func (l Leg) wide(of int, w float64) Leg {
	l.Select, l.Of, l.Width = SelectWidth, of, w
	return l
}
func (l Leg) offset(of int, pts float64) Leg {
	l.Select, l.Of, l.Offset = SelectOffset, of, pts
	return l
}
func (l Leg) sameStrike(of int) Leg { l.Select, l.Of = SelectStrike, of; return l }
func (l Leg) dte(lo, hi int) Leg    { l.DTEMin, l.DTEMax = lo, hi; return l }
func (l Leg) later(of, days int) Leg {
	l.ExpiryOf, l.DaysLater = of, days
	return l
}

// presets lists every preset; PresetNames sorts them.
func presets() []Preset {
	sp, lp := leg(Short, Put, 1), leg(Long, Put, 1)
	sc, lc := leg(Short, Call, 1), leg(Long, Call, 1)
	return []Preset{
		{"short_put", "sell a put at |delta| 0.30", []Leg{sp.byDelta(0.30)}},
		{"short_call", "sell a call at |delta| 0.30", []Leg{sc.byDelta(0.30)}},
		{"long_put", "buy a put at |delta| 0.30", []Leg{lp.byDelta(0.30)}},
		{"long_call", "buy a call at |delta| 0.30", []Leg{lc.byDelta(0.30)}},
		{"vertical", "put credit spread: sell a put at |delta| 0.30, buy the put 5 points lower", []Leg{sp.byDelta(0.30), lp.wide(0, 5)}},
		{"call_vertical", "call credit spread: sell a call at |delta| 0.30, buy the call 5 points higher", []Leg{sc.byDelta(0.30), lc.wide(0, 5)}},
		{"strangle", "sell a call and a put at |delta| 0.16", []Leg{sc.byDelta(0.16), sp.byDelta(0.16)}},
		{"straddle", "sell the at-the-money call and the put of the same strike", []Leg{sc.atm(), sp.sameStrike(0)}},
		{"iron_condor", "sell a put and a call at |delta| 0.16, buy wings 5 points further out", []Leg{sp.byDelta(0.16), lp.wide(0, 5), sc.byDelta(0.16), lc.wide(2, 5)}},
		{"iron_fly", "sell the at-the-money straddle, buy wings 10 points out", []Leg{sc.atm(), sp.sameStrike(0), lp.wide(1, 10), lc.wide(0, 10)}},
		{"butterfly", "call butterfly: buy 1 call 5 below the money, sell 2 at the money, buy 1 five above", []Leg{leg(Short, Call, 2).atm(), lc.offset(0, -5), lc.offset(0, 5)}},
		{"put_butterfly", "put butterfly: buy 1 put 5 above the money, sell 2 at the money, buy 1 five below", []Leg{leg(Short, Put, 2).atm(), lp.offset(0, 5), lp.offset(0, -5)}},
		{"calendar", "call calendar: sell the at-the-money call 20–35 days out, buy the same strike at least 28 days later", []Leg{sc.atm().dte(20, 35), lc.sameStrike(0).later(0, 28)}},
		{"put_calendar", "put calendar: sell the at-the-money put 20–35 days out, buy the same strike at least 28 days later", []Leg{sp.atm().dte(20, 35), lp.sameStrike(0).later(0, 28)}},
		{"diagonal", "call diagonal: sell a call at |delta| 0.30 20–35 days out, buy the call 5 points lower at least 28 days later", []Leg{sc.byDelta(0.30).dte(20, 35), lc.offset(0, -5).later(0, 28)}},
		{"put_ratio", "put ratio spread 1×2: buy a put at |delta| 0.40, sell two 10 points lower", []Leg{lp.byDelta(0.40), leg(Short, Put, 2).wide(0, 10)}},
		{"call_ratio", "call ratio spread 1×2: buy a call at |delta| 0.40, sell two 10 points higher", []Leg{lc.byDelta(0.40), leg(Short, Call, 2).wide(0, 10)}},
		{"put_backspread", "put back spread 1×2: sell a put at |delta| 0.40, buy two 10 points lower", []Leg{sp.byDelta(0.40), leg(Long, Put, 2).wide(0, 10)}},
		{"covered_call", "100 shares and a short call at |delta| 0.30 (sweep scan only: the engine has no stock order)", []Leg{leg(Long, Stock, 1), sc.byDelta(0.30)}},
		{"collar", "100 shares, a short call at |delta| 0.30 and a long put at |delta| 0.30 (sweep scan only)", []Leg{leg(Long, Stock, 1), sc.byDelta(0.30), lp.byDelta(0.30)}},
		{"protective_put", "100 shares and a long put at |delta| 0.30 (sweep scan only)", []Leg{leg(Long, Stock, 1), lp.byDelta(0.30)}},
	}
}

// Presets returns every preset, sorted by name.
func Presets() []Preset {
	p := presets()
	sort.Slice(p, func(i, j int) bool { return p[i].Name < p[j].Name })
	return p
}

// PresetNames returns the presets' names, sorted.
func PresetNames() []string {
	var n []string
	for _, p := range Presets() {
		n = append(n, p.Name)
	}
	return n
}

// LookupPreset returns the preset called name.
func LookupPreset(name string) (Preset, bool) {
	for _, p := range presets() {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}

// PresetTable describes every preset and its legs, one line per leg, for
// `sweep strategies legs`.
func PresetTable() string {
	var b strings.Builder
	b.WriteString("PRESET\tLEG\tSIDE\tRIGHT\tRATIO\tSTRIKE\tEXPIRY\tWHAT\n")
	for _, p := range Presets() {
		for i, l := range p.Legs {
			name, what := "", ""
			if i == 0 {
				name, what = p.Name, p.Summary
			}
			fmt.Fprintf(&b, "%s\tlegs[%d]\t%s\t%s\t%d\t%s\t%s\t%s\n", name, i, l.Side, l.Right, l.Ratio, l.strikeRule(), l.expiryRule(i, firstOption(p.Legs)), what)
		}
	}
	b.WriteString("Set preset=NAME and override any slot: legs[1].width=10, legs[0].delta=0.2.\n")
	return b.String()
}

// strikeRule describes a preset leg's strike rule.
func (l Leg) strikeRule() string {
	switch l.Select {
	case SelectDelta:
		return fmt.Sprintf("|delta| %g", l.Delta)
	case SelectMoneyness:
		if l.Moneyness == 0 {
			return "at the money"
		}
		return fmt.Sprintf("%g%% out of the money", l.Moneyness)
	case SelectOffset:
		return fmt.Sprintf("legs[%d] %+g", l.Of, l.Offset)
	case SelectOffsetPct:
		return fmt.Sprintf("legs[%d] %+g%%", l.Of, l.OffsetPct)
	case SelectWidth:
		return fmt.Sprintf("legs[%d] ± %g out", l.Of, l.Width)
	case SelectStrike:
		return fmt.Sprintf("legs[%d]'s strike", l.Of)
	}
	return "-"
}

// expiryRule describes a preset leg's expiry rule.
func (l Leg) expiryRule(i, first int) string {
	switch {
	case l.Right == Stock:
		return "-"
	case l.ExpiryOf >= 0 && l.DaysLater > 0:
		return fmt.Sprintf("≥ %d days after legs[%d]", l.DaysLater, l.ExpiryOf)
	case l.ExpiryOf >= 0:
		return fmt.Sprintf("legs[%d]'s", l.ExpiryOf)
	case i > first && l.DTEMin == Unset:
		return fmt.Sprintf("legs[%d]'s", first)
	case l.DTEMin != Unset:
		return fmt.Sprintf("DTE %d–%d", l.DTEMin, l.DTEMax)
	}
	return "DTE 25–50"
}

package legs

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// MaxLegs is the number of leg slots: an order has at most four legs.
const MaxLegs = 4

// Sides (Leg.Side).
const (
	Short = "short"
	Long  = "long"
)

// Rights (Leg.Right). Stock stands for 100 shares per ratio unit; only
// `sweep scan` evaluates it (see Config.Validate).
const (
	Put   = "put"
	Call  = "call"
	Stock = "stock"
)

// Strike selectors (Leg.Select).
const (
	// SelectDelta picks the strike whose |delta| is nearest Delta, within
	// [DeltaMin, DeltaMax].
	SelectDelta = "delta"
	// SelectMoneyness picks the strike nearest spot × (1 − Moneyness/100) for
	// a put, spot × (1 + Moneyness/100) for a call: Moneyness percent out of
	// the money (0 is at the money, negative in the money).
	SelectMoneyness = "moneyness"
	// SelectOffset picks leg Of's strike plus Offset points (signed).
	SelectOffset = "offset"
	// SelectOffsetPct picks leg Of's strike × (1 + OffsetPct/100) (signed).
	SelectOffsetPct = "offset_pct"
	// SelectWidth picks leg Of's strike Width points further out of the money
	// for this leg's right: lower for a put, higher for a call.
	SelectWidth = "width"
	// SelectStrike picks leg Of's strike (a straddle's put, a calendar's
	// back month).
	SelectStrike = "strike"
)

// Entry gate prices (Config.GatePrice).
const (
	GateMid     = "mid"     // the legs' mids
	GateNatural = "natural" // each leg at the side it trades: bought at the ask, sold at the bid
)

// Profit bases (Config.TakeProfitOf).
const (
	OfCredit    = "credit"     // the entry credit or debit
	OfMaxProfit = "max_profit" // the structure's largest payoff at expiry less the entry price
)

// Unset marks an integer leg field left to the preset or the default.
const Unset = -1

// Leg is one leg slot. A field left at its zero value ("" or 0; Unset for
// the integers that may be 0) takes the preset's value, then the default.
type Leg struct {
	Side  string `param:"side" help:"short or long; empty leaves the slot unused (unless the preset fills it)"`
	Right string `param:"right" help:"put, call or stock (stock: sweep scan only)"`
	Ratio int    `param:"ratio" help:"contracts per unit (0: the preset's, else 1)"`

	Select    string  `param:"select" help:"strike rule: delta, moneyness, offset, offset_pct, width or strike (same strike as leg of)"`
	Delta     float64 `param:"delta" help:"select delta: target |delta|"`
	DeltaMin  float64 `param:"delta_min" help:"select delta: |delta| at least this (0: none)"`
	DeltaMax  float64 `param:"delta_max" help:"select delta: |delta| at most this (0: none)"`
	Moneyness float64 `param:"moneyness" help:"select moneyness: percent out of the money (negative: in the money)"`
	Of        int     `param:"of" help:"the earlier leg (0-based) that offset, offset_pct, width and strike count from (-1: the preset's, else 0)"`
	Offset    float64 `param:"offset" help:"select offset: strike points from leg of (signed)"`
	OffsetPct float64 `param:"offset_pct" help:"select offset_pct: strike percent from leg of (signed)"`
	Width     float64 `param:"width" help:"select width: strike points from leg of, away from the money"`

	DTEMin    int  `param:"dte_min" help:"own expiry: days to expiration at least this (-1: the preset's, else 25)"`
	DTEMax    int  `param:"dte_max" help:"own expiry: days to expiration at most this (-1: the preset's, else 50)"`
	DTE       int  `param:"dte" help:"own expiry: the expiration nearest this many days (-1: the middle of the range)"`
	ExpiryOf  int  `param:"expiry_of" help:"the earlier leg whose expiry this leg takes (-1: own DTE rule for leg 0 or a leg with DTE fields, else leg 0)"`
	DaysLater int  `param:"days_later" help:"with expiry_of: the first expiration at least this many days after that leg's (-1: the preset's, else 0, the same expiry)"`
	Exact     bool `param:"exact" help:"select offset, offset_pct or width: the strike exactly that far from leg of, else no entry (off: the nearest listed strike on that side)"`
	AnyExpiry bool `param:"any_expiry" help:"select delta with its own DTE range: the contract with |delta| nearest among every expiration in [dte_min, dte_max], not in the one nearest dte"`
}

// unsetLeg is a slot with nothing set.
func unsetLeg() Leg {
	return Leg{Of: Unset, DTEMin: Unset, DTEMax: Unset, DTE: Unset, ExpiryOf: Unset, DaysLater: Unset}
}

// used reports whether the slot holds a leg.
func (l *Leg) used() bool { return l.Side != "" }

// sign returns −1 for a short leg, +1 for a long one.
func (l *Leg) sign() int {
	if l.Side == Short {
		return -1
	}
	return 1
}

// Config holds the legs strategy's parameters: the legs (a preset, each
// slot's fields overriding it), the entry rules and signal, and the exits.
type Config struct {
	Preset string       `param:"preset" help:"a named structure whose legs fill the slots (sweep strategies legs lists them); empty: the slots alone"`
	Legs   [MaxLegs]Leg `param:"legs[]"`

	Quantity     int      `param:"quantity" help:"units per entry"`
	MaxOpen      int      `param:"max_open" help:"at most this many positions open at once (per run)"`
	Weekdays     []string `param:"entry_weekdays" help:"enter only on these days (mon … fri); empty: any day"`
	MinCredit    float64  `param:"min_credit" help:"enter only for a credit at the mids of at least this per share (0: none)"`
	MaxDebit     float64  `param:"max_debit" help:"enter only for a debit at the mids of at most this per share (0: none)"`
	MinCreditPct float64  `param:"min_credit_width" help:"enter only when credit / width is at least this (width: the widest strike distance of one right; 0: none)"`
	Liquidity    bool     `param:"liquidity_check" help:"skip an entry when a leg is untradeable under the fill model's liquidity tiers"`
	MinOI        int64    `param:"min_open_interest" help:"every leg's open interest at least this (0: none)"`
	Signal       string   `param:"signal" help:"entry signal as JSON, e.g. {\"all\":[{\"rsi\":{\"period\":14,\"below\":70}},{\"weekday\":[\"mon\"]}]} (grid files write it as YAML); empty: always"`
	TakeProfit   float64  `param:"take_profit" help:"close at this fraction of take_profit_of captured (0: off)"`
	TakeProfitOf string   `param:"take_profit_of" help:"credit (the entry price) or max_profit (payoff at expiry less the entry price)"`
	StopMultiple float64  `param:"stop_multiple" help:"close when the loss reaches this multiple of the entry credit or debit (0: off)"`
	ExitDTE      int      `param:"exit_dte" help:"close when the nearest leg's days to expiration fall to this (-1: hold to expiry)"`
	MaxHoldDays  int      `param:"max_hold_days" help:"close after this many calendar days held (0: off)"`
	MaxHoldFrac  float64  `param:"max_hold_frac" help:"close once the calendar days held reach this fraction of the entry's days to expiration (0: off)"`
	ExitCooldown int      `param:"exit_cooldown_days" help:"no entry on a symbol until this many days after an exit order on it (1: not on the day of the exit; 0: off)"`
	GatePrice    string   `param:"gate_price" help:"the price min_credit, max_debit and min_credit_width judge: mid or natural (bought at the ask, sold at the bid)"`
}

// Default returns a single short put at |delta| 0.30, 30–45 days out, one
// unit, at most 5 open, closed at half the credit or a loss of twice it.
func Default() Config {
	c := Config{Preset: "short_put", Quantity: 1, MaxOpen: 5, Liquidity: true,
		TakeProfit: 0.5, TakeProfitOf: OfCredit, StopMultiple: 2, ExitDTE: Unset, GatePrice: GateMid}
	for i := range c.Legs {
		c.Legs[i] = unsetLeg()
	}
	return c
}

// Resolve returns the legs c describes: the preset's legs with every field
// set in a slot overriding the preset's, then the defaults, validated.
func (c *Config) Resolve() ([]Leg, error) {
	var base [MaxLegs]Leg
	for i := range base {
		base[i] = unsetLeg()
	}
	if c.Preset != "" {
		p, ok := LookupPreset(c.Preset)
		if !ok {
			return nil, fmt.Errorf("preset %q: unknown (have %s)", c.Preset, strings.Join(PresetNames(), ", "))
		}
		copy(base[:], p.Legs)
	}
	var out []Leg
	for i := range base {
		l := overlay(base[i], c.Legs[i])
		if !l.used() {
			if i < MaxLegs-1 && c.Legs[i+1].used() {
				return nil, fmt.Errorf("legs[%d] is unused but legs[%d] is set: fill the slots in order", i, i+1)
			}
			continue
		}
		defaults(&l, i)
		// A leg after a stock leg takes the expiry of the first option leg
		// before it, or its own DTE rule when there is none.
		if l.ExpiryOf >= 0 && l.ExpiryOf < len(out) && out[l.ExpiryOf].Right == Stock {
			l.ExpiryOf = firstOption(out)
		}
		if err := l.check(i); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no legs: set preset or legs[0].side")
	}
	return out, nil
}

// firstOption returns the index of the first option leg of legs, or Unset.
func firstOption(legs []Leg) int {
	for i, l := range legs {
		if l.Right != Stock {
			return i
		}
	}
	return Unset
}

// overlay returns b with the fields set in o.
func overlay(b, o Leg) Leg {
	str := func(dst *string, v string) {
		if v != "" {
			*dst = strings.ToLower(strings.TrimSpace(v))
		}
	}
	flt := func(dst *float64, v float64) {
		if v != 0 {
			*dst = v
		}
	}
	num := func(dst *int, v int) {
		if v != Unset {
			*dst = v
		}
	}
	str(&b.Side, o.Side)
	str(&b.Right, o.Right)
	str(&b.Select, o.Select)
	if o.Ratio != 0 {
		b.Ratio = o.Ratio
	}
	flt(&b.Delta, o.Delta)
	flt(&b.DeltaMin, o.DeltaMin)
	flt(&b.DeltaMax, o.DeltaMax)
	flt(&b.Moneyness, o.Moneyness)
	flt(&b.Offset, o.Offset)
	flt(&b.OffsetPct, o.OffsetPct)
	flt(&b.Width, o.Width)
	num(&b.Of, o.Of)
	num(&b.DTEMin, o.DTEMin)
	num(&b.DTEMax, o.DTEMax)
	num(&b.DTE, o.DTE)
	num(&b.ExpiryOf, o.ExpiryOf)
	num(&b.DaysLater, o.DaysLater)
	b.AnyExpiry = b.AnyExpiry || o.AnyExpiry
	b.Exact = b.Exact || o.Exact
	return b
}

// defaults gives leg i's unset fields their defaults.
func defaults(l *Leg, i int) {
	switch l.Side {
	case "sell", "s", "-":
		l.Side = Short
	case "buy", "b", "l", "+":
		l.Side = Long
	}
	switch l.Right {
	case "p":
		l.Right = Put
	case "c":
		l.Right = Call
	}
	if l.Ratio == 0 {
		l.Ratio = 1
	}
	if l.Select == "" {
		l.Select = SelectDelta
		if i > 0 && (l.Width != 0 || l.Of != Unset) {
			l.Select = SelectWidth
		}
	}
	if l.Select == SelectDelta && l.Delta == 0 {
		l.Delta = 0.30
	}
	if l.Of == Unset {
		l.Of = 0
	}
	ownDTE := l.DTEMin != Unset || l.DTEMax != Unset || l.DTE != Unset
	if l.ExpiryOf == Unset && i > 0 && !ownDTE {
		l.ExpiryOf = 0
	}
	if l.DTEMin == Unset {
		l.DTEMin = 25
	}
	if l.DTEMax == Unset {
		l.DTEMax = max(50, l.DTEMin)
	}
	if l.DaysLater == Unset {
		l.DaysLater = 0
	}
}

// check validates resolved leg i.
func (l *Leg) check(i int) error {
	p := fmt.Sprintf("legs[%d].", i)
	sels := []string{SelectDelta, SelectMoneyness, SelectOffset, SelectOffsetPct, SelectWidth, SelectStrike}
	relative := l.Select != SelectDelta && l.Select != SelectMoneyness
	switch {
	case l.Side != Short && l.Side != Long:
		return fmt.Errorf("%sside %q: want short or long", p, l.Side)
	case l.Right != Put && l.Right != Call && l.Right != Stock:
		return fmt.Errorf("%sright %q: want put, call or stock", p, l.Right)
	case l.Ratio < 1:
		return fmt.Errorf("%sratio %d: want 1 or more", p, l.Ratio)
	case l.Right == Stock:
		return nil
	case !slices.Contains(sels, l.Select):
		return fmt.Errorf("%sselect %q: want one of %s", p, l.Select, strings.Join(sels, ", "))
	case l.Select == SelectDelta && !(l.Delta > 0 && l.Delta < 1):
		return fmt.Errorf("%sdelta %g: want a target |delta| in (0, 1)", p, l.Delta)
	case l.DeltaMin < 0 || l.DeltaMax < 0 || (l.DeltaMax > 0 && l.DeltaMax < l.DeltaMin):
		return fmt.Errorf("%sdelta_min %g / delta_max %g: want 0 ≤ min ≤ max", p, l.DeltaMin, l.DeltaMax)
	case relative && (l.Of < 0 || l.Of >= i):
		return fmt.Errorf("%sof %d: select %s needs an earlier leg (0 … %d)", p, l.Of, l.Select, i-1)
	case l.Select == SelectWidth && !(l.Width > 0):
		return fmt.Errorf("%swidth %g: want positive strike points", p, l.Width)
	case math.IsNaN(l.Moneyness) || math.IsNaN(l.Offset) || math.IsNaN(l.OffsetPct):
		return fmt.Errorf("%s: moneyness, offset and offset_pct must be numbers", p)
	case l.ExpiryOf >= i:
		return fmt.Errorf("%sexpiry_of %d: want an earlier leg (0 … %d) or -1", p, l.ExpiryOf, i-1)
	case l.ExpiryOf < 0 && (l.DTEMin < 0 || l.DTEMax < l.DTEMin):
		return fmt.Errorf("%sdte_min %d / dte_max %d: want 0 ≤ min ≤ max", p, l.DTEMin, l.DTEMax)
	case l.ExpiryOf < 0 && l.DTE != Unset && (l.DTE < l.DTEMin || l.DTE > l.DTEMax):
		return fmt.Errorf("%sdte %d outside [dte_min %d, dte_max %d]", p, l.DTE, l.DTEMin, l.DTEMax)
	case l.DaysLater < 0:
		return fmt.Errorf("%sdays_later %d: want 0 or more", p, l.DaysLater)
	case l.Exact && l.Select != SelectOffset && l.Select != SelectOffsetPct && l.Select != SelectWidth:
		return fmt.Errorf("%sexact: needs select offset, offset_pct or width", p)
	case l.AnyExpiry && (l.Select != SelectDelta || l.ExpiryOf >= 0):
		return fmt.Errorf("%sany_expiry: needs select delta and the leg's own DTE range (expiry_of -1)", p)
	}
	return nil
}

// weekdays are the names entry_weekdays accepts, Sunday first as time.Weekday.
var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Validate reports the first parameter whose value makes no sense, naming it.
func (c *Config) Validate() error {
	if _, err := c.Resolve(); err != nil {
		return err
	}
	for _, d := range c.Weekdays {
		if !slices.Contains(weekdays, strings.ToLower(strings.TrimSpace(d))) {
			return fmt.Errorf("entry_weekdays %q: want mon, tue, wed, thu or fri", d)
		}
	}
	switch {
	case c.Quantity < 1:
		return fmt.Errorf("quantity %d: want 1 or more", c.Quantity)
	case c.MaxOpen < 1:
		return fmt.Errorf("max_open %d: want 1 or more", c.MaxOpen)
	case c.MinCredit < 0 || c.MaxDebit < 0 || c.MinCreditPct < 0:
		return fmt.Errorf("min_credit, max_debit and min_credit_width must not be negative")
	case c.TakeProfit < 0 || c.StopMultiple < 0:
		return fmt.Errorf("take_profit %g / stop_multiple %g: must not be negative", c.TakeProfit, c.StopMultiple)
	case c.TakeProfitOf != OfCredit && c.TakeProfitOf != OfMaxProfit:
		return fmt.Errorf("take_profit_of %q: want credit or max_profit", c.TakeProfitOf)
	case c.ExitDTE < Unset:
		return fmt.Errorf("exit_dte %d: want -1 (off) or more", c.ExitDTE)
	case c.MaxHoldDays < 0:
		return fmt.Errorf("max_hold_days %d: want 0 (off) or more", c.MaxHoldDays)
	case !(c.MaxHoldFrac >= 0) || math.IsInf(c.MaxHoldFrac, 0):
		return fmt.Errorf("max_hold_frac %g: want 0 (off) or more", c.MaxHoldFrac)
	case c.ExitCooldown < 0:
		return fmt.Errorf("exit_cooldown_days %d: want 0 (off) or more", c.ExitCooldown)
	case c.GatePrice != "" && c.GatePrice != GateMid && c.GatePrice != GateNatural:
		return fmt.Errorf("gate_price %q: want mid or natural", c.GatePrice)
	}
	return nil
}

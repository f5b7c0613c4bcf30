package legs

import (
	"math"
	"sort"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
)

// scanner walks one symbol of a tape for Scan.
type scanner struct {
	t     *sim.Tape
	s     *sim.Series
	c     *Config
	legs  []Leg
	liq   fill.Liquidity
	b     Buckets
	keep  bool
	days  []sim.Chain // per tape day: that day's rows of the chain
	timed bool        // only time exits (no profit target or stop): no need to value every day
}

// views slices the series' chain by day.
func (sc *scanner) views() {
	s := sc.s
	sc.days = make([]sim.Chain, len(sc.t.Days))
	for i := range sc.days {
		lo, hi := s.DayStart[i], s.DayStart[i+1]
		c := &s.Chain
		sc.days[i] = sim.Chain{
			Expiration: c.Expiration[lo:hi:hi], PutCall: c.PutCall[lo:hi:hi], Strike: c.Strike[lo:hi:hi], AM: c.AM[lo:hi:hi],
			Bid: c.Bid[lo:hi:hi], Ask: c.Ask[lo:hi:hi], Years: c.Years[lo:hi:hi],
			OpenInterest: c.OpenInterest[lo:hi:hi], PrevVolume: c.PrevVolume[lo:hi:hi], Flags: c.Flags[lo:hi:hi],
			IV: c.IV[lo:hi:hi], Delta: c.Delta[lo:hi:hi], Gamma: c.Gamma[lo:hi:hi], Theta: c.Theta[lo:hi:hi], Vega: c.Vega[lo:hi:hi],
		}
	}
	sc.timed = !(sc.c.TakeProfit > 0) && !(sc.c.StopMultiple > 0)
}

// market returns what the strategy would see of the symbol on day i (the
// chain, spot and IV percentile; entries need no history).
func (sc *scanner) market(i int) *sim.Market {
	return &sim.Market{Symbol: sc.s.Symbol, Spot: sc.s.Spot[i], Cash: sc.s.Cash, IVRank: sc.s.IVRank[i],
		IVPercentile: sc.s.IVPct[i], Chain: sc.days[i]}
}

// scanLeg is one leg of a scanned entry.
type scanLeg struct {
	k       sim.Contract
	q       float64 // signed contracts per unit
	price   float64 // entry mid (spot for stock)
	stock   bool
	settled bool
	value   float64 // settlement value once settled
}

// outcome enters the structure with leg 0 on row r of day i and follows it.
func (sc *scanner) outcome(i int, m *sim.Market, r int) (Outcome, bool) {
	ch, why := chooseAll(m, sc.t.Days[i], sc.legs, r)
	if why != "" {
		return Outcome{}, false
	}
	c := &m.Chain
	p := price(m, sc.legs, &ch)
	st := Strategy{cfg: *sc.c, legs: sc.legs, liq: sc.liq}
	if st.gate(c, m, sc.t.Days[i], &ch, st.gatePrice(m, &ch, p)) != "" {
		return Outcome{}, false
	}
	var ls [MaxLegs]scanLeg
	n := len(sc.legs)
	var tl [MaxLegs]sim.Leg
	for j, l := range sc.legs {
		q := float64(l.sign() * l.Ratio)
		if row := ch.rows[j]; row >= 0 {
			ls[j] = scanLeg{k: c.Contract(sc.s.Symbol, row), q: q, price: c.Mid(row)}
		} else {
			ls[j] = scanLeg{q: q, price: m.Spot, stock: true}
		}
		tl[j] = sim.Leg{Contract: ls[j].k, Qty: int(q)}
	}
	o := Outcome{Day: sc.t.Days[i], Contract: c.Contract(sc.s.Symbol, r), DTE: int(c.Expiration[r] - sc.t.Days[i]),
		Delta: c.Delta[r], Entry: p, Reason: "open"}
	mp := maxProfitOf(tl[:n], 1, p)
	if sc.keep {
		for j := 0; j < n; j++ {
			if !ls[j].stock {
				o.Legs = append(o.Legs, sim.OrderLeg{Contract: ls[j].k, Ratio: int(ls[j].q)})
			}
		}
	}
	// Legs expiring on the entry day settle that evening (0DTE).
	if v, reason := sc.step(i, &ls, n, p, mp, o.Day, o.DTE, false); reason != "" {
		o.Exit, o.ExitDay, o.Reason = v, o.Day, reason
		o.PnL = sim.Multiplier * (v - p)
		return o, true
	}
	for j := i + 1; j < len(sc.t.Days); j++ {
		day := sc.t.Days[j]
		if sc.timed {
			j = sc.skip(j, &ls, n, o.Day, o.DTE)
			day = sc.t.Days[j]
		}
		if v, reason := sc.step(j, &ls, n, p, mp, o.Day, o.DTE, true); reason != "" {
			o.Exit, o.ExitDay, o.Reason = v, day, reason
			o.PnL = sim.Multiplier * (v - p)
			return o, true
		}
	}
	return o, true
}

// skip returns the first day from j on which a time exit can fire or a leg
// expires (the only days that matter without P&L exits).
func (sc *scanner) skip(j int, ls *[MaxLegs]scanLeg, n int, opened int32, dte0 int) int {
	first := int32(math.MaxInt32)
	front := int32(math.MaxInt32)
	for k := 0; k < n; k++ {
		if !ls[k].stock && !ls[k].settled {
			front = min(front, ls[k].k.Expiration)
		}
	}
	first = front
	if sc.c.ExitDTE >= 0 {
		first = min(first, front-int32(sc.c.ExitDTE))
	}
	if sc.c.MaxHoldDays > 0 {
		first = min(first, opened+int32(sc.c.MaxHoldDays))
	}
	if sc.c.MaxHoldFrac > 0 && dte0 > 0 {
		first = min(first, opened+int32(math.Floor(sc.c.MaxHoldFrac*float64(dte0)))) // a lower bound: step decides
	}
	d := sort.Search(len(sc.t.Days), func(x int) bool { return sc.t.Days[x] >= first })
	return min(max(d, j), len(sc.t.Days)-1)
}

// step runs day j for an open entry as the engine and the strategy would: the
// strategy's exit rules at the day's quotes (filled at the exit mids when
// every leg can be closed), then the settlement of legs expiring that day. It
// returns the package value per share and the reason when the entry ends.
// Without exits only the settlement runs (the entry day).
func (sc *scanner) step(j int, ls *[MaxLegs]scanLeg, n int, entry, mp float64, opened int32, dte0 int, exits bool) (float64, string) {
	day := sc.t.Days[j]
	c := &sc.days[j]
	spot := sc.s.Spot[j]
	value, valued := 0.0, true
	front := int32(math.MaxInt32)
	for k := 0; k < n; k++ {
		l := &ls[k]
		switch {
		case l.settled:
			value += l.q * l.value
		case l.stock:
			if !(spot > 0) {
				valued = false
			}
			value += l.q * spot
		default:
			mid, ok := c.ExitMid(l.k, l.q < 0)
			valued = valued && ok
			value += l.q * mid
			front = min(front, l.k.Expiration)
		}
	}
	if exits {
		if reason, _ := sc.c.exitRule(value-entry, valued, entry, mp, int(front-day), int(day-opened), dte0); reason != "" && valued {
			return value, reason
		}
	}
	// Settle what expires today.
	left := 0
	for k := 0; k < n; k++ {
		l := &ls[k]
		if l.stock || l.settled {
			continue
		}
		if l.k.Expiration > day {
			left++
			continue
		}
		S := sc.settlement(l.k, j)
		l.settled, l.value = true, l.k.Intrinsic(S)
	}
	if left > 0 {
		return 0, ""
	}
	total := 0.0
	for k := 0; k < n; k++ {
		l := &ls[k]
		if l.stock {
			total += l.q * sc.settlement(sim.Contract{Expiration: day}, j)
		} else {
			total += l.q * l.value
		}
	}
	return total, "expired"
}

// settlement returns the engine's settlement price for k on day j: the close
// of its expiration (the open when AM-settled), else the last close before,
// else the spot.
func (sc *scanner) settlement(k sim.Contract, j int) float64 {
	b := &sc.s.Bars
	exp := k.Expiration
	n := sort.Search(len(b.Days), func(x int) bool { return b.Days[x] >= exp })
	if n < len(b.Days) && b.Days[n] == exp {
		if k.AM {
			return b.Open[n]
		}
		return b.Close[n]
	}
	if n > 0 {
		return b.Close[n-1]
	}
	return sc.s.Spot[j]
}

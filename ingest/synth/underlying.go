package synth

import (
	"math"
	"math/rand/v2"
	"time"
)

// underlying is one option underlying: its profile, daily bars and events.
type underlying struct {
	prof     profile
	bars     bars
	variance []float64 // diffusive variance (annual) after each session, ex-earnings
	ivLevel  []float64 // implied over realized multiplier per session
	ratio    []float64 // price per SPX point, for SPX trackers
	events   []event   // earnings and ex-dividends, dates ascending, amounts filled
	earnings []time.Time
	// own marks a symbol on its real history: variance is its own realized
	// variance, which prices its options directly (no beta or idiosyncratic part).
	own bool
}

// simulateUnderlying draws the path of one symbol on the market m. Single stocks and
// ETFs load on the market's returns with beta and add their own diffusion, jumps and
// earnings moves; SPY is the SPX level times a ratio that steps down on each
// ex-dividend date. The events' dividend amounts are set here: a quarter of the
// yield on the price at the start of each year.
func simulateUnderlying(p profile, m *market, evs []event, seed int64) *underlying {
	n := len(m.days)
	u := &underlying{prof: p, bars: newBars(n), variance: make([]float64, n), ivLevel: make([]float64, n),
		ratio: make([]float64, n), events: evs}
	rng := rand.New(rand.NewPCG(uint64(seed), mix(uint64(seed), symbolSeed(p.symbol), 0x70617468)))
	divOn, reactOn := u.indexEvents(m.days)
	prev, ratio, divAmt, divYear := p.price0, 0.0, 0.0, 0
	switch {
	case p.kind == kindIndex:
		ratio, prev = 1, spx0
	case p.tracksSPX:
		ratio = 0.1 * 0.9985
		prev = spx0 * ratio
	}
	for i, d := range m.days {
		if d.Year() != divYear { // this year's quarterly dividend, from the price now
			divYear, divAmt = d.Year(), round2(prev*p.divYield/4)
		}
		div := 0.0
		if k := divOn[i]; k > 0 {
			div = divAmt
			evs[k-1].amount = div
		}
		u.ivLevel[i] = m.ivLevel[i]
		if u.tracksSPX() {
			if div > 0 {
				ratio *= 1 - div/prev
			}
			u.trackStep(m, i, ratio, rng)
		} else {
			u.stockStep(m, i, prev-div, reactOn[i], rng)
		}
		prev = u.bars.close[i]
	}
	// Dividends scheduled beyond the path: this year's amount, or next year's from the
	// last close.
	for k := range evs {
		if e := &evs[k]; e.kind == KindExDividend && e.amount == 0 {
			if e.date.Year() != divYear {
				divYear, divAmt = e.date.Year(), round2(prev*p.divYield/4)
			}
			e.amount = divAmt
		}
	}
	u.fillHighLow(m, seed)
	return u
}

// indexEvents places u's events on the sessions: divOn[i] is 1 + the index in
// u.events of an ex-dividend on session i, and reactOn[i] marks the session after an
// earnings announcement (made after the close), whose open moves.
func (u *underlying) indexEvents(days []time.Time) (divOn []int, reactOn []bool) {
	n := len(days)
	day := make(map[time.Time]int, n)
	for i, d := range days {
		day[d] = i
	}
	divOn, reactOn = make([]int, n), make([]bool, n)
	for k, e := range u.events {
		i, ok := day[e.date]
		switch {
		case e.kind == KindExDividend && ok:
			divOn[i] = k + 1
		case e.kind == KindEarnings:
			u.earnings = append(u.earnings, e.date)
			if ok && i+1 < n {
				reactOn[i+1] = true
			}
		}
	}
	return divOn, reactOn
}

// trackStep sets session i of a symbol that is the SPX level times ratio.
func (u *underlying) trackStep(m *market, i int, ratio float64, rng *rand.Rand) {
	u.ratio[i] = ratio
	b := &u.bars
	b.open[i], b.high[i], b.low[i], b.close[i] = round2(m.spx.open[i]*ratio), round2(m.spx.high[i]*ratio),
		round2(m.spx.low[i]*ratio), round2(m.spx.close[i]*ratio)
	if u.prof.kind != kindIndex {
		b.volume[i] = underlyingVolume(rng, 70e6, m.retOn[i]+m.retDay[i]+m.jump[i], m.variance[i])
	}
	u.variance[i] = m.variance[i]
}

// stockStep draws session i of a stock or ETF from its previous close (less any
// dividend going ex): beta times the market's overnight and intraday moves, its own
// diffusion split the same way, its own jumps, and the earnings move on reaction days.
func (u *underlying) stockStep(m *market, i int, prev float64, react bool, rng *rand.Rand) {
	p := &u.prof
	idio := p.idioVol * p.idioVol
	on, dayRet := p.beta*(m.retOn[i]+m.jump[i]), p.beta*m.retDay[i]
	sd := math.Sqrt(idio * sessionDT)
	z, zo := rng.NormFloat64(), rng.NormFloat64()
	bridge := math.Sqrt(overnightF*(1-overnightF)) * sd * zo
	on += overnightF*sd*z + bridge
	dayRet += (1-overnightF)*sd*z - bridge
	if rng.Float64() < p.jumpRate*sessionDT {
		on += 0.06 * rng.NormFloat64()
	}
	if react {
		on += p.earnMove * rng.NormFloat64()
	}
	v := p.beta*p.beta*m.variance[i] + idio
	drift := (mktDrift - v/2) * sessionDT
	open := prev * math.Exp(on)
	cls := open * math.Exp(dayRet+drift)
	setBar(&u.bars, i, open, cls, underlyingVolume(rng, 30e6*p.volume/1000, on+dayRet, v))
	u.variance[i] = v
}

// fillHighLow sets the high and low of a symbol that does not track SPX from its
// own minute path.
func (u *underlying) fillHighLow(m *market, seed int64) {
	if u.tracksSPX() {
		return
	}
	var buf [minutesPerSession + 1]float64
	b := &u.bars
	for i := range m.days {
		path := u.minutePath(buf[:], m, seed, i)
		b.high[i], b.low[i] = extremes(path)
	}
}

// minutePath fills dst with the symbol's minute prices on session i (see minutePath).
func (u *underlying) minutePath(dst []float64, m *market, seed int64, i int) []float64 {
	if u.tracksSPX() {
		dst = minutePath(dst, seed, "SPX", i, m.spx.open[i], m.spx.close[i], m.variance[i], m.early[i])
		for k := range dst {
			dst[k] *= u.ratio[i]
		}
		return dst
	}
	b := &u.bars
	return minutePath(dst, seed, u.prof.symbol, i, b.open[i], b.close[i], u.variance[i], m.early[i])
}

// tracksSPX reports whether the symbol's path is the SPX path times a ratio.
func (u *underlying) tracksSPX() bool { return u.prof.tracksSPX || u.prof.kind == kindIndex }

// underlyingVolume draws a day's share volume: busier on big moves.
func underlyingVolume(rng *rand.Rand, base, ret, variance float64) float64 {
	sd := math.Sqrt(variance * sessionDT)
	return math.Round(base * (1 + 1.5*math.Abs(ret)/sd) * math.Exp(0.25*rng.NormFloat64()-0.03))
}

// dividendYield is the continuous yield used to price the symbol's options.
func (u *underlying) dividendYield() float64 {
	if u.prof.kind == kindIndex {
		return 0.014
	}
	return u.prof.divYield
}

// earningsVariance returns the total variance the earnings announced after t and
// before the expiration add to an option expiring on expiry.
func (u *underlying) earningsVariance(t, expiry time.Time) float64 {
	total := 0.0
	for _, e := range u.earnings {
		if e.Before(t) {
			continue
		}
		if !e.Before(expiry) {
			break
		}
		total += u.prof.earnMove * u.prof.earnMove
	}
	return total
}

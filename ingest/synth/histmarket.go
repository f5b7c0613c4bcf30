package synth

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/optsweep/sweep/sim/calendar"
)

// spxPerSPY is the SPX level per SPY dollar in a market driven by SPY's real
// history: the synthetic SPX is SPY × 10, dividend drops included.
const spxPerSPY = 10

// buildMarket returns the market of a run: SPY's real history (SPX = SPY ×
// 10, volatility from its realized variance) when cfg has one, else the
// random path.
func buildMarket(cfg *Config, days []time.Time, fomc []event) (*market, error) {
	s := cfg.historyFor("SPY")
	if s == nil {
		return simulateMarket(days, fomc, cfg.Seed), nil
	}
	idx, err := s.window(days)
	if err != nil {
		return nil, err
	}
	return historyMarket(days, s, idx, cfg.Seed), nil
}

// buildUnderlying returns the underlying of profile p: its real history when
// cfg has one, else the path simulated on the market (which, when the market
// follows SPY's history, loads on SPY's real returns).
func buildUnderlying(cfg *Config, p profile, m *market, evs []event) (*underlying, error) {
	if len(cfg.History) > 0 {
		midweekEarnings(evs)
	}
	s := cfg.historyFor(p.symbol)
	if s == nil {
		return simulateUnderlying(p, m, evs, cfg.Seed), nil
	}
	idx, err := s.window(m.days)
	if err != nil {
		return nil, err
	}
	return historyUnderlying(p, m, s, idx, evs), nil
}

// historyMarket is the market on SPY's real bars: SPX is SPY × 10; its
// variance after each session is SPY's realized variance then (no look-ahead:
// an EWMA of past returns); VIX and VIX3M follow from that variance and the
// same implied-over-realized premium and noise as the random market's. The
// overnight and intraday returns are the real ones, with no separate jumps.
func historyMarket(days []time.Time, s *Series, idx []int, seed int64) *market {
	n := len(days)
	m := &market{days: days, early: make([]bool, n), variance: make([]float64, n), ivLevel: make([]float64, n),
		retOn: make([]float64, n), retDay: make([]float64, n), jump: make([]float64, n),
		spx: newBars(n), vix: newBars(n), vix3m: newBars(n)}
	rng := rand.New(rand.NewPCG(uint64(seed), mix(uint64(seed), 0x6d61726b6574, 0x68697374)))
	rv := s.realizedVariance()
	noise := 0.0
	for i, d := range days {
		j := idx[i]
		m.early[i] = calendar.IsEarlyClose(d)
		b := &m.spx
		b.open[i], b.high[i] = round2(spxPerSPY*s.Open[j]), round2(spxPerSPY*s.High[j])
		b.low[i], b.close[i] = round2(spxPerSPY*s.Low[j]), round2(spxPerSPY*s.Close[j])
		if j > 0 {
			m.retOn[i] = math.Log(s.Open[j] / s.Close[j-1])
		}
		m.retDay[i] = math.Log(s.Close[j] / s.Open[j])
		noise = 0.9*noise + 0.035*rng.NormFloat64()
		m.variance[i], m.ivLevel[i] = rv[j], ivPremium*math.Exp(noise)
	}
	m.fillVIX(rng)
	return m
}

// historyUnderlying is symbol p on its real bars, with its own realized
// variance driving its implied volatilities (see underlying.own). Events
// (earnings, ex-dividends) stay synthetic: their dates follow the profile's
// calendar, dividend amounts a quarter of the yield on the year's first price.
func historyUnderlying(p profile, m *market, s *Series, idx []int, evs []event) *underlying {
	n := len(m.days)
	u := &underlying{prof: p, bars: newBars(n), variance: make([]float64, n), ivLevel: make([]float64, n),
		ratio: make([]float64, n), events: evs, own: true}
	divOn, _ := u.indexEvents(m.days)
	rv := s.realizedVariance()
	divAmt, divYear := 0.0, 0
	for i, d := range m.days {
		j := idx[i]
		if d.Year() != divYear {
			divYear, divAmt = d.Year(), round2(s.Close[max(j-1, 0)]*p.divYield/4)
		}
		if k := divOn[i]; k > 0 {
			evs[k-1].amount = divAmt
		}
		b := &u.bars
		b.open[i], b.high[i], b.low[i], b.close[i] = round2(s.Open[j]), round2(s.High[j]), round2(s.Low[j]), round2(s.Close[j])
		b.volume[i] = s.Volume[j]
		u.variance[i], u.ivLevel[i] = rv[j], m.ivLevel[i]
		if u.tracksSPX() {
			u.ratio[i] = b.close[i] / m.spx.close[i] // the minute path follows the SPX one
		}
	}
	last := u.bars.close[n-1]
	for k := range evs {
		if e := &evs[k]; e.kind == KindExDividend && e.amount == 0 {
			if e.date.Year() != divYear {
				divYear, divAmt = e.date.Year(), round2(last*p.divYield/4)
			}
			e.amount = divAmt
		}
	}
	return u
}

// midweekEarnings moves earnings dates that fall on a Monday to the Tuesday
// and on a Friday to the Thursday (the next or previous trading day when
// that one is a holiday), as most US companies report Tuesday to Thursday.
// Markets on real history use it; the random market keeps its dates, so its
// output is unchanged.
func midweekEarnings(evs []event) {
	for k := range evs {
		e := &evs[k]
		if e.kind != KindEarnings {
			continue
		}
		switch e.date.Weekday() {
		case time.Monday:
			e.date = calendar.NextTradingDay(e.date)
		case time.Friday:
			e.date = calendar.PrevTradingDay(e.date)
		}
	}
}

// derived says, for the manifest, which series a market on real history
// built from SPY's: nil for a random market.
func derived(cfg *Config) map[string]string {
	if cfg.historyFor("SPY") == nil {
		return nil
	}
	return map[string]string{
		"SPX":   "SPY x 10 (real SPY bars)",
		"VIX":   "synthetic: 30-day expected volatility from SPY's realized variance, times a premium",
		"VIX3M": "synthetic: 93-day expected volatility from SPY's realized variance, times a premium",
	}
}

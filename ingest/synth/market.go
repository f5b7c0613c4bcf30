package synth

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/optsweep/sweep/sim/calendar"
)

// Market model parameters (annualized; one trading session is 1/252 of a year).
const (
	sessionDT = 1.0 / 252
	mktDrift  = 0.07   // expected return of the index
	varTheta  = 0.018  // long-run variance of the diffusion: 13.4% vol, before jumps
	varKappa  = 4.0    // mean reversion speed of the variance
	varXi     = 0.35   // volatility of the variance
	varRho    = -0.7   // correlation of variance and returns (leverage effect)
	varFloor  = 0.0064 // 8% vol floor
	jumpRate  = 1.2    // market jumps per year
	jumpVar   = 0.6    // variance added per unit of a sell-off jump's size
	// varMean is the long-run mean variance with the jumps' contribution, the level
	// the expected variance reverts to: about 16% vol.
	varMean    = varTheta + jumpRate*0.8*0.055*jumpVar/varKappa
	ivPremium  = 1.12   // implied over expected realized volatility
	overnightF = 0.2    // share of a session's diffusive variance that arrives overnight
	spx0       = 4750.0 // SPX on the first day
	idxScale   = 100.0  // VIX points per unit of volatility
)

// bars is a struct of arrays of daily bars, one element per trading day.
type bars struct {
	open, high, low, close, volume []float64
}

func newBars(n int) bars {
	return bars{open: make([]float64, n), high: make([]float64, n), low: make([]float64, n),
		close: make([]float64, n), volume: make([]float64, n)}
}

// market is the simulated index and its volatility, one element per trading day.
type market struct {
	days     []time.Time
	early    []bool    // session closes at 13:00 ET
	variance []float64 // instantaneous variance after each session
	ivLevel  []float64 // implied over realized vol multiplier (premium × noise)
	retOn    []float64 // overnight log return (diffusive part) of each session
	retDay   []float64 // open-to-close log return (diffusive part)
	jump     []float64 // jump log return of each session (overnight)
	spx      bars
	vix      bars
	vix3m    bars
}

// simulateMarket draws the index path with stochastic variance and jumps, and VIX and
// VIX3M from the expected variance over 30 and 93 days.
func simulateMarket(days []time.Time, fomc []event, seed int64) *market {
	n := len(days)
	m := &market{days: days, early: make([]bool, n), variance: make([]float64, n), ivLevel: make([]float64, n),
		retOn: make([]float64, n), retDay: make([]float64, n), jump: make([]float64, n),
		spx: newBars(n), vix: newBars(n), vix3m: newBars(n)}
	rng := rand.New(rand.NewPCG(uint64(seed), mix(uint64(seed), 0x6d61726b6574)))
	isFOMC := make(map[time.Time]bool, len(fomc))
	for _, e := range fomc {
		isFOMC[e.date] = true
	}
	v, prev, noise := varMean, spx0, 0.0
	for i, d := range days {
		m.early[i] = calendar.IsEarlyClose(d)
		z1, z2, zo := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		zv := varRho*z1 + math.Sqrt(1-varRho*varRho)*z2
		scale := 1.0
		if isFOMC[d] {
			scale = 1.4
		}
		sd := math.Sqrt(v*sessionDT) * scale
		diff := sd * z1
		on := overnightF*diff + math.Sqrt(overnightF*(1-overnightF))*sd*zo
		var j, vj float64
		if rng.Float64() < jumpRate*sessionDT {
			j, vj = drawJump(rng, v)
		}
		m.retOn[i], m.retDay[i], m.jump[i] = on, diff-on, j
		drift := (mktDrift - v/2) * sessionDT
		open := prev * math.Exp(on+j)
		cls := open * math.Exp(diff-on+drift)
		v = math.Max(varFloor, v+varKappa*(varTheta-v)*sessionDT+varXi*math.Sqrt(v*sessionDT)*zv+vj)
		noise = 0.9*noise + 0.035*rng.NormFloat64()
		m.variance[i], m.ivLevel[i] = v, ivPremium*math.Exp(noise)
		setBar(&m.spx, i, open, cls, 0)
		prev = cls
	}
	m.fillHighLow(seed)
	m.fillVIX(rng)
	return m
}

// drawJump returns a jump's log return and the variance it adds: mostly sell-offs
// (-2% to -15%) that lift volatility, sometimes a relief rally that calms it.
func drawJump(rng *rand.Rand, v float64) (ret, dv float64) {
	if rng.Float64() < 0.8 {
		ret = math.Max(-0.15, math.Min(-0.02, -0.055+0.025*rng.NormFloat64()))
		return ret, -ret * jumpVar
	}
	ret = math.Max(0.01, 0.03+0.01*rng.NormFloat64())
	return ret, -0.15 * v
}

// fillHighLow sets the index's high and low from its minute path.
func (m *market) fillHighLow(seed int64) {
	var buf [minutesPerSession + 1]float64
	for i := range m.days {
		path := minutePath(buf[:], seed, "SPX", i, m.spx.open[i], m.spx.close[i], m.variance[i], m.early[i])
		m.spx.high[i], m.spx.low[i] = extremes(path)
	}
}

// fillVIX sets VIX and VIX3M from the variance the model expects over 30 and 93
// calendar days, times the implied-vol premium; VIX3M carries less of the noise.
func (m *market) fillVIX(rng *rand.Rand) {
	for i := range m.days {
		v, lvl := m.variance[i], m.ivLevel[i]
		vix := idxScale * lvl * termPremium(30.0/365) * math.Sqrt(avgVariance(v, 30.0/365))
		lvl3m := ivPremium * math.Pow(lvl/ivPremium, 0.7) // less of the day-to-day noise
		vix3m := idxScale * lvl3m * termPremium(93.0/365) * math.Sqrt(avgVariance(v, 93.0/365))
		for _, p := range [...]struct {
			b *bars
			c float64
		}{{&m.vix, vix}, {&m.vix3m, vix3m}} {
			prev := p.c
			if i > 0 {
				prev = p.b.close[i-1]
			}
			open := prev * math.Exp(0.5*math.Log(p.c/prev)+0.02*rng.NormFloat64())
			hi := math.Max(open, p.c) * (1 + 0.03*math.Abs(rng.NormFloat64()))
			lo := math.Min(open, p.c) * (1 - 0.03*math.Abs(rng.NormFloat64()))
			p.b.open[i], p.b.high[i], p.b.low[i], p.b.close[i] = round2(open), round2(hi), round2(lo), round2(p.c)
		}
	}
}

// avgVariance is the variance the model expects on average over the next T years
// from instantaneous variance v: the Heston expectation, reverting to the mean that
// includes the jumps.
func avgVariance(v, T float64) float64 {
	if T <= 0 {
		return v
	}
	kt := varKappa * T
	return varMean + (v-varMean)*(1-math.Exp(-kt))/kt
}

// termPremium is the extra implied volatility of longer expirations (a risk premium
// that grows with maturity): 4% at a month, 9% at three, 13% at six.
func termPremium(T float64) float64 {
	return 1 + 0.15*(1-math.Exp(-T/0.25))
}

// setBar stores open and close (rounded to cents) with a provisional high and low.
func setBar(b *bars, i int, open, cls, vol float64) {
	b.open[i], b.close[i] = round2(open), round2(cls)
	b.high[i], b.low[i] = math.Max(b.open[i], b.close[i]), math.Min(b.open[i], b.close[i])
	b.volume[i] = vol
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// Minutes in a regular session and in an early-close one.
const (
	minutesPerSession = 390
	minutesEarly      = 210
	snapshotLead      = 15 // the daily snapshot is this many minutes before the close
)

// sessionMinutes returns the minutes of a session.
func sessionMinutes(early bool) int {
	if early {
		return minutesEarly
	}
	return minutesPerSession
}

// minutePath fills dst with the minute-by-minute price of symbol on session i, from
// the open (dst[0]) to the close, and returns the filled part. The path passes through
// the close at the snapshot minute (15 minutes before the close) and returns to it at
// the close, so the daily snapshot and the close agree. It draws from a stream seeded
// by (seed, symbol, i) alone, so the same path comes back whenever it is asked for.
func minutePath(dst []float64, seed int64, symbol string, i int, open, cls, variance float64, early bool) []float64 {
	n := sessionMinutes(early)
	snap := n - snapshotLead
	dst = dst[:n+1]
	rng := rand.New(rand.NewPCG(mix(uint64(seed), symbolSeed(symbol), uint64(i)), 0x6d696e75746573))
	sd := math.Sqrt(variance * sessionDT / minutesPerSession)
	bridge(dst[:snap+1], math.Log(open), math.Log(cls), sd, rng)
	bridge(dst[snap:], math.Log(cls), math.Log(cls), sd, rng)
	for k := range dst {
		dst[k] = math.Exp(dst[k])
	}
	return dst
}

// bridge fills p with a Brownian bridge from a to b with per-step deviation sd.
func bridge(p []float64, a, b, sd float64, rng *rand.Rand) {
	n := len(p) - 1
	p[0] = 0
	for k := 1; k <= n; k++ {
		p[k] = p[k-1] + sd*rng.NormFloat64()
	}
	end := p[n]
	for k := range p {
		f := float64(k) / float64(n)
		p[k] = a + p[k] - f*end + f*(b-a)
	}
}

// extremes returns the maximum and minimum of p, rounded to cents.
func extremes(p []float64) (hi, lo float64) {
	hi, lo = p[0], p[0]
	for _, x := range p {
		hi, lo = math.Max(hi, x), math.Min(lo, x)
	}
	return round2(hi), round2(lo)
}

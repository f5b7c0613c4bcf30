package putspread

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
	"github.com/optsweep/sweep/sim/indicators"
)

// Gate is one entry gate's evaluation, as logged in an ENTRY_EVAL note.
type Gate struct {
	N         int    // 1 to 10, in evaluation order
	Name      string // regime, iv_rank, term_structure, trend, bb_touch, mean_reversion, rsi, macd, capacity, spacing
	Value     string // the measured value
	Threshold string // the condition it is held to, operator first (">50", "<1.05")
	Result    string // PASS, FAIL or SKIP (an optional gate switched off)
	Extra     string // further key=value pairs, space-separated ("" when none)
}

// Note formats the gate as a key=value line:
// "gate=2 name=iv_rank value=62.3 threshold=>50 result=PASS".
func (g Gate) Note() string {
	s := fmt.Sprintf("gate=%d name=%s value=%s threshold=%s result=%s", g.N, g.Name, g.Value, g.Threshold, g.Result)
	if g.Extra != "" {
		s += " " + g.Extra
	}
	return s
}

// Fields parses a key=value note line into its pairs, in order. Tokens
// without "=" are skipped.
func Fields(text string) [][2]string {
	var out [][2]string
	for _, tok := range strings.Fields(text) {
		if k, v, ok := strings.Cut(tok, "="); ok {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

// reading is the market as the strategy reads it at one decision: the
// indicators at the signal bar (the last closed session) and the levels known
// at the decision time.
type reading struct {
	ready     bool // every indicator has its history
	remaining int  // bars of warm-up left
	bar       int32
	close     float64 // the signal bar's close
	prevClose float64 // the close before it
	ema       float64
	lower     float64 // lower band at the signal bar
	// The lower band touch within the lookback: the bar closest to (or
	// deepest through) its band.
	touched                bool
	touchBar               int32
	touchPrice, touchLevel float64
	depth                  float64 // deepest price in the lookback, standard deviations below the band's mid
	upCloses               int
	rsi, rsiPrev           float64
	hist, histPrev         float64
	vix, vix3m, ratio      float64
	ivr                    float64 // IV percentile, percent
	spot                   float64
	regime                 Regime
}

// latest returns an index's level at the decision time: today's open, else
// the last close.
func latest(x sim.Index) float64 {
	if !math.IsNaN(x.Now) {
		return x.Now
	}
	return x.History.LastClose()
}

// need returns the closes the indicators need before the first entry.
func (c *Config) need() int {
	n := max(c.TrendEMAPeriod, c.BBPeriod+c.BBTouchLookback-1, c.MinUpCloses+1, c.RSIPeriod+2)
	if c.UseMACD {
		n = max(n, c.MACDSlow+c.MACDSignal)
	}
	return n
}

// grow returns s resized to n, reusing its storage.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// read computes the reading of market m at snap.
func (st *Strategy) read(snap *sim.Snapshot, m *sim.Market) reading {
	c := &st.cfg
	r := reading{vix: latest(snap.VIX), vix3m: latest(snap.VIX3M), spot: m.Spot, ivr: math.NaN(),
		close: math.NaN(), ema: math.NaN()}
	r.ratio = r.vix / r.vix3m
	if !(r.vix3m > 0) {
		r.ratio = math.NaN()
	}
	h := &m.History
	n := h.Len()
	if math.IsNaN(r.spot) {
		r.spot = h.LastClose()
	}
	r.remaining = max(c.need()-n, c.IVRankLookback-len(m.ATMIV), 0)
	if w := c.IVRankLookback; len(m.ATMIV) >= w {
		r.ivr = 100 * indicators.IVPercentileLast(m.ATMIV, w)
	}
	if n >= c.TrendEMAPeriod {
		st.ema = grow(st.ema, n)
		indicators.EMA(st.ema, h.Close, c.TrendEMAPeriod)
		r.close, r.ema, r.bar = h.Close[n-1], st.ema[n-1], h.Days[n-1]
	}
	r.regime = c.Classify(r.vix, r.ratio, r.close, r.ema)
	if r.remaining > 0 {
		return r
	}
	r.ready = true
	r.prevClose = h.Close[n-2]
	st.bars(&r, h)
	st.rsi = grow(st.rsi, n)
	indicators.RSIWilder(st.rsi, h.Close, c.RSIPeriod)
	r.rsi, r.rsiPrev = st.rsi[n-1], st.rsi[n-2]
	for k := n - 1; k > 0 && h.Close[k] > h.Close[k-1]; k-- {
		r.upCloses++
	}
	r.hist, r.histPrev = math.NaN(), math.NaN()
	if c.UseMACD {
		st.macd, st.sig, st.hist = grow(st.macd, n), grow(st.sig, n), grow(st.hist, n)
		indicators.MACD(st.macd, st.sig, st.hist, h.Close, c.MACDFast, c.MACDSlow, c.MACDSignal)
		r.hist, r.histPrev = st.hist[n-1], st.hist[n-2]
	}
	return r
}

// bars computes the Bollinger reading: the bands over the last bb_period +
// bb_touch_lookback − 1 closes (a rolling window needs no more), the touch
// and its depth.
func (st *Strategy) bars(r *reading, h *sim.Bars) {
	c := &st.cfg
	n := h.Len()
	w := c.BBPeriod + c.BBTouchLookback - 1
	x := h.Close[n-w:]
	st.lo, st.mid, st.up = grow(st.lo, w), grow(st.mid, w), grow(st.up, w)
	indicators.Bollinger(st.lo, st.mid, st.up, x, c.BBPeriod, c.BBStdDev)
	r.lower = st.lo[w-1]
	best := math.Inf(1)
	r.depth = math.Inf(-1)
	for k := w - c.BBTouchLookback; k < w; k++ {
		p := x[k]
		if c.BBTouchOnLow {
			p = min(p, h.Low[n-w+k])
		}
		// The latest bar at or below its band, else the latest closest approach.
		if gap := p - st.lo[k]; gap <= 0 || (!r.touched && gap <= best) {
			r.touched = r.touched || gap <= 0
			best, r.touchBar, r.touchPrice, r.touchLevel = gap, h.Days[n-w+k], p, st.lo[k]
		}
		if sd := (st.mid[k] - st.lo[k]) / c.BBStdDev; sd > 0 {
			r.depth = max(r.depth, (st.mid[k]-p)/sd)
		}
	}
}

// f2 formats x with two decimals, "NaN" for NaN.
func f2(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

func passFail(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

// gates evaluates the ten entry gates in order into dst and stops at the
// first failure. open is the positions that stay open today, last the day of
// the last entry (0 for none).
func (st *Strategy) gates(dst []Gate, r *reading, day int32, open int, last int32) []Gate {
	c := &st.cfg
	eval := []func() Gate{
		func() Gate {
			return Gate{Name: "regime", Value: r.regime.Key(), Threshold: "not_crisis_or_bear",
				Result: passFail(r.regime != Unknown && !r.regime.Halts())}
		},
		func() Gate {
			return Gate{Name: "iv_rank", Value: strconv.FormatFloat(r.ivr, 'f', 1, 64),
				Threshold: ">" + strconv.FormatFloat(c.MinIVRank, 'g', -1, 64), Result: passFail(r.ivr > c.MinIVRank)}
		},
		func() Gate {
			return Gate{Name: "term_structure", Value: strconv.FormatFloat(r.ratio, 'f', 3, 64),
				Threshold: "<" + strconv.FormatFloat(c.VIXTermThreshold, 'g', -1, 64), Result: passFail(r.ratio < c.VIXTermThreshold),
				Extra: "vix=" + f2(r.vix) + " vix3m=" + f2(r.vix3m)}
		},
		func() Gate {
			return Gate{Name: "trend", Value: f2(r.close), Threshold: ">" + f2(r.ema), Result: passFail(r.close > r.ema),
				Extra: fmt.Sprintf("ema_period=%d", c.TrendEMAPeriod)}
		},
		func() Gate {
			return Gate{Name: "bb_touch", Value: f2(r.touchPrice), Threshold: "<=" + f2(r.touchLevel), Result: passFail(r.touched),
				Extra: fmt.Sprintf("bar=%s lookback=%d", sim.DayString(r.touchBar), c.BBTouchLookback)}
		},
		func() Gate {
			return Gate{Name: "mean_reversion", Value: f2(r.close), Threshold: ">" + f2(r.lower),
				Result: passFail(r.close > r.lower && r.upCloses >= c.MinUpCloses),
				Extra: fmt.Sprintf("up_closes=%d min_up_closes=%d change_pct=%s", r.upCloses, c.MinUpCloses,
					f2(100*(r.close/r.prevClose-1)))}
		},
		func() Gate {
			return Gate{Name: "rsi", Value: f2(r.rsi), Threshold: ">" + strconv.FormatFloat(c.RSIOversold, 'g', -1, 64) + ",rising",
				Result: passFail(r.rsi > c.RSIOversold && r.rsi > r.rsiPrev), Extra: "prior=" + f2(r.rsiPrev)}
		},
		func() Gate {
			if !c.UseMACD {
				return Gate{Name: "macd", Value: "off", Threshold: "off", Result: "SKIP"}
			}
			return Gate{Name: "macd", Value: strconv.FormatFloat(r.hist, 'f', 4, 64), Threshold: ">0,prior<=0",
				Result: passFail(r.hist > 0 && r.histPrev <= 0), Extra: "prior=" + strconv.FormatFloat(r.histPrev, 'f', 4, 64)}
		},
		func() Gate {
			return Gate{Name: "capacity", Value: strconv.Itoa(open), Threshold: "<" + strconv.Itoa(c.MaxConcurrentTotal),
				Result: passFail(open < c.MaxConcurrentTotal)}
		},
		func() Gate {
			if last == 0 {
				return Gate{Name: "spacing", Value: "none", Threshold: ">=" + strconv.Itoa(c.MinDaysBetweenEntries), Result: "PASS"}
			}
			d := businessDays(last, day)
			return Gate{Name: "spacing", Value: strconv.Itoa(d), Threshold: ">=" + strconv.Itoa(c.MinDaysBetweenEntries),
				Result: passFail(d >= c.MinDaysBetweenEntries), Extra: "last_entry=" + sim.DayString(last)}
		},
	}
	for k, f := range eval {
		g := f()
		g.N = k + 1
		dst = append(dst, g)
		if g.Result == "FAIL" {
			break
		}
	}
	return dst
}

// businessDays returns the trading days in (from, to].
func businessDays(from, to int32) int {
	return calendar.CountTradingDays(sim.DayTime(from), sim.DayTime(to))
}

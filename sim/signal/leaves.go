package signal

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/indicators"
)

// leaves makes each leaf kind from its settings.
var leaves = map[string]func(a *args) (Signal, error){
	"sma":           func(a *args) (Signal, error) { return maPosition(a, false) },
	"ema":           func(a *args) (Signal, error) { return maPosition(a, true) },
	"sma_cross":     func(a *args) (Signal, error) { return maCross(a, false) },
	"ema_cross":     func(a *args) (Signal, error) { return maCross(a, true) },
	"rsi":           func(a *args) (Signal, error) { return rsiBand{n: a.period("period", 14), b: a.band()}, a.err },
	"bollinger":     bollinger,
	"iv_rank":       ivRank,
	"iv_percentile": func(a *args) (Signal, error) { return level{what: "iv_percentile", b: a.band()}, a.err },
	"vix":           func(a *args) (Signal, error) { return level{what: "vix", b: a.band()}, a.err },
	"vix_term":      func(a *args) (Signal, error) { return level{what: "vix_term", b: a.band()}, a.err },
	"event":         event,
	"weekday":       nil, // parsed by weekdaySignal
}

// closes returns the closes of m's closed sessions.
func closes(m *sim.Market) []float64 { return m.History.Close }

// ma returns the moving average of x over n (EMA or SMA), as a series.
func ma(x []float64, n int, exp bool) []float64 {
	out := make([]float64, len(x))
	if len(x) < n {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	if exp {
		indicators.EMA(out, x, n)
	} else {
		indicators.SMA(out, x, n)
	}
	return out
}

// maSignal compares the last close with its moving average.
type maSignal struct {
	n     int
	exp   bool
	above bool
}

func maPosition(a *args, exp bool) (Signal, error) {
	s := maSignal{n: a.period("period", 50), exp: exp}
	s.above = a.str("position", "above", "above", "below") == "above"
	return s, a.err
}

func (s maSignal) Eval(_ *sim.Snapshot, m *sim.Market) bool {
	x := closes(m)
	if len(x) < s.n {
		return false
	}
	avg := ma(x, s.n, s.exp)
	last, v := x[len(x)-1], avg[len(x)-1]
	if math.IsNaN(v) {
		return false
	}
	return s.above && last > v || !s.above && last < v
}

// crossSignal holds when the fast average crossed the slow one within the
// last within sessions.
type crossSignal struct {
	fast, slow, within int
	exp, up            bool
}

func maCross(a *args, exp bool) (Signal, error) {
	s := crossSignal{fast: a.period("fast", 20), slow: a.period("slow", 50), within: a.period("within", 1), exp: exp}
	s.up = a.str("direction", "up", "up", "down") == "up"
	if a.err == nil && s.fast >= s.slow {
		a.fail("fast", fmt.Sprintf("%d: want fewer sessions than slow %d", s.fast, s.slow))
	}
	return s, a.err
}

func (s crossSignal) Eval(_ *sim.Snapshot, m *sim.Market) bool {
	x := closes(m)
	if len(x) < s.slow+1 {
		return false
	}
	return indicators.Crossed(ma(x, s.fast, s.exp), ma(x, s.slow, s.exp), len(x)-1, s.within, s.up)
}

// rsiBand holds when Wilder's RSI of the closes is within its band.
type rsiBand struct {
	n int
	b band
}

func (s rsiBand) Eval(_ *sim.Snapshot, m *sim.Market) bool {
	x := closes(m)
	if len(x) <= s.n {
		return false
	}
	out := make([]float64, len(x))
	indicators.RSIWilder(out, x, s.n)
	return s.b.holds(out[len(x)-1])
}

// bandTouch holds when the last close is at or beyond a Bollinger band.
type bandTouch struct {
	n     int
	k     float64
	lower bool
}

func bollinger(a *args) (Signal, error) {
	s := bandTouch{n: a.period("period", 20), k: a.num("k", 2, false)}
	s.lower = a.str("touch", "lower", "lower", "upper") == "lower"
	if a.err == nil && !(s.k > 0) {
		a.fail("k", fmt.Sprintf("%g: want a positive number of standard deviations", s.k))
	}
	return s, a.err
}

func (s bandTouch) Eval(_ *sim.Snapshot, m *sim.Market) bool {
	x := closes(m)
	if len(x) < s.n {
		return false
	}
	lo, mid, hi := make([]float64, len(x)), make([]float64, len(x)), make([]float64, len(x))
	indicators.Bollinger(lo, mid, hi, x, s.n, s.k)
	i := len(x) - 1
	if s.lower {
		return x[i] <= lo[i]
	}
	return x[i] >= hi[i]
}

// level holds when a level known at the decision is within its band.
type level struct {
	what   string
	b      band
	window int // iv_rank: sessions of at-the-money IV ranked; 0 the tape's (indicators.IVWindow)
}

// ivRank reads an iv_rank leaf: a band and an optional window, the sessions
// of at-the-money IV that today's is ranked among (default the tape's 252).
func ivRank(a *args) (Signal, error) {
	s := level{what: "iv_rank", b: a.band()}
	if _, ok := a.m["window"]; ok {
		s.window = a.period("window", indicators.IVWindow)
	} else {
		a.used = append(a.used, "window")
	}
	return s, a.err
}

// now returns the latest level of an index: today's open, else the last close.
func now(ix *sim.Index) float64 {
	if !math.IsNaN(ix.Now) {
		return ix.Now
	}
	return ix.History.LastClose()
}

func (s level) Eval(snap *sim.Snapshot, m *sim.Market) bool {
	var x float64
	switch s.what {
	case "iv_rank":
		x = m.IVRank
		if s.window > 0 && s.window != indicators.IVWindow {
			x = indicators.IVRankLast(m.ATMIV, s.window)
		}
	case "iv_percentile":
		x = m.IVPercentile
	case "vix":
		x = now(&snap.VIX)
	case "vix_term":
		x = now(&snap.VIX) / now(&snap.VIX3M)
	}
	return s.b.holds(x)
}

// eventSignal holds when an event of kind falls within [min_days, max_days]
// calendar days of the decision.
type eventSignal struct {
	kind     string
	min, max int
}

func event(a *args) (Signal, error) {
	s := eventSignal{kind: a.str("kind", sim.Earnings, sim.Earnings, sim.ExDividend, sim.FOMC)}
	lo, hi := a.num("min_days", 0, false), a.num("max_days", 0, true)
	if a.err == nil && (lo < 0 || hi < lo || lo != math.Trunc(lo) || hi != math.Trunc(hi)) {
		a.fail("max_days", fmt.Sprintf("min_days %g / max_days %g: want whole days, 0 ≤ min ≤ max", lo, hi))
	}
	s.min, s.max = int(lo), int(hi)
	return s, a.err
}

func (s eventSignal) Eval(snap *sim.Snapshot, m *sim.Market) bool {
	sym := m.Symbol
	if s.kind == sim.FOMC {
		sym = "*"
	}
	_, ok := snap.EventWithin(sym, s.kind, snap.Day+int32(s.min), snap.Day+int32(s.max))
	return ok
}

// weekdaySet holds on the listed weekdays.
type weekdaySet [7]bool

var dayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func weekdaySignal(arg any, path string) (Signal, error) {
	list, ok := arg.([]any)
	if !ok || len(list) == 0 {
		return nil, &Error{Path: path, Msg: "want a list of days (mon … fri)"}
	}
	var w weekdaySet
	for i, x := range list {
		s, _ := x.(string)
		d := slices.Index(dayNames, strings.ToLower(s))
		if d < 0 {
			return nil, &Error{Path: fmt.Sprintf("%s[%d]", path, i), Msg: fmt.Sprintf("%v: want mon, tue, wed, thu or fri", x)}
		}
		w[d] = true
	}
	return w, nil
}

func (w weekdaySet) Eval(snap *sim.Snapshot, _ *sim.Market) bool {
	return w[sim.DayTime(snap.Day).Weekday()]
}

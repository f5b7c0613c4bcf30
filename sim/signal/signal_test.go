package signal_test

import (
	"math"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/signal"
	"github.com/optsweep/sweep/sim/simtest"
)

// market returns a market whose closed sessions have closes.
func market(closes ...float64) *sim.Market {
	m := &sim.Market{Symbol: "AAA", IVRank: 0.62, IVPercentile: 0.8}
	for i, c := range closes {
		m.History.Days = append(m.History.Days, int32(i))
		m.History.Open = append(m.History.Open, c)
		m.History.High = append(m.History.High, c)
		m.History.Low = append(m.History.Low, c)
		m.History.Close = append(m.History.Close, c)
	}
	return m
}

func ramp(n int, from, step float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = from + float64(i)*step
	}
	return x
}

func TestEval(t *testing.T) {
	// Friday 2024-03-01, earnings on 03-06, VIX 15 now, VIX3M 17.
	snap := &sim.Snapshot{Day: simtest.Day("2024-03-01"),
		VIX: sim.Index{Now: 15}, VIX3M: sim.Index{Now: 17},
		Events: []sim.Event{{Symbol: "AAA", Day: simtest.Day("2024-03-06"), Kind: sim.Earnings}}}
	up := market(ramp(60, 100, 1)...) // rising: above every average, RSI 100
	// 30 sessions at 100, then 20 at 90, then a jump to 120: the 5-session
	// average (96) crosses the 20-session (91.5) on the last bar.
	cross := market(append(append(ramp(30, 100, 0), ramp(20, 90, 0)...), 120)...)
	drop := market(append(ramp(25, 100, 0), 80)...) // far below the lower band
	for _, tc := range []struct {
		text string
		m    *sim.Market
		want bool
	}{
		{``, up, true},
		{`{"sma": {"period": 50, "position": "above"}}`, up, true},
		{`{"sma": {"period": 50, "position": "below"}}`, up, false},
		{`{"sma": {"period": 61}}`, up, false}, // not enough history
		{`{"ema": {"period": 20, "position": "above"}}`, up, true},
		{`{"rsi": {"period": 14, "below": 70}}`, up, false},
		{`{"not": {"rsi": {"period": 14, "below": 70}}}`, up, true},
		{`{"rsi": {"period": 14, "above": 50}}`, up, true},
		{`{"sma_cross": {"fast": 5, "slow": 20}}`, cross, true},
		{`{"sma_cross": {"fast": 5, "slow": 20, "direction": "down"}}`, cross, false},
		{`{"sma_cross": {"fast": 5, "slow": 20}}`, up, false},
		{`{"ema_cross": {"fast": 5, "slow": 20}}`, cross, true},
		{`{"bollinger": {"period": 20, "k": 2, "touch": "lower"}}`, drop, true},
		{`{"bollinger": {"period": 20, "touch": "upper"}}`, drop, false},
		{`{"iv_rank": {"above": 0.5}}`, up, true},
		{`{"iv_rank": {"above": 0.5, "below": 0.6}}`, up, false},
		{`{"iv_percentile": {"above": 0.7, "below": 0.9}}`, up, true},
		{`{"vix": {"below": 20}}`, up, true},
		{`{"vix_term": {"below": 1}}`, up, true}, // contango: 15/17
		{`{"event": {"kind": "earnings", "max_days": 7}}`, up, true},
		{`{"event": {"kind": "earnings", "max_days": 4}}`, up, false},
		{`{"event": {"kind": "earnings", "min_days": 5, "max_days": 5}}`, up, true},
		{`{"weekday": ["mon", "fri"]}`, up, true},
		{`{"weekday": ["tue"]}`, up, false},
		{`{"all": [{"vix": {"below": 20}}, {"weekday": ["fri"]}, {"iv_rank": {"above": 0.5}}]}`, up, true},
		{`{"all": [{"vix": {"below": 20}}, {"weekday": ["tue"]}]}`, up, false},
		{`{"any": [{"vix": {"above": 20}}, {"weekday": ["fri"]}]}`, up, true},
		{`{"any": [{"vix": {"above": 20}}, {"weekday": ["tue"]}]}`, up, false},
	} {
		s, err := signal.Parse(tc.text)
		if err != nil {
			t.Errorf("%s: %v", tc.text, err)
			continue
		}
		got := s == nil || s.Eval(snap, tc.m)
		if got != tc.want {
			t.Errorf("%s: %v, want %v", tc.text, got, tc.want)
		}
	}
	// iv_rank with a window ranks today's at-the-money IV among the last
	// window sessions of Market.ATMIV instead of reading the tape's 252-day
	// rank: 14 is (14−10)/(20−10) = 0.4 of the last three sessions' range.
	short := &sim.Market{IVRank: 0.9, ATMIV: []float64{30, 10, 20, 14}}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{`{"iv_rank": {"above": 0.39, "below": 0.41, "window": 3}}`, true},
		{`{"iv_rank": {"above": 0.5, "window": 3}}`, false},
		{`{"iv_rank": {"above": 0.5}}`, true},                // the tape's rank, 0.9
		{`{"iv_rank": {"above": 0.5, "window": 252}}`, true}, // the tape's window: its rank
		{`{"iv_rank": {"below": 1, "window": 5}}`, false},    // warm-up: NaN
	} {
		s, err := signal.Parse(tc.text)
		if err != nil {
			t.Fatalf("%s: %v", tc.text, err)
		}
		if got := s.Eval(snap, short); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.text, got, tc.want)
		}
	}
	// NaN levels never hold.
	s, _ := signal.Parse(`{"iv_rank": {"below": 1}}`)
	if s.Eval(snap, &sim.Market{IVRank: math.NaN()}) {
		t.Error("NaN IV rank held")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ text, path, msg string }{
		{`{"all": [{"sma": {"period": 50}}, {"rsi": {"period": 0, "below": 70}}]}`, "all[1].rsi.period", "whole number"},
		{`{"rsi": {"period": 14}}`, "rsi.above", "give above, below or both"},
		{`{"rsi": {"period": 14, "above": 70, "below": 30}}`, "rsi.below", "not above"},
		{`{"smaa": {"period": 5}}`, "smaa", "unknown signal kind"},
		{`{"sma": {"period": 5, "pos": "above"}}`, "sma.pos", "unknown setting"},
		{`{"not": {"weekday": ["someday"]}}`, "not.weekday[0]", "want mon"},
		{`{"any": []}`, "any", "non-empty list"},
		{`{"sma": {}, "rsi": {}}`, "", "one key"},
		{`{"sma_cross": {"fast": 50, "slow": 20}}`, "sma_cross.fast", "fewer sessions"},
		{`{"event": {"kind": "split", "max_days": 3}}`, "event.kind", "want one of"},
		{`[1, 2`, "", "not JSON"},
	} {
		_, err := signal.Parse(tc.text)
		var se *signal.Error
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want %q", tc.text, err, tc.msg)
			continue
		}
		if e, ok := err.(*signal.Error); ok {
			se = e
		}
		if se == nil || se.Path != tc.path {
			t.Errorf("%s: path %v, want %q", tc.text, se, tc.path)
		}
	}
}

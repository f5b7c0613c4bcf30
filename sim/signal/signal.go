// Package signal is composable entry filters over what a strategy sees at a
// decision time: the underlying's closed daily bars and their indicators
// (SMA and EMA position and crosses, RSI bands, Bollinger touches), the IV
// rank and percentile, VIX and its term structure, days to a scheduled event,
// and the weekday, combined with all, any and not.
//
// A signal is written as JSON (grid files write it as YAML, which sweep/grid
// turns into JSON): an object with one key, the signal's kind, whose value
// holds its settings:
//
//	{"all": [
//	  {"sma": {"period": 50, "position": "above"}},
//	  {"rsi": {"period": 14, "below": 70}},
//	  {"not": {"event": {"kind": "earnings", "max_days": 7}}}
//	]}
//
// Levels (iv_rank, iv_percentile, vix, vix_term) take a band, above and/or
// below (exclusive). iv_rank also takes window, the sessions of
// at-the-money IV today's is ranked among (Market.ATMIV; default the tape's
// 252-session rank, Market.IVRank).
//
// Indicators are computed on closed sessions only (Market.History), so a
// signal never reads a value stamped after the decision. A signal whose
// indicator lacks history is false.
package signal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/optsweep/sweep/sim"
)

// Signal is an entry filter.
type Signal interface {
	// Eval reports whether the signal holds for market m at snap.
	Eval(snap *sim.Snapshot, m *sim.Market) bool
}

// Error is a problem in a signal's text, at a path such as "all[1].rsi.period".
type Error struct {
	Path, Msg string
}

// Error returns "all[1].rsi.period: want a whole number of 1 or more".
func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// SignalPath returns the path of the problem, for callers that map it back
// to a line of the file the signal was written in.
func (e *Error) SignalPath() string { return e.Path }

// Kinds lists the signal kinds Parse knows.
func Kinds() []string {
	k := []string{"all", "any", "not"}
	for n := range leaves {
		k = append(k, n)
	}
	sort.Strings(k[3:])
	return k
}

// Parse parses a signal's JSON text; empty text gives nil, a signal that
// always holds.
func Parse(text string) (Signal, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &Error{Msg: "not JSON: " + err.Error()}
	}
	return parse(v, "")
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func parse(v any, path string) (Signal, error) {
	obj, ok := v.(map[string]any)
	if !ok || len(obj) != 1 {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("want an object with one key, the signal kind (%s)", strings.Join(Kinds(), ", "))}
	}
	var kind string
	var arg any
	for k, a := range obj {
		kind, arg = k, a
	}
	p := join(path, kind)
	switch kind {
	case "all", "any":
		list, ok := arg.([]any)
		if !ok || len(list) == 0 {
			return nil, &Error{Path: p, Msg: "want a non-empty list of signals"}
		}
		kids := make([]Signal, len(list))
		for i, x := range list {
			s, err := parse(x, fmt.Sprintf("%s[%d]", p, i))
			if err != nil {
				return nil, err
			}
			if s == nil {
				s = always{}
			}
			kids[i] = s
		}
		return combo{all: kind == "all", kids: kids}, nil
	case "not":
		s, err := parse(arg, p)
		if err != nil {
			return nil, err
		}
		return not{s}, nil
	}
	mk, ok := leaves[kind]
	if !ok {
		return nil, &Error{Path: p, Msg: fmt.Sprintf("unknown signal kind %q (have %s)", kind, strings.Join(Kinds(), ", "))}
	}
	a := &args{path: p}
	if kind == "weekday" {
		return weekdaySignal(arg, p)
	}
	m, ok := arg.(map[string]any)
	if !ok {
		return nil, &Error{Path: p, Msg: "want an object of settings"}
	}
	a.m = m
	s, _ := mk(a)
	if err := a.unused(); err != nil {
		return nil, err
	}
	return s, nil
}

type always struct{}

func (always) Eval(*sim.Snapshot, *sim.Market) bool { return true }

type combo struct {
	all  bool
	kids []Signal
}

func (c combo) Eval(snap *sim.Snapshot, m *sim.Market) bool {
	for _, k := range c.kids {
		if k.Eval(snap, m) != c.all {
			return !c.all
		}
	}
	return c.all
}

type not struct{ s Signal }

func (n not) Eval(snap *sim.Snapshot, m *sim.Market) bool { return !n.s.Eval(snap, m) }

// args reads a leaf's settings, remembering which were used.
type args struct {
	path string
	m    map[string]any
	used []string
	err  error
}

func (a *args) fail(key, msg string) {
	if a.err == nil {
		a.err = &Error{Path: join(a.path, key), Msg: msg}
	}
}

func (a *args) num(key string, def float64, required bool) float64 {
	a.used = append(a.used, key)
	v, ok := a.m[key]
	if !ok {
		if required {
			a.fail(key, "missing (required)")
		}
		return def
	}
	n, ok := v.(json.Number)
	if !ok {
		a.fail(key, fmt.Sprintf("want a number, not %v", v))
		return def
	}
	f, err := n.Float64()
	if err != nil || math.IsInf(f, 0) {
		a.fail(key, fmt.Sprintf("%v is not a finite number", v))
	}
	return f
}

func (a *args) period(key string, def int) int {
	f := a.num(key, float64(def), false)
	if f != math.Trunc(f) || f < 1 || f > 10000 {
		a.fail(key, fmt.Sprintf("%v: want a whole number from 1 to 10000", f))
		return 1
	}
	return int(f)
}

func (a *args) str(key, def string, allowed ...string) string {
	a.used = append(a.used, key)
	v, ok := a.m[key]
	if !ok {
		return def
	}
	s, ok := v.(string)
	if !ok || !slices.Contains(allowed, s) {
		a.fail(key, fmt.Sprintf("%v: want one of %s", v, strings.Join(allowed, ", ")))
		return def
	}
	return s
}

// band reads above and below (at least one): the value must be > above and
// < below.
func (a *args) band() band {
	_, hasA := a.m["above"]
	_, hasB := a.m["below"]
	b := band{lo: a.num("above", math.Inf(-1), false), hi: a.num("below", math.Inf(1), false)}
	if !hasA && !hasB {
		a.fail("above", "missing: give above, below or both")
	} else if b.lo >= b.hi {
		a.fail("below", fmt.Sprintf("below %g is not above %g", b.hi, b.lo))
	}
	return b
}

// unused reports a setting the leaf does not know, else the first problem
// found reading the others.
func (a *args) unused() error {
	keys := make([]string, 0, len(a.m))
	for k := range a.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(a.used, k) {
			return &Error{Path: join(a.path, k), Msg: fmt.Sprintf("unknown setting %q (have %s)", k, strings.Join(a.used, ", "))}
		}
	}
	return a.err
}

// band is an open interval (lo, hi).
type band struct{ lo, hi float64 }

func (b band) holds(x float64) bool { return !math.IsNaN(x) && x > b.lo && x < b.hi }

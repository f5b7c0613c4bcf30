package simtest

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/param"
)

// Tol is the absolute tolerance of Near: prices and P&L in the hand-worked
// scenarios are exact to far better than a billionth of a dollar.
const Tol = 1e-9

// Exec returns the execution settings of the strategies' scenario tests:
// sim.DefaultConfig with optimistic fills (at the mid) and no costs, so that
// every price in a scenario can be worked out on paper, and starting cash
// cash (0 keeps the default).
func Exec(cash float64) sim.Config {
	ec := sim.DefaultConfig()
	ec.Mode, ec.Costs = fill.Optimistic, fill.Costs{}
	if cash != 0 {
		ec.Cash = cash
	}
	return ec
}

// Run builds b's tape, makes the strategy newS returns for cfg and runs it
// under ec, failing t at once on any error. It is the run every strategy's
// scenario tests share: simtest.Run(t, b, csp.New, cfg, simtest.Exec(1e5)).
func Run[C any, S sim.Strategy](t testing.TB, b *Builder, newS func(C) (S, error), cfg C, ec sim.Config) *sim.Result {
	t.Helper()
	tape, err := b.Tape()
	if err != nil {
		t.Fatal(err)
	}
	return RunTape(t, tape, newS, cfg, ec)
}

// RunTape is Run on a tape already built (and perhaps edited).
func RunTape[C any, S sim.Strategy](t testing.TB, tape *sim.Tape, newS func(C) (S, error), cfg C, ec sim.Config) *sim.Result {
	t.Helper()
	s, err := newS(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(tape, s, ec)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Near reports whether a and b agree within Tol.
func Near(a, b float64) bool { return math.Abs(a-b) < Tol }

// WantNear reports an error on t, naming what, unless got is within Tol of
// want.
func WantNear(t testing.TB, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > Tol {
		t.Errorf("%s = %.6f, want %.6f", what, got, want)
	}
}

// Notes returns res's notes of kind, in order.
func Notes(res *sim.Result, kind string) []sim.Note {
	var out []sim.Note
	for _, n := range res.Notes {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

// NoteTexts returns the texts of res's notes of kind written on day
// (YYYY-MM-DD; "" for every day), in order.
func NoteTexts(res *sim.Result, day, kind string) []string {
	var out []string
	for _, n := range res.Notes {
		if n.Kind == kind && (day == "" || sim.DayString(n.Day) == day) {
			out = append(out, n.Text)
		}
	}
	return out
}

// HasNote reports whether res has a note of kind whose text contains text.
func HasNote(res *sim.Result, kind, text string) bool {
	for _, n := range res.Notes {
		if n.Kind == kind && strings.Contains(n.Text, text) {
			return true
		}
	}
	return false
}

// Chain returns the chain of quotes qs as the engine would show it at the
// close of day (YYYY-MM-DD): sorted by expiration, strike and put/call,
// PM-settled, unflagged (set Flags by hand to flag a row). It is for tests
// of code that picks from one chain without running a tape.
func Chain(day string, qs ...Quote) sim.Chain {
	at := calendar.CloseTime(sim.DayTime(Day(day)))
	if at.IsZero() {
		at = sim.DayTime(Day(day)).Add(21 * time.Hour)
	}
	var c sim.Chain
	for _, q := range sortQuotes(qs) {
		appendQuote(&c, q, at)
	}
	return c
}

// WantDefaults checks a strategy's configuration cfg (a pointer) as
// `sweep strategies` lists it: every parameter has help text, and each
// parameter of want is listed with the default want gives it.
func WantDefaults(t testing.TB, cfg any, want map[string]string) {
	t.Helper()
	fields := param.List(cfg)
	seen := 0
	for _, f := range fields {
		if f.Help == "" {
			t.Errorf("%s has no help", f.Name)
		}
		if w, ok := want[f.Name]; ok {
			seen++
			if f.Default != w {
				t.Errorf("%s default %q, want %q", f.Name, f.Default, w)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of %d parameters in %d fields", seen, len(want), len(fields))
	}
}

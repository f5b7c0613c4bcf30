package param

import (
	"errors"
	"math"
)

// Rule is one validation rule of a configuration: Bad when the value breaks
// it, Msg naming the parameter and saying what it wants ("contracts 0 < 1").
// It is an alias of an unnamed struct so that a configuration's table of
// rules stays one short line a rule, {bad, msg}, in any package.
type Rule = struct {
	Bad bool
	Msg string
}

// Check returns the first broken rule as the error "prefix: msg", or nil when
// none is broken. A configuration's Validate reports one problem at a time
// with it, naming the parameter.
func Check(prefix string, rules ...Rule) error {
	for _, r := range rules {
		if r.Bad {
			return errors.New(prefix + ": " + r.Msg)
		}
	}
	return nil
}

// CheckAll returns every broken rule, each as "prefix: msg", joined by
// errors.Join (one a line), or nil when none is broken: for a configuration
// that reports all its problems at once.
func CheckAll(prefix string, rules ...Rule) error {
	var errs []error
	for _, r := range rules {
		if r.Bad {
			errs = append(errs, errors.New(prefix+": "+r.Msg))
		}
	}
	return errors.Join(errs...)
}

// Finite reports whether x is a number, neither NaN nor infinite.
func Finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

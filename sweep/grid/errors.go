package grid

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/optsweep/sweep/sim/param"
)

// Error is one problem found in a grid file.
type Error struct {
	File string // the path given to Parse or Load
	Line int    // 1-based line of the offending value; 0 if unknown
	Path string // dotted path of the value, e.g. "params.delta_min[2]"; may be empty
	Msg  string // what is wrong
}

// Error returns "<file>:<line>: <path>: <msg>", leaving out an unknown line
// or an empty path.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// maxShown is the most problems Errors.Error lists.
const maxShown = 20

// Errors is every problem found in a grid file, in line order. Parse and Load
// return an Errors (never empty) as their error.
type Errors []*Error

// Error returns the problems one per line, at most 20 of them followed by a
// count of the rest.
func (es Errors) Error() string {
	lines := make([]string, 0, min(len(es), maxShown)+1)
	for i, e := range es {
		if i == maxShown {
			lines = append(lines, fmt.Sprintf("(and %d more problems)", len(es)-maxShown))
			break
		}
		lines = append(lines, e.Error())
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems as errors, for errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sortErrors orders es by line, keeping the order of finding within a line.
func sortErrors(es Errors) {
	slices.SortStableFunc(es, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
}

// didYouMean returns " (did you mean x?)" naming the closest of names to s
// by edit distance, or "" if none is close (more than max(2, len(s)/3)
// edits away); see param.Suggest.
func didYouMean(s string, names []string) string {
	if best := param.Suggest(s, names); len(best) > 0 {
		return " (did you mean " + best[0] + "?)"
	}
	return ""
}

package grid

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/optsweep/sweep/sim/metrics"
)

// walkForwardMetrics returns the metrics a walk-forward may choose
// parameters by (sim/metrics.Column.WalkForward), in cell_metrics order.
func walkForwardMetrics() []string {
	return metrics.ColumnNames(func(c metrics.Column) bool { return c.WalkForward })
}

// maxFolds bounds the folds of a walk-forward.
const maxFolds = 100_000

func (p *parser) dates(e pair) {
	f, ok := p.fields(e.v, e.path, "from", "to", "windows", "walk_forward")
	if !ok {
		return
	}
	forms := 0
	if f[0].found || f[1].found {
		forms++
	}
	for _, x := range f[2:] {
		if x.found {
			forms++
		}
	}
	switch {
	case forms == 0:
		p.add(e.v.Line, e.path, "want from and to, windows, or walk_forward")
	case forms > 1:
		p.add(e.v.Line, e.path, "use only one of from/to, windows and walk_forward")
	case f[2].found:
		p.windows(f[2])
	case f[3].found:
		p.walkForward(f[3])
	default:
		if w, ok := p.window(e.v, f[0], f[1]); ok {
			p.g.Windows = []Window{w}
		}
	}
}

func (p *parser) windows(e pair) {
	items, ok := p.list(e.v, e.path, "windows {from: YYYY-MM-DD, to: YYYY-MM-DD}")
	if !ok {
		return
	}
	first := map[Window]int{}
	for i, it := range items {
		path := index(e.path, i)
		f, ok := p.fields(it, path, "from", "to")
		if !ok {
			continue
		}
		w, ok := p.window(it, f[0], f[1])
		if !ok {
			continue
		}
		if line, dup := first[w]; dup {
			p.add(it.Line, path, fmt.Sprintf("window %s repeated (first at line %d)", w, line))
			continue
		}
		first[w] = it.Line
		p.g.Windows = append(p.g.Windows, w)
	}
}

// window reads a from/to pair of mapping n.
func (p *parser) window(n *yaml.Node, from, to pair) (Window, bool) {
	a, ok1 := p.date(n, from)
	b, ok2 := p.date(n, to)
	if !ok1 || !ok2 {
		return Window{}, false
	}
	if b.Before(a) {
		p.add(to.v.Line, to.path, fmt.Sprintf("%s is before from %s", b.Format(time.DateOnly), a.Format(time.DateOnly)))
		return Window{}, false
	}
	return Window{a, b}, true
}

// date reads a required YYYY-MM-DD date of mapping n.
func (p *parser) date(n *yaml.Node, e pair) (time.Time, bool) {
	if !e.found {
		p.add(n.Line, e.path, "missing (required)")
		return time.Time{}, false
	}
	s, ok := p.scalar(e.v, e.path)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		p.add(e.v.Line, e.path, fmt.Sprintf("%q: want a date YYYY-MM-DD", s))
		return time.Time{}, false
	}
	return t, true
}

// period is a length of time written "Nd", "Nw", "Nm" or "Ny".
type period struct {
	n    int
	unit byte
}

// periodRE matches a period; N is at most 5 digits.
var periodRE = regexp.MustCompile(`^([1-9][0-9]{0,4})([dwmy])$`)

// parsePeriod parses "12m" and the like.
func parsePeriod(s string) (period, bool) {
	m := periodRE.FindStringSubmatch(s)
	if m == nil {
		return period{}, false
	}
	n, _ := strconv.Atoi(m[1])
	return period{n, m[2][0]}, true
}

// add returns t plus k periods, with time.AddDate's month and year
// arithmetic (2023-01-31 plus 1m is 2023-03-03).
func (d period) add(t time.Time, k int) time.Time {
	switch d.unit {
	case 'd':
		return t.AddDate(0, 0, k*d.n)
	case 'w':
		return t.AddDate(0, 0, 7*k*d.n)
	case 'm':
		return t.AddDate(0, k*d.n, 0)
	}
	return t.AddDate(k*d.n, 0, 0)
}

// folds computes the walk-forward folds over [from, to]: fold k's train
// window starts at from plus k steps; its test window starts when the train
// window ends and is clipped to to. Folds stop before the first whose test
// window would start after to, or at max folds.
func folds(from, to time.Time, train, test, step period, max int) []Fold {
	var out []Fold
	for k := 0; len(out) < max; k++ {
		start := step.add(from, k)
		testStart := train.add(start, 1)
		if testStart.After(to) {
			break
		}
		testEnd := test.add(testStart, 1).AddDate(0, 0, -1)
		if testEnd.After(to) {
			testEnd = to
		}
		out = append(out, Fold{Train: Window{start, testStart.AddDate(0, 0, -1)}, Test: Window{testStart, testEnd}})
	}
	return out
}

func (p *parser) walkForward(e pair) {
	f, ok := p.fields(e.v, e.path, "from", "to", "train", "test", "step", "metric", "goal")
	if !ok {
		return
	}
	n := e.v
	w, ok := p.window(n, f[0], f[1])
	wf := &WalkForward{From: w.From, To: w.To, Maximize: true}
	var per [3]period
	for i, dst := range []*string{&wf.Train, &wf.Test, &wf.Step} {
		e := f[2+i]
		if !e.found {
			if i == 2 { // step defaults to test
				wf.Step, per[2] = wf.Test, per[1]
				continue
			}
			p.add(n.Line, e.path, "missing (required)")
			ok = false
			continue
		}
		s, good := p.scalar(e.v, e.path)
		if good {
			per[i], good = parsePeriod(s)
			if !good {
				p.add(e.v.Line, e.path, fmt.Sprintf("%q: want a period Nd, Nw, Nm or Ny (N a positive integer, e.g. 12m)", s))
			}
		}
		*dst = s
		ok = ok && good
	}
	if !f[5].found {
		p.add(n.Line, f[5].path, "missing (required)")
		ok = false
	} else if s, good := p.scalar(f[5].v, f[5].path); good && indexOf(walkForwardMetrics(), s) >= 0 {
		c, _ := metrics.LookupColumn(s)
		wf.Metric, wf.Maximize = s, !c.LowerIsBetter
	} else {
		if good {
			p.add(f[5].v.Line, f[5].path, fmt.Sprintf("unknown metric %q%s", s, didYouMean(s, walkForwardMetrics())))
		}
		ok = false
	}
	if f[6].found {
		switch s, good := p.scalar(f[6].v, f[6].path); {
		case s == "max":
			wf.Maximize = true
		case s == "min":
			wf.Maximize = false
		case good:
			p.add(f[6].v.Line, f[6].path, fmt.Sprintf("%q: want max or min", s))
			fallthrough
		default:
			ok = false
		}
	}
	if !ok {
		return
	}
	wf.Folds = folds(wf.From, wf.To, per[0], per[1], per[2], maxFolds+1)
	switch {
	case len(wf.Folds) == 0:
		end := per[0].add(wf.From, 1)
		p.add(f[2].v.Line, f[2].path, fmt.Sprintf("no complete train window: %s from %s runs to %s, leaving no test days up to %s",
			wf.Train, wf.From.Format(time.DateOnly), end.AddDate(0, 0, -1).Format(time.DateOnly), wf.To.Format(time.DateOnly)))
		return
	case len(wf.Folds) > maxFolds:
		p.add(n.Line, e.path, fmt.Sprintf("more than %d folds", maxFolds))
		return
	}
	p.g.WalkForward = wf
	for _, fd := range wf.Folds {
		p.g.Windows = append(p.g.Windows, fd.Train)
	}
}

package grid

import (
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/strategy"
)

const (
	// maxAxisErrors is the most rejected values reported per axis.
	maxAxisErrors = 10
	// rescueTries bounds the builds spent looking for another axis's value
	// with which a value the fixed settings reject is valid.
	rescueTries = 64
	// checkChunk is how many values of an axis are checked at a time.
	checkChunk = 64
)

// checkParams checks every parameter name and value with strategy.Build:
// the names, each fixed value alone (for values that do not parse), the
// fixed values together, then every axis value on top of them.
func (p *parser) checkParams() {
	name := p.g.Strategy
	b, err := strategy.Build(name, nil)
	if err != nil {
		p.add(p.strategyLine, "strategy", fmt.Sprintf("strategy %s does not build with its defaults: %v", name, err))
		return
	}
	known := slices.Sorted(maps.Keys(b.Params))
	isKnown := func(n string, line int, path string) bool {
		if _, ok := b.Params[n]; ok {
			return true
		}
		p.add(line, path, fmt.Sprintf("unknown parameter %q for strategy %s%s", n, name, didYouMean(n, known)))
		return false
	}
	var good []fixedSource
	for _, f := range p.fixed {
		if !isKnown(f.name, f.line, f.path) {
			continue
		}
		// Only a value that does not parse is wrong alone; other
		// rejections may come from defaults that other settings change.
		var ve *param.ValueError
		if err := p.build(map[string]string{f.name: f.value}); errors.As(err, &ve) {
			p.add(f.line, f.path, fmt.Sprintf("value %q: %v", f.value, err))
			continue
		}
		good = append(good, f)
	}
	axesOK := make([]bool, len(p.g.Axes))
	for a, ax := range p.g.Axes {
		axesOK[a] = true
		for j, n := range ax.Names {
			axesOK[a] = isKnown(n, p.axes[a].keyLines[j], p.axes[a].paths[j]) && axesOK[a]
		}
	}
	base := make(map[string]string, len(good))
	for _, f := range good {
		base[f.name] = f.value
	}
	if err := p.build(base); err != nil {
		// The fixed values may need the varying ones (dte_max: 25 fixed is
		// fine with dte_min: [10, 14], not with the default dte_min of 30):
		// try them with each axis's first value before blaming one.
		first := maps.Clone(base)
		for a, ax := range p.g.Axes {
			if axesOK[a] && len(ax.Values) > 0 {
				for j, n := range ax.Names {
					first[n] = ax.Values[0][j]
				}
			}
		}
		if p.build(first) != nil {
			p.blame(good, base, err)
			return
		}
	}
	p.checkAxes(base, axesOK)
}

// build builds the grid's strategy with set.
func (p *parser) build(set map[string]string) error {
	_, err := strategy.Build(p.g.Strategy, set)
	return err
}

// blame reports fixed values that strategy.Build rejects together: the first
// (in file order) whose removal makes the rest build, else all of them at
// the strategy's line.
func (p *parser) blame(fixed []fixedSource, base map[string]string, err error) {
	for _, f := range fixed {
		rest := maps.Clone(base)
		delete(rest, f.name)
		if p.build(rest) == nil {
			p.add(p.refine(f.name, f.value, err, f.line), f.path, p.valueMsg(f.name, f.value, err))
			return
		}
	}
	p.add(p.strategyLine, "strategy", fmt.Sprintf("the fixed settings are rejected together: %v", err))
}

// checkAxes checks value k of every axis (with known names) by building the
// strategy with base plus that value. A value rejected for a reason other
// than its own parse (say delta_min above the default delta_max) is accepted
// if some value of another axis makes it build. Values are checked in
// chunks, in parallel; an axis stops being checked after the chunk in which
// it reaches maxAxisErrors, so that a broken range of many values costs
// little. The result does not depend on the number of CPUs.
func (p *parser) checkAxes(base map[string]string, axesOK []bool) {
	for a, ax := range p.g.Axes {
		if !axesOK[a] {
			continue
		}
		n, bad, checked := len(ax.Values), 0, 0
		for checked < n && bad < maxAxisErrors {
			lo, hi := checked, min(checked+checkChunk, n)
			found := make([]*Error, hi-lo)
			parallel(hi-lo, func(i int) { found[i] = p.checkValue(base, a, lo+i) })
			for _, e := range found {
				if e == nil {
					continue
				}
				if bad++; bad <= maxAxisErrors {
					p.errs = append(p.errs, e)
				}
			}
			checked = hi
		}
		path := strings.Join(p.axes[a].paths, ",")
		switch {
		case checked < n:
			p.add(ax.Line, path, fmt.Sprintf("%d more values rejected among the first %d; the other %d were not checked", bad-maxAxisErrors, checked, n-checked))
		case bad > maxAxisErrors:
			p.add(ax.Line, path, fmt.Sprintf("%d more values rejected", bad-maxAxisErrors))
		}
	}
}

// parallel calls f(0) … f(n-1) on up to GOMAXPROCS goroutines.
func parallel(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		})
	}
	wg.Wait()
}

// checkValue checks one axis value; it returns the problem or nil.
func (p *parser) checkValue(base map[string]string, a, k int) *Error {
	ax, src := p.g.Axes[a], p.axes[a]
	vals := ax.Values[k]
	set := maps.Clone(base)
	if set == nil {
		set = map[string]string{}
	}
	for j, n := range ax.Names {
		set[n] = vals[j]
	}
	err := p.build(set)
	if err == nil {
		return nil
	}
	blame := 0
	var ve *param.ValueError
	if errors.As(err, &ve) {
		blame = max(0, slices.Index(ax.Names, ve.Name))
	} else {
		if p.rescue(set, a) {
			return nil
		}
		if len(ax.Names) > 1 { // blame the first zip element rejected alone
			for j, n := range ax.Names {
				one := maps.Clone(base)
				if one == nil {
					one = map[string]string{}
				}
				one[n] = vals[j]
				if p.build(one) != nil {
					blame = j
					break
				}
			}
		}
	}
	path := src.paths[blame]
	msg := p.valueMsg(ax.Names[blame], vals[blame], err)
	if src.ranged[blame] {
		msg = fmt.Sprintf("value %q of the range: %v", vals[blame], err)
	} else {
		path = index(path, k)
	}
	return &Error{File: p.file, Line: p.refine(ax.Names[blame], vals[blame], err, src.lines[k][blame]), Path: path, Msg: msg}
}

// rescue reports whether set (with the values of axis a) builds once the
// values of one other axis are added, trying the values of the other axes
// in order, at most rescueTries of them.
func (p *parser) rescue(set map[string]string, a int) bool {
	tries := 0
	for b, ax := range p.g.Axes {
		if b == a {
			continue
		}
		for _, vals := range ax.Values {
			if tries++; tries > rescueTries {
				return false
			}
			try := maps.Clone(set)
			for j, n := range ax.Names {
				try[n] = vals[j]
			}
			if p.build(try) == nil {
				return true
			}
		}
	}
	return false
}

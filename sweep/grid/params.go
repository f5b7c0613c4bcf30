package grid

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// params reads a params or execution section: name: scalar | list | range,
// and zip groups.
func (p *parser) params(e pair) {
	ps, ok := p.pairs(e.v, e.path)
	if !ok {
		return
	}
	for _, x := range ps {
		if x.key == "zip" {
			p.zip(x)
			continue
		}
		switch {
		case x.v.Kind == yaml.MappingNode && !isRange(x.v):
			p.structured(x)
			continue
		case x.v.Kind == yaml.SequenceNode && isStructuredList(x.v):
			p.structuredAxis(x)
			continue
		}
		switch x.v.Kind {
		case yaml.ScalarNode:
			p.fixedValue(x)
		case yaml.SequenceNode, yaml.MappingNode:
			vals, lines, ok := p.values(x)
			if ok && p.claim(x.key, x.k.Line, x.path) {
				p.addAxis([]string{x.key}, []string{x.path}, [][]string{vals}, [][]int{lines}, []int{x.k.Line}, []bool{x.v.Kind == yaml.MappingNode}, x.k.Line)
			}
		default:
			p.add(x.v.Line, x.path, "want a value, a list or a range {from, to, step}, not "+kindName(x.v))
		}
	}
}

// values reads the values of a list or a range, with the line of each.
func (p *parser) values(x pair) ([]string, []int, bool) {
	if x.v.Kind == yaml.MappingNode {
		vals, ok := p.rangeValues(x)
		lines := make([]int, len(vals))
		for i := range lines {
			lines[i] = x.k.Line
		}
		return vals, lines, ok
	}
	items, ok := p.list(x.v, x.path, "values")
	if !ok {
		return nil, nil, false
	}
	vals, lines := make([]string, 0, len(items)), make([]int, 0, len(items))
	first := map[string]int{}
	for i, it := range items {
		s, good := p.scalar(it, index(x.path, i))
		if !good {
			ok = false
			continue
		}
		if j, dup := first[s]; dup {
			p.add(it.Line, index(x.path, i), fmt.Sprintf("value %q repeated (also item %d)", s, j))
			ok = false
			continue
		}
		first[s] = i
		vals, lines = append(vals, s), append(lines, it.Line)
	}
	return vals, lines, ok
}

// rangeValues reads a range {from, to, step}.
func (p *parser) rangeValues(x pair) ([]string, bool) {
	f, ok := p.fields(x.v, x.path, "from", "to", "step")
	if !ok {
		return nil, false
	}
	var s [3]string
	for i, e := range f {
		if !e.found {
			p.add(x.k.Line, e.path, "missing (a range needs from, to and step)")
			return nil, false
		}
		if s[i], ok = p.scalar(e.v, e.path); !ok {
			return nil, false
		}
	}
	vals, err := expandRange(s[0], s[1], s[2])
	if err != nil {
		p.add(x.k.Line, x.path, err.Error())
		return nil, false
	}
	return vals, true
}

// expandRange returns the values from, from+step, … up to to inclusive, as
// text. Integer bounds and step give integers. Otherwise value k is
// from + k*step rounded to 12 significant digits (and to 0 within 1e-9 steps
// of it), so that 0.1 to 0.3 by 0.1 gives 0.1, 0.2, 0.3.
func expandRange(from, to, step string) ([]string, error) {
	a, e1 := strconv.ParseInt(strings.TrimSpace(from), 10, 64)
	b, e2 := strconv.ParseInt(strings.TrimSpace(to), 10, 64)
	d, e3 := strconv.ParseInt(strings.TrimSpace(step), 10, 64)
	if e1 == nil && e2 == nil && e3 == nil {
		switch {
		case d <= 0:
			return nil, fmt.Errorf("step %d: must be positive", d)
		case b < a:
			return nil, fmt.Errorf("to %d is below from %d", b, a)
		}
		n := (uint64(b) - uint64(a)) / uint64(d) // exact, as b >= a
		if n >= MaxRangeValues {
			return nil, fmt.Errorf("the range gives more than %d values", MaxRangeValues)
		}
		out := make([]string, n+1)
		for k := range out {
			out[k] = strconv.FormatInt(a+int64(k)*d, 10)
		}
		return out, nil
	}
	var x [3]float64
	for i, s := range []string{from, to, step} {
		v, ok := parseNumber(s)
		if !ok {
			return nil, fmt.Errorf("%s %q is not a number", [3]string{"from", "to", "step"}[i], s)
		}
		x[i] = v
	}
	switch {
	case x[2] <= 0:
		return nil, fmt.Errorf("step %s: must be positive", step)
	case x[1] < x[0]:
		return nil, fmt.Errorf("to %s is below from %s", to, from)
	}
	q := (x[1] - x[0]) / x[2]
	if !(q < MaxRangeValues) { // also catches an infinite q
		return nil, fmt.Errorf("the range gives more than %d values", MaxRangeValues)
	}
	n := int(math.Floor(q + 1e-9))
	if n >= MaxRangeValues {
		return nil, fmt.Errorf("the range gives more than %d values", MaxRangeValues)
	}
	out := make([]string, n+1)
	for k := range out {
		v := x[0] + float64(k)*x[2]
		if math.Abs(v) < 1e-9*x[2] {
			v = 0
		}
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
		out[k] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return out, nil
}

// zip reads zip groups: a list of mappings whose lists vary together.
func (p *parser) zip(x pair) {
	groups, ok := p.list(x.v, x.path, "zip groups {name: [values], name: [values]}")
	if !ok {
		return
	}
	for gi, g := range groups {
		path := index(x.path, gi)
		ps, ok := p.pairs(g, path)
		if !ok {
			continue
		}
		if len(ps) == 0 {
			p.add(g.Line, path, "empty zip group: an empty axis means an empty grid (no cells)")
			continue
		}
		var names, paths []string
		var cols [][]string
		var lines [][]int
		var keyLines []int
		var ranged []bool
		good := true
		for _, e := range ps {
			if e.v.Kind == yaml.ScalarNode {
				p.add(e.v.Line, e.path, "want a list or a range in a zip group, not "+kindName(e.v))
				good = false
				continue
			}
			vals, ls, ok := p.values(e)
			if !ok || !p.claim(e.key, e.k.Line, e.path) {
				good = false
				continue
			}
			names, paths, cols, lines = append(names, e.key), append(paths, e.path), append(cols, vals), append(lines, ls)
			keyLines, ranged = append(keyLines, e.k.Line), append(ranged, e.v.Kind == yaml.MappingNode)
		}
		if !good {
			continue
		}
		if msg := unequal(names, cols); msg != "" {
			p.add(g.Line, path, msg)
			continue
		}
		p.addAxis(names, paths, cols, lines, keyLines, ranged, g.Line)
	}
}

// unequal describes zip lists of different lengths, or returns "".
func unequal(names []string, cols [][]string) string {
	var parts []string
	same := true
	for j, c := range cols {
		parts = append(parts, fmt.Sprintf("%s has %d", names[j], len(c)))
		same = same && len(c) == len(cols[0])
	}
	if same {
		return ""
	}
	return "zip lists must have equal lengths: " + strings.Join(parts, ", ")
}

// addAxis appends an axis given column-wise (cols[j][k] is value k of
// names[j], written at lines[j][k]; names[j] is written at keyLines[j], as a
// range if ranged[j]).
func (p *parser) addAxis(names, paths []string, cols [][]string, lines [][]int, keyLines []int, ranged []bool, line int) {
	n := len(cols[0])
	a := Axis{Names: names, Values: make([][]string, n), Line: line}
	src := axisSource{paths: paths, keyLines: keyLines, ranged: ranged, lines: make([][]int, n)}
	for k := range n {
		a.Values[k] = make([]string, len(names))
		src.lines[k] = make([]int, len(names))
		for j := range names {
			a.Values[k][j], src.lines[k][j] = cols[j][k], lines[j][k]
		}
	}
	p.g.Axes = append(p.g.Axes, a)
	p.axes = append(p.axes, src)
}

// seeds reads the values of execution_seed: a list or a range.
func (p *parser) seeds(x pair) {
	if x.v.Kind == yaml.ScalarNode {
		p.add(x.v.Line, x.path, "want a list of seeds, not "+kindName(x.v)+" (a fixed seed is execution.execution_seed)")
		return
	}
	vals, lines, ok := p.values(x)
	if ok && p.claim("execution_seed", x.k.Line, x.path) {
		p.addAxis([]string{"execution_seed"}, []string{x.path}, [][]string{vals}, [][]int{lines}, []int{x.k.Line}, []bool{x.v.Kind == yaml.MappingNode}, x.k.Line)
	}
}

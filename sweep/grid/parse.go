package grid

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/optsweep/sweep/sim/strategy"
)

// parser holds the state of one Parse.
type parser struct {
	file string
	g    *Grid
	errs Errors

	strategyLine int  // line of the strategy name
	strategyOK   bool // the strategy is registered
	fixed        []fixedSource
	axes         []axisSource // parallel to g.Axes
	seen         map[string]site
	nodes        map[string]*yaml.Node // structured values by name and JSON text
}

// site is where a parameter is set.
type site struct {
	line int
	path string
}

// fixedSource is a fixed parameter value and where it is written.
type fixedSource struct {
	name, value string
	site
}

// axisSource records where an axis's names and values are written.
type axisSource struct {
	paths    []string // per name
	keyLines []int    // per name
	ranged   []bool   // per name: the values come from a range
	lines    [][]int  // lines[k][j]: the line of Values[k][j]
}

// add records a problem.
func (p *parser) add(line int, path, msg string) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Path: path, Msg: msg})
}

// Parse parses and validates the grid file text; path names the file in
// messages and is stored in the Grid. Every problem found is reported, each
// with its line, in an Errors.
func Parse(path string, text []byte) (*Grid, error) {
	p := &parser{
		file: path,
		g:    &Grid{Path: path, Text: string(text), Data: DefaultData, Out: DefaultOut, Settings: map[string]string{}, Model: Model{Rate: 0.04}},
		seen: map[string]site{},
	}
	if root := p.document(text); root != nil {
		p.top(root)
	}
	// A grid too large to run is not worth checking value by value.
	if (len(p.errs) > 0 || p.checkSize()) && p.strategyOK {
		p.checkParams()
	}
	if len(p.errs) > 0 {
		sortErrors(p.errs)
		return nil, p.errs
	}
	return p.g, nil
}

// topKeys are the keys of a grid file.
var topKeys = []string{"name", "data", "out", "strategy", "symbols", "dates", "params", "execution", "seeds", "model"}

// top reads the root mapping. Sections are read in a fixed order so that
// axes come out as params, execution, seeds whatever the file's order.
func (p *parser) top(root *yaml.Node) {
	f, _ := p.fields(root, "", topKeys...)
	for _, e := range f[:6] { // name … dates are required, except data and out
		if !e.found && e.key != "data" && e.key != "out" {
			p.add(root.Line, e.key, "missing (required)")
		}
	}
	if f[0].found {
		p.name(f[0])
	}
	for i, dst := range []*string{&p.g.Data, &p.g.Out} {
		if e := f[1+i]; e.found {
			if s, ok := p.scalar(e.v, e.path); ok && s != "" {
				*dst = s
			} else if ok {
				p.add(e.v.Line, e.path, "empty path")
			}
		}
	}
	if f[3].found {
		p.strategy(f[3])
	}
	if f[4].found {
		p.symbols(f[4])
	}
	if f[5].found {
		p.dates(f[5])
	}
	for _, e := range f[6:8] {
		if e.found {
			p.params(e)
		}
	}
	if f[8].found {
		p.seeds(f[8])
	}
	if f[9].found {
		p.model(f[9])
	}
}

// nameRE is what a grid name may contain.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

func (p *parser) name(e pair) {
	s, ok := p.scalar(e.v, e.path)
	switch {
	case !ok:
	case !nameRE.MatchString(s) || s == "." || s == "..":
		p.add(e.v.Line, e.path, fmt.Sprintf("%q: want letters, digits, '.', '_' and '-' only (it names a run and a directory)", s))
	default:
		p.g.Name = s
	}
}

func (p *parser) strategy(e pair) {
	nameNode := e.v
	var settings pair
	if e.v.Kind == yaml.MappingNode {
		f, _ := p.fields(e.v, e.path, "name", "settings")
		if !f[0].found {
			p.add(e.v.Line, f[0].path, "missing (required)")
			return
		}
		nameNode, settings = f[0].v, f[1]
	}
	name, ok := p.scalar(nameNode, join(e.path, "name"))
	if !ok {
		return
	}
	p.strategyLine = nameNode.Line
	if _, err := strategy.Lookup(name); err != nil {
		var names []string
		for _, i := range strategy.Registry() {
			names = append(names, i.Name)
		}
		p.add(nameNode.Line, e.path, err.Error()+didYouMean(name, names))
		return
	}
	p.g.Strategy, p.strategyOK = name, true
	if !settings.found {
		return
	}
	ps, _ := p.pairs(settings.v, settings.path)
	for _, s := range ps {
		if s.v.Kind != yaml.ScalarNode {
			p.add(s.v.Line, s.path, "want a single value, not "+kindName(s.v)+" (settings are fixed; vary a parameter under params)")
			continue
		}
		p.fixedValue(s)
	}
}

// fixedValue records a fixed parameter value.
func (p *parser) fixedValue(e pair) {
	v, ok := p.scalar(e.v, e.path)
	if !ok || !p.claim(e.key, e.v.Line, e.path) {
		return
	}
	p.g.Settings[e.key] = v
	p.fixed = append(p.fixed, fixedSource{e.key, v, site{e.v.Line, e.path}})
}

// claim records that parameter name is set at line, reporting a name set
// twice.
func (p *parser) claim(name string, line int, path string) bool {
	if s, ok := p.seen[name]; ok {
		p.add(line, path, fmt.Sprintf("parameter %s is set twice: here and at line %d (%s)", name, s.line, s.path))
		return false
	}
	p.seen[name] = site{line, path}
	return true
}

// symbolRE is what an (upper-cased) symbol may contain.
var symbolRE = regexp.MustCompile(`^[A-Z0-9._^/-]+$`)

// ValidSymbol reports whether s (upper-cased) is a symbol a grid file
// accepts: letters, digits and . _ ^ / -. Commands that take symbols
// check them the same way.
func ValidSymbol(s string) bool { return symbolRE.MatchString(s) }

func (p *parser) symbols(e pair) {
	items, ok := p.list(e.v, e.path, "symbol sets")
	if !ok {
		return
	}
	first := map[string]int{}
	for i, it := range items {
		path := index(e.path, i)
		var raw []string
		switch it.Kind {
		case yaml.ScalarNode:
			s, ok := p.scalar(it, path)
			if !ok {
				continue
			}
			raw = strings.Split(s, ",")
		case yaml.SequenceNode:
			syms, ok := p.list(it, path, "symbols")
			if !ok {
				continue
			}
			for j, n := range syms {
				if s, ok := p.scalar(n, index(path, j)); ok {
					raw = append(raw, s)
				}
			}
		default:
			p.add(it.Line, path, "want a symbol, \"SPY,AAPL\" or a list of symbols, not "+kindName(it))
			continue
		}
		set, ok := p.symbolSet(raw, it.Line, path)
		if !ok {
			continue
		}
		key := strings.Join(set, ",")
		if line, dup := first[key]; dup {
			p.add(it.Line, path, fmt.Sprintf("symbol set %s repeated (first at line %d)", key, line))
			continue
		}
		first[key] = it.Line
		p.g.SymbolSets = append(p.g.SymbolSets, set)
	}
}

// symbolSet trims, upper-cases, checks and sorts the symbols of one set.
func (p *parser) symbolSet(raw []string, line int, path string) ([]string, bool) {
	set := make([]string, 0, len(raw))
	for _, s := range raw {
		s = strings.ToUpper(strings.TrimSpace(s))
		if !symbolRE.MatchString(s) {
			p.add(line, path, fmt.Sprintf("bad symbol %q", s))
			return nil, false
		}
		if slices.Contains(set, s) {
			p.add(line, path, fmt.Sprintf("symbol %s repeated in the set", s))
			return nil, false
		}
		set = append(set, s)
	}
	slices.Sort(set)
	return set, len(set) > 0
}

// parseNumber parses a finite float.
func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
}

func (p *parser) model(e pair) {
	f, ok := p.fields(e.v, e.path, "rate", "dividend", "american")
	if !ok {
		return
	}
	m := &p.g.Model
	for i, dst := range []*float64{&m.Rate, &m.Dividend} {
		if !f[i].found {
			continue
		}
		s, ok := p.scalar(f[i].v, f[i].path)
		if !ok {
			continue
		}
		x, ok := parseNumber(s)
		switch {
		case !ok:
			p.add(f[i].v.Line, f[i].path, fmt.Sprintf("%q is not a number", s))
		case i == 1 && x < 0:
			p.add(f[i].v.Line, f[i].path, fmt.Sprintf("dividend yield %s is negative", s))
		default:
			*dst = x
		}
	}
	if f[2].found {
		if s, ok := p.scalar(f[2].v, f[2].path); ok {
			switch s {
			case "true":
				m.American = true
			case "false":
				m.American = false
			default:
				p.add(f[2].v.Line, f[2].path, fmt.Sprintf("%q: want true or false", s))
			}
		}
	}
}

// checkSize reports a grid with no cells or too many, and returns whether
// the size is fine.
func (p *parser) checkSize() bool {
	n := []int{len(p.g.SymbolSets), len(p.g.Windows)}
	for _, a := range p.g.Axes {
		n = append(n, len(a.Values))
	}
	total := 1
	for _, x := range n {
		if x == 0 {
			p.add(1, "", "the grid has no cells")
			return false
		}
		total = min(total*x, MaxCells+1) // total <= MaxCells+1 and x <= len(text): no overflow
	}
	if total > MaxCells {
		p.add(1, "", fmt.Sprintf("the grid has more than %d cells (%d symbol sets × %d windows × %v axis values)", MaxCells, n[0], n[1], n[2:]))
		return false
	}
	return true
}

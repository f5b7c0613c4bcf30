package grid

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A structured value is a parameter written as a YAML mapping that is not a
// range (an entry signal: {all: [{sma: {period: 50}}, …]}), or a list of
// such mappings (an axis of them). It is passed to the strategy as compact
// JSON with sorted keys; an error that names a path inside it (see pathError)
// is reported at that path's line.

// isRange reports whether mapping n is a range {from, to, step}: it has one
// of those keys.
func isRange(n *yaml.Node) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch deref(n.Content[i]).Value {
		case "from", "to", "step":
			return true
		}
	}
	return false
}

// isStructuredList reports whether sequence n holds mappings that are not
// ranges.
func isStructuredList(n *yaml.Node) bool {
	if len(n.Content) == 0 {
		return false
	}
	for _, c := range n.Content {
		if c = deref(c); c.Kind != yaml.MappingNode || isRange(c) {
			return false
		}
	}
	return true
}

// encode returns n as compact JSON.
func encode(n *yaml.Node) (string, error) {
	var v any
	if err := n.Decode(&v); err != nil {
		return "", err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", errors.New("cannot be written as JSON: " + strings.TrimPrefix(err.Error(), "json: "))
	}
	return string(b), nil
}

// structured records a structured fixed value.
func (p *parser) structured(x pair) {
	s, err := encode(x.v)
	if err != nil {
		p.add(x.v.Line, x.path, err.Error())
		return
	}
	if !p.claim(x.key, x.v.Line, x.path) {
		return
	}
	p.remember(x.key, s, x.v)
	p.g.Settings[x.key] = s
	p.fixed = append(p.fixed, fixedSource{x.key, s, site{x.v.Line, x.path}})
}

// structuredAxis records a list of structured values as an axis.
func (p *parser) structuredAxis(x pair) {
	var vals []string
	var lines []int
	for i, it := range x.v.Content {
		it = deref(it)
		s, err := encode(it)
		if err != nil {
			p.add(it.Line, index(x.path, i), err.Error())
			return
		}
		vals, lines = append(vals, s), append(lines, it.Line)
		p.remember(x.key, s, it)
	}
	if p.claim(x.key, x.k.Line, x.path) {
		p.addAxis([]string{x.key}, []string{x.path}, [][]string{vals}, [][]int{lines}, []int{x.k.Line}, []bool{false}, x.k.Line)
	}
}

func (p *parser) remember(name, value string, n *yaml.Node) {
	if p.nodes == nil {
		p.nodes = map[string]*yaml.Node{}
	}
	p.nodes[name+"\x00"+value] = n
}

// pathError is implemented by errors that name a path inside a structured
// value, such as "all[1].rsi.period" (sim/signal's errors).
type pathError interface{ SignalPath() string }

// refine returns the line of the node err points into when value of
// parameter name is structured, else line.
func (p *parser) refine(name, value string, err error, line int) int {
	n, ok := p.nodes[name+"\x00"+value]
	var pe pathError
	if !ok || !errors.As(err, &pe) {
		return line
	}
	return nodeAt(n, pe.SignalPath()).Line
}

var step = regexp.MustCompile(`([^.\[\]]+)|\[(\d+)\]`)

// nodeAt follows path ("all[1].rsi.period") from n as far as it goes and
// returns the node reached.
func nodeAt(n *yaml.Node, path string) *yaml.Node {
	for _, m := range step.FindAllStringSubmatch(path, -1) {
		n = deref(n)
		var next *yaml.Node
		switch {
		case m[1] != "" && n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if deref(n.Content[i]).Value == m[1] {
					next = n.Content[i+1]
					if deref(next).Kind == yaml.ScalarNode || deref(next).Line == 0 {
						next = n.Content[i] // the key's line for a scalar
					}
				}
			}
		case m[2] != "" && n.Kind == yaml.SequenceNode:
			if i, err := strconv.Atoi(m[2]); err == nil && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

// valueMsg describes err for value of parameter name: with the value, unless
// it is structured (its JSON would only repeat the file).
func (p *parser) valueMsg(name, value string, err error) string {
	if _, ok := p.nodes[name+"\x00"+value]; ok {
		return err.Error()
	}
	return fmt.Sprintf("value %q: %v", value, err)
}

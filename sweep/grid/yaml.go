package grid

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// pair is a key and its value in a YAML mapping.
type pair struct {
	key   string
	k, v  *yaml.Node
	path  string // dotted path of the value
	found bool
}

// syntaxLine matches the line number in yaml's syntax errors.
var syntaxLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// document decodes text into its root node, or reports why it cannot.
func (p *parser) document(text []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.add(0, "", "the file is empty")
		} else {
			p.syntax(err)
		}
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		p.add(next.Line, "", "more than one YAML document (a second \"---\")")
		return nil
	case !errors.Is(err, io.EOF):
		p.syntax(err)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		p.add(doc.Line, "", "not a YAML document")
		return nil
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		p.add(root.Line, "", "want a mapping of keys (name, strategy, symbols, dates, …), not "+kindName(root))
		return nil
	}
	return root
}

// syntax reports a YAML syntax error, with its line when yaml gives one.
func (p *parser) syntax(err error) {
	msg := err.Error()
	if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		if line, err := strconv.Atoi(m[1]); err == nil {
			p.add(line, "", "YAML syntax: "+m[2])
			return
		}
	}
	p.add(0, "", "YAML syntax: "+strings.TrimPrefix(msg, "yaml: "))
}

// deref follows aliases (*name) to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

// kindName describes a node's kind for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "an alias"
}

// isNull reports whether n is an empty or null scalar.
func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// join appends key to a dotted path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// index appends a list index to a path.
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// pairs returns the entries of mapping n in file order, reporting keys that
// are not scalars or that repeat, and reports n if it is not a mapping.
func (p *parser) pairs(n *yaml.Node, path string) ([]pair, bool) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, path, "want a mapping of keys, not "+kindName(n))
		return nil, false
	}
	var out []pair
	first := make(map[string]int)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.add(k.Line, path, "a key must be a plain name, not "+kindName(k))
			continue
		}
		if line, ok := first[k.Value]; ok {
			p.add(k.Line, join(path, k.Value), fmt.Sprintf("key repeated (first at line %d)", line))
			continue
		}
		first[k.Value] = k.Line
		out = append(out, pair{key: k.Value, k: k, v: v, path: join(path, k.Value)})
	}
	return out, true
}

// fields returns the entries of mapping n, each key one of known (keys not
// known are reported with the closest known key), in the order of known; a
// missing key's pair has found false.
func (p *parser) fields(n *yaml.Node, path string, known ...string) ([]pair, bool) {
	ps, ok := p.pairs(n, path)
	if !ok {
		return nil, false
	}
	out := make([]pair, len(known))
	for i, k := range known {
		out[i] = pair{key: k, path: join(path, k)}
	}
	for _, e := range ps {
		i := indexOf(known, e.key)
		if i < 0 {
			hint := didYouMean(e.key, known)
			if hint == "" {
				hint = " (known keys: " + strings.Join(known, ", ") + ")"
			}
			p.add(e.k.Line, e.path, fmt.Sprintf("unknown key %q%s", e.key, hint))
			continue
		}
		e.found = true
		out[i] = e
	}
	return out, true
}

// indexOf returns the index of s in list, or -1.
func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// scalar returns the text of scalar n, reporting anything else.
func (p *parser) scalar(n *yaml.Node, path string) (string, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || isNull(n) {
		p.add(n.Line, path, "want a single value, not "+kindName(n))
		return "", false
	}
	return n.Value, true
}

// list returns the items of sequence n, reporting anything else and an
// empty list.
func (p *parser) list(n *yaml.Node, path, what string) ([]*yaml.Node, bool) {
	n = deref(n)
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, path, "want a list of "+what+", not "+kindName(n))
		return nil, false
	}
	if len(n.Content) == 0 {
		p.add(n.Line, path, "empty list: an empty axis means an empty grid (no cells)")
		return nil, false
	}
	items := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		items[i] = deref(c)
	}
	return items, true
}

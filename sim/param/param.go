// Package param reads and sets the parameters of a strategy's config struct by
// name, for the command line (--set key=value), grid files and the strategy
// listing (sweep strategies).
//
// A parameter is an exported struct field with a `param:"name"` tag; its
// `help:"..."` tag describes it. Names are snake_case, as the user's documents
// write them (min_daily_return). Struct-typed fields without a param tag,
// embedded or named, are walked recursively, so a config can group its
// parameters into sub-structs; their parameters share one flat namespace. A
// field tagged `param:"-"` is skipped and not walked. Other untagged fields
// are skipped. Pointer fields are never followed. A field tagged
// `param:"name[]"` must be an array of structs: element i's parameters are
// named "name[i].param" (legs[0].delta, legs[1].width), so a config can hold a
// fixed number of like-shaped groups.
//
// Supported parameter types, by [Field.Type]:
//
//	float     float64, float32 (strconv.ParseFloat: "0.5", "1e-3", "inf", "-inf")
//	int       int, int8 … int64 (decimal integers only)
//	bool      bool (strconv.ParseBool: true, false, 1, 0, t, f, …)
//	string    string (taken as is)
//	[]float   []float64, []float32, comma-separated ("0.1,0.2")
//	[]int     []int … []int64, comma-separated ("8,20,50")
//	[]string  []string, comma-separated ("a,b"); elements cannot contain commas
//	text      any type T where *T implements encoding.TextUnmarshaler and T or
//	          *T implements encoding.TextMarshaler
//
// Named types (type Pct float64) count as their underlying kind unless they
// implement encoding.TextUnmarshaler, which takes precedence. Spaces around
// numbers, booleans and list elements are ignored; an empty string sets an
// empty list. Values are formatted so that setting the formatted value back
// gives the same value (floats with strconv 'g' and the shortest precision).
//
// A config that breaks these rules (a tagged field of another type, an empty
// or duplicate name, a tagged unexported field, a type with UnmarshalText but
// no MarshalText, or a cfg that is not a non-nil pointer to a struct) is a
// programming error: every function panics with a message naming the fields
// involved.
package param

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Field describes one parameter of a config struct.
type Field struct {
	// Name is the parameter name, from the field's param tag.
	Name string
	// Type is one of "float", "int", "bool", "string", "[]float", "[]int",
	// "[]string" or "text".
	Type string
	// Default is the field's current value, formatted as Set accepts it.
	Default string
	// Help is the field's help tag.
	Help string
}

// List returns the parameters of cfg, a pointer to a struct, in declaration
// order, parameters of nested structs in place of the struct field.
func List(cfg any) []Field {
	fs := walkConfig(cfg)
	out := make([]Field, len(fs))
	for i, f := range fs {
		out[i] = Field{Name: f.name, Type: f.kind.String(), Default: format(f), Help: f.help}
	}
	return out
}

// Set parses value for the type of the parameter name of cfg and stores it.
// An unknown name gives an [*UnknownError] suggesting the closest names; a
// value that does not parse gives a [*ValueError], and leaves the field as it
// was.
func Set(cfg any, name, value string) error {
	if f, ok := lookup(cfg, name); ok {
		return parse(f, value)
	}
	return &UnknownError{Name: name, Suggestions: suggest(name, names(cfg))}
}

// Get returns the formatted value of the parameter name of cfg, and whether
// cfg has such a parameter.
func Get(cfg any, name string) (string, bool) {
	if f, ok := lookup(cfg, name); ok {
		return format(f), true
	}
	return "", false
}

// Types adds the type of every parameter of cfg ([Field.Type]) to m, keyed
// by name, and returns m (a new map if m is nil).
func Types(cfg any, m map[string]string) map[string]string {
	l := layoutOf(configValue(cfg).Type())
	if m == nil {
		m = make(map[string]string, len(l.fields))
	}
	for _, f := range l.fields {
		m[f.name] = f.kind.String()
	}
	return m
}

// Values returns every parameter of cfg, formatted, keyed by name.
func Values(cfg any) map[string]string {
	fs := walkConfig(cfg)
	m := make(map[string]string, len(fs))
	for _, f := range fs {
		m[f.name] = format(f)
	}
	return m
}

// SetAll sets the parameters in kv, in sorted key order, and stops at the
// first error. Parameters set before the error keep their new values. The
// error is the one Set returns, which names the key ([UnknownError.Name],
// [ValueError.Name]).
func SetAll(cfg any, kv map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(kv)) {
		if err := Set(cfg, k, kv[k]); err != nil {
			return err
		}
	}
	return nil
}

// ParseAssignment splits s, "name=value", at its first '='; the value may
// contain further '=' signs. Spaces around the name and the value are removed.
// It is an error if s has no '=' or the name is empty.
func ParseAssignment(s string) (name, value string, err error) {
	name, value, ok := strings.Cut(s, "=")
	if !ok {
		return "", "", fmt.Errorf("param: bad assignment %q: want name=value", s)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", "", fmt.Errorf("param: bad assignment %q: empty parameter name", s)
	}
	return name, strings.TrimSpace(value), nil
}

// ErrUnknown is matched by errors.Is for every [*UnknownError].
var ErrUnknown = errors.New("unknown parameter")

// UnknownError reports a parameter name the config does not have.
type UnknownError struct {
	// Name is the name asked for.
	Name string
	// Suggestions are the closest parameter names by edit distance, closest
	// first; it may be empty.
	Suggestions []string
}

// Error returns, for example,
// `unknown parameter "min_dailyreturn"; did you mean "min_daily_return"?`.
func (e *UnknownError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "unknown parameter %q", e.Name)
	for i, s := range e.Suggestions {
		switch {
		case i == 0:
			b.WriteString("; did you mean ")
		case i == len(e.Suggestions)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	if len(e.Suggestions) > 0 {
		b.WriteString("?")
	}
	return b.String()
}

// Is reports whether target is [ErrUnknown].
func (e *UnknownError) Is(target error) bool { return target == ErrUnknown }

// ValueError reports a value that does not parse as its parameter's type.
type ValueError struct {
	// Name is the parameter name.
	Name string
	// Value is the value given.
	Value string
	// Err describes the problem; for text parameters it is the error
	// UnmarshalText returned.
	Err error
}

// Error returns, for example, `parameter min_dte: "abc" is not an integer`.
func (e *ValueError) Error() string { return "parameter " + e.Name + ": " + e.Err.Error() }

// Unwrap returns e.Err.
func (e *ValueError) Unwrap() error { return e.Err }

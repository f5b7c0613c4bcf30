package param

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// kind is the parameter type of a field.
type kind uint8

const (
	kindInvalid kind = iota
	kindFloat
	kindInt
	kindBool
	kindString
	kindFloats
	kindInts
	kindStrings
	kindText
)

var kindNames = [...]string{
	kindInvalid: "invalid",
	kindFloat:   "float",
	kindInt:     "int",
	kindBool:    "bool",
	kindString:  "string",
	kindFloats:  "[]float",
	kindInts:    "[]int",
	kindStrings: "[]string",
	kindText:    "text",
}

// String returns the name used in Field.Type.
func (k kind) String() string { return kindNames[k] }

var (
	unmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	marshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
)

// isText reports whether *t implements encoding.TextUnmarshaler.
func isText(t reflect.Type) bool { return reflect.PointerTo(t).Implements(unmarshalerType) }

// scalarKind returns the kind of a non-slice, non-text type.
func scalarKind(t reflect.Type) kind {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return kindFloat
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return kindInt
	case reflect.Bool:
		return kindBool
	case reflect.String:
		return kindString
	}
	return kindInvalid
}

// kindOf returns the parameter kind of t, or kindInvalid if t is unsupported.
func kindOf(t reflect.Type) kind {
	if isText(t) {
		return kindText
	}
	if t.Kind() != reflect.Slice {
		return scalarKind(t)
	}
	if isText(t.Elem()) {
		return kindInvalid
	}
	switch scalarKind(t.Elem()) {
	case kindFloat:
		return kindFloats
	case kindInt:
		return kindInts
	case kindString:
		return kindStrings
	}
	return kindInvalid
}

// field is one parameter found in a config.
type field struct {
	*fieldInfo
	v reflect.Value // settable
}

// fieldInfo is what a config's type says of one of its parameters.
type fieldInfo struct {
	name, help string
	path       string // Go selector from the config, such as "Exit.MinDTE"
	kind       kind
	steps      []int // from the config struct: field i (i >= 0) or array element ^i
}

// layout is the parameters of a config type, in declaration order.
type layout struct {
	fields []fieldInfo
	byName map[string]int // parameter name → index in fields
}

// layouts caches the layout of every config type seen, as encoding/json
// caches its struct fields: a type's parameters never change, and a grid
// sets the parameters of many configs of one type.
var layouts sync.Map // reflect.Type → *layout

// layoutOf returns the layout of struct type t (cfg is the config's pointer
// type, for messages). It panics if t breaks the package's rules.
func layoutOf(cfg reflect.Type) *layout {
	if l, ok := layouts.Load(cfg); ok {
		return l.(*layout)
	}
	w := walker{cfg: cfg, seen: make(map[string]string)}
	w.walk(cfg.Elem(), nil, "", "")
	l := &layout{fields: w.fields, byName: make(map[string]int, len(w.fields))}
	for i, f := range l.fields {
		l.byName[f.name] = i
	}
	actual, _ := layouts.LoadOrStore(cfg, l)
	return actual.(*layout)
}

// configValue returns the struct cfg points to. It panics if cfg is not a
// non-nil pointer to a struct.
func configValue(cfg any) reflect.Value {
	rv := reflect.ValueOf(cfg)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("param: config must be a non-nil pointer to a struct, not %T", cfg))
	}
	return rv
}

// at returns the field of config struct v that f describes.
func (f *fieldInfo) at(v reflect.Value) field {
	for _, s := range f.steps {
		if s >= 0 {
			v = v.Field(s)
		} else {
			v = v.Index(^s)
		}
	}
	return field{fieldInfo: f, v: v}
}

// walkConfig returns the parameters of cfg in declaration order. It panics if
// cfg or its struct type breaks the package's rules.
func walkConfig(cfg any) []field {
	rv := configValue(cfg)
	l := layoutOf(rv.Type())
	fs := make([]field, len(l.fields))
	for i := range l.fields {
		fs[i] = l.fields[i].at(rv.Elem())
	}
	return fs
}

// lookup returns the parameter name of cfg, and whether cfg has one.
func lookup(cfg any, name string) (field, bool) {
	rv := configValue(cfg)
	l := layoutOf(rv.Type())
	i, ok := l.byName[name]
	if !ok {
		return field{}, false
	}
	return l.fields[i].at(rv.Elem()), true
}

// names returns the parameter names of cfg in declaration order.
func names(cfg any) []string {
	l := layoutOf(configValue(cfg).Type())
	out := make([]string, len(l.fields))
	for i, f := range l.fields {
		out[i] = f.name
	}
	return out
}

// walker collects the parameters of one config type.
type walker struct {
	cfg    reflect.Type
	seen   map[string]string // parameter name → field path
	fields []fieldInfo
}

// walk collects the parameters of struct type t, reached from the config by
// steps; prefix is the Go selector of t from the config and names the prefix
// of its parameters' names (non-empty inside an array of structs: "legs[1].").
func (w *walker) walk(t reflect.Type, steps []int, prefix, names string) {
	for i := range t.NumField() {
		sf := t.Field(i)
		path := prefix + sf.Name
		here := append(slices.Clip(steps), i)
		name, tagged := sf.Tag.Lookup("param")
		if name == "-" {
			continue
		}
		if !tagged {
			if sf.Type.Kind() == reflect.Struct && (sf.IsExported() || sf.Anonymous) {
				w.walk(sf.Type, here, path+".", names)
			}
			continue
		}
		if base, ok := strings.CutSuffix(name, "[]"); ok {
			w.array(sf, here, path, names+base)
			continue
		}
		name = names + name
		switch {
		case name == "":
			panic(fmt.Sprintf("param: %v: field %s has an empty param tag", w.cfg, path))
		case !sf.IsExported():
			panic(fmt.Sprintf("param: %v: field %s (param %q) is unexported", w.cfg, path, name))
		}
		k := kindOf(sf.Type)
		if k == kindText && !reflect.PointerTo(sf.Type).Implements(marshalerType) {
			panic(fmt.Sprintf("param: %v: field %s (param %q) has type %v, which implements encoding.TextUnmarshaler but not encoding.TextMarshaler", w.cfg, path, name, sf.Type))
		}
		if k == kindInvalid {
			panic(fmt.Sprintf("param: %v: field %s (param %q) has unsupported type %v", w.cfg, path, name, sf.Type))
		}
		if prev, dup := w.seen[name]; dup {
			panic(fmt.Sprintf("param: %v: duplicate parameter name %q (fields %s and %s)", w.cfg, name, prev, path))
		}
		w.seen[name] = path
		w.fields = append(w.fields, fieldInfo{name: name, help: sf.Tag.Get("help"), path: path, kind: k, steps: here})
	}
}

// array walks a field tagged "name[]", an array of structs: element i's
// parameters are named "name[i].param".
func (w *walker) array(sf reflect.StructField, steps []int, path, base string) {
	switch {
	case !sf.IsExported():
		panic(fmt.Sprintf("param: %v: field %s (param %q) is unexported", w.cfg, path, base+"[]"))
	case sf.Type.Kind() != reflect.Array || sf.Type.Elem().Kind() != reflect.Struct:
		panic(fmt.Sprintf("param: %v: field %s (param %q) must be an array of structs, not %v", w.cfg, path, base+"[]", sf.Type))
	}
	for i := range sf.Type.Len() {
		idx := "[" + strconv.Itoa(i) + "]"
		w.walk(sf.Type.Elem(), append(slices.Clip(steps), ^i), path+idx+".", base+idx+".")
	}
}

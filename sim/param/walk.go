package param

import (
	"encoding"
	"fmt"
	"reflect"
	"strconv"
	"strings"
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
	name, help string
	path       string // Go selector from the config, such as "Exit.MinDTE"
	kind       kind
	v          reflect.Value // settable
}

// walkConfig returns the parameters of cfg in declaration order. It panics if
// cfg or its struct type breaks the package's rules.
func walkConfig(cfg any) []field {
	rv := reflect.ValueOf(cfg)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("param: config must be a non-nil pointer to a struct, not %T", cfg))
	}
	w := walker{cfg: rv.Type(), seen: make(map[string]string)}
	w.walk(rv.Elem(), "", "")
	return w.fields
}

// walker collects the parameters of one config.
type walker struct {
	cfg    reflect.Type
	seen   map[string]string // parameter name → field path
	fields []field
}

// walk collects the parameters of struct v; prefix is the Go selector of v
// from the config and names the prefix of its parameters' names (non-empty
// inside an array of structs: "legs[1].").
func (w *walker) walk(v reflect.Value, prefix, names string) {
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		path := prefix + sf.Name
		name, tagged := sf.Tag.Lookup("param")
		if name == "-" {
			continue
		}
		if !tagged {
			if sf.Type.Kind() == reflect.Struct && (sf.IsExported() || sf.Anonymous) {
				w.walk(v.Field(i), path+".", names)
			}
			continue
		}
		if base, ok := strings.CutSuffix(name, "[]"); ok {
			w.array(v.Field(i), sf, path, names+base)
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
		w.fields = append(w.fields, field{name: name, help: sf.Tag.Get("help"), path: path, kind: k, v: v.Field(i)})
	}
}

// array walks a field tagged "name[]", an array of structs: element i's
// parameters are named "name[i].param".
func (w *walker) array(v reflect.Value, sf reflect.StructField, path, base string) {
	switch {
	case !sf.IsExported():
		panic(fmt.Sprintf("param: %v: field %s (param %q) is unexported", w.cfg, path, base+"[]"))
	case sf.Type.Kind() != reflect.Array || sf.Type.Elem().Kind() != reflect.Struct:
		panic(fmt.Sprintf("param: %v: field %s (param %q) must be an array of structs, not %v", w.cfg, path, base+"[]", sf.Type))
	}
	for i := range v.Len() {
		idx := "[" + strconv.Itoa(i) + "]"
		w.walk(v.Index(i), path+idx+".", base+idx+".")
	}
}

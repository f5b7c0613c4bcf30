package param

import (
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// format returns the value of f as Set accepts it.
func format(f field) string {
	switch f.kind {
	case kindFloats, kindInts, kindStrings:
		parts := make([]string, f.v.Len())
		for i := range parts {
			parts[i] = formatScalar(f.v.Index(i))
		}
		return strings.Join(parts, ",")
	case kindText:
		return formatText(f.v)
	}
	return formatScalar(f.v)
}

// formatScalar formats a float, int, bool or string value.
func formatScalar(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	}
	return v.String()
}

// formatText formats an addressable text value with MarshalText. An error is
// shown in the result as "%!(MarshalText: error)", in the manner of package
// fmt.
func formatText(v reflect.Value) string {
	b, err := v.Addr().Interface().(encoding.TextMarshaler).MarshalText()
	if err != nil {
		return "%!(MarshalText: " + err.Error() + ")"
	}
	return string(b)
}

// parse parses s for f and stores it; on error f is unchanged.
func parse(f field, s string) error {
	var (
		nv  reflect.Value
		err error
	)
	switch f.kind {
	case kindFloats, kindInts, kindStrings:
		nv, err = parseList(f.v.Type(), s)
	case kindText:
		p := reflect.New(f.v.Type())
		err = p.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s))
		nv = p.Elem()
	default:
		nv = reflect.New(f.v.Type()).Elem()
		err = parseScalar(nv, s)
	}
	if err != nil {
		return &ValueError{Name: f.name, Value: s, Err: err}
	}
	f.v.Set(nv)
	return nil
}

// parseList parses a comma-separated list into a new slice of type t. An
// empty or all-space s gives an empty slice; spaces around elements are
// removed.
func parseList(t reflect.Type, s string) (reflect.Value, error) {
	if strings.TrimSpace(s) == "" {
		return reflect.MakeSlice(t, 0, 0), nil
	}
	parts := strings.Split(s, ",")
	nv := reflect.MakeSlice(t, len(parts), len(parts))
	for i, p := range parts {
		if err := parseScalar(nv.Index(i), strings.TrimSpace(p)); err != nil {
			return reflect.Value{}, fmt.Errorf("element %d of %q: %w", i+1, s, err)
		}
	}
	return nv, nil
}

// parseScalar parses s into the settable float, int, bool or string v.
// Strings are stored as they are; other values may have surrounding spaces.
func parseScalar(v reflect.Value, s string) error {
	if v.Kind() == reflect.String {
		v.SetString(s)
		return nil
	}
	t := strings.TrimSpace(s)
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(t, v.Type().Bits())
		if err != nil {
			return numError(s, "a number", v.Type(), err)
		}
		v.SetFloat(x)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x, err := strconv.ParseInt(t, 10, v.Type().Bits())
		if err != nil {
			return numError(s, "an integer", v.Type(), err)
		}
		v.SetInt(x)
	case reflect.Bool:
		x, err := strconv.ParseBool(t)
		if err != nil {
			return fmt.Errorf("%q is not a boolean (want true or false)", s)
		}
		v.SetBool(x)
	}
	return nil
}

// numError describes a strconv error for s, parsed as a value of type t.
func numError(s, what string, t reflect.Type, err error) error {
	if errors.Is(err, strconv.ErrRange) {
		return fmt.Errorf("%q is out of range for %v", s, t)
	}
	return fmt.Errorf("%q is not %s", s, what)
}

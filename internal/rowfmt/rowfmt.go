// Package rowfmt writes the rows of a DuckDB query for people and programs:
// as an aligned table (Table), CSV (CSV) or JSON (JSON). It knows how the
// duckdb-go driver returns each DuckDB type (DATE, TIMESTAMPTZ, INTERVAL,
// DECIMAL, HUGEINT, UUID, BLOB, JSON, lists, structs, maps, unions) and
// writes each as DuckDB users expect: tables short (floats to 6 significant
// digits, NULL as NULL), CSV and JSON at full precision.
package rowfmt

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
)

// Table writes rows as aligned columns under a header, at most limit of them
// (0: all), then a count of the rows ("(3 rows)", or "(showing 2 of 3 rows)"
// when cut). Values longer than width runes (0: no limit) are cut short with
// "…"; tabs and line breaks in values are escaped.
func Table(w io.Writer, rows *sql.Rows, limit, width int) error {
	rs, err := newResultSet(rows)
	if err != nil {
		return err
	}
	return writeTable(w, rs, limit, width)
}

// CSV writes a header row and every row at full precision; NULL is an empty
// field.
func CSV(w io.Writer, rows *sql.Rows) error {
	rs, err := newResultSet(rows)
	if err != nil {
		return err
	}
	return writeCSV(w, rs)
}

// JSON writes an array of objects, one a line, column name to value in
// column order, at full precision; NULL, NaN and infinities are null.
func JSON(w io.Writer, rows *sql.Rows) error {
	rs, err := newResultSet(rows)
	if err != nil {
		return err
	}
	return writeJSON(w, rs)
}

// resultSet reads the rows of a query as driver values.
type resultSet struct {
	rows  *sql.Rows
	names []string
	types []string // DuckDB type names: "DATE", "DOUBLE", "VARCHAR[]", "JSON"...
	vals  []any
	ptrs  []any
}

func newResultSet(rows *sql.Rows) (*resultSet, error) {
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	rs := &resultSet{rows: rows, names: make([]string, len(cts)), types: make([]string, len(cts)),
		vals: make([]any, len(cts)), ptrs: make([]any, len(cts))}
	for i, ct := range cts {
		rs.names[i] = ct.Name()
		rs.types[i] = ct.DatabaseTypeName()
		rs.ptrs[i] = &rs.vals[i]
	}
	return rs, nil
}

// next reads the next row into rs.vals; false at the end or on an error,
// which rs.rows.Err then reports.
func (rs *resultSet) next() (bool, error) {
	if !rs.rows.Next() {
		return false, rs.rows.Err()
	}
	if err := rs.rows.Scan(rs.ptrs...); err != nil {
		return false, err
	}
	return true, nil
}

// each calls fn with each row in rs.vals, until the rows end or fn fails.
func (rs *resultSet) each(fn func() error) error {
	for {
		ok, err := rs.next()
		if err != nil || !ok {
			return err
		}
		if err := fn(); err != nil {
			return err
		}
	}
}

// tableEscaper keeps a value on one table line.
var tableEscaper = strings.NewReplacer("\t", `\t`, "\n", `\n`, "\r", `\r`)

// writeTable writes the rows as aligned columns under a header, at most limit
// of them (0: all), and a count. Values longer than width runes (0: no limit)
// are cut short.
func writeTable(w io.Writer, rs *resultSet, limit, width int) error {
	tw := tabwriter.NewWriter(w, 1, 8, 2, ' ', 0)
	cells := make([]string, len(rs.names))
	for i, n := range rs.names {
		cells[i] = tableEscaper.Replace(n)
	}
	fmt.Fprintln(tw, strings.Join(cells, "\t"))
	n := 0
	for {
		if limit > 0 && n >= limit {
			if !rs.rows.Next() { // count the rest without reading them
				break
			}
			n++
			continue
		}
		ok, err := rs.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		for i, v := range rs.vals {
			cells[i] = cut(tableEscaper.Replace(valueText(v, rs.types[i], true)), width)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
		n++
	}
	if err := rs.rows.Err(); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	switch {
	case limit > 0 && n > limit:
		_, err := fmt.Fprintf(w, "(showing %d of %d rows)\n", limit, n)
		return err
	case n == 1:
		_, err := fmt.Fprintln(w, "(1 row)")
		return err
	}
	_, err := fmt.Fprintf(w, "(%d rows)\n", n)
	return err
}

// cut shortens s to width runes, the last one "…", if it is longer.
func cut(s string, width int) string {
	if width <= 0 || utf8.RuneCountInString(s) <= width {
		return s
	}
	r := []rune(s)
	return string(r[:width-1]) + "…"
}

// writeCSV writes a header row and every row at full precision.
func writeCSV(w io.Writer, rs *resultSet) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(rs.names); err != nil {
		return err
	}
	rec := make([]string, len(rs.names))
	err := rs.each(func() error {
		for i, v := range rs.vals {
			rec[i] = valueText(v, rs.types[i], false)
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON writes an array of objects, one per line, keys in column order.
func writeJSON(w io.Writer, rs *resultSet) error {
	keys := make([]string, len(rs.names))
	for i, n := range rs.names {
		b, err := marshalJSON(n)
		if err != nil {
			return err
		}
		keys[i] = b
	}
	var sb strings.Builder
	n := 0
	err := rs.each(func() error {
		sb.Reset()
		if n == 0 {
			sb.WriteString("[\n  {")
		} else {
			sb.WriteString(",\n  {")
		}
		for i, v := range rs.vals {
			b, err := marshalJSON(jsonValue(v, rs.types[i]))
			if err != nil {
				return fmt.Errorf("column %s: %w", rs.names[i], err)
			}
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(keys[i] + ": " + b)
		}
		sb.WriteString("}")
		n++
		_, err := io.WriteString(w, sb.String())
		return err
	})
	if err != nil {
		return err
	}
	end := "\n]\n"
	if n == 0 {
		end = "[]\n"
	}
	_, err = io.WriteString(w, end)
	return err
}

// marshalJSON is json.Marshal without HTML escaping, as a string.
func marshalJSON(v any) (string, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(sb.String(), "\n"), nil
}

// valueText renders a value of DuckDB type typ as text: for the table when
// short (NULL as "NULL", floats to 6 significant digits), else for CSV (NULL
// as "", full precision).
func valueText(v any, typ string, short bool) string {
	if v == nil {
		if short {
			return "NULL"
		}
		return ""
	}
	if typ == "JSON" {
		s, err := marshalJSON(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return s
	}
	switch x := v.(type) {
	case float64:
		return formatFloat(x, 64, short)
	case float32:
		return formatFloat(float64(x), 32, short)
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return formatTime(x, typ, short)
	case []byte:
		return bytesText(x, typ)
	case []any:
		elem := elemType(typ)
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = nestedText(e, elem, short)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any: // a STRUCT
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + nestedText(x[k], "", short)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case duckdb.Map:
		parts := make([]string, 0, len(x))
		for k, e := range x {
			parts = append(parts, nestedText(k, "", short)+"="+nestedText(e, "", short))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	case duckdb.Decimal:
		return x.String()
	case *big.Int:
		return x.String()
	case duckdb.Union:
		return nestedText(x.Value, "", short)
	case duckdb.Interval:
		return intervalText(x)
	}
	return fmt.Sprint(v)
}

// nestedText is valueText for a value inside a list, struct or map, where
// NULL is "NULL" in every format.
func nestedText(v any, typ string, short bool) string {
	if v == nil {
		return "NULL"
	}
	return valueText(v, typ, short)
}

// jsonValue converts a value of DuckDB type typ to one encoding/json writes
// as wanted: NaN and infinities as null, times as text, big numbers exactly.
func jsonValue(v any, typ string) any {
	if typ == "JSON" {
		return v // already decoded by the driver
	}
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return x + 0 // -0 as 0
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil
		}
		return x + 0
	case time.Time, []byte, duckdb.Interval:
		return valueText(v, typ, false)
	case duckdb.Decimal:
		return json.Number(x.String())
	case *big.Int:
		return json.Number(x.String())
	case []any:
		elem := elemType(typ)
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e, elem)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e, "")
		}
		return out
	case duckdb.Map:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[valueText(k, "", false)] = jsonValue(e, "")
		}
		return out
	case duckdb.Union:
		return jsonValue(x.Value, "")
	}
	return v
}

// formatFloat writes whole numbers below 1e15 as integers. Other numbers are
// rounded to 6 significant digits when short (strconv's 'g' format); else they
// are written in the shortest form that reads back exactly, without an
// exponent from 1e-6 to 1e21 (as encoding/json writes numbers).
func formatFloat(x float64, bits int, short bool) string {
	abs := math.Abs(x)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return strconv.FormatFloat(x, 'g', -1, 64)
	case x == math.Trunc(x) && abs < 1e15:
		return strconv.FormatFloat(x+0, 'f', 0, 64) // +0 turns -0 into 0
	case short:
		return strconv.FormatFloat(x, 'g', 6, bits)
	case abs >= 1e-6 && abs < 1e21:
		return strconv.FormatFloat(x, 'f', -1, bits)
	}
	return strconv.FormatFloat(x, 'g', -1, bits)
}

// formatTime writes a DATE as YYYY-MM-DD, a TIME as HH:MM:SS[.ffffff] and
// anything else as an RFC 3339 timestamp (to the second when short).
func formatTime(t time.Time, typ string, short bool) string {
	switch typ {
	case "DATE":
		return t.Format(time.DateOnly)
	case "TIME":
		return t.Format("15:04:05.999999")
	case "TIMETZ":
		return t.Format("15:04:05.999999Z07:00")
	}
	if short {
		return t.Format(time.RFC3339)
	}
	return t.Format(time.RFC3339Nano)
}

// elemType is the element type of a LIST or ARRAY type: "DATE" for "DATE[]"
// or "DATE[3]"; "" when typ is not one.
func elemType(typ string) string {
	if !strings.HasSuffix(typ, "]") {
		return ""
	}
	if i := strings.LastIndex(typ, "["); i > 0 {
		return typ[:i]
	}
	return ""
}

// bytesText writes a UUID in its usual form and a BLOB as DuckDB prints it:
// printable ASCII as is, other bytes as \xNN.
func bytesText(b []byte, typ string) string {
	if typ == "UUID" && len(b) == 16 {
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	}
	var sb strings.Builder
	for _, c := range b {
		if c >= 0x20 && c < utf8.RuneSelf && c != '\\' {
			sb.WriteByte(c)
		} else {
			fmt.Fprintf(&sb, `\x%02X`, c)
		}
	}
	return sb.String()
}

// intervalText writes an INTERVAL as "1 month 2 days 00:00:01.5".
func intervalText(iv duckdb.Interval) string {
	var parts []string
	if iv.Months != 0 {
		parts = append(parts, plural(int64(iv.Months), "month"))
	}
	if iv.Days != 0 {
		parts = append(parts, plural(int64(iv.Days), "day"))
	}
	if iv.Micros != 0 || len(parts) == 0 {
		d := time.Duration(iv.Micros) * time.Microsecond
		sign := ""
		if d < 0 {
			sign, d = "-", -d
		}
		h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
		sec := (d % time.Minute).Seconds()
		s := fmt.Sprintf("%s%02d:%02d:%02d", sign, h, m, int64(sec))
		if frac := d % time.Second; frac != 0 {
			s += strings.TrimRight(fmt.Sprintf(".%06d", int64(frac/time.Microsecond)), "0")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func plural(n int64, unit string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

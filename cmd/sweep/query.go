package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/optsweep/sweep/internal/duckfile"
)

// Example questions shown by "sweep query --help" (and run by its tests).
const (
	queryBestBySharpe = `SELECT c.cell_key, c.strategy, c.params, m.sharpe, m.cagr, m.max_drawdown, m.trades
FROM run_cells rc JOIN cells c USING (cell_key) JOIN cell_metrics m USING (cell_key)
WHERE rc.run_id = 'r1' AND m.sharpe IS NOT NULL
ORDER BY m.sharpe DESC
LIMIT 10`
	queryPnLByExit = `SELECT t.exit_reason, count(*) AS n, sum(t.net) AS net_pnl, avg(t.roc) AS mean_roc,
       avg(t.days_held) AS mean_days
FROM run_cells rc JOIN cells c USING (cell_key) JOIN trades t USING (cell_key)
WHERE rc.run_id = 'r1' AND t.closed IS NOT NULL AND c.p_dte_min = 30
GROUP BY t.exit_reason
ORDER BY net_pnl DESC`
)

// indent prefixes every line of s with pre.
func indent(s, pre string) string {
	return pre + strings.ReplaceAll(s, "\n", "\n"+pre)
}

// queryOptions is one query's settings.
type queryOptions struct {
	db      string // DuckDB file to query
	what    string // what db is for messages: "results DB", "market DB" or "database"
	allow   string // directory COPY ... TO and the file readers may reach, "" for none
	format  string // table, csv or json
	maxRows int    // table: rows shown at most, 0 for all
	width   int    // table: characters shown of a value at most, 0 for all
}

func queryCommand() *command {
	c := &command{
		name:  "query",
		usage: `sweep query [--results | --market | --db FILE] [--allow-files DIR] [--format table|csv|json] [--max-rows N] [--width N] "SQL"`,
		short: "run SQL against the results DB, the market DB or any DuckDB file",
		long: `Query runs SQL (DuckDB's dialect) against a DuckDB file, opened read-only,
and prints the rows: the results DB runs/results.duckdb by default (or
--results), the market DB data/market.duckdb with --market, any other file
with --db FILE. Put the SQL in one quoted argument, or give "-" to read it
from stdin.

The query is sandboxed: it reads the database it names and nothing else. A
statement that writes fails (the file is opened read-only); COPY ... TO,
EXPORT DATABASE, read_csv, read_parquet, read_text, glob and ATTACH are
refused outside --allow-files DIR, the one directory you name for exports
(COPY (SELECT ...) TO 'DIR/best.parquet'); extensions are neither installed
nor autoloaded; and SET cannot change any of this.

--format table (the default) aligns the columns under a header: NULL prints as
NULL, floating-point numbers to 6 significant digits (whole numbers as
integers), dates as YYYY-MM-DD, timestamps as RFC 3339 (UTC), lists as [a, b]
and JSON as its text; at most --max-rows rows are shown, then a count, and
values longer than --width characters are cut short with "…".
--format csv writes a header row and every row at full precision (NULL is an
empty field). --format json writes an array of objects, column -> value, at
full precision, with NULL (and NaN or infinite numbers) as null.

The tables ("go doc ./sweep/results" describes every column):
  runs          a run (sweep backtest or sweep run): run_id, kind, name,
                config, engine_version, data_fingerprint, started_at,
                finished_at, status
  run_cells     which cells belong to which run: run_id, cell_key
  cells         one backtest: cell_key, strategy, symbols, date_from,
                date_to, seed, params (JSON), and a typed p_<name> column
                per parameter (p_dte_min, p_delta_min...)
  cell_metrics  a cell's statistics: trades, win_rate, net_pnl, cagr,
                sharpe, sortino, calmar, max_drawdown, profit_factor,
                expectancy, exit_reasons (JSON)...
  trades        a trade: symbol, phase, legs, opened, closed, entry,
                exit_price, net, roc, exit_reason, entry_delta, entry_iv...
  equity        a cell's day: trade_date, equity, cash, collateral, drawdown
  events        what happened to a cell's book, day by day
  decisions     the strategy's decision log

The runs, newest first:

  sweep query "SELECT run_id, name, status, started_at FROM runs ORDER BY started_at DESC"

The ten best cells of run r1 by Sharpe ratio, with their parameters:

  sweep query "
` + indent(queryBestBySharpe, "    ") + `"

Profit and loss by exit reason over the closed trades of run r1's cells
with dte_min = 30, as CSV (or save the SQL in a file: sweep query - < pnl.sql):

  sweep query --format csv "
` + indent(queryPnLByExit, "    ") + `"`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		o := queryOptions{}
		fs.StringVar(&o.db, "db", "", "DuckDB `file` to query (opened read-only; default runs/results.duckdb)")
		useResults := fs.Bool("results", false, "query the results DB runs/results.duckdb (the default)")
		useMarket := fs.Bool("market", false, "query the market DB "+defaultMarketDB)
		fs.StringVar(&o.allow, "allow-files", "", "let COPY ... TO and the file readers use `DIR` (for exports); nothing else is reachable")
		fs.StringVar(&o.format, "format", "table", "output `format`: table, csv or json")
		fs.IntVar(&o.maxRows, "max-rows", 1000, "table format: show at most `N` rows, 0 for all (csv and json write every row)")
		fs.IntVar(&o.width, "width", 80, "table format: cut values longer than `N` characters, 0 for no limit")
		pos, err := parseInterleaved(fs, args, s)
		if err != nil {
			return err
		}
		if len(pos) != 1 {
			return usageErrorf("want the SQL as one quoted argument, or - to read it from stdin (got %d arguments)", len(pos))
		}
		if err := o.pickDB(*useResults, *useMarket); err != nil {
			return err
		}
		switch o.format {
		case "table", "csv", "json":
		default:
			return usageErrorf("--format %q: want table, csv or json", o.format)
		}
		if o.maxRows < 0 {
			return usageErrorf("--max-rows %d: want 0 (all) or more", o.maxRows)
		}
		if o.width < 0 || o.width == 1 {
			return usageErrorf("--width %d: want 0 (no limit) or 2 or more", o.width)
		}
		text := pos[0]
		if text == "-" {
			b, err := io.ReadAll(s.in)
			if err != nil {
				return fmt.Errorf("read SQL from stdin: %w", err)
			}
			text = string(b)
		}
		if strings.TrimSpace(text) == "" {
			return usageErrorf("the SQL is empty")
		}
		return query(ctx, o, text, s.out)
	}
	return c
}

// parseInterleaved parses args with fs, allowing flags after positional
// arguments (sweep query "SQL" --format csv), and returns the positionals.
func parseInterleaved(fs *flag.FlagSet, args []string, s stdio) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args, s); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// defaultResultsDB is where results go unless --out says otherwise.
const defaultResultsDB = "runs/results.duckdb"

// pickDB sets o.db and o.what from --db, --results and --market, at most one
// of which may be given.
func (o *queryOptions) pickDB(useResults, useMarket bool) error {
	n := 0
	for _, b := range []bool{o.db != "", useResults, useMarket} {
		if b {
			n++
		}
	}
	switch {
	case n > 1:
		return usageErrorf("give one of --db, --results and --market")
	case useMarket:
		o.db, o.what = defaultMarketDB, "market DB"
	case o.db == "" || useResults:
		o.db, o.what = defaultResultsDB, "results DB"
	default:
		o.what = "database"
	}
	return nil
}

// query runs text against the database o.db, sandboxed, and writes the rows
// to w. A SQL error is returned as DuckDB reports it.
func query(ctx context.Context, o queryOptions, text string, w io.Writer) error {
	if _, err := os.Stat(o.db); errors.Is(err, fs.ErrNotExist) {
		hint := "run `sweep demo` or `sweep run GRID.yaml` first, or pass --db"
		if o.what == "market DB" {
			hint = "run `sweep demo` or `sweep ingest` first, or pass --db"
		}
		return fmt.Errorf("%s %s does not exist (%s)", o.what, o.db, hint)
	}
	var allow []string
	if o.allow != "" {
		if err := checkAllowDir(o.allow, o.db); err != nil {
			return err
		}
		allow = []string{o.allow}
	}
	db, err := duckfile.OpenSandboxed(o.db, allow)
	if err != nil {
		return fmt.Errorf("%s %s: %w", o.what, o.db, err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%s %s: %w", o.what, o.db, err)
	}
	defer conn.Close()
	if err := checkStatement(ctx, conn, text, o.allow != ""); err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, text)
	if err != nil {
		return err
	}
	defer rows.Close()
	rs, err := newResultSet(rows)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	switch o.format {
	case "csv":
		err = writeCSV(bw, rs)
	case "json":
		err = writeJSON(bw, rs)
	default:
		err = writeTable(bw, rs, o.maxRows, o.width)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
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
	for {
		ok, err := rs.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		for i, v := range rs.vals {
			rec[i] = valueText(v, rs.types[i], false)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
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
	for {
		ok, err := rs.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
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
		if _, err := io.WriteString(w, sb.String()); err != nil {
			return err
		}
		n++
	}
	end := "\n]\n"
	if n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(w, end)
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

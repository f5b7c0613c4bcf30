package market

import (
	"bufio"
	"context"
	"database/sql/driver"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/optsweep/sweep/internal/duckfile"
)

// tableSpec describes a table that CSV and Parquet files can load: the columns a file
// must have, the ones it may have, the checks each row must pass, and how raw text
// becomes a staged row.
type tableSpec struct {
	name     string
	required []string
	optional []string
	// checks are (SQL condition that is true for a bad row, SQL message) pairs, over
	// the text columns of the raw file.
	checks [][2]string
	// stage is the INSERT that moves checked raw rows into the staging table.
	stage string
	// key lists the columns identifying a row, for de-duplication.
	key string
	// contracts says rows name option contracts by OSI symbol, which
	// checkContracts checks are unique.
	contracts bool
}

// quoteRowsSQL reads the raw option rows with their converted date, expiry,
// side and strike (d, e, pc, k) next to the text columns.
var quoteRowsSQL = `SELECT *, try_cast(trade_date AS DATE) AS d, try_cast(expiration AS DATE) AS e,
	upper(left(trim(put_call), 1)) AS pc, try_cast(strike AS DOUBLE) AS k FROM raw`

// osiSQL builds the OSI symbol of a row of quoteRowsSQL: the root (or the
// underlying) padded or cut to six characters, the expiry, the side and the
// strike in thousandths.
var osiSQL = `rpad(upper(coalesce(nullif(trim(root), ''), trim(underlying))), 6, ' ') || strftime(e, '%y%m%d') || pc ||
	lpad(CAST(round(k * 1000) AS BIGINT)::VARCHAR, 8, '0')`

func isDate(col string) [2]string {
	return [2]string{fmt.Sprintf("try_cast(%s AS DATE) IS NULL", col),
		fmt.Sprintf("'%s ' || coalesce('''' || %s || '''', 'missing') || ' is not a date (YYYY-MM-DD)'", col, col)}
}

func isNum(col string, optional bool, cond string) [2]string {
	bad := fmt.Sprintf("try_cast(%[1]s AS DOUBLE) IS NULL OR NOT isfinite(try_cast(%[1]s AS DOUBLE)) OR NOT (try_cast(%[1]s AS DOUBLE) %[2]s)", col, cond)
	if optional {
		bad = fmt.Sprintf("%s IS NOT NULL AND trim(%s) <> '' AND (%s)", col, col, bad)
	}
	return [2]string{bad, fmt.Sprintf("'%s ' || coalesce('''' || %s || '''', 'missing') || ' must be a number %s'", col, col, cond)}
}

func notEmpty(col string) [2]string {
	return [2]string{fmt.Sprintf("%s IS NULL OR trim(%s) = ''", col, col), fmt.Sprintf("'%s is empty'", col)}
}

// symbolPattern is what an upper-cased symbol may contain: the pattern of
// grid.ValidSymbol, so that every symbol ingested can be named in a grid file
// (cmd/sweep's TestItem7SmallerOnes checks they agree).
const symbolPattern = `[A-Z0-9._^/-]+`

// isSymbol checks that col, when given, is a symbol a grid file can name.
func isSymbol(col string) [2]string {
	return [2]string{fmt.Sprintf("trim(coalesce(%[1]s, '')) <> '' AND NOT regexp_full_match(upper(trim(%[1]s)), '%[2]s')", col, symbolPattern),
		fmt.Sprintf(`'%[1]s ''' || %[1]s || ''' is not a symbol: letters, digits and . _ ^ / - only, as grid files name them'`, col)}
}

// tableSpecs returns the tables CSV and Parquet files can load, with their columns.
// README.md documents the same columns.
func tableSpecs() []tableSpec {
	pc := "upper(left(trim(put_call), 1))"
	num := func(c string) string { return fmt.Sprintf("try_cast(nullif(trim(%s), '') AS DOUBLE)", c) }
	integer := func(c string) string { return fmt.Sprintf("try_cast(nullif(trim(%s), '') AS BIGINT)", c) }
	return []tableSpec{
		{
			name:     "option_quotes",
			required: []string{"trade_date", "underlying", "expiration", "put_call", "strike", "bid", "ask"},
			optional: []string{"root", "bid_size", "ask_size", "volume", "open_interest", "open", "high", "low", "close"},
			checks: [][2]string{
				isDate("trade_date"), isDate("expiration"), notEmpty("underlying"), isSymbol("underlying"),
				{fmt.Sprintf("%s IS NULL OR %s NOT IN ('P', 'C')", pc, pc), "'put_call ' || coalesce('''' || put_call || '''', 'missing') || ' must be P or C (or put/call)'"},
				isNum("strike", false, "> 0"),
				{"try_cast(strike AS DOUBLE) >= 100000", "'strike ' || trim(strike) || ' does not fit an OSI symbol (at most 99999.999)'"},
				isNum("bid", true, ">= 0"), isNum("ask", true, ">= 0"),
				{"(nullif(trim(bid), '') IS NULL) <> (nullif(trim(ask), '') IS NULL)", "'bid and ask must both be given or both be empty'"},
				isNum("bid_size", true, ">= 0"), isNum("ask_size", true, ">= 0"),
				isNum("volume", true, ">= 0"), isNum("open_interest", true, ">= 0"),
				isNum("open", true, ">= 0"), isNum("high", true, ">= 0"), isNum("low", true, ">= 0"), isNum("close", true, ">= 0"),
				{"try_cast(expiration AS DATE) < try_cast(trade_date AS DATE)", "'expiration ' || expiration || ' is before trade_date ' || trade_date"},
			},
			// Three statements: convert and de-duplicate, then fill the two staging
			// tables the DBN path fills. The count of the last is the rows staged.
			// Three statements: convert and de-duplicate by the contract's OSI symbol
			// (checkContracts has made sure each OSI names one contract), then fill
			// the staging tables the DBN path fills. The count of the last is the
			// rows staged.
			stage: fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE conv AS
				SELECT *, dense_rank() OVER (ORDER BY osi)::INTEGER AS sym FROM (
				SELECT d, %s AS osi,
					upper(trim(underlying)) AS underlying, e, pc, k, %s AS bid, %s AS ask, %s AS bid_size, %s AS ask_size,
					%s AS volume, %s AS open_interest, %s AS open, %s AS high, %s AS low, %s AS close
				FROM (%s)
				QUALIFY row_number() OVER (PARTITION BY d, osi ORDER BY rn DESC) = 1);
				INSERT INTO stage_syms SELECT DISTINCT sym, osi, underlying, e, pc, k FROM conv;
				INSERT INTO stage_obars SELECT (d - DATE '1970-01-01')::INTEGER, sym, open, high, low, close, volume FROM conv
					WHERE coalesce(open, high, low, close, volume) IS NOT NULL;
				INSERT INTO stage_oi SELECT (d - DATE '1970-01-01')::INTEGER, sym, open_interest FROM conv
					WHERE open_interest IS NOT NULL;
				INSERT INTO stage_quotes SELECT (d - DATE '1970-01-01')::INTEGER, sym, bid, ask, bid_size, ask_size, NULL FROM conv`,
				osiSQL, num("bid"), num("ask"), integer("bid_size"), integer("ask_size"), integer("volume"), integer("open_interest"),
				num("open"), num("high"), num("low"), num("close"), quoteRowsSQL),
			contracts: true,
			key:       "trade_date, underlying, expiration, put_call, strike",
		},
		{
			name:     "underlying_bars",
			required: []string{"trade_date", "symbol", "close"},
			optional: []string{"open", "high", "low", "volume"},
			checks: [][2]string{
				isDate("trade_date"), notEmpty("symbol"), isSymbol("symbol"), isNum("close", false, "> 0"),
				isNum("open", true, "> 0"), isNum("high", true, "> 0"), isNum("low", true, "> 0"), isNum("volume", true, ">= 0"),
				{fmt.Sprintf("%s < %s", num("high"), num("low")), "'high ' || high || ' is below low ' || low"},
			},
			stage: fmt.Sprintf(`INSERT INTO stage_bars SELECT try_cast(trade_date AS DATE), upper(trim(symbol)),
				%s, %s, %s, %s, %s FROM raw
				QUALIFY row_number() OVER (PARTITION BY try_cast(trade_date AS DATE), upper(trim(symbol)) ORDER BY rn DESC) = 1`,
				num("open"), num("high"), num("low"), num("close"), integer("volume")),
			key: "trade_date, symbol",
		},
		{
			name:     "events",
			required: []string{"symbol", "event_date", "kind"},
			optional: []string{"amount"},
			checks: [][2]string{
				{"(symbol IS NULL OR trim(symbol) = '') AND lower(trim(kind)) <> 'fomc'", "'symbol is empty (only fomc events may leave it empty)'"},
				isSymbol("symbol"), isDate("event_date"),
				{"lower(trim(kind)) NOT IN ('earnings', 'ex_dividend', 'fomc', 'split')", "'kind ' || coalesce('''' || kind || '''', 'missing') || ' must be earnings, ex_dividend, fomc or split'"},
				isNum("amount", true, ">= 0"),
				// A split's amount is its ratio, new shares per old share (4 for 4-for-1).
				{"lower(trim(kind)) = 'split' AND NOT coalesce(try_cast(amount AS DOUBLE) > 0, false)", "'a split needs its ratio in amount (new shares per old share, e.g. 4)'"},
			},
			// Market-wide events (FOMC) are stored under the symbol '*'.
			stage: fmt.Sprintf(`INSERT INTO stage_events SELECT coalesce(nullif(upper(trim(symbol)), ''), '*'), try_cast(event_date AS DATE),
				lower(trim(kind)), %s FROM raw`, num("amount")),
			key: "symbol, event_date, kind",
		},
	}
}

// checkCSVShape reads a CSV file's records as comma-separated fields and
// fails on the first whose field count differs from the header's, naming its
// line: DuckDB's sniffer would otherwise take the row as a sign of another
// dialect and report the header's columns as unknown.
func checkCSVShape(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.LazyQuotes, r.ReuseRecord = true, true
	head, err := r.Read()
	if err != nil {
		return nil // empty or unreadable: DuckDB's reader says what is wrong
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			what := "a short row"
			if len(rec) > len(head) {
				what = "extra fields"
			}
			return fmt.Errorf("line %d: %d fields where the header has %d (%s)", pe.StartLine, len(rec), len(head), what)
		}
		if err != nil {
			return nil // a quoting problem: DuckDB's reader says what is wrong
		}
	}
}

// ingestTabular loads a CSV or Parquet file with DuckDB's own readers.
func (s *Store) ingestTabular(ctx context.Context, path string, opts Options, res *Result) error {
	quoted := "'" + strings.ReplaceAll(path, "'", "''") + "'"
	reader := "read_parquet(" + quoted + ")"
	firstLine := 1 // row 1 of a Parquet file is row 1
	if res.Format == "csv" {
		reader = "read_csv(" + quoted + ", header = true, all_varchar = true)"
		firstLine = 2 // the header is line 1
		if err := checkCSVShape(path); err != nil {
			return err
		}
	}
	return s.withTx(ctx, func(t *tx) error {
		st, err := newStager(t)
		if err != nil {
			return err
		}
		defer st.close()
		st.viaSQL = true // spec.stage fills the staging tables
		if _, err := t.exec(`CREATE OR REPLACE TEMP TABLE raw_cols AS SELECT * FROM ` + reader + ` LIMIT 0`); err != nil {
			return fmt.Errorf("read %s: %w", res.Format, err)
		}
		cols, err := columnsOf(t, "raw_cols")
		if err != nil {
			return err
		}
		spec, err := pickTable(cols, opts.Table)
		if err != nil {
			return err
		}
		res.Schema = spec.name
		if err := loadRaw(t, reader, cols, spec); err != nil {
			return err
		}
		if res.Records, err = t.queryInt(`SELECT count(*) FROM raw`); err != nil {
			return err
		}
		if err := checkRows(t, spec, firstLine); err != nil {
			return err
		}
		if spec.contracts {
			if err := checkContracts(t, firstLine); err != nil {
				return err
			}
		}
		staged, err := t.exec(spec.stage)
		if err != nil {
			return fmt.Errorf("stage %s: %w", spec.name, err)
		}
		if dups := res.Records - staged; dups > 0 && spec.name != "events" {
			res.Notes = append(res.Notes, fmt.Sprintf("%d rows repeated an earlier row's key (%s): the last one was kept", dups, spec.key))
		}
		if res.Rows, err = st.merge(); err != nil {
			return err
		}
		return logFile(t, res)
	})
}

// loadRaw copies the file into the temp table raw as text, numbering rows in file
// order and adding absent optional columns as NULL.
func loadRaw(t *tx, reader string, cols map[string]bool, spec tableSpec) error {
	sel := []string{"row_number() OVER () AS rn"}
	for _, c := range append(append([]string{}, spec.required...), spec.optional...) {
		if cols[c] {
			sel = append(sel, fmt.Sprintf("CAST(%q AS VARCHAR) AS %s", c, c))
		} else {
			sel = append(sel, "NULL::VARCHAR AS "+c)
		}
	}
	q := `CREATE OR REPLACE TEMP TABLE raw AS SELECT ` + strings.Join(sel, ", ") + ` FROM ` + reader
	if _, err := t.exec(q); err != nil {
		return fmt.Errorf("read rows: %w", err)
	}
	return nil
}

// checkRows fails on the first bad rows, naming their lines and reasons.
func checkRows(t *tx, spec tableSpec, firstLine int) error {
	var cases []string
	for _, c := range spec.checks {
		cases = append(cases, fmt.Sprintf("WHEN %s THEN %s", c[0], c[1]))
	}
	q := fmt.Sprintf(`SELECT rn, reason, count(*) OVER () FROM (
		SELECT rn, CASE %s END AS reason FROM raw) WHERE reason IS NOT NULL ORDER BY rn LIMIT 3`,
		strings.Join(cases, " "))
	var msgs []string
	var total int64
	what := "line"
	if firstLine == 1 {
		what = "row"
	}
	err := t.eachRow(q, nil, func(row []driver.Value) error {
		total = row[2].(int64)
		msgs = append(msgs, fmt.Sprintf("%s %d: %s", what, row[0].(int64)-1+int64(firstLine), row[1].(string)))
		return nil
	})
	if err != nil {
		return fmt.Errorf("check rows: %w", err)
	}
	if len(msgs) == 0 {
		return nil
	}
	more := ""
	if total > int64(len(msgs)) {
		more = fmt.Sprintf(" (and %d more bad rows)", total-int64(len(msgs)))
	}
	return fmt.Errorf("%s%s; nothing was loaded", strings.Join(msgs, "; "), more)
}

// columnsOf returns the lower-cased column names of a table.
func columnsOf(t *tx, table string) (map[string]bool, error) {
	rows, err := t.raw.QueryContext(t.ctx, `SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND database_name = 'temp'`,
		duckfile.Positional(table))
	if err != nil {
		return nil, fmt.Errorf("read columns: %w", err)
	}
	defer rows.Close()
	cols := map[string]bool{}
	dst := make([]driver.Value, 1)
	for {
		err := rows.Next(dst)
		if errors.Is(err, io.EOF) {
			return cols, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read columns: %w", err)
		}
		cols[dst[0].(string)] = true
	}
}

// pickTable returns the table named, or the one whose required columns the file
// has. Either way the file must have every required column.
func pickTable(cols map[string]bool, want string) (tableSpec, error) {
	var names []string
	for _, spec := range tableSpecs() {
		names = append(names, spec.name)
		if want != "" && spec.name != want {
			continue
		}
		var missing []string
		for _, c := range spec.required {
			if !cols[c] {
				missing = append(missing, c)
			}
		}
		if len(missing) == 0 {
			return spec, nil
		}
		if want != "" {
			return tableSpec{}, fmt.Errorf("a %s file needs columns %s; missing %s",
				spec.name, strings.Join(spec.required, ","), strings.Join(missing, ","))
		}
	}
	if want != "" {
		return tableSpec{}, fmt.Errorf("unknown table %q (want one of %s)", want, strings.Join(names, ", "))
	}
	have := make([]string, 0, len(cols))
	for c := range cols {
		have = append(have, c)
	}
	sort.Strings(have)
	return tableSpec{}, fmt.Errorf("cannot tell which table the columns %s are for; see README (CSV and Parquet columns) or pass --table",
		strings.Join(have, ","))
}

// checkContracts fails when one OSI symbol would stand for two different
// contracts: rows whose underlyings share a root (or cut to the same six
// characters), strikes that round to the same thousandth, or an OSI the store
// already holds for another underlying. Keyed by OSI, such rows would be
// joined to each other's quotes.
func checkContracts(t *tx, firstLine int) error {
	q := fmt.Sprintf(`WITH r AS (SELECT rn, %[1]s AS osi, upper(trim(underlying)) AS und, k FROM (%[2]s)),
		bad AS (SELECT osi, list(rn ORDER BY rn) AS rns, list(DISTINCT und ORDER BY und) AS unds
			FROM r GROUP BY osi HAVING count(DISTINCT (und, k)) > 1),
		old AS (SELECT DISTINCT r.osi, min(r.rn) AS rn, i.underlying FROM r
			JOIN (SELECT osi, underlying FROM instruments UNION
			      SELECT DISTINCT osi, underlying FROM option_quotes WHERE osi IN (SELECT osi FROM r)) i
			ON i.osi = r.osi AND i.underlying <> r.und GROUP BY r.osi, i.underlying)
		SELECT * FROM (
			SELECT rns[1] AS first, 'lines ' || array_to_string(list_transform(rns[1:4], lambda x: (x - 1 + %[3]d)::VARCHAR), ', ') ||
				CASE WHEN len(rns) > 4 THEN ' (and ' || (len(rns) - 4) || ' more)' ELSE '' END ||
				' give the OSI symbol ' || trim(osi) || ' to different contracts (underlyings ' || array_to_string(unds, ', ') ||
				'); give each a distinct root column or strikes that differ in thousandths' FROM bad
			UNION ALL
			SELECT rn, 'line ' || (rn - 1 + %[3]d) || ': OSI symbol ' || trim(osi) || ' is already in the store for underlying ' ||
				underlying || '; give these rows a distinct root column' FROM old)
		ORDER BY first LIMIT 3`, osiSQL, quoteRowsSQL, firstLine)
	var msgs []string
	err := t.eachRow(q, nil, func(row []driver.Value) error {
		msgs = append(msgs, row[1].(string))
		return nil
	})
	if err != nil {
		return fmt.Errorf("check contracts: %w", err)
	}
	if len(msgs) == 0 {
		return nil
	}
	if firstLine == 1 {
		for i := range msgs {
			msgs[i] = strings.ReplaceAll(msgs[i], "line", "row")
		}
	}
	return fmt.Errorf("%s; nothing was loaded", strings.Join(msgs, "; "))
}

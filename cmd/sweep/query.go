package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/optsweep/sweep/internal/duckfile"
	"github.com/optsweep/sweep/internal/rowfmt"
	"github.com/optsweep/sweep/sweep/results"
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

  sweep query "` + results.ExampleRuns + `"

The ten best cells of run r1 by Sharpe ratio, with their parameters:

  sweep query "
` + indent(results.ExampleBestBySharpe, "    ") + `"

Profit and loss by exit reason over the closed trades of run r1's cells
with dte_min = 30, as CSV (or save the SQL in a file: sweep query - < pnl.sql):

  sweep query --format csv "
` + indent(results.ExamplePnLByExit, "    ") + `"`,
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
	if err := duckfile.CheckStatement(ctx, conn, text, o.allow != ""); err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, text)
	if err != nil {
		return err
	}
	defer rows.Close()
	bw := bufio.NewWriter(w)
	switch o.format {
	case "csv":
		err = rowfmt.CSV(bw, rows)
	case "json":
		err = rowfmt.JSON(bw, rows)
	default:
		err = rowfmt.Table(bw, rows, o.maxRows, o.width)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

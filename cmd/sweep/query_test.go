package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sweep/results"
)

// queryDB writes a small results DB with plain SQL and returns its path.
//
//	run r1: cells k1 (wheel, SPY, dte_min 30) and k2 (wheel, SPY+QQQ, dte_min 45)
//	run r2: cell k3 (csp, IWM, no dte_min)
//	trades: k1 has two profit targets, a stop and an open trade; k2 one profit target
func queryDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "results.duckdb")
	db, err := results.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		// run_cells may already exist (results schema 2); create it if not.
		`CREATE TABLE IF NOT EXISTS run_cells (run_id VARCHAR, cell_key VARCHAR, PRIMARY KEY (run_id, cell_key))`,
		`ALTER TABLE cells ADD COLUMN IF NOT EXISTS p_dte_min BIGINT`,
		`INSERT INTO runs (run_id, kind, name, config, started_at, finished_at, status) VALUES
			('r1', 'sweep', 'wheel-spy', 'name: wheel-spy', TIMESTAMPTZ '2025-01-02 03:04:05+00', NULL, 'running')`,
		`INSERT INTO cells (cell_key, run_id, strategy, symbols, date_from, date_to, seed, params, p_dte_min) VALUES
			('k1', 'r1', 'wheel', ['SPY'], '2024-01-02', '2024-06-28', 1, '{"dte_min":"30"}', 30),
			('k2', 'r1', 'wheel', ['SPY', 'QQQ'], '2024-01-02', '2024-06-28', 2, '{"dte_min":"45"}', 45),
			('k3', 'r2', 'csp', ['IWM'], '2024-01-02', '2024-06-28', 3, '{}', NULL)`,
		`INSERT INTO run_cells (run_id, cell_key) VALUES ('r1', 'k1'), ('r1', 'k2'), ('r2', 'k3') ON CONFLICT DO NOTHING`,
		`INSERT INTO cell_metrics (cell_key, trades, sharpe, cagr, max_drawdown, net_pnl) VALUES
			('k1', 12, 1.23456789, 0.1, 0.05, 1234.5),
			('k2', 0, NULL, 0, 0, 0),
			('k3', 7, 2.5, CAST(1 AS DOUBLE) / 3, 0.125, -250.25)`,
		`INSERT INTO trades (cell_key, trade_id, position_id, symbol, opened, closed, days_held, net, roc, exit_reason) VALUES
			('k1', 0, 0, 'SPY', '2024-01-02', '2024-01-20', 18, 100, 0.02, 'profit_target'),
			('k1', 1, 1, 'SPY', '2024-02-01', '2024-02-16', 15, 50.5, 0.01, 'profit_target'),
			('k1', 2, 2, 'SPY', '2024-03-01', '2024-03-15', 14, -80.25, -0.016, 'stop_loss'),
			('k1', 3, 3, 'SPY', '2024-06-03', NULL, NULL, 10, NULL, 'open'),
			('k2', 0, 0, 'QQQ', '2024-01-02', '2024-01-19', 17, 999, 0.5, 'profit_target')`,
	} {
		if _, err := db.DB().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return path
}

// runQuery runs "sweep query ARGS..." with stdin and returns the exit status and output.
func runQuery(t *testing.T, stdin string, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), append([]string{"query"}, args...), stdio{in: strings.NewReader(stdin), out: &o, err: &e})
	return code, o.String(), e.String()
}

const queryCells = `SELECT cell_key, symbols, date_from, seed, m.sharpe, m.cagr, m.net_pnl
FROM cells c JOIN cell_metrics m USING (cell_key) ORDER BY cell_key`

// TestQueryFormats checks each format's exact output. Tables: columns are as
// wide as their widest cell plus 2 blanks, the last column is not padded;
// floats to 6 significant digits (1.23456789 -> 1.23457, 1/3 -> 0.333333),
// whole floats as integers (0), NULL as NULL. CSV and JSON keep every digit.
func TestQueryFormats(t *testing.T) {
	db := queryDB(t)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"table", nil, "" +
			"cell_key  symbols     date_from   seed  sharpe   cagr      net_pnl\n" +
			"k1        [SPY]       2024-01-02  1     1.23457  0.1       1234.5\n" +
			"k2        [SPY, QQQ]  2024-01-02  2     NULL     0         0\n" +
			"k3        [IWM]       2024-01-02  3     2.5      0.333333  -250.25\n" +
			"(3 rows)\n"},
		// Two rows shown: the cagr column is now only as wide as "cagr" + 2.
		{"max-rows", []string{"--max-rows", "2"}, "" +
			"cell_key  symbols     date_from   seed  sharpe   cagr  net_pnl\n" +
			"k1        [SPY]       2024-01-02  1     1.23457  0.1   1234.5\n" +
			"k2        [SPY, QQQ]  2024-01-02  2     NULL     0     0\n" +
			"(showing 2 of 3 rows)\n"},
		{"max-rows above the count", []string{"--max-rows", "3"}, "" +
			"cell_key  symbols     date_from   seed  sharpe   cagr      net_pnl\n" +
			"k1        [SPY]       2024-01-02  1     1.23457  0.1       1234.5\n" +
			"k2        [SPY, QQQ]  2024-01-02  2     NULL     0         0\n" +
			"k3        [IWM]       2024-01-02  3     2.5      0.333333  -250.25\n" +
			"(3 rows)\n"},
		{"csv", []string{"--format", "csv", "--max-rows", "1"}, "" + // --max-rows is for tables only
			"cell_key,symbols,date_from,seed,sharpe,cagr,net_pnl\n" +
			"k1,[SPY],2024-01-02,1,1.23456789,0.1,1234.5\n" +
			"k2,\"[SPY, QQQ]\",2024-01-02,2,,0,0\n" +
			"k3,[IWM],2024-01-02,3,2.5,0.3333333333333333,-250.25\n"},
		{"json", []string{"--format", "json"}, "[\n" +
			`  {"cell_key": "k1", "symbols": ["SPY"], "date_from": "2024-01-02", "seed": 1, "sharpe": 1.23456789, "cagr": 0.1, "net_pnl": 1234.5},` + "\n" +
			`  {"cell_key": "k2", "symbols": ["SPY","QQQ"], "date_from": "2024-01-02", "seed": 2, "sharpe": null, "cagr": 0, "net_pnl": 0},` + "\n" +
			`  {"cell_key": "k3", "symbols": ["IWM"], "date_from": "2024-01-02", "seed": 3, "sharpe": 2.5, "cagr": 0.3333333333333333, "net_pnl": -250.25}` + "\n" +
			"]\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--db", db}, tt.args...)
			code, out, errOut := runQuery(t, "", append(args, queryCells)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if out != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", out, tt.want)
			}
		})
	}
	_, out, _ := runQuery(t, "", "--db", db, "--format", "json", queryCells)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 3 || rows[1]["sharpe"] != nil {
		t.Errorf("json does not read back: %v %v", rows, err)
	}
}

// TestQueryValues checks how each kind of value is written, one column at a
// time: table, CSV field and JSON value.
func TestQueryValues(t *testing.T) {
	db := queryDB(t)
	for _, tt := range []struct {
		expr               string
		table, csv, asJSON string
	}{
		{"NULL::DOUBLE", "NULL", "", "null"},
		{"'nan'::DOUBLE", "NaN", "NaN", "null"},
		{"'-inf'::DOUBLE", "-Inf", "-Inf", "null"},
		{"3.0::DOUBLE", "3", "3", "3"},
		{"-0.0::DOUBLE", "0", "0", "0"}, // the sign of zero is dropped
		// 1234567.5 to 6 significant digits is 1.23457e+06.
		{"1234567.5::DOUBLE", "1.23457e+06", "1234567.5", "1234567.5"},
		{"0.0000123456789::DOUBLE", "1.23457e-05", "0.0000123456789", "0.0000123456789"},
		{"1e-7::DOUBLE", "1e-07", "1e-07", "1e-7"},
		{"0.1::FLOAT", "0.1", "0.1", "0.1"},
		{"42::BIGINT", "42", "42", "42"},
		{"12.50::DECIMAL(5,2)", "12.5", "12.5", "12.5"},
		{"170141183460469231731687303715884105727::HUGEINT", "170141183460469231731687303715884105727",
			"170141183460469231731687303715884105727", "170141183460469231731687303715884105727"},
		{"true", "true", "true", "true"},
		{"DATE '2024-03-15'", "2024-03-15", "2024-03-15", `"2024-03-15"`},
		// Tables drop the fraction of a second; CSV and JSON keep it.
		{"TIMESTAMPTZ '2025-01-02 03:04:05.25+00'", "2025-01-02T03:04:05Z", "2025-01-02T03:04:05.25Z", `"2025-01-02T03:04:05.25Z"`},
		{"TIMESTAMP '2025-01-02 03:04:05'", "2025-01-02T03:04:05Z", "2025-01-02T03:04:05Z", `"2025-01-02T03:04:05Z"`},
		{"TIME '09:30:00'", "09:30:00", "09:30:00", `"09:30:00"`},
		{"INTERVAL 90 MINUTE", "01:30:00", "01:30:00", `"01:30:00"`},
		{"[DATE '2024-03-15', NULL]", "[2024-03-15, NULL]", `"[2024-03-15, NULL]"`, `["2024-03-15",null]`},
		{"['a', 'b']", "[a, b]", `"[a, b]"`, `["a","b"]`},
		{"{'b': 'x', 'a': 1}", "{a: 1, b: x}", `"{a: 1, b: x}"`, `{"a":1,"b":"x"}`},
		// JSON comes back decoded by the driver and is written again, keys sorted.
		{`'{"z":1,"a":[1,2]}'::JSON`, `{"a":[1,2],"z":1}`, `"{""a"":[1,2],""z"":1}"`, `{"a":[1,2],"z":1}`},
		{"'two' || chr(10) || 'lines'", `two\nlines`, "\"two\nlines\"", `"two\nlines"`},
		{"'<&>'", "<&>", "<&>", `"<&>"`},
	} {
		q := "SELECT " + tt.expr + " AS v"
		for _, f := range []struct{ format, want string }{
			{"table", "v\n" + tt.table + "\n(1 row)\n"},
			{"csv", "v\n" + tt.csv + "\n"},
			{"json", "[\n  {\"v\": " + tt.asJSON + "}\n]\n"},
		} {
			code, out, errOut := runQuery(t, "", "--db", db, "--format", f.format, q)
			if code != 0 || out != f.want {
				t.Errorf("%s as %s: exit %d %s\ngot  %q\nwant %q", tt.expr, f.format, code, errOut, out, f.want)
			}
		}
	}
}

// TestQueryExamples runs the two example questions of the help text.
func TestQueryExamples(t *testing.T) {
	db := queryDB(t)
	code, out, _ := runQuery(t, "", "--db", db, "--help")
	if code != 0 || !strings.Contains(out, "FROM run_cells rc JOIN cells c USING (cell_key) JOIN cell_metrics m USING (cell_key)") ||
		!strings.Contains(out, "go doc ./sweep/results") {
		t.Errorf("help: %d\n%s", code, out)
	}
	// Run r1 holds k1 and k2; k2 has no Sharpe ratio, so k1 alone.
	want := "" +
		"cell_key  strategy  params            sharpe   cagr  max_drawdown  trades\n" +
		"k1        wheel     {\"dte_min\":\"30\"}  1.23457  0.1   0.05          12\n" +
		"(1 row)\n"
	if code, out, errOut := runQuery(t, "", "--db", db, results.ExampleBestBySharpe); code != 0 || out != want {
		t.Errorf("best by Sharpe: exit %d %s\ngot:\n%s\nwant:\n%s", code, errOut, out, want)
	}
	// Closed trades of k1 (r1's only cell with dte_min = 30): profit targets
	// 100 + 50.5 = 150.5, roc (0.02+0.01)/2 = 0.015, days (18+15)/2 = 16.5;
	// the stop -80.25, roc -0.016, 14 days. The open trade and k2's are out.
	want = "" +
		"exit_reason    n  net_pnl  mean_roc  mean_days\n" +
		"profit_target  2  150.5    0.015     16.5\n" +
		"stop_loss      1  -80.25   -0.016    14\n" +
		"(2 rows)\n"
	if code, out, errOut := runQuery(t, results.ExamplePnLByExit, "--db", db, "-"); code != 0 || out != want {
		t.Errorf("P&L by exit: exit %d %s\ngot:\n%s\nwant:\n%s", code, errOut, out, want)
	}
}

func TestQueryInput(t *testing.T) {
	db := queryDB(t)
	for _, tt := range []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"stdin", "SELECT 1 AS one", []string{"--db", db, "-"}, "one\n1\n(1 row)\n"},
		{"flags after the SQL", "", []string{"--db", db, "SELECT 1 AS one", "--format", "csv"}, "one\n1\n"},
		{"no rows as a table", "", []string{"--db", db, "SELECT cell_key FROM cells WHERE false"}, "cell_key\n(0 rows)\n"},
		{"no rows as csv", "", []string{"--db", db, "--format", "csv", "SELECT cell_key FROM cells WHERE false"}, "cell_key\n"},
		{"no rows as json", "", []string{"--db", db, "--format", "json", "SELECT cell_key FROM cells WHERE false"}, "[]\n"},
		{"no cap", "", []string{"--db", db, "--max-rows", "0", "SELECT range AS i FROM range(3)"}, "i\n0\n1\n2\n(3 rows)\n"},
		{"tabs in names", "", []string{"--db", db, `SELECT 1 AS "a` + "\t" + `b"`}, "a\\tb\n1\n(1 row)\n"},
		// --width 5 keeps 4 runes and "…"; "abcde" fits; csv is never cut.
		{"width", "", []string{"--db", db, "--width", "5", "SELECT 'abcdef' AS v UNION ALL SELECT 'abcde' UNION ALL SELECT 'ααααααα' ORDER BY v"},
			"v\nabcde\nabcd…\nαααα…\n(3 rows)\n"},
		{"no width", "", []string{"--db", db, "--width", "0", "SELECT repeat('x', 100) AS v"}, "v\n" + strings.Repeat("x", 100) + "\n(1 row)\n"},
		{"width in csv", "", []string{"--db", db, "--width", "5", "--format", "csv", "SELECT 'abcdef' AS v"}, "v\nabcdef\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runQuery(t, tt.stdin, tt.args...)
			if code != 0 || out != tt.want {
				t.Errorf("exit %d %s\ngot  %q\nwant %q", code, errOut, out, tt.want)
			}
		})
	}
}

func TestQueryErrors(t *testing.T) {
	db := queryDB(t)
	missing := filepath.Join(t.TempDir(), "nope", "results.duckdb")
	for _, tt := range []struct {
		name  string
		args  []string
		code  int
		wants []string // in stderr
	}{
		{"bad SQL", []string{"--db", db, "SELEC 1"}, 1, []string{"sweep query: Parser Error: syntax error"}},
		{"unknown table", []string{"--db", db, "SELECT * FROM nope"}, 1, []string{"sweep query: Catalog Error", "nope"}},
		{"delete", []string{"--db", db, "DELETE FROM cells"}, 1, []string{"sweep query: ", "read-only"}},
		{"insert", []string{"--db", db, "INSERT INTO run_cells VALUES ('r9', 'k9')"}, 1, []string{"sweep query: ", "read-only"}},
		{"create", []string{"--db", db, "CREATE TABLE x (a INTEGER)"}, 1, []string{"sweep query: ", "read-only"}},
		{"missing DB", []string{"--db", missing, "SELECT 1"}, 1, []string{
			"sweep query: database " + missing + " does not exist (run `sweep demo` or `sweep run GRID.yaml` first, or pass --db)\n"}},
		{"no SQL", []string{"--db", db}, 2, []string{"want the SQL as one quoted argument"}},
		{"two SQL", []string{"--db", db, "SELECT", "1"}, 2, []string{"(got 2 arguments)"}},
		{"empty SQL", []string{"--db", db, "  "}, 2, []string{"the SQL is empty"}},
		{"bad format", []string{"--db", db, "--format", "xml", "SELECT 1"}, 2, []string{`--format "xml": want table, csv or json`}},
		{"bad max-rows", []string{"--db", db, "--max-rows", "-1", "SELECT 1"}, 2, []string{"--max-rows -1"}},
		{"bad width", []string{"--db", db, "--width", "1", "SELECT 1"}, 2, []string{"--width 1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runQuery(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if out != "" && tt.code == 1 {
				t.Errorf("stdout %q", out)
			}
			for _, w := range tt.wants {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not contain %q", errOut, w)
				}
			}
		})
	}
	// The writes were refused: still 3 cells and 3 run_cells rows, and no DB
	// was created at the missing path.
	if code, out, errOut := runQuery(t, "", "--db", db, "--format", "csv",
		"SELECT (SELECT count(*) FROM cells) AS cells, (SELECT count(*) FROM run_cells) AS links"); code != 0 || out != "cells,links\n3,3\n" {
		t.Errorf("after refused writes: %d %q %s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Errorf("query created %s: %v", filepath.Dir(missing), err)
	}
}

package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sweep/results"
)

// The notebooks in notebooks/ write every SQL statement as the first argument
// of con.execute, a triple-quoted Python string starting with a "-- name"
// comment, its named parameters ($run) bound from a dict literal after it:
//
//	best = con.execute("""
//	-- best cells by Sharpe
//	SELECT ... WHERE r.run_id = $run ...
//	""", {"run": RUN}).df()
//
// See notebooks/README.md. TestNotebooks runs each statement against the demo's
// results DB, so a schema change that breaks a notebook fails here.

// nbStatement is one SQL statement of a notebook.
type nbStatement struct {
	cell   int      // index of its cell in the notebook's cells
	name   string   // its leading "-- name" comment, without the dashes
	text   string   // the SQL
	params []string // the named parameters it uses, sorted and unique ($run → "run")
}

var (
	// nbExecRe matches con.execute("""SQL""") and con.execute("""SQL""", {dict}).
	nbExecRe  = regexp.MustCompile(`(?s)con\.execute\(\s*"""(.*?)"""\s*(?:,\s*\{([^{}]*)\}\s*)?\)`)
	nbParamRe = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)
	nbKeyRe   = regexp.MustCompile(`"([A-Za-z_][A-Za-z0-9_]*)"\s*:`)
)

// nbCell is the part of an nbformat 4 cell the test reads.
type nbCell struct {
	CellType string          `json:"cell_type"`
	Source   json.RawMessage `json:"source"` // a string or a list of lines
	Outputs  json.RawMessage `json:"outputs"`
}

// cellSource joins a cell's source, which nbformat allows as one string or a list.
func cellSource(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var lines []string
	if err := json.Unmarshal(raw, &lines); err != nil {
		return "", fmt.Errorf("source is neither a string nor a list of strings: %w", err)
	}
	return strings.Join(lines, ""), nil
}

// notebookStatements reads the .ipynb at path and returns its SQL statements,
// checking the convention: no triple-quoted string outside con.execute, a name
// comment first, and a parameter dict naming exactly the SQL's parameters.
func notebookStatements(path string) ([]nbStatement, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb struct {
		NBFormat int      `json:"nbformat"`
		Cells    []nbCell `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %w", path, err)
	}
	if nb.NBFormat != 4 {
		return nil, fmt.Errorf("%s: nbformat %d, want 4", path, nb.NBFormat)
	}
	var out []nbStatement
	for i, c := range nb.Cells {
		src, err := cellSource(c.Source)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		switch c.CellType {
		case "markdown":
			continue
		case "code":
			if c.Outputs == nil {
				return nil, fmt.Errorf("cell %d: code cell without outputs", i)
			}
		default:
			return nil, fmt.Errorf("cell %d: cell_type %q", i, c.CellType)
		}
		ms := nbExecRe.FindAllStringSubmatch(src, -1)
		if n := strings.Count(src, `"""`); n != 2*len(ms) {
			return nil, fmt.Errorf("cell %d: %d triple quotes but %d con.execute(\"\"\"...\"\"\") calls: "+
				"SQL must be written inline in con.execute", i, n, len(ms))
		}
		for _, m := range ms {
			st, err := parseStatement(i, m[1], m[2])
			if err != nil {
				return nil, fmt.Errorf("cell %d: %w", i, err)
			}
			out = append(out, st)
		}
	}
	return out, nil
}

// parseStatement checks one statement's name comment and parameter dict.
func parseStatement(cell int, text, dict string) (nbStatement, error) {
	text = strings.TrimSpace(text)
	first, _, _ := strings.Cut(text, "\n")
	if !strings.HasPrefix(first, "--") {
		return nbStatement{}, fmt.Errorf("SQL does not start with a -- name comment:\n%s", text)
	}
	st := nbStatement{cell: cell, name: strings.TrimSpace(strings.TrimPrefix(first, "--")), text: text}
	for _, m := range nbParamRe.FindAllStringSubmatch(text, -1) {
		st.params = append(st.params, m[1])
	}
	slices.Sort(st.params)
	st.params = slices.Compact(st.params)
	var keys []string
	for _, m := range nbKeyRe.FindAllStringSubmatch(dict, -1) {
		keys = append(keys, m[1])
	}
	slices.Sort(keys)
	if !slices.Equal(keys, st.params) {
		return nbStatement{}, fmt.Errorf("%q: the SQL uses parameters %v but the dict binds %v", st.name, st.params, keys)
	}
	return st, nil
}

// notebookParams returns a value for every parameter the notebooks use, chosen
// so that every query has rows to return on the small demo: its sweep, and the
// sweep's cells with the most closed trades (the small preset's two backtests
// close none, so their cells would leave the exit-reason queries empty).
func notebookParams(t *testing.T, db *sql.DB) map[string]any {
	t.Helper()
	one := func(q string, args ...any) []string {
		t.Helper()
		rows, err := db.Query(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	sweeps := one(`SELECT run_id FROM runs WHERE kind = 'sweep' ORDER BY started_at DESC, run_id`)
	backtests := one(`SELECT run_id FROM runs WHERE kind = 'backtest' ORDER BY run_id`)
	busiest := one(`SELECT t.cell_key FROM run_cells r JOIN trades t USING (cell_key)
		WHERE r.run_id = ? AND t.closed IS NOT NULL
		GROUP BY t.cell_key ORDER BY count(*) DESC, t.cell_key`, firstOr(sweeps))
	if len(sweeps) != 1 || len(backtests) != len(demoRuns) || len(busiest) < 2 {
		t.Fatalf("demo results: sweeps %v, backtests %v, cells with closed trades %v; want 1, 6 and at least 2",
			sweeps, backtests, busiest)
	}
	return map[string]any{
		"run":    sweeps[0],
		"cell":   busiest[0],
		"run_a":  backtests[0],
		"run_b":  backtests[1],
		"cell_a": busiest[0],
		"cell_b": busiest[1],
	}
}

func firstOr(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// rowRange is how many rows a statement should return: at least min, at most
// max (0: no limit).
type rowRange struct{ min, max int }

// TestNotebooks runs every SQL statement of the notebooks against the small
// demo's results DB and checks how many rows each returns.
func TestNotebooks(t *testing.T) {
	resultsDB := filepath.Join(filepath.Dir(smallMarket(t)), "results.duckdb")
	db, err := results.OpenReadOnly(resultsDB)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	params := notebookParams(t, db.DB())

	// Rows each statement returns on the small demo: its grid is
	// demo_grid.yaml, delta_min × dte_min × exit_pct = 3 × 2 × 2 = 12 cells, next
	// to 6 backtests (one per seed strategy, see demoRuns): 7 runs. Its market runs 2024-01-02..2024-03-28, 61 trading
	// days: January's 23 weekdays less New Year's Day and Martin Luther King Day
	// (21), February's 21 less Presidents' Day (20), March 1-28's 20. Any
	// statement not listed must return at least one row.
	tests := []struct {
		file string
		rows map[string]rowRange
	}{
		{"explore_sweep.ipynb", map[string]rowRange{
			"runs, newest first, with their cell counts":             {7, 7},
			"the newest sweep":                                       {1, 1},
			"the grid file the run was started with":                 {1, 1},
			"the grid's axes: each varying parameter and its values": {3, 3},
			"best cells by Sharpe":                                   {10, 10}, // 12 cells, LIMIT 10
			"the best cell by Sharpe":                                {1, 1},
			// One row per value of each axis: 3 + 2 + 2.
			"parameter sensitivity: metrics averaged by each parameter value": {7, 7},
			"the worst drawdown of every cell, deepest first":                 {12, 12},
			"the best cell's equity curve and drawdown":                       {61, 61},
			"the best cell's deepest drawdown episodes":                       {1, 5},
			// The cell itself and one step along each axis: 1 or 2 along
			// delta_min (3 values, 2 only from the middle one), 1 along each of
			// dte_min and exit_pct (2 values): 1 + 1 + 1 + 1 = 4 to 1 + 2 + 1 + 1 = 5.
			"the neighbourhood of the best cell: cells one grid step away": {4, 5},
		}},
		{"compare_runs.ipynb", map[string]rowRange{
			"runs, newest first":                                 {7, 7},
			"the two newest backtests":                           {2, 2},
			"the cell standing for each run: its best by Sharpe": {2, 2},
			// cell_metrics has 35 columns; all but cell_key, exit_reasons,
			// the 3 drawdown dates and recovered are numbers: 35 - 6 = 29.
			"summary metrics side by side":                       {29, 29},
			"worst drawdown dates and exit reasons of each cell": {2, 2},
			"equity curves joined by date":                       {61, 61},
			"monthly returns of each cell":                       {3, 3}, // January to March 2024
		}},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".ipynb"), func(t *testing.T) {
			checkNotebook(t, db.DB(), params, tt.file, tt.rows)
		})
	}
}

// checkNotebook runs every statement of notebooks/file and checks its row count
// against rows (at least one row for a statement rows does not name).
func checkNotebook(t *testing.T, db *sql.DB, params map[string]any, file string, rows map[string]rowRange) {
	t.Helper()
	sts, err := notebookStatements(filepath.Join("..", "..", "notebooks", file))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if len(sts) == 0 {
		t.Fatalf("%s: no SQL statements found", file)
	}
	seen := map[string]bool{}
	for _, st := range sts {
		if seen[st.name] {
			t.Errorf("%s cell %d: a second statement named %q", file, st.cell, st.name)
		}
		seen[st.name] = true
		n, err := countRows(db, st, params)
		if err != nil {
			t.Errorf("%s cell %d (%s): %v\n%s", file, st.cell, st.name, err, st.text)
			continue
		}
		want, ok := rows[st.name]
		if !ok {
			want = rowRange{min: 1}
		}
		if n < want.min || want.max > 0 && n > want.max {
			t.Errorf("%s cell %d (%s): %d rows, want %d to %d", file, st.cell, st.name, n, want.min, want.max)
		}
	}
	for name := range rows {
		if !seen[name] {
			t.Errorf("%s: no statement named %q", file, name)
		}
	}
}

// countRows runs st with its parameters bound by name and counts the rows.
func countRows(db *sql.DB, st nbStatement, params map[string]any) (int, error) {
	args := make([]any, len(st.params))
	for i, p := range st.params {
		v, ok := params[p]
		if !ok {
			return 0, fmt.Errorf("parameter $%s has no test value: add one to notebookParams", p)
		}
		args[i] = sql.Named(p, v)
	}
	rows, err := db.Query(st.text, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// TestNotebookStatementsConvention checks that notebookStatements finds the
// statements the convention allows and refuses what it does not.
func TestNotebookStatementsConvention(t *testing.T) {
	tests := []struct {
		name    string
		source  string
		want    []nbStatement
		wantErr string
	}{
		{"one statement with a parameter",
			`x = con.execute("""\n-- best\nSELECT $run, $run\n""", {"run": RUN}).df()`,
			[]nbStatement{{cell: 0, name: "best", text: "-- best\nSELECT $run, $run", params: []string{"run"}}}, ""},
		{"two statements, no parameters",
			`a = con.execute("""-- a\nSELECT 1""").df()\nb = con.execute(""" -- b\nSELECT '$.x' """)`,
			[]nbStatement{{name: "a", text: "-- a\nSELECT 1"}, {name: "b", text: "-- b\nSELECT '$.x'"}}, ""},
		{"SQL outside con.execute", `q = """-- q\nSELECT 1"""\ncon.execute(q)`, nil, "triple quotes"},
		{"no name comment", `con.execute("""SELECT 1""")`, nil, "name comment"},
		{"dict misses a parameter", `con.execute("""-- a\nSELECT $a, $b""", {"a": 1})`, nil, "parameters [a b] but the dict binds [a]"},
		{"dict binds an unused parameter", `con.execute("""-- a\nSELECT 1""", {"a": 1})`, nil, "parameters [] but the dict binds [a]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The sources write newlines as \n to stay on one line.
			src, _ := json.Marshal(strings.ReplaceAll(tt.source, `\n`, "\n"))
			nb := fmt.Sprintf(`{"nbformat": 4, "cells": [{"cell_type": "code", "outputs": [], "source": %s},
				{"cell_type": "markdown", "source": ["con.execute(\"\"\"ignored\"\"\")"]}]}`, src)
			path := filepath.Join(t.TempDir(), "nb.ipynb")
			if err := os.WriteFile(path, []byte(nb), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := notebookStatements(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d statements %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.cell != w.cell || g.name != w.name || g.text != w.text || !slices.Equal(g.params, w.params) {
					t.Errorf("statement %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

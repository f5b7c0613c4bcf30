package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optsweep/sweep/ingest/market"
)

// TestItem1QuerySandboxed is issue 18 item 1: sweep query reads the database
// it names and nothing else. Writes, COPY TO, file readers, INSTALL, ATTACH
// and SET of the sandbox's settings are refused; --allow-files DIR lets
// exports into DIR through, and only there.
func TestItem1QuerySandboxed(t *testing.T) {
	db := queryDB(t)
	dir := filepath.Dir(db)
	outside := filepath.Join(t.TempDir(), "outside")
	if err := os.WriteFile(filepath.Join(t.TempDir(), "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(t.TempDir(), "secret.csv")
	if err := os.WriteFile(secret, []byte("a\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	exports := t.TempDir()
	for _, tt := range []struct {
		name  string
		args  []string
		wants []string // in stderr
	}{
		{"copy to a file", []string{"--db", db, "COPY cells TO '" + outside + ".csv'"},
			[]string{"Permission Error", "file system operations are disabled"}},
		{"copy over the DB itself", []string{"--db", db, "COPY cells TO '" + db + "'"}, []string{"COPY writes files"}},
		{"copy over its WAL", []string{"--db", db, "COPY cells TO '" + db + ".wal'"}, []string{"COPY writes files"}},
		{"a read, then a COPY", []string{"--db", db, "SELECT 1; COPY cells TO '" + db + ".wal'"}, []string{"sweep query: "}},
		{"export database", []string{"--db", db, "EXPORT DATABASE '" + outside + "'"}, []string{"Permission Error"}},
		{"read_text", []string{"--db", db, "SELECT * FROM read_text('/etc/passwd')"},
			[]string{"Permission Error", "file system operations are disabled"}},
		{"read_csv", []string{"--db", db, "SELECT * FROM read_csv('" + secret + "')"}, []string{"Permission Error"}},
		{"read_blob", []string{"--db", db, "SELECT * FROM read_blob('" + secret + "')"}, []string{"Permission Error"}},
		{"glob", []string{"--db", db, "SELECT * FROM glob('/etc/*')"}, []string{"Permission Error"}},
		{"replacement scan", []string{"--db", db, "SELECT * FROM '" + secret + "'"}, []string{"Permission Error"}},
		{"install", []string{"--db", db, "INSTALL httpfs"}, []string{"INSTALL/LOAD statements are refused"}},
		{"attach", []string{"--db", db, "ATTACH '" + outside + ".duckdb'"}, []string{"ATTACH statements are refused"}},
		{"set community extensions", []string{"--db", db, "SET allow_community_extensions = true"}, []string{"SET statements are refused"}},
		{"set external access", []string{"--db", db, "SET enable_external_access = true"}, []string{"SET statements are refused"}},
		{"copy outside the allowed dir", []string{"--db", db, "--allow-files", exports, "COPY cells TO '" + outside + ".csv'"},
			[]string{"Permission Error"}},
		{"allowed dir holding the DB", []string{"--db", db, "--allow-files", dir, "COPY cells TO '" + db + ".wal'"},
			[]string{"holds the database", "itself"}},
		{"read outside the allowed dir", []string{"--db", db, "--allow-files", exports, "SELECT * FROM read_csv('" + secret + "')"},
			[]string{"Permission Error"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runQuery(t, "", tt.args...)
			if code == 0 {
				t.Errorf("exit 0, want a refusal; stdout %q", out)
			}
			for _, w := range tt.wants {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not contain %q", errOut, w)
				}
			}
		})
	}
	for _, p := range []string{outside, outside + ".csv", outside + ".duckdb", db + ".wal"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after the refused statements (%v)", p, err)
		}
	}
	// The database is whole.
	if code, out, errOut := runQuery(t, "", "--db", db, "--format", "csv", "SELECT count(*) AS n FROM cells"); code != 0 || out != "n\n3\n" {
		t.Errorf("after the refusals: exit %d %q %s", code, out, errOut)
	}

	// --allow-files DIR: exports into DIR work, and what was exported reads back.
	csv := filepath.Join(exports, "best.csv")
	if code, _, errOut := runQuery(t, "", "--db", db, "--allow-files", exports,
		"COPY (SELECT cell_key FROM cells ORDER BY cell_key) TO '"+csv+"'"); code != 0 {
		t.Fatalf("COPY into the allowed dir: exit %d %s", code, errOut)
	}
	if b, err := os.ReadFile(csv); err != nil || string(b) != "cell_key\nk1\nk2\nk3\n" {
		t.Errorf("exported %q, %v", b, err)
	}
	if code, out, errOut := runQuery(t, "", "--db", db, "--allow-files", exports, "--format", "csv",
		"SELECT count(*) AS n FROM read_csv('"+csv+"')"); code != 0 || out != "n\n3\n" {
		t.Errorf("read back from the allowed dir: exit %d %q %s", code, out, errOut)
	}
	// A relative directory works as written, and ".." does not escape it.
	t.Chdir(filepath.Dir(exports))
	rel := filepath.Base(exports)
	if code, _, errOut := runQuery(t, "", "--db", db, "--allow-files", rel, "COPY (SELECT 1 AS one) TO '"+rel+"/one.csv'"); code != 0 {
		t.Errorf("relative export: exit %d %s", code, errOut)
	}
	if code, _, errOut := runQuery(t, "", "--db", db, "--allow-files", rel, "COPY (SELECT 1) TO '"+rel+"/../evil.csv'"); code == 0 ||
		!strings.Contains(errOut, "Permission Error") {
		t.Errorf("escape with ..: exit %d %s", code, errOut)
	}
	if code, _, errOut := runQuery(t, "", "--db", db, "--allow-files", filepath.Join(exports, "nope"), "SELECT 1"); code != 2 ||
		!strings.Contains(errOut, "--allow-files") {
		t.Errorf("missing allowed dir: exit %d %s", code, errOut)
	}
}

// TestQueryAnyDuckDBFile is issue 17's last item: query opens any DuckDB
// file read-only, the market store included, with --market and --results
// shortcuts for the default paths.
func TestQueryAnyDuckDBFile(t *testing.T) {
	results := queryDB(t)
	work := t.TempDir()
	t.Chdir(work)
	st, err := market.Open(defaultMarketDB)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`INSERT INTO underlying_bars VALUES ('2024-01-02', 'SPY', 1, 2, 0.5, 1.5, 100)`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := os.MkdirAll("runs", 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(defaultResultsDB, b, 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(work, "plain.duckdb")
	if code, _, errOut := runQuery(t, "", "--db", other, "SELECT 1"); code != 1 || !strings.Contains(errOut, "database "+other+" does not exist") {
		t.Errorf("missing plain file: exit %d %s", code, errOut)
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"--market", []string{"--market", "SELECT symbol, close FROM underlying_bars"}, "symbol,close\nSPY,1.5\n"},
		{"--db market", []string{"--db", defaultMarketDB, "SELECT value FROM meta WHERE key = 'kind'"}, "value\nmarket\n"},
		{"--results", []string{"--results", "SELECT count(*) AS n FROM cells"}, "n\n3\n"},
		{"default", []string{"SELECT count(*) AS n FROM runs"}, "n\n1\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runQuery(t, "", append([]string{"--format", "csv"}, tt.args...)...)
			if code != 0 || out != tt.want {
				t.Errorf("exit %d %s\ngot  %q\nwant %q", code, errOut, out, tt.want)
			}
		})
	}
	if code, _, errOut := runQuery(t, "", "--market", "--results", "SELECT 1"); code != 2 || !strings.Contains(errOut, "give one of --db, --results and --market") {
		t.Errorf("both shortcuts: exit %d %s", code, errOut)
	}
	if code, _, errOut := runQuery(t, "", "--market", "DELETE FROM underlying_bars"); code != 1 || !strings.Contains(errOut, "read-only") {
		t.Errorf("delete on the market DB: exit %d %s", code, errOut)
	}
}

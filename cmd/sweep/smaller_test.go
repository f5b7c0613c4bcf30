package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sweep/grid"
)

// TestItem7SmallerOnes is issue 18 item 7, the parts done: --rate and
// --dividend must be finite and sane, a backtest over dates without data fails
// like an unknown symbol, --symbols SPY,SPY is SPY, sweep greeks fails when no
// row could be valued, and a CSV strike too large for an OSI symbol is named
// (see ingest/market's TestItem3 file for the loader side). Ingest takes the
// symbols grid.ValidSymbol takes, and only those; the other item 7 cases are in
// ingest/market's TestItem7SmallerOnes and TestItem7InterruptAfterLoad and in
// TestItem7SecondWriter.
func TestItem7SmallerOnes(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := sweep(t, "demo", "--preset", "small", "--dir", dir); code != 0 {
		t.Fatalf("demo: %d\n%s\n%s", code, out, errOut)
	}
	db, res := filepath.Join(dir, "market.duckdb"), filepath.Join(dir, "bt.duckdb")
	bt := func(extra ...string) []string {
		return append([]string{"backtest", "--strategy", "csp", "--db", db, "--out", res, "-q"}, extra...)
	}
	in := func(extra ...string) []string {
		return bt(append([]string{"--symbols", "SPY", "--from", "2024-01-02", "--to", "2024-02-28"}, extra...)...)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in stderr, or stdout when code is 0
	}{
		{"rate NaN", in("--rate", "NaN"), 2, "--rate NaN: want a finite rate between -1 and 1"},
		{"rate 1e308", in("--rate", "1e308"), 2, "--rate 1e+308: want a finite rate"},
		{"dividend Inf", in("--dividend", "Inf"), 2, "--dividend +Inf: want a finite rate"},
		{"dates without data", bt("--symbols", "SPY", "--from", "2030-01-02", "--to", "2030-02-28"), 1,
			"no data for SPY in 2030-01-02..2030-02-28"},
		{"bad symbol", bt("--symbols", "SPY,S P;Y", "--from", "2024-01-02", "--to", "2024-02-28"), 2,
			`--symbols: bad symbol "S P;Y"`},
		{"symbols twice", bt("--symbols", "SPY,spy", "--from", "2024-01-02", "--to", "2024-02-28"), 0, "csp on SPY, 2024-01-02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := sweep(t, tc.args...)
			got := errOut
			if tc.code == 0 {
				got = out
			}
			if code != tc.code || !strings.Contains(got, tc.want) {
				t.Errorf("exit %d, want %d and %q in\nstdout %s\nstderr %s", code, tc.code, tc.want, out, errOut)
			}
		})
	}
	// ingest takes the symbols a grid file can name, and only those.
	for _, sym := range []string{"S P;Y", "BRK.B", "SPY$"} {
		csv := filepath.Join(dir, "sym.csv")
		os.WriteFile(csv, []byte("trade_date,underlying,expiration,put_call,strike,bid,ask\n2024-01-02,"+sym+",2024-01-19,P,470,1.0,1.1\n"), 0o644)
		code, _, errOut := sweep(t, "ingest", "--db", filepath.Join(dir, "sym.duckdb"), csv)
		if ok := code == 0; ok != grid.ValidSymbol(sym) {
			t.Errorf("ingest of underlying %q: exit %d, grid.ValidSymbol %v\n%s", sym, code, grid.ValidSymbol(sym), errOut)
		} else if !ok && !strings.Contains(errOut, "line 2: underlying '"+sym+"' is not a symbol") {
			t.Errorf("ingest of underlying %q: %s", sym, errOut)
		}
	}
	// Every greeks row bad: exit 1.
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"greeks"}, stdio{in: strings.NewReader("right,S,K,T,r,q,sigma\nX,1,1,1,0,0,0.2\nC,-1,1,1,0,0,0.2\n"),
		out: &out, err: &errOut})
	if code != 1 || !strings.Contains(errOut.String(), "every row (2) was reported above") {
		t.Errorf("greeks, every row bad: exit %d, stderr %q", code, errOut.String())
	}
}

package main

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSplitEndToEnd generates the small market twice, once with AAPL splitting
// 4-for-1 on Monday 2024-02-12 and once without, ingests both, and runs the same
// wheel over each: the put it sells on 2024-01-22 (the 2024-02-16 190 put, held
// to expiry) is open through the split. The split market's path, gen -> DBN ->
// ingest -> backtest, must convert the position (a split book event, the 47.5
// put four times over), fire no stop or exit on the ex-date, show no jump in
// equity there, and end the trade with the P&L the unsplit market gives.
func TestSplitEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("generates, ingests and backtests two markets")
	}
	dir := t.TempDir()
	run := func(name string, split ...string) string {
		out, db, res := filepath.Join(dir, name), filepath.Join(dir, name+".duckdb"), filepath.Join(dir, name+"-bt.duckdb")
		gen := append([]string{"gen", "--preset", "small", "--out", out}, split...)
		if code, o, e := sweep(t, gen...); code != 0 {
			t.Fatalf("gen: %d\n%s\n%s", code, o, e)
		}
		if code, o, e := sweep(t, "ingest", "--db", db, out); code != 0 {
			t.Fatalf("ingest: %d\n%s\n%s", code, o, e)
		}
		bt := []string{"backtest", "--strategy", "wheel", "--symbols", "AAPL", "--from", "2024-01-02", "--to", "2024-03-28",
			"--db", db, "--out", res, "--set", "allow_multiple_wheels_per_symbol=false",
			"--set", "dte_min=20", "--set", "dte_max=45", "--set", "exit_pct=0.01", "-q"}
		if code, o, e := sweep(t, bt...); code != 0 {
			t.Fatalf("backtest: %d\n%s\n%s", code, o, e)
		}
		return db
	}
	query := func(db, sql string) [][]string {
		code, o, e := sweep(t, "query", "--db", db, "--format", "csv", "--max-rows", "100000", sql)
		if code != 0 {
			t.Fatalf("query %s: %d\n%s", sql, code, e)
		}
		var rows [][]string
		for _, l := range strings.Split(strings.TrimSpace(o), "\n")[1:] {
			rows = append(rows, strings.Split(l, ","))
		}
		return rows
	}
	plain, split := run("plain"), run("split", "--split", "AAPL=2024-02-12:4")
	res := func(db string) string { return strings.TrimSuffix(db, ".duckdb") + "-bt.duckdb" }

	// The store: the split event, the bars as traded, the adjusted contracts
	// listed on 100 shares (not flagged as adjusted deliverables).
	if got := query(split, `SELECT kind, amount FROM events WHERE symbol = 'AAPL' AND event_date = '2024-02-12'`); len(got) != 1 ||
		got[0][0] != "split" || got[0][1] != "4" {
		t.Errorf("events on the ex-date: %v", got)
	}
	closes := query(split, `SELECT close FROM underlying_bars WHERE symbol = 'AAPL' AND trade_date IN ('2024-02-09', '2024-02-12') ORDER BY trade_date`)
	if r := num(t, closes[0][0]) / num(t, closes[1][0]); len(closes) != 2 || r < 3.6 || r > 4.4 {
		t.Errorf("AAPL closes around the ex-date %v: the bars as traded should drop about 4 times", closes)
	}
	if got := query(split, `SELECT count(*) FROM option_quotes q JOIN instruments i USING (osi)
		WHERE q.underlying = 'AAPL' AND (i.multiplier <> 100 OR q.flags & 32 <> 0)`); got[0][0] != "0" {
		t.Errorf("%s AAPL rows on a deliverable other than 100 shares", got[0][0])
	}
	if got := query(split, `SELECT count(*) FROM option_quotes WHERE osi = 'AAPL  240216P00047500' AND trade_date = '2024-02-12'`); got[0][0] != "1" {
		t.Errorf("the 190 put's adjusted contract (the 47.5 put) has %s rows on the ex-date", got[0][0])
	}

	// The backtest: the position converted on the ex-date, nothing else happening.
	evs := query(res(split), `SELECT kind, detail LIKE '4-for-1: 1 legs%' FROM events
		WHERE trade_date = '2024-02-12' AND kind NOT IN ('order', 'fill')`)
	if len(evs) != 1 || evs[0][0] != "split" || evs[0][1] != "true" {
		t.Errorf("book events on the ex-date: %v (want the split alone)", evs)
	}
	if got := query(res(split), `SELECT detail FROM events WHERE kind = 'expired_worthless'`); len(got) != 1 ||
		!strings.Contains(got[0][0], "P 47.5") {
		t.Errorf("expiries %v: want the converted 47.5 put", got)
	}
	eq := func(db string) map[string]float64 {
		m := map[string]float64{}
		for _, r := range query(res(db), `SELECT trade_date, equity FROM equity ORDER BY trade_date`) {
			m[r[0]] = num(t, r[1])
		}
		return m
	}
	a, b := eq(plain), eq(split)
	// The same market before the ex-date: the same equity to the cent.
	for _, d := range []string{"2024-01-22", "2024-02-01", "2024-02-09"} {
		if math.Abs(a[d]-b[d]) > 0.005 {
			t.Errorf("equity on %s: %.2f unsplit, %.2f split", d, a[d], b[d])
		}
	}
	// No jump on the ex-date: the put is worth a few dollars either way (an
	// unconverted 190 put marked at intrinsic on a 52 stock would be $13,800).
	if d := math.Abs(b["2024-02-12"] - b["2024-02-09"]); d > 100 {
		t.Errorf("equity moves %.2f on the ex-date", d)
	}
	// The trade held through the split ends with the same P&L: equity after the
	// expiry is the same in both markets.
	if math.Abs(a["2024-02-16"]-b["2024-02-16"]) > 0.005 {
		t.Errorf("equity after the expiry: %.2f unsplit, %.2f split", a["2024-02-16"], b["2024-02-16"])
	}
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return x
}

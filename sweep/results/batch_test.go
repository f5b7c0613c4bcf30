package results

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/optsweep/sweep/sim"
)

// batchOf returns cells keys of testCell and testResult, each with its own
// Sharpe ratio from sharpes.
func batchOf(keys []string, sharpes []float64) []CellResult {
	out := make([]CellResult, len(keys))
	for i, k := range keys {
		m := testSummary()
		m.Sharpe = sharpes[i]
		out[i] = CellResult{Cell: testCell(k), Result: testResult(), Metrics: m}
	}
	return out
}

func TestWriteCells(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	if err := db.WriteCells(ctx, nil); err != nil {
		t.Fatalf("empty batch: %v", err)
	}
	batch := batchOf([]string{"a", "b", "c"}, []float64{1, 2, 3})
	if err := db.WriteCells(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "b", "c"} {
		wantCounts(t, db, k, full)
	}
	// 3 cells × 3 trades = 9 trades; × 5 days = 15 equity rows.
	got := queryStrings(t, db, `SELECT (SELECT count(*) FROM trades) || ' ' || (SELECT count(*) FROM equity)`)
	if want := []string{"9 15"}; !reflect.DeepEqual(got, want) {
		t.Errorf("trades, equity = %q, want %q", got, want)
	}

	// A batch rewriting b with one trade and adding d, where d's delta does not
	// cast to the DOUBLE column p_delta: nothing of it is written, b stays whole.
	bad := batchOf([]string{"b", "d"}, []float64{5, 6})
	bad[0].Result.Trades = bad[0].Result.Trades[:1]
	bad[1].Cell.Params = map[string]string{"delta": "wide"}
	if err := db.WriteCells(ctx, bad); err == nil {
		t.Fatal("batch with a bad cell: no error")
	}
	wantCounts(t, db, "b", full)
	wantCounts(t, db, "d", none)

	// Invalid input is refused before anything is written.
	bad = batchOf([]string{"e", ""}, []float64{1, 1})
	if err := db.WriteCells(ctx, bad); err == nil {
		t.Error("batch with an empty key: no error")
	}
	wantCounts(t, db, "e", none)
	if err := db.WriteCells(ctx, batchOf([]string{"e", "e"}, []float64{1, 1})); err == nil {
		t.Error("batch with a key twice: no error")
	}
	wantCounts(t, db, "e", none)

	// The same batch, b now with one trade: replaced.
	bad[1].Cell.Key = "d"
	bad[0].Cell.Key = "b"
	bad[0].Result.Trades = bad[0].Result.Trades[:1]
	if err := db.WriteCells(ctx, bad); err != nil {
		t.Fatal(err)
	}
	wantCounts(t, db, "b", map[string]int{"cells": 1, "cell_metrics": 1, "trades": 1, "equity": 5, "events": 3, "decisions": 2})
	wantCounts(t, db, "d", full)
}

func TestWriteCellsFailAt(t *testing.T) {
	for _, step := range []string{"delete", "cells", "run_cells", "cell_metrics", "trades", "equity", "events", "decisions"} {
		t.Run(step, func(t *testing.T) {
			db := openMem(t)
			ctx := context.Background()
			if err := db.WriteCells(ctx, batchOf([]string{"a"}, []float64{1})); err != nil {
				t.Fatal(err)
			}
			boom := errors.New("injected")
			db.failAt = func(s string) error {
				if s == step {
					return boom
				}
				return nil
			}
			err := db.WriteCells(ctx, batchOf([]string{"a", "b", "c"}, []float64{1, 2, 3}))
			if !errors.Is(err, boom) {
				t.Fatalf("error %v, want the injected one", err)
			}
			wantCounts(t, db, "a", full)
			wantCounts(t, db, "b", none)
			wantCounts(t, db, "c", none)
			got := queryStrings(t, db, `SELECT run_id || ' ' || cell_key FROM run_cells ORDER BY ALL`)
			if want := []string{"r1 a"}; !reflect.DeepEqual(got, want) {
				t.Errorf("run_cells = %q, want %q", got, want)
			}
		})
	}
}

func TestRunCells(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	if err := db.WriteCells(ctx, batchOf([]string{"a", "b"}, []float64{1, 2})); err != nil {
		t.Fatal(err)
	}
	// Run r2 recomputes b (a --force rerun): cells.run_id becomes r2, and b stays in r1 too.
	c := testCell("b")
	c.RunID = "r2"
	write(t, db, c, testResult())
	// Run r3 finds a and b stored and links them; a second link changes nothing.
	for range 2 {
		if err := db.LinkCells(ctx, "r3", []string{"a", "b"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.LinkCells(ctx, "r3", nil); err != nil {
		t.Errorf("LinkCells of no keys: %v", err)
	}
	if err := db.LinkCells(ctx, "", []string{"a"}); err == nil {
		t.Error("LinkCells with an empty run: no error")
	}
	got := queryStrings(t, db, `SELECT run_id || ' ' || cell_key FROM run_cells ORDER BY ALL`)
	want := []string{"r1 a", "r1 b", "r2 b", "r3 a", "r3 b"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("run_cells = %q, want %q", got, want)
	}
	got = queryStrings(t, db, `SELECT cell_key || ' ' || run_id FROM cells ORDER BY ALL`)
	if want := []string{"a r1", "b r2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cells.run_id = %q, want %q", got, want)
	}

	keys, err := db.CellKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]bool{"a": true, "b": true}; !reflect.DeepEqual(keys, want) {
		t.Errorf("CellKeys = %v, want %v", keys, want)
	}
}

func TestMetric(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	// c has a NaN Sharpe, stored as NULL.
	if err := db.WriteCells(ctx, batchOf([]string{"a", "b", "c"}, []float64{1.5, -0.25, math.NaN()})); err != nil {
		t.Fatal(err)
	}
	got, err := db.Metric(ctx, []string{"a", "b", "c", "missing"}, "sharpe")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]float64{"a": 1.5, "b": -0.25}; !reflect.DeepEqual(got, want) {
		t.Errorf("sharpe = %v, want %v", got, want)
	}
	// A BIGINT column: testSummary has 2 trades, as float64.
	got, err = db.Metric(ctx, []string{"b"}, "trades")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]float64{"b": 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("trades = %v, want %v", got, want)
	}
	if got, err := db.Metric(ctx, nil, "cagr"); err != nil || len(got) != 0 {
		t.Errorf("no keys: %v, %v", got, err)
	}
	for _, bad := range []string{"exit_reasons", "max_drawdown_start", "cell_key", "sharpe; DROP TABLE cells", ""} {
		if _, err := db.Metric(ctx, []string{"a"}, bad); err == nil {
			t.Errorf("Metric %q: no error", bad)
		}
	}
	if n := len(MetricColumns()); n != 29 {
		// 34 columns after cell_key, less 3 drawdown dates, recovered and exit_reasons.
		t.Errorf("%d metric columns, want 29", n)
	}
}

func TestWriteFolds(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	fold := func(n int, syms []string, trainKey string, train float64) FoldRow {
		return FoldRow{RunID: "wf", Fold: n, Symbols: syms,
			TrainFrom: ymd(2023, 1, 3), TrainTo: ymd(2023, 12, 29), TestFrom: ymd(2024, 1, 2), TestTo: ymd(2024, 3, 28),
			Metric: "sharpe", Goal: "max", TrainCellKey: trainKey, TrainValue: train,
			TestCellKey: trainKey + "/test", TestValue: math.NaN(), Params: map[string]string{"delta": "0.2"}}
	}
	rows := []FoldRow{fold(0, []string{"SPY"}, "k0", 1.2), fold(0, []string{"QQQ"}, "k1", 0.8), fold(1, []string{"SPY"}, "k2", 1.1)}
	if err := db.WriteFolds(ctx, rows); err != nil {
		t.Fatal(err)
	}
	// Rewriting fold 0 of SPY replaces its row; the others stay.
	if err := db.WriteFolds(ctx, []FoldRow{fold(0, []string{"SPY"}, "k9", 2)}); err != nil {
		t.Fatal(err)
	}
	got := queryStrings(t, db, `SELECT concat_ws(' ', fold, symbols::VARCHAR, train_from, test_to, metric, goal,
		train_cell_key, train_value, test_cell_key, coalesce(test_value::VARCHAR, 'NULL'), params::VARCHAR)
		FROM walk_forward WHERE run_id = 'wf' ORDER BY fold, symbols`)
	want := []string{
		`0 [QQQ] 2023-01-03 2024-03-28 sharpe max k1 0.8 k1/test NULL {"delta":"0.2"}`,
		`0 [SPY] 2023-01-03 2024-03-28 sharpe max k9 2.0 k9/test NULL {"delta":"0.2"}`,
		`1 [SPY] 2023-01-03 2024-03-28 sharpe max k2 1.1 k2/test NULL {"delta":"0.2"}`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("walk_forward:\n got %q\nwant %q", got, want)
	}
	if err := db.WriteFolds(ctx, []FoldRow{{Fold: 3}}); err == nil {
		t.Error("fold with an empty run: no error")
	}
}

// TestDocQueryRunCells runs the package documentation's run_cells question.
func TestDocQueryRunCells(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	// r1 computes a (Sharpe 1) and b (2); r2 computes c (3) and links a, which it skipped.
	if err := db.WriteCells(ctx, batchOf([]string{"a", "b"}, []float64{1, 2})); err != nil {
		t.Fatal(err)
	}
	c := batchOf([]string{"c"}, []float64{3})
	c[0].Cell.RunID = "r2"
	if err := db.WriteCells(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := db.LinkCells(ctx, "r2", []string{"a"}); err != nil {
		t.Fatal(err)
	}
	got := queryStrings(t, db, `SELECT c.cell_key || ' ' || m.sharpe
		FROM run_cells r JOIN cells c USING (cell_key) JOIN cell_metrics m USING (cell_key)
		WHERE r.run_id = 'r2' AND m.sharpe IS NOT NULL
		ORDER BY m.sharpe DESC
		LIMIT 10`)
	if want := []string{"c 3.0", "a 1.0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("best of r2 = %q, want %q", got, want)
	}
}

// TestDocQueryWalkForward runs the package documentation's walk_forward question.
func TestDocQueryWalkForward(t *testing.T) {
	db := openMem(t)
	rows := []FoldRow{
		{RunID: "wf", Fold: 1, Symbols: []string{"SPY"}, Metric: "sharpe", TrainValue: 1.5, TestValue: 0.5},
		{RunID: "wf", Fold: 0, Symbols: []string{"SPY"}, Metric: "sharpe", TrainValue: 2, TestValue: 1.25},
		{RunID: "other", Fold: 0, Symbols: []string{"SPY"}, Metric: "sharpe", TrainValue: 9, TestValue: 9},
	}
	if err := db.WriteFolds(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
	// decay = test − train: 1.25 − 2 = −0.75 for fold 0, 0.5 − 1.5 = −1 for fold 1.
	res, err := db.DB().Query(`SELECT fold, symbols, metric, train_value, test_value, test_value - train_value AS decay, params
		FROM walk_forward
		WHERE run_id = 'wf'
		ORDER BY symbols, fold`)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	var got []string
	for res.Next() {
		var fold int64
		var symbols, params any
		var metric string
		var train, test, decay float64
		if err := res.Scan(&fold, &symbols, &metric, &train, &test, &decay, &params); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d %v %s %v %v %v %v", fold, symbols, metric, train, test, decay, params))
	}
	want := []string{"0 [SPY] sharpe 2 1.25 -0.75 map[]", "1 [SPY] sharpe 1.5 0.5 -1 map[]"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("walk-forward question = %q, want %q", got, want)
	}
}

// equityCell is an encoded cell of n equity rows and one metrics row.
func equityCell(t testing.TB, key string, n int) *Encoded {
	t.Helper()
	res := &sim.Result{Days: make([]int32, n), Equity: make([]float64, n), Cash: make([]float64, n), Collateral: make([]float64, n)}
	for i := range n {
		res.Days[i] = int32(i)
	}
	e, err := Encode(CellResult{Cell: testCell(key), Result: res, Metrics: testSummary(), NoTrades: true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestTallyAligned(t *testing.T) {
	const g = RowGroupRows
	for _, tt := range []struct {
		cells   []int // equity rows of each cell
		aligned bool
	}{
		{nil, false},
		{[]int{g - 1}, false},       // under a row group: the write-ahead log
		{[]int{g / 2, g / 2}, true}, // exactly a row group
		{[]int{g, 10}, false},       // a last row group of 10 rows
		{[]int{g, g/2 - 1}, false},  // a last row group under half full
		{[]int{g, g / 2}, true},     // half full (the metrics rows are another table's)
		{[]int{2 * g}, true},
	} {
		var ta Tally
		rows := 0
		for i, n := range tt.cells {
			e := equityCell(t, fmt.Sprintf("c%d", i), n)
			ta.Add(e)
			rows += e.Rows()
			e.Release()
		}
		if ta.Aligned() != tt.aligned || ta.Rows() != rows {
			t.Errorf("cells of %v rows: aligned %v, %d rows; want %v, %d", tt.cells, ta.Aligned(), ta.Rows(), tt.aligned, rows)
		}
		if ta.Reset(); ta.Rows() != 0 || ta.Largest() != 0 {
			t.Errorf("reset tally: %d rows", ta.Rows())
		}
	}
}

package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/internal/duckfile/duckfiletest"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/metrics"
)

func day(y int, m time.Month, d int) int32 {
	return sim.DayOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func openMem(t *testing.T) *DB {
	t.Helper()
	db, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// testResult is a week of a hand-built run: a cash-secured put closed at its
// profit target, a put spread stopped out, and a call still open.
func testResult() *sim.Result {
	spy := func(exp int32, pc byte, k float64) sim.Contract {
		return sim.Contract{Underlying: "SPY", Expiration: exp, PutCall: pc, Strike: k}
	}
	mar15, mar22, apr19 := day(2024, 3, 15), day(2024, 3, 22), day(2024, 4, 19)
	return &sim.Result{
		Days:       []int32{day(2024, 3, 11), day(2024, 3, 12), day(2024, 3, 13), day(2024, 3, 14), day(2024, 3, 15)},
		Equity:     []float64{100000, 100104, 99800, 100300, 100250},
		Cash:       []float64{100000, 100104, 100104, 100300, 100300},
		Collateral: []float64{48000, 49000, 1000, 53000, 53000},
		Trades: []sim.Trade{
			{ID: 0, Position: 1, Symbol: "SPY", Tag: "w1", Phase: "csp",
				Legs:     []sim.Leg{{Contract: spy(mar15, sim.Put, 480), Qty: -1, Price: 1.04}},
				Quantity: 1, Opened: day(2024, 3, 11), Closed: day(2024, 3, 13), Entry: -1.04, Exit: -0.52,
				Gross: 52, Fees: 1.3, Collateral: 48000, Reason: "profit_target", Touches: 2,
				Draws: []fill.Draw{{P: 0.8, U: 0.9, Filled: false}, {P: 0.8, U: 0.35, Filled: true}},
				Info:  sim.Entry{Spot: 510.25, VIX: 14.5, Delta: -0.2, IV: 0.16, IVP: 35, SpreadPct: 0.05, DTE: 4}},
			{ID: 1, Position: 2, Symbol: "SPY", Phase: "spread",
				Legs: []sim.Leg{{Contract: spy(mar22, sim.Put, 470), Qty: -1, Price: 2.1},
					{Contract: spy(mar22, sim.Put, 465), Qty: 1, Price: 1.5}},
				Quantity: 2, Opened: day(2024, 3, 12), Closed: day(2024, 3, 15), Entry: -0.6, Exit: -1.1,
				Gross: -100, Fees: 5.2, Collateral: 1000, Reason: "stop_loss"},
			{ID: 2, Position: 3, Symbol: "SPY", Tag: "w1", Phase: "cc",
				Legs:     []sim.Leg{{Contract: spy(apr19, sim.Call, 530), Qty: -1, Price: 3.25}},
				Quantity: 1, Opened: day(2024, 3, 14), Entry: -3.25, Fees: 0.65, Collateral: 53000, Reason: "open",
				Info: sim.Entry{Spot: 512, IV: math.NaN(), DTE: 36}},
		},
		Events: []sim.BookEvent{
			{Day: day(2024, 3, 11), Position: 1, Kind: sim.EventFilled, Trade: 0, Detail: "csp"},
			{Day: day(2024, 3, 12), Position: 0, Kind: sim.EventRejected, Trade: -1, Detail: "buying power"},
			{Day: day(2024, 3, 13), Position: 1, Kind: sim.EventTakeProfit, Trade: 0, Detail: "touch 2 filled"},
		},
		Notes: []sim.Note{
			{Day: day(2024, 3, 11), Symbol: "SPY", Kind: "enter", Text: "put delta 0.20"},
			{Day: day(2024, 3, 12), Symbol: "SPY", Kind: "skip", Text: "ivp 12 < 20"},
		},
		Orders: 4, Rejected: 1,
	}
}

// testSummary sets every Summary field to a distinct value; some are not
// finite and must be stored as NULL.
func testSummary() metrics.Summary {
	return metrics.Summary{
		Trades: 2, Wins: 1, Losses: 1, WinRate: 0.5,
		GrossPnL: -48, Fees: 6.5, NetPnL: -54.5,
		ROCMean: -0.05, ROCMedian: -0.04, ROCStd: math.NaN(), ROCMin: -0.1052, ROCMax: 0.00105625,
		StartEquity: 100000, EndEquity: 100250, TotalReturn: 0.0025, CAGR: 0.2,
		Sharpe: 1.5, Sortino: math.Inf(1), Calmar: math.Inf(-1),
		MaxDrawdown: 0.003, MaxDrawdownDays: 1,
		MaxDrawdownStart: day(2024, 3, 12), MaxDrawdownTrough: day(2024, 3, 13), MaxDrawdownEnd: day(2024, 3, 14),
		Recovered: true, ProfitFactor: 0.48, Expectancy: -27.25, AvgDaysHeld: 2.5, AvgWin: 50.7, AvgLoss: -105.2,
		ExitReasons: map[string]int{"profit_target": 1, "stop_loss": 1},
	}
}

func testCell(key string) Cell {
	return Cell{Key: key, RunID: "r1", Strategy: "wheel", Symbols: []string{"SPY"},
		From: ymd(2024, 3, 11), To: ymd(2024, 3, 15), Seed: 1<<63 + 5,
		Params:     map[string]string{"min_dte": "3", "delta": "0.2", "roll": "true", "mode": "weekly"},
		ParamTypes: map[string]string{"min_dte": "int", "delta": "float", "roll": "bool"},
	}
}

func write(t *testing.T, db *DB, c Cell, res *sim.Result) {
	t.Helper()
	if err := db.WriteCell(context.Background(), c, res, testSummary()); err != nil {
		t.Fatal(err)
	}
}

// counts returns the rows of cell key in every cell table.
func counts(t *testing.T, db *DB, key string) map[string]int {
	t.Helper()
	out := make(map[string]int)
	for _, table := range cellTables {
		var n int
		if err := db.DB().QueryRow("SELECT count(*) FROM "+table+" WHERE cell_key = ?", key).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func wantCounts(t *testing.T, db *DB, key string, want map[string]int) {
	t.Helper()
	if got := counts(t, db, key); !reflect.DeepEqual(got, want) {
		t.Errorf("rows of %s = %v, want %v", key, got, want)
	}
}

// full is the row count of a cell written from testResult: 1 cell, 1 metrics
// row, 3 trades, 5 equity days, 3 events, 2 notes.
var full = map[string]int{"cells": 1, "cell_metrics": 1, "trades": 3, "equity": 5, "events": 3, "decisions": 2}

var none = map[string]int{"cells": 0, "cell_metrics": 0, "trades": 0, "equity": 0, "events": 0, "decisions": 0}

func TestCellRow(t *testing.T) {
	db := openMem(t)
	write(t, db, testCell("c1"), testResult())
	var (
		run, strategy, symbols, params string
		from, to                       time.Time
		seed                           uint64
		minDTE                         int64
		delta                          float64
		roll                           bool
		mode                           string
	)
	err := db.DB().QueryRow(`SELECT run_id, strategy, symbols::VARCHAR, date_from, date_to, seed, params::VARCHAR,
		p_min_dte, p_delta, p_roll, p_mode FROM cells WHERE cell_key = 'c1'`).
		Scan(&run, &strategy, &symbols, &from, &to, &seed, &params, &minDTE, &delta, &roll, &mode)
	if err != nil {
		t.Fatal(err)
	}
	if run != "r1" || strategy != "wheel" || symbols != "[SPY]" || seed != 1<<63+5 {
		t.Errorf("run, strategy, symbols, seed = %q %q %q %d", run, strategy, symbols, seed)
	}
	if !from.Equal(ymd(2024, 3, 11)) || !to.Equal(ymd(2024, 3, 15)) {
		t.Errorf("dates = %v .. %v", from, to)
	}
	if want := `{"delta":"0.2","min_dte":"3","mode":"weekly","roll":"true"}`; params != want {
		t.Errorf("params = %s, want %s", params, want)
	}
	if minDTE != 3 || delta != 0.2 || !roll || mode != "weekly" {
		t.Errorf("p_ columns = %d %v %v %q", minDTE, delta, roll, mode)
	}
	var n int
	if err := db.DB().QueryRow(`SELECT count(*) FROM cells WHERE p_min_dte = 3 AND p_delta < 0.25 AND p_roll`).Scan(&n); err != nil || n != 1 {
		t.Errorf("typed WHERE found %d cells (%v), want 1", n, err)
	}
	types := map[string]string{}
	rows, err := db.DB().Query(`SELECT column_name, data_type FROM information_schema.columns
		WHERE table_name = 'cells' AND column_name LIKE 'p%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, ty string
		rows.Scan(&c, &ty)
		types[c] = ty
	}
	want := map[string]string{"p_min_dte": "BIGINT", "p_delta": "DOUBLE", "p_roll": "BOOLEAN", "p_mode": "VARCHAR", "params": "JSON"}
	if !reflect.DeepEqual(types, want) {
		t.Errorf("column types = %v, want %v", types, want)
	}
}

func TestMetricsRow(t *testing.T) {
	if n := reflect.TypeFor[metrics.Summary]().NumField(); n != 31 {
		t.Fatalf("metrics.Summary has %d fields, cell_metrics stores 31: add a column", n)
	}
	db := openMem(t)
	write(t, db, testCell("c1"), testResult())
	row := db.DB().QueryRow(`SELECT trades, wins, losses, win_rate, gross_pnl, fees, net_pnl,
		roc_mean, roc_median, roc_std, roc_min, roc_max, start_equity, end_equity, total_return, cagr,
		sharpe, sortino, calmar, max_drawdown, max_drawdown_days, max_drawdown_start, max_drawdown_trough,
		max_drawdown_end, recovered, profit_factor, expectancy, avg_days_held, avg_win, avg_loss,
		exit_reasons::VARCHAR, open_trades, orders, rejected_orders FROM cell_metrics WHERE cell_key = 'c1'`)
	var (
		ints                     [4]int64 // trades, wins, losses, max_drawdown_days
		f                        [23]sql.NullFloat64
		start, trough, end       time.Time
		recovered                bool
		reasons                  string
		open, orders, rejections int64
	)
	err := row.Scan(&ints[0], &ints[1], &ints[2], &f[0], &f[1], &f[2], &f[3],
		&f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10], &f[11], &f[12],
		&f[13], &f[14], &f[15], &f[16], &ints[3], &start, &trough,
		&end, &recovered, &f[17], &f[18], &f[19], &f[20], &f[21],
		&reasons, &open, &orders, &rejections)
	if err != nil {
		t.Fatal(err)
	}
	if ints != [4]int64{2, 1, 1, 1} {
		t.Errorf("trades, wins, losses, drawdown days = %v", ints)
	}
	// ROCStd is NaN, Sortino +Inf and Calmar -Inf: NULL. The rest as set.
	null := math.NaN()
	want := []float64{0.5, -48, 6.5, -54.5, -0.05, -0.04, null, -0.1052, 0.00105625,
		100000, 100250, 0.0025, 0.2, 1.5, null, null, 0.003, 0.48, -27.25, 2.5, 50.7, -105.2}
	for i, w := range want {
		if math.IsNaN(w) {
			if f[i].Valid {
				t.Errorf("column %d = %v, want NULL", i, f[i].Float64)
			}
		} else if !f[i].Valid || f[i].Float64 != w {
			t.Errorf("column %d = %v, want %v", i, f[i], w)
		}
	}
	if !start.Equal(ymd(2024, 3, 12)) || !trough.Equal(ymd(2024, 3, 13)) || !end.Equal(ymd(2024, 3, 14)) || !recovered {
		t.Errorf("drawdown dates %v %v %v recovered %v", start, trough, end, recovered)
	}
	if reasons != `{"profit_target":1,"stop_loss":1}` {
		t.Errorf("exit_reasons = %s", reasons)
	}
	// One trade of three has Closed == 0; the result says 4 orders, 1 rejected.
	if open != 1 || orders != 4 || rejections != 1 {
		t.Errorf("open, orders, rejected = %d %d %d, want 1 4 1", open, orders, rejections)
	}
}

// tradeRow is a row of trades as the tests read it back.
type tradeRow struct {
	id, pos                  int64
	symbol, tag, phase, legs string
	legsJSON                 string
	qty                      int64
	opened                   time.Time
	closed                   sql.NullTime
	daysHeld                 sql.NullInt64
	entry                    float64
	exit                     sql.NullFloat64
	gross, fees, net, coll   float64
	roc                      sql.NullFloat64
	reason                   string
	touches                  int64
	draws                    string
	spot, vix, delta         float64
	iv                       sql.NullFloat64
	ivp, spread              float64
	dte                      int64
}

// wantTradeRows is testResult's trades as rows, worked out by hand.
func wantTradeRows() []tradeRow {
	null := sql.NullFloat64{}
	valid := func(x float64) sql.NullFloat64 { return sql.NullFloat64{Float64: x, Valid: true} }
	gross0, fees0 := 52.0, 1.3 // variables: computed in float64 as WriteCell does, not as exact constants
	want := []tradeRow{
		// net = 52 − 1.3 = 50.7; roc = 50.7 / 48000 = 0.00105625; held 13 − 11 = 2 days.
		{id: 0, pos: 1, symbol: "SPY", tag: "w1", phase: "csp", legs: "-1 SPY 2024-03-15 P 480 @1.04",
			legsJSON: `[{"underlying":"SPY","expiration":"2024-03-15","put_call":"P","strike":480,"qty":-1,"price":1.04}]`,
			qty:      1, opened: ymd(2024, 3, 11), closed: sql.NullTime{Time: ymd(2024, 3, 13), Valid: true},
			daysHeld: sql.NullInt64{Int64: 2, Valid: true}, entry: -1.04, exit: valid(-0.52),
			gross: 52, fees: 1.3, net: 50.7, coll: 48000, roc: valid((gross0 - fees0) / 48000), reason: "profit_target", touches: 2,
			draws: `[{"p":0.8,"u":0.9,"filled":false},{"p":0.8,"u":0.35,"filled":true}]`,
			spot:  510.25, vix: 14.5, delta: -0.2, iv: valid(0.16), ivp: 35, spread: 0.05, dte: 4},
		// net = −100 − 5.2 = −105.2; roc = −105.2 / 1000 = −0.1052; held 15 − 12 = 3 days.
		{id: 1, pos: 2, symbol: "SPY", phase: "spread", legs: "-1 SPY 2024-03-22 P 470 @2.1; 1 SPY 2024-03-22 P 465 @1.5",
			legsJSON: `[{"underlying":"SPY","expiration":"2024-03-22","put_call":"P","strike":470,"qty":-1,"price":2.1},` +
				`{"underlying":"SPY","expiration":"2024-03-22","put_call":"P","strike":465,"qty":1,"price":1.5}]`,
			qty: 2, opened: ymd(2024, 3, 12), closed: sql.NullTime{Time: ymd(2024, 3, 15), Valid: true},
			daysHeld: sql.NullInt64{Int64: 3, Valid: true}, entry: -0.6, exit: valid(-1.1),
			gross: -100, fees: 5.2, net: -105.2, coll: 1000, roc: valid(-0.1052), reason: "stop_loss", draws: `[]`,
			iv: valid(0)},
		// Open: no close date, days held, exit price or roc; net = 0 − 0.65; IV NaN is NULL.
		{id: 2, pos: 3, symbol: "SPY", tag: "w1", phase: "cc", legs: "-1 SPY 2024-04-19 C 530 @3.25",
			legsJSON: `[{"underlying":"SPY","expiration":"2024-04-19","put_call":"C","strike":530,"qty":-1,"price":3.25}]`,
			qty:      1, opened: ymd(2024, 3, 14), entry: -3.25, exit: null, fees: 0.65, net: -0.65, coll: 53000,
			reason: "open", draws: `[]`, spot: 512, iv: null, dte: 36},
	}
	return want
}

func TestTradeRows(t *testing.T) {
	db := openMem(t)
	write(t, db, testCell("c1"), testResult())
	rows, err := db.DB().Query(`SELECT trade_id, position_id, symbol, tag, phase, legs, legs_json::VARCHAR,
		quantity, opened, closed, days_held, entry, exit_price, gross, fees, net, collateral, roc,
		exit_reason, touches, draws::VARCHAR, entry_spot, entry_vix, entry_delta, entry_iv, entry_ivp,
		entry_spread_pct, entry_dte FROM trades WHERE cell_key = 'c1' ORDER BY trade_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []tradeRow
	for rows.Next() {
		var r tradeRow
		err := rows.Scan(&r.id, &r.pos, &r.symbol, &r.tag, &r.phase, &r.legs, &r.legsJSON, &r.qty, &r.opened,
			&r.closed, &r.daysHeld, &r.entry, &r.exit, &r.gross, &r.fees, &r.net, &r.coll, &r.roc, &r.reason,
			&r.touches, &r.draws, &r.spot, &r.vix, &r.delta, &r.iv, &r.ivp, &r.spread, &r.dte)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if len(got) != 3 {
		t.Fatalf("%d trades, want 3", len(got))
	}
	want := wantTradeRows()
	for i := range want {
		g, w := got[i], want[i]
		// Compare times by instant; the driver may return another location.
		if g.opened.Equal(w.opened) {
			g.opened = w.opened
		}
		if g.closed.Valid && g.closed.Time.Equal(w.closed.Time) {
			g.closed.Time = w.closed.Time
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("trade %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestEquityEventsDecisions(t *testing.T) {
	db := openMem(t)
	write(t, db, testCell("c1"), testResult())
	rows, err := db.DB().Query(`SELECT trade_date, equity, cash, collateral, drawdown FROM equity
		WHERE cell_key = 'c1' ORDER BY trade_date`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	// Running peaks 100000, 100104, 100104, 100300, 100300, so drawdown = 1 − equity/peak is
	// 0, 0, 304/100104, 0, 50/100300.
	wantDD := []float64{0, 0, 304.0 / 100104, 0, 50.0 / 100300}
	res := testResult()
	i := 0
	for ; rows.Next(); i++ {
		var d time.Time
		var eq, cash, coll, dd float64
		if err := rows.Scan(&d, &eq, &cash, &coll, &dd); err != nil {
			t.Fatal(err)
		}
		if !d.Equal(sim.DayTime(res.Days[i])) || eq != res.Equity[i] || cash != res.Cash[i] || coll != res.Collateral[i] {
			t.Errorf("equity row %d = %v %v %v %v", i, d, eq, cash, coll)
		}
		if math.Abs(dd-wantDD[i]) > 1e-15 {
			t.Errorf("drawdown %d = %v, want %v", i, dd, wantDD[i])
		}
	}
	if i != 5 {
		t.Errorf("%d equity rows, want 5", i)
	}

	var got []string
	rows, err = db.DB().Query(`SELECT strftime(trade_date, '%m-%d') || ' ' || position_id || ' ' || kind || ' ' ||
		coalesce(trade_id::VARCHAR, 'NULL') || ' ' || detail FROM events WHERE cell_key = 'c1' ORDER BY trade_date`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	rows, err = db.DB().Query(`SELECT strftime(trade_date, '%m-%d') || ' ' || symbol || ' ' || kind || ' ' || message
		FROM decisions WHERE cell_key = 'c1' ORDER BY trade_date`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	want := []string{
		"03-11 1 filled 0 csp", "03-12 0 rejected NULL buying power", "03-13 1 profit_target 0 touch 2 filled",
		"03-11 SPY enter put delta 0.20", "03-12 SPY skip ivp 12 < 20",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events and decisions:\n got %q\nwant %q", got, want)
	}
}

func TestHasCellAndRewrite(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	if ok, err := db.HasCell(ctx, "c1"); ok || err != nil {
		t.Fatalf("HasCell before writing = %v, %v", ok, err)
	}
	write(t, db, testCell("c1"), testResult())
	write(t, db, testCell("c2"), testResult())
	if ok, err := db.HasCell(ctx, "c1"); !ok || err != nil {
		t.Fatalf("HasCell after writing = %v, %v", ok, err)
	}
	// Rewrite c1 with one trade, two days and no events or notes: replaced, not added to.
	res := testResult()
	res.Trades, res.Events, res.Notes = res.Trades[:1], nil, nil
	res.Equity, res.Cash, res.Collateral = res.Equity[:2], res.Cash[:2], res.Collateral[:2]
	write(t, db, testCell("c1"), res)
	wantCounts(t, db, "c1", map[string]int{"cells": 1, "cell_metrics": 1, "trades": 1, "equity": 2, "events": 0, "decisions": 0})
	wantCounts(t, db, "c2", full)
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	steps := []string{"delete", "cells", "run_cells", "cell_metrics", "trades", "equity", "events", "decisions"}
	for _, step := range steps {
		for _, cancel := range []bool{false, true} {
			name := step + "/error"
			if cancel {
				name = step + "/cancel"
			}
			t.Run(name, func(t *testing.T) {
				db := openMem(t)
				write(t, db, testCell("old"), testResult())
				// A rewrite of "old" that fails must leave the old rows; a new cell, nothing.
				for _, key := range []string{"old", "new"} {
					ctx, stop := context.WithCancel(context.Background())
					defer stop()
					boom := errors.New("injected")
					db.failAt = func(s string) error {
						if s != step {
							return nil
						}
						if cancel {
							stop()
							return nil
						}
						return boom
					}
					err := db.WriteCell(ctx, testCell(key), testResult(), testSummary())
					if err == nil {
						t.Fatalf("%s: no error", key)
					}
					if !cancel && !errors.Is(err, boom) || cancel && !errors.Is(err, context.Canceled) {
						t.Errorf("%s: error %v", key, err)
					}
				}
				db.failAt = nil
				wantCounts(t, db, "old", full)
				wantCounts(t, db, "new", none)
				// The connection is usable: the next write commits.
				write(t, db, testCell("new"), testResult())
				wantCounts(t, db, "new", full)
			})
		}
	}
}

func TestParams(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	write(t, db, testCell("c1"), testResult())
	// A second cell brings a new parameter and gives delta as an int: it goes into
	// the DOUBLE column p_delta that exists.
	c := testCell("c2")
	c.Params = map[string]string{"delta": "1", "Take-Profit": "0.5"}
	c.ParamTypes = map[string]string{"delta": "int", "Take-Profit": "float"}
	write(t, db, c, testResult())
	rows, err := db.DB().Query(`SELECT cell_key, p_delta, p_take_profit, p_min_dte FROM cells ORDER BY cell_key`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var key string
		var delta, tp sql.NullFloat64
		var dte sql.NullInt64
		rows.Scan(&key, &delta, &tp, &dte)
		got = append(got, strings.Join([]string{key, fmtNull(delta), fmtNull(tp), fmtNullInt(dte)}, " "))
	}
	if want := []string{"c1 0.2 NULL 3", "c2 1 0.5 NULL"}; !reflect.DeepEqual(got, want) {
		t.Errorf("params = %q, want %q", got, want)
	}

	bad := []struct {
		name   string
		params map[string]string
		types  map[string]string
	}{
		{"not an int", map[string]string{"min_dte": "3.5"}, map[string]string{"min_dte": "int"}},
		{"not a bool", map[string]string{"roll": "maybe"}, map[string]string{"roll": "bool"}},
		{"not a float", map[string]string{"x": "abc"}, map[string]string{"x": "float"}},
		{"column clash", map[string]string{"a-b": "1", "a_b": "2"}, nil},
		{"empty name", map[string]string{"": "1"}, nil},
		// Valid text, but p_min_dte is BIGINT here: the cast fails inside the transaction.
		{"column type", map[string]string{"min_dte": "soon"}, nil},
	}
	for _, tc := range bad {
		c := testCell("bad")
		c.Params, c.ParamTypes = tc.params, tc.types
		if err := db.WriteCell(ctx, c, testResult(), testSummary()); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
		wantCounts(t, db, "bad", none)
	}
}

func fmtNull(x sql.NullFloat64) string {
	if !x.Valid {
		return "NULL"
	}
	return fmtFloat(x.Float64)
}

func fmtNullInt(x sql.NullInt64) string {
	if !x.Valid {
		return "NULL"
	}
	return fmtFloat(float64(x.Int64))
}

func TestParamColumn(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"min_dte", "p_min_dte"}, {"Take-Profit", "p_take_profit"}, {"delta.put", "p_delta_put"}, {"x9", "p_x9"},
	} {
		if got := ParamColumn(tc.in); got != tc.want {
			t.Errorf("ParamColumn(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"float", "DOUBLE"}, {"float64", "DOUBLE"}, {"int", "BIGINT"}, {"INT", "BIGINT"}, {"bool", "BOOLEAN"},
		{"string", "VARCHAR"}, {"", "VARCHAR"}, {"duration", "VARCHAR"},
	} {
		if got := ParamSQLType(tc.in); got != tc.want {
			t.Errorf("ParamSQLType(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLegsString(t *testing.T) {
	for _, tc := range []struct {
		tr   sim.Trade
		want string
	}{
		{sim.Trade{Phase: "stock", Symbol: "SPY", Quantity: 100, Entry: 480.5}, "100 SPY shares @480.5"},
		{sim.Trade{Phase: "csp"}, ""},
		{sim.Trade{Legs: []sim.Leg{{Contract: sim.Contract{Underlying: "SPX", Expiration: day(2024, 1, 19),
			PutCall: sim.Call, Strike: 4752.5}, Qty: 2, Price: 0.05}}}, "2 SPX 2024-01-19 C 4752.5 @0.05"},
	} {
		if got := LegsString(&tc.tr); got != tc.want {
			t.Errorf("LegsString = %q, want %q", got, tc.want)
		}
	}
}

func TestRuns(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	start := time.Date(2025, 6, 1, 9, 30, 0, 0, time.UTC)
	r := Run{ID: "r1", Kind: "sweep", Name: "grid", Config: "a: 1", EngineVersion: "v1",
		DataFingerprint: "fp", MarketDB: "data/market.duckdb", Started: start}
	if err := db.BeginRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, "r1", start.Add(time.Hour), StatusFailed); err != nil {
		t.Fatal(err)
	}
	// Resume: the original start and config stay; status is running again.
	r2 := r
	r2.Config, r2.Started = "a: 2", start.Add(2*time.Hour)
	if err := db.BeginRun(ctx, r2); err != nil {
		t.Fatal(err)
	}
	var config, status string
	var started time.Time
	var finished sql.NullTime
	q := `SELECT config, started_at, finished_at, status FROM runs WHERE run_id = 'r1'`
	if err := db.DB().QueryRow(q).Scan(&config, &started, &finished, &status); err != nil {
		t.Fatal(err)
	}
	if config != "a: 1" || !started.Equal(start) || finished.Valid || status != StatusRunning {
		t.Errorf("resumed run = %q %v %v %q", config, started, finished, status)
	}
	if err := db.FinishRun(ctx, "r1", start.Add(3*time.Hour), StatusDone); err != nil {
		t.Fatal(err)
	}
	if err := db.DB().QueryRow(q).Scan(&config, &started, &finished, &status); err != nil {
		t.Fatal(err)
	}
	if !finished.Valid || !finished.Time.Equal(start.Add(3*time.Hour)) || status != StatusDone {
		t.Errorf("finished run = %v %q", finished, status)
	}
	if err := db.FinishRun(ctx, "nope", start, StatusDone); err == nil {
		t.Error("FinishRun of an unknown run: no error")
	}
}

func TestReopenAndReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "results.duckdb")
	ctx := context.Background()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	write(t, db, testCell("c1"), testResult())
	db.Close()

	// Reopened: the p_ columns are found, not added again.
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	write(t, db, testCell("c2"), testResult())
	db.Close()

	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if ok, err := ro.HasCell(ctx, "c2"); !ok || err != nil {
		t.Errorf("read-only HasCell = %v, %v", ok, err)
	}
	if err := ro.WriteCell(ctx, testCell("c3"), testResult(), testSummary()); err == nil {
		t.Error("read-only WriteCell: no error")
	}
	c := testCell("c3")
	c.Params = map[string]string{"fresh": "1"}
	if err := ro.WriteCell(ctx, c, testResult(), testSummary()); err == nil {
		t.Error("read-only WriteCell adding a column: no error")
	}
	if err := ro.BeginRun(ctx, Run{ID: "r9", Kind: "backtest", Started: time.Now()}); err == nil {
		t.Error("read-only BeginRun: no error")
	}
	var n int
	if err := ro.DB().QueryRow(`SELECT count(*) FROM cells`).Scan(&n); err != nil || n != 2 {
		t.Errorf("cells = %d (%v), want 2", n, err)
	}
	if _, err := OpenReadOnly(filepath.Join(t.TempDir(), "missing.duckdb")); err == nil {
		t.Error("OpenReadOnly of a missing file: no error")
	}
}

// TestNoReservedColumns checks that no table or column name is a reserved SQL
// keyword, so queries never need quotes.
func TestNoReservedColumns(t *testing.T) {
	db := openMem(t)
	write(t, db, testCell("c1"), testResult())
	rows, err := db.DB().Query(`SELECT table_name || '.' || column_name FROM duckdb_columns()
		WHERE NOT internal AND column_name IN (SELECT keyword_name FROM duckdb_keywords()
			WHERE keyword_category = 'reserved')
		UNION ALL SELECT table_name FROM duckdb_tables()
		WHERE table_name IN (SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		rows.Scan(&s)
		t.Errorf("%s is a reserved keyword", s)
	}
}

func TestBadInput(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	short := testResult()
	short.Cash = short.Cash[:4]
	for name, err := range map[string]error{
		"empty key":    db.WriteCell(ctx, Cell{}, testResult(), testSummary()),
		"nil result":   db.WriteCell(ctx, testCell("x"), nil, testSummary()),
		"short cash":   db.WriteCell(ctx, testCell("x"), short, testSummary()),
		"empty run id": db.BeginRun(ctx, Run{}),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	wantCounts(t, db, "x", none)
}

// TestDocQueries runs the example questions of the package documentation.
func TestDocQueries(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	for key, sharpe := range map[string]float64{"c1": 1.5, "c2": 2, "c3": math.NaN()} {
		m := testSummary()
		m.Sharpe = sharpe
		if err := db.WriteCell(ctx, testCell(key), testResult(), m); err != nil {
			t.Fatal(err)
		}
	}
	// c3's NaN Sharpe is NULL and left out; c2 (2) ranks above c1 (1.5).
	got := queryStrings(t, db, `SELECT c.cell_key || ' ' || m.sharpe
		FROM run_cells r JOIN cells c USING (cell_key) JOIN cell_metrics m USING (cell_key)
		WHERE r.run_id = 'r1' AND m.sharpe IS NOT NULL
		ORDER BY m.sharpe DESC
		LIMIT 10`)
	if want := []string{"c2 2.0", "c1 1.5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("best by Sharpe = %q, want %q", got, want)
	}
	// Three cells with min_dte = 3, each with one profit target (net 50.7) and one
	// stop (net −105.2): 3 × 50.7 = 152.1 and 3 × −105.2 = −315.6. The open trade is left out.
	got = queryStrings(t, db, `SELECT t.exit_reason || ' ' || count(*) || ' ' || round(sum(t.net), 6)
		FROM trades t JOIN cells c USING (cell_key)
		WHERE t.closed IS NOT NULL AND c.p_min_dte = 3
		GROUP BY t.exit_reason
		ORDER BY sum(t.net) DESC`)
	if want := []string{"profit_target 3 152.1", "stop_loss 3 -315.6"}; !reflect.DeepEqual(got, want) {
		t.Errorf("P&L by exit reason = %q, want %q", got, want)
	}
}

func queryStrings(t *testing.T, db *DB, q string) []string {
	t.Helper()
	rows, err := db.DB().Query(q)
	if err != nil {
		t.Fatal(err)
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
	return out
}

// TestConcurrentWrites writes cells from several goroutines, each adding its own
// parameter column, as a sweep's workers do.
func TestConcurrentWrites(t *testing.T) {
	db := openMem(t)
	const workers, each = 4, 5
	errs := make(chan error, workers*each)
	for w := range workers {
		go func() {
			for i := range each {
				c := testCell(fmt.Sprintf("w%d/%d", w, i))
				c.Params[fmt.Sprintf("extra_%d", w)] = fmt.Sprint(i)
				errs <- db.WriteCell(context.Background(), c, testResult(), testSummary())
			}
		}()
	}
	for range workers * each {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	// 20 cells of 3 trades; worker 2's column holds 0..4, summing to 10.
	var cells, trades, sum int
	err := db.DB().QueryRow(`SELECT (SELECT count(*) FROM cells), (SELECT count(*) FROM trades),
		(SELECT sum(p_extra_2::BIGINT) FROM cells)`).Scan(&cells, &trades, &sum)
	if err != nil {
		t.Fatal(err)
	}
	if cells != 20 || trades != 60 || sum != 10 {
		t.Errorf("cells, trades, sum = %d %d %d, want 20 60 10", cells, trades, sum)
	}
}

func TestLimitThreads(t *testing.T) {
	db := openMem(t)
	threads := func() int { return duckfiletest.Threads(t, db.db) }
	all := threads()
	if err := db.LimitThreads(1); err != nil || threads() != 1 {
		t.Fatalf("LimitThreads(1): %v, %d threads", err, threads())
	}
	if err := db.LimitThreads(0); err != nil || threads() != all {
		t.Fatalf("LimitThreads(0): %v, %d threads, want %d", err, threads(), all)
	}
}

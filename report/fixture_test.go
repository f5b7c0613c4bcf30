package report

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/metrics"
	"github.com/optsweep/sweep/sweep/cell"
	"github.com/optsweep/sweep/sweep/results"
)

func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
func dayOf(t time.Time) int32                  { return int32(t.Unix() / 86400) }

// goldenResult is the hand-worked backtest: equity 100,000 → 110,000 →
// 99,000 → 108,900 → 119,790 on 2024-01-02, 01-03, 01-31, 02-01 and 02-29,
// daily returns +10%, −10%, +10%, +10%; three closed trades and one open.
func goldenResult() *sim.Result {
	days := []int32{dayOf(ymd(2024, 1, 2)), dayOf(ymd(2024, 1, 3)), dayOf(ymd(2024, 1, 31)),
		dayOf(ymd(2024, 2, 1)), dayOf(ymd(2024, 2, 29))}
	eq := []float64{100000, 110000, 99000, 108900, 119790}
	tr := func(id int, sym, phase, reason string, opened, closed int32, gross, fees float64) sim.Trade {
		return sim.Trade{ID: id, Position: int64(id + 1), Symbol: sym, Phase: phase, Quantity: 1,
			Legs:   []sim.Leg{{Contract: sim.Contract{Underlying: sym, Expiration: days[4], PutCall: sim.Put, Strike: 100}, Qty: -1, Price: 1}},
			Opened: opened, Closed: closed, Gross: gross, Fees: fees, Collateral: 10000, Reason: reason}
	}
	return &sim.Result{Days: days, Equity: eq, Cash: eq, Collateral: make([]float64, 5),
		Trades: []sim.Trade{
			tr(0, "SPY", "csp", "profit_target", days[0], days[1], 502, 2), // net +500, 1 day
			tr(1, "SPY", "cc", "stop_loss", days[1], days[2], -198, 2),     // net −200, 28 days
			tr(2, "QQQ", "csp", "profit_target", days[2], days[3], 101, 1), // net +100, 1 day
			tr(3, "QQQ", "stock", "open", days[3], 0, 0, 0.65),             // still open
		}}
}

// writeCell writes one cell with res and its metrics (or m when given) into
// run, creating the run.
func writeCell(t testing.TB, db *results.DB, run, kind string, c results.Cell, res *sim.Result, m *metrics.Summary) {
	t.Helper()
	ctx := context.Background()
	if err := db.BeginRun(ctx, results.Run{ID: run, Kind: kind, Name: run, Config: "strategy=test\n",
		EngineVersion: sim.Version, DataFingerprint: "f00d", MarketDB: "market.duckdb", Started: ymd(2026, 1, 2)}); err != nil {
		t.Fatal(err)
	}
	if m == nil {
		s, err := cell.Metrics(res)
		if err != nil {
			t.Fatal(err)
		}
		m = &s
	}
	c.RunID = run
	if err := db.WriteCell(ctx, c, res, *m); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, run, ymd(2026, 1, 2), results.StatusDone); err != nil {
		t.Fatal(err)
	}
}

// openFixture creates a results DB in a temporary directory with fill and
// reopens it read-only.
func openFixture(t testing.TB, fill func(db *results.DB)) *results.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "results.duckdb")
	db, err := results.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	fill(db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := results.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	return ro
}

// walk is a deterministic equity curve of n trading days from 2023-01-02 with
// drift mu and volatility sd per day, and trades to match.
func walk(seed uint64, n int, mu, sd float64, symbol string) *sim.Result {
	r := rand.New(rand.NewPCG(seed, 7))
	res := &sim.Result{}
	d, e := ymd(2023, 1, 2), 1e6
	for len(res.Days) < n {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			res.Days = append(res.Days, dayOf(d))
			res.Equity = append(res.Equity, e)
			e *= 1 + mu + sd*r.NormFloat64()
		}
		d = d.AddDate(0, 0, 1)
	}
	res.Cash, res.Collateral = res.Equity, make([]float64, n)
	reasons := []string{"profit_target", "profit_target", "stop_loss", "time_stop", "expired"}
	phases := []string{"csp", "csp", "cc", "stock"}
	for i := 0; i+5 < n; i += 3 {
		g := 400*r.NormFloat64() + 80
		res.Trades = append(res.Trades, sim.Trade{ID: len(res.Trades), Position: int64(i), Symbol: symbol,
			Phase: phases[i%4], Quantity: 1, Opened: res.Days[i], Closed: res.Days[i+5], Gross: g, Fees: 1.3,
			Collateral: 40000, Reason: reasons[r.IntN(len(reasons))],
			Legs: []sim.Leg{{Contract: sim.Contract{Underlying: symbol, Expiration: res.Days[i+5], PutCall: sim.Put, Strike: 400}, Qty: -1, Price: 2}}})
	}
	return res
}

// gridCell is cell (a, b, c) of a 3-parameter sweep over symbol.
func gridCell(key, symbol string, a, b, c float64) results.Cell {
	return results.Cell{Key: key, Strategy: "wheel", Symbols: []string{symbol},
		From: ymd(2023, 1, 2), To: ymd(2023, 12, 29), Seed: 42,
		Params:     map[string]string{"delta": fmt.Sprint(a), "dte": fmt.Sprint(b), "exit": fmt.Sprint(c), "mode": "fixed"},
		ParamTypes: map[string]string{"delta": "float", "dte": "int", "exit": "float"}}
}

// surface is a smooth Sharpe surface over the grid with its peak at (0.25, 35, 0.5).
func surface(a, b, c float64) float64 {
	return 2 - 40*(a-0.25)*(a-0.25) - 0.002*(b-35)*(b-35) - (c-0.5)*(c-0.5)
}

// fillSweep writes a sweep run of n×n×n cells with metrics from surface,
// each with a short equity curve, and walk-forward folds.
func fillSweep(t testing.TB, db *results.DB, run, symbol string, n, days int) {
	t.Helper()
	ctx := context.Background()
	if err := db.BeginRun(ctx, results.Run{ID: run, Kind: "sweep", Name: run, Config: "name: test\n",
		EngineVersion: sim.Version, DataFingerprint: "f00d", Started: ymd(2026, 1, 2)}); err != nil {
		t.Fatal(err)
	}
	var batch []results.CellResult
	k := 0
	for i := range n {
		for j := range n {
			for l := range n {
				a, b, c := float64(10+5*i)/100, float64(20+5*j), float64(25+25*l)/100
				res := walk(uint64(k), days, 0.0004, 0.01, symbol)
				m, err := cell.Metrics(res)
				if err != nil {
					t.Fatal(err)
				}
				m.Sharpe = surface(a, b, c)
				c0 := gridCell(fmt.Sprintf("%s-%04d-%052d", run, k, 0), symbol, a, b, c)
				c0.RunID = run
				batch = append(batch, results.CellResult{Cell: c0, Result: res, Metrics: m})
				k++
			}
		}
	}
	for lo := 0; lo < len(batch); lo += 100 {
		if err := db.WriteCells(ctx, batch[lo:min(lo+100, len(batch))]); err != nil {
			t.Fatal(err)
		}
	}
	folds := []results.FoldRow{}
	for f := range time.Month(3) {
		folds = append(folds, results.FoldRow{RunID: run, Fold: int(f), Symbols: []string{symbol},
			TrainFrom: ymd(2023, 1+3*f, 1), TrainTo: ymd(2023, 3+3*f, 28), TestFrom: ymd(2023, 4+3*f, 1), TestTo: ymd(2023, 6+3*f, 28),
			Metric: "sharpe", Goal: "max", TrainCellKey: batch[f].Cell.Key, TrainValue: 2 - 0.1*float64(f),
			TestCellKey: batch[f].Cell.Key, TestValue: 1 - 0.5*float64(f), Params: map[string]string{"delta": "0.25"}})
	}
	if err := db.WriteFolds(ctx, folds); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, run, ymd(2026, 1, 2), results.StatusDone); err != nil {
		t.Fatal(err)
	}
}

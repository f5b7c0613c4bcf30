package results

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
)

// benchResult is a cell of a two-year backtest: 500 trading days, 50 put
// spreads and 100 book events.
func benchResult() *sim.Result {
	const days, trades, events = 500, 50, 100
	d0 := day(2023, 1, 3)
	res := &sim.Result{
		Days: make([]int32, days), Equity: make([]float64, days), Cash: make([]float64, days),
		Collateral: make([]float64, days), Trades: make([]sim.Trade, trades), Events: make([]sim.BookEvent, events),
		Orders: 2 * trades,
	}
	for i := range days {
		res.Days[i] = d0 + int32(i*7/5)
		res.Equity[i] = 100000 + float64(i%37)*13.5 - float64(i%11)*40
		res.Cash[i] = res.Equity[i] + 500
		res.Collateral[i] = 5000
	}
	for i := range trades {
		opened := res.Days[i*days/trades]
		exp := opened + 30
		put := func(k float64) sim.Contract {
			return sim.Contract{Underlying: "SPY", Expiration: exp, PutCall: sim.Put, Strike: k}
		}
		res.Trades[i] = sim.Trade{ID: i, Position: int64(i + 1), Symbol: "SPY", Phase: "spread",
			Legs:     []sim.Leg{{Contract: put(450), Qty: -1, Price: 2.1}, {Contract: put(445), Qty: 1, Price: 1.5}},
			Quantity: 1, Opened: opened, Closed: opened + 9, Entry: -0.6, Exit: -0.3, Gross: 30, Fees: 2.6,
			Collateral: 500, Reason: "profit_target", Info: sim.Entry{Spot: 470, VIX: 15, Delta: -0.2, IV: 0.17, DTE: 30}}
	}
	for i := range events {
		res.Events[i] = sim.BookEvent{Day: res.Days[i*days/events], Position: int64(i/2 + 1), Kind: sim.EventFilled,
			Trade: i / 2, Detail: "spread"}
	}
	return res
}

// BenchmarkWriteCells writes cells to a results file in batches of 1 and of 32.
// One op is one cell: ns/op is the time per cell.
func BenchmarkWriteCells(b *testing.B) {
	res, m := benchResult(), testSummary()
	for _, size := range []int{1, 32} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			db, err := Open(filepath.Join(b.TempDir(), "results.duckdb"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			batch := make([]CellResult, size)
			b.ResetTimer()
			for i := 0; i < b.N; i += size {
				n := min(size, b.N-i)
				for j := range n {
					batch[j] = CellResult{Cell: testCell(fmt.Sprintf("cell-%d", i+j)), Result: res, Metrics: m}
				}
				if err := db.WriteCells(ctx, batch[:n]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPartWrite writes parts of 32 cells. One op is one cell.
func BenchmarkPartWrite(b *testing.B) {
	const size = 32
	res, m := benchResult(), testSummary()
	w, err := NewPartWriter(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	run := Run{ID: "r1", Kind: "sweep", Started: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	batch := make([]CellResult, size)
	b.ResetTimer()
	for i := 0; i < b.N; i += size {
		n := min(size, b.N-i)
		for j := range n {
			batch[j] = CellResult{Cell: testCell(fmt.Sprintf("cell-%d", i+j)), Result: res, Metrics: m}
		}
		if err := w.Write(ctx, run, batch[:n]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRowGroupInserts shows why a batch is cut where its largest table
// fills DuckDB's row groups (Tally.Aligned): four transactions each insert one
// row group plus a part of one into trades, then a CHECKPOINT writes what they
// left in the write-ahead log. A last row group under half full is written
// again by the checkpoint; at least half full, it is not. One op is the four
// inserts and the checkpoint; checkpoint-ms/op is the checkpoint's part.
func BenchmarkRowGroupInserts(b *testing.B) {
	for _, part := range []int{10_000, 40_000, 65_000, 110_000} {
		b.Run(fmt.Sprintf("last=%d", part), func(b *testing.B) {
			var ckpt time.Duration
			for b.Loop() {
				b.StopTimer()
				db, err := Open(filepath.Join(b.TempDir(), "results.duckdb"))
				if err != nil {
					b.Fatal(err)
				}
				n := RowGroupRows + part
				for _, q := range []string{
					`CREATE TABLE src AS SELECT * FROM trades LIMIT 0`,
					fmt.Sprintf(`INSERT INTO src BY NAME SELECT 'cell-' || (i // 1000) AS cell_key, i AS trade_id,
						i // 2 AS position_id, 'SPY' AS symbol, 'csp' AS phase,
						'-1 SPY 2024-03-15 P ' || (400 + i %% 50) AS legs, 1 AS quantity,
						DATE '2023-01-03' + (i %% 500)::INTEGER AS opened, DATE '2023-01-03' + (i %% 500 + 9)::INTEGER AS closed,
						9 AS days_held, 2.1 + (i %% 7) * 0.01 AS entry, 1.05 AS exit_price, 105.0 - (i %% 13) AS gross,
						1.3 AS fees, 103.7 - (i %% 13) AS net, 40000.0 AS collateral, 0.0026 AS roc,
						'profit_target' AS exit_reason, 470.0 + (i %% 90) * 0.5 AS entry_spot, -0.2 AS entry_delta,
						30 AS entry_dte FROM range(%d) t(i)`, n),
					`CHECKPOINT`,
				} {
					if _, err := db.db.Exec(q); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				for range 4 {
					if _, err := db.db.Exec(`INSERT INTO trades SELECT * FROM src`); err != nil {
						b.Fatal(err)
					}
				}
				t0 := time.Now()
				if _, err := db.db.Exec(`CHECKPOINT`); err != nil {
					b.Fatal(err)
				}
				ckpt += time.Since(t0)
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(ckpt.Milliseconds())/float64(b.N), "checkpoint-ms/op")
		})
	}
}

// BenchmarkEncode encodes a wheel cell of the 1,000-cell grid's size (502
// equity rows, 1,000 one-leg trades with a fill draw each, 100 events) into
// its record batches, as a worker does for each finished cell.
func BenchmarkEncode(b *testing.B) {
	res := benchResult()
	base := res.Trades[0]
	res.Trades = make([]sim.Trade, 1000)
	for i := range res.Trades {
		t := base
		t.ID, t.Position = i, int64(i+1)
		t.Legs = []sim.Leg{{Contract: sim.Contract{Underlying: "SPY", Expiration: base.Opened + 30, PutCall: sim.Put,
			Strike: 440 + float64(i%20)}, Qty: -1, Price: 2.1 + float64(i%9)*0.013}}
		t.Draws = []fill.Draw{{P: 0.61 + float64(i%7)*0.0123, U: float64(i%97) / 97.3, Filled: i%3 != 0}}
		res.Trades[i] = t
	}
	cr := CellResult{Cell: testCell("cell"), Result: res, Metrics: testSummary()}
	b.ReportAllocs()
	for b.Loop() {
		e, err := Encode(cr)
		if err != nil {
			b.Fatal(err)
		}
		e.Release()
	}
}

package results

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/optsweep/sweep/sim"
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

package cell_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/cell"
)

// Run backtests one configuration on a tape and computes its metrics: five
// cash-secured puts on AAA sold on Monday at the mid (0.65) and bought back
// on Wednesday at the mid (0.18) by the early-exit schedule, 5 × 100 × 0.47 =
// $235 without costs; sold again that day, they are still open at the end,
// and the metrics count closed trades only. The strategy is built from its
// registered name and parameter values, as a grid cell or "sweep backtest
// --set" names it.
func ExampleRun() {
	days := []struct {
		day           string
		spot          float64
		bid, ask, dlt float64
	}{
		{"2024-04-08", 57.0, 0.60, 0.70, -0.22},
		{"2024-04-09", 57.1, 0.45, 0.55, -0.18},
		{"2024-04-10", 57.0, 0.16, 0.20, -0.09},
		{"2024-04-11", 57.2, 0.05, 0.08, -0.04},
	}
	history := make([]float64, 60) // a rising zigzag before the first day
	for i := range history {
		history[i] = 50 + 0.1*float64(i) + float64(i%2)
	}
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = d.day
	}
	tb := simtest.New(names...).Closes("AAA", "2024-04-08", history...)
	for _, d := range days {
		tb.Spot("AAA", d.day, d.spot).VIX(d.day, 20, 20).Quote("AAA", d.day,
			simtest.Quote{Exp: "2024-04-12", PC: sim.Put, K: 50, Bid: d.bid, Ask: d.ask, Delta: d.dlt, IV: 0.3})
	}
	tape, err := tb.Tape()
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := strategy.Build("csp", map[string]string{"bb_std": "2", "fill_mode": "optimistic",
		"commission_per_contract": "0", "sec_fee_per_contract": "0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, m, err := cell.Run(tape, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range res.Notes {
		if n.Kind == "exit" {
			fmt.Println(sim.DayString(n.Day), n.Kind, n.Text)
		}
	}
	for _, t := range res.Trades {
		fmt.Printf("%s %d × %v: %s, gross $%.2f\n", t.Phase, t.Quantity, t.Legs[0].Contract, t.Reason, t.Gross)
	}
	fmt.Printf("%d trade, win rate %.0f%%, net $%.2f\n", m.Trades, 100*m.WinRate, m.NetPnL)
	// Output:
	// 2024-04-10 exit early_exit: captured 69.2% >= target 65.0% (2/4 days + 0.15); ask 0.20, entry 0.65
	// csp 5 × AAA 2024-04-12 P 50: early_exit, gross $235.00
	// csp 5 × AAA 2024-04-12 P 50: open, gross $0.00
	// 1 trade, win rate 100%, net $235.00
}

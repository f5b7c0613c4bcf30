package metrics_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim/metrics"
)

// A backtest's summary from its daily equity curve and closed trades.
func ExampleCompute() {
	// 2024-01-29 .. 2024-02-06 as days since 1970-01-01 (weekends skipped).
	days := []int32{19751, 19752, 19753, 19754, 19755, 19758, 19759}
	equity := []float64{100000, 102000, 100980, 104009.4, 104009.4, 101929.212, 106006.38048}
	trades := []metrics.Trade{
		{Gross: 2400, Fees: 4, Collateral: 45000, DaysHeld: 3, ExitReason: "profit_target"},
		{Gross: -1100, Fees: 4, Collateral: 45000, DaysHeld: 4, ExitReason: "stop_loss"},
		{Gross: 4700, Fees: 4, Collateral: 47000, DaysHeld: 1, ExitReason: "expiry"},
	}
	s, err := metrics.Compute(days, equity, trades, 0.04)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("total return %.2f%%, Sharpe %.2f, Sortino %.2f\n", 100*s.TotalReturn, s.Sharpe, s.Sortino)
	fmt.Printf("max drawdown %.2f%% over %d days, recovered %v\n", 100*s.MaxDrawdown, s.MaxDrawdownDays, s.Recovered)
	fmt.Printf("%d trades, win rate %.0f%%, profit factor %.2f, expectancy $%.2f\n",
		s.Trades, 100*s.WinRate, s.ProfitFactor, s.Expectancy)
	for _, m := range metrics.MonthlyReturns(days, equity) {
		fmt.Printf("%d-%02d %+.2f%%\n", m.Year, int(m.Month), 100*m.Return)
	}
	// Output:
	// total return 6.01%, Sharpe 6.60, Sortino 16.95
	// max drawdown 2.00% over 4 days, recovered true
	// 3 trades, win rate 67%, profit factor 6.42, expectancy $1996.00
	// 2024-01 +0.98%
	// 2024-02 +4.98%
}

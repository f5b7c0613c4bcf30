package metrics

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkCompute summarises ten years of trading days (2520) and 1000 trades.
func BenchmarkCompute(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const nDays, nTrades = 2520, 1000
	days := make([]int32, nDays)
	equity := make([]float64, nDays)
	d, e := int32(14610), 100000.0 // 2010-01-01
	for i := range days {
		d += 1 + int32(rng.IntN(3)/2*2) // 1 or 3 days: roughly weekdays
		e *= 1 + 0.0004 + 0.01*rng.NormFloat64()
		days[i], equity[i] = d, e
	}
	reasons := []string{"profit_target", "stop_loss", "expiry", "assigned"}
	trades := make([]Trade, nTrades)
	for i := range trades {
		trades[i] = Trade{
			Gross:      300 * rng.NormFloat64(),
			Fees:       1.3,
			Collateral: 40000,
			DaysHeld:   float64(1 + rng.IntN(45)),
			ExitReason: reasons[rng.IntN(len(reasons))],
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(days, equity, trades, 0.04); err != nil {
			b.Fatal(err)
		}
	}
}

package fill

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkClassifySell classifies and prices a chain of 1 000 quotes (struct of
// arrays), as an entry scan does.
func BenchmarkClassifySell(b *testing.B) {
	const n = 1000
	r := rand.New(rand.NewPCG(1, 1))
	bid, ask, ivp := make([]float64, n), make([]float64, n), make([]float64, n)
	dte := make([]int, n)
	for i := range n {
		bid[i] = 0.05 + 10*r.Float64()
		ask[i] = bid[i] * (1 + 0.3*r.Float64())
		ivp[i] = r.Float64()
		dte[i] = r.IntN(60)
	}
	price := make([]float64, n)
	l := DefaultLiquidity()
	b.ReportAllocs()
	for b.Loop() {
		for i := range n {
			tier, pen := l.Classify(bid[i], ask[i], ivp[i], dte[i])
			if tier == Reject {
				price[i] = 0
				continue
			}
			price[i] = Sell(Realistic, bid[i], ask[i], pen)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/quote")
}

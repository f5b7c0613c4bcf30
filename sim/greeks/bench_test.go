package greeks

import (
	"math"
	"testing"
)

// The bulk paths on a realistic chain (SyntheticChain): report ns/op per option.

func benchChain(b *testing.B) (*Chain, []float64, []float64) {
	b.Helper()
	return SyntheticChain(4096, 1)
}

func BenchmarkCompute(b *testing.B) {
	c, vol, _ := benchChain(b)
	n := c.Len()
	g := Greeks{
		Price: make([]float64, n), Delta: make([]float64, n), Gamma: make([]float64, n),
		ThetaPerYear: make([]float64, n), ThetaPerDay: make([]float64, n),
		VegaPerPoint: make([]float64, n), RhoPerPoint: make([]float64, n),
	}
	b.ResetTimer()
	for b.Loop() {
		_ = Compute(c, vol, &g)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/option")
}

func BenchmarkImpliedVol(b *testing.B) {
	c, _, price := benchChain(b)
	n := c.Len()
	iv, why := make([]float64, n), make([]Reason, n)
	b.ResetTimer()
	for b.Loop() {
		_ = ImpliedVol(c, price, iv, why)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/option")
}

func BenchmarkTextbook(b *testing.B) {
	c, vol, _ := benchChain(b)
	n := c.Len()
	var sink float64
	for b.Loop() {
		for i := range n {
			p, d, g, th, v, r := textbook(c.Right[i] == Call, c.Spot, c.Strike[i], c.Years[i], c.Rate, c.Dividend, vol[i])
			sink += p + d + g + th + v + r
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/option")
	_ = sink
}

func BenchmarkAmericanValues(b *testing.B) {
	o := Option{Right: Put, Style: American, Spot: 100, Strike: 95, Years: 0.25, Rate: 0.05}
	for b.Loop() {
		_, _ = o.Values(0.25)
	}
}

func BenchmarkAmericanImpliedVol(b *testing.B) {
	o := Option{Right: Put, Style: American, Spot: 100, Strike: 95, Years: 0.25, Rate: 0.05}
	v, _ := o.Values(0.25)
	for b.Loop() {
		_, _ = o.ImpliedVol(v.Price)
	}
}

// BenchmarkImpliedVolOTM inverts only the out-of-the-money contract of each strike, as
// a surface fit often does: no two contracts share a strike, so nothing is shared.
func BenchmarkImpliedVolOTM(b *testing.B) {
	full, _, fullPrice := benchChain(b)
	c := &Chain{Spot: full.Spot, Rate: full.Rate, Dividend: full.Dividend}
	var price []float64
	for i := range fullPrice {
		f := full.Spot * math.Exp((full.Rate-full.Dividend)*full.Years[i])
		if (full.Right[i] == Call) == (full.Strike[i] >= f) {
			c.Strike = append(c.Strike, full.Strike[i])
			c.Years = append(c.Years, full.Years[i])
			c.Right = append(c.Right, full.Right[i])
			price = append(price, fullPrice[i])
		}
	}
	n := c.Len()
	iv, why := make([]float64, n), make([]Reason, n)
	b.ResetTimer()
	for b.Loop() {
		_ = ImpliedVol(c, price, iv, why)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/option")
}

package greeks_test

import (
	"fmt"

	"github.com/optsweep/sweep/sim/greeks"
)

// A chain's prices and greeks in one call, into slices the caller owns.
func ExampleCompute() {
	chain := &greeks.Chain{
		Spot: 100, Rate: 0.05, Dividend: 0.01,
		Strike: []float64{95, 100, 105},
		Years:  []float64{30.0 / 365, 30.0 / 365, 30.0 / 365},
		Right:  []greeks.Right{greeks.Put, greeks.Call, greeks.Call},
	}
	vol := []float64{0.24, 0.20, 0.18}
	n := chain.Len()
	out := greeks.Greeks{
		Price:        make([]float64, n),
		Delta:        make([]float64, n),
		ThetaPerDay:  make([]float64, n),
		VegaPerPoint: make([]float64, n),
	}
	if err := greeks.Compute(chain, vol, &out); err != nil {
		fmt.Println(err)
		return
	}
	for i := range n {
		fmt.Printf("%v K=%g  price %.4f  delta %+.4f  theta/day %.4f  vega/pt %.4f\n", chain.Right[i], chain.Strike[i],
			out.Price[i], out.Delta[i], out.ThetaPerDay[i], out.VegaPerPoint[i])
	}
	// Output:
	// P K=95  price 0.8135  delta -0.2038  theta/day -0.0301  vega/pt 0.0811
	// C K=100  price 2.4492  delta +0.5338  theta/day -0.0435  vega/pt 0.1139
	// C K=105  price 0.5476  delta +0.1959  theta/day -0.0258  vega/pt 0.0792
}

// Implied volatilities of a whole chain from its mid prices; a price that no
// volatility can produce gets NaN and a reason.
func ExampleImpliedVol() {
	chain := &greeks.Chain{
		Spot: 100, Rate: 0.05,
		Strike: []float64{90, 100, 110},
		Years:  []float64{0.25, 0.25, 0.25},
		Right:  []greeks.Right{greeks.Put, greeks.Call, greeks.Call},
		Style:  []greeks.Style{greeks.European, greeks.European, greeks.American},
	}
	mid := []float64{1.10, 4.60, 0.01}
	vol := make([]float64, 3)
	why := make([]greeks.Reason, 3)
	if err := greeks.ImpliedVol(chain, mid, vol, why); err != nil {
		fmt.Println(err)
		return
	}
	for i := range vol {
		fmt.Printf("%v K=%g mid %.2f: σ %.6f (%v)\n", chain.Right[i], chain.Strike[i], mid[i], vol[i], why[i])
	}
	// Output:
	// P K=90 mid 1.10: σ 0.250660 (ok)
	// C K=100 mid 4.60: σ 0.199237 (ok)
	// C K=110 mid 0.01: σ 0.069194 (ok)
}

// One contract at a time, with the reason when there is no answer.
func ExampleOption_ImpliedVol() {
	o := greeks.Option{Right: greeks.Call, Spot: 100, Strike: 80, Years: 0.1, Rate: 0.05}
	for _, price := range []float64{20.75, 19.0} {
		sigma, why := o.ImpliedVol(price)
		fmt.Printf("price %.2f: σ %.4f (%v)\n", price, sigma, why)
	}
	// Output:
	// price 20.75: σ 0.4680 (ok)
	// price 19.00: σ NaN (price below intrinsic value)
}

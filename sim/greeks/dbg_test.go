package greeks
import ("testing";"time")
func TestDbgMeasure(t *testing.T) {
	r := Measure(4096, 200)
	t.Logf("greeks %v values %v textbook %v | iv %v ivone %v", r.Greeks, r.Values, r.Textbook, r.IV, r.IVOne)
}
func TestDbgProfCompute(t *testing.T) {
	c, vol, _ := SyntheticChain(4096, 1)
	n := c.Len()
	g := Greeks{Price: make([]float64, n), Delta: make([]float64, n), Gamma: make([]float64, n), ThetaPerYear: make([]float64, n), ThetaPerDay: make([]float64, n), VegaPerPoint: make([]float64, n), RhoPerPoint: make([]float64, n)}
	start := time.Now()
	for time.Since(start) < 2*time.Second { _ = Compute(c, vol, &g) }
}

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
func TestDbgKernelOnly(t *testing.T) {
	c, vol, _ := SyntheticChain(4096, 1)
	n := c.Len()
	lanes := make([]euroLane, n)
	var e expiry; e.t = -1
	for i := range n { if c.Years[i] != e.t { e.set(c.Years[i], c.Rate, c.Dividend) }; lanes[i].load(c.Right[i]==Call, c.Strike[i], vol[i], &e) }
	best := [4]time.Duration{}
	for r := 0; r < 300; r++ {
		for p := 0; p < 4; p++ {
			st := time.Now()
			switch p {
			case 0: for i := range lanes { lanePass1(&lanes[i], c.Spot) }
			case 1: for i := range lanes { lanePass2(&lanes[i]) }
			case 2: for i := range lanes { lanePass3(&lanes[i], c.Spot, c.Rate, c.Dividend) }
			case 3: runEuropean(lanes, c.Spot, c.Rate, c.Dividend)
			}
			d := time.Since(st)/time.Duration(n)
			if best[p] == 0 || d < best[p] { best[p] = d }
		}
	}
	t.Logf("pass1 %v pass2 %v pass3 %v all %v", best[0], best[1], best[2], best[3])
}

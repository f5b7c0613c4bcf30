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
func TestDbgProfIV(t *testing.T) {
	c, _, price := SyntheticChain(4096, 1)
	n := c.Len()
	iv, why := make([]float64, n), make([]Reason, n)
	start := time.Now()
	for time.Since(start) < 3*time.Second { _ = ImpliedVol(c, price, iv, why) }
}
func TestDbgStages(t *testing.T) {
	c, _, price := SyntheticChain(4096, 1)
	n := c.Len()
	lanes := make([]ivLane, 0, n)
	var e expiry; e.t = -1
	for i := range n {
		if c.Years[i] != e.t { e.set(c.Years[i], c.Rate, c.Dividend) }
		var l ivLane
		if europeanSetup(&l, c.Right[i] == Call, price[i], c.Spot*e.growth, c.Strike[i], e.df) == OK && !l.done { lanes = append(lanes, l) }
	}
	work := make([]ivLane, len(lanes))
	var best [7]time.Duration
	for r := 0; r < 100; r++ {
		copy(work, lanes)
		var st time.Time
		tick := func(p int) { d := time.Since(st)/time.Duration(len(work)); if best[p]==0 || d < best[p] { best[p] = d }; st = time.Now() }
		st = time.Now()
		for i := range work { work[i].centre() }; tick(0)
		for i := range work { work[i].side() }; tick(1)
		for i := range work { work[i].guess() }; tick(2)
		for i := range work { work[i].step() }; tick(3)
		for i := range work { work[i].step() }; tick(4)
	}
	st := time.Now()
	for r := 0; r < 100; r++ { for i := range n { if c.Years[i] != e.t { e.set(c.Years[i], c.Rate, c.Dividend) }; var l ivLane; europeanSetup(&l, c.Right[i] == Call, price[i], c.Spot*e.growth, c.Strike[i], e.df) } }
	best[5] = time.Since(st)/time.Duration(100*n)
	obj := map[int8]int{}
	for _, l := range work { obj[l.obj]++ }
	t.Logf("lanes %d of %d: setup %v centre %v side %v guess %v step1 %v step2 %v objectives %v", len(lanes), n, best[5], best[0], best[1], best[2], best[3], best[4], obj)
}
func TestDbgProfGuess(t *testing.T) {
	c, _, price := SyntheticChain(4096, 1)
	n := c.Len()
	lanes := make([]ivLane, 0, n)
	var e expiry; e.t = -1
	for i := range n {
		if c.Years[i] != e.t { e.set(c.Years[i], c.Rate, c.Dividend) }
		var l ivLane
		if europeanSetup(&l, c.Right[i] == Call, price[i], c.Spot*e.growth, c.Strike[i], e.df) == OK && !l.done { l.centre(); l.side(); lanes = append(lanes, l) }
	}
	work := make([]ivLane, len(lanes))
	start := time.Now()
	for time.Since(start) < 3*time.Second { copy(work, lanes); for i := range work { work[i].guess() } }
}

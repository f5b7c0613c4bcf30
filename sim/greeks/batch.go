package greeks

import "math"

// laneBatch gathers the European contracts of a chain into blocks for the kernel and
// writes their results into g. A call and a put queued one after the other at the
// same strike, expiry and volatility share a lane.
type laneBatch struct {
	c     *Chain
	vol   []float64
	g     *Greeks
	e     expiry
	exOK  bool    // e's T passes contractReason's rate check
	early [2]bool // by side: American calls, puts may be exercised early

	n, m, nex int // lanes, contracts and expiries queued
	lanes     [laneBlock]euroLane
	exps      [laneBlock]laneExpiry
	index     [2 * laneBlock]int       // the queued contracts, in increasing order
	res       [2*laneBlock + 1]laneOut // their results, in the same order
}

// start sets the batch up to value chain c, whose spot, rate and dividend yield are
// valid, at volatilities vol, into g.
func (b *laneBatch) start(c *Chain, vol []float64, g *Greeks) {
	b.c, b.vol, b.g = c, vol, g
	b.e.t = math.NaN()
	b.early = [2]bool{earlyExercise(true, c.Rate, c.Dividend), earlyExercise(false, c.Rate, c.Dividend)}
}

// positiveFinite reports whether v is positive and finite.
func positiveFinite(v float64) bool {
	return math.Float64bits(v)-1 < 0x7fefffffffffffff
}

// setExpiry makes t, positive and finite, the batch's current expiry, and reports
// whether it passes contractReason's rate check.
func (b *laneBatch) setExpiry(t float64) bool {
	r, q := b.c.Rate, b.c.Dividend
	b.e.set(t, r, q)
	b.exOK = math.Abs(r*t) <= 700 && math.Abs(q*t) <= 700 && math.Abs((r-q)*t) <= 700
	return b.exOK
}

// fill queues the contracts of the chain from i on, and returns the index of the
// first it did not queue (or the chain's length): one that comes when the block is
// full, or one that is not valid and European (or American and never exercised
// early). A contract followed by the other right at the same strike, expiry and
// volatility shares its lane with it.
func (b *laneBatch) fill(i int) int {
	c, vol := b.c, b.vol
	nc := len(vol)
	strikes, years, rights := c.Strike[:nc], c.Years[:nc], c.Right[:nc]
	styles := c.Style
	et := math.NaN() // the current expiry, if it passes the rate check
	if b.exOK {
		et = b.e.t
	}
	n, m, nex := b.n, b.m, b.nex
	lt := math.NaN() // the expiry of exps[nex-1]
	if nex > 0 {
		lt = b.exps[nex-1].t
	}
	for ; i < nc && n < laneBlock; i++ {
		t := years[i]
		if t != et {
			if !positiveFinite(t) || !b.setExpiry(t) {
				break
			}
			et = t
		}
		k, sigma, right := strikes[i], vol[i], rights[i]
		if !positiveFinite(k) || !positiveFinite(sigma) || right != Call && right != Put {
			break
		}
		put := 0
		if right == Put {
			put = 1
		}
		if styles != nil && !b.styleOK(styles[i], put) {
			break
		}
		if t != lt {
			b.exps[nex].set(&b.e, c.Spot, c.Dividend)
			nex++
			lt = t
		}
		l := &b.lanes[n]
		l.k, l.sigma, l.ex, l.at, l.put = k, sigma, nex-1, m, put
		n++
		b.index[m] = i
		m++
		if j := i + 1; j < nc && strikes[j] == k && years[j] == t && vol[j] == sigma &&
			rights[j] == Call+Put-right && (styles == nil || b.styleOK(styles[j], 1-put)) {
			b.index[m] = j
			m++
			i++
		}
	}
	b.n, b.m, b.nex = n, m, nex
	return i
}

// styleOK reports whether a contract of style st on side put (0 or 1) is valued as
// European: it is European, or American and never exercised early.
func (b *laneBatch) styleOK(st Style, put int) bool {
	return st == European || st == American && !b.early[put&1]
}

// flush values the queued contracts and writes their results into g.
func (b *laneBatch) flush() {
	if b.n == 0 {
		return
	}
	m := b.m
	runEuropean(b.lanes[:b.n], b.exps[:b.nex], b.c.Rate, b.res[:])
	b.n, b.m, b.nex = 0, 0, 0
	res, index := b.res[:m], b.index[:m]
	g := b.g
	if index[m-1]-index[0] == m-1 && g.Price != nil && g.Delta != nil && g.Gamma != nil &&
		g.ThetaPerYear != nil && g.ThetaPerDay != nil && g.VegaPerPoint != nil && g.RhoPerPoint != nil {
		// The common case: consecutive contracts, every output wanted.
		i := index[0]
		price, delta, gamma := g.Price[i:i+m], g.Delta[i:i+m], g.Gamma[i:i+m]
		thetaYear, thetaDay := g.ThetaPerYear[i:i+m], g.ThetaPerDay[i:i+m]
		vega, rho := g.VegaPerPoint[i:i+m], g.RhoPerPoint[i:i+m]
		for j := range res {
			o := &res[j]
			if math.IsNaN(o[outPrice]) {
				voidOut(o)
			}
			price[j], delta[j], gamma[j] = o[outPrice], o[outDelta], o[outGamma]
			thetaYear[j], thetaDay[j] = o[outThetaYear], o[outThetaDay]
			vega[j], rho[j] = o[outVega], o[outRho]
		}
	} else {
		for j := range res {
			if o := &res[j]; math.IsNaN(o[outPrice]) {
				voidOut(o)
			}
		}
		put(g.Price, outPrice, res, index)
		put(g.Delta, outDelta, res, index)
		put(g.Gamma, outGamma, res, index)
		put(g.ThetaPerYear, outThetaYear, res, index)
		put(g.ThetaPerDay, outThetaDay, res, index)
		put(g.VegaPerPoint, outVega, res, index)
		put(g.RhoPerPoint, outRho, res, index)
	}
	if g.Reason != nil {
		for j, i := range index {
			g.Reason[i] = OK
			if math.IsNaN(res[j][outPrice]) {
				g.Reason[i] = OutOfRange
			}
		}
	}
}

// voidOut sets every result in o to NaN: the price overflowed on extreme inputs.
func voidOut(o *laneOut) {
	nan := math.NaN()
	*o = laneOut{nan, nan, nan, nan, nan, nan, nan}
}

// put stores field f of the results res of the contracts index in dst, unless dst
// is nil.
func put(dst []float64, f int, res []laneOut, index []int) {
	if dst == nil {
		return
	}
	f &= len(laneOut{}) - 1
	for j, i := range index {
		dst[i] = res[j][f]
	}
}

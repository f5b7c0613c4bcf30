package synth

import (
	"cmp"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/ingest/osi"
	"github.com/optsweep/sweep/sim/calendar"
)

// wide is a short run with full-width chains, for tests of the surface and spreads.
func wide(t testing.TB) (*readBack, Config) {
	cfg := Config{Symbols: []string{"AAPL", "SPX"}, From: day("2024-01-02"), To: day("2024-02-09"), Seed: 11,
		Chain: ChainSpec{DailyDays: 2, Weeks: 3, Monthlies: 2, StdDevs: 2.5, MinWidth: 0.04, MaxWidth: 0.15, FineWidth: 0.03}}
	dir, man := generate(t, "wide", cfg)
	return readAll(t, dir, man), cfg
}

// quoteView is one snapshot quote with what an ingest would derive from it.
type quoteView struct {
	sym      osi.Symbol
	day      time.Time
	bid, ask float64
	spot     float64
	T        float64 // years from the snapshot to settlement
	k        float64 // log-moneyness against the forward
	dte      float64 // calendar days to the expiry
	// atSnapshot is set when the quote is the one at 15:45, not an earlier one.
	atSnapshot bool
}

func (q quoteView) mid() float64 { return (q.bid + q.ask) / 2 }

// impliedVol inverts Black-Scholes-Merton by bisection.
func (q quoteView) impliedVol(underlying string) float64 {
	r, div := riskFree(q.day), 0.014
	if underlying != "SPX" {
		p, _ := profileFor(underlying)
		div = p.divYield
	}
	lo, hi := 0.001, 5.0
	for range 100 {
		m := (lo + hi) / 2
		if bsPrice(q.sym.PutCall == 'C', q.spot, q.sym.Strike, q.T, r, div, m) > q.mid() {
			hi = m
		} else {
			lo = m
		}
	}
	return (lo + hi) / 2
}

// views lists the snapshot quotes of an underlying with their spot and moneyness.
func views(rb *readBack, underlying string) []quoteView {
	closes := map[time.Time]float64{}
	for _, b := range rb.bars[underlying] {
		closes[time.Unix(0, int64(b.Hd.TsEvent)).UTC()] = dbn.PriceFloat(b.Close)
	}
	var out []quoteView
	for k, q := range rb.quotes {
		s, err := osi.Parse(k.raw)
		if err != nil || osi.Underlying(s.Root) != underlying {
			continue
		}
		settle := calendar.CloseTime(s.Expiry)
		if osi.AMSettled(s.Root) {
			settle = time.Date(s.Expiry.Year(), s.Expiry.Month(), s.Expiry.Day(), 9, 30, 0, 0, calendar.NewYork())
		}
		snap := calendar.CloseTime(k.day).Add(-15 * time.Minute)
		T := float64(settle.Sub(snap)) / yearNs
		S := closes[k.day]
		fwd := S * math.Exp(riskFree(k.day)*T)
		out = append(out, quoteView{sym: s, day: k.day, bid: q.bid, ask: q.ask, spot: S, T: T,
			k: math.Log(s.Strike / fwd), dte: s.Expiry.Sub(k.day).Hours() / 24, atSnapshot: q.ts == uint64(snap.UnixNano())})
	}
	return out
}

// nearest returns the quote of the given side whose log-moneyness is closest to k.
func nearest(vs []quoteView, d, exp time.Time, root string, pc byte, k float64) (quoteView, bool) {
	best, ok := quoteView{}, false
	for _, v := range vs {
		if v.day.Equal(d) && v.sym.Expiry.Equal(exp) && v.sym.Root == root && v.sym.PutCall == pc && (!ok || math.Abs(v.k-k) < math.Abs(best.k-k)) {
			best, ok = v, true
		}
	}
	return best, ok
}

func TestPutSkew(t *testing.T) {
	rb, cfg := wide(t)
	vs := views(rb, "SPX")
	checked, skewed := 0, 0
	for _, d := range calendar.TradingDays(cfg.From, cfg.To) {
		exp := calendar.MonthlyExpiration(d.Year(), d.Month()+1) // about a month out, SPXW
		p, ok1 := nearest(vs, d, exp, "SPXW", 'P', -0.04)
		c, ok2 := nearest(vs, d, exp, "SPXW", 'C', 0.04)
		if !ok1 || !ok2 {
			continue
		}
		checked++
		if pv, cv := p.impliedVol("SPX"), c.impliedVol("SPX"); pv > cv+0.02 {
			skewed++
		} else {
			t.Logf("%s: put %.3f (k %.3f) call %.3f (k %.3f)", d.Format(time.DateOnly), pv, p.k, cv, c.k)
		}
	}
	if checked < 20 || skewed < checked {
		t.Errorf("OTM put IV above OTM call IV on %d of %d days", skewed, checked)
	}
}

func TestSpreads(t *testing.T) {
	rb, _ := wide(t)
	type acc struct{ sum, n float64 }
	var near, far, short, long acc
	add := func(a *acc, v quoteView) { a.sum += (v.ask - v.bid) / v.mid(); a.n++ }
	for _, v := range views(rb, "SPX") {
		otm := (v.sym.PutCall == 'P' && v.k < 0) || (v.sym.PutCall == 'C' && v.k > 0)
		switch {
		case v.mid() <= 0 || !otm:
		case v.dte >= 20 && v.dte <= 45 && math.Abs(v.k) < 0.01:
			add(&near, v)
			add(&long, v)
		case v.dte >= 20 && v.dte <= 45 && math.Abs(v.k) > 0.06:
			add(&far, v)
		case v.dte <= 2 && math.Abs(v.k) < 0.01:
			add(&short, v)
		}
	}
	for _, a := range []acc{near, far, short, long} {
		if a.n < 20 {
			t.Fatalf("too few quotes: %+v %+v %+v %+v", near, far, short, long)
		}
	}
	if n, f := near.sum/near.n, far.sum/far.n; !(f > 2*n) {
		t.Errorf("relative spread near the money %.4f, far out of the money %.4f: want far much wider", n, f)
	}
	if s, l := short.sum/short.n, long.sum/long.n; !(s > 1.5*l) {
		t.Errorf("relative spread at the money 0-2 days %.4f, 20-45 days %.4f: want short-dated wider", s, l)
	}
}

// TestEarningsCrush reads AAPL's at-the-money IV from the quotes: it rises into the
// announcement and collapses the session after.
func TestEarningsCrush(t *testing.T) {
	rb, cfg := wide(t)
	p, _ := profileFor("AAPL")
	var earn time.Time
	for _, e := range scheduleEvents(&p, cfg.From, cfg.To) {
		if e.kind == KindEarnings {
			earn = e.date
		}
	}
	if earn.IsZero() {
		t.Fatal("no AAPL earnings in the test window")
	}
	next := calendar.NextTradingDay(earn)
	exp := next // the first Friday expiry after the announcement
	for exp.Weekday() != time.Friday {
		exp = exp.AddDate(0, 0, 1)
	}
	vs := views(rb, "AAPL")
	atm := func(d time.Time) float64 {
		c, ok := nearest(vs, d, exp, "AAPL", 'C', 0)
		if !ok {
			t.Fatalf("no AAPL %s call quoted on %s", exp.Format(time.DateOnly), d.Format(time.DateOnly))
		}
		return c.impliedVol("AAPL")
	}
	before, on, after := atm(calendar.AddTradingDays(earn, -5)), atm(earn), atm(next)
	t.Logf("earnings %s, expiry %s: ATM IV %.3f five days before, %.3f on the day, %.3f after",
		earn.Format(time.DateOnly), exp.Format(time.DateOnly), before, on, after)
	if !(on > before*1.1) || !(after < on*0.75) {
		t.Errorf("ATM IV %.3f -> %.3f -> %.3f: want a run-up into earnings and a crush after", before, on, after)
	}
}

func TestMarketModel(t *testing.T) {
	days := calendar.TradingDays(day("2020-01-02"), day("2024-12-31"))
	m := simulateMarket(days, fomcEvents(days[0], days[len(days)-1]), 1)
	worst, maxVIX, minVIX := 0.0, 0.0, math.Inf(1)
	contango, inverted := 0, 0
	var cov, varR, varV float64
	for i := 1; i < len(days); i++ {
		r := math.Log(m.spx.close[i] / m.spx.close[i-1])
		dv := m.vix.close[i] - m.vix.close[i-1]
		cov, varR, varV = cov+r*dv, varR+r*r, varV+dv*dv
		worst = math.Min(worst, r)
		maxVIX, minVIX = math.Max(maxVIX, m.vix.close[i]), math.Min(minVIX, m.vix.close[i])
		if m.vix.close[i] < m.vix3m.close[i] {
			contango++
		} else {
			inverted++
		}
		if m.spx.high[i] < max(m.spx.open[i], m.spx.close[i]) || m.spx.low[i] > min(m.spx.open[i], m.spx.close[i]) {
			t.Fatalf("day %d: bar %v %v %v %v", i, m.spx.open[i], m.spx.high[i], m.spx.low[i], m.spx.close[i])
		}
	}
	corr := cov / math.Sqrt(varR*varV)
	t.Logf("worst day %.3f, VIX %.1f..%.1f, contango %d days, inverted %d, corr(return, dVIX) %.2f", worst, minVIX, maxVIX, contango, inverted, corr)
	if worst > -0.04 {
		t.Errorf("worst daily return %.3f over five years: want at least one crash day below -4%%", worst)
	}
	if maxVIX < 30 || minVIX > 16 {
		t.Errorf("VIX ranged %.1f..%.1f: want calm spells and spikes", minVIX, maxVIX)
	}
	if inverted == 0 || contango < 2*inverted {
		t.Errorf("VIX under VIX3M on %d days, over on %d: want mostly contango with some inversion", contango, inverted)
	}
	if corr > -0.5 {
		t.Errorf("correlation of returns and VIX changes %.2f: want strongly negative", corr)
	}
}

func TestSPYDividends(t *testing.T) {
	days := calendar.TradingDays(day("2023-01-03"), day("2023-12-29"))
	m := simulateMarket(days, nil, 2)
	p, _ := profileFor("SPY")
	evs := scheduleEvents(&p, days[0], days[len(days)-1])
	u := simulateUnderlying(p, m, evs, 2)
	n := 0
	for _, e := range evs {
		if e.kind != KindExDividend {
			continue
		}
		i := slicesIndex(days, e.date)
		if e.date.Weekday() != time.Friday || i < 1 {
			t.Fatalf("SPY ex-dividend on %v", e.date)
		}
		drop := 1 - u.ratio[i]/u.ratio[i-1]
		want := e.amount / u.bars.close[i-1]
		if math.Abs(drop-want) > 1e-9 || e.amount < 1 || e.amount > 3 {
			t.Errorf("%s: SPY/SPX ratio fell %.6f for a %.2f dividend (want %.6f)", e.date.Format(time.DateOnly), drop, e.amount, want)
		}
		n++
	}
	if n != 4 {
		t.Errorf("%d SPY ex-dividend dates in 2023, want 4", n)
	}
}

func slicesIndex(days []time.Time, d time.Time) int {
	for i, x := range days {
		if x.Equal(d) {
			return i
		}
	}
	return -1
}

func TestTermStructureAfterCrash(t *testing.T) {
	days := calendar.TradingDays(day("2020-01-02"), day("2024-12-31"))
	m := simulateMarket(days, nil, 1)
	p, _ := profileFor("SPX")
	u := simulateUnderlying(p, m, nil, 1)
	worst := 1
	for i := 1; i < len(days); i++ {
		if m.spx.close[i]/m.spx.close[i-1] < m.spx.close[worst]/m.spx.close[worst-1] {
			worst = i
		}
	}
	front, back := u.atmVol(m, worst, 7.0/365, days[worst]), u.atmVol(m, worst, 180.0/365, days[worst])
	if !(front > back) {
		t.Errorf("after the crash of %s: 7-day ATM IV %.3f, 180-day %.3f; want an inverted term structure", days[worst].Format(time.DateOnly), front, back)
	}
	calm := 0
	for i := range days {
		if u.atmVol(m, i, 7.0/365, days[i]) < u.atmVol(m, i, 180.0/365, days[i]) {
			calm++
		}
	}
	if calm < len(days)/2 {
		t.Errorf("upward-sloping term structure on %d of %d days: want most", calm, len(days))
	}
}

// TestNoStrikeArbitrage checks every snapshot chain: calls get cheaper and puts
// dearer as the strike rises, and no vertical spread is worth more than its width
// (within the quoted spreads). Stale quotes, taken from before the snapshot when the
// last one had an empty side, are left out.
func TestNoStrikeArbitrage(t *testing.T) {
	rb, _ := wide(t)
	type key struct {
		day  time.Time
		root string
		exp  time.Time
		pc   byte
	}
	chains := map[key][]quoteView{}
	for _, u := range []string{"SPX", "AAPL"} {
		for _, v := range views(rb, u) {
			if !v.atSnapshot {
				continue // a stale quote from before the snapshot, where the last one had an empty side
			}
			k := key{v.day, v.sym.Root, v.sym.Expiry, v.sym.PutCall}
			chains[k] = append(chains[k], v)
		}
	}
	bad := 0
	for k, vs := range chains {
		slices.SortFunc(vs, func(a, b quoteView) int { return cmp.Compare(a.sym.Strike, b.sym.Strike) })
		for j := 1; j < len(vs); j++ {
			lo, hi := vs[j-1], vs[j]
			// A put at the higher strike must not be offered below the lower strike's bid;
			// a call at the higher strike must not be bid above the lower strike's ask.
			if (k.pc == 'P' && hi.ask < lo.bid) || (k.pc == 'C' && hi.bid > lo.ask) ||
				math.Abs(hi.mid()-lo.mid()) > hi.sym.Strike-lo.sym.Strike+hi.ask-hi.bid {
				bad++
				if bad < 5 {
					t.Errorf("%s %s %c: %v %v/%v then %v %v/%v", k.day.Format(time.DateOnly), k.root, k.pc,
						lo.sym.Strike, lo.bid, lo.ask, hi.sym.Strike, hi.bid, hi.ask)
				}
			}
		}
	}
	if len(chains) < 100 || bad > 0 {
		t.Errorf("%d chains, %d strike arbitrages", len(chains), bad)
	}
}

package synth

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/sim/calendar"
)

// OPRA publisher IDs: the consolidated feed (quotes, definitions) and the venues that
// report daily bars and open interest.
const pubOPRA = 30

// Venue publisher IDs, one byte each: venues that report daily bars, open interest,
// and the best bid or offer.
const (
	barVenues   = "\x14\x16\x17\x1b\x1d\x21\x24"
	oiVenues    = "\x17\x18\x1f\x25"
	quoteVenues = "\x14\x16\x17\x18\x1b\x1d\x1f\x21\x24\x25"
)

// Cbbo flags as OPRA carries them: F_LAST | F_TOB | F_PUBLISHER_SPECIFIC.
const cbboFlags = 0xC2

// statOpenInterest is the statistics type of open interest.
const statOpenInterest = 9

// monthBuf holds one month of option records until the month's files are written
// (DBN puts the symbol mappings, known only at the month's end, in the header).
type monthBuf struct {
	defs  []dbn.InstrumentDefMsg
	cbbo  []dbn.CbboMsg
	stats []dbn.StatMsg
	ohlcv []dbn.OhlcvMsg
	maps  []mapEntry
}

// mapEntry collects the ID intervals of one raw symbol in a month.
type mapEntry struct {
	raw string
	iv  []idInterval
}

type idInterval struct {
	start, end time.Time // end exclusive
	id         uint32
}

func (b *monthBuf) reset() {
	b.defs, b.cbbo, b.stats, b.ohlcv = b.defs[:0], b.cbbo[:0], b.stats[:0], b.ohlcv[:0]
	clear(b.maps)
	b.maps = b.maps[:0]
}

// sessionClock holds the instants of one session, in ns since the epoch.
type sessionClock struct {
	date, next time.Time // the session date and the day after, midnight UTC
	midnight   uint64    // midnight UTC: ohlcv-1d bars
	defs       uint64    // definitions go out at 05:30 ET
	stats      uint64    // open interest at 06:30 ET
	snap       uint64    // the daily snapshot (15:45 ET, or 12:45 on an early close)
	closeTime  uint64
	early      bool
}

func newSessionClock(d time.Time) sessionClock {
	open := calendar.OpenTime(d)
	return sessionClock{date: d, next: d.AddDate(0, 0, 1), midnight: uint64(d.UnixNano()),
		defs:  uint64(open.Add(-4 * time.Hour).UnixNano()),
		stats: uint64(open.Add(-3 * time.Hour).UnixNano()),
		snap:  uint64(snapshotTime(d).UnixNano()), closeTime: uint64(calendar.CloseTime(d).UnixNano()),
		early: calendar.IsEarlyClose(d)}
}

// emitter turns the chains into records, one session at a time.
type emitter struct {
	m      *market
	month  int32
	buf    monthBuf
	ids    idAllocator
	pcg    *rand.PCG
	rng    *rand.Rand
	seed   int64
	seq    uint32
	defTpl dbn.InstrumentDefMsg
	clk    sessionClock
	nDef   uint64 // definitions so far this session, to space their timestamps
	nStat  uint64
	// stage holds a session's quotes by minute, from stageFirst minutes before the
	// snapshot to stageLast after it, so they go out in time order without a sort.
	stage [stageLast - stageFirst + 1][]dbn.CbboMsg
}

// Minutes around the snapshot that quotes fall on.
const (
	stageFirst = -13
	stageLast  = 2
)

func newEmitter(m *market, seed int64) *emitter {
	pcg := rand.NewPCG(0, 0)
	e := &emitter{m: m, pcg: pcg, rng: rand.New(pcg), seed: seed, month: -1}
	e.defTpl = definitionTemplate()
	return e
}

// session emits the records of every listed contract of every chain on session i.
func (e *emitter) session(chains []*chain, i int) {
	e.clk = newSessionClock(e.m.days[i])
	e.nDef, e.nStat = 0, 0
	for _, c := range chains {
		e.pcg.Seed(mix(uint64(e.seed), symbolSeed(c.u.prof.symbol), uint64(i)), 0x71756f746573)
		for _, s := range c.series {
			for k := range s.con {
				for side := range 2 {
					e.contract(c, s, &s.con[k], side, i)
				}
			}
		}
	}
	// cbbo-1m goes out in ts_recv order, as Databento delivers it.
	for k := range e.stage {
		e.buf.cbbo = append(e.buf.cbbo, e.stage[k]...)
		e.stage[k] = e.stage[k][:0]
	}
}

// mapDay records that st carries its current ID on the session date.
func (e *emitter) mapDay(st *sideState) {
	if st.mapMonth != e.month {
		st.mapMonth, st.mapSlot = e.month, int32(len(e.buf.maps))
		e.buf.maps = append(e.buf.maps, mapEntry{raw: st.osi})
	}
	me := &e.buf.maps[st.mapSlot]
	if n := len(me.iv); n > 0 && me.iv[n-1].id == st.id {
		me.iv[n-1].end = e.clk.next
		return
	}
	me.iv = append(me.iv, idInterval{start: e.clk.date, end: e.clk.next, id: st.id})
}

// contract emits one side of one contract on session i: its definition (once a
// month), open interest from two venues, two or three consolidated quotes around
// the snapshot and, when it traded, a daily bar from each of two or three venues.
func (e *emitter) contract(c *chain, s *series, ct *contract, side, i int) {
	st := &ct.side[side]
	e.ids.assign(st, e.clk.date)
	e.mapDay(st)
	if st.defMonth != e.month {
		st.defMonth = e.month
		e.definition(c, s, ct, side)
	}
	u, p := c.u, &c.u.prof
	S := u.bars.close[i]
	K := float64(ct.strike) / 1000
	isCall := side == call
	k := math.Log(K / s.fwd)
	sigma := smileVol(s.atm, s.T, k, &p.skew)
	theo := bsPrice(isCall, S, K, s.T, s.r, s.q, sigma)
	if p.kind != kindIndex { // American: never below intrinsic
		theo = math.Max(theo, intrinsic(isCall, S, K))
	}
	delta := bsDelta(isCall, S, K, s.T, s.r, s.q, sigma)
	x := k / (s.atm * math.Sqrt(s.T)) // moneyness in standard deviations
	otm := x
	if !isCall {
		otm = -x
	}
	dte := float64(s.expiry.Sub(e.clk.date)) / float64(24*time.Hour)

	vol := e.volume(p, otm, dte)
	if i == 0 && st.oi == 0 { // listed before the data starts: give it a history
		st.oi = int32(float64(vol+1) * (2 + 10*e.rng.Float64()))
	}
	e.openInterest(st)
	intr := intrinsic(isCall, S, K)
	bid, ask := e.quotes(p, st, theo, intr, delta, S, x, dte, u.variance[i], vol)
	if vol > 0 {
		e.dailyBars(p, st, theo, intr, bid, ask, vol)
	}
	st.oi = max(0, st.oi+int32(math.Round(float64(vol)*(0.7*e.rng.Float64()-0.2))))
	st.lastMid = float32(theo)
}

func intrinsic(isCall bool, S, K float64) float64 {
	if isCall {
		return math.Max(S-K, 0)
	}
	return math.Max(K-S, 0)
}

// volume draws the contracts traded in a day: most at the money and out of the money
// near expiry, few deep in the money.
func (e *emitter) volume(p *profile, otm, dte float64) int64 {
	lam := p.volume * math.Exp(-0.7*otm*otm) * (2/(1+dte/5) + 0.15)
	if otm < -0.5 {
		lam *= 0.3
	}
	if lam < 30 {
		return poisson(e.rng, lam)
	}
	return int64(math.Round(lam * math.Exp(0.5*e.rng.NormFloat64()-0.125)))
}

// poisson draws a Poisson variate with small mean lam (Knuth's method).
func poisson(rng *rand.Rand, lam float64) int64 {
	l, p, n := math.Exp(-lam), 1.0, int64(-1)
	for p > l {
		p *= rng.Float64()
		n++
	}
	return n
}

// openInterest emits yesterday's open interest as two venues report it before the
// open, with the same value (OPRA repeats it per publisher).
func (e *emitter) openInterest(st *sideState) {
	a := e.rng.IntN(len(oiVenues))
	b := (a + 1 + e.rng.IntN(len(oiVenues)-1)) % len(oiVenues)
	ts := e.clk.stats + e.nStat*3000
	e.nStat++
	for _, v := range [2]int{a, b} {
		e.seq++
		e.buf.stats = append(e.buf.stats, dbn.StatMsg{
			Hd:     dbn.RecordHeader{RType: dbn.RTypeStatistics, PublisherID: uint16(oiVenues[v]), InstrumentID: st.id, TsEvent: ts},
			TsRecv: ts + 211_000, TsRef: dbn.UndefTimestamp, Price: dbn.UndefPrice, Quantity: int64(st.oi),
			Sequence: e.seq, StatType: statOpenInterest, ChannelID: 1, UpdateAction: 1,
		})
	}
}

package synth

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/sim/calendar"
)

// intradayBuf is reused from day to day by writeIntraday.
type intradayBuf struct {
	recs  []dbn.CbboMsg
	maps  []mapEntry
	paths [][]float64 // minute path per chain
}

// writeIntraday writes the minute quotes of session i's expiring PM-settled chains
// (0DTE) from the open to the close: one cbbo-1m record per contract per minute,
// priced on the underlying's minute path. The IDs are the day's IDs, as in the
// monthly files.
func (g *gen) writeIntraday(i int) error {
	d := g.m.days[i]
	b := &g.intraday
	b.recs, b.maps = b.recs[:0], b.maps[:0]
	type expiring struct {
		c    *chain
		s    *series
		path []float64
	}
	var live []expiring
	for ci, c := range g.chains {
		for _, s := range c.series {
			if !s.expiry.Equal(d) || s.am {
				continue
			}
			if b.paths[ci] == nil {
				b.paths[ci] = make([]float64, minutesPerSession+1)
			}
			live = append(live, expiring{c, s, c.u.minutePath(b.paths[ci], g.m, g.cfg.Seed, i)})
			for k := range s.con {
				for side := range 2 {
					st := &s.con[k].side[side]
					b.maps = append(b.maps, mapEntry{raw: st.osi, iv: []idInterval{{start: d, end: d.AddDate(0, 0, 1), id: st.id}}})
				}
			}
		}
	}
	if len(live) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(mix(uint64(g.cfg.Seed), uint64(i)), 0x696e7472616461))
	open, closeT := calendar.OpenTime(d), calendar.CloseTime(d)
	n := sessionMinutes(g.m.early[i])
	r := riskFree(d)
	for t := 1; t <= n; t++ {
		now := open.Add(time.Duration(t) * time.Minute)
		ts := uint64(now.UnixNano())
		T := math.Max(float64(closeT.Sub(now))/yearNs, minT)
		for _, l := range live {
			s, u, p := l.s, l.c.u, &l.c.u.prof
			S := l.path[t]
			atm := u.atmVol(g.m, i, T, s.expiry)
			q := u.dividendYield()
			fwd := S * math.Exp((r-q)*T)
			for k := range s.con {
				K := float64(s.con[k].strike) / 1000
				kk := math.Log(K / fwd)
				sigma := smileVol(atm, T, kk, &p.skew)
				x := kk / (atm * math.Sqrt(T))
				for side := range 2 {
					isCall := side == call
					px := bsPrice(isCall, S, K, T, r, q, sigma)
					if p.kind != kindIndex {
						px = math.Max(px, intrinsic(isCall, S, K))
					}
					b.recs = append(b.recs, intradayQuote(rng, p, s.con[k].side[side].id, px, intrinsic(isCall, S, K), x, ts))
				}
			}
		}
	}
	rel := DatasetOPRA + "/" + d.Format(time.DateOnly) + ".0dte.cbbo-1m.dbn.zst"
	md := metadata(DatasetOPRA, dbn.SchemaCbbo1M, d, d.AddDate(0, 0, 1), parents(g.chains), dbn.STypeParent, optionMappings(b.maps))
	f, err := writeDBN(g.cfg.OutDir, rel, md, b.recs)
	if err != nil {
		return err
	}
	g.pendingIntraday = append(g.pendingIntraday, f)
	return nil
}

// intradayQuote returns one minute's consolidated quote of a contract.
func intradayQuote(rng *rand.Rand, p *profile, id uint32, px, intr, x float64, ts uint64) dbn.CbboMsg {
	bid, ask := bidAsk(p, px, intr, x, 0)
	liq := math.Exp(-0.25 * x * x)
	bidSz := uint32(1 + p.sizeScale*liq*2*rng.Float64())
	askSz := uint32(1 + p.sizeScale*liq*2*rng.Float64())
	if bid == 0 {
		bidSz = 0
	}
	if rng.Float64() < undefEarly {
		bid, bidSz = dbn.UndefPrice, 0
	}
	return dbn.CbboMsg{
		Hd: dbn.RecordHeader{RType: dbn.RTypeCbbo1M, PublisherID: pubOPRA, InstrumentID: id,
			TsEvent: ts - uint64(1+rng.IntN(59_000))*uint64(time.Millisecond)},
		Price: dbn.UndefPrice, Side: 'N', Flags: cbboFlags, TsRecv: ts,
		Levels: [1]dbn.ConsolidatedBidAskPair{{BidPx: bid, AskPx: ask, BidSz: bidSz, AskSz: askSz,
			BidPb: uint16(quoteVenues[rng.IntN(len(quoteVenues))]),
			AskPb: uint16(quoteVenues[rng.IntN(len(quoteVenues))])}},
	}
}

package synth

import (
	"math"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
)

// Chances that a consolidated quote shows an empty (undefined) side: a venue glitch
// the ingest must step over to an earlier quote.
const (
	itmSpread  = 0.003 // spread per dollar of intrinsic value
	undefEarly = 0.005 // the quote well before the snapshot
	undefSnap  = 0.03  // the quote at the snapshot
	undefLate  = 0.03  // the quote after the snapshot
	lateChance = 0.5   // a quote after the snapshot exists at all
)

// bidAsk returns the quoted bid and ask around a fair value px with intrinsic value
// intr, in DBN fixed point. The spread is a tick plus a fraction of the time value
// that grows with distance from the money (x, in standard deviations) and toward
// expiry, plus a little of the intrinsic value (deep in-the-money contracts trade
// like the shares). So cheap, far out-of-the-money and short-dated contracts have
// the widest spreads relative to their price. A contract worth less than half the
// spread is bid at zero.
func bidAsk(p *profile, px, intr, x, dte float64) (bid, ask int64) {
	tick := p.tick(px)
	ext := math.Max(px-intr, 0)
	rel := p.relSpread * (1 + 0.35*math.Min(math.Abs(x), 4)) * (1 + 1.5/(1+dte))
	half := (tick + rel*ext + itmSpread*intr) / 2
	tk := int64(math.Round(tick * dbn.PriceScale))
	b := int64(math.Floor((px-half)/tick + 1e-9))
	a := int64(math.Ceil((px+half)/tick - 1e-9))
	b = max(b, 0)
	a = max(a, 1, b+1)
	return b * tk, a * tk
}

// quotes emits the day's consolidated quotes of one contract: one between 15:31 and
// 15:43 ET, one at the 15:45 snapshot, and often one just after it (not on early
// closes, whose snapshot is at 12:45). Quotes away from the snapshot are priced with
// the underlying moved a little. It returns the snapshot's bid and ask.
func (e *emitter) quotes(p *profile, st *sideState, theo, intr, delta, S, x, dte, variance float64, vol int64) (bid, ask int64) {
	sd := math.Sqrt(variance*sessionDT) * 0.2
	trade := int64(dbn.UndefPrice)
	var tradeSz uint32
	if vol > 0 {
		tb, ta := bidAsk(p, theo, intr, x, dte)
		trade = tb + (ta-tb)/2
		trade -= trade % int64(math.Round(p.tick(theo)*dbn.PriceScale))
		tradeSz = uint32(1 + e.rng.IntN(int(min(vol, 20))))
	}
	e.cbbo(p, st, priceAt(theo, delta, S, sd, e), intr, x, dte, -2-e.rng.IntN(12), trade, tradeSz, undefEarly)
	bid, ask = e.cbbo(p, st, theo, intr, x, dte, 0, trade, tradeSz, undefSnap)
	if !e.clk.early && e.rng.Float64() < lateChance {
		e.cbbo(p, st, priceAt(theo, delta, S, sd, e), intr, x, dte, 1+e.rng.IntN(2), trade, tradeSz, undefLate)
	}
	return bid, ask
}

// priceAt reprices a contract for a small random move of the underlying.
func priceAt(theo, delta, S, sd float64, e *emitter) float64 {
	return math.Max(theo+delta*S*sd*e.rng.NormFloat64(), 0)
}

// cbbo stages one cbbo-1m record for the minute ending minute minutes after the
// snapshot and returns its bid and ask (UndefPrice for an empty side).
func (e *emitter) cbbo(p *profile, st *sideState, px, intr, x, dte float64, minute int, trade int64, tradeSz uint32, undef float64) (bid, ask int64) {
	tsRecv := uint64(int64(e.clk.snap) + int64(minute)*int64(time.Minute))
	bid, ask = bidAsk(p, px, intr, x, dte)
	liq := math.Exp(-0.25 * x * x)
	bidSz := uint32(1 + p.sizeScale*liq*2*e.rng.Float64())
	askSz := uint32(1 + p.sizeScale*liq*2*e.rng.Float64())
	if bid == 0 {
		bidSz = 0
	}
	if e.rng.Float64() < undef {
		if e.rng.IntN(2) == 0 {
			bid, bidSz = dbn.UndefPrice, 0
		} else {
			ask, askSz = dbn.UndefPrice, 0
		}
	}
	side := byte('N')
	if trade != dbn.UndefPrice {
		side = "AB"[e.rng.IntN(2)]
	}
	b := &e.stage[minute-stageFirst]
	*b = append(*b, dbn.CbboMsg{
		Hd: dbn.RecordHeader{RType: dbn.RTypeCbbo1M, PublisherID: pubOPRA, InstrumentID: st.id,
			TsEvent: tsRecv - uint64(1+e.rng.IntN(59_000))*uint64(time.Millisecond)},
		Price: trade, Size: tradeSz, Side: side, Flags: cbboFlags, TsRecv: tsRecv,
		Levels: [1]dbn.ConsolidatedBidAskPair{{BidPx: bid, AskPx: ask, BidSz: bidSz, AskSz: askSz,
			BidPb: uint16(quoteVenues[e.rng.IntN(len(quoteVenues))]),
			AskPb: uint16(quoteVenues[e.rng.IntN(len(quoteVenues))])}},
	})
	return bid, ask
}

// dailyBars splits the day's volume over two or three venues and emits each venue's
// ohlcv-1d bar, as OPRA reports them (once per venue). Prices stay within a few ticks
// of the snapshot quote and the previous day's fair value.
func (e *emitter) dailyBars(p *profile, st *sideState, theo, intr float64, bid, ask, vol int64) {
	tk := int64(math.Round(p.tick(theo) * dbn.PriceScale))
	if bid == dbn.UndefPrice || ask == dbn.UndefPrice {
		bid, ask = bidAsk(p, theo, intr, 0, 30)
	}
	n := 2
	if e.rng.Float64() < 0.3 {
		n = 3
	}
	first := e.rng.IntN(len(barVenues))
	var w [3]float64
	sum := 0.0
	for j := range n {
		w[j] = 0.2 + e.rng.Float64()
		sum += w[j]
	}
	left := vol
	for j := range n {
		v := int64(float64(vol) * w[j] / sum)
		if j == n-1 {
			v = left
		}
		left -= v
		if v <= 0 {
			continue
		}
		prev := float64(st.lastMid)
		if prev <= 0 {
			prev = theo
		}
		spreadTicks := max((ask-bid)/tk, 0)
		cls := bid + int64(e.rng.IntN(int(spreadTicks)+1))*tk
		open := max(int64(math.Round(prev*dbn.PriceScale/float64(tk)))*tk, tk)
		hi := max(open, cls) + int64(e.rng.IntN(3))*tk
		lo := max(min(open, cls)-int64(e.rng.IntN(3))*tk, tk)
		cls = max(cls, lo)
		e.buf.ohlcv = append(e.buf.ohlcv, dbn.OhlcvMsg{
			Hd: dbn.RecordHeader{RType: dbn.RTypeOhlcv1D, PublisherID: uint16(barVenues[(first+2*j)%len(barVenues)]),
				InstrumentID: st.id, TsEvent: e.clk.midnight},
			Open: open, High: hi, Low: lo, Close: cls, Volume: uint64(v),
		})
	}
}

// definitionTemplate returns an OPRA definition with the fields every contract shares,
// set the way OPRA.PILLAR sets them: most numeric fields undefined (multiplier
// included, so the reader must know options carry 100 shares), currency USD.
func definitionTemplate() dbn.InstrumentDefMsg {
	const i32max, u32max = math.MaxInt32, math.MaxUint32
	return dbn.InstrumentDefMsg{
		Hd:                dbn.RecordHeader{RType: dbn.RTypeInstrumentDef, PublisherID: pubOPRA},
		MinPriceIncrement: dbn.UndefPrice, DisplayFactor: dbn.UndefPrice, Activation: dbn.UndefTimestamp,
		HighLimitPrice: dbn.UndefPrice, LowLimitPrice: dbn.UndefPrice, MaxPriceVariation: dbn.UndefPrice,
		UnitOfMeasureQty: dbn.UndefPrice, MinPriceIncrementAmount: dbn.UndefPrice, PriceRatio: dbn.UndefPrice,
		LegPrice: dbn.UndefPrice, LegDelta: dbn.UndefPrice,
		InstAttribValue: i32max, UnderlyingID: pubOPRA, MarketDepthImplied: i32max, MarketDepth: i32max,
		MarketSegmentID: u32max, MaxTradeVol: u32max, MinLotSize: i32max, MinLotSizeBlock: i32max,
		MinLotSizeRoundLot: i32max, MinTradeVol: u32max,
		ContractMultiplier: i32max, DecayQuantity: i32max, OriginalContractSize: i32max,
		ApplID: math.MaxInt16, MaturityYear: math.MaxUint16, DecayStartDate: math.MaxUint16, ChannelID: 1,
		Currency: "USD", Group: "popra-1", Exchange: "OPRA", SecurityType: "OPT", UnitOfMeasure: "USD",
		StrikePriceCurrency: "USD",
		MatchAlgorithm:      ' ', MainFraction: 255, PriceDisplayFormat: 255, SubFraction: 255, UnderlyingProduct: 255,
		SecurityUpdateAction: 'A', MaturityMonth: 255, MaturityDay: 255, MaturityWeek: 255,
		UserDefinedInstrument: 'N', ContractMultiplierUnit: math.MaxInt8, FlowScheduleType: math.MaxInt8,
		TickRule: 255, LegSide: 'N',
	}
}

// definition appends the definition of one side of a contract.
func (e *emitter) definition(c *chain, s *series, ct *contract, side int) {
	st := &ct.side[side]
	ts := e.clk.defs + e.nDef*1000
	e.nDef++
	e.buf.defs = append(e.buf.defs, e.defTpl)
	d := &e.buf.defs[len(e.buf.defs)-1]
	d.Hd.InstrumentID, d.Hd.TsEvent = st.id, ts
	d.TsRecv = ts + 211_000
	d.Expiration = uint64(s.expiry.UnixNano())
	d.StrikePrice = ct.strike * (dbn.PriceScale / 1000)
	d.RawInstrumentID = uint64(st.id)
	d.RawSymbol, d.Asset, d.Underlying = st.osi, s.root, c.u.prof.symbol
	d.InstrumentClass = "CP"[side]
}

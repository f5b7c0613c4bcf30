package dbn

import (
	"fmt"
	"math"
)

// defLayout gives the byte offsets of the instrument definition fields in one
// DBN version. Fields that come in runs keep their order in every version:
// the run starting at ints, the four uint16 starting at applID, and the
// eight single bytes starting at secUpdAction.
type defLayout struct {
	size   int
	uomQty int // unit_of_measure_qty; min_price_increment_amount and price_ratio follow
	strike int
	rawID  int
	wideID bool // raw_instrument_id is uint64 (v3) rather than uint32
	ints   int  // inst_attrib_value, underlying_id, then (v1, v2) raw_instrument_id
	ints2  int  // market_depth_implied through min_trade_vol (7 fields)
	ints3  int  // contract_multiplier, decay_quantity, original_contract_size
	applID int  // appl_id, maturity_year, decay_start_date, channel_id

	currency, settlCurrency, secsubtype, rawSymbol, group, exchange     int
	asset, cfi, securityType, unitOfMeasure, underlying, strikeCurrency int
	symbolLen, assetLen                                                 int

	class, match, mainFraction, priceDisplay, subFraction, underlyingProduct int
	secUpdAction                                                             int // through tick_rule

	// Fields versions 1 and 2 have and version 3 dropped; -1 when absent.
	tradingRefPrice, tradingRefDate, mdStatus, settlPriceType int
}

var defV1 = defLayout{
	size: 360, uomQty: 88, strike: 328, rawID: 120, ints: 112, ints2: 124, ints3: 160, applID: 178,
	currency: 186, settlCurrency: 190, secsubtype: 194, rawSymbol: 200, group: 222, exchange: 243,
	asset: 248, cfi: 255, securityType: 262, unitOfMeasure: 269, underlying: 300, strikeCurrency: 321,
	symbolLen: SymbolCstrLenV1, assetLen: 7,
	class: 325, match: 342, mainFraction: 344, priceDisplay: 345, subFraction: 347,
	underlyingProduct: 348, secUpdAction: 349,
	tradingRefPrice: 80, tradingRefDate: 176, mdStatus: 343, settlPriceType: 346,
}

var defV2 = defLayout{
	size: 400, uomQty: 88, strike: 112, rawID: 128, ints: 120, ints2: 132, ints3: 164, applID: 178,
	currency: 186, settlCurrency: 190, secsubtype: 194, rawSymbol: 200, group: 271, exchange: 292,
	asset: 297, cfi: 304, securityType: 311, unitOfMeasure: 318, underlying: 349, strikeCurrency: 370,
	symbolLen: SymbolCstrLen, assetLen: 7,
	class: 374, match: 375, mainFraction: 377, priceDisplay: 378, subFraction: 380,
	underlyingProduct: 381, secUpdAction: 382,
	tradingRefPrice: 80, tradingRefDate: 176, mdStatus: 376, settlPriceType: 379,
}

var defV3 = defLayout{
	size: 520, uomQty: 80, strike: 104, rawID: 112, wideID: true, ints: 136, ints2: 144, ints3: 176,
	applID:   212,
	currency: 224, settlCurrency: 228, secsubtype: 232, rawSymbol: 238, group: 309, exchange: 330,
	asset: 335, cfi: 346, securityType: 353, unitOfMeasure: 360, underlying: 391, strikeCurrency: 412,
	symbolLen: SymbolCstrLen, assetLen: 11,
	class: 487, match: 488, mainFraction: 489, priceDisplay: 490, subFraction: 491,
	underlyingProduct: 492, secUpdAction: 493,
	tradingRefPrice: -1, tradingRefDate: -1, mdStatus: -1, settlPriceType: -1,
}

func defLayoutFor(version uint8) *defLayout {
	switch version {
	case 1:
		return &defV1
	case 2:
		return &defV2
	}
	return &defV3
}

func getDef(b []byte, version uint8, m *InstrumentDefMsg) {
	l := defLayoutFor(version)
	getHeader(b, &m.Hd)
	m.TsRecv, m.MinPriceIncrement, m.DisplayFactor = u64(b, 16), i64(b, 24), i64(b, 32)
	m.Expiration, m.Activation = u64(b, 40), u64(b, 48)
	m.HighLimitPrice, m.LowLimitPrice, m.MaxPriceVariation = i64(b, 56), i64(b, 64), i64(b, 72)
	m.UnitOfMeasureQty, m.MinPriceIncrementAmount, m.PriceRatio = i64(b, l.uomQty), i64(b, l.uomQty+8), i64(b, l.uomQty+16)
	m.StrikePrice = i64(b, l.strike)
	if l.wideID {
		m.RawInstrumentID = u64(b, l.rawID)
	} else {
		m.RawInstrumentID = uint64(u32(b, l.rawID))
	}
	m.InstAttribValue, m.UnderlyingID = i32(b, l.ints), u32(b, l.ints+4)
	o := l.ints2
	m.MarketDepthImplied, m.MarketDepth, m.MarketSegmentID = i32(b, o), i32(b, o+4), u32(b, o+8)
	m.MaxTradeVol, m.MinLotSize, m.MinLotSizeBlock = u32(b, o+12), i32(b, o+16), i32(b, o+20)
	m.MinLotSizeRoundLot, m.MinTradeVol = i32(b, o+24), u32(b, o+28)
	o = l.ints3
	m.ContractMultiplier, m.DecayQuantity, m.OriginalContractSize = i32(b, o), i32(b, o+4), i32(b, o+8)
	o = l.applID
	m.ApplID, m.MaturityYear = int16(u16(b, o)), u16(b, o+2)
	m.DecayStartDate, m.ChannelID = u16(b, o+4), u16(b, o+6)
	getDefStrings(b, l, m)
	m.InstrumentClass, m.MatchAlgorithm = b[l.class], b[l.match]
	m.MainFraction, m.PriceDisplayFormat = b[l.mainFraction], b[l.priceDisplay]
	m.SubFraction, m.UnderlyingProduct = b[l.subFraction], b[l.underlyingProduct]
	o = l.secUpdAction
	m.SecurityUpdateAction, m.MaturityMonth, m.MaturityDay, m.MaturityWeek = b[o], b[o+1], b[o+2], b[o+3]
	m.UserDefinedInstrument, m.ContractMultiplierUnit = b[o+4], int8(b[o+5])
	m.FlowScheduleType, m.TickRule = int8(b[o+6]), b[o+7]
	if version >= 3 {
		getDefLegs(b, m)
	} else {
		setNoLegs(m)
	}
}

func getDefStrings(b []byte, l *defLayout, m *InstrumentDefMsg) {
	m.Currency = cstr(b[l.currency:l.currency+4], m.Currency)
	m.SettlCurrency = cstr(b[l.settlCurrency:l.settlCurrency+4], m.SettlCurrency)
	m.Secsubtype = cstr(b[l.secsubtype:l.secsubtype+6], m.Secsubtype)
	m.RawSymbol = cstr(b[l.rawSymbol:l.rawSymbol+l.symbolLen], m.RawSymbol)
	m.Group = cstr(b[l.group:l.group+21], m.Group)
	m.Exchange = cstr(b[l.exchange:l.exchange+5], m.Exchange)
	m.Asset = cstr(b[l.asset:l.asset+l.assetLen], m.Asset)
	m.Cfi = cstr(b[l.cfi:l.cfi+7], m.Cfi)
	m.SecurityType = cstr(b[l.securityType:l.securityType+7], m.SecurityType)
	m.UnitOfMeasure = cstr(b[l.unitOfMeasure:l.unitOfMeasure+31], m.UnitOfMeasure)
	m.Underlying = cstr(b[l.underlying:l.underlying+21], m.Underlying)
	m.StrikePriceCurrency = cstr(b[l.strikeCurrency:l.strikeCurrency+4], m.StrikePriceCurrency)
}

// getDefLegs reads the leg fields only version 3 has.
func getDefLegs(b []byte, m *InstrumentDefMsg) {
	m.LegPrice, m.LegDelta = i64(b, 120), i64(b, 128)
	m.LegInstrumentID = u32(b, 188)
	m.LegRatioPriceNumerator, m.LegRatioPriceDenominator = i32(b, 192), i32(b, 196)
	m.LegRatioQtyNumerator, m.LegRatioQtyDenominator = i32(b, 200), i32(b, 204)
	m.LegUnderlyingID = u32(b, 208)
	m.LegCount, m.LegIndex = u16(b, 220), u16(b, 222)
	m.LegRawSymbol = cstr(b[416:487], m.LegRawSymbol)
	m.LegInstrumentClass, m.LegSide = b[501], b[502]
}

// setNoLegs gives the leg fields the values DBN uses for an outright when it
// upgrades a version 1 or 2 definition.
func setNoLegs(m *InstrumentDefMsg) {
	m.LegPrice, m.LegDelta = UndefPrice, UndefPrice
	m.LegInstrumentID, m.LegUnderlyingID = 0, 0
	m.LegRatioPriceNumerator, m.LegRatioPriceDenominator = 0, 0
	m.LegRatioQtyNumerator, m.LegRatioQtyDenominator = 0, 0
	m.LegCount, m.LegIndex = 0, 0
	m.LegRawSymbol = ""
	m.LegInstrumentClass, m.LegSide = 0, 'N'
}

// hasLegs reports whether m carries leg information that versions 1 and 2
// cannot hold.
func hasLegs(m *InstrumentDefMsg) bool {
	undefOrZero := func(p int64) bool { return p == UndefPrice || p == 0 }
	return m.LegCount != 0 || m.LegIndex != 0 || m.LegInstrumentID != 0 || m.LegUnderlyingID != 0 ||
		m.LegRatioPriceNumerator != 0 || m.LegRatioPriceDenominator != 0 ||
		m.LegRatioQtyNumerator != 0 || m.LegRatioQtyDenominator != 0 ||
		m.LegRawSymbol != "" || m.LegInstrumentClass != 0 ||
		(m.LegSide != 0 && m.LegSide != 'N') || !undefOrZero(m.LegPrice) || !undefOrZero(m.LegDelta)
}

func putDef(b []byte, version uint8, m *InstrumentDefMsg) error {
	l := defLayoutFor(version)
	if version < 3 {
		if hasLegs(m) {
			return fmt.Errorf("dbn: definition of %q has leg fields, which DBN version %d cannot hold", m.RawSymbol, version)
		}
		if m.RawInstrumentID > math.MaxUint32 {
			return fmt.Errorf("dbn: raw_instrument_id %d does not fit DBN version %d", m.RawInstrumentID, version)
		}
	}
	putHeader(b, &m.Hd)
	put64(b, 16, m.TsRecv)
	put64(b, 24, uint64(m.MinPriceIncrement))
	put64(b, 32, uint64(m.DisplayFactor))
	put64(b, 40, m.Expiration)
	put64(b, 48, m.Activation)
	put64(b, 56, uint64(m.HighLimitPrice))
	put64(b, 64, uint64(m.LowLimitPrice))
	put64(b, 72, uint64(m.MaxPriceVariation))
	put64(b, l.uomQty, uint64(m.UnitOfMeasureQty))
	put64(b, l.uomQty+8, uint64(m.MinPriceIncrementAmount))
	put64(b, l.uomQty+16, uint64(m.PriceRatio))
	put64(b, l.strike, uint64(m.StrikePrice))
	if l.wideID {
		put64(b, l.rawID, m.RawInstrumentID)
	} else {
		put32(b, l.rawID, uint32(m.RawInstrumentID))
	}
	putDefInts(b, l, m)
	if err := putDefStrings(b, l, m); err != nil {
		return err
	}
	b[l.class], b[l.match] = m.InstrumentClass, m.MatchAlgorithm
	b[l.mainFraction], b[l.priceDisplay] = m.MainFraction, m.PriceDisplayFormat
	b[l.subFraction], b[l.underlyingProduct] = m.SubFraction, m.UnderlyingProduct
	o := l.secUpdAction
	b[o], b[o+1], b[o+2], b[o+3] = m.SecurityUpdateAction, m.MaturityMonth, m.MaturityDay, m.MaturityWeek
	b[o+4], b[o+5] = m.UserDefinedInstrument, byte(m.ContractMultiplierUnit)
	b[o+6], b[o+7] = byte(m.FlowScheduleType), m.TickRule
	if version >= 3 {
		return putDefLegs(b, m)
	}
	// The fields version 3 dropped get DBN's "not set" values.
	put64(b, l.tradingRefPrice, uint64(UndefPrice))
	put16(b, l.tradingRefDate, math.MaxUint16)
	b[l.mdStatus], b[l.settlPriceType] = math.MaxUint8, math.MaxUint8
	return nil
}

func putDefInts(b []byte, l *defLayout, m *InstrumentDefMsg) {
	put32(b, l.ints, uint32(m.InstAttribValue))
	put32(b, l.ints+4, m.UnderlyingID)
	o := l.ints2
	put32(b, o, uint32(m.MarketDepthImplied))
	put32(b, o+4, uint32(m.MarketDepth))
	put32(b, o+8, m.MarketSegmentID)
	put32(b, o+12, m.MaxTradeVol)
	put32(b, o+16, uint32(m.MinLotSize))
	put32(b, o+20, uint32(m.MinLotSizeBlock))
	put32(b, o+24, uint32(m.MinLotSizeRoundLot))
	put32(b, o+28, m.MinTradeVol)
	o = l.ints3
	put32(b, o, uint32(m.ContractMultiplier))
	put32(b, o+4, uint32(m.DecayQuantity))
	put32(b, o+8, uint32(m.OriginalContractSize))
	o = l.applID
	put16(b, o, uint16(m.ApplID))
	put16(b, o+2, m.MaturityYear)
	put16(b, o+4, m.DecayStartDate)
	put16(b, o+6, m.ChannelID)
}

func putDefStrings(b []byte, l *defLayout, m *InstrumentDefMsg) error {
	fields := [...]struct {
		off, n  int
		s, name string
	}{
		{l.currency, 4, m.Currency, "currency"},
		{l.settlCurrency, 4, m.SettlCurrency, "settl_currency"},
		{l.secsubtype, 6, m.Secsubtype, "secsubtype"},
		{l.rawSymbol, l.symbolLen, m.RawSymbol, "raw_symbol"},
		{l.group, 21, m.Group, "group"},
		{l.exchange, 5, m.Exchange, "exchange"},
		{l.asset, l.assetLen, m.Asset, "asset"},
		{l.cfi, 7, m.Cfi, "cfi"},
		{l.securityType, 7, m.SecurityType, "security_type"},
		{l.unitOfMeasure, 31, m.UnitOfMeasure, "unit_of_measure"},
		{l.underlying, 21, m.Underlying, "underlying"},
		{l.strikeCurrency, 4, m.StrikePriceCurrency, "strike_price_currency"},
	}
	for _, f := range fields {
		if err := putCstr(b[f.off:f.off+f.n], f.s, f.name); err != nil {
			return err
		}
	}
	return nil
}

func putDefLegs(b []byte, m *InstrumentDefMsg) error {
	put64(b, 120, uint64(m.LegPrice))
	put64(b, 128, uint64(m.LegDelta))
	put32(b, 188, m.LegInstrumentID)
	put32(b, 192, uint32(m.LegRatioPriceNumerator))
	put32(b, 196, uint32(m.LegRatioPriceDenominator))
	put32(b, 200, uint32(m.LegRatioQtyNumerator))
	put32(b, 204, uint32(m.LegRatioQtyDenominator))
	put32(b, 208, m.LegUnderlyingID)
	put16(b, 220, m.LegCount)
	put16(b, 222, m.LegIndex)
	b[501], b[502] = m.LegInstrumentClass, m.LegSide
	return putCstr(b[416:487], m.LegRawSymbol, "leg_raw_symbol")
}

package dbn

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// JSON output follows Databento's field names. Prices are decimal strings
// ("4.225") and null when undefined; uint64 values (timestamps, IDs, volumes)
// are decimal strings so no JSON reader loses precision, and undefined
// timestamps are null; single-character fields are one-character strings
// ("" for NUL); record types, schemas and symbologies are their names.

// WriteMetadataJSON writes md as one JSON object on one line.
func WriteMetadataJSON(w io.Writer, md *Metadata) error {
	type interval struct {
		StartDate string `json:"start_date"`
		EndDate   string `json:"end_date"`
		Symbol    string `json:"symbol"`
	}
	type mapping struct {
		RawSymbol string     `json:"raw_symbol"`
		Intervals []interval `json:"intervals"`
	}
	out := struct {
		Version       uint8     `json:"version"`
		Dataset       string    `json:"dataset"`
		Schema        string    `json:"schema"`
		Start         string    `json:"start"`
		End           *string   `json:"end"`
		Limit         uint64    `json:"limit"`
		RecordCount   *string   `json:"record_count,omitempty"`
		StypeIn       string    `json:"stype_in"`
		StypeOut      string    `json:"stype_out"`
		TsOut         bool      `json:"ts_out"`
		SymbolCstrLen uint16    `json:"symbol_cstr_len"`
		Symbols       []string  `json:"symbols"`
		Partial       []string  `json:"partial"`
		NotFound      []string  `json:"not_found"`
		Mappings      []mapping `json:"mappings"`
	}{
		Version: md.Version, Dataset: md.Dataset, Schema: md.Schema.String(),
		Start: strconv.FormatUint(md.Start, 10), Limit: md.Limit,
		StypeIn: md.StypeIn.String(), StypeOut: md.StypeOut.String(), TsOut: md.TsOut,
		SymbolCstrLen: md.SymbolCstrLen, Symbols: nonNil(md.Symbols), Partial: nonNil(md.Partial),
		NotFound: nonNil(md.NotFound), Mappings: []mapping{},
	}
	if md.End != UndefTimestamp {
		s := strconv.FormatUint(md.End, 10)
		out.End = &s
	}
	if md.Version <= 1 && md.RecordCount != math.MaxUint64 {
		s := strconv.FormatUint(md.RecordCount, 10)
		out.RecordCount = &s
	}
	for _, m := range md.Mappings {
		jm := mapping{RawSymbol: m.RawSymbol, Intervals: []interval{}}
		for _, iv := range m.Intervals {
			jm.Intervals = append(jm.Intervals, interval{
				iv.StartDate.UTC().Format(time.DateOnly), iv.EndDate.UTC().Format(time.DateOnly), iv.Symbol,
			})
		}
		out.Mappings = append(out.Mappings, jm)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("dbn: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteRecordJSON writes r as one JSON object on one line, with every field.
func WriteRecordJSON(w io.Writer, r Record) error {
	var buf [1024]byte
	b := AppendRecordJSON(buf[:0], r)
	_, err := w.Write(append(b, '\n'))
	return err
}

// AppendRecordJSON appends r as a JSON object (no newline) to dst.
func AppendRecordJSON(dst []byte, r Record) []byte {
	j := &jsonObj{b: append(dst, '{')}
	j.header(r.Header())
	switch m := r.(type) {
	case *MboMsg:
		j.u64("order_id", m.OrderID)
		j.px("price", m.Price)
		j.uint("size", uint64(m.Size))
		j.uint("flags", uint64(m.Flags))
		j.uint("channel_id", uint64(m.ChannelID))
		j.char("action", m.Action)
		j.char("side", m.Side)
		j.ts("ts_recv", m.TsRecv)
		j.int("ts_in_delta", int64(m.TsInDelta))
		j.uint("sequence", uint64(m.Sequence))
	case *TradeMsg:
		j.mbp(m.Price, m.Size, m.Action, m.Side, m.Flags, m.Depth, m.TsRecv, m.TsInDelta, m.Sequence)
	case *Mbp1Msg:
		j.mbp(m.Price, m.Size, m.Action, m.Side, m.Flags, m.Depth, m.TsRecv, m.TsInDelta, m.Sequence)
		j.levels(m.Levels[:])
	case *Mbp10Msg:
		j.mbp(m.Price, m.Size, m.Action, m.Side, m.Flags, m.Depth, m.TsRecv, m.TsInDelta, m.Sequence)
		j.levels(m.Levels[:])
	case *BboMsg:
		j.px("price", m.Price)
		j.uint("size", uint64(m.Size))
		j.char("side", m.Side)
		j.uint("flags", uint64(m.Flags))
		j.ts("ts_recv", m.TsRecv)
		j.uint("sequence", uint64(m.Sequence))
		j.levels(m.Levels[:])
	case *Cmbp1Msg:
		j.px("price", m.Price)
		j.uint("size", uint64(m.Size))
		j.char("action", m.Action)
		j.char("side", m.Side)
		j.uint("flags", uint64(m.Flags))
		j.ts("ts_recv", m.TsRecv)
		j.int("ts_in_delta", int64(m.TsInDelta))
		j.clevels(m.Levels[:])
	case *CbboMsg:
		j.px("price", m.Price)
		j.uint("size", uint64(m.Size))
		j.char("side", m.Side)
		j.uint("flags", uint64(m.Flags))
		j.ts("ts_recv", m.TsRecv)
		j.clevels(m.Levels[:])
	case *OhlcvMsg:
		j.px("open", m.Open)
		j.px("high", m.High)
		j.px("low", m.Low)
		j.px("close", m.Close)
		j.u64("volume", m.Volume)
	default:
		appendOtherJSON(j, r)
	}
	return append(j.b, '}')
}

func appendOtherJSON(j *jsonObj, r Record) {
	switch m := r.(type) {
	case *StatusMsg:
		j.ts("ts_recv", m.TsRecv)
		j.uint("action", uint64(m.Action))
		j.uint("reason", uint64(m.Reason))
		j.uint("trading_event", uint64(m.TradingEvent))
		j.char("is_trading", m.IsTrading)
		j.char("is_quoting", m.IsQuoting)
		j.char("is_short_sell_restricted", m.IsShortSellRestricted)
	case *InstrumentDefMsg:
		appendDefJSON(j, m)
	case *ImbalanceMsg:
		appendImbalanceJSON(j, m)
	case *StatMsg:
		j.ts("ts_recv", m.TsRecv)
		j.ts("ts_ref", m.TsRef)
		j.px("price", m.Price)
		if m.Quantity == UndefStatQuantity {
			j.null("quantity")
		} else {
			j.int("quantity", m.Quantity)
		}
		j.uint("sequence", uint64(m.Sequence))
		j.int("ts_in_delta", int64(m.TsInDelta))
		j.uint("stat_type", uint64(m.StatType))
		j.uint("channel_id", uint64(m.ChannelID))
		j.uint("update_action", uint64(m.UpdateAction))
		j.uint("stat_flags", uint64(m.StatFlags))
	case *ErrorMsg:
		j.str("err", m.Err)
		j.uint("code", uint64(m.Code))
		j.uint("is_last", uint64(m.IsLast))
	case *SymbolMappingMsg:
		j.str("stype_in", m.StypeIn.String())
		j.str("stype_in_symbol", m.StypeInSymbol)
		j.str("stype_out", m.StypeOut.String())
		j.str("stype_out_symbol", m.StypeOutSymbol)
		j.ts("start_ts", m.StartTs)
		j.ts("end_ts", m.EndTs)
	case *SystemMsg:
		j.str("msg", m.Msg)
		j.uint("code", uint64(m.Code))
	}
}

func appendDefJSON(j *jsonObj, m *InstrumentDefMsg) {
	j.ts("ts_recv", m.TsRecv)
	j.px("min_price_increment", m.MinPriceIncrement)
	j.px("display_factor", m.DisplayFactor)
	j.ts("expiration", m.Expiration)
	j.ts("activation", m.Activation)
	j.px("high_limit_price", m.HighLimitPrice)
	j.px("low_limit_price", m.LowLimitPrice)
	j.px("max_price_variation", m.MaxPriceVariation)
	j.px("unit_of_measure_qty", m.UnitOfMeasureQty)
	j.px("min_price_increment_amount", m.MinPriceIncrementAmount)
	j.px("price_ratio", m.PriceRatio)
	j.px("strike_price", m.StrikePrice)
	j.u64("raw_instrument_id", m.RawInstrumentID)
	j.px("leg_price", m.LegPrice)
	j.px("leg_delta", m.LegDelta)
	for _, f := range [...]struct {
		k string
		v int64
	}{
		{"inst_attrib_value", int64(m.InstAttribValue)}, {"underlying_id", int64(m.UnderlyingID)},
		{"market_depth_implied", int64(m.MarketDepthImplied)}, {"market_depth", int64(m.MarketDepth)},
		{"market_segment_id", int64(m.MarketSegmentID)}, {"max_trade_vol", int64(m.MaxTradeVol)},
		{"min_lot_size", int64(m.MinLotSize)}, {"min_lot_size_block", int64(m.MinLotSizeBlock)},
		{"min_lot_size_round_lot", int64(m.MinLotSizeRoundLot)}, {"min_trade_vol", int64(m.MinTradeVol)},
		{"contract_multiplier", int64(m.ContractMultiplier)}, {"decay_quantity", int64(m.DecayQuantity)},
		{"original_contract_size", int64(m.OriginalContractSize)}, {"leg_instrument_id", int64(m.LegInstrumentID)},
		{"leg_ratio_price_numerator", int64(m.LegRatioPriceNumerator)},
		{"leg_ratio_price_denominator", int64(m.LegRatioPriceDenominator)},
		{"leg_ratio_qty_numerator", int64(m.LegRatioQtyNumerator)},
		{"leg_ratio_qty_denominator", int64(m.LegRatioQtyDenominator)},
		{"leg_underlying_id", int64(m.LegUnderlyingID)}, {"appl_id", int64(m.ApplID)},
		{"maturity_year", int64(m.MaturityYear)}, {"decay_start_date", int64(m.DecayStartDate)},
		{"channel_id", int64(m.ChannelID)}, {"leg_count", int64(m.LegCount)}, {"leg_index", int64(m.LegIndex)},
	} {
		j.int(f.k, f.v)
	}
	for _, f := range [...]struct{ k, v string }{
		{"currency", m.Currency}, {"settl_currency", m.SettlCurrency}, {"secsubtype", m.Secsubtype},
		{"raw_symbol", m.RawSymbol}, {"group", m.Group}, {"exchange", m.Exchange}, {"asset", m.Asset},
		{"cfi", m.Cfi}, {"security_type", m.SecurityType}, {"unit_of_measure", m.UnitOfMeasure},
		{"underlying", m.Underlying}, {"strike_price_currency", m.StrikePriceCurrency},
		{"leg_raw_symbol", m.LegRawSymbol},
	} {
		j.str(f.k, f.v)
	}
	j.char("instrument_class", m.InstrumentClass)
	j.char("match_algorithm", m.MatchAlgorithm)
	j.uint("main_fraction", uint64(m.MainFraction))
	j.uint("price_display_format", uint64(m.PriceDisplayFormat))
	j.uint("sub_fraction", uint64(m.SubFraction))
	j.uint("underlying_product", uint64(m.UnderlyingProduct))
	j.char("security_update_action", m.SecurityUpdateAction)
	j.uint("maturity_month", uint64(m.MaturityMonth))
	j.uint("maturity_day", uint64(m.MaturityDay))
	j.uint("maturity_week", uint64(m.MaturityWeek))
	j.char("user_defined_instrument", m.UserDefinedInstrument)
	j.int("contract_multiplier_unit", int64(m.ContractMultiplierUnit))
	j.int("flow_schedule_type", int64(m.FlowScheduleType))
	j.uint("tick_rule", uint64(m.TickRule))
	j.char("leg_instrument_class", m.LegInstrumentClass)
	j.char("leg_side", m.LegSide)
}

func appendImbalanceJSON(j *jsonObj, m *ImbalanceMsg) {
	j.ts("ts_recv", m.TsRecv)
	j.px("ref_price", m.RefPrice)
	j.ts("auction_time", m.AuctionTime)
	j.px("cont_book_clr_price", m.ContBookClrPrice)
	j.px("auct_interest_clr_price", m.AuctInterestClrPrice)
	j.px("ssr_filling_price", m.SsrFillingPrice)
	j.px("ind_match_price", m.IndMatchPrice)
	j.px("upper_collar", m.UpperCollar)
	j.px("lower_collar", m.LowerCollar)
	j.uint("paired_qty", uint64(m.PairedQty))
	j.uint("total_imbalance_qty", uint64(m.TotalImbalanceQty))
	j.uint("market_imbalance_qty", uint64(m.MarketImbalanceQty))
	j.uint("unpaired_qty", uint64(m.UnpairedQty))
	j.char("auction_type", m.AuctionType)
	j.char("side", m.Side)
	j.uint("auction_status", uint64(m.AuctionStatus))
	j.uint("freeze_status", uint64(m.FreezeStatus))
	j.uint("num_extensions", uint64(m.NumExtensions))
	j.char("unpaired_side", m.UnpairedSide)
	j.char("significant_imbalance", m.SignificantImbalance)
}

// jsonObj appends the members of a JSON object.
type jsonObj struct {
	b    []byte
	more bool
}

func (j *jsonObj) key(k string) {
	if j.more {
		j.b = append(j.b, ',')
	}
	j.more = true
	j.b = append(j.b, '"')
	j.b = append(j.b, k...)
	j.b = append(j.b, '"', ':')
}

func (j *jsonObj) null(k string) { j.key(k); j.b = append(j.b, "null"...) }

func (j *jsonObj) uint(k string, v uint64) { j.key(k); j.b = strconv.AppendUint(j.b, v, 10) }

func (j *jsonObj) int(k string, v int64) { j.key(k); j.b = strconv.AppendInt(j.b, v, 10) }

func (j *jsonObj) u64(k string, v uint64) {
	j.key(k)
	j.b = append(j.b, '"')
	j.b = strconv.AppendUint(j.b, v, 10)
	j.b = append(j.b, '"')
}

func (j *jsonObj) ts(k string, v uint64) {
	if v == UndefTimestamp {
		j.null(k)
		return
	}
	j.u64(k, v)
}

func (j *jsonObj) px(k string, v int64) {
	if v == UndefPrice {
		j.null(k)
		return
	}
	j.key(k)
	j.b = append(j.b, '"')
	j.b = appendPrice(j.b, v)
	j.b = append(j.b, '"')
}

func (j *jsonObj) char(k string, c byte) {
	j.key(k)
	switch {
	case c == 0:
		j.b = append(j.b, '"', '"')
	case c < utf8.RuneSelf:
		j.b = appendJSONString(j.b, string(rune(c)))
	default: // not ASCII: keep the byte's value as a Latin-1 code point
		j.b = append(j.b, `"\u00`...)
		j.b = append(j.b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15], '"')
	}
}

func (j *jsonObj) str(k, s string) { j.key(k); j.b = appendJSONString(j.b, s) }

func (j *jsonObj) header(h *RecordHeader) {
	j.key("hd")
	j.b = append(j.b, '{')
	hj := jsonObj{b: j.b}
	hj.ts("ts_event", h.TsEvent)
	hj.str("rtype", h.RType.String())
	hj.uint("publisher_id", uint64(h.PublisherID))
	hj.uint("instrument_id", uint64(h.InstrumentID))
	j.b = append(hj.b, '}')
}

func (j *jsonObj) mbp(price int64, size uint32, action, side, flags, depth uint8, tsRecv uint64, tsInDelta int32, seq uint32) {
	j.px("price", price)
	j.uint("size", uint64(size))
	j.char("action", action)
	j.char("side", side)
	j.uint("flags", uint64(flags))
	j.uint("depth", uint64(depth))
	j.ts("ts_recv", tsRecv)
	j.int("ts_in_delta", int64(tsInDelta))
	j.uint("sequence", uint64(seq))
}

func (j *jsonObj) levels(ls []BidAskPair) {
	j.key("levels")
	j.b = append(j.b, '[')
	for i := range ls {
		if i > 0 {
			j.b = append(j.b, ',')
		}
		l := jsonObj{b: append(j.b, '{')}
		l.px("bid_px", ls[i].BidPx)
		l.px("ask_px", ls[i].AskPx)
		l.uint("bid_sz", uint64(ls[i].BidSz))
		l.uint("ask_sz", uint64(ls[i].AskSz))
		l.uint("bid_ct", uint64(ls[i].BidCt))
		l.uint("ask_ct", uint64(ls[i].AskCt))
		j.b = append(l.b, '}')
	}
	j.b = append(j.b, ']')
}

func (j *jsonObj) clevels(ls []ConsolidatedBidAskPair) {
	j.key("levels")
	j.b = append(j.b, '[')
	for i := range ls {
		if i > 0 {
			j.b = append(j.b, ',')
		}
		l := jsonObj{b: append(j.b, '{')}
		l.px("bid_px", ls[i].BidPx)
		l.px("ask_px", ls[i].AskPx)
		l.uint("bid_sz", uint64(ls[i].BidSz))
		l.uint("ask_sz", uint64(ls[i].AskSz))
		l.uint("bid_pb", uint64(ls[i].BidPb))
		l.uint("ask_pb", uint64(ls[i].AskPb))
		j.b = append(l.b, '}')
	}
	j.b = append(j.b, ']')
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

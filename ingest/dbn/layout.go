package dbn

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// This file holds the byte layouts of the records: sizes per DBN version and
// the functions that copy between wire bytes and the in-memory structs. All
// integers are little-endian; offsets are from the start of the record.

const headerLen = 16

// wireSize returns the size in bytes of a record of type t in DBN version
// (1, 2 or 3), excluding ts_out, or 0 if t is not a known record type.
func wireSize(t RType, version uint8) int {
	switch t {
	case RTypeMbo, RTypeOhlcv1S, RTypeOhlcv1M, RTypeOhlcv1H, RTypeOhlcv1D, RTypeOhlcvEod,
		RTypeOhlcvDeprecated:
		return 56
	case RTypeMbp0:
		return 48
	case RTypeMbp1, RTypeBbo1S, RTypeBbo1M, RTypeCmbp1, RTypeTcbbo, RTypeCbbo1S, RTypeCbbo1M:
		return 80
	case RTypeMbp10:
		return 368
	case RTypeStatus:
		return 40
	case RTypeImbalance:
		return 112
	case RTypeInstrumentDef:
		switch version {
		case 1:
			return 360
		case 2:
			return 400
		}
		return 520
	case RTypeStatistics:
		if version < 3 {
			return 64
		}
		return 80
	case RTypeError, RTypeSystem:
		if version < 2 {
			return 80
		}
		return 320
	case RTypeSymbolMapping:
		if version < 2 {
			return 80
		}
		return 176
	}
	return 0
}

func u16(b []byte, off int) uint16 { return binary.LittleEndian.Uint16(b[off:]) }
func u32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
func u64(b []byte, off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }
func i32(b []byte, off int) int32  { return int32(u32(b, off)) }
func i64(b []byte, off int) int64  { return int64(u64(b, off)) }

func put16(b []byte, off int, v uint16) { binary.LittleEndian.PutUint16(b[off:], v) }
func put32(b []byte, off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }
func put64(b []byte, off int, v uint64) { binary.LittleEndian.PutUint64(b[off:], v) }

// cstr returns the NUL-terminated text in b (all of b if it has no NUL). It
// returns prev, without allocating, when the text equals prev.
func cstr(b []byte, prev string) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if string(b) == prev {
		return prev
	}
	return string(b)
}

// putCstr copies s into the zeroed field b, which must keep room for the NUL.
func putCstr(b []byte, s, field string) error {
	if len(s) >= len(b) {
		return fmt.Errorf("dbn: %s %q is longer than %d bytes", field, s, len(b)-1)
	}
	copy(b, s)
	return nil
}

func getHeader(b []byte, h *RecordHeader) {
	h.Length = b[0]
	h.RType = RType(b[1])
	h.PublisherID = u16(b, 2)
	h.InstrumentID = u32(b, 4)
	h.TsEvent = u64(b, 8)
}

// putHeader writes h with the length byte left for the caller.
func putHeader(b []byte, h *RecordHeader) {
	b[1] = byte(h.RType)
	put16(b, 2, h.PublisherID)
	put32(b, 4, h.InstrumentID)
	put64(b, 8, h.TsEvent)
}

func getLevel(b []byte, l *BidAskPair) {
	l.BidPx, l.AskPx = i64(b, 0), i64(b, 8)
	l.BidSz, l.AskSz = u32(b, 16), u32(b, 20)
	l.BidCt, l.AskCt = u32(b, 24), u32(b, 28)
}

func putLevel(b []byte, l *BidAskPair) {
	put64(b, 0, uint64(l.BidPx))
	put64(b, 8, uint64(l.AskPx))
	put32(b, 16, l.BidSz)
	put32(b, 20, l.AskSz)
	put32(b, 24, l.BidCt)
	put32(b, 28, l.AskCt)
}

func getCLevel(b []byte, l *ConsolidatedBidAskPair) {
	l.BidPx, l.AskPx = i64(b, 0), i64(b, 8)
	l.BidSz, l.AskSz = u32(b, 16), u32(b, 20)
	l.BidPb, l.AskPb = u16(b, 24), u16(b, 28)
}

func putCLevel(b []byte, l *ConsolidatedBidAskPair) {
	put64(b, 0, uint64(l.BidPx))
	put64(b, 8, uint64(l.AskPx))
	put32(b, 16, l.BidSz)
	put32(b, 20, l.AskSz)
	put16(b, 24, l.BidPb)
	put16(b, 28, l.AskPb)
}

func getMbo(b []byte, m *MboMsg) {
	getHeader(b, &m.Hd)
	m.OrderID, m.Price, m.Size = u64(b, 16), i64(b, 24), u32(b, 32)
	m.Flags, m.ChannelID, m.Action, m.Side = b[36], b[37], b[38], b[39]
	m.TsRecv, m.TsInDelta, m.Sequence = u64(b, 40), i32(b, 48), u32(b, 52)
}

func putMbo(b []byte, m *MboMsg) {
	putHeader(b, &m.Hd)
	put64(b, 16, m.OrderID)
	put64(b, 24, uint64(m.Price))
	put32(b, 32, m.Size)
	b[36], b[37], b[38], b[39] = m.Flags, m.ChannelID, m.Action, m.Side
	put64(b, 40, m.TsRecv)
	put32(b, 48, uint32(m.TsInDelta))
	put32(b, 52, m.Sequence)
}

// mbpFields is the part shared by TradeMsg, Mbp1Msg and Mbp10Msg (bytes 16-47).
type mbpFields struct {
	price                      int64
	size                       uint32
	action, side, flags, depth uint8
	tsRecv                     uint64
	tsInDelta                  int32
	sequence                   uint32
}

func getMbpFields(b []byte) mbpFields {
	return mbpFields{
		price: i64(b, 16), size: u32(b, 24),
		action: b[28], side: b[29], flags: b[30], depth: b[31],
		tsRecv: u64(b, 32), tsInDelta: i32(b, 40), sequence: u32(b, 44),
	}
}

func putMbpFields(b []byte, f mbpFields) {
	put64(b, 16, uint64(f.price))
	put32(b, 24, f.size)
	b[28], b[29], b[30], b[31] = f.action, f.side, f.flags, f.depth
	put64(b, 32, f.tsRecv)
	put32(b, 40, uint32(f.tsInDelta))
	put32(b, 44, f.sequence)
}

func getTrade(b []byte, m *TradeMsg) {
	getHeader(b, &m.Hd)
	f := getMbpFields(b)
	m.Price, m.Size, m.Action, m.Side, m.Flags, m.Depth = f.price, f.size, f.action, f.side, f.flags, f.depth
	m.TsRecv, m.TsInDelta, m.Sequence = f.tsRecv, f.tsInDelta, f.sequence
}

func putTrade(b []byte, m *TradeMsg) {
	putHeader(b, &m.Hd)
	putMbpFields(b, mbpFields{m.Price, m.Size, m.Action, m.Side, m.Flags, m.Depth, m.TsRecv, m.TsInDelta, m.Sequence})
}

func getMbp1(b []byte, m *Mbp1Msg) {
	getHeader(b, &m.Hd)
	f := getMbpFields(b)
	m.Price, m.Size, m.Action, m.Side, m.Flags, m.Depth = f.price, f.size, f.action, f.side, f.flags, f.depth
	m.TsRecv, m.TsInDelta, m.Sequence = f.tsRecv, f.tsInDelta, f.sequence
	getLevel(b[48:], &m.Levels[0])
}

func putMbp1(b []byte, m *Mbp1Msg) {
	putHeader(b, &m.Hd)
	putMbpFields(b, mbpFields{m.Price, m.Size, m.Action, m.Side, m.Flags, m.Depth, m.TsRecv, m.TsInDelta, m.Sequence})
	putLevel(b[48:], &m.Levels[0])
}

func getMbp10(b []byte, m *Mbp10Msg) {
	getHeader(b, &m.Hd)
	f := getMbpFields(b)
	m.Price, m.Size, m.Action, m.Side, m.Flags, m.Depth = f.price, f.size, f.action, f.side, f.flags, f.depth
	m.TsRecv, m.TsInDelta, m.Sequence = f.tsRecv, f.tsInDelta, f.sequence
	for i := range m.Levels {
		getLevel(b[48+32*i:], &m.Levels[i])
	}
}

func putMbp10(b []byte, m *Mbp10Msg) {
	putHeader(b, &m.Hd)
	putMbpFields(b, mbpFields{m.Price, m.Size, m.Action, m.Side, m.Flags, m.Depth, m.TsRecv, m.TsInDelta, m.Sequence})
	for i := range m.Levels {
		putLevel(b[48+32*i:], &m.Levels[i])
	}
}

func getBbo(b []byte, m *BboMsg) {
	getHeader(b, &m.Hd)
	m.Price, m.Size, m.Side, m.Flags = i64(b, 16), u32(b, 24), b[29], b[30]
	m.TsRecv, m.Sequence = u64(b, 32), u32(b, 44)
	getLevel(b[48:], &m.Levels[0])
}

func putBbo(b []byte, m *BboMsg) {
	putHeader(b, &m.Hd)
	put64(b, 16, uint64(m.Price))
	put32(b, 24, m.Size)
	b[29], b[30] = m.Side, m.Flags
	put64(b, 32, m.TsRecv)
	put32(b, 44, m.Sequence)
	putLevel(b[48:], &m.Levels[0])
}

func getCmbp1(b []byte, m *Cmbp1Msg) {
	getHeader(b, &m.Hd)
	m.Price, m.Size, m.Action, m.Side, m.Flags = i64(b, 16), u32(b, 24), b[28], b[29], b[30]
	m.TsRecv, m.TsInDelta = u64(b, 32), i32(b, 40)
	getCLevel(b[48:], &m.Levels[0])
}

func putCmbp1(b []byte, m *Cmbp1Msg) {
	putHeader(b, &m.Hd)
	put64(b, 16, uint64(m.Price))
	put32(b, 24, m.Size)
	b[28], b[29], b[30] = m.Action, m.Side, m.Flags
	put64(b, 32, m.TsRecv)
	put32(b, 40, uint32(m.TsInDelta))
	putCLevel(b[48:], &m.Levels[0])
}

func getCbbo(b []byte, m *CbboMsg) {
	getHeader(b, &m.Hd)
	m.Price, m.Size, m.Side, m.Flags = i64(b, 16), u32(b, 24), b[29], b[30]
	m.TsRecv = u64(b, 32)
	getCLevel(b[48:], &m.Levels[0])
}

func putCbbo(b []byte, m *CbboMsg) {
	putHeader(b, &m.Hd)
	put64(b, 16, uint64(m.Price))
	put32(b, 24, m.Size)
	b[29], b[30] = m.Side, m.Flags
	put64(b, 32, m.TsRecv)
	putCLevel(b[48:], &m.Levels[0])
}

func getOhlcv(b []byte, m *OhlcvMsg) {
	getHeader(b, &m.Hd)
	m.Open, m.High, m.Low, m.Close = i64(b, 16), i64(b, 24), i64(b, 32), i64(b, 40)
	m.Volume = u64(b, 48)
}

func putOhlcv(b []byte, m *OhlcvMsg) {
	putHeader(b, &m.Hd)
	put64(b, 16, uint64(m.Open))
	put64(b, 24, uint64(m.High))
	put64(b, 32, uint64(m.Low))
	put64(b, 40, uint64(m.Close))
	put64(b, 48, m.Volume)
}

func getStatus(b []byte, m *StatusMsg) {
	getHeader(b, &m.Hd)
	m.TsRecv, m.Action, m.Reason, m.TradingEvent = u64(b, 16), u16(b, 24), u16(b, 26), u16(b, 28)
	m.IsTrading, m.IsQuoting, m.IsShortSellRestricted = b[30], b[31], b[32]
}

func putStatus(b []byte, m *StatusMsg) {
	putHeader(b, &m.Hd)
	put64(b, 16, m.TsRecv)
	put16(b, 24, m.Action)
	put16(b, 26, m.Reason)
	put16(b, 28, m.TradingEvent)
	b[30], b[31], b[32] = m.IsTrading, m.IsQuoting, m.IsShortSellRestricted
}

func getImbalance(b []byte, m *ImbalanceMsg) {
	getHeader(b, &m.Hd)
	m.TsRecv, m.RefPrice, m.AuctionTime = u64(b, 16), i64(b, 24), u64(b, 32)
	m.ContBookClrPrice, m.AuctInterestClrPrice = i64(b, 40), i64(b, 48)
	m.SsrFillingPrice, m.IndMatchPrice = i64(b, 56), i64(b, 64)
	m.UpperCollar, m.LowerCollar = i64(b, 72), i64(b, 80)
	m.PairedQty, m.TotalImbalanceQty = u32(b, 88), u32(b, 92)
	m.MarketImbalanceQty, m.UnpairedQty = u32(b, 96), u32(b, 100)
	m.AuctionType, m.Side, m.AuctionStatus, m.FreezeStatus = b[104], b[105], b[106], b[107]
	m.NumExtensions, m.UnpairedSide, m.SignificantImbalance = b[108], b[109], b[110]
}

func putImbalance(b []byte, m *ImbalanceMsg) {
	putHeader(b, &m.Hd)
	put64(b, 16, m.TsRecv)
	put64(b, 24, uint64(m.RefPrice))
	put64(b, 32, m.AuctionTime)
	put64(b, 40, uint64(m.ContBookClrPrice))
	put64(b, 48, uint64(m.AuctInterestClrPrice))
	put64(b, 56, uint64(m.SsrFillingPrice))
	put64(b, 64, uint64(m.IndMatchPrice))
	put64(b, 72, uint64(m.UpperCollar))
	put64(b, 80, uint64(m.LowerCollar))
	put32(b, 88, m.PairedQty)
	put32(b, 92, m.TotalImbalanceQty)
	put32(b, 96, m.MarketImbalanceQty)
	put32(b, 100, m.UnpairedQty)
	b[104], b[105], b[106], b[107] = m.AuctionType, m.Side, m.AuctionStatus, m.FreezeStatus
	b[108], b[109], b[110] = m.NumExtensions, m.UnpairedSide, m.SignificantImbalance
}

// getStat decodes a statistics record. Versions 1 and 2 hold an int32
// quantity at 40 and the rest 4 bytes earlier than version 3.
func getStat(b []byte, version uint8, m *StatMsg) {
	getHeader(b, &m.Hd)
	m.TsRecv, m.TsRef, m.Price = u64(b, 16), u64(b, 24), i64(b, 32)
	off := 48
	if version < 3 {
		q := i32(b, 40)
		m.Quantity = int64(q)
		if q == math.MaxInt32 {
			m.Quantity = UndefStatQuantity
		}
		off = 44
	} else {
		m.Quantity = i64(b, 40)
	}
	m.Sequence, m.TsInDelta = u32(b, off), i32(b, off+4)
	m.StatType, m.ChannelID = u16(b, off+8), u16(b, off+10)
	m.UpdateAction, m.StatFlags = b[off+12], b[off+13]
}

func putStat(b []byte, version uint8, m *StatMsg) error {
	putHeader(b, &m.Hd)
	put64(b, 16, m.TsRecv)
	put64(b, 24, m.TsRef)
	put64(b, 32, uint64(m.Price))
	off := 48
	if version < 3 {
		q := m.Quantity
		switch {
		case q == UndefStatQuantity:
			q = math.MaxInt32
		case q < math.MinInt32 || q >= math.MaxInt32:
			return fmt.Errorf("dbn: statistics quantity %d does not fit DBN version %d", q, version)
		}
		put32(b, 40, uint32(int32(q)))
		off = 44
	} else {
		put64(b, 40, uint64(m.Quantity))
	}
	put32(b, off, m.Sequence)
	put32(b, off+4, uint32(m.TsInDelta))
	put16(b, off+8, m.StatType)
	put16(b, off+10, m.ChannelID)
	b[off+12], b[off+13] = m.UpdateAction, m.StatFlags
	return nil
}

func getError(b []byte, version uint8, m *ErrorMsg) {
	getHeader(b, &m.Hd)
	if version < 2 {
		m.Err = cstr(b[16:80], m.Err)
		m.Code, m.IsLast = 255, 255
		return
	}
	m.Err = cstr(b[16:318], m.Err)
	m.Code, m.IsLast = b[318], b[319]
}

func putError(b []byte, version uint8, m *ErrorMsg) error {
	putHeader(b, &m.Hd)
	if version < 2 {
		return putCstr(b[16:80], m.Err, "error message")
	}
	b[318], b[319] = m.Code, m.IsLast
	return putCstr(b[16:318], m.Err, "error message")
}

const heartbeatMsg = "Heartbeat"

func getSystem(b []byte, version uint8, m *SystemMsg) {
	getHeader(b, &m.Hd)
	if version < 2 {
		m.Msg = cstr(b[16:80], m.Msg)
		m.Code = SystemCodeUnset
		if m.Msg == heartbeatMsg {
			m.Code = SystemCodeHeartbeat
		}
		return
	}
	m.Msg = cstr(b[16:319], m.Msg)
	m.Code = b[319]
}

func putSystem(b []byte, version uint8, m *SystemMsg) error {
	putHeader(b, &m.Hd)
	if version < 2 {
		return putCstr(b[16:80], m.Msg, "system message")
	}
	b[319] = m.Code
	return putCstr(b[16:319], m.Msg, "system message")
}

func getSymbolMapping(b []byte, version uint8, m *SymbolMappingMsg) {
	getHeader(b, &m.Hd)
	if version < 2 {
		m.StypeIn, m.StypeOut = STypeNone, STypeNone
		m.StypeInSymbol = cstr(b[16:38], m.StypeInSymbol)
		m.StypeOutSymbol = cstr(b[38:60], m.StypeOutSymbol)
		m.StartTs, m.EndTs = u64(b, 64), u64(b, 72)
		return
	}
	m.StypeIn = SType(b[16])
	m.StypeInSymbol = cstr(b[17:88], m.StypeInSymbol)
	m.StypeOut = SType(b[88])
	m.StypeOutSymbol = cstr(b[89:160], m.StypeOutSymbol)
	m.StartTs, m.EndTs = u64(b, 160), u64(b, 168)
}

func putSymbolMapping(b []byte, version uint8, m *SymbolMappingMsg) error {
	putHeader(b, &m.Hd)
	if version < 2 {
		put64(b, 64, m.StartTs)
		put64(b, 72, m.EndTs)
		if err := putCstr(b[16:38], m.StypeInSymbol, "stype_in_symbol"); err != nil {
			return err
		}
		return putCstr(b[38:60], m.StypeOutSymbol, "stype_out_symbol")
	}
	b[16], b[88] = byte(m.StypeIn), byte(m.StypeOut)
	put64(b, 160, m.StartTs)
	put64(b, 168, m.EndTs)
	if err := putCstr(b[17:88], m.StypeInSymbol, "stype_in_symbol"); err != nil {
		return err
	}
	return putCstr(b[89:160], m.StypeOutSymbol, "stype_out_symbol")
}

package dbn

// RecordHeader is the common start of every record.
type RecordHeader struct {
	Length       uint8  // record length in 4-byte words, including ts_out when present
	RType        RType  // record type
	PublisherID  uint16 // Databento publisher (dataset and venue)
	InstrumentID uint32 // numeric instrument ID
	TsEvent      uint64 // matching-engine-received time, ns since the UNIX epoch
}

// Record is implemented by pointers to the record types of this package.
type Record interface {
	// Header returns the record's header.
	Header() *RecordHeader
}

// TopOfBook is implemented by the quote records: Mbp1Msg, Mbp10Msg, BboMsg,
// Cmbp1Msg (and TcbboMsg) and CbboMsg.
type TopOfBook interface {
	Record
	// Top returns the best bid and ask prices (UndefPrice when absent) and sizes.
	Top() (bidPx, askPx int64, bidSz, askSz uint32)
	// RecvTime returns ts_recv, the capture-server-received time.
	RecvTime() uint64
}

// BidAskPair is one price level of a book.
type BidAskPair struct {
	BidPx, AskPx int64  // prices × 1e-9, UndefPrice when the side is empty
	BidSz, AskSz uint32 // sizes
	BidCt, AskCt uint32 // order counts
}

// ConsolidatedBidAskPair is one price level consolidated across venues.
type ConsolidatedBidAskPair struct {
	BidPx, AskPx int64  // prices × 1e-9, UndefPrice when the side is empty
	BidSz, AskSz uint32 // sizes
	BidPb, AskPb uint16 // publisher IDs of the venues with the best bid and ask
}

// MboMsg is a market-by-order event (schema mbo).
type MboMsg struct {
	Hd        RecordHeader
	OrderID   uint64
	Price     int64
	Size      uint32
	Flags     uint8
	ChannelID uint8
	Action    byte // 'A'dd, 'C'ancel, 'M'odify, clea'R', 'T'rade, 'F'ill, 'N'one
	Side      byte // 'A'sk, 'B'id, 'N'one
	TsRecv    uint64
	TsInDelta int32
	Sequence  uint32
}

// TradeMsg is a trade (schema trades, rtype mbp-0).
type TradeMsg struct {
	Hd        RecordHeader
	Price     int64
	Size      uint32
	Action    byte
	Side      byte
	Flags     uint8
	Depth     uint8
	TsRecv    uint64
	TsInDelta int32
	Sequence  uint32
}

// Mbp1Msg is a book update with the top level (schemas mbp-1 and tbbo).
type Mbp1Msg struct {
	Hd        RecordHeader
	Price     int64
	Size      uint32
	Action    byte
	Side      byte
	Flags     uint8
	Depth     uint8
	TsRecv    uint64
	TsInDelta int32
	Sequence  uint32
	Levels    [1]BidAskPair
}

// TbboMsg is the record of the tbbo schema.
type TbboMsg = Mbp1Msg

// Mbp10Msg is a book update with the top ten levels (schema mbp-10).
type Mbp10Msg struct {
	Hd        RecordHeader
	Price     int64
	Size      uint32
	Action    byte
	Side      byte
	Flags     uint8
	Depth     uint8
	TsRecv    uint64
	TsInDelta int32
	Sequence  uint32
	Levels    [10]BidAskPair
}

// BboMsg is a subsampled top of book (schemas bbo-1s and bbo-1m).
type BboMsg struct {
	Hd       RecordHeader
	Price    int64 // last trade price, UndefPrice if none in the session
	Size     uint32
	Side     byte
	Flags    uint8
	TsRecv   uint64 // end of the interval
	Sequence uint32
	Levels   [1]BidAskPair
}

// Cmbp1Msg is a consolidated top-of-book update (schemas cmbp-1 and tcbbo).
type Cmbp1Msg struct {
	Hd        RecordHeader
	Price     int64
	Size      uint32
	Action    byte
	Side      byte
	Flags     uint8
	TsRecv    uint64
	TsInDelta int32
	Levels    [1]ConsolidatedBidAskPair
}

// TcbboMsg is the record of the tcbbo schema, which shares the CMBP-1 layout.
type TcbboMsg = Cmbp1Msg

// CbboMsg is a subsampled consolidated top of book (schemas cbbo-1s, cbbo-1m).
type CbboMsg struct {
	Hd     RecordHeader
	Price  int64 // last trade price, UndefPrice if none in the session
	Size   uint32
	Side   byte
	Flags  uint8
	TsRecv uint64 // end of the interval
	Levels [1]ConsolidatedBidAskPair
}

// OhlcvMsg is a bar (schemas ohlcv-1s, -1m, -1h, -1d and -eod).
type OhlcvMsg struct {
	Hd                     RecordHeader
	Open, High, Low, Close int64
	Volume                 uint64
}

// StatusMsg is a trading status update (schema status).
type StatusMsg struct {
	Hd                    RecordHeader
	TsRecv                uint64
	Action                uint16
	Reason                uint16
	TradingEvent          uint16
	IsTrading             byte // 'Y', 'N' or '~' (unknown)
	IsQuoting             byte
	IsShortSellRestricted byte
}

// InstrumentDefMsg is an instrument definition (schema definition), in the
// DBN version 3 form. Prices are × 1e-9; timestamps are ns since the epoch.
type InstrumentDefMsg struct {
	Hd                       RecordHeader
	TsRecv                   uint64
	MinPriceIncrement        int64
	DisplayFactor            int64
	Expiration               uint64
	Activation               uint64
	HighLimitPrice           int64
	LowLimitPrice            int64
	MaxPriceVariation        int64
	UnitOfMeasureQty         int64
	MinPriceIncrementAmount  int64
	PriceRatio               int64
	StrikePrice              int64
	RawInstrumentID          uint64
	LegPrice                 int64
	LegDelta                 int64
	InstAttribValue          int32
	UnderlyingID             uint32
	MarketDepthImplied       int32
	MarketDepth              int32
	MarketSegmentID          uint32
	MaxTradeVol              uint32
	MinLotSize               int32
	MinLotSizeBlock          int32
	MinLotSizeRoundLot       int32
	MinTradeVol              uint32
	ContractMultiplier       int32
	DecayQuantity            int32
	OriginalContractSize     int32
	LegInstrumentID          uint32
	LegRatioPriceNumerator   int32
	LegRatioPriceDenominator int32
	LegRatioQtyNumerator     int32
	LegRatioQtyDenominator   int32
	LegUnderlyingID          uint32
	ApplID                   int16
	MaturityYear             uint16
	DecayStartDate           uint16
	ChannelID                uint16
	LegCount                 uint16
	LegIndex                 uint16
	Currency                 string
	SettlCurrency            string
	Secsubtype               string
	RawSymbol                string
	Group                    string
	Exchange                 string
	Asset                    string
	Cfi                      string
	SecurityType             string
	UnitOfMeasure            string
	Underlying               string
	StrikePriceCurrency      string
	LegRawSymbol             string
	InstrumentClass          byte // 'C'all, 'P'ut, 'F'uture, stoc'K', ...
	MatchAlgorithm           byte
	MainFraction             uint8
	PriceDisplayFormat       uint8
	SubFraction              uint8
	UnderlyingProduct        uint8
	SecurityUpdateAction     byte // 'A'dd, 'M'odify, 'D'elete
	MaturityMonth            uint8
	MaturityDay              uint8
	MaturityWeek             uint8
	UserDefinedInstrument    byte // 'Y' or 'N'
	ContractMultiplierUnit   int8
	FlowScheduleType         int8
	TickRule                 uint8
	LegInstrumentClass       byte
	LegSide                  byte
}

// ImbalanceMsg is an auction imbalance (schema imbalance).
type ImbalanceMsg struct {
	Hd                   RecordHeader
	TsRecv               uint64
	RefPrice             int64
	AuctionTime          uint64
	ContBookClrPrice     int64
	AuctInterestClrPrice int64
	SsrFillingPrice      int64
	IndMatchPrice        int64
	UpperCollar          int64
	LowerCollar          int64
	PairedQty            uint32
	TotalImbalanceQty    uint32
	MarketImbalanceQty   uint32
	UnpairedQty          uint32
	AuctionType          byte
	Side                 byte
	AuctionStatus        uint8
	FreezeStatus         uint8
	NumExtensions        uint8
	UnpairedSide         byte
	SignificantImbalance byte
}

// StatMsg is a statistic disseminated by the publisher (schema statistics),
// e.g. open interest (StatType StatTypeOpenInterest, in Quantity).
type StatMsg struct {
	Hd           RecordHeader
	TsRecv       uint64
	TsRef        uint64 // reference time of the value, UndefTimestamp if unused
	Price        int64  // UndefPrice if unused
	Quantity     int64  // UndefStatQuantity if unused
	Sequence     uint32
	TsInDelta    int32
	StatType     uint16
	ChannelID    uint16
	UpdateAction uint8
	StatFlags    uint8
}

// ErrorMsg is an error from the live gateway.
type ErrorMsg struct {
	Hd     RecordHeader
	Err    string
	Code   uint8
	IsLast uint8
}

// SymbolMappingMsg maps a symbol of one symbology to another (live data).
type SymbolMappingMsg struct {
	Hd             RecordHeader
	StypeIn        SType
	StypeInSymbol  string
	StypeOut       SType
	StypeOutSymbol string
	StartTs        uint64
	EndTs          uint64
}

// SystemMsg is a non-error message from the live gateway, or a heartbeat.
type SystemMsg struct {
	Hd   RecordHeader
	Msg  string
	Code uint8
}

// Header returns the record header.
func (m *MboMsg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *TradeMsg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *Mbp1Msg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *Mbp10Msg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *BboMsg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *Cmbp1Msg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *CbboMsg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *OhlcvMsg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *StatusMsg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *InstrumentDefMsg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *ImbalanceMsg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *StatMsg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *ErrorMsg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *SymbolMappingMsg) Header() *RecordHeader { return &m.Hd }

// Header returns the record header.
func (m *SystemMsg) Header() *RecordHeader { return &m.Hd }

// Top returns the best bid and ask.
func (m *Mbp1Msg) Top() (bidPx, askPx int64, bidSz, askSz uint32) {
	l := &m.Levels[0]
	return l.BidPx, l.AskPx, l.BidSz, l.AskSz
}

// Top returns the best bid and ask.
func (m *Mbp10Msg) Top() (bidPx, askPx int64, bidSz, askSz uint32) {
	l := &m.Levels[0]
	return l.BidPx, l.AskPx, l.BidSz, l.AskSz
}

// Top returns the best bid and ask.
func (m *BboMsg) Top() (bidPx, askPx int64, bidSz, askSz uint32) {
	l := &m.Levels[0]
	return l.BidPx, l.AskPx, l.BidSz, l.AskSz
}

// Top returns the best consolidated bid and ask.
func (m *Cmbp1Msg) Top() (bidPx, askPx int64, bidSz, askSz uint32) {
	l := &m.Levels[0]
	return l.BidPx, l.AskPx, l.BidSz, l.AskSz
}

// Top returns the best consolidated bid and ask.
func (m *CbboMsg) Top() (bidPx, askPx int64, bidSz, askSz uint32) {
	l := &m.Levels[0]
	return l.BidPx, l.AskPx, l.BidSz, l.AskSz
}

// RecvTime returns ts_recv.
func (m *Mbp1Msg) RecvTime() uint64 { return m.TsRecv }

// RecvTime returns ts_recv.
func (m *Mbp10Msg) RecvTime() uint64 { return m.TsRecv }

// RecvTime returns ts_recv, the end of the interval.
func (m *BboMsg) RecvTime() uint64 { return m.TsRecv }

// RecvTime returns ts_recv.
func (m *Cmbp1Msg) RecvTime() uint64 { return m.TsRecv }

// RecvTime returns ts_recv, the end of the interval.
func (m *CbboMsg) RecvTime() uint64 { return m.TsRecv }

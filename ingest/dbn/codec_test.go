package dbn

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sampleRecords returns one record of every type (two for the structs that
// carry several rtypes), with every field set to something other than zero,
// in the form a version 1 stream can also hold.
func sampleRecords() []Record {
	hd := func(rt RType, i uint32) RecordHeader {
		return RecordHeader{RType: rt, PublisherID: 7, InstrumentID: 1000 + i, TsEvent: 1_700_000_000_000_000_000 + uint64(i)}
	}
	lvl := BidAskPair{BidPx: 4_225_000_000, AskPx: 4_250_000_000, BidSz: 10, AskSz: 12, BidCt: 2, AskCt: 3}
	clvl := ConsolidatedBidAskPair{BidPx: 320_000_000, AskPx: UndefPrice, BidSz: 104, AskSz: 0, BidPb: 29, AskPb: 23}
	var mbp10 [10]BidAskPair
	for i := range mbp10 {
		mbp10[i] = lvl
		mbp10[i].BidPx -= int64(i) * 10_000_000
		mbp10[i].AskPx += int64(i) * 10_000_000
	}
	def := sampleDef()
	return []Record{
		&MboMsg{Hd: hd(RTypeMbo, 1), OrderID: 1 << 40, Price: -5, Size: 3, Flags: FlagLast, ChannelID: 4,
			Action: 'A', Side: 'B', TsRecv: 99, TsInDelta: -17, Sequence: 12},
		&TradeMsg{Hd: hd(RTypeMbp0, 2), Price: 1, Size: 2, Action: 'T', Side: 'A', Flags: 3, Depth: 4,
			TsRecv: 5, TsInDelta: 6, Sequence: 7},
		&Mbp1Msg{Hd: hd(RTypeMbp1, 3), Price: 1, Size: 2, Action: 'M', Side: 'N', Flags: 3, Depth: 1,
			TsRecv: 5, TsInDelta: 6, Sequence: 7, Levels: [1]BidAskPair{lvl}},
		&Mbp10Msg{Hd: hd(RTypeMbp10, 4), Price: 1, Size: 2, Action: 'C', Side: 'B', Flags: 3, Depth: 9,
			TsRecv: 5, TsInDelta: 6, Sequence: 7, Levels: mbp10},
		&BboMsg{Hd: hd(RTypeBbo1S, 5), Price: UndefPrice, Size: 2, Side: 'A', Flags: 3, TsRecv: 5, Sequence: 8,
			Levels: [1]BidAskPair{lvl}},
		&BboMsg{Hd: hd(RTypeBbo1M, 6), Price: 11, Size: 2, Side: 'A', Flags: 3, TsRecv: 5, Sequence: 8,
			Levels: [1]BidAskPair{lvl}},
		&Cmbp1Msg{Hd: hd(RTypeCmbp1, 7), Price: 1, Size: 2, Action: 'A', Side: 'B', Flags: 9, TsRecv: 5,
			TsInDelta: 3, Levels: [1]ConsolidatedBidAskPair{clvl}},
		&TcbboMsg{Hd: hd(RTypeTcbbo, 8), Price: 1, Size: 2, Action: 'T', Side: 'B', Flags: 9, TsRecv: 5,
			TsInDelta: 3, Levels: [1]ConsolidatedBidAskPair{clvl}},
		&CbboMsg{Hd: hd(RTypeCbbo1S, 9), Price: 340_000_000, Size: 1, Side: 'N', Flags: 194, TsRecv: 5,
			Levels: [1]ConsolidatedBidAskPair{clvl}},
		&CbboMsg{Hd: hd(RTypeCbbo1M, 10), Price: UndefPrice, Side: 'N', TsRecv: 6,
			Levels: [1]ConsolidatedBidAskPair{{BidPx: UndefPrice, AskPx: UndefPrice}}},
		&OhlcvMsg{Hd: hd(RTypeOhlcv1D, 11), Open: 1, High: 4, Low: -2, Close: 3, Volume: 1 << 50},
		&OhlcvMsg{Hd: hd(RTypeOhlcvEod, 12), Open: 1, High: 4, Low: -2, Close: 3, Volume: 5},
		&StatusMsg{Hd: hd(RTypeStatus, 13), TsRecv: 5, Action: 7, Reason: 1, TradingEvent: 2,
			IsTrading: 'Y', IsQuoting: 'N', IsShortSellRestricted: '~'},
		def,
		&ImbalanceMsg{Hd: hd(RTypeImbalance, 15), TsRecv: 1, RefPrice: 2, AuctionTime: 3, ContBookClrPrice: 4,
			AuctInterestClrPrice: 5, SsrFillingPrice: 6, IndMatchPrice: 7, UpperCollar: 8, LowerCollar: 9,
			PairedQty: 10, TotalImbalanceQty: 11, MarketImbalanceQty: 12, UnpairedQty: 13, AuctionType: 'O',
			Side: 'B', AuctionStatus: 1, FreezeStatus: 2, NumExtensions: 3, UnpairedSide: 'A', SignificantImbalance: 'L'},
		&StatMsg{Hd: hd(RTypeStatistics, 16), TsRecv: 1, TsRef: UndefTimestamp, Price: UndefPrice, Quantity: 57924,
			Sequence: 111765, TsInDelta: -1, StatType: StatTypeOpenInterest, ChannelID: 1, UpdateAction: StatUpdateNew,
			StatFlags: 2},
		&StatMsg{Hd: hd(RTypeStatistics, 17), TsRecv: 1, TsRef: 2, Price: 250 * PriceScale, Quantity: UndefStatQuantity,
			StatType: StatTypeSettlementPrice, UpdateAction: StatUpdateDelete},
		&ErrorMsg{Hd: hd(RTypeError, 18), Err: "subscription failed", Code: 255, IsLast: 255},
		&SymbolMappingMsg{Hd: hd(RTypeSymbolMapping, 19), StypeIn: STypeNone, StypeInSymbol: "ES.FUT",
			StypeOut: STypeNone, StypeOutSymbol: "ESH5", StartTs: 1, EndTs: 2},
		&SystemMsg{Hd: hd(RTypeSystem, 20), Msg: "Heartbeat", Code: SystemCodeHeartbeat},
		&SystemMsg{Hd: hd(RTypeSystem, 21), Msg: "Subscription request 1 succeeded", Code: SystemCodeUnset},
	}
}

func sampleDef() *InstrumentDefMsg {
	d := &InstrumentDefMsg{
		Hd:     RecordHeader{RType: RTypeInstrumentDef, PublisherID: 30, InstrumentID: 16783963, TsEvent: 1},
		TsRecv: 2, MinPriceIncrement: 10_000_000, DisplayFactor: PriceScale, Expiration: 1740096000000000000,
		Activation: 1700000000000000000, HighLimitPrice: 3, LowLimitPrice: 4, MaxPriceVariation: 5,
		UnitOfMeasureQty: 100 * PriceScale, MinPriceIncrementAmount: 6, PriceRatio: 7, StrikePrice: 250 * PriceScale,
		RawInstrumentID: 16783963, InstAttribValue: 8, UnderlyingID: 9, MarketDepthImplied: 10, MarketDepth: 11,
		MarketSegmentID: 12, MaxTradeVol: 13, MinLotSize: 14, MinLotSizeBlock: 15, MinLotSizeRoundLot: 16,
		MinTradeVol: 17, ContractMultiplier: 100, DecayQuantity: 18, OriginalContractSize: 19, ApplID: -20,
		MaturityYear: 2025, DecayStartDate: 21, ChannelID: 22, Currency: "USD", SettlCurrency: "USD",
		Secsubtype: "Z", RawSymbol: "AAPL  250221C00250000", Group: "popra-1", Exchange: "OPRA", Asset: "AAPL",
		Cfi: "OCASPS", SecurityType: "OPT", UnitOfMeasure: "USD", Underlying: "AAPL", StrikePriceCurrency: "USD",
		InstrumentClass: 'C', MatchAlgorithm: 'F', MainFraction: 1, PriceDisplayFormat: 2, SubFraction: 3,
		UnderlyingProduct: 4, SecurityUpdateAction: 'A', MaturityMonth: 2, MaturityDay: 21, MaturityWeek: 3,
		UserDefinedInstrument: 'N', ContractMultiplierUnit: -1, FlowScheduleType: 2, TickRule: 5,
	}
	setNoLegs(d)
	return d
}

// legDef returns a spread leg definition, which only version 3 can hold.
func legDef() *InstrumentDefMsg {
	d := sampleDef()
	d.InstrumentClass, d.RawSymbol, d.Asset = InstrumentClassOptionSpread, "UD:1V: VT 0221914522", "AAPLWEEKLY"
	d.RawInstrumentID = 1 << 40
	d.LegCount, d.LegIndex, d.LegInstrumentID, d.LegUnderlyingID = 2, 1, 16783963, 30
	d.LegPrice, d.LegDelta = 340_000_000, -250_000_000
	d.LegRatioPriceNumerator, d.LegRatioPriceDenominator = 1, 2
	d.LegRatioQtyNumerator, d.LegRatioQtyDenominator = 3, 4
	d.LegRawSymbol, d.LegInstrumentClass, d.LegSide = "AAPL  250221C00250000", 'C', 'B'
	return d
}

func encodeAll(t *testing.T, md *Metadata, recs []Record, tsOut bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc, err := NewEncoder(&buf, md)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		if tsOut {
			err = enc.EncodeTsOut(cloneRecord(r), 5000+uint64(i))
		} else {
			err = enc.Encode(cloneRecord(r))
		}
		if err != nil {
			t.Fatalf("encode %T: %v", r, err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testMetadata(version uint8, tsOut bool) *Metadata {
	return &Metadata{
		Version: version, Dataset: "OPRA.PILLAR", Schema: SchemaMixed, Start: 1, End: UndefTimestamp,
		StypeIn: STypeRawSymbol, StypeOut: STypeInstrumentID, TsOut: tsOut, RecordCount: math.MaxUint64,
		Symbols: []string{"AAPL  250221C00250000", "SPY"}, Partial: []string{"QQQ"}, NotFound: []string{"NOPE"},
		Mappings: []SymbolMapping{{RawSymbol: "SPY", Intervals: []MappingInterval{
			{StartDate: time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2025, 2, 21, 0, 0, 0, 0, time.UTC), Symbol: "15144"},
			{StartDate: time.Date(2025, 2, 21, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2025, 2, 24, 0, 0, 0, 0, time.UTC), Symbol: "15145"},
		}}},
	}
}

// normalized sets the header length each record has after decoding.
func normalized(recs []Record, tsOut bool) []Record {
	out := make([]Record, len(recs))
	for i, r := range recs {
		c := cloneRecord(r)
		hd := c.Header()
		hd.Length = uint8(wireSize(hd.RType, Version) / 4)
		if tsOut {
			hd.Length += 2
		}
		out[i] = c
	}
	return out
}

// TestRoundTripAllTypes writes every record type in every version, with and
// without ts_out, and reads it back.
func TestRoundTripAllTypes(t *testing.T) {
	recs := sampleRecords()
	for v := uint8(1); v <= Version; v++ {
		for _, tsOut := range []bool{false, true} {
			raw := encodeAll(t, testMetadata(v, tsOut), recs, tsOut)
			d, err := NewDecoder(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("v%d: %v", v, err)
			}
			md := d.Metadata()
			if md.Version != v || md.TsOut != tsOut || md.Schema != SchemaMixed {
				t.Errorf("v%d: metadata %+v", v, md)
			}
			if !sameRequest(md, testMetadata(v, tsOut)) {
				t.Errorf("v%d: metadata %+v", v, md)
			}
			var got []Record
			for i := 0; ; i++ {
				r, err := d.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("v%d ts_out=%v: %v", v, tsOut, err)
				}
				got = append(got, cloneRecord(r))
				wantTs := UndefTimestamp
				if tsOut {
					wantTs = 5000 + uint64(i)
				}
				if d.TsOut() != wantTs {
					t.Errorf("v%d: record %d ts_out %d, want %d", v, i, d.TsOut(), wantTs)
				}
			}
			if want := normalized(recs, tsOut); !reflect.DeepEqual(got, want) {
				for i := range min(len(got), len(want)) {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("v%d ts_out=%v: record %d\n got %+v\nwant %+v", v, tsOut, i, got[i], want[i])
					}
				}
				t.Fatalf("v%d ts_out=%v: %d records, want %d", v, tsOut, len(got), len(want))
			}
			if d.Offset() != int64(len(raw)) {
				t.Errorf("v%d: offset %d of %d", v, d.Offset(), len(raw))
			}
		}
	}
}

func TestMetadataLayout(t *testing.T) {
	for v := uint8(1); v <= Version; v++ {
		md := testMetadata(v, false)
		raw := encodeAll(t, md, nil, false)
		length := int(u32(raw, 4))
		n := SymbolCstrLen
		if v == 1 {
			n = SymbolCstrLenV1
		}
		need := 100 + 20 + 4*n + (n + 4 + 2*(8+n))
		pad := 0
		if v == 3 {
			pad = (8 - need%8) % 8
		}
		if length != need+pad || len(raw) != 8+length {
			t.Errorf("v%d: length %d (file %d), want %d+%d", v, length, len(raw), need, pad)
		}
		if v == 3 && len(raw)%8 != 0 {
			t.Errorf("v3 metadata not 8-byte aligned: %d", len(raw))
		}
		if string(raw[:4]) != "DBN"+string(rune(v)) {
			t.Errorf("v%d: prefix % x", v, raw[:4])
		}
		if got := u16(raw, 24); got != uint16(SchemaMixed) {
			t.Errorf("v%d: schema %#x", v, got)
		}
	}
	// Version 0 means the current version.
	md := testMetadata(0, false)
	if raw := encodeAll(t, md, nil, false); raw[3] != Version {
		t.Errorf("version 0 encoded as %d", raw[3])
	}
}

func TestDowngradeErrors(t *testing.T) {
	longSym := &SymbolMappingMsg{StypeInSymbol: strings.Repeat("X", 30), StypeOutSymbol: "1"}
	bigStat := &StatMsg{Quantity: 1 << 40}
	tests := []struct {
		name    string
		version uint8
		rec     Record
		ok      bool
	}{
		{"legs in v3", 3, legDef(), true},
		{"legs in v2", 2, legDef(), false},
		{"legs in v1", 1, legDef(), false},
		{"plain def in v1", 1, sampleDef(), true},
		{"22-char raw symbol in v1", 1, func() Record { d := sampleDef(); d.RawSymbol = strings.Repeat("A", 22); return d }(), false},
		{"21-char raw symbol in v1", 1, func() Record { d := sampleDef(); d.RawSymbol = strings.Repeat("A", 21); return d }(), true},
		{"long asset in v2", 2, func() Record { d := sampleDef(); d.Asset = "AAPLWEEK"; return d }(), false},
		{"long asset in v3", 3, func() Record { d := sampleDef(); d.Asset = "AAPLWEEK"; return d }(), true},
		{"wide raw id in v2", 2, func() Record { d := sampleDef(); d.RawInstrumentID = 1 << 33; return d }(), false},
		{"long symbol mapping in v1", 1, longSym, false},
		{"long symbol mapping in v2", 2, longSym, true},
		{"int64 quantity in v2", 2, bigStat, false},
		{"int64 quantity in v3", 3, bigStat, true},
		{"long error in v1", 1, &ErrorMsg{Err: strings.Repeat("e", 64)}, false},
		{"long error in v2", 2, &ErrorMsg{Err: strings.Repeat("e", 64)}, true},
		{"too long for v2", 2, &SystemMsg{Msg: strings.Repeat("e", 303)}, false},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		enc := NewFragmentEncoder(&buf, tt.version)
		err := enc.Encode(tt.rec)
		enc.Close()
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v", tt.name, err)
		}
		if err != nil && buf.Len() != 0 {
			t.Errorf("%s: %d bytes written despite the error", tt.name, buf.Len())
		}
	}
}

func TestLegDefinitionV3(t *testing.T) {
	var buf bytes.Buffer
	enc := NewFragmentEncoder(&buf, 3)
	if err := enc.Encode(legDef()); err != nil {
		t.Fatal(err)
	}
	enc.Close()
	d, _ := NewFragmentDecoder(&buf, 3, false)
	r, err := d.Next()
	if err != nil {
		t.Fatal(err)
	}
	if want := normalized([]Record{legDef()}, false)[0]; !reflect.DeepEqual(r, want) {
		t.Errorf("got %+v\nwant %+v", r, want)
	}
}

func TestEncodeSetsRType(t *testing.T) {
	var buf bytes.Buffer
	md := testMetadata(3, false)
	md.Schema = SchemaOhlcv1H
	enc, err := NewEncoder(&buf, md)
	if err != nil {
		t.Fatal(err)
	}
	bar := &OhlcvMsg{Open: 1} // rtype 0 is not an OHLCV rtype: taken from the schema
	mbo := &MboMsg{}          // rtype 0 is wrong for MBO: taken from the type
	cbbo := &CbboMsg{}        // no way to tell 1s from 1m
	if err := enc.Encode(bar); err != nil || bar.Hd.RType != RTypeOhlcv1H || bar.Hd.Length != 14 {
		t.Errorf("bar: %v %+v", err, bar.Hd)
	}
	if err := enc.Encode(mbo); err != nil || mbo.Hd.RType != RTypeMbo {
		t.Errorf("mbo: %v %+v", err, mbo.Hd)
	}
	if err := enc.Encode(cbbo); err == nil {
		t.Errorf("cbbo without rtype encoded")
	}
	if err := enc.EncodeTsOut(mbo, 1); err == nil {
		t.Errorf("EncodeTsOut accepted on a stream without ts_out")
	}
}

func TestUnknownRTypeSkipped(t *testing.T) {
	var buf bytes.Buffer
	enc := NewFragmentEncoder(&buf, 3)
	enc.Encode(&OhlcvMsg{Hd: RecordHeader{RType: RTypeOhlcv1S}, Open: 1})
	enc.Close()
	unknown := make([]byte, 24)
	unknown[0], unknown[1] = 6, 0x42
	raw := append(append(append([]byte{}, buf.Bytes()...), unknown...), buf.Bytes()...)
	d, _ := NewFragmentDecoder(bytes.NewReader(raw), 3, false)
	n := 0
	for {
		_, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 || d.Skipped() != 1 || d.Offset() != int64(len(raw)) {
		t.Errorf("%d records, %d skipped, offset %d of %d", n, d.Skipped(), d.Offset(), len(raw))
	}
}

func TestDecodeErrors(t *testing.T) {
	var one bytes.Buffer
	enc := NewFragmentEncoder(&one, 3)
	enc.Encode(&OhlcvMsg{Hd: RecordHeader{RType: RTypeOhlcv1S}})
	enc.Close()
	ohlcv := one.Bytes() // 56 bytes
	tests := []struct {
		name    string
		input   []byte
		version uint8
		offset  int64
		reason  string
		eof     bool // wraps io.ErrUnexpectedEOF
	}{
		{"length below header", append(append([]byte{}, ohlcv...), 3, 0x20), 3, 56, "shorter than the 16-byte header", false},
		{"zero length", []byte{0, 0, 0, 0}, 3, 0, "shorter than the 16-byte header", false},
		{"truncated record", ohlcv[:40], 3, 0, "truncated", true},
		{"truncated second record", append(append([]byte{}, ohlcv...), ohlcv[:20]...), 3, 56, "truncated", true},
		{"wrong size for rtype", append([]byte{12, byte(RTypeOhlcv1S)}, make([]byte, 46)...), 3, 0, "ohlcv-1s record is 48 bytes, want 56", false},
		{"v3 definition read as v1", append([]byte{130, byte(RTypeInstrumentDef)}, make([]byte, 518)...), 1, 0, "want 360", false},
	}
	for _, tt := range tests {
		d, err := NewFragmentDecoder(bytes.NewReader(tt.input), tt.version, false)
		if err != nil {
			t.Fatal(err)
		}
		for err == nil {
			_, err = d.Next()
		}
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("%s: %v is not a *DecodeError", tt.name, err)
			continue
		}
		if de.Offset != tt.offset || !strings.Contains(err.Error(), tt.reason) || errors.Is(err, io.ErrUnexpectedEOF) != tt.eof {
			t.Errorf("%s: %v (offset %d)", tt.name, err, de.Offset)
		}
		if !strings.HasPrefix(err.Error(), "dbn: byte offset ") {
			t.Errorf("%s: message %q", tt.name, err)
		}
		if _, err2 := d.Next(); err2 != err {
			t.Errorf("%s: error not sticky: %v", tt.name, err2)
		}
	}
}

func TestMetadataErrors(t *testing.T) {
	good := encodeAll(t, testMetadata(3, false), nil, false)
	mutate := func(f func(b []byte) []byte) []byte { return f(append([]byte{}, good...)) }
	symbolsCount := 8 + 100 + 4 // offset of the symbols count
	tests := []struct {
		name   string
		input  []byte
		offset int64
		reason string
	}{
		{"empty", nil, 0, "unexpected EOF"},
		{"not dbn", []byte("hello world, not DBN"), 0, "not DBN, DBZ or Zstandard"},
		{"version 4", mutate(func(b []byte) []byte { b[3] = 4; return b }), 3, "unsupported DBN version 4"},
		{"short length", mutate(func(b []byte) []byte { put32(b, 4, 50); return b }), 4, "implausible metadata length"},
		{"truncated metadata", good[:200], 200, "reading"},
		{"bad schema", mutate(func(b []byte) []byte { put16(b, 24, 77); return b }), 24, "unknown schema 77"},
		{"bad stype", mutate(func(b []byte) []byte { b[50] = 40; return b }), 50, "unknown stype_in 40"},
		{"huge symbol count", mutate(func(b []byte) []byte { put32(b, symbolsCount, 1<<30); return b }), int64(symbolsCount), "symbols count 1073741824 does not fit"},
		{"zero cstr len", mutate(func(b []byte) []byte { put16(b, 53, 0); return b }), 53, "symbol_cstr_len is 0"},
		{"schema definition", mutate(func(b []byte) []byte { put32(b, 108, 5); return b }), 108, "schema definitions"},
	}
	for _, tt := range tests {
		_, err := NewDecoder(bytes.NewReader(tt.input))
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("%s: %v is not a *DecodeError", tt.name, err)
			continue
		}
		if de.Offset != tt.offset || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("%s: %v (offset %d, want %d)", tt.name, err, de.Offset, tt.offset)
		}
	}
	// A bad date in a mapping interval.
	md := testMetadata(3, false)
	bad := encodeAll(t, md, nil, false)
	i := bytes.Index(bad, []byte("SPY\x00"))
	i = bytes.Index(bad[i+4:], []byte("SPY\x00")) + i + 4 // the mapping's raw symbol
	put32(bad, i+SymbolCstrLen+4, 20251301)
	if _, err := NewDecoder(bytes.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "20251301 is not a valid") {
		t.Errorf("bad date: %v", err)
	}
}

func TestCreateAndOpen(t *testing.T) {
	dir := t.TempDir()
	recs := sampleRecords()
	for _, name := range []string{"x.dbn", "x.dbn.zst"} {
		path := filepath.Join(dir, name)
		enc, err := Create(path, testMetadata(0, false))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s exists before Close", name)
		}
		for _, r := range recs {
			if err := enc.Encode(cloneRecord(r)); err != nil {
				t.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		raw, _ := os.ReadFile(path)
		if compressed := u32(raw, 0) == zstdMagic; compressed != strings.HasSuffix(name, ".zst") {
			t.Errorf("%s: compressed = %v", name, compressed)
		}
		d, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, d); !reflect.DeepEqual(got, normalized(recs, false)) {
			t.Errorf("%s: records differ", name)
		}
		if err := d.Close(); err != nil {
			t.Error(err)
		}
	}
	// A failed Encode discards the file.
	path := filepath.Join(dir, "bad.dbn")
	md := testMetadata(1, false)
	enc, _ := Create(path, md)
	enc.Encode(legDef())
	if err := enc.Close(); err == nil {
		t.Error("Close succeeded after a failed Encode")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("directory holds %d entries, want the 2 good files", len(ents))
	}
	// Open names the file in its errors.
	os.WriteFile(path, []byte("DBN\x03\x01\x00\x00\x00"), 0o644)
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Open error %v does not name the file", err)
	}
}

func TestDBZEndZeroMeansOpen(t *testing.T) {
	for _, f := range fixtures(t) {
		if !strings.HasSuffix(f.name, ".dbz") {
			continue
		}
		d := openFixture(t, f)
		md := d.Metadata()
		d.Close()
		if md.Version != 0 || md.SymbolCstrLen != SymbolCstrLenV1 || md.End == 0 || md.TsOut {
			t.Errorf("%s: %+v", f.name, md)
		}
	}
}

func TestJSON(t *testing.T) {
	var buf bytes.Buffer
	for _, r := range sampleRecords() {
		buf.Reset()
		if err := WriteRecordJSON(&buf, r); err != nil {
			t.Fatal(err)
		}
		var obj map[string]any
		if err := json.Unmarshal(buf.Bytes(), &obj); err != nil {
			t.Fatalf("%T: invalid JSON %s: %v", r, buf.Bytes(), err)
		}
		if !bytes.HasSuffix(buf.Bytes(), []byte("}\n")) || bytes.Count(buf.Bytes(), []byte("\n")) != 1 {
			t.Errorf("%T: not one line: %q", r, buf.Bytes())
		}
		hd := obj["hd"].(map[string]any)
		if hd["rtype"] != r.Header().RType.String() {
			t.Errorf("%T: rtype %v", r, hd["rtype"])
		}
	}
	buf.Reset()
	cbbo := sampleRecords()[9].(*CbboMsg)
	WriteRecordJSON(&buf, cbbo)
	want := `{"hd":{"ts_event":"1700000000000000010","rtype":"cbbo-1m","publisher_id":7,"instrument_id":1010},` +
		`"price":null,"size":0,"side":"N","flags":0,"ts_recv":"6","levels":[{"bid_px":null,"ask_px":null,` +
		`"bid_sz":0,"ask_sz":0,"bid_pb":0,"ask_pb":0}]}` + "\n"
	if buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
	buf.Reset()
	WriteRecordJSON(&buf, &ErrorMsg{Hd: RecordHeader{RType: RTypeError}, Err: "bad \"x\"\n\xff"})
	if !strings.Contains(buf.String(), `"err":"bad \"x\"\u000a\ufffd"`) {
		t.Errorf("escaping: %s", buf.String())
	}
	buf.Reset()
	if err := WriteMetadataJSON(&buf, testMetadata(3, false)); err != nil {
		t.Fatal(err)
	}
	var md map[string]any
	if err := json.Unmarshal(buf.Bytes(), &md); err != nil {
		t.Fatal(err)
	}
	if md["schema"] != "mixed" || md["end"] != nil || md["stype_in"] != "raw_symbol" {
		t.Errorf("metadata JSON %s", buf.Bytes())
	}
	iv := md["mappings"].([]any)[0].(map[string]any)["intervals"].([]any)[1].(map[string]any)
	if iv["start_date"] != "2025-02-21" || iv["end_date"] != "2025-02-24" || iv["symbol"] != "15145" {
		t.Errorf("interval %v", iv)
	}
}

// TestDecodeAllocations checks decoding numeric records allocates nothing.
func TestDecodeAllocations(t *testing.T) {
	recs := make([]Record, 200)
	for i := range recs {
		recs[i] = &CbboMsg{Hd: RecordHeader{RType: RTypeCbbo1M, InstrumentID: uint32(i)}, Price: int64(i)}
	}
	raw := encodeAll(t, testMetadata(3, false), recs, false)
	d, _ := NewDecoder(bytes.NewReader(raw))
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := d.Next(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per record", allocs)
	}
}

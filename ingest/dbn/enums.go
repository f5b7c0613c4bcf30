package dbn

import (
	"fmt"
	"strconv"
)

// RType is a record type, the discriminant in every RecordHeader.
type RType uint8

// Record types.
const (
	RTypeMbp0            RType = 0x00 // trades (market by price, depth 0)
	RTypeMbp1            RType = 0x01 // MBP-1 and TBBO
	RTypeMbp10           RType = 0x0A // MBP-10
	RTypeOhlcvDeprecated RType = 0x11 // OHLCV of unspecified interval, in old files
	RTypeStatus          RType = 0x12 // trading status
	RTypeInstrumentDef   RType = 0x13 // instrument definition
	RTypeImbalance       RType = 0x14 // auction imbalance
	RTypeError           RType = 0x15 // live gateway error
	RTypeSymbolMapping   RType = 0x16 // live symbol mapping
	RTypeSystem          RType = 0x17 // live gateway system message or heartbeat
	RTypeStatistics      RType = 0x18 // publisher statistics
	RTypeOhlcv1S         RType = 0x20 // OHLCV, one second
	RTypeOhlcv1M         RType = 0x21 // OHLCV, one minute
	RTypeOhlcv1H         RType = 0x22 // OHLCV, one hour
	RTypeOhlcv1D         RType = 0x23 // OHLCV, one UTC day
	RTypeOhlcvEod        RType = 0x24 // OHLCV, one trading session
	RTypeMbo             RType = 0xA0 // market by order
	RTypeCmbp1           RType = 0xB1 // consolidated MBP-1
	RTypeCbbo1S          RType = 0xC0 // consolidated BBO, one second
	RTypeCbbo1M          RType = 0xC1 // consolidated BBO, one minute
	RTypeTcbbo           RType = 0xC2 // trades with the consolidated BBO before them
	RTypeBbo1S           RType = 0xC3 // BBO, one second
	RTypeBbo1M           RType = 0xC4 // BBO, one minute
)

// String returns the name DBN uses for the record type, e.g. "cbbo-1m", or
// "rtype(0x42)" for an unknown one.
func (t RType) String() string {
	switch t {
	case RTypeMbp0:
		return "mbp-0"
	case RTypeMbp1:
		return "mbp-1"
	case RTypeMbp10:
		return "mbp-10"
	case RTypeOhlcvDeprecated:
		return "ohlcv-deprecated"
	case RTypeStatus:
		return "status"
	case RTypeInstrumentDef:
		return "instrument-def"
	case RTypeImbalance:
		return "imbalance"
	case RTypeError:
		return "error"
	case RTypeSymbolMapping:
		return "symbol-mapping"
	case RTypeSystem:
		return "system"
	case RTypeStatistics:
		return "statistics"
	case RTypeOhlcv1S:
		return "ohlcv-1s"
	case RTypeOhlcv1M:
		return "ohlcv-1m"
	case RTypeOhlcv1H:
		return "ohlcv-1h"
	case RTypeOhlcv1D:
		return "ohlcv-1d"
	case RTypeOhlcvEod:
		return "ohlcv-eod"
	case RTypeMbo:
		return "mbo"
	case RTypeCmbp1:
		return "cmbp-1"
	case RTypeCbbo1S:
		return "cbbo-1s"
	case RTypeCbbo1M:
		return "cbbo-1m"
	case RTypeTcbbo:
		return "tcbbo"
	case RTypeBbo1S:
		return "bbo-1s"
	case RTypeBbo1M:
		return "bbo-1m"
	}
	return fmt.Sprintf("rtype(0x%02x)", uint8(t))
}

// Schema is a DBN data schema: which record type a file holds.
type Schema uint16

// Schemas. SchemaMixed marks a file or stream holding several record types.
const (
	SchemaMbo        Schema = 0
	SchemaMbp1       Schema = 1
	SchemaMbp10      Schema = 2
	SchemaTbbo       Schema = 3
	SchemaTrades     Schema = 4
	SchemaOhlcv1S    Schema = 5
	SchemaOhlcv1M    Schema = 6
	SchemaOhlcv1H    Schema = 7
	SchemaOhlcv1D    Schema = 8
	SchemaDefinition Schema = 9
	SchemaStatistics Schema = 10
	SchemaStatus     Schema = 11
	SchemaImbalance  Schema = 12
	SchemaOhlcvEod   Schema = 13
	SchemaCmbp1      Schema = 14
	SchemaCbbo1S     Schema = 15
	SchemaCbbo1M     Schema = 16
	SchemaTcbbo      Schema = 17
	SchemaBbo1S      Schema = 18
	SchemaBbo1M      Schema = 19
	SchemaMixed      Schema = 0xFFFF
)

// schemaNames holds the names of the schemas 0 through 19, indexed by value.
var schemaNames = [...]string{
	"mbo", "mbp-1", "mbp-10", "tbbo", "trades", "ohlcv-1s", "ohlcv-1m", "ohlcv-1h",
	"ohlcv-1d", "definition", "statistics", "status", "imbalance", "ohlcv-eod",
	"cmbp-1", "cbbo-1s", "cbbo-1m", "tcbbo", "bbo-1s", "bbo-1m",
}

// schemaRTypes holds the record type of each schema 0 through 19.
var schemaRTypes = [...]RType{
	RTypeMbo, RTypeMbp1, RTypeMbp10, RTypeMbp1, RTypeMbp0, RTypeOhlcv1S, RTypeOhlcv1M,
	RTypeOhlcv1H, RTypeOhlcv1D, RTypeInstrumentDef, RTypeStatistics, RTypeStatus,
	RTypeImbalance, RTypeOhlcvEod, RTypeCmbp1, RTypeCbbo1S, RTypeCbbo1M, RTypeTcbbo,
	RTypeBbo1S, RTypeBbo1M,
}

// Valid reports whether s is a known schema or SchemaMixed.
func (s Schema) Valid() bool {
	return int(s) < len(schemaNames) || s == SchemaMixed
}

// String returns the name Databento uses for the schema, e.g. "cbbo-1m",
// "definition", "mixed" for SchemaMixed, or "schema(42)" for an unknown value.
func (s Schema) String() string {
	if int(s) < len(schemaNames) {
		return schemaNames[s]
	}
	if s == SchemaMixed {
		return "mixed"
	}
	return "schema(" + strconv.Itoa(int(s)) + ")"
}

// RType returns the record type of the schema's records, and false for
// SchemaMixed or an unknown schema.
func (s Schema) RType() (RType, bool) {
	if int(s) < len(schemaRTypes) {
		return schemaRTypes[s], true
	}
	return 0, false
}

// ParseSchema parses a schema name as Databento writes it, e.g. "ohlcv-1d".
// It also accepts "mixed".
func ParseSchema(s string) (Schema, error) {
	for i, name := range schemaNames {
		if name == s {
			return Schema(i), nil
		}
	}
	if s == "mixed" {
		return SchemaMixed, nil
	}
	return 0, fmt.Errorf("dbn: unknown schema %q", s)
}

// SType is a symbology type.
type SType uint8

// Symbology types. STypeNone marks an absent stype_in (mixed symbology) or
// stype_out.
const (
	STypeInstrumentID  SType = 0
	STypeRawSymbol     SType = 1
	STypeSmart         SType = 2 // deprecated: split into continuous and parent
	STypeContinuous    SType = 3
	STypeParent        SType = 4
	STypeNasdaqSymbol  SType = 5
	STypeCmsSymbol     SType = 6
	STypeIsin          SType = 7
	STypeUsCode        SType = 8
	STypeBbgCompID     SType = 9
	STypeBbgCompTicker SType = 10
	STypeFigi          SType = 11
	STypeFigiTicker    SType = 12
	STypeNone          SType = 0xFF
)

var stypeNames = [...]string{
	"instrument_id", "raw_symbol", "smart", "continuous", "parent", "nasdaq_symbol",
	"cms_symbol", "isin", "us_code", "bbg_comp_id", "bbg_comp_ticker", "figi", "figi_ticker",
}

// Valid reports whether t is a known symbology type or STypeNone.
func (t SType) Valid() bool {
	return int(t) < len(stypeNames) || t == STypeNone
}

// String returns the name Databento uses for the symbology type, e.g.
// "raw_symbol", "none" for STypeNone, or "stype(42)" for an unknown value.
func (t SType) String() string {
	if int(t) < len(stypeNames) {
		return stypeNames[t]
	}
	if t == STypeNone {
		return "none"
	}
	return "stype(" + strconv.Itoa(int(t)) + ")"
}

// Statistic types, the values of StatMsg.StatType.
const (
	StatTypeOpeningPrice            = 1
	StatTypeIndicativeOpeningPrice  = 2
	StatTypeSettlementPrice         = 3
	StatTypeTradingSessionLowPrice  = 4
	StatTypeTradingSessionHighPrice = 5
	StatTypeClearedVolume           = 6
	StatTypeLowestOffer             = 7
	StatTypeHighestBid              = 8
	StatTypeOpenInterest            = 9
	StatTypeFixingPrice             = 10
	StatTypeClosePrice              = 11
	StatTypeNetChange               = 12
	StatTypeVwap                    = 13
	StatTypeVolatility              = 14
	StatTypeDelta                   = 15
	StatTypeUncrossingPrice         = 16
	StatTypeUpperPriceLimit         = 17
	StatTypeLowerPriceLimit         = 18
	StatTypeBlockVolume             = 19
	StatTypeIndicativeClosePrice    = 20
)

// Statistic update actions, the values of StatMsg.UpdateAction.
const (
	StatUpdateNew    = 1
	StatUpdateDelete = 2
)

// Bits of the Flags field of market data records.
const (
	FlagLast         = 1 << 7 // last record in the venue's packet for this instrument
	FlagTOB          = 1 << 6 // top-of-book message, not an individual order
	FlagSnapshot     = 1 << 5 // sourced from a replay such as a snapshot server
	FlagMBP          = 1 << 4 // aggregated price level, not an individual order
	FlagBadTsRecv    = 1 << 3 // ts_recv is inaccurate
	FlagMaybeBadBook = 1 << 2 // an unrecoverable gap was detected in the channel
)

// Instrument classes, the values of InstrumentDefMsg.InstrumentClass.
const (
	InstrumentClassBond         = 'B'
	InstrumentClassCall         = 'C'
	InstrumentClassFuture       = 'F'
	InstrumentClassStock        = 'K'
	InstrumentClassMixedSpread  = 'M'
	InstrumentClassPut          = 'P'
	InstrumentClassFutureSpread = 'S'
	InstrumentClassOptionSpread = 'T'
	InstrumentClassFxSpot       = 'X'
)

// System message codes, the values of SystemMsg.Code.
const (
	SystemCodeHeartbeat         = 0
	SystemCodeSubscriptionAck   = 1
	SystemCodeSlowReaderWarning = 2
	SystemCodeReplayCompleted   = 3
	SystemCodeEndOfInterval     = 4
	SystemCodeUnset             = 255
)

// ParseSType returns the symbology type Databento names s ("raw_symbol",
// "instrument_id", "parent", ...), as written in symbology.json and metadata.json.
func ParseSType(s string) (SType, error) {
	for i, n := range stypeNames {
		if n == s {
			return SType(i), nil
		}
	}
	if s == "none" {
		return STypeNone, nil
	}
	return 0, fmt.Errorf("dbn: unknown symbology type %q", s)
}

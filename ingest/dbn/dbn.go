// Package dbn reads and writes Databento Binary Encoding (DBN): the metadata
// header and the fixed-layout records of DBN versions 1, 2 and 3, plain or
// Zstandard-compressed, record-only fragments, and the legacy DBZ container
// (version 0) that preceded DBN.
//
// # Versions
//
// Every record read from an older version is upgraded to one in-memory form,
// the version 3 layout, so callers handle one set of types. The upgrade:
//
//   - InstrumentDefMsg: RawInstrumentID widens from uint32 to uint64, Asset may
//     hold up to 10 characters, and the leg fields added in version 3 get their
//     "no leg" defaults (LegPrice and LegDelta UndefPrice, LegSide 'N', the rest
//     zero). The version 1 and 2 fields that version 3 dropped are dropped:
//     trading_reference_price, trading_reference_date, settl_price_type and
//     md_security_trading_status.
//   - StatMsg: Quantity widens from int32 to int64; the undefined sentinel
//     math.MaxInt32 becomes UndefStatQuantity.
//   - ErrorMsg, SystemMsg, SymbolMappingMsg (version 1): strings widen; the
//     fields version 1 lacks get DBN's defaults (Code, IsLast, StypeIn and
//     StypeOut 255), except that a version 1 "Heartbeat" system message gets
//     Code SystemCodeHeartbeat.
//   - OhlcvMsg: the legacy rtype ohlcv-deprecated (0x11) of old files becomes
//     the rtype of the file's OHLCV schema, e.g. ohlcv-1h.
//
// An Encoder writes any version: version 3 records are downgraded when the
// target is older, and a record that cannot be represented there (a symbol
// too long, a leg definition, a quantity beyond int32) is an error rather
// than silently truncated data. Downgrading drops the version 2 ErrorMsg Code
// and IsLast, SystemMsg Code and SymbolMappingMsg StypeIn/StypeOut, which
// version 1 has no room for.
//
// # Errors
//
// Every error from NewDecoder and Next other than io.EOF is a *DecodeError
// naming the byte offset in the (decompressed) stream; input cut short wraps
// io.ErrUnexpectedEOF. Records of unknown type are stepped over by their
// length and counted (Decoder.Skipped); a known type with the wrong length for
// the stream's version is an error, as is a DBZ stream that ends before the
// record count its metadata gives.
//
// # Memory
//
// A Decoder streams: it reads through a fixed buffer and decodes into record
// structs it owns and reuses, so the record returned by Next is overwritten
// by the following call. Copy it (e.g. rec := *m) to keep it. Numeric records
// decode without allocating; string fields allocate only when their text
// differs from the previous record of the same type.
package dbn

import (
	"math"
	"strconv"
)

// UndefPrice is the sentinel for an undefined price.
const UndefPrice int64 = math.MaxInt64

// UndefTimestamp is the sentinel for an undefined timestamp.
const UndefTimestamp uint64 = math.MaxUint64

// UndefStatQuantity is the sentinel for an undefined StatMsg quantity.
const UndefStatQuantity int64 = math.MaxInt64

// UndefOrderSize is the sentinel for an undefined order size.
const UndefOrderSize uint32 = math.MaxUint32

// PriceScale is the number of price units in 1.0: prices are int64 × 1e-9.
const PriceScale = 1_000_000_000

// Version is the newest DBN version this package reads and the one it writes
// by default.
const Version uint8 = 3

// Lengths of fixed-size text fields.
const (
	SymbolCstrLenV1 = 22 // symbol fields in DBN version 1 and DBZ
	SymbolCstrLen   = 71 // symbol fields in DBN versions 2 and 3
	datasetCstrLen  = 16 // dataset in the metadata header
)

// PriceFloat converts a fixed-point price to a float64. It returns NaN when p is
// UndefPrice.
func PriceFloat(p int64) float64 {
	if p == UndefPrice {
		return math.NaN()
	}
	return float64(p) / PriceScale
}

// FormatPrice formats a fixed-point price as an exact decimal string with no
// trailing zeros, e.g. "4.225", "-0.5", "100". It does not treat UndefPrice
// specially: callers decide how to show an undefined price.
func FormatPrice(p int64) string {
	var buf [24]byte
	return string(appendPrice(buf[:0], p))
}

// appendPrice appends the decimal form of p to b.
func appendPrice(b []byte, p int64) []byte {
	u := uint64(p)
	if p < 0 {
		b = append(b, '-')
		u = -u // two's complement magnitude, correct for math.MinInt64 too
	}
	b = strconv.AppendUint(b, u/PriceScale, 10)
	frac := u % PriceScale
	if frac == 0 {
		return b
	}
	var digits [9]byte
	for i := 8; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := 9
	for n > 0 && digits[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, digits[:n]...)
}

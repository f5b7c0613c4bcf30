package dbn

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Metadata is the header of a DBN file: what the records are and how they
// were requested.
type Metadata struct {
	Version       uint8  // DBN version of the source: 1-3, or 0 for a legacy DBZ file
	Dataset       string // e.g. "OPRA.PILLAR"
	Schema        Schema // SchemaMixed when records of several types are mixed
	Start, End    uint64 // requested range in ns since the epoch; End is UndefTimestamp if open
	Limit         uint64 // record limit of the request, 0 for none
	RecordCount   uint64 // versions 0 and 1 only: the deprecated record count
	StypeIn       SType  // input symbology, STypeNone when mixed
	StypeOut      SType  // output symbology
	TsOut         bool   // each record carries a trailing gateway send time (ts_out)
	SymbolCstrLen uint16 // length of symbol fields: 22 in versions 0-1, else from the header
	Symbols       []string
	Partial       []string // symbols resolved for only part of the range
	NotFound      []string // symbols that did not resolve
	Mappings      []SymbolMapping
}

// SymbolMapping maps a requested symbol to output symbols over date ranges.
type SymbolMapping struct {
	RawSymbol string
	Intervals []MappingInterval
}

// MappingInterval is one date range of a SymbolMapping.
type MappingInterval struct {
	StartDate time.Time // UTC midnight, inclusive
	EndDate   time.Time // UTC midnight, exclusive
	Symbol    string    // the output symbol, e.g. an instrument ID as decimal text
}

const (
	metadataFixedLen   = 100 // fixed part of the metadata after the 8-byte prelude
	reservedLenV1      = 47
	reservedLen        = 53
	maxMetadataLen     = 1 << 30 // sanity cap on the declared metadata length
	metadataPreludeLen = 8
)

// mdCursor reads metadata fields from b, remembering the first failure. Every
// error names the offset in the stream: base plus the position in b.
type mdCursor struct {
	b    []byte
	pos  int
	base int64
	err  error
}

func (c *mdCursor) fail(format string, a ...any) {
	if c.err == nil {
		c.err = &DecodeError{Offset: c.base + int64(c.pos), Err: fmt.Errorf(format, a...)}
	}
}

// take returns the next n bytes, or nil after recording an error.
func (c *mdCursor) take(n int, what string) []byte {
	if c.err != nil {
		return nil
	}
	if n < 0 || n > len(c.b)-c.pos {
		c.fail("metadata truncated: %s needs %d bytes, %d left: %w", what, n, len(c.b)-c.pos, io.ErrUnexpectedEOF)
		return nil
	}
	s := c.b[c.pos : c.pos+n]
	c.pos += n
	return s
}

func (c *mdCursor) u8(what string) uint8 {
	if s := c.take(1, what); s != nil {
		return s[0]
	}
	return 0
}

func (c *mdCursor) u16(what string) uint16 {
	if s := c.take(2, what); s != nil {
		return u16(s, 0)
	}
	return 0
}

func (c *mdCursor) u32(what string) uint32 {
	if s := c.take(4, what); s != nil {
		return u32(s, 0)
	}
	return 0
}

func (c *mdCursor) u64(what string) uint64 {
	if s := c.take(8, what); s != nil {
		return u64(s, 0)
	}
	return 0
}

func (c *mdCursor) str(n int, what string) string {
	if s := c.take(n, what); s != nil {
		return cstr(s, "")
	}
	return ""
}

// count reads a u32 element count and checks that count elements of at least
// minLen bytes each fit in what is left, so a corrupt count cannot make the
// decoder allocate more than the metadata holds.
func (c *mdCursor) count(minLen int, what string) int {
	n := c.u32(what + " count")
	if c.err != nil {
		return 0
	}
	if uint64(n)*uint64(minLen) > uint64(len(c.b)-c.pos) {
		c.pos -= 4
		c.fail("%s count %d does not fit in the %d bytes of metadata left", what, n, len(c.b)-c.pos-4)
		return 0
	}
	return int(n)
}

func (c *mdCursor) strings(cstrLen int, what string) []string {
	n := c.count(cstrLen, what)
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = c.str(cstrLen, what)
	}
	return out
}

// date reads a YYYYMMDD date.
func (c *mdCursor) date(what string) time.Time {
	at := c.pos
	raw := c.u32(what)
	if c.err != nil {
		return time.Time{}
	}
	y, m, d := int(raw/10000), time.Month(raw/100%100), int(raw%100)
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || d < 1 || t.Day() != d {
		c.pos = at
		c.fail("%s %d is not a valid YYYYMMDD date", what, raw)
	}
	return t
}

// decodeMetadataBody parses the metadata that follows the 8-byte prelude of a
// DBN stream of the given version (1-3).
func decodeMetadataBody(version uint8, body []byte) (*Metadata, error) {
	c := &mdCursor{b: body, base: metadataPreludeLen}
	md := &Metadata{Version: version}
	md.Dataset = c.str(datasetCstrLen, "dataset")
	at := c.pos
	md.Schema = Schema(c.u16("schema"))
	if c.err == nil && !md.Schema.Valid() {
		c.pos = at
		c.fail("unknown schema %d", uint16(md.Schema))
	}
	md.Start, md.End, md.Limit = c.u64("start"), c.u64("end"), c.u64("limit")
	if version == 1 {
		md.RecordCount = c.u64("record_count")
	}
	md.StypeIn, md.StypeOut = c.stype("stype_in"), c.stype("stype_out")
	md.TsOut = c.u8("ts_out") != 0
	md.SymbolCstrLen = SymbolCstrLenV1
	if version > 1 {
		at = c.pos
		md.SymbolCstrLen = c.u16("symbol_cstr_len")
		if c.err == nil && md.SymbolCstrLen == 0 {
			c.pos = at
			c.fail("symbol_cstr_len is 0")
		}
		c.take(reservedLen, "reserved")
	} else {
		c.take(reservedLenV1, "reserved")
	}
	decodeMetadataVar(c, md)
	if c.err != nil {
		return nil, c.err
	}
	return md, nil
}

func (c *mdCursor) stype(what string) SType {
	at := c.pos
	t := SType(c.u8(what))
	if c.err == nil && !t.Valid() {
		c.pos = at
		c.fail("unknown %s %d", what, uint8(t))
	}
	return t
}

// decodeMetadataVar parses the variable-length part shared by DBN and DBZ:
// schema definition length, symbols, partial, not_found and mappings.
func decodeMetadataVar(c *mdCursor, md *Metadata) {
	at := c.pos
	if n := c.u32("schema_definition_length"); c.err == nil && n != 0 {
		c.pos = at
		c.fail("schema definitions are not supported (length %d)", n)
	}
	n := int(md.SymbolCstrLen)
	md.Symbols = c.strings(n, "symbols")
	md.Partial = c.strings(n, "partial")
	md.NotFound = c.strings(n, "not_found")
	count := c.count(n+4, "mappings")
	if count > 0 {
		md.Mappings = make([]SymbolMapping, count)
	}
	for i := 0; i < count && c.err == nil; i++ {
		m := &md.Mappings[i]
		m.RawSymbol = c.str(n, "mapping raw_symbol")
		k := c.count(8+n, "mapping intervals")
		if k > 0 {
			m.Intervals = make([]MappingInterval, k)
		}
		for j := 0; j < k && c.err == nil; j++ {
			iv := &m.Intervals[j]
			iv.StartDate = c.date("mapping start_date")
			iv.EndDate = c.date("mapping end_date")
			iv.Symbol = c.str(n, "mapping symbol")
		}
	}
}

// metadataLen returns the encoded length of md's metadata after the prelude
// for version and symbol length n, and the zero padding at its end.
func metadataLen(md *Metadata, version uint8, n int) (length, pad int) {
	length = metadataFixedLen + 5*4 + (len(md.Symbols)+len(md.Partial)+len(md.NotFound))*n
	for _, m := range md.Mappings {
		length += n + 4 + len(m.Intervals)*(8+n)
	}
	if version >= 3 && length%8 != 0 {
		pad = 8 - length%8
	}
	return length + pad, pad
}

// encodeMetadata appends the DBN metadata of md in version (1-3) to dst.
// Symbol fields are 22 bytes in version 1 and 71 in later versions.
func encodeMetadata(dst []byte, md *Metadata, version uint8) ([]byte, error) {
	n := SymbolCstrLen
	if version == 1 {
		n = SymbolCstrLenV1
	}
	if !md.Schema.Valid() {
		return nil, fmt.Errorf("dbn: cannot encode unknown schema %d", uint16(md.Schema))
	}
	length, pad := metadataLen(md, version, n)
	if length > math.MaxUint32 {
		return nil, errors.New("dbn: metadata too long")
	}
	b := append(dst, 'D', 'B', 'N', version)
	b = put32a(b, uint32(length))
	var err error
	if b, err = appendCstr(b, md.Dataset, datasetCstrLen, "dataset"); err != nil {
		return nil, err
	}
	b = put16a(b, uint16(md.Schema))
	b = put64a(put64a(put64a(b, md.Start), md.End), md.Limit)
	if version == 1 {
		b = put64a(b, md.RecordCount)
	}
	tsOut := byte(0)
	if md.TsOut {
		tsOut = 1
	}
	b = append(b, byte(md.StypeIn), byte(md.StypeOut), tsOut)
	if version == 1 {
		b = append(b, make([]byte, reservedLenV1)...)
	} else {
		b = put16a(b, uint16(n))
		b = append(b, make([]byte, reservedLen)...)
	}
	b = put32a(b, 0) // schema_definition_length
	for _, list := range [][]string{md.Symbols, md.Partial, md.NotFound} {
		b = put32a(b, uint32(len(list)))
		for _, s := range list {
			if b, err = appendCstr(b, s, n, "symbol"); err != nil {
				return nil, err
			}
		}
	}
	if b, err = appendMappings(b, md.Mappings, n); err != nil {
		return nil, err
	}
	return append(b, make([]byte, pad)...), nil
}

func appendMappings(b []byte, mappings []SymbolMapping, n int) ([]byte, error) {
	var err error
	b = put32a(b, uint32(len(mappings)))
	for _, m := range mappings {
		if b, err = appendCstr(b, m.RawSymbol, n, "mapping raw_symbol"); err != nil {
			return nil, err
		}
		b = put32a(b, uint32(len(m.Intervals)))
		for _, iv := range m.Intervals {
			b = put32a(b, yyyymmdd(iv.StartDate))
			b = put32a(b, yyyymmdd(iv.EndDate))
			if b, err = appendCstr(b, iv.Symbol, n, "mapping symbol"); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}

func yyyymmdd(t time.Time) uint32 {
	y, m, d := t.UTC().Date()
	return uint32(y*10000 + int(m)*100 + d)
}

func appendCstr(b []byte, s string, n int, what string) ([]byte, error) {
	if len(s) >= n {
		return nil, fmt.Errorf("dbn: %s %q is longer than %d bytes", what, s, n-1)
	}
	b = append(b, s...)
	return append(b, make([]byte, n-len(s))...), nil
}

func put16a(b []byte, v uint16) []byte { return append(b, byte(v), byte(v>>8)) }
func put32a(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}
func put64a(b []byte, v uint64) []byte { return put32a(put32a(b, uint32(v)), uint32(v>>32)) }

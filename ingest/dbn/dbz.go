package dbn

import (
	"bytes"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
)

// DBZ, the container that preceded DBN, is a Zstandard skippable frame whose
// payload is the metadata, followed by Zstandard frames holding version 1
// records. The payload: "DBZ", a version byte (1), the fixed fields below,
// then the variable-length part (symbols and mappings, as in DBN with 22-byte
// symbols) compressed with Zstandard.
const (
	dbzFixedLen    = 96
	dbzReservedLen = 39
	maxDBZVarLen   = 64 << 20 // cap on the decompressed variable-length metadata
)

// isSkippableFrame reports whether magic is a Zstandard skippable frame magic
// number (0x184D2A50 through 0x184D2A5F).
func isSkippableFrame(magic uint32) bool {
	return magic&0xFFFFFFF0 == 0x184D2A50
}

// decodeDBZMetadata parses the payload of a DBZ skippable frame, which starts
// at stream offset 8.
func decodeDBZMetadata(frame []byte) (*Metadata, error) {
	const base = 8
	if len(frame) < dbzFixedLen {
		return nil, &DecodeError{Offset: base, Err: fmt.Errorf("DBZ metadata frame of %d bytes is shorter than %d", len(frame), dbzFixedLen)}
	}
	if string(frame[:3]) != "DBZ" {
		return nil, &DecodeError{Offset: base, Err: fmt.Errorf("DBZ metadata frame does not start with \"DBZ\"")}
	}
	if frame[3] > 1 {
		return nil, &DecodeError{Offset: base + 3, Err: fmt.Errorf("unsupported DBZ version %d", frame[3])}
	}
	c := &mdCursor{b: frame[:dbzFixedLen], pos: 4, base: base}
	md := &Metadata{Version: 0, SymbolCstrLen: SymbolCstrLenV1}
	md.Dataset = c.str(datasetCstrLen, "dataset")
	at := c.pos
	md.Schema = Schema(c.u16("schema"))
	if c.err == nil && !md.Schema.Valid() {
		c.pos = at
		c.fail("unknown schema %d", uint16(md.Schema))
	}
	md.Start, md.End, md.Limit, md.RecordCount = c.u64("start"), c.u64("end"), c.u64("limit"), c.u64("record_count")
	if md.End == 0 {
		md.End = UndefTimestamp
	}
	c.u8("compression")
	md.StypeIn, md.StypeOut = c.stype("stype_in"), c.stype("stype_out")
	c.take(dbzReservedLen, "reserved")
	if c.err != nil {
		return nil, c.err
	}
	varPart, err := unzstdBounded(frame[dbzFixedLen:], maxDBZVarLen)
	if err != nil {
		return nil, &DecodeError{Offset: base + dbzFixedLen, Err: fmt.Errorf("DBZ variable-length metadata: %w", err)}
	}
	vc := &mdCursor{b: varPart, base: base + dbzFixedLen}
	decodeMetadataVar(vc, md)
	if vc.err != nil {
		return nil, vc.err
	}
	return md, nil
}

// unzstdBounded decompresses src, failing if the output exceeds limit bytes.
func unzstdBounded(src []byte, limit int64) ([]byte, error) {
	zr, err := zstd.NewReader(bytes.NewReader(src), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(limit)))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("decompresses to more than %d bytes", limit)
	}
	return out, nil
}

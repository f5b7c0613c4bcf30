package dbn

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
)

const (
	readBufSize   = 64 << 10
	zstdMagic     = 0xFD2FB528
	maxZstdWindow = 64 << 20 // larger windows (zstd --long) are refused
)

// DecodeError reports malformed, truncated or unreadable input and where in
// the (decompressed) DBN stream it was found.
type DecodeError struct {
	Path   string // file name when known (decoders made by Open), else ""
	Offset int64  // byte offset in the decompressed stream
	Err    error  // the reason; io.ErrUnexpectedEOF for input cut short
}

// Error returns "dbn: byte offset N: reason", with the path after "dbn: " when
// it is known.
func (e *DecodeError) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("dbn: %s: byte offset %d: %v", e.Path, e.Offset, e.Err)
	}
	return fmt.Sprintf("dbn: byte offset %d: %v", e.Offset, e.Err)
}

// Unwrap returns the reason.
func (e *DecodeError) Unwrap() error { return e.Err }

// Decoder reads DBN records from a stream. It upgrades records of DBN
// versions 1 and 2 (and DBZ) to the version 3 form.
//
// The record returned by Next is owned by the Decoder and is overwritten by
// the next call to Next; copy it to keep it.
type Decoder struct {
	br      *bufio.Reader
	zr      *zstd.Decoder // nil for plain input
	file    *os.File      // set by Open
	path    string
	md      *Metadata
	version uint8 // record layout version, 1-3
	tsOut   bool
	ohlcvRT RType // rtype for legacy ohlcv-deprecated records, from the schema
	lastTs  uint64
	off     int64
	skipped int64
	count   int64 // records read, skipped ones included
	err     error
	recs    recordSet
}

// recordSet holds the one struct per record type that Next decodes into.
type recordSet struct {
	mbo    MboMsg
	trade  TradeMsg
	mbp1   Mbp1Msg
	mbp10  Mbp10Msg
	bbo    BboMsg
	cmbp1  Cmbp1Msg
	cbbo   CbboMsg
	ohlcv  OhlcvMsg
	status StatusMsg
	def    InstrumentDefMsg
	imb    ImbalanceMsg
	stat   StatMsg
	errMsg ErrorMsg
	smap   SymbolMappingMsg
	sys    SystemMsg
}

// NewDecoder reads the metadata of a DBN stream and returns a Decoder for its
// records. The input may be plain DBN, Zstandard-compressed DBN (one or more
// frames) or a legacy DBZ file; the function tells them apart by their first
// bytes.
func NewDecoder(r io.Reader) (*Decoder, error) {
	d := &Decoder{lastTs: UndefTimestamp}
	if err := d.init(r); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// NewFragmentDecoder returns a Decoder for a DBN fragment: records with no
// metadata, laid out as in DBN version (1-3; 0 means DBZ, i.e. 1). tsOut says
// whether each record carries a trailing ts_out. Zstandard input is detected.
func NewFragmentDecoder(r io.Reader, version uint8, tsOut bool) (*Decoder, error) {
	if version > Version {
		return nil, &DecodeError{Err: fmt.Errorf("unsupported DBN version %d", version)}
	}
	d := &Decoder{lastTs: UndefTimestamp, version: max(version, 1), tsOut: tsOut}
	src := bufio.NewReaderSize(r, readBufSize)
	d.br = src
	if head, _ := src.Peek(4); len(head) == 4 && u32(head, 0) == zstdMagic {
		if err := d.startZstd(src); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Open opens the DBN, DBN.zst or DBZ file at path. Close closes the file.
// Errors name the path.
func Open(path string) (*Decoder, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dbn: %w", err)
	}
	d := &Decoder{lastTs: UndefTimestamp, file: f, path: path}
	if err := d.init(f); err != nil {
		d.Close()
		var de *DecodeError
		if errors.As(err, &de) {
			de.Path = path
		}
		return nil, err
	}
	return d, nil
}

func (d *Decoder) init(r io.Reader) error {
	src := bufio.NewReaderSize(r, readBufSize)
	head, err := src.Peek(4)
	if len(head) < 4 {
		return d.ioError(err, "reading the first 4 bytes")
	}
	switch magic := u32(head, 0); {
	case magic == zstdMagic:
		if err := d.startZstd(src); err != nil {
			return err
		}
		return d.readDBNMetadata()
	case isSkippableFrame(magic):
		return d.readDBZ(src)
	case string(head[:3]) == "DBN":
		d.br = src
		return d.readDBNMetadata()
	}
	return &DecodeError{Err: fmt.Errorf("input is not DBN, DBZ or Zstandard (first bytes % x)", head)}
}

func (d *Decoder) startZstd(src io.Reader) error {
	zr, err := zstd.NewReader(src, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(maxZstdWindow))
	if err != nil {
		return &DecodeError{Offset: d.off, Err: fmt.Errorf("zstd: %w", err)}
	}
	d.zr = zr
	d.br = bufio.NewReaderSize(zr, readBufSize)
	return nil
}

// ioError turns a read failure into a *DecodeError at the current offset;
// io.EOF becomes io.ErrUnexpectedEOF because the caller needed more bytes.
func (d *Decoder) ioError(err error, what string) error {
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &DecodeError{Offset: d.off, Err: fmt.Errorf("%s: %w", what, err)}
}

// readFull reads exactly n bytes, growing the buffer only as data arrives so
// a bogus length in the input cannot force a huge allocation.
func readFull(r io.Reader, n int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, n))
	if err == nil && int64(len(b)) < n {
		err = io.ErrUnexpectedEOF
	}
	return b, err
}

func (d *Decoder) readDBNMetadata() error {
	prelude, err := d.br.Peek(metadataPreludeLen)
	if len(prelude) < metadataPreludeLen {
		return d.ioError(err, "reading the DBN prelude")
	}
	if string(prelude[:3]) != "DBN" {
		return &DecodeError{Err: fmt.Errorf("missing \"DBN\" prefix (first bytes % x)", prelude[:4])}
	}
	version, length := prelude[3], u32(prelude, 4)
	if version < 1 || version > Version {
		return &DecodeError{Offset: 3, Err: fmt.Errorf("unsupported DBN version %d", version)}
	}
	if length < metadataFixedLen || length > maxMetadataLen {
		return &DecodeError{Offset: 4, Err: fmt.Errorf("implausible metadata length %d", length)}
	}
	d.br.Discard(metadataPreludeLen)
	d.off = metadataPreludeLen
	body, err := readFull(d.br, int64(length))
	if err != nil {
		d.off += int64(len(body))
		return d.ioError(err, fmt.Sprintf("reading %d bytes of metadata", length))
	}
	md, err := decodeMetadataBody(version, body)
	if err != nil {
		return err
	}
	d.off += int64(length)
	d.setMetadata(md, version)
	return nil
}

func (d *Decoder) readDBZ(src *bufio.Reader) error {
	var hdr [8]byte
	if _, err := io.ReadFull(src, hdr[:]); err != nil {
		return d.ioError(err, "reading the DBZ frame header")
	}
	size := u32(hdr[:], 4)
	d.off = 8
	frame, err := readFull(src, int64(size))
	if err != nil {
		d.off += int64(len(frame))
		return d.ioError(err, fmt.Sprintf("reading %d bytes of DBZ metadata", size))
	}
	md, err := decodeDBZMetadata(frame)
	if err != nil {
		return err
	}
	d.off += int64(size)
	d.setMetadata(md, 1)
	d.br = src
	if rest, _ := src.Peek(1); len(rest) > 0 {
		return d.startZstd(src)
	}
	return nil
}

func (d *Decoder) setMetadata(md *Metadata, version uint8) {
	d.md, d.version, d.tsOut = md, version, md.TsOut
	switch md.Schema {
	case SchemaOhlcv1S, SchemaOhlcv1M, SchemaOhlcv1H, SchemaOhlcv1D, SchemaOhlcvEod:
		d.ohlcvRT, _ = md.Schema.RType()
	}
}

// Metadata returns the stream's metadata, or nil for a fragment decoder.
func (d *Decoder) Metadata() *Metadata { return d.md }

// Version returns the DBN version whose record layout the stream uses (1-3;
// DBZ input reports 1).
func (d *Decoder) Version() uint8 { return d.version }

// TsOut returns the ts_out of the record last returned by Next, or
// UndefTimestamp when the stream carries none.
func (d *Decoder) TsOut() uint64 { return d.lastTs }

// Offset returns the number of bytes of the decompressed DBN stream consumed
// so far, metadata included.
func (d *Decoder) Offset() int64 { return d.off }

// Skipped returns how many records of unknown record types Next has skipped.
// Such records are stepped over using their length byte, never guessed at.
func (d *Decoder) Skipped() int64 { return d.skipped }

// Close releases the decompressor and closes the file opened by Open. It does
// not close a reader passed to NewDecoder.
func (d *Decoder) Close() error {
	if d.zr != nil {
		d.zr.Close()
		d.zr = nil
	}
	if d.file != nil {
		err := d.file.Close()
		d.file = nil
		return err
	}
	return nil
}

// Next decodes the next record. It returns io.EOF at a clean end of the
// stream. A record cut short, an impossible length or unreadable input gives
// a *DecodeError, after which Next keeps returning that error. The record
// returned is owned by the Decoder and overwritten by the next call.
func (d *Decoder) Next() (Record, error) {
	for d.err == nil {
		head, err := d.br.Peek(1)
		if len(head) == 0 {
			if err == io.EOF {
				if err := d.checkCount(); err != nil {
					d.fail(err)
					break
				}
				return nil, io.EOF
			}
			d.fail(d.ioError(err, "reading"))
			break
		}
		n := int(head[0]) * 4
		if n < headerLen {
			d.fail(&DecodeError{Offset: d.off, Err: fmt.Errorf("record length %d is shorter than the %d-byte header", n, headerLen)})
			break
		}
		b, err := d.br.Peek(n)
		if len(b) < n {
			what := "reading a record"
			if err == nil || errors.Is(err, io.EOF) {
				what = fmt.Sprintf("record of %d bytes truncated after %d", n, len(b))
			}
			d.fail(d.ioError(err, what))
			break
		}
		rec, err := d.decode(b)
		if err != nil {
			d.fail(&DecodeError{Offset: d.off, Err: err})
			break
		}
		d.br.Discard(n)
		d.off += int64(n)
		d.count++
		if rec != nil {
			return rec, nil
		}
		d.skipped++
	}
	return nil, d.err
}

// checkCount verifies, at the end of a DBZ stream, the record count its
// metadata promises: DBZ always wrote the true count, so a shortfall means the
// records were cut off at a frame or record boundary.
func (d *Decoder) checkCount() error {
	if d.md == nil || d.md.Version != 0 || d.count == int64(d.md.RecordCount) {
		return nil
	}
	err := fmt.Errorf("DBZ stream ends after %d records, its metadata says %d", d.count, d.md.RecordCount)
	if d.count < int64(d.md.RecordCount) {
		err = fmt.Errorf("%w: %w", err, io.ErrUnexpectedEOF)
	}
	return &DecodeError{Offset: d.off, Err: err}
}

func (d *Decoder) fail(err error) {
	var de *DecodeError
	if errors.As(err, &de) && de.Path == "" {
		de.Path = d.path
	}
	d.err = err
}

// decode decodes the record in b (its full length, ts_out included). It
// returns nil, nil for an unknown record type.
func (d *Decoder) decode(b []byte) (Record, error) {
	rt := RType(b[1])
	size := wireSize(rt, d.version)
	if size == 0 {
		return nil, nil
	}
	want, words := size, wireSize(rt, Version)/4
	if d.tsOut {
		want += 8
		words += 2
	}
	if len(b) != want {
		return nil, fmt.Errorf("%s record is %d bytes, want %d in DBN version %d%s", rt, len(b), want, d.version, tsOutNote(d.tsOut))
	}
	if d.tsOut {
		d.lastTs = u64(b, size)
	}
	rec := d.decodeBody(b[:size], rt)
	hd := rec.Header()
	hd.Length = uint8(words)
	if rt == RTypeOhlcvDeprecated && d.ohlcvRT != 0 {
		hd.RType = d.ohlcvRT
	}
	return rec, nil
}

func tsOutNote(tsOut bool) string {
	if tsOut {
		return " with ts_out"
	}
	return ""
}

func (d *Decoder) decodeBody(b []byte, rt RType) Record {
	s, v := &d.recs, d.version
	switch rt {
	case RTypeMbo:
		getMbo(b, &s.mbo)
		return &s.mbo
	case RTypeMbp0:
		getTrade(b, &s.trade)
		return &s.trade
	case RTypeMbp1:
		getMbp1(b, &s.mbp1)
		return &s.mbp1
	case RTypeMbp10:
		getMbp10(b, &s.mbp10)
		return &s.mbp10
	case RTypeBbo1S, RTypeBbo1M:
		getBbo(b, &s.bbo)
		return &s.bbo
	case RTypeCmbp1, RTypeTcbbo:
		getCmbp1(b, &s.cmbp1)
		return &s.cmbp1
	case RTypeCbbo1S, RTypeCbbo1M:
		getCbbo(b, &s.cbbo)
		return &s.cbbo
	case RTypeStatus:
		getStatus(b, &s.status)
		return &s.status
	case RTypeInstrumentDef:
		getDef(b, v, &s.def)
		return &s.def
	case RTypeImbalance:
		getImbalance(b, &s.imb)
		return &s.imb
	case RTypeStatistics:
		getStat(b, v, &s.stat)
		return &s.stat
	case RTypeError:
		getError(b, v, &s.errMsg)
		return &s.errMsg
	case RTypeSymbolMapping:
		getSymbolMapping(b, v, &s.smap)
		return &s.smap
	case RTypeSystem:
		getSystem(b, v, &s.sys)
		return &s.sys
	}
	getOhlcv(b, &s.ohlcv) // wireSize admits only the OHLCV rtypes here
	return &s.ohlcv
}

package dbn

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"
)

const writeBufSize = 64 << 10

// Encoder writes DBN records, optionally after a metadata header, in one DBN
// version. Records are buffered: call Close to flush.
type Encoder struct {
	bw      *bufio.Writer
	zw      *zstd.Encoder // set by Create for ".zst" paths
	file    *os.File      // set by Create: the temporary file
	path    string        // set by Create: the final name
	version uint8
	tsOut   bool
	schema  Schema
	err     error // sticky write error
	failed  error // first Encode error, makes Close discard a Create'd file
	buf     [1024]byte
}

// NewEncoder writes md to w and returns an Encoder for the records that
// follow. md.Version selects the DBN version (0 means 3); symbol fields are
// 22 bytes in version 1 and 71 in later versions, whatever md.SymbolCstrLen
// says. If md.TsOut, records must be written with EncodeTsOut.
func NewEncoder(w io.Writer, md *Metadata) (*Encoder, error) {
	e := NewFragmentEncoder(w, md.Version)
	if e.err != nil {
		return nil, e.err
	}
	e.tsOut, e.schema = md.TsOut, md.Schema
	b, err := encodeMetadata(make([]byte, 0, 512), md, e.version)
	if err != nil {
		return nil, err
	}
	if _, err := e.bw.Write(b); err != nil {
		return nil, fmt.Errorf("dbn: writing metadata: %w", err)
	}
	return e, nil
}

// NewFragmentEncoder returns an Encoder that writes records with no metadata
// and no ts_out, in DBN version (0 means 3). An invalid version makes every
// Encode fail.
func NewFragmentEncoder(w io.Writer, version uint8) *Encoder {
	e := &Encoder{bw: bufio.NewWriterSize(w, writeBufSize), version: version, schema: SchemaMixed}
	if e.version == 0 {
		e.version = Version
	}
	if e.version > Version {
		e.err = fmt.Errorf("dbn: cannot encode DBN version %d", version)
	}
	return e
}

// Create writes a DBN file at path: Zstandard-compressed when path ends in
// ".zst". The data goes to a temporary file in the same directory that Close
// renames to path, so a failed write leaves no partial file behind; if any
// Encode call failed, Close removes the temporary file and reports that error.
func Create(path string, md *Metadata) (*Encoder, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("dbn: %w", err)
	}
	var w io.Writer = f
	var zw *zstd.Encoder
	if strings.HasSuffix(path, ".zst") {
		if zw, err = zstd.NewWriter(f, zstd.WithEncoderConcurrency(1)); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, fmt.Errorf("dbn: %w", err)
		}
		w = zw
	}
	e, err := NewEncoder(w, md)
	if err != nil {
		if zw != nil {
			zw.Close()
		}
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("dbn: %s: %w", path, err)
	}
	e.zw, e.file, e.path = zw, f, path
	return e, nil
}

// Encode writes r in the encoder's DBN version. It sets r's Hd.Length to the
// written length and, when Hd.RType does not fit r's type, sets it from the
// type or the metadata schema. A record the version cannot represent is an
// error and nothing is written.
func (e *Encoder) Encode(r Record) error {
	if e.tsOut {
		return e.fail(errors.New("dbn: the metadata says ts_out: use EncodeTsOut"))
	}
	return e.encode(r, 0, false)
}

// EncodeTsOut writes r followed by the gateway send time tsOut, for streams
// whose metadata has TsOut set.
func (e *Encoder) EncodeTsOut(r Record, tsOut uint64) error {
	if !e.tsOut {
		return e.fail(errors.New("dbn: the stream has no ts_out: use Encode"))
	}
	return e.encode(r, tsOut, true)
}

func (e *Encoder) fail(err error) error {
	if e.failed == nil {
		e.failed = err
	}
	return err
}

func (e *Encoder) encode(r Record, tsOut uint64, withTs bool) error {
	if e.err != nil {
		return e.err
	}
	hd := r.Header()
	if !acceptsRType(r, hd.RType) {
		if rt, ok := soleRType(r); ok {
			hd.RType = rt
		} else if rt, ok := e.schema.RType(); ok && acceptsRType(r, rt) {
			hd.RType = rt
		} else {
			return e.fail(fmt.Errorf("dbn: %T cannot carry rtype %s: set Hd.RType", r, hd.RType))
		}
	}
	size := wireSize(hd.RType, e.version)
	b := e.buf[:size]
	clear(b)
	if err := putRecord(b, e.version, r); err != nil {
		return e.fail(err)
	}
	if withTs {
		put64(e.buf[:], size, tsOut)
		size += 8
	}
	hd.Length = uint8(size / 4)
	e.buf[0] = hd.Length
	if _, err := e.bw.Write(e.buf[:size]); err != nil {
		e.err = fmt.Errorf("dbn: writing: %w", err)
		return e.fail(e.err)
	}
	return nil
}

func putRecord(b []byte, v uint8, r Record) error {
	switch m := r.(type) {
	case *MboMsg:
		putMbo(b, m)
	case *TradeMsg:
		putTrade(b, m)
	case *Mbp1Msg:
		putMbp1(b, m)
	case *Mbp10Msg:
		putMbp10(b, m)
	case *BboMsg:
		putBbo(b, m)
	case *Cmbp1Msg:
		putCmbp1(b, m)
	case *CbboMsg:
		putCbbo(b, m)
	case *OhlcvMsg:
		putOhlcv(b, m)
	case *StatusMsg:
		putStatus(b, m)
	case *InstrumentDefMsg:
		return putDef(b, v, m)
	case *ImbalanceMsg:
		putImbalance(b, m)
	case *StatMsg:
		return putStat(b, v, m)
	case *ErrorMsg:
		return putError(b, v, m)
	case *SymbolMappingMsg:
		return putSymbolMapping(b, v, m)
	case *SystemMsg:
		return putSystem(b, v, m)
	}
	return nil
}

// acceptsRType reports whether the struct type of r can carry rt.
func acceptsRType(r Record, rt RType) bool {
	switch r.(type) {
	case *BboMsg:
		return rt == RTypeBbo1S || rt == RTypeBbo1M
	case *Cmbp1Msg:
		return rt == RTypeCmbp1 || rt == RTypeTcbbo
	case *CbboMsg:
		return rt == RTypeCbbo1S || rt == RTypeCbbo1M
	case *OhlcvMsg:
		switch rt {
		case RTypeOhlcv1S, RTypeOhlcv1M, RTypeOhlcv1H, RTypeOhlcv1D, RTypeOhlcvEod, RTypeOhlcvDeprecated:
			return true
		}
		return false
	}
	want, ok := soleRType(r)
	return ok && want == rt
}

// soleRType returns the record type of struct types that carry only one.
func soleRType(r Record) (RType, bool) {
	switch r.(type) {
	case *MboMsg:
		return RTypeMbo, true
	case *TradeMsg:
		return RTypeMbp0, true
	case *Mbp1Msg:
		return RTypeMbp1, true
	case *Mbp10Msg:
		return RTypeMbp10, true
	case *StatusMsg:
		return RTypeStatus, true
	case *InstrumentDefMsg:
		return RTypeInstrumentDef, true
	case *ImbalanceMsg:
		return RTypeImbalance, true
	case *StatMsg:
		return RTypeStatistics, true
	case *ErrorMsg:
		return RTypeError, true
	case *SymbolMappingMsg:
		return RTypeSymbolMapping, true
	case *SystemMsg:
		return RTypeSystem, true
	}
	return 0, false
}

// Flush writes buffered records to the underlying writer (through the
// compressor, for a ".zst" file, without ending its frame).
func (e *Encoder) Flush() error {
	if e.err != nil {
		return e.err
	}
	if err := e.bw.Flush(); err != nil {
		e.err = fmt.Errorf("dbn: writing: %w", err)
	}
	return e.err
}

// Close flushes buffered records. For an Encoder made by Create it also ends
// the Zstandard stream and closes and renames the file; it does not close a
// writer passed to NewEncoder.
func (e *Encoder) Close() error {
	err := e.Flush()
	if e.file == nil {
		return err
	}
	if e.zw != nil {
		if zerr := e.zw.Close(); err == nil && zerr != nil {
			err = fmt.Errorf("dbn: zstd: %w", zerr)
		}
		e.zw = nil
	}
	f := e.file
	e.file = nil
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("dbn: %w", cerr)
	}
	if err == nil && e.failed != nil {
		err = fmt.Errorf("dbn: %s not written: %w", e.path, e.failed)
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), e.path); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("dbn: %w", err)
	}
	return nil
}

package dbn

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// FuzzDecoder feeds arbitrary bytes to the decoder, as a full stream and as a
// fragment. It must return records or a *DecodeError with a plausible offset,
// and never panic.
func FuzzDecoder(f *testing.F) {
	for _, fx := range fixtures(f) {
		raw, err := os.ReadFile(fx.path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw, fx.frag, fx.version)
	}
	f.Fuzz(func(t *testing.T, data []byte, frag bool, version uint8) {
		var d *Decoder
		var err error
		if frag {
			d, err = NewFragmentDecoder(bytes.NewReader(data), version%4, version&0x80 != 0)
		} else {
			d, err = NewDecoder(bytes.NewReader(data))
		}
		if err != nil {
			checkDecodeError(t, err, data)
			return
		}
		defer d.Close()
		var js []byte
		enc := NewFragmentEncoder(io.Discard, Version)
		for range 1 << 14 {
			r, err := d.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				checkDecodeError(t, err, data)
				return
			}
			js = AppendRecordJSON(js[:0], r)
			// A text field filled to its end with no NUL decodes but is refused
			// by the encoder, as DBN requires the terminator; nothing else may fail.
			if err := enc.Encode(r); err != nil && !strings.Contains(err.Error(), "is longer than") {
				t.Fatalf("decoded %T does not re-encode: %v", r, err)
			}
		}
	})
}

func checkDecodeError(t *testing.T, err error, data []byte) {
	t.Helper()
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("%v (%T) is not a *DecodeError", err, err)
	}
	if de.Offset < 0 {
		t.Fatalf("negative offset: %v", err)
	}
	compressed := len(data) >= 4 && (u32(data, 0) == zstdMagic || isSkippableFrame(u32(data, 0)))
	if !compressed && de.Offset > int64(len(data)) {
		t.Fatalf("offset %d beyond the %d-byte input: %v", de.Offset, len(data), err)
	}
}

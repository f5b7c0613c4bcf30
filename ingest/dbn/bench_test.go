package dbn

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// benchRecords makes n records of the schema: one-minute consolidated quotes
// over many contracts, or definitions with distinct symbols.
func benchRecords(schema Schema, n int) []Record {
	recs := make([]Record, n)
	for i := range recs {
		id := uint32(i % 5000)
		switch schema {
		case SchemaCbbo1M:
			px := int64(1+i%400) * 10_000_000
			recs[i] = &CbboMsg{
				Hd:    RecordHeader{RType: RTypeCbbo1M, PublisherID: 30, InstrumentID: id, TsEvent: uint64(i) * 60e9},
				Price: px, Size: 1, Side: 'N', TsRecv: uint64(i) * 60e9,
				Levels: [1]ConsolidatedBidAskPair{{BidPx: px - 10_000_000, AskPx: px + 10_000_000, BidSz: 10, AskSz: 12, BidPb: 29, AskPb: 23}},
			}
		case SchemaDefinition:
			d := sampleDef()
			d.Hd.InstrumentID = id
			d.RawSymbol = fmt.Sprintf("SPY   25%04dP%08d", i%1231, i%100000)
			d.StrikePrice = int64(i%1000) * PriceScale
			recs[i] = d
		}
	}
	return recs
}

// benchFile encodes recs as a DBN version 3 file, optionally compressed, and
// returns it with the length of the uncompressed stream.
func benchFile(b *testing.B, schema Schema, recs []Record, compress bool) ([]byte, int64) {
	var buf bytes.Buffer
	md := &Metadata{Version: 3, Dataset: "OPRA.PILLAR", Schema: schema, End: UndefTimestamp, StypeIn: STypeRawSymbol}
	enc, err := NewEncoder(&buf, md)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			b.Fatal(err)
		}
	}
	enc.Close()
	plain := int64(buf.Len())
	if !compress {
		return buf.Bytes(), plain
	}
	zw, _ := zstd.NewWriter(nil)
	return zw.EncodeAll(buf.Bytes(), nil), plain
}

func BenchmarkDecode(b *testing.B) {
	for _, tc := range []struct {
		schema Schema
		n      int
	}{{SchemaCbbo1M, 200_000}, {SchemaDefinition, 20_000}} {
		recs := benchRecords(tc.schema, tc.n)
		for _, compress := range []bool{false, true} {
			name := tc.schema.String() + "/plain"
			if compress {
				name = tc.schema.String() + "/zstd"
			}
			data, plain := benchFile(b, tc.schema, recs, compress)
			b.Run(name, func(b *testing.B) {
				b.SetBytes(plain)
				b.ReportAllocs()
				start := time.Now()
				for b.Loop() {
					d, err := NewDecoder(bytes.NewReader(data))
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for {
						_, err := d.Next()
						if err == io.EOF {
							break
						}
						if err != nil {
							b.Fatal(err)
						}
						n++
					}
					d.Close()
					if n != tc.n {
						b.Fatalf("%d records, want %d", n, tc.n)
					}
				}
				b.ReportMetric(float64(tc.n)*float64(b.N)/time.Since(start).Seconds(), "records/s")
			})
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, tc := range []struct {
		schema Schema
		n      int
	}{{SchemaCbbo1M, 200_000}, {SchemaDefinition, 20_000}} {
		recs := benchRecords(tc.schema, tc.n)
		_, plain := benchFile(b, tc.schema, recs, false)
		md := &Metadata{Version: 3, Dataset: "OPRA.PILLAR", Schema: tc.schema, End: UndefTimestamp}
		b.Run(tc.schema.String(), func(b *testing.B) {
			b.SetBytes(plain)
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				enc, err := NewEncoder(io.Discard, md)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range recs {
					if err := enc.Encode(r); err != nil {
						b.Fatal(err)
					}
				}
				if err := enc.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(tc.n)*float64(b.N)/time.Since(start).Seconds(), "records/s")
		})
	}
}

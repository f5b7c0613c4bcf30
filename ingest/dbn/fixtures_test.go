package dbn

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// fixtureRoot holds Databento's test files (copied from ../shared/fixtures into the
// repository, see testdata/README.md), relative to this package.
const fixtureRoot = "testdata"

type fixture struct {
	path    string // file path
	name    string // base name
	frag    bool   // records only, no metadata
	version uint8  // record version of a fragment
}

// schemaName is the schema part of a fixture name, e.g. "mbp-1" in
// "test_data.mbp-1.v2.dbn.zst".
func (f fixture) schemaName() string {
	parts := strings.Split(f.name, ".")
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

// fixtures lists every file under fixtureRoot's dbn and opra directories.
func fixtures(t testing.TB) []fixture {
	t.Helper()
	if _, err := os.Stat(fixtureRoot); err != nil {
		t.Fatalf("fixtures missing: %v", err)
	}
	var out []fixture
	for _, dir := range []string{"dbn", "opra"} {
		ents, err := os.ReadDir(filepath.Join(fixtureRoot, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.IsDir() || strings.HasSuffix(e.Name(), ".md") {
				continue
			}
			f := fixture{path: filepath.Join(fixtureRoot, dir, e.Name()), name: e.Name()}
			if strings.Contains(f.name, ".frag") {
				// The fragments name their version, except the oldest, which
				// was written when version 2 was current.
				f.frag, f.version = true, 2
				for v := uint8(1); v <= 3; v++ {
					if strings.Contains(f.name, ".v"+string('0'+rune(v))+".") {
						f.version = v
					}
				}
			}
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatal("no fixtures")
	}
	return out
}

func openFixture(t testing.TB, f fixture) *Decoder {
	t.Helper()
	if !f.frag {
		d, err := Open(f.path)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		return d
	}
	file, err := os.Open(f.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { file.Close() })
	d, err := NewFragmentDecoder(file, f.version, false)
	if err != nil {
		t.Fatalf("%s: %v", f.name, err)
	}
	return d
}

// readAll decodes every record of d, returning copies.
func readAll(t testing.TB, d *Decoder) []Record {
	t.Helper()
	var out []Record
	for {
		r, err := d.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("record %d: %v", len(out), err)
		}
		out = append(out, cloneRecord(r))
	}
}

func cloneRecord(r Record) Record {
	switch m := r.(type) {
	case *MboMsg:
		c := *m
		return &c
	case *TradeMsg:
		c := *m
		return &c
	case *Mbp1Msg:
		c := *m
		return &c
	case *Mbp10Msg:
		c := *m
		return &c
	case *BboMsg:
		c := *m
		return &c
	case *Cmbp1Msg:
		c := *m
		return &c
	case *CbboMsg:
		c := *m
		return &c
	case *OhlcvMsg:
		c := *m
		return &c
	case *StatusMsg:
		c := *m
		return &c
	case *InstrumentDefMsg:
		c := *m
		return &c
	case *ImbalanceMsg:
		c := *m
		return &c
	case *StatMsg:
		c := *m
		return &c
	case *ErrorMsg:
		c := *m
		return &c
	case *SymbolMappingMsg:
		c := *m
		return &c
	case *SystemMsg:
		c := *m
		return &c
	}
	panic("unknown record type")
}

// streamLen returns the length of the decompressed DBN stream in a fixture:
// what a decoder that consumed everything reports as its Offset.
func streamLen(t testing.TB, f fixture) int64 {
	t.Helper()
	raw, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	unzstd := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		zr, err := zstd.NewReader(nil)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		out, err := zr.DecodeAll(b, nil)
		if err != nil {
			t.Fatalf("%s: zstd: %v", f.name, err)
		}
		return out
	}
	switch {
	case strings.HasSuffix(f.name, ".zst"):
		return int64(len(unzstd(raw)))
	case strings.HasSuffix(f.name, ".dbz"):
		n := 8 + int(u32(raw, 4))
		return int64(n + len(unzstd(raw[n:])))
	}
	return int64(len(raw))
}

// TestFixturesDecode decodes every fixture to its end and checks that every
// byte was consumed and the records agree with the metadata.
func TestFixturesDecode(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			d := openFixture(t, f)
			defer d.Close()
			recs := readAll(t, d)
			if got, want := d.Offset(), streamLen(t, f); got != want {
				t.Errorf("consumed %d bytes of %d", got, want)
			}
			if d.Skipped() != 0 {
				t.Errorf("skipped %d records", d.Skipped())
			}
			if len(recs) == 0 && !strings.Contains(f.name, "ohlcv-1d") {
				t.Errorf("no records")
			}
			md := d.Metadata()
			if f.frag != (md == nil) {
				t.Fatalf("fragment %v but metadata %v", f.frag, md)
			}
			var wantRT RType
			var check bool
			if md != nil {
				wantRT, check = md.Schema.RType()
				if md.RecordCount != 0 && md.RecordCount != math.MaxUint64 && uint64(len(recs)) != md.RecordCount {
					t.Errorf("%d records, metadata says %d", len(recs), md.RecordCount)
				}
			}
			for i, r := range recs {
				hd := r.Header()
				if check && hd.RType != wantRT {
					t.Errorf("record %d: rtype %s, schema %s", i, hd.RType, md.Schema)
				}
				if int(hd.Length)*4 != wireSize(hd.RType, Version) {
					t.Errorf("record %d: length %d words, want the version 3 size %d bytes", i, hd.Length, wireSize(hd.RType, Version))
				}
				if d.TsOut() != UndefTimestamp {
					t.Errorf("ts_out %d in a stream without ts_out", d.TsOut())
				}
			}
		})
	}
}

// TestVersionsAgree checks that every version, compression and container of
// one schema decodes to the same records and metadata (after the upgrade).
// Two fixtures hold other data than their siblings and are compared only
// among themselves: the DBZ definition file and the OPRA files.
func TestVersionsAgree(t *testing.T) {
	groups := map[string][]fixture{}
	for _, f := range fixtures(t) {
		key := f.schemaName()
		switch {
		case strings.Contains(f.path, "opra"):
			key = "opra/" + key
		case f.name == "test_data.definition.dbz":
			continue
		case strings.HasPrefix(f.name, "multi-frame"):
			continue // checked by TestMultiFrame
		case f.frag:
			key += "/frag"
		}
		groups[key] = append(groups[key], f)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		group := groups[key]
		t.Run(key, func(t *testing.T) {
			if len(group) < 2 && !strings.HasPrefix(key, "opra/") {
				t.Fatalf("only %d fixture(s) for %s", len(group), key)
			}
			var base []Record
			var baseMD *Metadata
			for i, f := range group {
				d := openFixture(t, f)
				recs := readAll(t, d)
				md := d.Metadata()
				d.Close()
				if i == 0 {
					base, baseMD = recs, md
					continue
				}
				if !reflect.DeepEqual(recs, base) {
					t.Errorf("%s: records differ from %s", f.name, group[0].name)
				}
				if md != nil && !sameRequest(md, baseMD) {
					t.Errorf("%s: metadata differs from %s:\n%+v\n%+v", f.name, group[0].name, md, baseMD)
				}
			}
		})
	}
}

// sameRequest compares metadata on what the request was, ignoring what the
// version changes (version, symbol length, DBZ's record count, and DBZ's lack
// of an end when there was a limit).
func sameRequest(a, b *Metadata) bool {
	a2, b2 := *a, *b
	for _, m := range []*Metadata{&a2, &b2} {
		m.Version, m.SymbolCstrLen, m.RecordCount = 0, 0, 0
	}
	return reflect.DeepEqual(a2, b2)
}

// TestFixtureRoundTrip re-encodes every fixture in version 3 and in its own
// version (where that version can hold the records), plain and compressed,
// and checks the records and metadata survive.
func TestFixtureRoundTrip(t *testing.T) {
	for _, f := range fixtures(t) {
		d := openFixture(t, f)
		recs := readAll(t, d)
		md, version := d.Metadata(), d.Version()
		d.Close()
		for _, v := range []uint8{Version, version} {
			for _, compress := range []bool{false, true} {
				var buf bytes.Buffer
				var w io.Writer = &buf
				var zw *zstd.Encoder
				if compress {
					zw, _ = zstd.NewWriter(&buf)
					w = zw
				}
				enc := encoderFor(t, w, md, v)
				for i, r := range recs {
					if err := enc.Encode(cloneRecord(r)); err != nil {
						t.Fatalf("%s v%d: record %d: %v", f.name, v, i, err)
					}
				}
				if err := enc.Close(); err != nil {
					t.Fatal(err)
				}
				if zw != nil {
					zw.Close()
				}
				var d2 *Decoder
				var err error
				if md == nil {
					d2, err = NewFragmentDecoder(&buf, v, false)
				} else {
					d2, err = NewDecoder(&buf)
				}
				if err != nil {
					t.Fatalf("%s v%d zstd=%v: %v", f.name, v, compress, err)
				}
				got := readAll(t, d2)
				d2.Close()
				if !reflect.DeepEqual(got, recs) {
					t.Errorf("%s v%d zstd=%v: records changed in the round trip", f.name, v, compress)
				}
				if md != nil && !sameRequest(d2.Metadata(), md) {
					t.Errorf("%s v%d: metadata changed:\n%+v\n%+v", f.name, v, d2.Metadata(), md)
				}
			}
		}
	}
}

func encoderFor(t testing.TB, w io.Writer, md *Metadata, v uint8) *Encoder {
	t.Helper()
	if md == nil {
		return NewFragmentEncoder(w, v)
	}
	md2 := *md
	md2.Version = v
	enc, err := NewEncoder(w, &md2)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

// TestFixtureBytesIdentical checks that re-encoding a plain fixture in its own
// version reproduces the file byte for byte, which pins every offset.
func TestFixtureBytesIdentical(t *testing.T) {
	for _, f := range fixtures(t) {
		if strings.HasSuffix(f.name, ".dbz") {
			continue // DBZ is read, never written
		}
		raw, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f.name, ".zst") {
			zr, _ := zstd.NewReader(nil)
			raw, err = zr.DecodeAll(raw, nil)
			zr.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
		d := openFixture(t, f)
		recs := readAll(t, d)
		md, v := d.Metadata(), d.Version()
		d.Close()
		var buf bytes.Buffer
		enc := encoderFor(t, &buf, md, v)
		for _, r := range recs {
			if err := enc.Encode(r); err != nil {
				t.Fatal(err)
			}
		}
		enc.Close()
		got, start := buf.Bytes(), 0
		if md != nil {
			start = 8 + int(u32(raw, 4))
		}
		maskReserved(raw[start:], v)
		maskReserved(got[start:], v)
		if !bytes.Equal(got, raw) {
			t.Errorf("%s: re-encoded bytes differ (got %d bytes, want %d) from byte %d",
				f.name, buf.Len(), len(raw), firstDiff(buf.Bytes(), raw))
		}
	}
}

// maskReserved zeroes the bytes of the records in b (of DBN version v) that
// this package does not round-trip: reserved bytes of the quote records
// (Databento's OPRA cbbo-1m sample carries stray data there, which DBN
// defines as meaningless and this package writes as zeros), and the four
// definition fields of versions 1 and 2 that the upgrade to version 3 drops,
// and the reserved bytes of version 1 definitions, which old files fill.
func maskReserved(b []byte, v uint8) {
	for len(b) >= headerLen && int(b[0])*4 <= len(b) {
		n := int(b[0]) * 4
		var spans [][2]int
		switch RType(b[1]) {
		case RTypeCbbo1S, RTypeCbbo1M:
			spans = [][2]int{{28, 29}, {31, 32}, {40, 48}, {74, 76}, {78, 80}}
		case RTypeBbo1S, RTypeBbo1M:
			spans = [][2]int{{28, 29}, {31, 32}, {40, 44}}
		case RTypeCmbp1, RTypeTcbbo:
			spans = [][2]int{{31, 32}, {44, 48}, {74, 76}, {78, 80}}
		case RTypeInstrumentDef:
			if l := defLayoutFor(v); v < 3 {
				spans = [][2]int{{l.tradingRefPrice, l.tradingRefPrice + 8}, {l.tradingRefDate, l.tradingRefDate + 2},
					{l.mdStatus, l.mdStatus + 1}, {l.settlPriceType, l.settlPriceType + 1}}
			}
			if v == 1 { // reserved, formerly cleared_volume, open_interest_qty and padding
				spans = append(spans, [][2]int{{156, 160}, {172, 176}, {326, 328}, {336, 342}, {357, 360}}...)
			}
		}
		for _, sp := range spans {
			clear(b[sp[0]:sp[1]])
		}
		b = b[n:]
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestOPRAValues spot-checks decoded values of the OPRA fixtures.
func TestOPRAValues(t *testing.T) {
	fs := fixtures(t)
	get := func(name string) (*Metadata, []Record) {
		for _, f := range fs {
			if strings.Contains(f.path, "opra") && f.name == name {
				d := openFixture(t, f)
				defer d.Close()
				return d.Metadata(), readAll(t, d)
			}
		}
		t.Fatalf("missing fixture %s", name)
		return nil, nil
	}

	md, recs := get("test_data.definition.dbn.zst")
	if md.Dataset != "OPRA.PILLAR" || md.Schema != SchemaDefinition || md.Version != 3 || md.StypeIn != STypeRawSymbol {
		t.Errorf("metadata %+v", md)
	}
	wantMapping := SymbolMapping{RawSymbol: "AAPL  250221C00250000", Intervals: []MappingInterval{{
		StartDate: time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC),
		EndDate:   time.Date(2025, 2, 21, 0, 0, 0, 0, time.UTC),
		Symbol:    "16783963",
	}}}
	if len(md.Mappings) != 1 || !reflect.DeepEqual(md.Mappings[0], wantMapping) {
		t.Errorf("mappings %+v", md.Mappings)
	}
	def, ok := recs[0].(*InstrumentDefMsg)
	if !ok || len(recs) != 1 {
		t.Fatalf("records %v", recs)
	}
	switch {
	case def.RawSymbol != "AAPL  250221C00250000":
		t.Errorf("raw_symbol %q", def.RawSymbol)
	case def.StrikePrice != 250*PriceScale || FormatPrice(def.StrikePrice) != "250":
		t.Errorf("strike %d", def.StrikePrice)
	case def.Expiration != uint64(time.Date(2025, 2, 21, 0, 0, 0, 0, time.UTC).UnixNano()):
		t.Errorf("expiration %s", time.Unix(0, int64(def.Expiration)).UTC())
	case def.InstrumentClass != InstrumentClassCall:
		t.Errorf("instrument_class %q", def.InstrumentClass)
	case def.Hd.InstrumentID != 16783963:
		t.Errorf("instrument_id %d", def.Hd.InstrumentID)
	case def.Underlying != "AAPL" || def.Asset != "AAPL":
		t.Errorf("underlying %q asset %q", def.Underlying, def.Asset)
	case def.Exchange != "OPRA" || def.SecurityType != "OPT" || def.StrikePriceCurrency != "USD":
		t.Errorf("exchange %q security type %q strike currency %q", def.Exchange, def.SecurityType, def.StrikePriceCurrency)
	case def.ContractMultiplier != math.MaxInt32 || def.RawInstrumentID != 16783963:
		t.Errorf("multiplier %d raw id %d", def.ContractMultiplier, def.RawInstrumentID)
	}

	_, recs = get("test_data.cbbo-1m.dbn.zst")
	undefSeen := false
	for i, r := range recs {
		q, ok := r.(TopOfBook)
		if !ok {
			t.Fatalf("record %d is %T, not TopOfBook", i, r)
		}
		if r.Header().RType != RTypeCbbo1M {
			t.Errorf("record %d rtype %s", i, r.Header().RType)
		}
		bid, ask, _, _ := q.Top()
		if bid == UndefPrice || ask == UndefPrice || r.(*CbboMsg).Price == UndefPrice {
			undefSeen = true
		}
		if bid != UndefPrice && ask != UndefPrice && bid > ask {
			t.Errorf("record %d: bid %s above ask %s", i, FormatPrice(bid), FormatPrice(ask))
		}
		if q.RecvTime() == UndefTimestamp {
			t.Errorf("record %d: no ts_recv", i)
		}
	}
	if !undefSeen {
		t.Errorf("expected undefined prices among the cbbo-1m records")
	}

	_, recs = get("test_data.statistics.dbn.zst")
	st := recs[0].(*StatMsg)
	if st.StatType != StatTypeOpenInterest || st.Quantity != 57924 || st.Price != UndefPrice {
		t.Errorf("first statistic %+v", st)
	}
}

// TestMultiFrame checks a fragment compressed as several Zstandard frames
// decodes across the frame boundaries: 8 records, the first two being those
// of the single-frame version 1 fragment.
func TestMultiFrame(t *testing.T) {
	var multi, single []Record
	for _, f := range fixtures(t) {
		switch f.name {
		case "multi-frame.definition.v1.dbn.frag.zst":
			d := openFixture(t, f)
			multi = readAll(t, d)
			d.Close()
		case "test_data.definition.v1.dbn.frag":
			d := openFixture(t, f)
			single = readAll(t, d)
			d.Close()
		}
	}
	if len(multi) != 8 || len(single) != 2 {
		t.Fatalf("%d multi-frame records, %d single", len(multi), len(single))
	}
	if !reflect.DeepEqual(multi[:2], single) {
		t.Errorf("multi-frame records differ from the single-frame fragment")
	}
}

// TestDefinitionUpgrade checks the version 1 and 2 definition fixtures
// upgrade to exactly the version 3 fixture, leg defaults included.
func TestDefinitionUpgrade(t *testing.T) {
	fs := fixtures(t)
	load := func(name string) []Record {
		for _, f := range fs {
			if f.name == name {
				d := openFixture(t, f)
				defer d.Close()
				return readAll(t, d)
			}
		}
		t.Fatalf("missing %s", name)
		return nil
	}
	v3 := load("test_data.definition.v3.dbn.zst")
	for _, name := range []string{"test_data.definition.v1.dbn.zst", "test_data.definition.v2.dbn.zst"} {
		if got := load(name); !reflect.DeepEqual(got, v3) {
			t.Errorf("%s upgraded differs from version 3", name)
		}
	}
	def := v3[0].(*InstrumentDefMsg)
	if def.LegPrice != UndefPrice || def.LegSide != 'N' || def.LegCount != 0 || def.RawSymbol != "MSFT" {
		t.Errorf("definition %+v", def)
	}
}

// TestTruncatedFixtures cuts every plain fixture at every length and checks
// the decoder either returns io.EOF at a record boundary or a *DecodeError
// wrapping io.ErrUnexpectedEOF at a plausible offset.
func TestTruncatedFixtures(t *testing.T) {
	for _, f := range fixtures(t) {
		if f.frag || strings.HasSuffix(f.name, ".zst") || strings.HasSuffix(f.name, ".dbz") {
			continue
		}
		raw, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		for cut := 0; cut < len(raw); cut++ {
			err := decodeBytes(raw[:cut])
			var de *DecodeError
			switch {
			case err == nil:
				// A cut at a record boundary after the metadata is a valid file.
			case !errors.As(err, &de):
				t.Fatalf("%s cut at %d: %v is not a *DecodeError", f.name, cut, err)
			case !errors.Is(err, io.ErrUnexpectedEOF):
				t.Fatalf("%s cut at %d: %v does not wrap io.ErrUnexpectedEOF", f.name, cut, err)
			case de.Offset < 0 || de.Offset > int64(cut):
				t.Fatalf("%s cut at %d: offset %d", f.name, cut, de.Offset)
			}
		}
	}
}

// decodeBytes decodes b to the end, returning nil at a clean end.
func decodeBytes(b []byte) error {
	d, err := NewDecoder(bufio.NewReader(bytes.NewReader(b)))
	if err != nil {
		return err
	}
	defer d.Close()
	for {
		if _, err := d.Next(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// TestTruncatedCompressed cuts Zstandard and DBZ fixtures short: every cut
// must give a *DecodeError, never a clean end.
func TestTruncatedCompressed(t *testing.T) {
	for _, f := range fixtures(t) {
		if f.frag || !(strings.HasSuffix(f.name, ".zst") || strings.HasSuffix(f.name, ".dbz")) {
			continue
		}
		raw, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if f.name == "test_data.ohlcv-1d.dbz" {
			continue // metadata only: no records to cut
		}
		for cut := 0; cut < len(raw); cut++ {
			err := decodeBytes(raw[:cut])
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("%s cut at %d of %d: got %v, want a *DecodeError", f.name, cut, len(raw), err)
			}
		}
		// Garbage after the data is an error too.
		if err := decodeBytes(append(append([]byte{}, raw...), "junk"...)); err == nil {
			t.Errorf("%s: trailing garbage accepted", f.name)
		}
	}
}

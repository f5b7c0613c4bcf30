package market

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
)

// batchFolder writes a Databento batch download: two daily cbbo-1m files whose
// headers carry no symbol mappings, and metadata.json, symbology.json,
// condition.json and manifest.json in the layouts Databento documents. The put
// is id 7 and the call id 8 on both days; 2024-11-27 is degraded.
func batchFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	day := func(d int) time.Time { return time.Date(2024, 11, d, 0, 0, 0, 0, time.UTC) }
	var names []string
	for _, d := range []int{26, 27} {
		md := &dbn.Metadata{Version: 3, Dataset: "OPRA.PILLAR", Schema: dbn.SchemaCbbo1M,
			Start: uint64(day(d).UnixNano()), End: uint64(day(d + 1).UnixNano()),
			StypeIn: dbn.STypeRawSymbol, StypeOut: dbn.STypeInstrumentID,
			Symbols: []string{"SPY   241220P00580000", "SPY   241220C00600000"}}
		name := "opra-pillar-202411" + fmtInt(int64(d)) + ".cbbo-1m.dbn.zst"
		enc, err := dbn.Create(filepath.Join(dir, name), md)
		if err != nil {
			t.Fatal(err)
		}
		px := float64(d - 20)
		for _, r := range []dbn.Record{
			cbbo(7, 2024, 11, d, 15, 0, px, px+0.1),
			cbbo(8, 2024, 11, d, 15, 1, px/2, px/2+0.1),
		} {
			if err := enc.Encode(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	write := func(name string, v any) {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	write("metadata.json", map[string]any{
		"job_id": "OPRA-20241201-7KQ3WX9P2L",
		"query": map[string]any{"dataset": "OPRA.PILLAR", "schema": "cbbo-1m", "symbols": []string{"SPY.OPT"},
			"stype_in": "raw_symbol", "stype_out": "instrument_id",
			"start": day(26).UnixNano(), "end": day(28).UnixNano(), "encoding": "dbn", "compression": "zstd",
			"split_duration": "day", "map_symbols": false},
	})
	iv := func(s string) []map[string]string {
		return []map[string]string{{"d0": "2024-11-26", "d1": "2024-11-28", "s": s}}
	}
	write("symbology.json", map[string]any{
		"result":    map[string]any{"SPY   241220P00580000": iv("7"), "SPY   241220C00600000": iv("8")},
		"symbols":   []string{"SPY   241220P00580000", "SPY   241220C00600000"},
		"stype_in":  "raw_symbol",
		"stype_out": "instrument_id", "start_date": "2024-11-26", "end_date": "2024-11-28",
		"partial": []string{}, "not_found": []string{}, "message": "OK", "status": 0,
	})
	write("condition.json", []map[string]string{
		{"date": "2024-11-26", "condition": "available", "last_modified_date": "2024-11-27"},
		{"date": "2024-11-27", "condition": "degraded", "last_modified_date": "2024-11-29"},
	})
	var files []map[string]any
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		files = append(files, map[string]any{"filename": n, "size": len(b), "hash": "sha256:" + hex.EncodeToString(sum[:]),
			"urls": map[string]string{"https": "https://example.invalid/" + n, "ftp": "ftp://example.invalid/" + n}})
	}
	write("manifest.json", map[string]any{"job_id": "OPRA-20241201-7KQ3WX9P2L", "files": files})
	return dir
}

func folderFiles(t *testing.T, dir string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	return SupportFirst(paths)
}

func TestBatchFolder(t *testing.T) {
	dir := batchFolder(t)
	files := folderFiles(t, dir)
	if got := filepath.Base(files[0]) + " " + filepath.Base(files[3]); got != "manifest.json condition.json" {
		t.Errorf("order %v: support files first, manifest then metadata, symbology, condition", files)
	}
	s := openStore(t)
	// Without symbology.json the ids of these files resolve to nothing.
	if _, err := s.Ingest(context.Background(), filepath.Join(dir, "opra-pillar-20241126.cbbo-1m.dbn.zst"), Options{}); err == nil ||
		!strings.Contains(err.Error(), "resolve to no symbol") {
		t.Fatalf("DBN without mappings or symbology: err = %v", err)
	}
	kinds := map[string]string{}
	for _, f := range files {
		res := ingest(t, s, f, Options{})
		kinds[filepath.Base(f)] = res.Format + " " + strings.Join(res.Notes, "; ")
	}
	for name, want := range map[string]string{
		"manifest.json":                        "all 5 listed files present with the sizes it gives (5 SHA-256 checked)",
		"metadata.json":                        "batch job OPRA-20241201-7KQ3WX9P2L: OPRA.PILLAR cbbo-1m",
		"condition.json":                       "1 days degraded",
		"opra-pillar-20241127.cbbo-1m.dbn.zst": "2 option rows on days condition.json marks degraded",
	} {
		if !strings.Contains(kinds[name], want) {
			t.Errorf("%s: %q lacks %q", name, kinds[name], want)
		}
	}
	rows, err := s.DB().Query(`SELECT strftime(trade_date, '%Y-%m-%d'), osi, bid, flags FROM option_quotes ORDER BY trade_date, osi`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var d, o string
		var bid float64
		var f int
		if err := rows.Scan(&d, &o, &bid, &f); err != nil {
			t.Fatal(err)
		}
		got = append(got, d+" "+o+" "+fmtFloat(bid)+" f"+fmtInt(int64(f)))
	}
	want := []string{
		"2024-11-26 SPY   241220C00600000 3 f0",
		"2024-11-26 SPY   241220P00580000 6 f0",
		"2024-11-27 SPY   241220C00600000 3.5 f16",
		"2024-11-27 SPY   241220P00580000 7 f16",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("option_quotes:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM dataset_conditions WHERE dataset = 'OPRA.PILLAR' AND condition = 'degraded'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("dataset_conditions degraded days = %d, %v; want 1", n, err)
	}
	// Loading the folder again changes nothing.
	before := fingerprint(t, s)
	for _, f := range files {
		ingest(t, s, f, Options{})
	}
	if fingerprint(t, s) != before {
		t.Error("second load of the folder changed the store")
	}
}

// A condition.json that arrives after the data flags the rows already loaded, and
// a later one saying the day is available again clears the flag.
func TestConditionsAfterData(t *testing.T) {
	dir := batchFolder(t)
	s := openStore(t)
	for _, f := range []string{"symbology.json", "opra-pillar-20241126.cbbo-1m.dbn.zst", "opra-pillar-20241127.cbbo-1m.dbn.zst", "condition.json"} {
		ingest(t, s, filepath.Join(dir, f), Options{})
	}
	flagged := func() int {
		var n int
		if err := s.DB().QueryRow(`SELECT count(*) FROM option_quotes WHERE flags & 16 <> 0`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := flagged(); n != 2 {
		t.Fatalf("%d rows flagged after condition.json, want 2", n)
	}
	if err := os.WriteFile(filepath.Join(dir, "condition.json"),
		[]byte(`[{"date":"2024-11-27","condition":"available","last_modified_date":"2024-12-03"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	ingest(t, s, filepath.Join(dir, "condition.json"), Options{})
	if n := flagged(); n != 0 {
		t.Errorf("%d rows flagged after the day became available, want 0", n)
	}
}

func TestManifestReportsMissingAndAlteredFiles(t *testing.T) {
	dir := batchFolder(t)
	if err := os.Remove(filepath.Join(dir, "condition.json")); err != nil {
		t.Fatal(err)
	}
	// Same size, one byte changed: only the hash tells.
	p := filepath.Join(dir, "symbology.json")
	b, _ := os.ReadFile(p)
	b[len(b)-2] ^= 1
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	// A longer file: the size tells.
	f, err := os.OpenFile(filepath.Join(dir, "opra-pillar-20241126.cbbo-1m.dbn.zst"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0})
	f.Close()

	s := openStore(t)
	before := fingerprint(t, s)
	_, err = s.Ingest(context.Background(), filepath.Join(dir, "manifest.json"), Options{})
	var me *ManifestError
	if !errors.As(err, &me) {
		t.Fatalf("err = %v, want a *ManifestError", err)
	}
	if len(me.Missing) != 1 || filepath.Base(me.Missing[0]) != "condition.json" {
		t.Errorf("missing = %v", me.Missing)
	}
	if len(me.Altered) != 2 {
		t.Errorf("altered = %v, want symbology.json and the 26th's DBN file", me.Altered)
	}
	for _, w := range []string{"condition.json is missing", "symbology.json has SHA-256", "the manifest says"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if fingerprint(t, s) != before {
		t.Error("a manifest check changed the store")
	}
}

func TestSupportFileErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"condition.json": `[{"date":"2024-13-01","condition":"available"}]`,
		"symbology.json": `{"status":0}`,
		"manifest.json":  `{"files":[{"filename":"../x","size":1}]}`,
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		os.WriteFile(filepath.Join(dir, "metadata.json"), []byte(`{"query":{"dataset":"OPRA.PILLAR"}}`), 0o644)
		s := openStore(t)
		before := fingerprint(t, s)
		_, err := s.Ingest(context.Background(), p, Options{})
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want one naming the file", name, err)
		}
		if fingerprint(t, s) != before {
			t.Errorf("%s: a bad support file changed the store", name)
		}
		os.Remove(p)
	}
}

// An adjusted contract (deliverable 150 shares after a 3-for-2 split) keeps its
// multiplier in instruments and its rows are flagged, whichever of its quotes and
// its definition is loaded first; a standard contract is not.
func TestAdjustedContractsAreFlagged(t *testing.T) {
	dir := batchFolder(t)
	s := openStore(t)
	for _, f := range []string{"symbology.json", "opra-pillar-20241126.cbbo-1m.dbn.zst"} {
		ingest(t, s, filepath.Join(dir, f), Options{})
	}
	ts := uint64(time.Date(2024, 11, 27, 10, 0, 0, 0, time.UTC).UnixNano())
	def := func(id uint32, raw string, class byte, mult int32) *dbn.InstrumentDefMsg {
		return &dbn.InstrumentDefMsg{Hd: dbn.RecordHeader{RType: dbn.RTypeInstrumentDef, PublisherID: 1, InstrumentID: id, TsEvent: ts},
			RawSymbol: raw, InstrumentClass: class, ContractMultiplier: mult, Expiration: dbn.UndefTimestamp,
			UnitOfMeasureQty: dbn.UndefPrice}
	}
	md := &dbn.Metadata{Version: 3, Dataset: "OPRA.PILLAR", Schema: dbn.SchemaDefinition,
		Start: ts, End: ts + 1, StypeIn: dbn.STypeRawSymbol, StypeOut: dbn.STypeInstrumentID}
	p := filepath.Join(t.TempDir(), "defs.dbn")
	enc, err := dbn.Create(p, md)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []dbn.Record{def(7, "SPY   241220P00580000", 'P', 100), def(8, "SPY   241220C00600000", 'C', 150)} {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	res := ingest(t, s, p, Options{})
	if !strings.Contains(strings.Join(res.Notes, "; "), "1 option rows of adjusted contracts") {
		t.Errorf("notes %q", res.Notes)
	}
	ingest(t, s, filepath.Join(dir, "opra-pillar-20241127.cbbo-1m.dbn.zst"), Options{})
	rows, err := s.DB().Query(`SELECT q.osi, i.multiplier, bool_and(q.flags & 32 <> 0) FROM option_quotes q
		JOIN instruments i USING (osi) GROUP BY ALL ORDER BY q.osi`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var o string
		var m int
		var flagged bool
		if err := rows.Scan(&o, &m, &flagged); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmtInt(int64(m))+" "+o+" "+map[bool]string{true: "flagged", false: "clear"}[flagged])
	}
	want := "150 SPY   241220C00600000 flagged, 100 SPY   241220P00580000 clear"
	if strings.Join(got, ", ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, ", "), want)
	}
}

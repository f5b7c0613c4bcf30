package market

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/internal/duckfile/duckfiletest"
)

// queueAll ingests files through a Queue, failing the test on any error. While
// the queue decodes ahead, DuckDB has a core fewer; after Close, every core.
func queueAll(t *testing.T, s *Store, files []string) {
	t.Helper()
	threads := func() int { return duckfiletest.Threads(t, s.db) }
	all := threads()
	q := s.NewQueue(context.Background(), files, Options{})
	for i, f := range files {
		if _, err := q.Ingest(i); err != nil {
			t.Fatalf("queue %s: %v", f, err)
		}
		if q.decodable(i+1) && threads() != max(1, all-1) {
			t.Fatalf("decoding %s ahead: DuckDB has %d threads, want %d", files[i+1], threads(), max(1, all-1))
		}
	}
	if err := q.Close(); err != nil || threads() != all {
		t.Fatalf("closed queue: %v, %d threads, want %d", err, threads(), all)
	}
}

// A market ingested through a Queue (each DBN file decoded while the one before
// it is written) is the store Ingest makes one file at a time, table by table,
// and so is one where a file is skipped part-way (its decode, already running,
// is dropped).
func TestQueueMatchesIngest(t *testing.T) {
	_, files := smallMarket(t)
	files = SupportFirst(files)
	one, queued := openStore(t), openStore(t)
	for _, f := range files {
		ingest(t, one, f, Options{})
	}
	queueAll(t, queued, files)
	if a, b := fingerprint(t, one), fingerprint(t, queued); a != b {
		t.Errorf("stores differ:\n Ingest %s\n  Queue %s", a, b)
	}

	// Skip the third DBN file of the list, then load it alone at the end.
	skip := -1
	for i, n := 0, 0; i < len(files); i++ {
		if strings.Contains(files[i], ".dbn") {
			if n++; n == 3 {
				skip = i
				break
			}
		}
	}
	skipped := openStore(t)
	q := skipped.NewQueue(context.Background(), files, Options{})
	for i, f := range files {
		if i == skip {
			continue
		}
		if _, err := q.Ingest(i); err != nil {
			t.Fatalf("queue %s: %v", f, err)
		}
	}
	q.Close()
	ingest(t, skipped, files[skip], Options{})
	var n1, n2 int64
	q1 := `SELECT count(*) FROM option_quotes`
	if err := one.DB().QueryRow(q1).Scan(&n1); err != nil {
		t.Fatal(err)
	}
	if err := skipped.DB().QueryRow(q1).Scan(&n2); err != nil {
		t.Fatal(err)
	}
	if n1 != n2 {
		t.Errorf("with a file skipped and loaded last: %d option rows, want %d", n2, n1)
	}
}

// defsAndQuotes writes a definition file that alone maps instrument id 9 to a
// contract, and a quotes file of that id without mappings, so that the quotes
// resolve only once the definitions are known.
func defsAndQuotes(t *testing.T) (defs, quotes string) {
	t.Helper()
	dir := t.TempDir()
	day := time.Date(2024, 11, 27, 0, 0, 0, 0, time.UTC)
	write := func(name string, schema dbn.Schema, recs ...dbn.Record) string {
		md := &dbn.Metadata{Version: 3, Dataset: "OPRA.PILLAR", Schema: schema,
			Start: uint64(day.UnixNano()), End: uint64(day.Add(24 * time.Hour).UnixNano()),
			StypeIn: dbn.STypeRawSymbol, StypeOut: dbn.STypeInstrumentID}
		return writeDBN(t, filepath.Join(dir, name), md, recs...)
	}
	ts := uint64(day.Add(10 * time.Hour).UnixNano())
	def := &dbn.InstrumentDefMsg{Hd: dbn.RecordHeader{RType: dbn.RTypeInstrumentDef, PublisherID: 1, InstrumentID: 9, TsEvent: ts},
		RawSymbol: "SPY   241220P00580000", InstrumentClass: 'P', ContractMultiplier: 100,
		Expiration: dbn.UndefTimestamp, UnitOfMeasureQty: dbn.UndefPrice}
	defs = write("defs.dbn", dbn.SchemaDefinition, def)
	quotes = write("quotes.dbn", dbn.SchemaCbbo1M, cbbo(9, 2024, time.November, 27, 15, 0, 1.5, 1.6))
	return defs, quotes
}

// The quotes file decoded while the definitions are written resolves its id
// through the definitions' mappings, as it would once they are stored; if the
// definitions fail to write, it is decoded again without them and fails as it
// would have on its own.
func TestQueueAheadTakesPendingMappings(t *testing.T) {
	defs, quotes := defsAndQuotes(t)
	files := []string{defs, quotes}

	s := openStore(t)
	queueAll(t, s, files)
	var bid float64
	if err := s.DB().QueryRow(`SELECT bid FROM option_quotes WHERE osi = 'SPY   241220P00580000'`).Scan(&bid); err != nil {
		t.Fatalf("the quote did not resolve through the definitions: %v", err)
	}
	if bid != 1.5 {
		t.Errorf("bid %v, want 1.5", bid)
	}

	// The definitions decoded but not written: the quotes' decode ahead takes
	// their mappings as pending. Written after the definitions failed, it must
	// not keep them.
	for _, failed := range []bool{false, true} {
		s := openStore(t)
		q := s.NewQueue(context.Background(), files, Options{})
		p, err := s.decodeDBN(context.Background(), defs, Options{}, "", nil)
		if err != nil || p.err != nil {
			t.Fatal(err, p.err)
		}
		q.start(1, p.pending())
		q.failed[defs] = failed
		_, err = q.Ingest(1)
		q.Close()
		switch {
		case failed && (err == nil || !strings.Contains(err.Error(), "resolve to no symbol")):
			t.Errorf("definitions failed: quotes loaded with their mappings (err %v)", err)
		case !failed && err != nil:
			t.Errorf("definitions pending: %v", err)
		}
	}
}

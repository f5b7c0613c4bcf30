package market

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/ingest/synth"
)

// TestResolverMostRecentWins works the resolver through by hand: where two
// mappings of one id disagree, the one added last wins, also when it extends a
// mapping of its symbol that was added before the other.
func TestResolverMostRecentWins(t *testing.T) {
	const a, b = 1, 2
	cases := []struct {
		name string
		adds [][3]int32 // start, end, symbol of id 7, in order
		want []int32    // symbol on days 0..len-1 (0: none)
	}{
		{"disjoint", [][3]int32{{0, 2, a}, {2, 4, b}}, []int32{a, a, b, b, 0}},
		{"later wins", [][3]int32{{0, 5, a}, {2, 3, b}}, []int32{a, a, b, a, a}},
		// a's second mapping meets its first, but b's came in between: the new
		// days must resolve to a (extending the first mapping in place let b win).
		{"extend after another", [][3]int32{{0, 2, a}, {0, 5, b}, {1, 4, a}}, []int32{b, a, a, a, b}},
		{"extend the latest", [][3]int32{{0, 2, a}, {2, 4, a}}, []int32{a, a, a, a, 0}},
	}
	for _, c := range cases {
		r := newResolver()
		for _, x := range c.adds {
			r.add(7, x[0], x[1], x[2])
		}
		for d, want := range c.want {
			got, ok := r.lookup(7, int32(d))
			if !ok {
				got = 0
			}
			if got != want {
				t.Errorf("%s: day %d resolves to %d, want %d", c.name, d, got, want)
			}
		}
	}
}

// TestReusedIDsAcrossFiles ingests three DBN files whose one instrument id stands
// for contract Y, then A, Y, A on consecutive days, as OPRA reuses ids: each day's
// quote and open interest must land on the contract of that day, and instrument_ids
// must keep each contract's days as separate spans rather than one span across
// the other's days. (Before the fix the store held Y on days 0-3 and A on 2-4, so
// the third file gave Y's day-3 records to A: Y lost its row and A got a wrong one.)
func TestReusedIDsAcrossFiles(t *testing.T) {
	const y, a = "SPY   241220P00580000", "SPY   241220P00590000"
	day := func(d int) time.Time { return time.Date(2024, 12, 2+d, 0, 0, 0, 0, time.UTC) }
	owner := []string{y, y, a, y, a} // who id 7 is on days 0..4 (Mon 2 Dec .. Fri 6 Dec)
	write := func(name string, days []int, schema dbn.Schema, rec func(d int) dbn.Record) string {
		maps := map[string][]dbn.MappingInterval{}
		for _, d := range days {
			maps[owner[d]] = append(maps[owner[d]], dbn.MappingInterval{StartDate: day(d), EndDate: day(d + 1), Symbol: "7"})
		}
		md := &dbn.Metadata{Version: 3, Dataset: "OPRA.PILLAR", Schema: schema,
			Start: uint64(day(days[0]).UnixNano()), End: uint64(day(days[len(days)-1] + 1).UnixNano()),
			StypeIn: dbn.STypeRawSymbol, StypeOut: dbn.STypeInstrumentID, Symbols: []string{y, a}}
		for _, s := range []string{y, a} {
			if len(maps[s]) > 0 {
				md.Mappings = append(md.Mappings, dbn.SymbolMapping{RawSymbol: s, Intervals: maps[s]})
			}
		}
		p := filepath.Join(t.TempDir(), name)
		enc, err := dbn.Create(p, md)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range days {
			if err := enc.Encode(rec(d)); err != nil {
				t.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	quote := func(d int) dbn.Record {
		return cbbo(7, 2024, time.December, 2+d, 15, 0, float64(d+1), float64(d+1)+0.1)
	}
	oi := func(d int) dbn.Record {
		ts := uint64(day(d).Add(11 * time.Hour).UnixNano())
		return &dbn.StatMsg{Hd: dbn.RecordHeader{RType: dbn.RTypeStatistics, PublisherID: 1, InstrumentID: 7, TsEvent: ts},
			TsRecv: ts, TsRef: dbn.UndefTimestamp, Price: dbn.UndefPrice, Quantity: int64(100 * (d + 1)),
			StatType: dbn.StatTypeOpenInterest}
	}
	s := openStore(t)
	ingest(t, s, write("week0.cbbo.dbn", []int{0}, dbn.SchemaCbbo1M, quote), Options{})
	ingest(t, s, write("week1.cbbo.dbn", []int{1, 2, 3, 4}, dbn.SchemaCbbo1M, quote), Options{})
	ingest(t, s, write("week1.stats.dbn", []int{1, 2, 3, 4}, dbn.SchemaStatistics, oi), Options{})

	rows, err := s.DB().Query(`SELECT trade_date, osi, bid, open_interest FROM option_quotes ORDER BY trade_date, osi`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var d time.Time
		var osi string
		var bid, oi *float64
		if err := rows.Scan(&d, &osi, &bid, &oi); err != nil {
			t.Fatal(err)
		}
		opt := func(x *float64) string {
			if x == nil {
				return "-"
			}
			return fmt.Sprint(*x)
		}
		got = append(got, fmt.Sprintf("%s %s %s %s", d.Format("02"), osi[15:18], opt(bid), opt(oi)))
	}
	want := []string{"02 580 1 -", "03 580 2 200", "04 590 3 300", "05 580 4 400", "06 590 5 500"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("option_quotes:\n got %v\nwant %v", got, want)
	}

	var spans []string
	r, err := s.DB().Query(`SELECT symbol, strftime(start_date, '%d'), strftime(end_date, '%d') FROM instrument_ids
		ORDER BY start_date, symbol`)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		var sym, from, to string
		if err := r.Scan(&sym, &from, &to); err != nil {
			t.Fatal(err)
		}
		spans = append(spans, sym[15:18]+" "+from+"-"+to)
	}
	wantSpans := []string{"580 02-04", "590 04-05", "580 05-06", "590 06-07"}
	if strings.Join(spans, "; ") != strings.Join(wantSpans, "; ") {
		t.Errorf("instrument_ids:\n got %v\nwant %v", spans, wantSpans)
	}
}

// TestAddingSymbolsKeepsARowsSymbol generates the same market with SPY alone and
// with two more underlyings, whose contracts take instrument ids among SPY's (the
// generator renumbers every week, the files are monthly), and ingests both: SPY's
// option rows must be identical, and as many as the files' own mappings list.
// Before the fix the store lost 465 of SPY's 270,184 contract-days over
// 2016-2019 alone, 415 with AMD and FCX added, and gave their records to other
// contracts.
func TestAddingSymbolsKeepsARowsSymbol(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and ingests two markets")
	}
	load := func(symbols ...string) (*Store, *synth.Manifest, string) {
		cfg, err := synth.Preset("real")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Symbols = symbols
		cfg.From = time.Date(2016, 3, 1, 0, 0, 0, 0, time.UTC)
		cfg.To = time.Date(2016, 5, 31, 0, 0, 0, 0, time.UTC)
		cfg.OutDir = t.TempDir()
		m, err := synth.Generate(context.Background(), cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := openStore(t)
		for _, p := range m.Paths(cfg.OutDir, "") {
			ingest(t, s, p, Options{})
		}
		return s, m, cfg.OutDir
	}
	spyRows := func(s *Store) (n int64, sum string) {
		err := s.DB().QueryRow(`SELECT count(*), sum(hash(trade_date, osi, bid, ask, volume, open_interest, close))::VARCHAR
			FROM option_quotes WHERE underlying = 'SPY'`).Scan(&n, &sum)
		if err != nil {
			t.Fatal(err)
		}
		return n, sum
	}
	alone, m, dir := load("SPY")
	more, _, _ := load("SPY", "AMD", "FCX")
	n1, h1 := spyRows(alone)
	n2, h2 := spyRows(more)
	if n1 != n2 || h1 != h2 {
		t.Errorf("SPY's option rows: %d alone, %d with AMD and FCX (or their values differ)", n1, n2)
	}
	// Every listed contract has open interest every day: the statistics files'
	// own mappings give the contract-days the store must hold.
	var want int64
	for _, p := range m.Paths(dir, "dbn") {
		if strings.HasSuffix(p, ".statistics.dbn.zst") {
			want += contractDays(t, p, "SPY ")
		}
	}
	if n1 != want {
		t.Errorf("SPY has %d option rows, the files' mappings list %d contract-days", n1, want)
	}
}

// contractDays counts the distinct (UTC day, raw symbol) pairs of a DBN file's
// records whose symbol starts with prefix, resolved through the file's own
// mappings alone.
func contractDays(t *testing.T, path, prefix string) int64 {
	t.Helper()
	dec, err := dbn.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	type owner struct {
		start, end time.Time
		raw        string
	}
	byID := map[string][]owner{}
	for _, m := range dec.Metadata().Mappings {
		for _, iv := range m.Intervals {
			byID[iv.Symbol] = append(byID[iv.Symbol], owner{iv.StartDate, iv.EndDate, m.RawSymbol})
		}
	}
	seen := map[string]bool{}
	for {
		rec, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		hd := rec.Header()
		d := time.Unix(0, int64(indexTs(rec))).UTC().Truncate(24 * time.Hour)
		var raw []string
		for _, o := range byID[fmt.Sprint(hd.InstrumentID)] {
			if !d.Before(o.start) && d.Before(o.end) {
				raw = append(raw, o.raw)
			}
		}
		if len(raw) != 1 {
			t.Fatalf("%s: instrument %d on %s maps to %v", path, hd.InstrumentID, d.Format(time.DateOnly), raw)
		}
		if strings.HasPrefix(raw[0], prefix) {
			seen[d.Format(time.DateOnly)+raw[0]] = true
		}
	}
	return int64(len(seen))
}

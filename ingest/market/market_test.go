package market

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
)

// fixtures are the real DBN files of ../shared/fixtures, copied into the repository.
const fixtures = "../dbn/testdata"

func fixture(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(fixtures, rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("fixture %s missing: %v", p, err)
	}
	return p
}

func openStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "market.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ingest(t testing.TB, s *Store, path string, opts Options) *Result {
	t.Helper()
	res, err := s.Ingest(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("ingest %s: %v", path, err)
	}
	return res
}

// fingerprint summarises every market table, so tests can show that nothing changed.
func fingerprint(t testing.TB, s *Store) string {
	t.Helper()
	var parts []string
	for _, table := range []string{"instruments", "instrument_ids", "option_quotes", "option_intraday",
		"underlying_bars", "events", "ingest_log"} {
		var n int64
		var h string
		q := "SELECT count(*), coalesce(sum(hash(x))::VARCHAR, '') FROM " + table + " x"
		if table == "ingest_log" {
			q = "SELECT count(*), coalesce(sum(hash(sha256, rows))::VARCHAR, '') FROM ingest_log"
		}
		if err := s.DB().QueryRow(q).Scan(&n, &h); err != nil {
			t.Fatalf("fingerprint %s: %v", table, err)
		}
		parts = append(parts, table+"="+h+"/"+fmtInt(n))
	}
	return strings.Join(parts, " ")
}

func TestIngestOPRAFixtures(t *testing.T) {
	s := openStore(t)
	for _, name := range []string{"definition", "cbbo-1m", "statistics", "ohlcv-1d"} {
		ingest(t, s, fixture(t, "opra/test_data."+name+".dbn.zst"), Options{})
	}
	var osiSym, underlying, putCall, style, settlement string
	var exp time.Time
	var strike float64
	var mult int
	err := s.DB().QueryRow(`SELECT osi, underlying, expiration, put_call, strike, multiplier, style, settlement
		FROM instruments`).Scan(&osiSym, &underlying, &exp, &putCall, &strike, &mult, &style, &settlement)
	if err != nil {
		t.Fatal(err)
	}
	if osiSym != "AAPL  250221C00250000" || underlying != "AAPL" || putCall != "C" || strike != 250 ||
		mult != 100 || style != "american" || settlement != "PM" || exp.Format(time.DateOnly) != "2025-02-21" {
		t.Errorf("instrument = %q %q %v %q %v %d %q %q", osiSym, underlying, exp, putCall, strike, mult, style, settlement)
	}
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM option_quotes`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("option_quotes rows = %d, want 1 (one contract, one day)", n)
	}
	// Worked by hand from the records: the last two-sided quote before 15:45 ET is
	// the 09:33 one (the 08:01 one is undefined on both sides); open interest 57924
	// comes from four publishers; volume sums four venues (3474 + 8223 + 2750 +
	// 1414); open and close come from publisher 22, the venue with the most volume.
	var got string
	err = s.DB().QueryRow(`SELECT concat_ws(' ', trade_date, bid, ask, bid_size, ask_size,
		strftime(timezone('America/New_York', quote_ts), '%H:%M'), open_interest, volume, open, high, low, close, flags)
		FROM option_quotes`).Scan(&got)
	if err != nil {
		t.Fatal(err)
	}
	if want := "2025-02-20 0.34 0.36 62 79 09:33 57924 15861 0.19 0.49 0.1 0.11 0"; got != want {
		t.Errorf("option_quotes row:\n got %s\nwant %s", got, want)
	}
}

func TestIngestAgainChangesNothing(t *testing.T) {
	s := openStore(t)
	paths := []string{fixture(t, "opra/test_data.definition.dbn.zst"), fixture(t, "opra/test_data.cbbo-1m.dbn.zst")}
	for _, p := range paths {
		ingest(t, s, p, Options{})
	}
	before := fingerprint(t, s)
	for _, p := range paths {
		res := ingest(t, s, p, Options{})
		if !res.Skipped || res.TotalRows() != 0 {
			t.Errorf("second ingest of %s: skipped=%v rows=%d", p, res.Skipped, res.TotalRows())
		}
	}
	if after := fingerprint(t, s); after != before {
		t.Errorf("store changed on re-ingest:\nbefore %s\nafter  %s", before, after)
	}
}

// TestCorruptFileLeavesStoreUnchanged truncates a real file at many points and
// checks each error names the file and a byte offset, and that nothing was written.
func TestCorruptFileLeavesStoreUnchanged(t *testing.T) {
	s := openStore(t)
	ingest(t, s, fixture(t, "opra/test_data.definition.dbn.zst"), Options{})
	before := fingerprint(t, s)
	src := fixture(t, "dbn/test_data.mbp-1.dbn")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, cut := range []int{10, 100, len(data) - 7, len(data) - 1} {
		p := filepath.Join(dir, "cut-"+fmtInt(int64(cut))+".dbn")
		if err := os.WriteFile(p, data[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := s.Ingest(context.Background(), p, Options{})
		if err == nil {
			t.Errorf("truncated at %d: no error", cut)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, p) || !strings.Contains(msg, "offset") {
			t.Errorf("truncated at %d: error %q does not name the file and offset", cut, msg)
		}
		if after := fingerprint(t, s); after != before {
			t.Fatalf("truncated at %d changed the store:\nbefore %s\nafter  %s", cut, before, after)
		}
	}
}

func writeFile(t testing.TB, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCSVErrorsNameTheLine(t *testing.T) {
	s := openStore(t)
	before := fingerprint(t, s)
	cases := []struct{ name, csv, want string }{
		{"bad put_call", "trade_date,underlying,expiration,put_call,strike,bid,ask\n" +
			"2024-01-02,SPY,2024-01-19,P,470,1.0,1.1\n2024-01-02,SPY,2024-01-19,X,470,1.0,1.1\n",
			"line 3: put_call 'X' must be P or C"},
		{"bad date", "trade_date,underlying,expiration,put_call,strike,bid,ask\n2024-13-02,SPY,2024-01-19,P,470,1,1.1\n",
			"line 2: trade_date '2024-13-02' is not a date"},
		{"negative bid", "trade_date,underlying,expiration,put_call,strike,bid,ask\n2024-01-02,SPY,2024-01-19,C,470,-1,1.1\n",
			"line 2: bid '-1' must be a number >= 0"},
		{"one side", "trade_date,underlying,expiration,put_call,strike,bid,ask\n2024-01-02,SPY,2024-01-19,C,470,,1.1\n",
			"line 2: bid and ask must both be given"},
		{"unknown table", "a,b\n1,2\n", "cannot tell which table"},
		{"bad event", "symbol,event_date,kind\nAAPL,2024-05-02,spinoff\n", "line 2: kind 'spinoff' must be earnings, ex_dividend, fomc or split"},
		{"split without ratio", "symbol,event_date,kind,amount\nAAPL,2020-08-31,split,\n", "line 2: a split needs its ratio in amount"},
		{"high below low", "trade_date,symbol,open,high,low,close\n2024-01-02,SPY,470,460,465,470\n", "line 2: high 460 is below low 465"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, "in.csv", c.csv)
			_, err := s.Ingest(context.Background(), p, Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("error = %v, want it to name %s and say %q", err, p, c.want)
			}
		})
	}
	if after := fingerprint(t, s); after != before {
		t.Errorf("failed CSV loads changed the store")
	}
}

const quotesCSV = `trade_date,underlying,expiration,put_call,strike,bid,ask,volume,open_interest
2024-01-02,SPY,2024-01-19,P,470,2.10,2.15,1200,5000
2024-01-02,SPY,2024-01-19,call,470,3.00,2.90,800,4000
2024-01-02,SPY,2024-01-19,P,465,,,10,100
2024-01-03,SPY,2024-01-19,P,470,2.50,2.55,1500,5100
`

func TestCSVAndParquetLoadTheSameRows(t *testing.T) {
	csvPath := writeFile(t, "quotes.csv", quotesCSV)
	a := openStore(t)
	res := ingest(t, a, csvPath, Options{})
	if res.Schema != "option_quotes" || res.Records != 4 || res.Rows["option_quotes"] != 4 {
		t.Fatalf("csv result: %+v", res)
	}
	var flags []int
	rows, err := a.DB().Query(`SELECT flags FROM option_quotes ORDER BY trade_date, strike, put_call`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var f int
		rows.Scan(&f)
		flags = append(flags, f)
	}
	// 465P: no quote; 470C: crossed (3.00 > 2.90); 470P: clean; next day clean.
	if want := []int{FlagNoQuote, FlagCrossed, 0, 0}; !equalInts(flags, want) {
		t.Errorf("flags = %v, want %v", flags, want)
	}
	var osiSym string
	a.DB().QueryRow(`SELECT osi FROM option_quotes WHERE put_call = 'C'`).Scan(&osiSym)
	if osiSym != "SPY   240119C00470000" {
		t.Errorf("osi = %q", osiSym)
	}

	pq := filepath.Join(t.TempDir(), "quotes.parquet")
	if _, err := a.DB().Exec(`COPY (SELECT * FROM read_csv('` + csvPath + `', all_varchar = true)) TO '` + pq + `' (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	b := openStore(t)
	ingest(t, b, pq, Options{})
	q := `SELECT sum(hash(trade_date, osi, bid, ask, volume, open_interest, flags))::VARCHAR FROM option_quotes`
	var ha, hb string
	a.DB().QueryRow(q).Scan(&ha)
	b.DB().QueryRow(q).Scan(&hb)
	if ha != hb || ha == "" {
		t.Errorf("csv and parquet loads differ: %s vs %s", ha, hb)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// scenario writes a DBN file of OPRA-like records for one put, with the id mapped
// through the metadata, and returns its path.
func scenario(t testing.TB, recs []dbn.Record) string {
	t.Helper()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	md := &dbn.Metadata{
		Version: 3, Dataset: "OPRA.PILLAR", Schema: dbn.SchemaMixed,
		Start: uint64(day(2024, 11, 1).UnixNano()), End: uint64(day(2024, 12, 31).UnixNano()),
		StypeIn: dbn.STypeRawSymbol, StypeOut: dbn.STypeInstrumentID,
		Symbols: []string{"SPY   241220P00580000"},
		Mappings: []dbn.SymbolMapping{{RawSymbol: "SPY   241220P00580000", Intervals: []dbn.MappingInterval{
			{StartDate: day(2024, 11, 1), EndDate: day(2024, 12, 2), Symbol: "7"},
			// The id changes: 9 from December on, and 7 then means nothing.
			{StartDate: day(2024, 12, 2), EndDate: day(2024, 12, 31), Symbol: "9"},
		}}},
	}
	return writeDBN(t, filepath.Join(t.TempDir(), "scenario.dbn"), md, recs...)
}

// writeDBN writes a DBN file of md and recs at path and returns the path.
func writeDBN(t testing.TB, path string, md *dbn.Metadata, recs ...dbn.Record) string {
	t.Helper()
	enc, err := dbn.Create(path, md)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// cbbo returns a cbbo-1m record received at New York wall time.
func cbbo(id uint32, y int, m time.Month, d, hh, mm int, bid, ask float64) *dbn.CbboMsg {
	ny, _ := time.LoadLocation("America/New_York")
	ts := uint64(time.Date(y, m, d, hh, mm, 0, 0, ny).UnixNano())
	px := func(x float64) int64 {
		if x < 0 {
			return dbn.UndefPrice
		}
		return int64(x*1e4+0.5) * 1e5
	}
	r := &dbn.CbboMsg{TsRecv: ts}
	r.Hd = dbn.RecordHeader{RType: dbn.RTypeCbbo1M, PublisherID: 1, InstrumentID: id, TsEvent: ts - 1e9}
	r.Levels[0] = dbn.ConsolidatedBidAskPair{BidPx: px(bid), AskPx: px(ask), BidSz: 10, AskSz: 20}
	return r
}

// TestSnapshotRule works the daily snapshot through by hand: the last two-sided
// quote at or before 15:45 New York time, 12:45 on an early-close day, with
// instrument ids resolved per day.
func TestSnapshotRule(t *testing.T) {
	recs := []dbn.Record{
		// Tue 2024-11-26, a full day.
		cbbo(7, 2024, 11, 26, 15, 30, 5.00, 5.10),
		cbbo(7, 2024, 11, 26, 15, 44, 5.20, 5.30), // the snapshot quote
		cbbo(7, 2024, 11, 26, 15, 45, -1, 5.30),   // one side undefined: not a quote
		cbbo(7, 2024, 11, 26, 15, 46, 9.00, 9.10), // after the snapshot: look-ahead
		// Fri 2024-11-29, the day after Thanksgiving, closes at 13:00.
		cbbo(7, 2024, 11, 29, 12, 40, 4.00, 4.10), // the snapshot quote
		cbbo(7, 2024, 11, 29, 12, 50, 4.50, 4.60),
		// Mon 2024-12-02: the contract is now id 9; a stray id 7 resolves to nothing.
		cbbo(7, 2024, 12, 2, 15, 0, 1.00, 1.10),
		cbbo(9, 2024, 12, 2, 15, 45, 3.00, 3.05), // exactly at the snapshot: included
	}
	s := openStore(t)
	path := scenario(t, recs)
	// The stray id fails the file unless unresolved records are allowed.
	if _, err := s.Ingest(context.Background(), path, Options{}); err == nil ||
		!strings.Contains(err.Error(), "1 records resolve to no symbol (the first at byte offset") {
		t.Fatalf("unresolved id: err = %v", err)
	}
	res := ingest(t, s, path, Options{AllowUnresolved: true})
	rows, err := s.DB().Query(`SELECT strftime(trade_date, '%Y-%m-%d'), bid, ask, bid_size, ask_size, flags
		FROM option_quotes ORDER BY trade_date`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var d string
		var bid, ask float64
		var bs, as, f int
		rows.Scan(&d, &bid, &ask, &bs, &as, &f)
		got = append(got, d+" "+fmtFloat(bid)+"/"+fmtFloat(ask)+" "+fmtInt(int64(bs))+"x"+fmtInt(int64(as))+" f"+fmtInt(int64(f)))
	}
	want := []string{"2024-11-26 5.2/5.3 10x20 f0", "2024-11-29 4/4.1 10x20 f0", "2024-12-02 3/3.05 10x20 f0"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("snapshots:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	notes := strings.Join(res.Notes, "\n")
	for _, w := range []string{"1 records skipped: instrument id not in", "1 quotes skipped: a side was undefined", "2 quotes after the daily snapshot"} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes %q lack %q", notes, w)
		}
	}
}

func TestOutOfOrderRecordsAreAnError(t *testing.T) {
	recs := []dbn.Record{
		cbbo(7, 2024, 11, 20, 15, 0, 1, 1.1),
		cbbo(7, 2024, 11, 26, 15, 0, 1, 1.1),
		cbbo(7, 2024, 11, 20, 15, 1, 1, 1.1),
	}
	s := openStore(t)
	before := fingerprint(t, s)
	_, err := s.Ingest(context.Background(), scenario(t, recs), Options{})
	if err == nil || !strings.Contains(err.Error(), "out of time order") {
		t.Fatalf("err = %v", err)
	}
	if fingerprint(t, s) != before {
		t.Error("failed load changed the store")
	}
}

func fmtInt(n int64) string     { return strconv.FormatInt(n, 10) }
func fmtFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// TestLoadChains loads a small CSV chain and checks the columns, through both read
// paths when the build has Arrow.
func TestLoadChains(t *testing.T) {
	s := openStore(t)
	ingest(t, s, writeFile(t, "quotes.csv", quotesCSV), Options{})
	from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)
	var rows Chains
	if err := s.loadChains(context.Background(), "SPY", from, to, &rows, false); err != nil {
		t.Fatal(err)
	}
	if rows.Len() != 4 || len(rows.Days) != 2 || rows.DayStart[1] != 3 || rows.DayStart[2] != 4 {
		t.Fatalf("chains: %d rows, days %v, starts %v", rows.Len(), rows.Days, rows.DayStart)
	}
	if rows.Day(0).Format(time.DateOnly) != "2024-01-02" || rows.PutCall[0] != 'P' || rows.Strike[0] != 465 ||
		!isNaN(rows.Bid[0]) || rows.Volume[0] != 10 || rows.Flags[0] != FlagNoQuote {
		t.Errorf("first row: day %v %c %v bid %v vol %d flags %d", rows.Day(0), rows.PutCall[0], rows.Strike[0],
			rows.Bid[0], rows.Volume[0], rows.Flags[0])
	}
	if rows.PutCall[1] != 'C' || rows.Bid[1] != 3.00 || rows.Flags[1] != FlagCrossed || rows.OpenInterest[3] != 5100 {
		t.Errorf("rows: %+v", rows)
	}
	if !ArrowReads {
		t.Log("built without -tags duckdb_arrow: only the row path is checked")
		return
	}
	var arrow Chains
	if err := s.loadChains(context.Background(), "SPY", from, to, &arrow, true); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%v", arrow) != fmt.Sprintf("%v", rows) {
		t.Errorf("arrow and row paths differ:\n%v\n%v", arrow, rows)
	}
}

func isNaN(x float64) bool { return x != x }

// TestIngestEveryFixture loads every real DBN file with a metadata header, of
// every schema, version and container. Files with nothing this store keeps (futures
// order books, imbalances, status) load as no rows, with notes saying why.
func TestIngestEveryFixture(t *testing.T) {
	s := openStore(t)
	for _, dir := range []string{"dbn", "opra"} {
		entries, err := os.ReadDir(filepath.Join(fixtures, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.Contains(e.Name(), ".frag") {
				continue // fragments have no metadata header
			}
			p := filepath.Join(fixtures, dir, e.Name())
			if _, err := s.Ingest(context.Background(), p, Options{}); err != nil {
				t.Errorf("%v", err)
			}
		}
	}
}

package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/sim/calendar"
)

// generated caches one generation per name for the tests of this package.
var generated = struct {
	sync.Mutex
	dirs map[string]string
	mans map[string]*Manifest
}{dirs: map[string]string{}, mans: map[string]*Manifest{}}

// generate runs cfg once per test binary (keyed by name) and returns its directory
// and manifest.
func generate(t testing.TB, name string, cfg Config) (string, *Manifest) {
	t.Helper()
	generated.Lock()
	defer generated.Unlock()
	if dir, ok := generated.dirs[name]; ok {
		return dir, generated.mans[name]
	}
	dir, err := os.MkdirTemp("", "synth-"+name+"-")
	if err != nil {
		t.Fatal(err)
	}
	cfg.OutDir = dir
	man, err := Generate(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	generated.dirs[name], generated.mans[name] = dir, man
	return dir, man
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range generated.dirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func small(t testing.TB) (string, *Manifest) {
	cfg, err := Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	return generate(t, "small", cfg)
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestPresetsAndConfig(t *testing.T) {
	for _, name := range PresetNames() {
		cfg, err := Preset(name)
		if err != nil {
			t.Fatalf("Preset(%q): %v", name, err)
		}
		cfg.OutDir = "x"
		if _, err := cfg.normalize(); err != nil {
			t.Errorf("preset %s does not validate: %v", name, err)
		}
	}
	if _, err := Preset("huge"); err == nil || !strings.Contains(err.Error(), "small, demo, spy-5y") {
		t.Errorf("Preset(huge) = %v, want an error listing the presets", err)
	}
	base := Config{Symbols: []string{"spy", "AAPL", "SPY"}, From: day("2024-01-02"), To: day("2024-01-31"), OutDir: "x"}
	got, err := base.normalize()
	if err != nil || !slices.Equal(got.Symbols, []string{"AAPL", "SPY"}) || got.Chain != DefaultChain() {
		t.Errorf("normalize = %+v, %v; want sorted unique upper-case symbols and the default chain", got, err)
	}
	bad := []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.Symbols = nil }, "no symbols"},
		{func(c *Config) { c.Symbols = []string{"VIX"} }, "always generated as index bars"},
		{func(c *Config) { c.Symbols = []string{"TOOLONGX"} }, "1 to 6 characters"},
		{func(c *Config) { c.Symbols = []string{"A-B"} }, "not allowed"},
		{func(c *Config) { c.To = day("2023-12-01") }, "before"},
		{func(c *Config) { c.OutDir = "" }, "no output directory"},
		{func(c *Config) { c.Chain = ChainSpec{Weeks: 1, StdDevs: -1} }, "invalid chain"},
	}
	for _, b := range bad {
		c := base
		b.mod(&c)
		if _, err := c.normalize(); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("normalize: got %v, want an error containing %q", err, b.want)
		}
	}
	if _, err := Generate(context.Background(), Config{Symbols: []string{"SPY"}, From: day("2024-01-06"), To: day("2024-01-07"), OutDir: t.TempDir()}, nil); err == nil || !strings.Contains(err.Error(), "no trading days") {
		t.Errorf("Generate over a weekend: %v, want no trading days", err)
	}
}

func TestDeterministic(t *testing.T) {
	cfg := Config{Symbols: []string{"SPX", "AAPL"}, From: day("2024-01-25"), To: day("2024-02-06"), Seed: 7,
		Intraday: true, Chain: ChainSpec{DailyDays: 1, Weeks: 2, Monthlies: 1, StdDevs: 1, MinWidth: 0.01, MaxWidth: 0.04, FineWidth: 0.01}}
	var dirs [3]string
	for k := range dirs {
		dirs[k] = t.TempDir()
		c := cfg
		c.OutDir = dirs[k]
		if k == 2 {
			c.Seed = 8
		}
		if _, err := Generate(context.Background(), c, nil); err != nil {
			t.Fatal(err)
		}
	}
	man, err := ReadManifest(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	sameAsOtherSeed := 0
	for _, rel := range append([]string{ManifestName}, relPaths(man)...) {
		a := readBytes(t, filepath.Join(dirs[0], rel))
		if b := readBytes(t, filepath.Join(dirs[1], rel)); !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same seed", rel)
		}
		if rel == "events.csv" { // the event calendar does not depend on the seed
			continue
		}
		if c, err := os.ReadFile(filepath.Join(dirs[2], rel)); err == nil && bytes.Equal(a, c) {
			sameAsOtherSeed++
		}
	}
	if sameAsOtherSeed > 0 {
		t.Errorf("%d files are identical under another seed", sameAsOtherSeed)
	}
}

func relPaths(m *Manifest) []string {
	out := make([]string, len(m.Files))
	for k, f := range m.Files {
		out[k] = filepath.FromSlash(f.Path)
	}
	return out
}

func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestManifest(t *testing.T) {
	dir, man := small(t)
	onDisk, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(onDisk.Files) != len(man.Files) || onDisk.Config.Seed != 3 || onDisk.Config.From != "2024-01-02" {
		t.Fatalf("manifest on disk %+v does not match the returned one", onDisk.Config)
	}
	// Definitions come before the quotes, statistics and bars of their month.
	seenDef := map[string]bool{}
	for _, f := range man.Files {
		st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil || st.Size() != f.Bytes {
			t.Errorf("%s: size on disk %v (%v), manifest says %d", f.Path, st, err, f.Bytes)
		}
		base := filepath.Base(f.Path)
		if f.Dataset != DatasetOPRA {
			continue
		}
		month := base[:7]
		if f.Schema == "definition" {
			seenDef[month] = true
		} else if !seenDef[month] {
			t.Errorf("%s is listed before its month's definitions", f.Path)
		}
	}
	if files, recs, _ := man.Totals(); files != 3+4*3 || recs < 50_000 {
		t.Errorf("small preset: %d files, %d records; want 15 files and a realistic size", files, recs)
	}
}

func TestReadBack(t *testing.T) {
	dir, man := small(t)
	rb := readAll(t, dir, man)
	reused := 0
	for _, raws := range rb.owners {
		if len(raws) > 1 {
			reused++
		}
	}
	if reused == 0 {
		t.Error("no instrument ID names more than one contract: IDs do not change over time")
	}
	if rb.late == 0 || rb.fallbacks == 0 {
		t.Errorf("%d quotes after the snapshot, %d snapshots stepping over an empty side; want both", rb.late, rb.fallbacks)
	}
	for k, q := range rb.quotes {
		if !(q.bid >= 0 && q.ask > q.bid) {
			t.Fatalf("%s %s: bid %v ask %v", k.day.Format(time.DateOnly), k.raw, q.bid, q.ask)
		}
		if _, ok := rb.defs[k.raw]; !ok {
			t.Fatalf("%s has quotes but no definition", k.raw)
		}
	}
	for k, v := range rb.oi {
		if len(v) != 2 || v[0] != v[1] || v[0] < 0 {
			t.Fatalf("%v: open interest %v, want one value repeated by two publishers", k, v)
		}
	}
	traded, zero := 0, 0
	for k := range rb.oi {
		if rb.volume[k] > 0 {
			traded++
			if n := rb.venues[k]; n < 1 || n > 3 {
				t.Errorf("%v: bars from %d venues", k, n)
			}
		} else {
			zero++
		}
	}
	if traded == 0 || zero == 0 {
		t.Errorf("%d contract-days traded, %d did not; want both", traded, zero)
	}
	checkDefinitions(t, rb)
	checkUnderlyings(t, rb, calendar.TradingDays(day("2024-01-02"), day("2024-03-28")))
}

func checkDefinitions(t *testing.T, rb *readBack) {
	roots := map[string]int{}
	for raw, d := range rb.defs {
		s := contractOf(t, raw)
		roots[s.Root]++
		if d.Expiration != uint64(s.Expiry.UnixNano()) {
			t.Fatalf("%s: expiration %d is not midnight UTC of the expiry", raw, d.Expiration)
		}
		if math.Abs(dbn.PriceFloat(d.StrikePrice)-s.Strike) > 1e-9 || d.InstrumentClass != s.PutCall {
			t.Fatalf("%s: strike %d class %c", raw, d.StrikePrice, d.InstrumentClass)
		}
		if d.ContractMultiplier != math.MaxInt32 || d.Underlying == "" || d.Exchange != "OPRA" {
			t.Fatalf("%s: definition %+v does not look like OPRA's", raw, d)
		}
		wd := s.Expiry.Weekday()
		fridayHoliday := wd == time.Thursday && !calendar.IsTradingDay(s.Expiry.AddDate(0, 0, 1))
		switch s.Root {
		case "SPX":
			if s.Expiry != calendar.MonthlyExpiration(s.Expiry.Year(), s.Expiry.Month()) {
				t.Errorf("%s: AM-settled SPX expires off the monthly cycle", raw)
			}
			fallthrough
		case "SPXW":
			if math.Mod(s.Strike, 5) != 0 {
				t.Errorf("%s: SPX strike not a multiple of 5", raw)
			}
		case "AAPL":
			if wd != time.Friday && !fridayHoliday {
				t.Errorf("%s: equity expiration on a %v", raw, wd)
			}
			if math.Mod(s.Strike, 2.5) != 0 {
				t.Errorf("%s: strike off the $2.50 grid", raw)
			}
		case "SPY":
			if math.Mod(s.Strike, 1) != 0 {
				t.Errorf("%s: SPY strike off the $1 grid", raw)
			}
		}
	}
	for _, r := range []string{"SPX", "SPXW", "SPY", "AAPL"} {
		if roots[r] == 0 {
			t.Errorf("no %s contracts", r)
		}
	}
	// Good Friday 2024-03-29 moves the weekly to Thursday 03-28.
	if _, ok := rb.defs["AAPL  240328C00150000"]; !ok {
		found := false
		for raw := range rb.defs {
			found = found || strings.HasPrefix(raw, "AAPL  240328")
		}
		if !found {
			t.Error("no AAPL weekly expiring Thursday 2024-03-28 (Good Friday)")
		}
	}
	for k := range rb.quotes {
		if s := contractOf(t, k.raw); s.Root == "SPX" && !k.day.Before(s.Expiry) {
			t.Fatalf("AM-settled %s quoted on %s, on or after its expiration", k.raw, k.day.Format(time.DateOnly))
		}
	}
}

func checkUnderlyings(t *testing.T, rb *readBack, days []time.Time) {
	for _, sym := range []string{"SPX", "VIX", "VIX3M", "SPY", "AAPL"} {
		bs := rb.bars[sym]
		if len(bs) != len(days) {
			t.Errorf("%s: %d bars, want %d", sym, len(bs), len(days))
			continue
		}
		for k, b := range bs {
			if b.Hd.TsEvent != uint64(days[k].UnixNano()) {
				t.Fatalf("%s bar %d at %d, want midnight UTC of %s", sym, k, b.Hd.TsEvent, days[k].Format(time.DateOnly))
			}
			if b.High < max(b.Open, b.Close) || b.Low > min(b.Open, b.Close) || b.Low <= 0 {
				t.Fatalf("%s on %s: inconsistent bar %+v", sym, days[k].Format(time.DateOnly), b)
			}
		}
	}
}

func TestEventsCSV(t *testing.T) {
	dir, _ := small(t)
	f, err := os.Open(filepath.Join(dir, "events.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "symbol,event_date,kind,amount" {
		t.Fatalf("header %v", rows[0])
	}
	kinds := map[string]int{}
	for _, r := range rows[1:] {
		kinds[r[2]]++
		d := day(r[1])
		if !calendar.IsTradingDay(d) {
			t.Errorf("%v falls on a closed day", r)
		}
		switch r[2] {
		case KindExDividend:
			if r[0] == "" || r[3] == "" || r[3] == "0.0000" {
				t.Errorf("dividend row %v lacks a symbol or amount", r)
			}
		case KindFOMC:
			if r[0] != "" || r[3] != "" {
				t.Errorf("fomc row %v: want empty symbol and amount", r)
			}
		case KindEarnings:
			if r[0] != "AAPL" {
				t.Errorf("earnings for %q: only AAPL reports", r[0])
			}
		default:
			t.Errorf("unknown kind in %v", r)
		}
	}
	if kinds[KindEarnings] == 0 || kinds[KindExDividend] == 0 || kinds[KindFOMC] == 0 {
		t.Errorf("event kinds %v: want earnings, dividends and FOMC", kinds)
	}
}

func TestIntraday(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Symbols: []string{"SPY"}, From: day("2024-07-02"), To: day("2024-07-03"), Seed: 1, Intraday: true, OutDir: dir,
		Chain: ChainSpec{DailyDays: 1, Weeks: 1, StdDevs: 1, MinWidth: 0.01, MaxWidth: 0.03, FineWidth: 0.01}}
	man, err := Generate(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	var intraday []File
	for _, f := range man.Files {
		if strings.Contains(f.Path, "0dte") {
			intraday = append(intraday, f)
		}
	}
	if len(intraday) != 2 {
		t.Fatalf("intraday files %v, want one per day", intraday)
	}
	for k, f := range intraday {
		d := []time.Time{day("2024-07-02"), day("2024-07-03")}[k]
		dec, err := dbn.Open(filepath.Join(dir, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		contracts := 0
		for _, m := range dec.Metadata().Mappings {
			if contractOf(t, m.RawSymbol).Expiry.Equal(d) {
				contracts++
			}
		}
		open, cls := uint64(calendar.OpenTime(d).UnixNano()), uint64(calendar.CloseTime(d).UnixNano())
		var prev uint64
		n := 0
		for rec, err := dec.Next(); err == nil; rec, err = dec.Next() {
			c := rec.(*dbn.CbboMsg)
			if c.TsRecv < prev || c.TsRecv <= open || c.TsRecv > cls || c.TsRecv%uint64(time.Minute) != 0 {
				t.Fatalf("%s: record at %d out of order or off the session's minutes", f.Path, c.TsRecv)
			}
			prev = c.TsRecv
			n++
		}
		dec.Close()
		minutes := int((cls - open) / uint64(time.Minute)) // 390, or 210 on the July 3 early close
		if contracts == 0 || n != contracts*minutes {
			t.Errorf("%s: %d records for %d contracts over %d minutes", f.Path, n, contracts, minutes)
		}
	}
}

func TestCancel(t *testing.T) {
	dir := t.TempDir()
	cfg, _ := Preset("small")
	cfg.OutDir = dir
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Generate(ctx, cfg, func(done, total int) {
		if done == 30 {
			cancel()
		}
	})
	if err == nil {
		t.Fatal("Generate after cancel: no error")
	}
	var left []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, path)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("files left after a cancelled run: %v", left)
	}
}

func BenchmarkGenerateSmall(b *testing.B) {
	cfg, _ := Preset("small")
	cfg.OutDir = b.TempDir()
	var recs int64
	for b.Loop() {
		man, err := Generate(context.Background(), cfg, nil)
		if err != nil {
			b.Fatal(err)
		}
		_, recs, _ = man.Totals()
	}
	b.ReportMetric(float64(recs)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

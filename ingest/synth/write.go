package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/optsweep/sweep/ingest/dbn"
)

// Datasets of the files written.
const (
	DatasetOPRA   = "OPRA.PILLAR"  // option definitions, quotes, statistics and bars
	DatasetEquity = "EQUS.SUMMARY" // daily bars of stocks and ETFs
	DatasetIndex  = "SYNTH.INDEX"  // daily bars of SPX, VIX and VIX3M
)

// Publisher IDs of the underlying bars.
const (
	pubEquity = 90
	pubIndex  = 91
)

// Manifest lists the files a generation wrote, in the order to ingest them, with
// the configuration that produced them.
type Manifest struct {
	Generator string         `json:"generator"`
	Config    ManifestConfig `json:"config"`
	Files     []File         `json:"files"`
}

// ManifestConfig is the configuration recorded in a Manifest.
type ManifestConfig struct {
	Symbols  []string  `json:"symbols"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Seed     int64     `json:"seed"`
	Intraday bool      `json:"intraday"`
	Chain    ChainSpec `json:"chain"`
	// History lists the real series that drove underlyings, if any, and
	// Derived says what was built from them (SPX: "SPY x 10").
	History []HistorySource   `json:"history,omitempty"`
	Derived map[string]string `json:"derived,omitempty"`
	// Splits lists the splits emitted, as SYM=YYYY-MM-DD:RATIO.
	Splits []string `json:"splits,omitempty"`
}

// File is one file of a Manifest.
type File struct {
	Path    string `json:"path"`              // relative to the output directory, slash-separated
	Kind    string `json:"kind"`              // "dbn" or "events" (CSV)
	Dataset string `json:"dataset,omitempty"` // DBN dataset
	Schema  string `json:"schema,omitempty"`  // DBN schema, e.g. "cbbo-1m"
	Records int64  `json:"records"`           // records (DBN) or rows (CSV)
	Bytes   int64  `json:"bytes"`             // size on disk
}

// ManifestName is the file name of the manifest in the output directory.
const ManifestName = "manifest.json"

// ReadManifest reads the manifest of a generated directory.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("synth: %s: %w", filepath.Join(dir, ManifestName), err)
	}
	return &m, nil
}

// Paths returns the manifest's files joined to dir, in ingest order. With kind
// non-empty only files of that kind are returned.
func (m *Manifest) Paths(dir, kind string) []string {
	var out []string
	for _, f := range m.Files {
		if kind == "" || f.Kind == kind {
			out = append(out, filepath.Join(dir, filepath.FromSlash(f.Path)))
		}
	}
	return out
}

// Totals returns the number of files, records and bytes in the manifest.
func (m *Manifest) Totals() (files int, records, bytes int64) {
	for _, f := range m.Files {
		records += f.Records
		bytes += f.Bytes
	}
	return len(m.Files), records, bytes
}

func writeManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	b = append(b, '\n')
	tmp := filepath.Join(dir, "."+ManifestName+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, ManifestName)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}

// metadata returns the header of a generated DBN file covering [start, end).
func metadata(dataset string, schema dbn.Schema, start, end time.Time, symbols []string, stypeIn dbn.SType, maps []dbn.SymbolMapping) *dbn.Metadata {
	return &dbn.Metadata{Version: dbn.Version, Dataset: dataset, Schema: schema,
		Start: uint64(start.UnixNano()), End: uint64(end.UnixNano()),
		StypeIn: stypeIn, StypeOut: dbn.STypeInstrumentID, SymbolCstrLen: dbn.SymbolCstrLen,
		Symbols: symbols, Mappings: maps}
}

// writeDBN writes recs to dir/rel with header md and returns its manifest entry.
func writeDBN[T any, P interface {
	*T
	dbn.Record
}](dir, rel string, md *dbn.Metadata, recs []T) (File, error) {
	path := filepath.Join(dir, filepath.FromSlash(rel))
	n, err := writeZstdFile(path, func(w io.Writer) error {
		enc, err := dbn.NewEncoder(w, md)
		if err != nil {
			return err
		}
		for k := range recs {
			if err := enc.Encode(P(&recs[k])); err != nil {
				return fmt.Errorf("record %d: %w", k, err)
			}
		}
		return enc.Close()
	})
	if err != nil {
		return File{}, err
	}
	return File{Path: rel, Kind: "dbn", Dataset: md.Dataset, Schema: md.Schema.String(),
		Records: int64(len(recs)), Bytes: n}, nil
}

// writeZstdFile writes a Zstandard-compressed file through write, at a fixed
// compression level on one goroutine so the bytes depend on the content alone. The
// data goes to a temporary file renamed into place, so a failure leaves nothing
// behind. It returns the file's size.
func writeZstdFile(path string, write func(io.Writer) error) (int64, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return 0, fmt.Errorf("synth: %w", err)
	}
	fail := func(err error) (int64, error) {
		f.Close()
		os.Remove(f.Name())
		return 0, fmt.Errorf("synth: writing %s: %w", path, err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	zw, err := zstd.NewWriter(bw, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return fail(err)
	}
	if err := write(zw); err != nil {
		zw.Close()
		return fail(err)
	}
	if err := zw.Close(); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	st, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return 0, fmt.Errorf("synth: writing %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return 0, fmt.Errorf("synth: %w", err)
	}
	return st.Size(), nil
}

// optionMappings turns a month's ID intervals into DBN symbol mappings, sorted by
// raw symbol.
func optionMappings(entries []mapEntry) []dbn.SymbolMapping {
	maps := make([]dbn.SymbolMapping, len(entries))
	for k, me := range entries {
		iv := make([]dbn.MappingInterval, len(me.iv))
		for j, x := range me.iv {
			iv[j] = dbn.MappingInterval{StartDate: x.start, EndDate: x.end, Symbol: strconv.FormatUint(uint64(x.id), 10)}
		}
		maps[k] = dbn.SymbolMapping{RawSymbol: me.raw, Intervals: iv}
	}
	slices.SortFunc(maps, func(a, b dbn.SymbolMapping) int { return strings.Compare(a.RawSymbol, b.RawSymbol) })
	return maps
}

// parents returns the parent symbols ("SPY.OPT") of the chains.
func parents(chains []*chain) []string {
	out := make([]string, len(chains))
	for k, c := range chains {
		out[k] = c.u.prof.symbol + ".OPT"
	}
	return out
}

// barSeries is one symbol's daily bars for an underlying file.
type barSeries struct {
	symbol string
	b      *bars
}

// writeBars writes the daily bars of several symbols as one ohlcv-1d file. Each
// symbol's instrument ID changes every calendar year, so only the symbol mappings
// resolve it.
func writeBars(dir, rel, dataset string, pub uint16, days []time.Time, syms []barSeries) (File, error) {
	slices.SortFunc(syms, func(a, b barSeries) int { return strings.Compare(a.symbol, b.symbol) })
	idOf := func(k int, d time.Time) uint32 { return uint32(d.Year()%100*1000 + 100 + k) }
	var maps []dbn.SymbolMapping
	names := make([]string, len(syms))
	for k, s := range syms {
		names[k] = s.symbol
		sm := dbn.SymbolMapping{RawSymbol: s.symbol}
		for _, d := range days {
			id := strconv.FormatUint(uint64(idOf(k, d)), 10)
			end := d.AddDate(0, 0, 1)
			if n := len(sm.Intervals); n > 0 && sm.Intervals[n-1].Symbol == id {
				sm.Intervals[n-1].EndDate = end
				continue
			}
			sm.Intervals = append(sm.Intervals, dbn.MappingInterval{StartDate: d, EndDate: end, Symbol: id})
		}
		maps = append(maps, sm)
	}
	recs := make([]dbn.OhlcvMsg, 0, len(days)*len(syms))
	px := func(x float64) int64 { return int64(x*100+0.5) * (dbn.PriceScale / 100) }
	for i, d := range days {
		for k, s := range syms {
			b := s.b
			recs = append(recs, dbn.OhlcvMsg{
				Hd:   dbn.RecordHeader{RType: dbn.RTypeOhlcv1D, PublisherID: pub, InstrumentID: idOf(k, d), TsEvent: uint64(d.UnixNano())},
				Open: px(b.open[i]), High: px(b.high[i]), Low: px(b.low[i]), Close: px(b.close[i]), Volume: uint64(b.volume[i]),
			})
		}
	}
	md := metadata(dataset, dbn.SchemaOhlcv1D, days[0], days[len(days)-1].AddDate(0, 0, 1), names, dbn.STypeRawSymbol, maps)
	return writeDBN(dir, rel, md, recs)
}

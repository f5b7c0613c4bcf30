package market

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
)

// The support files a Databento batch download (and "sweep gen") writes next to
// its data files. Ingest recognises them by name.
const (
	BatchMetadata  = "metadata.json"  // the job's query: dataset, schema, symbology, range
	BatchManifest  = "manifest.json"  // every file of the job with its size and SHA-256
	BatchSymbology = "symbology.json" // symbol ↔ instrument id intervals of the job
	BatchCondition = "condition.json" // per-day data quality of the dataset
)

// SupportFile returns the kind of batch support file path is (its base name, e.g.
// "symbology.json"), or "" when it is not one.
func SupportFile(path string) string {
	switch b := strings.ToLower(filepath.Base(path)); b {
	case BatchMetadata, BatchManifest, BatchSymbology, BatchCondition:
		return b
	}
	return ""
}

// SupportFirst returns paths with the batch support files moved ahead of the data
// files (manifest, then metadata, symbology and condition), each group keeping
// its order: a folder's manifest is checked, and its symbology and day conditions
// are in the store, before its DBN files load.
func SupportFirst(paths []string) []string {
	rank := map[string]int{BatchManifest: 0, BatchMetadata: 1, BatchSymbology: 2, BatchCondition: 3}
	out := slices.Clone(paths)
	sort.SliceStable(out, func(i, j int) bool {
		ri, iok := rank[SupportFile(out[i])]
		rj, jok := rank[SupportFile(out[j])]
		if iok && jok {
			return ri < rj
		}
		return iok && !jok
	})
	return out
}

// jobMetadata is metadata.json. Databento nests the request under "query"; the
// fields are also accepted at the top level.
type jobMetadata struct {
	JobID string   `json:"job_id"`
	Query jobQuery `json:"query"`
	jobQuery
}

type jobQuery struct {
	Dataset  string          `json:"dataset"`
	Schema   string          `json:"schema"`
	StypeIn  string          `json:"stype_in"`
	StypeOut string          `json:"stype_out"`
	Start    json.RawMessage `json:"start"`
	End      json.RawMessage `json:"end"`
	Symbols  json.RawMessage `json:"symbols"`
}

func (m *jobMetadata) query() jobQuery {
	if m.Query.Dataset != "" {
		return m.Query
	}
	return m.jobQuery
}

func readJSON(path string, dst any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("market: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("market: %s: not a valid %s: %w", path, filepath.Base(path), err)
	}
	return nil
}

// readJobMetadata reads dir/metadata.json; ok is false when there is none.
func readJobMetadata(dir string) (q jobQuery, ok bool, err error) {
	p := filepath.Join(dir, BatchMetadata)
	if _, err := os.Stat(p); err != nil {
		return jobQuery{}, false, nil
	}
	var m jobMetadata
	if err := readJSON(p, &m); err != nil {
		return jobQuery{}, true, err
	}
	return m.query(), true, nil
}

// batchDataset returns the dataset of the batch folder dir: metadata.json's, else
// the header of the first DBN file in it.
func batchDataset(dir string) (string, error) {
	q, ok, err := readJobMetadata(dir)
	if err != nil {
		return "", err
	}
	if ok && q.Dataset != "" {
		return q.Dataset, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("market: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if f, _ := detectFormat(e.Name(), ""); f != "dbn" {
			continue
		}
		dec, err := dbn.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		md := dec.Metadata()
		dec.Close()
		if md != nil && md.Dataset != "" {
			return md.Dataset, nil
		}
	}
	return "", fmt.Errorf("market: %s: cannot tell the dataset: no %s and no DBN file with a header in the folder", dir, BatchMetadata)
}

// symbologyFile is symbology.json: for each requested symbol, the intervals
// [d0, d1) over which it resolved to s.
type symbologyFile struct {
	Result   map[string][]symbologyInterval `json:"result"`
	StypeIn  string                         `json:"stype_in"`
	StypeOut string                         `json:"stype_out"`
	Partial  []string                       `json:"partial"`
	NotFound []string                       `json:"not_found"`
}

type symbologyInterval struct {
	D0 string `json:"d0"`
	D1 string `json:"d1"`
	S  string `json:"s"`
}

// readSymbology reads symbology.json as the symbol mappings of a DBN header, so
// that the loader resolves ids from it exactly as from a file's own mappings.
func readSymbology(path string) (*dbn.Metadata, error) {
	var f symbologyFile
	if err := readJSON(path, &f); err != nil {
		return nil, err
	}
	if f.Result == nil {
		return nil, fmt.Errorf("market: %s: no \"result\" object (want Databento's symbology.json layout)", path)
	}
	md := &dbn.Metadata{StypeIn: dbn.STypeRawSymbol, StypeOut: dbn.STypeInstrumentID, Partial: f.Partial, NotFound: f.NotFound}
	var err error
	if f.StypeIn != "" {
		if md.StypeIn, err = dbn.ParseSType(f.StypeIn); err != nil {
			return nil, fmt.Errorf("market: %s: stype_in: %w", path, err)
		}
	}
	if f.StypeOut != "" {
		if md.StypeOut, err = dbn.ParseSType(f.StypeOut); err != nil {
			return nil, fmt.Errorf("market: %s: stype_out: %w", path, err)
		}
	}
	keys := make([]string, 0, len(f.Result))
	for k := range f.Result {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m := dbn.SymbolMapping{RawSymbol: k}
		for i, iv := range f.Result[k] {
			d0, err1 := time.Parse(time.DateOnly, iv.D0)
			d1, err2 := time.Parse(time.DateOnly, iv.D1)
			if err := errors.Join(err1, err2); err != nil {
				return nil, fmt.Errorf("market: %s: %q interval %d: want d0 and d1 as YYYY-MM-DD: %w", path, k, i+1, err)
			}
			m.Intervals = append(m.Intervals, dbn.MappingInterval{StartDate: d0, EndDate: d1, Symbol: iv.S})
		}
		md.Mappings = append(md.Mappings, m)
	}
	return md, nil
}

// DayCondition is one day of condition.json: how complete the vendor says a
// dataset's data is that day.
type DayCondition struct {
	Date         time.Time
	Condition    string // "available", "degraded", "pending" or "missing"
	LastModified string // the vendor's last_modified_date, as given
}

// Impaired reports whether the day's data is not known to be complete.
func (c DayCondition) Impaired() bool { return c.Condition != "available" }

type conditionEntry struct {
	Date         string `json:"date"`
	Condition    string `json:"condition"`
	LastModified string `json:"last_modified_date"`
}

// readConditions reads condition.json: an array of {date, condition,
// last_modified_date}, or an object holding it under "condition" or "conditions".
func readConditions(path string) ([]DayCondition, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("market: %w", err)
	}
	var entries []conditionEntry
	if err := json.Unmarshal(b, &entries); err != nil {
		var wrapped struct {
			Condition  []conditionEntry `json:"condition"`
			Conditions []conditionEntry `json:"conditions"`
		}
		if err2 := json.Unmarshal(b, &wrapped); err2 != nil {
			return nil, fmt.Errorf("market: %s: want an array of {date, condition, last_modified_date}: %w", path, err)
		}
		entries = append(wrapped.Condition, wrapped.Conditions...)
	}
	out := make([]DayCondition, 0, len(entries))
	for i, e := range entries {
		d, err := time.Parse(time.DateOnly, e.Date)
		if err != nil {
			return nil, fmt.Errorf("market: %s: entry %d: date %q: want YYYY-MM-DD", path, i+1, e.Date)
		}
		switch e.Condition {
		case "available", "degraded", "pending", "missing":
		default:
			return nil, fmt.Errorf("market: %s: entry %d (%s): unknown condition %q (want available, degraded, pending or missing)",
				path, i+1, e.Date, e.Condition)
		}
		out = append(out, DayCondition{Date: d, Condition: e.Condition, LastModified: e.LastModified})
	}
	return out, nil
}

// ManifestEntry is one file a manifest lists.
type ManifestEntry struct {
	Name   string // relative to the manifest's folder, slash-separated
	Size   int64  // bytes; -1 when not given
	SHA256 string // lower-case hex; "" when not given
}

type manifestJSON struct {
	Filename string      `json:"filename"`
	Path     string      `json:"path"`
	Size     json.Number `json:"size"`
	Bytes    json.Number `json:"bytes"`
	Hash     string      `json:"hash"`
}

// ReadManifest reads a manifest.json: Databento's (a list of {filename, size, hash,
// urls}, bare or under "files") or the one "sweep gen" writes ({path, bytes} under
// "files").
func ReadManifest(path string) ([]ManifestEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("market: %w", err)
	}
	var raw []manifestJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		var wrapped struct {
			Files []manifestJSON `json:"files"`
		}
		if err2 := json.Unmarshal(b, &wrapped); err2 != nil || wrapped.Files == nil {
			return nil, fmt.Errorf("market: %s: want a list of files with filename, size and hash: %w", path, errors.Join(err, err2))
		}
		raw = wrapped.Files
	}
	out := make([]ManifestEntry, 0, len(raw))
	for i, r := range raw {
		e := ManifestEntry{Name: r.Filename, Size: -1}
		if e.Name == "" {
			e.Name = r.Path
		}
		if e.Name == "" || strings.Contains(e.Name, "..") || filepath.IsAbs(e.Name) {
			return nil, fmt.Errorf("market: %s: file %d: bad or missing file name %q", path, i+1, e.Name)
		}
		size := r.Size
		if size == "" {
			size = r.Bytes
		}
		if size != "" {
			n, err := strconv.ParseInt(string(size), 10, 64)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("market: %s: %s: bad size %q", path, e.Name, size)
			}
			e.Size = n
		}
		if r.Hash != "" {
			h := strings.ToLower(strings.TrimPrefix(r.Hash, "sha256:"))
			if _, err := hex.DecodeString(h); err != nil || len(h) != 64 {
				return nil, fmt.Errorf("market: %s: %s: hash %q is not a SHA-256", path, e.Name, r.Hash)
			}
			e.SHA256 = h
		}
		out = append(out, e)
	}
	return out, nil
}

// ManifestError lists the files a manifest names that are missing or differ from
// what it says.
type ManifestError struct {
	Manifest string
	Missing  []string // paths of listed files not found
	Altered  []string // paths of files whose size or SHA-256 differs
	Details  []string // one line per problem
}

func (e *ManifestError) Error() string {
	return fmt.Sprintf("%s: %d missing and %d altered of the files it lists: %s",
		e.Manifest, len(e.Missing), len(e.Altered), strings.Join(e.Details, "; "))
}

// CheckManifest checks that every file the manifest at path lists is present next
// to it with the size and SHA-256 it gives. It returns the entries, and a
// *ManifestError when any file is missing or altered.
func CheckManifest(path string) ([]ManifestEntry, error) {
	entries, err := ReadManifest(path)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	me := &ManifestError{Manifest: path}
	for _, e := range entries {
		if SupportFile(e.Name) == BatchManifest {
			continue // a manifest cannot list its own hash
		}
		p := filepath.Join(dir, filepath.FromSlash(e.Name))
		fi, err := os.Stat(p)
		if err != nil {
			me.Missing = append(me.Missing, p)
			me.Details = append(me.Details, p+" is missing")
			continue
		}
		if e.Size >= 0 && fi.Size() != e.Size {
			me.Altered = append(me.Altered, p)
			me.Details = append(me.Details, fmt.Sprintf("%s has %d bytes, the manifest says %d", p, fi.Size(), e.Size))
			continue
		}
		if e.SHA256 == "" {
			continue
		}
		sum, err := fileSHA256(p)
		if err != nil {
			return nil, err
		}
		if sum != e.SHA256 {
			me.Altered = append(me.Altered, p)
			me.Details = append(me.Details, fmt.Sprintf("%s has SHA-256 %s, the manifest says %s", p, sum, e.SHA256))
		}
	}
	if len(me.Details) > 0 {
		return entries, me
	}
	return entries, nil
}

package feed

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/calendar"
)

// CacheVersion names the layout and the computation of cached tapes. It is part
// of every cache key, so a change to either makes old entries misses. tape-2:
// repeated contracts dropped, flags recomputed from the quotes, and Stats with
// the data checks.
const CacheVersion = "tape-2"

// Cache is a directory of tapes (chains with their greeks and implied
// volatilities) encoded with msgpack, one file per key, so that the next
// night's sweep over the same data skips the load and the greeks. The zero
// value, with an empty Dir, caches nothing.
type Cache struct {
	Dir string
}

// CacheKey returns the cache key of the tape of symbols over [from, to] built
// with opt from the data with the given fingerprint: a SHA-256 in hex of those
// settings, the engine version and CacheVersion.
func CacheKey(fingerprint string, symbols []string, from, to time.Time, opt Options) string {
	syms := append([]string(nil), symbols...)
	sort.Strings(syms)
	text := fmt.Sprintf("%s\n%s\ndata=%s\nsymbols=%s\nfrom=%s\nto=%s\nrate=%g\ndividend=%g\namerican=%t\nhistory=%d\nevents=%d\nlead=%s\n",
		CacheVersion, sim.Version, fingerprint, strings.Join(syms, ","), from.Format(time.DateOnly), to.Format(time.DateOnly),
		opt.Rate, opt.Dividend, opt.American, opt.HistoryDays, opt.EventDays, opt.SnapshotLead)
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// cached is the file layout: the tape without its decision times, which are
// stored as Unix nanoseconds and restored in New York time, and with each
// symbol's series packed column by column.
type cached struct {
	Version string
	Key     string
	Times   []int64
	Stats   Stats
	Tape    *sim.Tape // without Times and Symbols
	Series  []packedSeries
}

func (c Cache) path(key string) string { return filepath.Join(c.Dir, key[:2], key+".msgpack") }

// Get returns the tape cached under key, or false when there is none. A file
// that does not decode, or holds another key, is an error naming it.
func (c Cache) Get(key string) (*sim.Tape, Stats, bool, error) {
	if c.Dir == "" {
		return nil, Stats{}, false, nil
	}
	p := c.path(key)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Stats{}, false, nil
	}
	if err != nil {
		return nil, Stats{}, false, fmt.Errorf("feed: tape cache: %w", err)
	}
	defer f.Close()
	var v cached
	if err := msgpack.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&v); err != nil {
		return nil, Stats{}, false, fmt.Errorf("feed: tape cache %s: %w (delete the file to rebuild it)", p, err)
	}
	if v.Version != CacheVersion || v.Key != key || v.Tape == nil || len(v.Times) != len(v.Tape.Days) {
		return nil, Stats{}, false, fmt.Errorf("feed: tape cache %s: not the entry for key %s (delete the file to rebuild it)", p, key)
	}
	for _, ps := range v.Series {
		s, ok := unpack(ps)
		if !ok {
			return nil, Stats{}, false, fmt.Errorf("feed: tape cache %s: columns of %s do not match this version (delete the file to rebuild it)", p, ps.Symbol)
		}
		v.Tape.Symbols = append(v.Tape.Symbols, s)
	}
	ny := calendar.NewYork()
	v.Tape.Times = make([]time.Time, len(v.Times))
	for i, ns := range v.Times {
		v.Tape.Times[i] = time.Unix(0, ns).In(ny)
	}
	// Prepare as Load does: it validates, rebuilds what the cache does not
	// store (the split-adjusted bar histories, the chain index) and
	// recomputes the IV rank and percentile, to the same values.
	if err := v.Tape.Prepare(); err != nil {
		return nil, Stats{}, false, fmt.Errorf("feed: tape cache %s: %w (delete the file to rebuild it)", p, err)
	}
	return v.Tape, v.Stats, true, nil
}

// Put stores t under key. It writes a temporary file and renames it, so a
// reader never sees half a file, even if the writer is killed.
func (c Cache) Put(key string, t *sim.Tape, st Stats) error {
	if c.Dir == "" {
		return nil
	}
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("feed: tape cache: %w", err)
	}
	shallow := *t
	shallow.Times, shallow.Symbols = nil, nil
	v := cached{Version: CacheVersion, Key: key, Times: make([]int64, len(t.Times)), Stats: st, Tape: &shallow}
	for i := range t.Symbols {
		v.Series = append(v.Series, pack(&t.Symbols[i]))
	}
	for i, tm := range t.Times {
		v.Times[i] = tm.UnixNano()
	}
	f, err := os.CreateTemp(filepath.Dir(p), key+".tmp*")
	if err != nil {
		return fmt.Errorf("feed: tape cache: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = msgpack.NewEncoder(w).Encode(&v)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("feed: tape cache %s: %w", p, err)
	}
	return nil
}

// LoadCached is Load through the cache: a hit decodes the stored tape, a miss
// loads it from st and stores it. hit reports which happened. The tape is the
// same either way, value for value. Tapes with intraday steps are not cached.
func LoadCached(ctx context.Context, c Cache, st *market.Store, fingerprint string, symbols []string, from, to time.Time, opt Options) (t *sim.Tape, stats Stats, hit bool, err error) {
	if opt.IntradayEvery > 0 {
		// The cache's layout holds daily chains only: intraday tapes load fresh.
		t, stats, err = Load(ctx, st, symbols, from, to, opt)
		return t, stats, false, err
	}
	key := CacheKey(fingerprint, symbols, from, to, opt)
	start := time.Now()
	if t, stats, hit, err = c.Get(key); err != nil || hit {
		stats.LoadTime, stats.GreeksTime = time.Since(start), 0
		return t, stats, hit, err
	}
	if t, stats, err = Load(ctx, st, symbols, from, to, opt); err != nil {
		return nil, stats, false, err
	}
	return t, stats, false, c.Put(key, t, stats)
}

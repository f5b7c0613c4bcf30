package synth

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/ingest/osi"
	"github.com/optsweep/sweep/sim/calendar"
)

// dayRaw keys a contract on a day.
type dayRaw struct {
	day time.Time
	raw string
}

// quoteRow is the snapshot of a contract on a day, as an ingest would take it.
type quoteRow struct {
	bid, ask     float64
	bidSz, askSz uint32
	ts           uint64
}

// market read back from the files, the way an ingest resolves it: instrument IDs
// through each file's symbol mappings on the record's date, quotes as the last one
// with both sides defined at or before 15:45 ET.
type readBack struct {
	defs      map[string]dbn.InstrumentDefMsg // by raw symbol
	quotes    map[dayRaw]quoteRow
	oi        map[dayRaw][]int64 // one value per publisher
	volume    map[dayRaw]uint64  // summed over venues
	venues    map[dayRaw]int
	owners    map[uint32]map[string]bool // every raw symbol an ID named
	late      int                        // quotes after the snapshot time
	fallbacks int                        // snapshots that skipped a later quote with an empty side
	bars      map[string][]dbn.OhlcvMsg  // underlying bars by symbol
	records   int64
}

// resolver maps (UTC date, instrument ID) to a raw symbol from a file's metadata.
type resolver map[uint64]string

func newResolver(md *dbn.Metadata) resolver {
	r := resolver{}
	for _, m := range md.Mappings {
		for _, iv := range m.Intervals {
			var id uint64
			fmt.Sscan(iv.Symbol, &id)
			for d := iv.StartDate; d.Before(iv.EndDate); d = d.AddDate(0, 0, 1) {
				r[uint64(d.Unix()/86400)<<32|id] = m.RawSymbol
			}
		}
	}
	return r
}

func (r resolver) lookup(ts uint64, id uint32) (string, time.Time, bool) {
	day := int64(ts / uint64(24*time.Hour))
	raw, ok := r[uint64(day)<<32|uint64(id)]
	return raw, time.Unix(day*86400, 0).UTC(), ok
}

func readAll(t testing.TB, dir string, man *Manifest) *readBack {
	t.Helper()
	rb := &readBack{defs: map[string]dbn.InstrumentDefMsg{}, quotes: map[dayRaw]quoteRow{},
		oi: map[dayRaw][]int64{}, volume: map[dayRaw]uint64{}, venues: map[dayRaw]int{},
		owners: map[uint32]map[string]bool{}, bars: map[string][]dbn.OhlcvMsg{}}
	for _, path := range man.Paths(dir, "dbn") {
		readFile(t, path, rb)
	}
	return rb
}

func readFile(t testing.TB, path string, rb *readBack) {
	t.Helper()
	dec, err := dbn.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer dec.Close()
	md := dec.Metadata()
	res := newResolver(md)
	intraday := strings.Contains(path, "0dte")
	for {
		rec, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rb.records++
		hd := rec.Header()
		ts := hd.TsEvent
		if c, ok := rec.(*dbn.CbboMsg); ok {
			ts = c.TsRecv
		}
		raw, day, ok := res.lookup(ts, hd.InstrumentID)
		if !ok {
			t.Fatalf("%s: instrument %d on %s is not in the symbol mappings", path, hd.InstrumentID, day.Format(time.DateOnly))
		}
		if rb.owners[hd.InstrumentID] == nil {
			rb.owners[hd.InstrumentID] = map[string]bool{}
		}
		if md.Dataset == DatasetOPRA {
			rb.owners[hd.InstrumentID][raw] = true
		}
		k := dayRaw{day, raw}
		switch r := rec.(type) {
		case *dbn.InstrumentDefMsg:
			if r.RawSymbol != raw {
				t.Fatalf("%s: definition of %q resolves to %q", path, r.RawSymbol, raw)
			}
			rb.defs[raw] = *r
		case *dbn.StatMsg:
			rb.oi[k] = append(rb.oi[k], r.Quantity)
		case *dbn.OhlcvMsg:
			if md.Dataset != DatasetOPRA {
				rb.bars[raw] = append(rb.bars[raw], *r)
				continue
			}
			rb.volume[k] += r.Volume
			rb.venues[k]++
		case *dbn.CbboMsg:
			if intraday {
				continue
			}
			rb.cbbo(k, r)
		}
	}
}

// cbbo folds one quote into the 15:45 ET snapshot.
func (rb *readBack) cbbo(k dayRaw, r *dbn.CbboMsg) {
	snap := uint64(calendar.CloseTime(k.day).Add(-15 * time.Minute).UnixNano())
	if r.TsRecv > snap {
		rb.late++
		return
	}
	l := r.Levels[0]
	if l.BidPx == dbn.UndefPrice || l.AskPx == dbn.UndefPrice {
		if _, had := rb.quotes[k]; had {
			rb.fallbacks++
		}
		return
	}
	if old, ok := rb.quotes[k]; ok && old.ts > r.TsRecv {
		return
	}
	rb.quotes[k] = quoteRow{bid: dbn.PriceFloat(l.BidPx), ask: dbn.PriceFloat(l.AskPx), bidSz: l.BidSz, askSz: l.AskSz, ts: r.TsRecv}
}

// contractOf parses a raw symbol, failing the test on error.
func contractOf(t testing.TB, raw string) osi.Symbol {
	t.Helper()
	s, err := osi.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

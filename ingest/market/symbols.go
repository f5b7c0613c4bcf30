package market

import (
	"strconv"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/ingest/osi"
)

const nsPerDay = int64(24 * time.Hour)

// symInfo is what the loaders need to know about one symbol, parsed once.
type symInfo struct {
	name       string // as it arrived: an OSI symbol or an underlying ticker
	option     bool
	underlying string
	root       string
	expiration time.Time // UTC midnight of the expiry date
	expDay     int32     // days since 1970-01-01
	putCall    string    // "P" or "C"
	strike     float64
	staged     bool // already in stage_syms
}

// symtab interns symbols so records carry a small index instead of a string.
type symtab struct {
	index map[string]int32
	syms  []symInfo
	// unders holds one copy of each underlying name, so that the symbols of one
	// underlying share it and comparing them costs no byte comparison.
	unders map[string]string
}

func newSymtab() *symtab {
	return &symtab{index: make(map[string]int32), unders: make(map[string]string)}
}

// intern returns the index of name, parsing it as an OSI symbol on first sight.
func (t *symtab) intern(name string) int32 {
	if i, ok := t.index[name]; ok {
		return i
	}
	info := symInfo{name: name, underlying: name}
	if s, err := osi.Parse(name); err == nil {
		info.option = true
		info.name = osi.Format(s) // one spelling per contract
		info.root = s.Root
		info.underlying = t.under(osi.Underlying(s.Root))
		info.expiration = s.Expiry
		info.expDay = int32(s.Expiry.Unix() / 86400)
		info.putCall = string(s.PutCall)
		info.strike = s.Strike
	}
	i := int32(len(t.syms))
	t.syms = append(t.syms, info)
	t.index[name] = i
	return i
}

// under returns the shared copy of underlying name u.
func (t *symtab) under(u string) string {
	if c, ok := t.unders[u]; ok {
		return c
	}
	t.unders[u] = u
	return u
}

// span says instrument id stood for sym on UTC days [start, end).
type span struct {
	start, end int32
	sym        int32
}

// resolver maps (instrument id, UTC day) to a symbol. Instrument ids are reassigned
// over time (OPRA assigns them daily), so an id alone means nothing.
type resolver struct {
	byID map[uint64][]span
}

func newResolver() *resolver { return &resolver{byID: make(map[uint64][]span)} }

// add records that id stood for sym on UTC days [start, end). It extends the most
// recent mapping of id when that is sym's and overlaps or meets the new days, so
// that the most recently added mapping still wins where two disagree (extending
// an older one in place would let a later mapping of another symbol hide it).
func (r *resolver) add(id uint64, start, end int32, sym int32) {
	spans := r.byID[id]
	if n := len(spans); n > 0 {
		if s := &spans[n-1]; s.sym == sym && start <= s.end && end >= s.start {
			s.start = min(s.start, start)
			s.end = max(s.end, end)
			return
		}
	}
	r.byID[id] = append(spans, span{start, end, sym})
}

// lookup returns the symbol id stood for on UTC day, the most recently added
// mapping winning where two overlap.
func (r *resolver) lookup(id uint64, day int32) (int32, bool) {
	spans := r.byID[id]
	for i := len(spans) - 1; i >= 0; i-- {
		if s := spans[i]; day >= s.start && day < s.end {
			return s.sym, true
		}
	}
	return 0, false
}

// knows reports whether one mapping already resolves id to sym on every day of
// [start, end): it covers those days and no later mapping of another symbol
// overlaps them.
func (r *resolver) knows(id uint64, start, end, sym int32) bool {
	spans := r.byID[id]
	for i := len(spans) - 1; i >= 0; i-- {
		s := spans[i]
		if s.start >= end || s.end <= start {
			continue
		}
		if s.sym != sym {
			return false
		}
		if s.start <= start && end <= s.end {
			return true
		}
	}
	return false
}

// addMetadata loads the symbol mappings of a DBN header. Depending on the direction
// of the request, the instrument id is either the mapped-to symbol (raw symbol in,
// instrument id out) or the mapped-from one (instrument id in, raw symbol out).
// It returns the mappings it added that the resolver did not already hold.
func (r *resolver) addMetadata(md *dbn.Metadata, syms *symtab) []idSpan {
	var added []idSpan
	for _, m := range md.Mappings {
		for _, iv := range m.Intervals {
			idText, raw := iv.Symbol, m.RawSymbol
			if md.StypeIn == dbn.STypeInstrumentID {
				idText, raw = m.RawSymbol, iv.Symbol
			}
			id, err := strconv.ParseUint(strings.TrimSpace(idText), 10, 64)
			if err != nil || raw == "" || strings.HasSuffix(raw, ".OPT") {
				// Parent symbols name many contracts; their ids are resolved from
				// the definitions instead.
				continue
			}
			start := int32(iv.StartDate.Unix() / 86400)
			end := int32(iv.EndDate.Unix() / 86400)
			if end <= start {
				end = start + 1
			}
			sym := syms.intern(raw)
			if !r.knows(id, start, end, sym) {
				added = append(added, idSpan{id, start, end, sym})
			}
			// The file's own mappings resolve its records, whatever the store
			// held for those days: add them even when known, so they are the most
			// recent.
			r.add(id, start, end, sym)
		}
	}
	return added
}

// utcDay returns days since the epoch of a UNIX-nanosecond timestamp.
func utcDay(ts uint64) int32 { return int32(int64(ts) / nsPerDay) }

// dayTime converts days since the epoch to UTC midnight.
func dayTime(d int32) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// localClock converts timestamps to New York dates, caching the UTC offset over the
// span of time where it is constant, so that most records cost no time-zone lookup.
type localClock struct {
	loc         *time.Location
	from, until int64 // ns; the cached offset holds on [from, until)
	offset      int64 // ns east of UTC
}

// day returns the New York date of ts as days since the epoch.
func (c *localClock) day(ts uint64) int32 {
	t := int64(ts)
	if t < c.from || t >= c.until {
		lt := time.Unix(0, t).In(c.loc)
		_, off := lt.Zone()
		c.offset = int64(off) * int64(time.Second)
		start, end := lt.ZoneBounds()
		c.from, c.until = minInt64, maxInt64
		if !start.IsZero() {
			c.from = start.UnixNano()
		}
		if !end.IsZero() {
			c.until = end.UnixNano()
		}
	}
	local := t + c.offset
	d := local / nsPerDay
	if local < 0 && local%nsPerDay != 0 {
		d--
	}
	return int32(d)
}

const (
	minInt64 = -1 << 63
	maxInt64 = 1<<63 - 1
)

// exerciseStyle names the exercise style of options on root.
func exerciseStyle(root string) string {
	if osi.European(root) {
		return "european"
	}
	return "american"
}

package market

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/sim/calendar"
)

// optDay accumulates what one file says about one contract on one trading day.
type optDay struct {
	quote        bool
	bid, ask     int64
	bidSz, askSz uint32
	quoteTs      uint64

	bar                    bool
	open, high, low, close int64
	volume                 uint64
	barPub                 uint16 // publisher whose open and close are kept
	barPubVol              uint64 // and its volume

	oi    bool
	oiQty int64
	oiTs  uint64
}

type minuteKey struct {
	ts  int64 // end of the minute, ns
	sym int32
}

type minuteQuote struct {
	bid, ask     int64
	bidSz, askSz uint32
	quoteTs      uint64
}

// dbnLoader streams one DBN file into per-day aggregates and moves them to rows
// as days complete, so the aggregates held are about two days of one file.
type dbnLoader struct {
	rows   *fileRows
	md     *dbn.Metadata
	opts   Options
	syms   *symtab
	res    *resolver
	clock  localClock
	snaps  map[int32]uint64 // New York day → snapshot instant (ns)
	open   openDays
	order  symOrder
	mins   map[minuteKey]*minuteQuote
	instr  map[int32]instrument
	spans  []idSpan // id mappings learned from this file, to remember in instrument_ids
	maxDay int32    // latest day seen
	done   int32    // days ≤ done have been flushed
	stats  loadStats
}

// idSpan is an instrument id mapping learned from a file.
type idSpan struct {
	id         uint64
	start, end int32
	sym        int32
}

// loadStats counts what a file held and what was skipped, and why.
type loadStats struct {
	records      int64
	quotes       int64
	undefined    int64  // quotes with a side undefined
	afterSnap    int64  // quotes after the day's snapshot
	unresolved   int64  // instrument id not in mappings or definitions
	firstUnres   string // where the first unresolved record was
	notOption    int64  // quotes or statistics for instruments that are not options
	otherStats   int64  // statistics other than open interest
	subDailyBars int64
	nonOptDefs   int64
	ignored      map[dbn.RType]int64
	unknown      int64 // records of record types the decoder does not know, stepped over
}

// instrument is one row of the instruments table.
type instrument struct {
	multiplier int32
	exchange   string
	currency   string
	expiration time.Time
}

func newDBNLoader(md *dbn.Metadata, opts Options, known []idSpan, knownSyms *symtab) *dbnLoader {
	l := &dbnLoader{
		rows: newFileRows(knownSyms, md.Dataset), md: md, opts: opts,
		syms:  knownSyms,
		res:   newResolver(),
		clock: localClock{loc: calendar.NewYork(), from: 1, until: 0},
		snaps: make(map[int32]uint64),
		mins:  make(map[minuteKey]*minuteQuote),
		instr: make(map[int32]instrument),
		done:  minInt32,
	}
	l.stats.ignored = make(map[dbn.RType]int64)
	for _, s := range known {
		l.res.add(s.id, s.start, s.end, s.sym)
	}
	if md != nil {
		l.spans = l.res.addMetadata(md, l.syms)
	}
	return l
}

const minInt32 = -1 << 31

// run decodes every record of dec into l.rows.
func (l *dbnLoader) run(ctx context.Context, dec *dbn.Decoder) error {
	for {
		if l.stats.records&(1<<16-1) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		start := dec.Offset()
		rec, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		l.stats.records++
		if err := l.record(rec, start); err != nil {
			return err
		}
	}
	l.stats.unknown = dec.Skipped()
	if l.stats.unresolved > 0 && !l.opts.AllowUnresolved {
		return fmt.Errorf("%d records resolve to no symbol (the first at %s): neither the file's symbol mappings nor an ingested definition covers them; ingest the definition file for those days first, or pass --allow-unresolved to skip them",
			l.stats.unresolved, l.stats.firstUnres)
	}
	if err := l.flushThrough(maxInt32); err != nil {
		return err
	}
	l.rows.instr, l.rows.spans = l.instr, coalesce(l.spans)
	return nil
}

// coalesce joins the mappings of one id to one symbol that overlap or meet into
// one, as the merge into instrument_ids would: a definition file maps each id
// for a day at a time, so a week of one contract is staged as one row, not five.
func coalesce(spans []idSpan) []idSpan {
	slices.SortFunc(spans, func(a, b idSpan) int {
		return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.sym, b.sym), cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end))
	})
	out := spans[:0]
	for _, sp := range spans {
		if n := len(out); n > 0 && out[n-1].id == sp.id && out[n-1].sym == sp.sym && sp.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, sp.end)
			continue
		}
		out = append(out, sp)
	}
	return out
}

const maxInt32 = 1<<31 - 1

// record routes one record, which starts at offset in the stream, to its aggregate.
// Only the kinds that are loaded need their instrument id resolved; the others
// (trades, order book depth, status, error and system messages) are counted.
func (l *dbnLoader) record(rec dbn.Record, offset int64) error {
	hd := rec.Header()
	switch r := rec.(type) {
	case *dbn.InstrumentDefMsg:
		l.definition(r)
		return nil
	case *dbn.SymbolMappingMsg:
		l.symbolMapping(r)
		return nil
	case *dbn.StatMsg:
		if r.StatType != dbn.StatTypeOpenInterest {
			l.stats.otherStats++
			return nil
		}
	case *dbn.OhlcvMsg:
		if r.Hd.RType != dbn.RTypeOhlcv1D && r.Hd.RType != dbn.RTypeOhlcvEod {
			l.stats.subDailyBars++
			return nil
		}
	case dbn.TopOfBook:
	default:
		l.stats.ignored[hd.RType]++
		return nil
	}
	day := utcDay(indexTs(rec))
	sym, ok := l.res.lookup(uint64(hd.InstrumentID), day)
	if !ok {
		if l.stats.unresolved == 0 {
			l.stats.firstUnres = fmt.Sprintf("byte offset %d, instrument id %d on %s", offset, hd.InstrumentID,
				dayTime(day).Format(time.DateOnly))
		}
		l.stats.unresolved++
		return nil
	}
	switch r := rec.(type) {
	case dbn.TopOfBook:
		return l.quote(r, sym, offset)
	case *dbn.OhlcvMsg:
		return l.bar(r, sym, offset)
	case *dbn.StatMsg:
		return l.stat(r, sym, offset)
	}
	return nil
}

// indexTs is the time a record is indexed and its symbol resolved by: when it was
// received where the record says, else the event time. (Subsampled quotes of an
// interval without events carry ts_event 0.)
func indexTs(rec dbn.Record) uint64 {
	var ts uint64
	switch r := rec.(type) {
	case dbn.TopOfBook:
		ts = r.RecvTime()
	case *dbn.StatMsg:
		ts = r.TsRecv
	}
	if ts == 0 || ts == dbn.UndefTimestamp {
		ts = rec.Header().TsEvent
	}
	return ts
}

// slot returns the aggregate for (day, sym), flushing days that are complete.
// Records are time-ordered in DBN files; one for a day already flushed means the
// file is not, and is an error rather than a silently doubled row.
func (l *dbnLoader) slot(day, sym int32, offset int64) (*optDay, error) {
	if day <= l.done {
		return nil, fmt.Errorf("record at byte offset %d is for %s, but the file had already moved past that day (records out of time order)",
			offset, dayTime(day).Format(time.DateOnly))
	}
	if day > l.maxDay {
		l.maxDay = day
		// Keep one day of slack: daily bars are stamped at UTC midnight, quotes
		// in New York time, so neighbouring days interleave a little.
		if err := l.flushThrough(day - 2); err != nil {
			return nil, err
		}
	}
	return l.open.slot(day, sym, len(l.syms.syms)), nil
}

func (l *dbnLoader) quote(r dbn.TopOfBook, sym int32, offset int64) error {
	info := &l.syms.syms[sym]
	if !info.option {
		l.stats.notOption++
		return nil
	}
	l.stats.quotes++
	bid, ask, bidSz, askSz := r.Top()
	if bid == dbn.UndefPrice || ask == dbn.UndefPrice {
		l.stats.undefined++
		return nil
	}
	ts := indexTs(r)
	day := l.clock.day(ts)
	if l.opts.Intraday && info.expDay == day {
		l.minute(ts, sym, bid, ask, bidSz, askSz)
	}
	if ts > l.snapshot(day) {
		l.stats.afterSnap++
		return nil
	}
	d, err := l.slot(day, sym, offset)
	if err != nil {
		return err
	}
	if !d.quote || ts >= d.quoteTs {
		d.quote, d.bid, d.ask, d.bidSz, d.askSz, d.quoteTs = true, bid, ask, bidSz, askSz, ts
	}
	return nil
}

// minute keeps the last quote of each minute for contracts on their expiry day.
func (l *dbnLoader) minute(ts uint64, sym int32, bid, ask int64, bidSz, askSz uint32) {
	const minute = int64(time.Minute)
	end := (int64(ts) + minute - 1) / minute * minute
	k := minuteKey{end, sym}
	m := l.mins[k]
	if m == nil {
		m = &minuteQuote{}
		l.mins[k] = m
	}
	if ts >= m.quoteTs {
		*m = minuteQuote{bid, ask, bidSz, askSz, ts}
	}
}

// snapshot returns the snapshot instant of a New York day: the configured time of
// day, moved earlier by as much as the close is on early-close days.
func (l *dbnLoader) snapshot(day int32) uint64 {
	if s, ok := l.snaps[day]; ok {
		return s
	}
	d := dayTime(day)
	regular := time.Date(d.Year(), d.Month(), d.Day(), 16, 0, 0, 0, calendar.NewYork())
	closeAt := calendar.CloseTime(d)
	if closeAt.IsZero() {
		closeAt = regular // quotes stamped on a closed day: keep the regular time
	}
	at := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, calendar.NewYork()).
		Add(l.opts.snapshot()).Add(closeAt.Sub(regular))
	s := uint64(at.UnixNano())
	l.snaps[day] = s
	return s
}

// bar consolidates daily bars that arrive once per venue: volume is summed, the
// high is the highest and the low the lowest, and open and close come from the
// venue with the most volume (the lowest publisher id on a tie).
func (l *dbnLoader) bar(r *dbn.OhlcvMsg, sym int32, offset int64) error {
	d, err := l.slot(utcDay(r.Hd.TsEvent), sym, offset)
	if err != nil {
		return err
	}
	pub := r.Hd.PublisherID
	if !d.bar {
		d.bar, d.open, d.high, d.low, d.close = true, r.Open, r.High, r.Low, r.Close
		d.volume, d.barPub, d.barPubVol = r.Volume, pub, r.Volume
		return nil
	}
	d.volume += r.Volume
	d.high = max(d.high, r.High)
	d.low = min(d.low, r.Low)
	if r.Volume > d.barPubVol || (r.Volume == d.barPubVol && pub < d.barPub) {
		d.open, d.close, d.barPub, d.barPubVol = r.Open, r.Close, pub, r.Volume
	}
	return nil
}

// stat keeps open interest. OPRA repeats it once per publisher; the most recently
// received value wins, the largest on a tie.
func (l *dbnLoader) stat(r *dbn.StatMsg, sym int32, offset int64) error {
	if !l.syms.syms[sym].option {
		l.stats.notOption++
		return nil
	}
	ts := indexTs(r)
	d, err := l.slot(l.clock.day(ts), sym, offset)
	if err != nil {
		return err
	}
	if !d.oi || ts > d.oiTs || (ts == d.oiTs && r.Quantity > d.oiQty) {
		d.oi, d.oiQty, d.oiTs = true, r.Quantity, ts
	}
	return nil
}

func (l *dbnLoader) definition(r *dbn.InstrumentDefMsg) {
	sym := l.syms.intern(r.RawSymbol)
	day := utcDay(r.Hd.TsEvent)
	l.res.add(uint64(r.Hd.InstrumentID), day, day+1, sym)
	l.spans = append(l.spans, idSpan{uint64(r.Hd.InstrumentID), day, day + 1, sym})
	info := &l.syms.syms[sym]
	if !info.option || (r.InstrumentClass != 'C' && r.InstrumentClass != 'P') {
		l.stats.nonOptDefs++
		return
	}
	in := instrument{multiplier: 100, exchange: r.Exchange, currency: r.Currency, expiration: info.expiration}
	switch {
	case r.ContractMultiplier > 0 && r.ContractMultiplier != int32(maxInt32):
		in.multiplier = r.ContractMultiplier
	case r.UnitOfMeasureQty > 0 && r.UnitOfMeasureQty != dbn.UndefPrice:
		in.multiplier = int32(r.UnitOfMeasureQty / dbn.PriceScale)
	}
	if r.Expiration != dbn.UndefTimestamp && r.Expiration != 0 {
		// OPRA stamps the expiration at midnight UTC of the expiry date.
		in.expiration = dayTime(utcDay(r.Expiration))
	}
	l.instr[sym] = in
}

func (l *dbnLoader) symbolMapping(r *dbn.SymbolMappingMsg) {
	raw := r.StypeInSymbol
	if r.StypeIn == dbn.STypeInstrumentID || raw == "" {
		raw = r.StypeOutSymbol
	}
	sym := l.syms.intern(raw)
	start, end := utcDay(r.StartTs), utcDay(r.EndTs)
	if r.EndTs == dbn.UndefTimestamp || end <= start {
		end = start + 1
	}
	l.res.add(uint64(r.Hd.InstrumentID), start, end, sym)
	l.spans = append(l.spans, idSpan{uint64(r.Hd.InstrumentID), start, end, sym})
}

// flushThrough moves every aggregate of days ≤ last to l.rows, day by day and
// within a day in symOrder, so that the database is the same whatever order the
// records came in.
func (l *dbnLoader) flushThrough(last int32) error {
	if last <= l.done {
		return nil
	}
	for _, dr := range l.open.take(last) {
		rank := l.order.ranks(l.syms.syms)
		slices.SortFunc(dr.rows, func(a, b optRow) int { return cmp.Compare(rank[a.sym], rank[b.sym]) })
		l.stageDay(l.open.release(dr))
	}
	l.flushMinutes(last)
	l.done = last
	return nil
}

// stageDay keeps a day's option rows in l.rows and moves its underlying bars
// to l.rows.bars.
func (l *dbnLoader) stageDay(rows []optRow) {
	opts := rows[:0]
	for _, r := range rows {
		switch {
		case l.syms.syms[r.sym].option:
			opts = append(opts, r)
		case r.d.bar:
			l.rows.bars = append(l.rows.bars, r)
		}
	}
	if len(opts) > 0 {
		l.rows.options = append(l.rows.options, opts)
	}
}

func (l *dbnLoader) flushMinutes(last int32) {
	if len(l.mins) == 0 {
		return
	}
	var keys []minuteKey
	for k := range l.mins {
		if l.clock.day(uint64(k.ts-1)) <= last {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].ts != keys[j].ts {
			return keys[i].ts < keys[j].ts
		}
		return keys[i].sym < keys[j].sym
	})
	for _, k := range keys {
		l.rows.minutes = append(l.rows.minutes, minuteRow{k.ts, k.sym, *l.mins[k]})
		delete(l.mins, k)
	}
}

// notes describes what was skipped and why, for the ingest report.
func (s *loadStats) notes() []string {
	var out []string
	add := func(n int64, format string) {
		if n > 0 {
			out = append(out, fmt.Sprintf(format, n))
		}
	}
	add(s.unresolved, "%d records skipped: instrument id not in the symbol mappings or definitions for that day")
	add(s.undefined, "%d quotes skipped: a side was undefined")
	add(s.afterSnap, "%d quotes after the daily snapshot time not used for option_quotes")
	add(s.notOption, "%d quote or statistics records for non-option instruments skipped")
	add(s.otherStats, "%d statistics other than open interest skipped")
	add(s.subDailyBars, "%d bars shorter than a day skipped (daily bars only)")
	add(s.nonOptDefs, "%d definitions of non-option instruments not added to instruments")
	add(s.unknown, "%d records of record types this version does not know skipped (stepped over by their length)")
	var rtypes []int
	for rt := range s.ignored {
		rtypes = append(rtypes, int(rt))
	}
	sort.Ints(rtypes)
	for _, rt := range rtypes {
		out = append(out, fmt.Sprintf("%d records of rtype 0x%02x not loaded (no table for them)", s.ignored[dbn.RType(rt)], rt))
	}
	return out
}

package market

import (
	"iter"
	"sort"

	"github.com/optsweep/sweep/ingest/osi"
)

// fileRows holds what a DBN file's records come to, in the order they are staged,
// without touching the database: a file is decoded into fileRows (on its own
// goroutine, while the file before it is written) and loaded in its transaction.
// A day's aggregates are a few dozen bytes per contract, so a file of daily
// snapshots holds megabytes however many records it had.
type fileRows struct {
	syms    *symtab
	bulk    bulkViews // the duckdb_arrow build's views of the rows, registered before the transaction
	dataset string
	options [][]optRow // contract-days, a slice per day in day order
	bars    []optRow   // daily bars of underlyings (symbols that are not options)
	minutes []minuteRow
	instr   map[int32]instrument
	spans   []idSpan
}

// optRow is one contract-day (or underlying-day) aggregate.
type optRow struct {
	day, sym int32
	d        optDay
}

// minuteRow is one minute's last quote of a contract on its expiry day.
type minuteRow struct {
	ts  int64
	sym int32
	q   minuteQuote
}

func newFileRows(syms *symtab, dataset string) *fileRows {
	return &fileRows{syms: syms, dataset: dataset, instr: make(map[int32]instrument)}
}

// load puts every row in the staging tables of st, each table's rows in the
// order they were added: option days and id mappings in bulk (loadBulk), then
// underlying bars, minutes and instruments, which are few, through appenders.
func (fr *fileRows) load(st *stager) error {
	if err := fr.loadBulk(st); err != nil {
		return err
	}
	st.optionDays = 0
	for r := range fr.optionRows() {
		if d := &r.d; d.quote || d.bar || d.oi {
			st.optionDays++
		}
	}
	for i := range fr.bars {
		r := &fr.bars[i]
		d := &r.d
		if err := st.bar(dayTime(r.day), fr.syms.syms[r.sym].name, d.open, d.high, d.low, d.close, d.volume); err != nil {
			return err
		}
	}
	for i := range fr.minutes {
		r := &fr.minutes[i]
		if err := st.minute(r.ts, &fr.syms.syms[r.sym], &r.q); err != nil {
			return err
		}
	}
	syms := make([]int32, 0, len(fr.instr))
	for sym := range fr.instr {
		syms = append(syms, sym)
	}
	sort.Slice(syms, func(i, j int) bool { return syms[i] < syms[j] })
	for _, sym := range syms {
		info := &fr.syms.syms[sym]
		settlement := "PM"
		if osi.AMSettled(info.root) {
			settlement = "AM"
		}
		if err := st.instrument(info, fr.instr[sym], settlement, fr.dataset); err != nil {
			return err
		}
	}
	return nil
}

// optionRows yields the contract-days in staging order.
func (fr *fileRows) optionRows() iter.Seq[*optRow] {
	return func(yield func(*optRow) bool) {
		for _, day := range fr.options {
			for i := range day {
				if !yield(&day[i]) {
					return
				}
			}
		}
	}
}

// idRange returns the first start and last end day of fr's id mappings.
func (fr *fileRows) idRange() (lo, hi int32) {
	for i, sp := range fr.spans {
		if i == 0 || sp.start < lo {
			lo = sp.start
		}
		if i == 0 || sp.end > hi {
			hi = sp.end
		}
	}
	return lo, hi
}

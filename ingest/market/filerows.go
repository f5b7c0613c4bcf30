package market

import (
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
	dataset string
	options []optRow
	bars    []optRow // daily bars of underlyings (symbols that are not options)
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

// records reports how many rows fr will stage.
func (fr *fileRows) records() int {
	return len(fr.options) + len(fr.bars) + len(fr.minutes) + len(fr.instr) + len(fr.spans)
}

// load appends every row to the staging tables of st, in the order they were
// added: option days, underlying bars and minutes, then the instruments and id
// mappings.
func (fr *fileRows) load(st *stager) error {
	for i := range fr.options {
		r := &fr.options[i]
		if err := st.option(r.day, r.sym, &fr.syms.syms[r.sym], &r.d); err != nil {
			return err
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
	for _, sp := range fr.spans {
		if err := st.id(fr.dataset, sp, fr.syms.syms[sp.sym].name); err != nil {
			return err
		}
	}
	return nil
}

package market

import (
	"cmp"
	"slices"
	"strings"
)

// dayRows holds one day's aggregates of a file, found by symbol through a dense
// index: a record costs a slice index, not a map lookup and an allocation.
type dayRows struct {
	day  int32
	rows []optRow
	at   []int32 // by symbol: 1 + the index of its row in rows, 0 for none
}

// openDays are the days a file's records may still add to: a few at a time, as
// records come in time order with a day of slack.
type openDays struct {
	days []*dayRows
	free []*dayRows // released, their index cleared, for reuse
	last *dayRows   // the day the previous record went to
}

// slot returns the aggregate of sym on day, adding it when new. nsyms is the
// number of symbols known, which bounds sym. The pointer is valid until the next
// call.
func (o *openDays) slot(day, sym int32, nsyms int) *optDay {
	dr := o.last
	if dr == nil || dr.day != day {
		dr = o.find(day)
		o.last = dr
	}
	if int(sym) >= len(dr.at) {
		dr.at = append(dr.at, make([]int32, max(nsyms, int(sym)+1)-len(dr.at))...)
	}
	i := dr.at[sym]
	if i == 0 {
		dr.rows = append(dr.rows, optRow{day: day, sym: sym})
		i = int32(len(dr.rows))
		dr.at[sym] = i
	}
	return &dr.rows[i-1].d
}

// find returns the open day, opening it if need be.
func (o *openDays) find(day int32) *dayRows {
	for _, dr := range o.days {
		if dr.day == day {
			return dr
		}
	}
	var dr *dayRows
	if n := len(o.free); n > 0 {
		dr, o.free = o.free[n-1], o.free[:n-1]
	} else {
		dr = &dayRows{}
	}
	dr.day = day
	o.days = append(o.days, dr)
	return dr
}

// take removes the days up to and including last and returns them in day order.
// Give each back with release, which hands over its rows.
func (o *openDays) take(last int32) []*dayRows {
	var out []*dayRows
	kept := o.days[:0]
	for _, dr := range o.days {
		if dr.day <= last {
			out = append(out, dr)
		} else {
			kept = append(kept, dr)
		}
	}
	clear(o.days[len(kept):])
	o.days = kept
	if o.last != nil && o.last.day <= last {
		o.last = nil
	}
	slices.SortFunc(out, func(a, b *dayRows) int { return cmp.Compare(a.day, b.day) })
	return out
}

// release clears dr for reuse and returns its rows, which are the caller's:
// dr starts its next day with a new slice of as much room.
func (o *openDays) release(dr *dayRows) []optRow {
	rows := dr.rows
	for _, r := range rows {
		dr.at[r.sym] = 0
	}
	dr.rows = make([]optRow, 0, len(rows))
	o.free = append(o.free, dr)
	return rows
}

// symOrder ranks symbols in the order rows are staged: by underlying, expiry,
// strike, put or call, then name, which is the order queries filter on, so the
// market table comes out clustered without a sort in SQL. Rows are then sorted
// by rank, an integer compare.
type symOrder struct {
	rank []int32 // by symbol
}

// ranks returns the ranks of every symbol of syms, recomputing them when syms
// has grown since.
func (o *symOrder) ranks(syms []symInfo) []int32 {
	if len(o.rank) == len(syms) {
		return o.rank
	}
	idx := make([]int32, len(syms))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int { return compareSyms(&syms[a], &syms[b]) })
	o.rank = slices.Grow(o.rank[:0], len(syms))[:len(syms)]
	for r, i := range idx {
		o.rank[i] = int32(r)
	}
	return o.rank
}

// compareSyms orders two symbols as symOrder does.
func compareSyms(x, y *symInfo) int {
	switch {
	case x.underlying != y.underlying:
		return strings.Compare(x.underlying, y.underlying)
	case x.expDay != y.expDay:
		return cmp.Compare(x.expDay, y.expDay)
	case x.strike != y.strike:
		return cmp.Compare(x.strike, y.strike)
	case x.putCall != y.putCall:
		return strings.Compare(x.putCall, y.putCall)
	}
	return strings.Compare(x.name, y.name)
}

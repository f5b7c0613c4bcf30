package sim

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// chainIndex indexes one day's chain by expiration and |delta|, so that the
// scans every run of a tape repeats over the same chain (a contract's row,
// the rows of a DTE window, the candidates in a delta band) read a few rows
// instead of the whole chain. IndexChains builds it once per day held, with
// the tape; runs only read it. Rows are relative to the day's chain.
type chainIndex struct {
	exps  []int32 // the distinct expirations, ascending
	start []int32 // len(exps)+1 offsets: the rows of exps[j] are [start[j], start[j+1])
	// band[sel] lists, for each expiration j, the rows of puts (sel 0) or
	// calls (sel 1) with a delta, by ascending |delta| (then row), in
	// band[sel][at[sel][j]:at[sel][j+1]], with their |delta| alongside in
	// absDelta[sel].
	band     [2][]int32
	absDelta [2][]float64
	at       [2][]int32
	// next holds, for each row, the row of the same contract in the next
	// day's chain (succ), or -1: a position's leg follows it from day to day
	// instead of searching (Chain.legRow).
	next []int32
	succ *chainIndex
}

// IndexChains builds the per-day index of every daily chain the tape holds:
// the rows of each expiration, and the puts and calls of each expiration by
// |delta|. Prepare calls it; a tape filled otherwise (decoded from a cache)
// calls it once before runs read it. Runs work without it, more slowly.
func (t *Tape) IndexChains() {
	for k := range t.Symbols {
		s := &t.Symbols[k]
		held := len(s.DayStart) - 1
		c := &s.Chain
		if held < 0 || len(c.Expiration) != s.DayStart[held] || len(c.PutCall) != len(c.Expiration) || len(c.Delta) != len(c.Expiration) {
			s.index = nil
			continue
		}
		s.index = make([]chainIndex, held)
		day := func(i int) Chain {
			lo, hi := s.DayStart[i], s.DayStart[i+1]
			return Chain{Expiration: c.Expiration[lo:hi], PutCall: c.PutCall[lo:hi], Delta: c.Delta[lo:hi]}
		}
		for i := range held {
			d := day(i)
			s.index[i] = newChainIndex(&d)
		}
		if len(c.Strike) != len(c.Expiration) || len(c.AM) != len(c.Expiration) {
			continue
		}
		for i := 0; i+1 < held; i++ {
			s.index[i].next = link(c, s.DayStart[i], s.DayStart[i+1], s.DayStart[i+2])
			s.index[i].succ = &s.index[i+1]
		}
	}
}

// newChainIndex indexes chain c, sorted by expiration first; it reads its
// Expiration, PutCall and Delta.
func newChainIndex(c *Chain) chainIndex {
	var ix chainIndex
	n := len(c.Expiration)
	for r := range n {
		if r == 0 || c.Expiration[r] != c.Expiration[r-1] {
			ix.exps = append(ix.exps, c.Expiration[r])
			ix.start = append(ix.start, int32(r))
		}
	}
	ix.start = append(ix.start, int32(n))
	for sel, pc := range [2]byte{Put, Call} {
		at := make([]int32, 0, len(ix.exps)+1)
		var rows []int32
		for j := range ix.exps {
			at = append(at, int32(len(rows)))
			from := len(rows)
			for r := ix.start[j]; r < ix.start[j+1]; r++ {
				if c.PutCall[r] == pc && !math.IsNaN(c.Delta[r]) {
					rows = append(rows, r)
				}
			}
			slices.SortFunc(rows[from:], func(a, b int32) int {
				if d := cmp.Compare(math.Abs(c.Delta[a]), math.Abs(c.Delta[b])); d != 0 {
					return d
				}
				return cmp.Compare(a, b)
			})
		}
		at = append(at, int32(len(rows)))
		abs := make([]float64, len(rows))
		for k, r := range rows {
			abs[k] = math.Abs(c.Delta[r])
		}
		ix.band[sel], ix.absDelta[sel], ix.at[sel] = slices.Clip(rows), abs, at
	}
	return ix
}

// link returns, for each row of c in [a, b), the row of the same contract in
// [b, e) relative to b, or -1: a merge of the two days' chains, both sorted
// in less's order.
func link(c *Chain, a, b, e int) []int32 {
	next := make([]int32, b-a)
	j := b
	for r := a; r < b; r++ {
		for j < e && less(c, j, r) {
			j++
		}
		next[r-a] = -1
		if j < e && c.Expiration[j] == c.Expiration[r] && c.Strike[j] == c.Strike[r] && c.PutCall[j] == c.PutCall[r] && c.AM[j] == c.AM[r] {
			next[r-a] = int32(j - b)
		}
	}
	return next
}

// legRow returns the row of leg l's contract in c, as Find does. With the
// tape's index it remembers the row on the leg, so that the same day's next
// lookup reads it and the next day's follows the index's link.
func (c *Chain) legRow(l *Leg) int {
	ix := c.index()
	if ix == nil {
		return c.Find(l.Contract)
	}
	key := keyOf(l.Contract)
	if l.rowOf == key && l.rowAt != nil {
		switch {
		case l.rowAt == ix:
			return int(l.row)
		case l.rowAt.succ == ix && l.rowAt.next != nil && l.row >= 0:
			// A contract not in the day's chain may be in the next day's:
			// only a row found follows the link.
			r := int(l.rowAt.next[l.row])
			l.rowAt, l.row = ix, int32(r)
			return r
		}
	}
	r := c.Find(l.Contract)
	l.rowAt, l.row, l.rowOf = ix, int32(r), key
	return r
}

// rowKey is what finds a contract's row in its underlying's chain.
type rowKey struct {
	strike     float64
	expiration int32
	putCall    byte
	am         bool
}

func keyOf(c Contract) rowKey {
	return rowKey{strike: c.Strike, expiration: c.Expiration, putCall: c.PutCall, am: c.AM}
}

// expirations returns the range [j0, j1) of ix.exps in [from, to].
func (ix *chainIndex) expirations(from, to int64) (j0, j1 int) {
	e := ix.exps
	j0 = sort.Search(len(e), func(j int) bool { return int64(e[j]) >= from })
	j1 = j0 + sort.Search(len(e)-j0, func(j int) bool { return int64(e[j0+j]) > to })
	return j0, j1
}

// find returns the row of contract k, or -1: the rows of its expiration
// searched by strike, right and settlement.
func (ix *chainIndex) find(c *Chain, k Contract) int {
	e := ix.exps
	j, ok := slices.BinarySearch(e, k.Expiration)
	if !ok {
		return -1
	}
	lo, hi := int(ix.start[j]), int(ix.start[j+1])
	for lo < hi { // the first row not before k
		m := int(uint(lo+hi) >> 1)
		var after bool // Find's order, exactly
		switch {
		case c.Strike[m] != k.Strike:
			after = c.Strike[m] > k.Strike
		case c.PutCall[m] != k.PutCall:
			after = c.PutCall[m] > k.PutCall
		default:
			after = c.AM[m] || !k.AM
		}
		if !after {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < int(ix.start[j+1]) && c.Strike[lo] == k.Strike && c.PutCall[lo] == k.PutCall && c.AM[lo] == k.AM {
		return lo
	}
	return -1
}

// Select appends to dst, in chain order, the rows of contracts of right
// putCall (Put or Call) whose days to expiry as of day, Expiration - day, fall
// in [minDTE, maxDTE] and whose |delta| falls in [minDelta, maxDelta] (a NaN
// delta in none): the candidate scan of a strategy that picks by DTE and
// delta, read from the tape's index of the day's chain when it has one.
func (c *Chain) Select(dst []int, putCall byte, day int32, minDTE, maxDTE int, minDelta, maxDelta float64) []int {
	in := func(r int) bool {
		dte := int(c.Expiration[r] - day)
		d := math.Abs(c.Delta[r])
		return c.PutCall[r] == putCall && dte >= minDTE && dte <= maxDTE && d >= minDelta && d <= maxDelta
	}
	sel := 0
	if putCall == Call {
		sel = 1
	}
	from, to := int64(day)+int64(minDTE), int64(day)+int64(maxDTE)
	if c.index() == nil || (putCall != Put && putCall != Call) || to < from {
		lo, hi := c.Expiring(day, minDTE, maxDTE)
		for r := lo; r < hi; r++ {
			if in(r) {
				dst = append(dst, r)
			}
		}
		return dst
	}
	ix := c.ix
	j0, j1 := ix.expirations(from, to)
	band, abs, at := ix.band[sel], ix.absDelta[sel], ix.at[sel]
	for j := j0; j < j1; j++ {
		// The rows of band[lo:hi] have the right putCall, expiration exps[j]
		// and |delta| abs[k]: in's test without reading them.
		if dte := int(ix.exps[j] - day); dte < minDTE || dte > maxDTE {
			continue
		}
		lo, hi := int(at[j]), int(at[j+1])
		k := lo + sort.SearchFloat64s(abs[lo:hi], minDelta)
		n := len(dst)
		for ; k < hi && abs[k] <= maxDelta; k++ {
			dst = append(dst, int(band[k]))
		}
		slices.Sort(dst[n:])
	}
	return dst
}

// index returns the chain's index, nil when it has none or when its columns
// are not the rows the index was built on.
func (c *Chain) index() *chainIndex {
	if ix := c.ix; ix != nil && int(ix.start[len(ix.start)-1]) == len(c.Expiration) {
		return ix
	}
	return nil
}

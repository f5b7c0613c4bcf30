package sim

import (
	"math"
	"sort"
)

// Expiring returns the rows [lo, hi) of the chain whose days to expiry as of
// day, Expiration - day, fall in [minDTE, maxDTE]. They are contiguous, the
// chain being sorted by expiration first, so a scan for candidates by days to
// expiry reads those rows instead of the whole chain, found in O(log n).
func (c *Chain) Expiring(day int32, minDTE, maxDTE int) (lo, hi int) {
	from, to := int64(day)+int64(minDTE), int64(day)+int64(maxDTE)
	e := c.Expiration
	if to < from || to < math.MinInt32 || from > math.MaxInt32 {
		return 0, 0
	}
	if ix := c.index(); ix != nil {
		j0, j1 := ix.expirations(from, to)
		return int(ix.start[j0]), int(ix.start[j1])
	}
	lo = sort.Search(len(e), func(i int) bool { return int64(e[i]) >= from })
	hi = lo + sort.Search(len(e)-lo, func(i int) bool { return int64(e[lo+i]) > to })
	return lo, hi
}

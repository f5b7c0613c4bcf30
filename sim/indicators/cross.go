package indicators

import "math"

// Crossed reports whether series a crossed series b within the last within
// values ending at index i: for some j in (i−within, i], a[j−1] ≤ b[j−1] and
// a[j] > b[j] (up), or a[j−1] ≥ b[j−1] and a[j] < b[j] (down). NaN values
// never cross. It panics if len(a) != len(b).
func Crossed(a, b []float64, i, within int, up bool) bool {
	checkLen("Crossed", len(a), len(b))
	for j := i; j > i-within && j >= 1; j-- {
		if j >= len(a) {
			continue
		}
		p, q, r, s := a[j-1], b[j-1], a[j], b[j]
		if math.IsNaN(p) || math.IsNaN(q) || math.IsNaN(r) || math.IsNaN(s) {
			continue
		}
		if up && p <= q && r > s || !up && p >= q && r < s {
			return true
		}
	}
	return false
}

package param

import (
	"cmp"
	"slices"
)

// maxSuggestions is the most names an UnknownError suggests.
const maxSuggestions = 3

// Suggest returns up to three of names closest to name by edit distance
// (Levenshtein, in runes), closest first, ties in the order of names; names
// further than max(2, len(name)/3) edits away are not suggested. It is what
// "did you mean" hints use.
func Suggest(name string, names []string) []string { return suggest(name, names) }

// suggest returns up to maxSuggestions names closest to name by edit distance,
// closest first, ties in the order of names. Names further than
// max(2, len(name)/3) edits away are not suggested.
func suggest(name string, names []string) []string {
	limit := max(2, len([]rune(name))/3)
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, n := range names {
		if d := editDistance(name, n); d <= limit {
			cs = append(cs, cand{n, d})
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return cmp.Compare(a.d, b.d) })
	var out []string
	for _, c := range cs[:min(len(cs), maxSuggestions)] {
		out = append(out, c.name)
	}
	return out
}

// editDistance returns the Levenshtein distance between a and b, counting
// runes: the fewest insertions, deletions and substitutions that turn a
// into b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			sub := prev[j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

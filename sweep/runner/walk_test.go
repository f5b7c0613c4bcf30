package runner

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sweep/cell"
	"github.com/optsweep/sweep/sweep/results"
)

func TestPick(t *testing.T) {
	cells := []*Cell{{Key: "a"}, {Key: "b"}, {Key: "c"}, {Key: "d"}}
	tests := []struct {
		name     string
		vals     map[string]float64
		maximize bool
		want     string // "" for none
	}{
		{"max", map[string]float64{"a": 1, "b": 3, "c": 2, "d": -5}, true, "b"},
		{"min", map[string]float64{"a": 1, "b": 3, "c": 2, "d": -5}, false, "d"},
		{"max tie goes to the earliest", map[string]float64{"a": 1, "b": 3, "c": 3, "d": 3}, true, "b"},
		{"min tie goes to the earliest", map[string]float64{"a": 2, "b": 1, "c": 1, "d": 4}, false, "b"},
		{"first cell wins a tie of all", map[string]float64{"a": 0, "b": 0, "c": 0, "d": 0}, true, "a"},
		// a has no value: it cannot win even though every value is below 0.
		{"missing skipped (max)", map[string]float64{"b": -3, "c": -1, "d": -2}, true, "c"},
		// b and d have none: min of a = 5 and c = 7 is a.
		{"missing skipped (min)", map[string]float64{"a": 5, "c": 7}, false, "a"},
		{"only the last has a value", map[string]float64{"d": 9}, false, "d"},
		{"no values", map[string]float64{}, true, ""},
		{"nil values", nil, false, ""},
		{"values of other cells only", map[string]float64{"x": 1, "y": 2}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pick(cells, tt.vals, tt.maximize)
			switch {
			case tt.want == "" && got != nil:
				t.Errorf("picked %s, want none", got.Key)
			case tt.want != "" && got == nil:
				t.Errorf("picked none, want %s", tt.want)
			case got != nil && got.Key != tt.want:
				t.Errorf("picked %s, want %s", got.Key, tt.want)
			}
		})
	}
	if got := pick(nil, map[string]float64{"a": 1}, true); got != nil {
		t.Errorf("no cells: picked %s", got.Key)
	}
}

func TestGroupFolds(t *testing.T) {
	mk := func(key string, fold int, syms ...string) Cell {
		return Cell{Key: key, Fold: fold, Spec: cell.Spec{Symbols: syms}}
	}
	train := []Cell{
		mk("spy0a", 0, "SPY"),
		mk("none", -1, "SPY"), // not a train cell: left out
		mk("spy1a", 1, "SPY"),
		mk("aapl0a", 0, "AAPL"),
		mk("spy0b", 0, "SPY"),
		mk("pair0a", 0, "AAPL", "SPY"),
		mk("spy1b", 1, "SPY"),
		mk("aapl0b", 0, "AAPL"),
		mk("pair0b", 0, "AAPL", "SPY"),
	}
	// Groups in order of first appearance: (SPY, 0), (SPY, 1), (AAPL, 0),
	// (AAPL+SPY, 0); each keeps its cells in input order.
	want := []struct {
		fold int
		keys []string
	}{
		{0, []string{"spy0a", "spy0b"}},
		{1, []string{"spy1a", "spy1b"}},
		{0, []string{"aapl0a", "aapl0b"}},
		{0, []string{"pair0a", "pair0b"}},
	}
	got := groupFolds(train)
	if len(got) != len(want) {
		t.Fatalf("%d folds, want %d", len(got), len(want))
	}
	for i, f := range got {
		var keys []string
		for _, c := range f.train {
			keys = append(keys, c.Key)
		}
		if f.index != want[i].fold || !slices.Equal(keys, want[i].keys) {
			t.Errorf("fold group %d: fold %d, cells %v; want fold %d, cells %v", i, f.index, keys, want[i].fold, want[i].keys)
		}
	}
	// The groups point into train, not at copies.
	if got[0].train[0] != &train[0] {
		t.Error("group holds a copy of the cell")
	}
	if got := groupFolds([]Cell{mk("x", -1, "SPY")}); len(got) != 0 {
		t.Errorf("no train cells: %d groups", len(got))
	}
}

func TestWalkForwardNeedsFolds(t *testing.T) {
	g := parse(t, testGrid)
	_, _, err := WalkForward(context.Background(), nil, g, nil, nil, results.Run{ID: "oos"}, Options{})
	if err == nil || !strings.Contains(err.Error(), "grid.yaml: not a walk-forward grid") {
		t.Errorf("error %v", err)
	}
}

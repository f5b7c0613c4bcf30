package grid

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// day returns the UTC midnight of a YYYY-MM-DD date.
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// mustParse parses text or fails the test.
func mustParse(t *testing.T, text string) *Grid {
	t.Helper()
	g, err := Parse("grid.yaml", []byte(text))
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	return g
}

// head is the start of a valid grid, for tests that append to it.
const head = `name: t
strategy: wheel
symbols: [SPY]
dates: {from: 2023-01-03, to: 2023-06-30}
`

func TestParseForms(t *testing.T) {
	tests := []struct {
		name, text string
		check      func(*testing.T, *Grid)
	}{
		{"defaults", head, func(t *testing.T, g *Grid) {
			want := &Grid{Path: "grid.yaml", Text: head, Name: "t", Data: "data/market.duckdb", Out: "runs/results.duckdb",
				Strategy: "wheel", Settings: map[string]string{}, SymbolSets: [][]string{{"SPY"}},
				Windows: []Window{{day("2023-01-03"), day("2023-06-30")}}, Model: Model{Rate: 0.04}}
			if !reflect.DeepEqual(g, want) {
				t.Errorf("got  %+v\nwant %+v", g, want)
			}
		}},
		{"strategy mapping, settings and scalar params together", `name: t
data: d.duckdb
out: o.duckdb
strategy:
  name: wheel
  settings: {contracts: 2}
symbols: [SPY]
dates: {from: 2023-01-03, to: 2023-06-30}
params: {exit_pct: 0.6}
execution: {fill_mode: pessimistic}
model: {rate: 0.05, dividend: 0.013, american: true}
`, func(t *testing.T, g *Grid) {
			want := map[string]string{"contracts": "2", "exit_pct": "0.6", "fill_mode": "pessimistic"}
			if !reflect.DeepEqual(g.Settings, want) || g.Data != "d.duckdb" || g.Out != "o.duckdb" {
				t.Errorf("settings %v data %q out %q", g.Settings, g.Data, g.Out)
			}
			if (g.Model != Model{Rate: 0.05, Dividend: 0.013, American: true}) {
				t.Errorf("model %+v", g.Model)
			}
			if len(g.Axes) != 0 || g.Size() != 1 {
				t.Errorf("axes %v size %d, want none and 1", g.Axes, g.Size())
			}
		}},
		{"symbol set forms", `name: t
strategy: csp
symbols: [spy, "SPY,AAPL", [qqq, iwm], " msft , aapl "]
dates: {from: 2023-01-03, to: 2023-06-30}
`, func(t *testing.T, g *Grid) {
			// Upper-cased and sorted within a set; sets stay in file order.
			want := [][]string{{"SPY"}, {"AAPL", "SPY"}, {"IWM", "QQQ"}, {"AAPL", "MSFT"}}
			if !reflect.DeepEqual(g.SymbolSets, want) {
				t.Errorf("got %v, want %v", g.SymbolSets, want)
			}
		}},
		{"windows", `name: t
strategy: wheel
symbols: [SPY]
dates:
  windows:
    - {from: 2023-01-03, to: 2023-12-29}
    - {from: 2023-06-01, to: 2023-06-01}
`, func(t *testing.T, g *Grid) {
			// Overlapping windows and a one-day window are fine.
			want := []Window{{day("2023-01-03"), day("2023-12-29")}, {day("2023-06-01"), day("2023-06-01")}}
			if !reflect.DeepEqual(g.Windows, want) || g.WalkForward != nil {
				t.Errorf("got %v, want %v", g.Windows, want)
			}
		}},
		{"walk-forward goal defaults", `name: t
strategy: wheel
symbols: [SPY]
dates:
  walk_forward: {from: 2023-01-01, to: 2023-12-31, train: 6m, test: 3m, metric: max_drawdown}
`, func(t *testing.T, g *Grid) {
			wf := g.WalkForward
			// step defaults to test (3m); max_drawdown defaults to min.
			if wf.Step != "3m" || wf.Maximize || wf.Metric != "max_drawdown" || len(wf.Folds) != 2 {
				t.Errorf("got %+v", wf)
			}
		}},
		{"lists, ranges, zip, execution and seeds in axis order", `name: t
strategy: wheel
symbols: [SPY]
dates: {from: 2023-01-03, to: 2023-06-30}
seeds: [7, 8]
execution:
  fill_mode: [realistic, optimistic]
params:
  delta_min: [0.2, 0.3]
  zip:
    - {stop_loss_multiplier: [2, 3], cc_exit_pct: [0.5, 0.75]}
  dte_min: {from: 20, to: 30, step: 5}
`, func(t *testing.T, g *Grid) {
			// params in file order, then execution, then seeds, whatever
			// the order of the sections in the file.
			want := []Axis{
				{Names: []string{"delta_min"}, Values: [][]string{{"0.2"}, {"0.3"}}, Line: 9},
				{Names: []string{"stop_loss_multiplier", "cc_exit_pct"}, Values: [][]string{{"2", "0.5"}, {"3", "0.75"}}, Line: 11},
				{Names: []string{"dte_min"}, Values: [][]string{{"20"}, {"25"}, {"30"}}, Line: 12},
				{Names: []string{"fill_mode"}, Values: [][]string{{"realistic"}, {"optimistic"}}, Line: 7},
				{Names: []string{"execution_seed"}, Values: [][]string{{"7"}, {"8"}}, Line: 5},
			}
			if !reflect.DeepEqual(g.Axes, want) {
				t.Errorf("got  %v\nwant %v", g.Axes, want)
			}
			// 2 × 2 × 3 × 2 × 2 = 48
			if g.Combos() != 48 || g.Size() != 48 {
				t.Errorf("Combos %d Size %d, want 48", g.Combos(), g.Size())
			}
		}},
		{"a value valid with another axis's value is accepted", head + `params:
  delta_min: [0.3, 0.4]
  delta_max: [0.35, 0.45]
`, func(t *testing.T, g *Grid) {
			// delta_min 0.4 fails against the default delta_max 0.35 but
			// builds with delta_max 0.45.
			if g.Size() != 4 {
				t.Errorf("Size %d, want 4", g.Size())
			}
		}},
		{"seed range", head + "seeds: {from: 1, to: 3, step: 1}\n", func(t *testing.T, g *Grid) {
			if want := [][]string{{"1"}, {"2"}, {"3"}}; !reflect.DeepEqual(g.Axes[0].Values, want) {
				t.Errorf("got %v", g.Axes[0].Values)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, mustParse(t, tt.text)) })
	}
}

func TestExpandRange(t *testing.T) {
	tests := []struct {
		from, to, step string
		want           []string
	}{
		// 0.1 + 1*0.1 = 0.2, 0.1 + 2*0.1 = 0.30000000000000004 -> 0.3; (0.3-0.1)/0.1
		// = 1.9999999999999998 still counts as 2 steps.
		{"0.1", "0.3", "0.1", []string{"0.1", "0.2", "0.3"}},
		// 20, 25, 30, 35, 40: (40-20)/5 = 4 steps.
		{"20", "40", "5", []string{"20", "25", "30", "35", "40"}},
		// 20 + 3*7 = 41 > 40: the range stops at 34.
		{"20", "40", "7", []string{"20", "27", "34"}},
		{"5", "5", "1", []string{"5"}},
		// -0.2 + 2*0.1 is -2.8e-17 in floating point: snapped to 0.
		{"-0.2", "0", "0.1", []string{"-0.2", "-0.1", "0"}},
		// Integer bounds with a float step give floats.
		{"1", "2", "0.5", []string{"1", "1.5", "2"}},
		// 0.0003 + 0.0001 = 0.00039999999999999996 -> 0.0004.
		{"0.0003", "0.0005", "0.0001", []string{"0.0003", "0.0004", "0.0005"}},
		{"1e3", "3e3", "1e3", []string{"1000", "2000", "3000"}},
	}
	for _, tt := range tests {
		got, err := expandRange(tt.from, tt.to, tt.step)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("expandRange(%s, %s, %s) = %v, %v; want %v", tt.from, tt.to, tt.step, got, err, tt.want)
		}
	}
	bad := []struct{ from, to, step, msg string }{
		{"1", "2", "0", "must be positive"},
		{"1", "2", "-1", "must be positive"},
		{"0.1", "0.2", "-0.1", "must be positive"},
		{"3", "2", "1", "below from"},
		{"0.3", "0.2", "0.1", "below from"},
		{"a", "2", "1", `from "a" is not a number`},
		{"1", "inf", "1", `to "inf" is not a number`},
		{"0", "100000", "1", "more than 100000 values"}, // 100001 values
		{"0", "1", "1e-5", "more than 100000 values"},   // 100001 values
		{"-9223372036854775808", "9223372036854775807", "1", "more than 100000 values"},
	}
	for _, tt := range bad {
		if _, err := expandRange(tt.from, tt.to, tt.step); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("expandRange(%s, %s, %s) error %v, want %q", tt.from, tt.to, tt.step, err, tt.msg)
		}
	}
	// 0..99999 by 1 is exactly the limit.
	if got, err := expandRange("0", "99999", "1"); err != nil || len(got) != MaxRangeValues {
		t.Errorf("0..99999: %d values, %v", len(got), err)
	}
}

func TestOdometer(t *testing.T) {
	g := mustParse(t, `name: t
strategy: wheel
symbols: [SPY, QQQ]
dates: {from: 2023-01-03, to: 2023-06-30}
params:
  delta_min: [0.2, 0.3]
  dte_min: [30, 35]
  exit_pct: 0.6
`)
	w := Window{day("2023-01-03"), day("2023-06-30")}
	cell := func(i int, sym, delta, dte string) Cell {
		return Cell{Index: i, Symbols: []string{sym}, Window: w, Fold: -1,
			Params: map[string]string{"exit_pct": "0.6", "delta_min": delta, "dte_min": dte}}
	}
	// Symbol sets outermost (file order: SPY then QQQ), then delta_min, with
	// dte_min, the last axis, fastest.
	want := []Cell{
		cell(0, "SPY", "0.2", "30"), cell(1, "SPY", "0.2", "35"),
		cell(2, "SPY", "0.3", "30"), cell(3, "SPY", "0.3", "35"),
		cell(4, "QQQ", "0.2", "30"), cell(5, "QQQ", "0.2", "35"),
		cell(6, "QQQ", "0.3", "30"), cell(7, "QQQ", "0.3", "35"),
	}
	if got := g.Cells(); !reflect.DeepEqual(got, want) {
		t.Errorf("Cells:\n got %v\nwant %v", got, want)
	}
	// Combination 2 is delta_min 0.3 (2/2 = 1), dte_min 30 (2%2 = 0).
	if got, want := g.Combo(2), (map[string]string{"exit_pct": "0.6", "delta_min": "0.3", "dte_min": "30"}); !reflect.DeepEqual(got, want) {
		t.Errorf("Combo(2) = %v, want %v", got, want)
	}
	// Params is a fresh map per cell.
	c := g.Cell(0)
	c.Params["delta_min"] = "x"
	if g.Cell(0).Params["delta_min"] != "0.2" || g.Settings["delta_min"] != "" {
		t.Error("a cell's Params is shared")
	}
}

func TestOdometerWindowsAndZip(t *testing.T) {
	g := mustParse(t, `name: t
strategy: wheel
symbols: [SPY]
dates:
  windows:
    - {from: 2023-01-03, to: 2023-06-30}
    - {from: 2023-07-03, to: 2023-12-29}
params:
  zip:
    - {dte_min: [20, 30], dte_max: [30, 40]}
seeds: [1, 2]
`)
	// 1 set × 2 windows × (2 zip values × 2 seeds) = 8; cell 5 is window
	// 5/4 = 1, combination 5%4 = 1: zip value 1/2 = 0, seed 1%2 = 1.
	c := g.Cell(5)
	want := Cell{Index: 5, Symbols: []string{"SPY"}, Window: Window{day("2023-07-03"), day("2023-12-29")}, Fold: -1,
		Params: map[string]string{"dte_min": "20", "dte_max": "30", "execution_seed": "2"}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Cell(5) = %v, want %v", c, want)
	}
}

func TestTestdata(t *testing.T) {
	sizes := map[string]int{
		"wheel.yaml":          24,   // 3 delta_min × 2 dte_min × 2 fill_mode × 2 seeds
		"optimus.yaml":        36,   // 3 target_delta × 2 spread_width × 2 profit_target_pct × 3 stop_loss_multiplier
		"condor-monthly.yaml": 24,   // 3 vix_spike_pct × 2 target_delta × 2 wing_width × 2 min_credit
		"ivrank.yaml":         16,   // 2 sell_threshold × 2 buy_threshold × 2 target_delta × 2 (dte zip)
		"earnings.yaml":       24,   // 2 structure × 2 target_delta × 3 max_days_to_earnings × 2 max_dte
		"condor-0dte.yaml":    12,   // 3 target_delta × 2 wing_width × 2 stop_loss_mult
		"csp.yaml":            8,    // 2 windows × 2 min_daily_return × 2 max_strike_pct
		"walkforward.yaml":    48,   // 6 folds × 2 × 2 × 2
		"bench.yaml":          1000, // 10 × 10 × 10
		"demo.yaml":           12,   // 3 × 2 × 2
	}
	for name, size := range sizes {
		g, err := Load(filepath.Join("..", "testdata", name))
		if err != nil {
			t.Errorf("%s:\n%v", name, err)
			continue
		}
		if g.Size() != size {
			t.Errorf("%s: Size %d, want %d", name, g.Size(), size)
		}
		cells := g.Cells()
		for i := range cells {
			if c := g.Cell(i); !reflect.DeepEqual(c, cells[i]) || c.Index != i {
				t.Errorf("%s: Cell(%d) = %v, Cells()[%d] = %v", name, i, c, i, cells[i])
			}
		}
	}
	g, err := Load("../testdata/csp.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"AAPL", "SPY"}}; !reflect.DeepEqual(g.SymbolSets, want) {
		t.Errorf("csp.yaml symbol sets %v, want %v", g.SymbolSets, want)
	}
	if _, err := Load("../testdata/no-such-file.yaml"); err == nil {
		t.Error("Load of a missing file: no error")
	}
}

func TestFolds(t *testing.T) {
	m3, _ := parsePeriod("3m")
	m6, _ := parsePeriod("6m")
	// Fold 0 trains 2023-01-01 + 6m = 2023-07-01 (exclusive), tests 3m to
	// 2023-10-01 (exclusive). Fold 1 starts 3m later, 2023-04-01: trains to
	// 2023-09-30, tests 2023-10-01..2023-12-31. Fold 2 would start 2023-07-01
	// and test from 2024-01-01, after to: stop.
	want := []Fold{
		{Train: Window{day("2023-01-01"), day("2023-06-30")}, Test: Window{day("2023-07-01"), day("2023-09-30")}},
		{Train: Window{day("2023-04-01"), day("2023-09-30")}, Test: Window{day("2023-10-01"), day("2023-12-31")}},
	}
	if got := folds(day("2023-01-01"), day("2023-12-31"), m6, m3, m3, maxFolds); !reflect.DeepEqual(got, want) {
		t.Errorf("folds:\n got %v\nwant %v", got, want)
	}
	// The same through Parse: the train windows are the grid's windows, and
	// a cell's Fold is its window's index.
	g := mustParse(t, `name: t
strategy: wheel
symbols: [SPY]
dates:
  walk_forward: {from: 2023-01-01, to: 2023-12-31, train: 6m, test: 3m, metric: sharpe}
`)
	if !reflect.DeepEqual(g.WalkForward.Folds, want) || !reflect.DeepEqual(g.Windows, []Window{want[0].Train, want[1].Train}) {
		t.Errorf("walk-forward %+v windows %v", g.WalkForward, g.Windows)
	}
	if g.Cell(0).Fold != 0 || g.Cell(1).Fold != 1 || !g.WalkForward.Maximize {
		t.Errorf("folds of cells %d %d", g.Cell(0).Fold, g.Cell(1).Fold)
	}
	// Test windows are clipped to to: with to 2023-11-15, fold 1's test
	// window 2023-10-01..2023-12-31 ends 2023-11-15.
	got := folds(day("2023-01-01"), day("2023-11-15"), m6, m3, m3, maxFolds)
	if len(got) != 2 || got[1].Test.To != day("2023-11-15") {
		t.Errorf("clipped folds %v", got)
	}
	// Weeks and days: 2w train from 2023-01-02 (a Monday) ends 2023-01-15;
	// 3d test 2023-01-16..18; 1w step; to 2023-01-25 allows a second fold
	// (train 01-09..01-22, test 01-23..25) but not a third (test from 01-30).
	w2, _ := parsePeriod("2w")
	d3, _ := parsePeriod("3d")
	w1, _ := parsePeriod("1w")
	want = []Fold{
		{Train: Window{day("2023-01-02"), day("2023-01-15")}, Test: Window{day("2023-01-16"), day("2023-01-18")}},
		{Train: Window{day("2023-01-09"), day("2023-01-22")}, Test: Window{day("2023-01-23"), day("2023-01-25")}},
	}
	if got := folds(day("2023-01-02"), day("2023-01-25"), w2, d3, w1, maxFolds); !reflect.DeepEqual(got, want) {
		t.Errorf("week folds:\n got %v\nwant %v", got, want)
	}
}

func TestParsePeriod(t *testing.T) {
	good := map[string]period{"1d": {1, 'd'}, "2w": {2, 'w'}, "12m": {12, 'm'}, "3y": {3, 'y'}}
	for s, want := range good {
		if got, ok := parsePeriod(s); !ok || got != want {
			t.Errorf("parsePeriod(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "0m", "m", "12", "6 months", "1.5m", "-1m", "01m", "1M", "123456d"} {
		if _, ok := parsePeriod(s); ok {
			t.Errorf("parsePeriod(%q) accepted", s)
		}
	}
}

func BenchmarkParseBench(b *testing.B) {
	text := mustRead(b, "../testdata/bench.yaml")
	for b.Loop() {
		if _, err := Parse("bench.yaml", text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCells(b *testing.B) {
	g, err := Parse("bench.yaml", mustRead(b, "../testdata/bench.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_ = g.Cells()
	}
}

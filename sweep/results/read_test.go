package results

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/sim"
)

// Keys of readFixture's cells: two share a 10-character prefix.
const (
	keyOne = "abcdef0123-one"
	keyTwo = "abcdef0123-two"
	keyBT  = "fedcba9876-bt"
)

// readFixture is a database with sweep run "sw" (cells keyOne and keyTwo,
// Sharpe 1 and 2) begun on 2026-01-02 and finished, and backtest run "bt"
// (cell keyBT) begun a day later and still running.
func readFixture(t *testing.T) *DB {
	t.Helper()
	db := openMem(t)
	ctx := context.Background()
	for _, r := range []Run{
		{ID: "sw", Kind: "sweep", Name: "grid", Config: "name: g\n", EngineVersion: "v1", DataFingerprint: "f00d",
			MarketDB: "m.duckdb", Started: time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)},
		{ID: "bt", Kind: "backtest", Started: time.Date(2026, 1, 3, 9, 0, 0, 0, time.UTC)},
	} {
		if err := db.BeginRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	batch := batchOf([]string{keyOne, keyTwo}, []float64{1, 2})
	for i := range batch {
		batch[i].Cell.RunID = "sw"
	}
	bt := batchOf([]string{keyBT}, []float64{3})
	bt[0].Cell.RunID = "bt"
	for _, b := range [][]CellResult{batch, bt} {
		if err := db.WriteCells(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.FinishRun(ctx, "sw", time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC), StatusDone); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestReadRun(t *testing.T) {
	db := readFixture(t)
	tests := []struct {
		id      string
		want    RunRow
		missing bool
	}{
		{id: "sw", want: RunRow{Run: Run{ID: "sw", Kind: "sweep", Name: "grid", Config: "name: g\n", EngineVersion: "v1",
			DataFingerprint: "f00d", MarketDB: "m.duckdb", Status: StatusDone,
			Started: time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC), Finished: time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)}, Cells: 2}},
		{id: "bt", want: RunRow{Run: Run{ID: "bt", Kind: "backtest", Status: StatusRunning,
			Started: time.Date(2026, 1, 3, 9, 0, 0, 0, time.UTC)}, Cells: 1}},
		{id: "nope", missing: true},
	}
	for _, tt := range tests {
		got, err := db.ReadRun(context.Background(), tt.id)
		if tt.missing {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("ReadRun(%q) error = %v, want ErrNotFound", tt.id, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("ReadRun(%q): %v", tt.id, err)
		}
		got.Started, got.Finished = got.Started.UTC(), got.Finished.UTC()
		if tt.want.Finished.IsZero() {
			tt.want.Finished = got.Finished // zero either way, whatever its location
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ReadRun(%q) =\n %+v, want\n %+v", tt.id, got, tt.want)
		}
	}
	runs, err := db.ReadRuns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].ID != "bt" || runs[1].ID != "sw" {
		t.Errorf("ReadRuns = %+v, want bt then sw (newest first)", runs)
	}
}

func TestReadCell(t *testing.T) {
	db := readFixture(t)
	tests := []struct {
		key, want string // want "" for an error
		notFound  bool   // the error wraps ErrNotFound
	}{
		{key: keyOne, want: keyOne},
		{key: "abcdef0123-t", want: keyTwo},
		{key: "fedcba98", want: keyBT},
		{key: "abcdef0123"},                 // ambiguous
		{key: "fedcba9", notFound: true},    // too short
		{key: "0000000000", notFound: true}, // no such cell
		{key: keyOne + "x", notFound: true}, // longer than any key
	}
	for _, tt := range tests {
		c, err := db.ReadCell(context.Background(), tt.key)
		switch {
		case tt.want != "" && (err != nil || c.Key != tt.want):
			t.Errorf("ReadCell(%q) = %q, %v; want %q", tt.key, c.Key, err, tt.want)
		case tt.want == "" && err == nil:
			t.Errorf("ReadCell(%q) = %q, want an error", tt.key, c.Key)
		case tt.want == "" && errors.Is(err, ErrNotFound) != tt.notFound:
			t.Errorf("ReadCell(%q) error %v: wraps ErrNotFound = %v, want %v", tt.key, err, !tt.notFound, tt.notFound)
		}
	}
}

func TestReadRunCells(t *testing.T) {
	db := readFixture(t)
	cells, err := db.ReadRunCells(context.Background(), "sw")
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 2 || cells[0].Key != keyOne || cells[1].Key != keyTwo {
		t.Fatalf("cells of sw = %+v, want %s and %s", cells, keyOne, keyTwo)
	}
	c := cells[1]
	want := testCell(keyTwo)
	want.RunID, want.ParamTypes = "sw", nil
	if !reflect.DeepEqual(c.Cell, want) {
		t.Errorf("cell = %+v, want %+v", c.Cell, want)
	}
	if c.Window() != "2024-03-11..2024-03-15" {
		t.Errorf("Window = %s", c.Window())
	}
	// testSummary's values, NaN where it stored NULL (NaN and ±Inf).
	for _, tt := range []struct {
		metric string
		want   float64
	}{
		{"sharpe", 2}, {"trades", 2}, {"win_rate", 0.5}, {"max_drawdown_days", 1}, {"avg_loss", -105.2},
		{"roc_std", math.NaN()}, {"sortino", math.NaN()}, {"calmar", math.NaN()},
		{"open_trades", 1}, {"orders", 4}, {"rejected_orders", 1}, {"no_such_metric", math.NaN()},
	} {
		if got := c.Metric(tt.metric); got != tt.want && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("Metric(%s) = %v, want %v", tt.metric, got, tt.want)
		}
	}
	if len(c.Metrics) != len(MetricColumns()) {
		t.Errorf("Metrics has %d entries, want one per metric column (%d)", len(c.Metrics), len(MetricColumns()))
	}
	if !reflect.DeepEqual(c.ExitReasons, map[string]int{"profit_target": 1, "stop_loss": 1}) {
		t.Errorf("ExitReasons = %v", c.ExitReasons)
	}
	if !c.DDStart.Equal(ymd(2024, 3, 12)) || !c.DDTrough.Equal(ymd(2024, 3, 13)) || !c.DDEnd.Equal(ymd(2024, 3, 14)) || !c.Recovered {
		t.Errorf("drawdown %v %v %v recovered %v", c.DDStart, c.DDTrough, c.DDEnd, c.Recovered)
	}
	if cells, err := db.ReadRunCells(context.Background(), "nope"); err != nil || len(cells) != 0 {
		t.Errorf("cells of a missing run = %v, %v; want none", cells, err)
	}
}

func TestReadSeriesTrades(t *testing.T) {
	db := readFixture(t)
	ctx := context.Background()
	res := testResult()
	s, err := db.ReadSeries(ctx, keyBT)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Days, res.Days) || !reflect.DeepEqual(s.Equity, res.Equity) {
		t.Errorf("series %v %v, want %v %v", s.Days, s.Equity, res.Days, res.Equity)
	}
	// 100,104 → 99,800 is 0.30% below the running peak; the equity table
	// stores the fraction below the peak, positive.
	if dd := s.Drawdown[2]; math.Abs(dd-(1-99800/100104.0)) > 1e-12 || s.Drawdown[0] != 0 {
		t.Errorf("drawdown = %v", s.Drawdown)
	}
	trades, err := db.ReadTrades(ctx, keyBT)
	if err != nil {
		t.Fatal(err)
	}
	want := []TradeRow{
		{Symbol: "SPY", Phase: "csp", ExitReason: "profit_target", Opened: day(2024, 3, 11), Closed: day(2024, 3, 13),
			DaysHeld: 2, Gross: 52, Fees: 1.3, Net: 50.7},
		{Symbol: "SPY", Phase: "spread", ExitReason: "stop_loss", Opened: day(2024, 3, 12), Closed: day(2024, 3, 15),
			DaysHeld: 3, Gross: -100, Fees: 5.2, Net: -105.2},
		{Symbol: "SPY", Phase: "cc", ExitReason: "open", Opened: day(2024, 3, 14), Closed: -1, Fees: 0.65, Net: -0.65},
	}
	if !reflect.DeepEqual(trades, want) {
		t.Errorf("trades =\n %+v, want\n %+v", trades, want)
	}
	for _, key := range []string{"nope"} {
		if s, err := db.ReadSeries(ctx, key); err != nil || len(s.Days) != 0 {
			t.Errorf("series of %s = %v, %v", key, s, err)
		}
		if tr, err := db.ReadTrades(ctx, key); err != nil || len(tr) != 0 {
			t.Errorf("trades of %s = %v, %v", key, tr, err)
		}
	}
}

func TestReadDecisions(t *testing.T) {
	db := readFixture(t)
	tests := []struct {
		key  string
		want []sim.Note
	}{
		{keyBT, testResult().Notes},
		{"nope", nil},
	}
	for _, tt := range tests {
		got, err := db.ReadDecisions(context.Background(), tt.key)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ReadDecisions(%s) = %v, %v; want %v", tt.key, got, err, tt.want)
		}
	}
}

func TestReadFolds(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	fold := func(n int, syms []string, train float64, params map[string]string) FoldRow {
		return FoldRow{RunID: "wf", Fold: n, Symbols: syms,
			TrainFrom: ymd(2023, 1, 3), TrainTo: ymd(2023, 12, 29), TestFrom: ymd(2024, 1, 2), TestTo: ymd(2024, 3, 28),
			Metric: "sharpe", Goal: "max", TrainCellKey: "k", TrainValue: train, TestCellKey: "k/test",
			TestValue: math.NaN(), Params: params}
	}
	written := []FoldRow{fold(1, []string{"SPY"}, 1.1, map[string]string{"delta": "0.2"}),
		fold(0, []string{"SPY"}, 1.2, map[string]string{}), fold(0, []string{"IWM", "QQQ"}, 0.8, nil)}
	if err := db.WriteFolds(ctx, written); err != nil {
		t.Fatal(err)
	}
	got, err := db.ReadFolds(ctx, "wf")
	if err != nil {
		t.Fatal(err)
	}
	// By symbols, then fold; NULL test values read NaN; WriteFolds stores nil
	// parameters as {}.
	want := []FoldRow{written[2], written[1], written[0]}
	want[0].Params = map[string]string{}
	if len(got) != len(want) {
		t.Fatalf("ReadFolds = %+v, want %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if !math.IsNaN(g.TestValue) {
			t.Errorf("fold %d test value %v, want NaN", i, g.TestValue)
		}
		g.TestValue, w.TestValue = 0, 0
		if !reflect.DeepEqual(g, w) {
			t.Errorf("fold %d =\n %+v, want\n %+v", i, g, w)
		}
	}
	if got, err := db.ReadFolds(ctx, "nope"); err != nil || len(got) != 0 {
		t.Errorf("folds of a missing run = %v, %v", got, err)
	}
}

func TestReadScan(t *testing.T) {
	db := openMem(t)
	ctx := context.Background()
	s := Scan{ID: "s1", Symbol: "SPY", From: ymd(2024, 1, 2), To: ymd(2024, 6, 28), Params: `{"delta":"0.2"}`,
		Fingerprint: "f00d", Entries: 40, ChainRows: 1234, Load: 1500 * time.Millisecond, Compute: 250 * time.Millisecond,
		Created: time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC),
		Buckets: []ScanBucket{
			{DTELo: 30, DTEHi: 45, DeltaLo: 0.2, DeltaHi: 0.3, Count: 3, Open: 1, Mean: 12, Std: 4, Min: 5, Q1: 8,
				Median: 12, Q3: 15, Max: 20, WinRate: 1, ProfitFactor: math.Inf(1), MeanDays: 9.5},
			{DTELo: 30, DTEHi: 45, DeltaLo: 0.1, DeltaHi: 0.2, Count: 2, Mean: -1, Std: 3, Min: -4, Q1: -2.5,
				Median: -1, Q3: 0.5, Max: 2, WinRate: 0.5, ProfitFactor: 0.5, MeanDays: 4},
			{DTELo: 15, DTEHi: 30, DeltaLo: 0.1, DeltaHi: 0.2, Open: 2, Mean: math.NaN(), Std: math.NaN(), Min: math.NaN(),
				Q1: math.NaN(), Median: math.NaN(), Q3: math.NaN(), Max: math.NaN(), WinRate: math.NaN(),
				ProfitFactor: math.NaN(), MeanDays: math.NaN()},
		}}
	if err := db.WriteScan(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, err := db.ReadScan(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	got.Created = got.Created.UTC()
	want := s
	want.Buckets = []ScanBucket{s.Buckets[2], s.Buckets[1], s.Buckets[0]} // by DTE, then delta
	if fmtScan(got) != fmtScan(want) {
		t.Errorf("ReadScan =\n %s\nwant\n %s", fmtScan(got), fmtScan(want))
	}
	if _, err := db.ReadScan(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReadScan of a missing scan: %v, want ErrNotFound", err)
	}
}

// fmtScan prints s with its buckets, so that NaN compares equal to NaN.
func fmtScan(s Scan) string {
	b := s
	b.Buckets = nil
	out := []string{fmt.Sprintf("%+v", b)}
	for _, x := range s.Buckets {
		out = append(out, fmt.Sprintf("%+v", x))
	}
	return strings.Join(out, "\n ")
}

// TestMetricColumnsAreTheTable checks the one definition of the metric
// columns against the cell_metrics table itself: its DOUBLE and BIGINT
// columns, in table order, are MetricColumns.
func TestMetricColumnsAreTheTable(t *testing.T) {
	db := openMem(t)
	got := queryStrings(t, db, `SELECT column_name FROM information_schema.columns
		WHERE table_name = 'cell_metrics' AND data_type IN ('DOUBLE', 'BIGINT') ORDER BY ordinal_position`)
	if want := MetricColumns(); !slices.Equal(got, want) {
		t.Errorf("numeric columns of cell_metrics =\n %v\nMetricColumns =\n %v", got, want)
	}
}

package report

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sweep/results"
)

func goldenCell() results.Cell {
	return results.Cell{Key: "90d0e2a1c0ffee00" + strings.Repeat("0", 48), Strategy: "wheel",
		Symbols: []string{"SPY", "QQQ"}, From: ymd(2024, 1, 2), To: ymd(2024, 2, 29), Seed: 42,
		Params: map[string]string{"delta_min": "0.2", "dte_min": "30"}, ParamTypes: map[string]string{"delta_min": "float", "dte_min": "int"}}
}

// TestRunPageGolden checks the single-run report of the hand-worked backtest
// of goldenResult.
func TestRunPageGolden(t *testing.T) {
	db := openFixture(t, func(db *results.DB) {
		writeCell(t, db, "bt-golden", "backtest", goldenCell(), goldenResult(), nil)
	})
	d, err := Resolve(context.Background(), db, "bt-golden", DefaultMetric)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewRunPage(&d)
	if err != nil {
		t.Fatal(err)
	}
	// Returns r = +0.1, −0.1, +0.1, +0.1: mean 0.05; deviations 0.05, −0.15,
	// 0.05, 0.05 give a sample variance of 0.03/3 = 0.01, std 0.1, so Sharpe =
	// 0.05/0.1·√252 = 7.937. Downside: √(0.1²/4) = 0.05, Sortino = 0.05/0.05·√252
	// = 15.875. Total return 119,790/100,000 − 1 = 19.79% over 58 calendar days
	// (2024-01-02 to 02-29): CAGR = 1.1979^(365.25/58) − 1 = e^(6.29741·0.180572)
	// − 1 = 2.11779. Max drawdown 110,000 → 99,000 = 10%, from the peak on 01-03
	// to the recovery on 02-29 (119,790 ≥ 110,000): 57 days. Calmar = 2.11779/0.1.
	// Closed trades: nets +500, −200, +100; win rate 2/3; profit factor
	// 600/200 = 3; expectancy 400/3; gross 502 − 198 + 101 = 405; fees 5; days
	// held 1, 28 and 1: 10 on average.
	want := map[string]string{
		"CAGR": "211.78%", "Total return": "19.79%", "Sharpe": "7.94", "Sortino": "15.87",
		"Calmar": "21.18", "Max drawdown": "10.00%", "Max drawdown duration": "57",
		"Win rate": "66.67%", "Profit factor": "3.00", "Expectancy": "$133.33", "Total P&L": "$405.00",
		"Net P&L": "$400.00", "Fees": "$5.00", "Trades": "3", "Average days held": "10.0 d",
	}
	for _, s := range p.Stats {
		if w, ok := want[s.Label]; ok {
			if s.Value.Text != w {
				t.Errorf("%s = %s, want %s", s.Label, s.Value.Text, w)
			}
			delete(want, s.Label)
		}
	}
	if len(want) > 0 {
		t.Errorf("stats missing: %v", want)
	}
	if n := p.Stats[5].Note; n != "peak 2024-01-03, trough 2024-01-31, recovered 2024-02-29" {
		t.Errorf("drawdown note %q", n)
	}
	// Monthly: January ends on the 31st at 99,000 (−1% on 100,000), February at
	// 119,790 (+21% on 99,000); the year 0.99·1.21 − 1 = 19.79%.
	rows, _, z := monthGrid(&d.Series)
	if len(rows) != 1 || rows[0] != "2024" || !near(z[0][0], -1) || !near(z[0][1], 21) || !near(z[0][12], 19.79) || !math.IsNaN(z[0][2]) {
		t.Errorf("monthly grid %v %v", rows, z)
	}
	wantTable(t, "exits", p.ExitTab, [][]string{
		{"profit_target", "2", "100.00%", "$600.00", "$300.00", "$3.00", "1.0 d"},
		{"stop_loss", "1", "0.00%", "−$200.00", "−$200.00", "$2.00", "28.0 d"},
	})
	wantTable(t, "symbols", p.Symbols, [][]string{
		{"QQQ", "1", "100.00%", "$100.00", "$100.00", "$1.00", "1.0 d"},
		{"SPY", "2", "50.00%", "$300.00", "$150.00", "$4.00", "14.5 d"},
	})
	wantTable(t, "phases", p.PhaseTab, [][]string{
		{"csp", "2", "100.00%", "$600.00", "$300.00", "$3.00", "1.0 d"},
		{"cc", "1", "0.00%", "−$200.00", "−$200.00", "$2.00", "28.0 d"},
	})
	if p.Phases == "" || !strings.Contains(string(p.Phases), "covered call") {
		t.Error("phase chart missing")
	}
	var buf bytes.Buffer
	if err := WriteRun(&buf, "results.duckdb", p); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"211.78%", "f00d", "strategy=test", sim.Version, `data-points="5"`} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("report lacks %q", s)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func wantTable(t *testing.T, name string, tab Table, want [][]string) {
	t.Helper()
	if len(tab.Rows) != len(want) {
		t.Fatalf("%s: %d rows, want %d", name, len(tab.Rows), len(want))
	}
	for i, row := range tab.Rows {
		for j, v := range row {
			if v.Text != want[i][j] {
				t.Errorf("%s row %d col %s = %q, want %q", name, i, tab.Head[j], v.Text, want[i][j])
			}
		}
	}
}

func TestResolve(t *testing.T) {
	db := openFixture(t, func(db *results.DB) {
		writeCell(t, db, "bt-golden", "backtest", goldenCell(), goldenResult(), nil)
		fillSweep(t, db, "sw-1", "SPY", 3, 30)
	})
	ctx := context.Background()
	tests := []struct {
		id, metric, cell, run string
		err                   string
	}{
		{"bt-golden", "sharpe", goldenCell().Key, "bt-golden", ""},
		{"90d0e2a1", "sharpe", goldenCell().Key, "bt-golden", ""},
		// The peak of surface is (0.25, 35, 0.5), off the 3×3×3 grid of delta
		// 0.10–0.20 and dte 20–30: the best cell is delta 0.2, dte 30, exit 0.5
		// (checked below).
		{"sw-1", "sharpe", "", "sw-1", ""},
		{"nope", "sharpe", "", "", "not found"},
		{"sw-1-000", "sharpe", "", "", "ambiguous"},
	}
	for _, tt := range tests {
		d, err := Resolve(ctx, db, tt.id, tt.metric)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.id, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.id, err)
		}
		if d.Run.ID != tt.run || (tt.cell != "" && d.Cell.Key != tt.cell) {
			t.Errorf("%s: run %s cell %s", tt.id, d.Run.ID, d.Cell.Key)
		}
	}
	d, _ := Resolve(ctx, db, "sw-1", "sharpe")
	if p := d.Cell.Params; p["delta"] != "0.2" || p["dte"] != "30" || p["exit"] != "0.5" {
		t.Errorf("best cell of sw-1: %v", p)
	}
	if _, err := Resolve(ctx, db, "nope", "sharpe"); !errors.Is(err, ErrNotFound) {
		t.Errorf("not found is %v", err)
	}
}

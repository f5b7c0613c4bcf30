package report

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sweep/results"
)

// cells3x3 is a 3×3 sweep over a ∈ {1,2,3}, b ∈ {10,20,30} with Sharpe
// ratios z[a][b].
func cells3x3(z [3][3]float64) []results.CellRow {
	var out []results.CellRow
	for i, a := range []string{"1", "2", "3"} {
		for j, b := range []string{"10", "20", "30"} {
			out = append(out, results.CellRow{Cell: results.Cell{Key: fmt.Sprintf("k%d%d-0000000000", i, j), Strategy: "wheel",
				Symbols: []string{"SPY"}, From: ymd(2024, 1, 2), To: ymd(2024, 12, 31),
				Params: map[string]string{"a": a, "b": b, "fixed": "x"}},
				Metrics: map[string]float64{"sharpe": z[i][j], "trades": 10}})
		}
	}
	return out
}

func TestRobustness(t *testing.T) {
	tests := []struct {
		name      string
		z         [3][3]float64
		n         int
		mean, min float64
		verdict   string
	}{
		// Best (2,20) = 2.0 with all 8 around it: mean (1.8·4 + 1.6·4)/8 = 1.7,
		// ratio 0.85, worst 1.6/2 = 0.8: a plateau.
		{"plateau", [3][3]float64{{1.6, 1.8, 1.6}, {1.8, 2.0, 1.8}, {1.6, 1.8, 1.6}}, 8, 1.7, 1.6, "plateau"},
		// Best (2,20) = 2.0 among 0.2s and 0.6s: mean (0.2·4 + 0.6·4)/8 = 0.4,
		// ratio 0.2: a spike.
		{"spike", [3][3]float64{{0.2, 0.6, 0.2}, {0.6, 2.0, 0.6}, {0.2, 0.6, 0.2}}, 8, 0.4, 0.2, "spike"},
		// Best at the corner (1,10) = 2.0 has 3 neighbours 1.5, 1.5, 0.6: mean
		// 1.2, ratio 0.6: mixed.
		{"corner", [3][3]float64{{2.0, 1.5, 0.1}, {1.5, 0.6, 0.1}, {0.1, 0.1, 0.1}}, 3, 1.2, 0.6, "mixed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewSweepPage(results.RunRow{Run: results.Run{ID: "r"}}, cells3x3(tt.z), "sharpe", nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Axes) != 2 || p.Axes[0].Name != "a" || p.Axes[1].Name != "b" {
				t.Fatalf("axes %v", p.Axes)
			}
			r := p.Robust
			if r.Neighbours != tt.n || !near(r.ratio*p.Best.Metric("sharpe"), tt.mean) || !near(r.min, tt.min) || r.Verdict != tt.verdict {
				t.Errorf("neighbours %d mean %g min %g verdict %s", r.Neighbours, r.ratio*2, r.min, r.Verdict)
			}
			if len(p.Heatmaps) != 1 || !strings.Contains(string(p.Heatmaps[0].SVG), `data-points="9"`) {
				t.Errorf("heatmaps: %d", len(p.Heatmaps))
			}
			if len(p.Profiles) != 2 {
				t.Errorf("profiles: %d", len(p.Profiles))
			}
			if first := p.Ranked.Rows[0]; first[4].Text != p.Best.Params["a"] || first[5].Text != p.Best.Params["b"] {
				t.Errorf("ranked first row %v, best %v", first, p.Best.Params)
			}
		})
	}
}

func TestSmoothedPrefersPlateau(t *testing.T) {
	// A lone peak of 3.0 at (1,10) beside a plateau of 2.0 around (3,30):
	// the peak's neighbourhood mean is (3 + 0 + 0 + 0)/4 = 0.75; (3,30)'s is
	// (2 + 2 + 2 + 0 at (2,20))/4 = 1.5, the best; (2,30) and (3,20) average
	// (2+2+2+0+0+0)/6 = 1.
	p, err := NewSweepPage(results.RunRow{Run: results.Run{ID: "r"}}, cells3x3([3][3]float64{{3, 0, 0}, {0, 0, 2}, {0, 2, 2}}), "sharpe", nil)
	if err != nil {
		t.Fatal(err)
	}
	top := p.Robust.Smoothed.Rows[0]
	if top[1].Text != "a=3, b=30" || top[2].Text != "1.50" || top[3].Text != "4" {
		t.Errorf("smoothed top %v", top)
	}
	if p.Robust.Verdict != "spike" {
		t.Errorf("verdict %s", p.Robust.Verdict)
	}
}

func TestNeighboursSkipMissing(t *testing.T) {
	cells := cells3x3([3][3]float64{{1, 1, 1}, {1, 2, 1}, {1, 1, 1}})
	cells[0].Metrics["sharpe"] = math.NaN() // (1,10) undefined
	cells = cells[:8]                       // (3,30) never ran
	p, err := NewSweepPage(results.RunRow{Run: results.Run{ID: "r"}}, cells, "sharpe", nil)
	if err != nil {
		t.Fatal(err)
	}
	// 7 neighbours remain, one undefined: mean over 6 ones.
	if r := p.Robust; r.Neighbours != 7 || !near(r.ratio, 0.5) {
		t.Errorf("neighbours %d ratio %g", r.Neighbours, r.ratio)
	}
	if last := p.Ranked.Rows[7]; last[len(last)-9].Text != undefined {
		t.Errorf("undefined Sharpe should rank last: %v", last)
	}
}

// TestEscaping puts markup in a symbol, a parameter value and a run name:
// every report shows it as text.
func TestEscaping(t *testing.T) {
	const evil = `<script>alert("x")</script>`
	db := openFixture(t, func(db *results.DB) {
		c := goldenCell()
		c.Symbols = []string{evil}
		c.Params = map[string]string{"mode": evil, "delta_min": "0.2"}
		res := goldenResult()
		for i := range res.Trades {
			res.Trades[i].Symbol, res.Trades[i].Reason = evil, evil
		}
		writeCell(t, db, "bt-evil", "backtest", c, res, nil)
		c.Key = "aa" + c.Key[2:]
		c.Params["mode"] = "plain"
		writeCell(t, db, "bt-evil2", "backtest", c, res, nil)
	})
	ctx := context.Background()
	for name, f := range map[string]func(*bytes.Buffer) error{
		"run": func(b *bytes.Buffer) error { return RunReport(ctx, db, b, evil, "bt-evil", "sharpe") },
		"compare": func(b *bytes.Buffer) error {
			return CompareReport(ctx, db, b, evil, []string{"bt-evil", "bt-evil2"}, "sharpe")
		},
		"sweep": func(b *bytes.Buffer) error { return SweepReport(ctx, db, b, evil, "bt-evil", "sharpe") },
	} {
		var b bytes.Buffer
		if err := f(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		html := b.String()
		// SVG's namespace names are not fetched.
		html = strings.NewReplacer(`"http://www.w3.org/2000/svg"`, "", `"http://www.w3.org/1999/xlink"`, "").Replace(html)
		if n := strings.Count(html, "<script"); n != 1 {
			t.Errorf("%s: %d <script tags, want only the report's own", name, n)
		}
		if !strings.Contains(html, "&lt;script&gt;") {
			t.Errorf("%s: the escaped text is missing", name)
		}
		for _, ext := range []string{"http://", "https://", "//cdn", "src=\"http", "@import", "url("} {
			if strings.Contains(html, ext) {
				t.Errorf("%s: report refers to %q", name, ext)
			}
		}
	}
}

// TestSweepReportSize writes the report of a 1,000-cell sweep (10×10×10),
// which must stay under 5 MB.
func TestSweepReportSize(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 1,000 cells")
	}
	db := openFixture(t, func(db *results.DB) { fillSweep(t, db, "big", "SPY", 10, 20) })
	var b bytes.Buffer
	if err := SweepReport(context.Background(), db, &b, "results.duckdb", "big", "sharpe"); err != nil {
		t.Fatal(err)
	}
	t.Logf("1,000-cell sweep report: %d bytes", b.Len())
	if b.Len() > 5<<20 {
		t.Errorf("report is %d bytes, over 5 MB", b.Len())
	}
	if n := strings.Count(b.String(), "<tr>"); n < 1000 {
		t.Errorf("%d table rows, want every cell", n)
	}
}

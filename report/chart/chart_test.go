package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/optsweep/sweep/sim/metrics"
)

var samples = flag.String("samples", "", "write sample SVGs into this directory")

const evil = "<script>alert(1)</script>"

// badNumber matches an attribute with a NaN or infinite number.
var badNumber = regexp.MustCompile(`\w="[^"]*(NaN|Inf)[^"]*"`)

// jan2024 is 2024-01-01 in days since 1970-01-01: 54 years of which 13 leap years
// (1972 … 2020), 54·365 + 13 = 19723. It was a Monday.
const jan2024 = 19723

var nan = math.NaN()

// checkSVG asserts that out is one well-formed <svg> element with the chart
// markers and no script, prolog or external reference, and returns its text
// contents.
func checkSVG(t *testing.T, out []byte, kind string, points int) []string {
	t.Helper()
	prefix := fmt.Sprintf(`<svg class="chart" data-kind="%s" data-points="%d" `, kind, points)
	if !bytes.HasPrefix(out, []byte(prefix)) {
		t.Fatalf("output starts %.120q, want prefix %q", out, prefix)
	}
	for _, bad := range []string{"<script", "<?xml", "<!--", "url(", "href", "<image"} {
		if bytes.Contains(bytes.ToLower(out), []byte(bad)) {
			t.Errorf("output contains %q", bad)
		}
	}
	if m := badNumber.Find(out); m != nil {
		t.Errorf("output has a coordinate that is not a number: %s", m)
	}
	var texts []string
	dec := xml.NewDecoder(bytes.NewReader(out))
	depth, roots, inText := 0, 0, false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("output is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
			inText = tok.Name.Local == "text"
		case xml.EndElement:
			depth--
			inText = false
		case xml.CharData:
			if inText {
				texts = append(texts, string(tok))
			} else if depth == 0 && len(bytes.TrimSpace(tok)) > 0 {
				t.Errorf("text %q outside the root element", tok)
			}
		}
	}
	if roots != 1 {
		t.Errorf("%d root elements, want 1", roots)
	}
	return texts
}

// contains reports whether texts has an element equal to s.
func contains(texts []string, s string) bool { return slices.Contains(texts, s) }

// chartCase is one rendering of any chart kind.
type chartCase struct {
	name   string
	kind   string
	render func() ([]byte, error)
	points int      // expected data-points
	texts  []string // texts that must be drawn
	has    []string // substrings the SVG must contain
}

func chartCases() []chartCase {
	days := []int32{jan2024, jan2024 + 1, jan2024 + 2, jan2024 + 3, jan2024 + 4}
	equity := []float64{100, 110, nan, 105, 120}
	high := []float64{100, 110, nan, 110, 120}
	return []chartCase{
		{
			name: "lines/equity and high water", kind: "lines",
			render: func() ([]byte, error) {
				return Lines(Options{Title: "Equity", YLabel: "USD"}, days,
					Series{Name: "equity", Y: equity}, Series{Name: "high water", Y: high, Dashed: true})
			},
			// 4 finite values in each of 2 series.
			points: 8,
			texts:  []string{"Equity", "USD", "equity", "high water", "Jan 1", "Jan 2"},
			// The dashed high-water mark shares the equity curve's colour.
			has: []string{"stroke-dasharray:4,3", "stroke:#4E79A7"},
		},
		{
			name: "lines/escaped names", kind: "lines",
			render: func() ([]byte, error) {
				return Lines(Options{Title: evil, Note: evil, XLabel: evil, YLabel: evil}, days,
					Series{Name: evil, Y: equity}, Series{Name: "b\x00\x1b\n", Y: []float64{1, 2, 3, 4, math.Inf(1)}})
			},
			points: 8, // 4 + 4
			texts:  []string{evil, "b\uFFFD\uFFFD "},
			has:    []string{"&lt;script&gt;"},
		},
		{
			name: "lines/empty", kind: "lines",
			render: func() ([]byte, error) { return Lines(Options{Title: "Equity"}, nil) },
			texts:  []string{"Equity", "no data"},
		},
		{
			name: "lines/all NaN", kind: "lines",
			render: func() ([]byte, error) {
				return Lines(Options{}, days[:2], Series{Y: []float64{nan, math.Inf(-1)}})
			},
			texts: []string{"no data"},
		},
		{
			name: "lines/one point", kind: "lines",
			render: func() ([]byte, error) { return Lines(Options{}, days[:1], Series{Y: []float64{5}}) },
			points: 1,
			has:    []string{"A1.5,1.5"}, // the dot drawn for a lone point
		},
		{
			name: "underwater", kind: "underwater",
			render: func() ([]byte, error) {
				return Underwater(Options{Title: "Drawdown"}, days, []float64{0, -0.1, -0.25, 0, nan})
			},
			points: 4,
			texts:  []string{"Drawdown", "0%"},
			has:    []string{"fill:#F2B8B5"},
		},
		{
			name: "underwater/empty", kind: "underwater",
			render: func() ([]byte, error) { return Underwater(Options{}, nil, nil) },
			texts:  []string{"no data"},
		},
		{
			name: "heatmap/diverging", kind: "heatmap",
			render: func() ([]byte, error) {
				return Heatmap(Options{Title: "Monthly returns"}, []string{"2023", "2024"}, []string{"Jan", "Feb"},
					[][]float64{{1.5, -2}, {nan, 0.3}}, "%.1f%%")
			},
			points: 3,
			texts:  []string{"2023", "2024", "Jan", "Feb", "1.5%", "-2.0%", "0.3%"},
			// −2 has the largest size, so it gets the full red; NaN is grey.
			has: []string{"fill:#B2182B", "fill:#E3E3E3"},
		},
		{
			name: "heatmap/sequential", kind: "heatmap",
			render: func() ([]byte, error) {
				return Heatmap(Options{Scale: Sequential, Note: "width=5 held fixed"}, []string{"a", "b"}, []string{evil},
					[][]float64{{-2}, {1.5}}, "")
			},
			points: 2,
			texts:  []string{evil, "width=5 held fixed", "-2", "1.5"},
			// The smallest value gets the pale end, the largest the dark end.
			has: []string{"fill:#F7FBFF", "fill:#08306B"},
		},
		{
			name: "heatmap/empty", kind: "heatmap",
			render: func() ([]byte, error) { return Heatmap(Options{}, nil, nil, nil, "") },
			texts:  []string{"no data"},
		},
		{
			name: "histogram", kind: "histogram",
			render: func() ([]byte, error) {
				return Histogram(Options{Title: "Trade P&L"}, []float64{-3, -1, 1, 2, 5, nan}, 4)
			},
			points: 5,
			texts:  []string{"Trade P&L"},
			has:    []string{"fill:#E15759", "fill:#4E79A7"}, // red and blue bins
		},
		{
			name: "histogram/empty", kind: "histogram",
			render: func() ([]byte, error) { return Histogram(Options{}, []float64{nan}, 0) },
			texts:  []string{"no data"},
		},
		{
			name: "bars", kind: "bars",
			render: func() ([]byte, error) {
				return Bars(Options{Title: "Exit reasons", XLabel: "reason", YLabel: "trades"},
					[]string{"expiry", "stop", evil}, []float64{10, -3, nan})
			},
			points: 2,
			texts:  []string{"expiry", "stop", evil, "10", "-3", "reason", "trades"},
			// The value axis, at the bottom, is labelled without rotation; the
			// label axis, at the left, with.
			has: []string{`style="font-size:10px;fill:#222222">trades</text>`, `rotate(90)`},
		},
		{
			name: "bars/format", kind: "bars",
			render: func() ([]byte, error) {
				return Bars(Options{Format: "$%.2f"}, []string{"SPY"}, []float64{12345.678})
			},
			points: 1,
			texts:  []string{"$12345.68"},
		},
		{
			name: "bars/empty", kind: "bars",
			render: func() ([]byte, error) { return Bars(Options{}, nil, nil) },
			texts:  []string{"no data"},
		},
	}
}

func TestCharts(t *testing.T) {
	for _, tc := range chartCases() {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.render()
			if err != nil {
				t.Fatal(err)
			}
			texts := checkSVG(t, out, tc.kind, tc.points)
			for _, s := range tc.texts {
				if !contains(texts, s) {
					t.Errorf("no text %q among %q", s, texts)
				}
			}
			for _, s := range tc.has {
				if !bytes.Contains(out, []byte(s)) {
					t.Errorf("output lacks %q", s)
				}
			}
			again, err := tc.render()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, again) {
				t.Error("two renders differ")
			}
		})
	}
}

func TestConcurrent(t *testing.T) {
	days, eq := sampleDays(200, 1)
	render := func() ([]byte, error) { return Lines(Options{Title: "Equity"}, days, Series{Name: "equity", Y: eq}) }
	want, err := render()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := render()
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("concurrent render differs (err %v)", err)
			}
		})
	}
	wg.Wait()
}

func TestExtremes(t *testing.T) {
	huge := []float64{-1e300, 1e300} // the largest sizes drawn
	for _, tc := range []struct {
		name   string
		kind   string
		points int
		render func() ([]byte, error)
	}{
		{"histogram of huge values", "histogram", 2, func() ([]byte, error) { return Histogram(Options{}, huge, 3) }},
		{"lines of huge values", "lines", 2, func() ([]byte, error) { return Lines(Options{}, []int32{0, 1}, Series{Y: huge}) }},
		{"bars of huge values", "bars", 2, func() ([]byte, error) { return Bars(Options{}, []string{"a", "b"}, huge) }},
		{"heatmap with many rows", "heatmap", 300, func() ([]byte, error) {
			rows, z := make([]string, 300), make([][]float64, 300)
			for i := range rows {
				rows[i], z[i] = fmt.Sprint(i), []float64{float64(i)}
			}
			return Heatmap(Options{}, rows, []string{"x"}, z, "")
		}},
		{"too large to draw", "lines", 1, func() ([]byte, error) {
			return Lines(Options{}, []int32{0, 1}, Series{Y: []float64{1, math.MaxFloat64}})
		}},
		{"bad size", "lines", 1, func() ([]byte, error) {
			return Lines(Options{Width: math.NaN(), Height: -5}, []int32{0}, Series{Y: []float64{1}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.render()
			if err != nil {
				t.Fatal(err)
			}
			checkSVG(t, out, tc.kind, tc.points)
		})
	}
}

func TestErrors(t *testing.T) {
	days := []int32{1, 2, 3}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"lines", second(Lines(Options{}, days, Series{Y: []float64{1, 2}}))},
		{"underwater", second(Underwater(Options{}, days, []float64{0}))},
		{"heatmap rows", second(Heatmap(Options{}, []string{"a"}, []string{"x"}, nil, ""))},
		{"heatmap ragged", second(Heatmap(Options{}, []string{"a", "b"}, []string{"x"}, [][]float64{{1}, {1, 2}}, ""))},
		{"bars", second(Bars(Options{}, []string{"a"}, nil))},
	} {
		if tc.err == nil || !strings.HasPrefix(tc.err.Error(), "chart: ") {
			t.Errorf("%s: err = %v, want a chart error", tc.name, tc.err)
		}
	}
}

func second(_ []byte, err error) error { return err }

func TestSize(t *testing.T) {
	for _, tc := range []struct {
		name string
		out  func() ([]byte, error)
		want string
	}{
		{"default", func() ([]byte, error) { return Lines(Options{}, nil) }, `width="720pt" height="280pt"`},
		{"set", func() ([]byte, error) { return Lines(Options{Width: 300, Height: 200}, nil) }, `width="300pt" height="200pt"`},
		// 40 bars need 40·16 + 50 + 2·6 = 702 points.
		{"tall bars", func() ([]byte, error) {
			return Bars(Options{}, make([]string, 40), make([]float64, 40))
		}, `width="720pt" height="702pt"`},
	} {
		out, err := tc.out()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(out, []byte(tc.want)) {
			t.Errorf("%s: output %.200q lacks %q", tc.name, out, tc.want)
		}
	}
}

func TestDateTicks(t *testing.T) {
	type tick struct {
		day   float64
		label string
	}
	for _, tc := range []struct {
		name   string
		lo, hi float64
		want   []tick
	}{
		{
			// 30 days: 15 ticks every 2 days would be too many, so weekly on Mondays.
			name: "weeks", lo: jan2024, hi: jan2024 + 30,
			want: []tick{{jan2024, "Jan 1"}, {jan2024 + 7, "Jan 8"}, {jan2024 + 14, "Jan 15"},
				{jan2024 + 21, "Jan 22"}, {jan2024 + 28, "Jan 29"}},
		},
		{
			// 2024: 12 months, 6 ticks every 2 months. Mar 1 is 31 + 29 days in.
			name: "year", lo: jan2024, hi: jan2024 + 365,
			want: []tick{{jan2024, "Jan 2024"}, {jan2024 + 60, "Mar"}, {jan2024 + 60 + 31 + 30, "May"},
				{jan2024 + 182, "Jul"}, {jan2024 + 182 + 31 + 31, "Sep"}, {jan2024 + 182 + 31 + 31 + 30 + 31, "Nov"}},
		},
		{
			// 2024-01-05 … 2026-12-31, 36 months: half years. The first tick is Jul 2024
			// (182 days in: 31+29+31+30+31+30); 2024 has 366 days, 2025 365.
			name: "years", lo: jan2024 + 4, hi: jan2024 + 366 + 365 + 364,
			want: []tick{{jan2024 + 182, "Jul 2024"}, {jan2024 + 366, "Jan 2025"}, {jan2024 + 366 + 181, "Jul"},
				{jan2024 + 366 + 365, "Jan 2026"}, {jan2024 + 366 + 365 + 181, "Jul"}},
		},
		{
			// 2000-01-01 (day 10957) … 2024-01-01: 24 years, every 5.
			name: "decades", lo: 10957, hi: jan2024,
			want: []tick{{10957, "2000"}, {10957 + 5*365 + 2, "2005"}, {10957 + 10*365 + 3, "2010"},
				{10957 + 15*365 + 4, "2015"}, {10957 + 20*365 + 5, "2020"}},
		},
	} {
		var got []tick
		for _, tk := range (dateTicks{}).Ticks(tc.lo, tc.hi) {
			got = append(got, tick{tk.Value, tk.Label})
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: ticks %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{1234.6, "1235"},
		{12345, "12.3k"},
		{-0.0042, "-0.0042"},
		{2.5e6, "2.5M"},
		{0, "0"},
		{1e300, "1e+291G"},
	} {
		if got := compact(tc.v); got != tc.want {
			t.Errorf("compact(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
	for _, tc := range []struct {
		step float64
		want int
	}{{5, 0}, {0.5, 1}, {0.25, 2}, {2000, 0}, {0, 0}} {
		if got := decimals(tc.step); got != tc.want {
			t.Errorf("decimals(%v) = %d, want %d", tc.step, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name   string
		t      numTicks
		lo, hi float64
		want   []string
	}{
		// (100000 − 0)/5 = 20000 = 2·10⁴, a nice step; the largest size is ≥ 10⁴, so k.
		{"thousands", numTicks{}, 0, 100000, []string{"0", "20k", "40k", "60k", "80k", "100k"}},
		// 26/5 = 5.2 rounds to 5.
		{"percent", numTicks{suffix: "%"}, -26, 0, []string{"-25%", "-20%", "-15%", "-10%", "-5%", "0%"}},
		// 0.5/5 = 0.1 for fractions.
		{"fractions", numTicks{}, 0, 0.5, []string{"0", "0.1", "0.2", "0.3", "0.4", "0.5"}},
		{"counts", numTicks{integers: true}, 0, 3, []string{"0", "1", "2", "3"}},
		// 12/5 = 2.4 rounds to 2.5, except for counts, which take 2.
		{"quarter steps", numTicks{}, 0, 12, []string{"0", "2.5", "5.0", "7.5", "10.0"}},
		{"count steps", numTicks{integers: true}, 0, 12, []string{"0", "2", "4", "6", "8", "10", "12"}},
		// 1.2M/5 = 240000 rounds to 250000: 0.25M steps.
		{"millions", numTicks{}, 0, 1.2e6, []string{"0", "0.25M", "0.50M", "0.75M", "1.00M"}},
		{"empty range", numTicks{}, 1, 1, nil},
	} {
		var got []string
		for _, tk := range tc.t.Ticks(tc.lo, tc.hi) {
			got = append(got, tk.Label)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: labels %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestBinning(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []float64
		bins   int
		lo, w  float64
		counts []int
	}{
		// w = (5 − −3)/4 = 2; lo = ⌊−3/2⌋·2 = −4 so 0 is an edge; ⌈(5 − −4)/2⌉ = 5 bins:
		// [−4,−2) −3, [−2,0) −1, [0,2) 1, [2,4) 2, [4,6) 5.
		{"straddles zero", []float64{-3, -1, 1, 2, 5, nan}, 4, -4, 2, []int{1, 1, 1, 1, 1}},
		// w = (4 − 1)/3 = 1: [1,2) 1, [2,3) 2, [3,4] 3 and 4.
		{"positive", []float64{1, 2, 3, 4}, 3, 1, 1, []int{1, 1, 2}},
		// Equal values: one bin 10% of 5 wide, centred: [4.75, 5.25).
		{"equal", []float64{5, 5, math.Inf(1)}, 10, 4.75, 0.5, []int{2}},
		{"zeros", []float64{0}, 3, -0.5, 1, []int{1}},
	} {
		lo, w, counts := binning(tc.values, tc.bins)
		if lo != tc.lo || w != tc.w || !slices.Equal(counts, tc.counts) {
			t.Errorf("%s: binning = %v, %v, %v, want %v, %v, %v", tc.name, lo, w, counts, tc.lo, tc.w, tc.counts)
		}
	}
}

func TestMonthlyGrid(t *testing.T) {
	rows, cols, z := MonthlyGrid([]metrics.Month{
		{Year: 2023, Month: time.November, Return: 0.01},
		{Year: 2024, Month: time.February, Return: -0.02},
	})
	if !slices.Equal(rows, []string{"2023", "2024"}) || len(cols) != 12 || cols[0] != "Jan" || cols[11] != "Dec" {
		t.Fatalf("rows %q cols %q", rows, cols)
	}
	for i, r := range z {
		for j, v := range r {
			want := nan
			switch {
			case i == 0 && j == 10:
				want = 1 // 0.01 in percent
			case i == 1 && j == 1:
				want = -2
			}
			if v != want && !(math.IsNaN(v) && math.IsNaN(want)) {
				t.Errorf("z[%d][%d] = %v, want %v", i, j, v, want)
			}
		}
	}
	if rows, _, z := MonthlyGrid(nil); rows != nil || z != nil {
		t.Errorf("MonthlyGrid(nil) = %q, %v", rows, z)
	}
}

func TestClean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain <b>", "plain <b>"}, // escaping is the backend's job
		{"a\nb\tc", "a b c"},
		{"x\x00y\x1bz", "x\uFFFDy\uFFFDz"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"\uFFFE", "\uFFFD"},
	} {
		if got := clean(tc.in); got != tc.want {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// sampleDays returns n weekdays from 2022-01-03 and a random walk of equity.
func sampleDays(n int, seed uint64) ([]int32, []float64) {
	r := rand.New(rand.NewPCG(seed, 1))
	days := make([]int32, n)
	eq := make([]float64, n)
	d, e := int32(18995), 100000.0 // 2022-01-03, a Monday
	for i := range days {
		if (d+3)%7 == 5 { // Saturday
			d += 2
		}
		days[i], eq[i] = d, e
		d++
		e *= 1 + 0.0004 + 0.01*r.NormFloat64()
	}
	return days, eq
}

// TestSamples renders a realistic chart of every kind, checks that each is
// well-formed and small, and with -samples writes them into that directory.
func TestSamples(t *testing.T) {
	days, eq := sampleDays(500, 1)
	hw := make([]float64, len(eq))
	metrics.HighWater(hw, eq)
	dd := make([]float64, len(eq))
	metrics.Drawdown(dd, eq)
	_, eq2 := sampleDays(500, 2)
	_, eq3 := sampleDays(500, 3)
	rows, cols, monthly := MonthlyGrid(metrics.MonthlyReturns(days, eq))
	r := rand.New(rand.NewPCG(7, 7))
	pnl := make([]float64, 300)
	for i := range pnl {
		pnl[i] = 150 + 400*r.NormFloat64()
	}
	prow, pcol := make([]string, 20), make([]string, 50)
	grid := make([][]float64, len(prow))
	for i := range prow {
		prow[i] = fmt.Sprintf("%.2f", 0.05+0.01*float64(i))
		grid[i] = make([]float64, len(pcol))
		for j := range pcol {
			pcol[j] = fmt.Sprint(7 + j)
			grid[i][j] = 1.5 - math.Hypot(float64(i-8)/6, float64(j-20)/15) + 0.2*r.NormFloat64()
		}
	}
	grid[3][4] = nan
	months := len(metrics.MonthlyReturns(days, eq))
	for _, s := range []struct {
		name   string
		points int
		render func() ([]byte, error)
	}{
		{"equity", 1000, func() ([]byte, error) {
			return Lines(Options{Title: "Equity", YLabel: "USD"}, days,
				Series{Name: "equity", Y: eq}, Series{Name: "high water", Y: hw, Dashed: true})
		}},
		{"compare", 1500, func() ([]byte, error) {
			return Lines(Options{Title: "Compare runs", YLabel: "USD"}, days,
				Series{Name: "wheel Δ0.30", Y: eq}, Series{Name: "put spread", Y: eq2}, Series{Name: "condor", Y: eq3})
		}},
		{"underwater", 500, func() ([]byte, error) { return Underwater(Options{Title: "Drawdown"}, days, dd) }},
		{"monthly", months, func() ([]byte, error) {
			return Heatmap(Options{Title: "Monthly returns", Height: 160}, rows, cols, monthly, "%.1f%%")
		}},
		{"sweep", 999, func() ([]byte, error) {
			return Heatmap(Options{Title: "Sharpe by delta × DTE", Note: "held fixed: width=5, profit_take=50%",
				XLabel: "DTE", YLabel: "delta", Height: 520, Scale: Sequential}, prow, pcol, grid, "%.2f")
		}},
		{"histogram", 300, func() ([]byte, error) {
			return Histogram(Options{Title: "Trade P&L", XLabel: "USD", YLabel: "trades"}, pnl, 0)
		}},
		{"bars", 5, func() ([]byte, error) {
			return Bars(Options{Title: "P&L by symbol"}, []string{"SPY", "QQQ", "IWM", "AAPL", "TSLA"},
				[]float64{12500, 8300.5, -2100, 450, -7800})
		}},
	} {
		out, err := s.render()
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		checkSVG(t, out, regexp.MustCompile(`data-kind="(\w+)"`).FindStringSubmatch(string(out))[1], s.points)
		t.Logf("%-10s %6d bytes", s.name, len(out))
		if len(out) > 200_000 {
			t.Errorf("%s: %d bytes, want at most 200 kB", s.name, len(out))
		}
		if *samples != "" {
			if err := os.WriteFile(filepath.Join(*samples, s.name+".svg"), out, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func BenchmarkLines500(b *testing.B) {
	days, eq := sampleDays(500, 1)
	hw := make([]float64, len(eq))
	metrics.HighWater(hw, eq)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		out, err := Lines(Options{Title: "Equity"}, days, Series{Name: "equity", Y: eq}, Series{Name: "high water", Y: hw, Dashed: true})
		if err != nil {
			b.Fatal(err)
		}
		n = len(out)
	}
	b.ReportMetric(float64(n), "bytes/svg")
}

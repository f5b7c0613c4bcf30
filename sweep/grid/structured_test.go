package grid

import (
	"strings"
	"testing"
)

const legsGrid = `name: legs
strategy: legs
symbols: [SPY]
dates: {from: 2024-01-02, to: 2024-03-28}
params:
  preset: strangle
  legs[0].delta: [0.16, 0.2]
  legs[1].delta: {from: 0.1, to: 0.2, step: 0.05}
  signal:
    all:
      - sma: {period: 50, position: above}
      - rsi:
          period: 14
          below: 70
`

// A signal written as YAML reaches the strategy as JSON, and legs[i].x
// parameters vary like any other.
func TestStructuredValue(t *testing.T) {
	g, err := Parse("legs.yaml", []byte(legsGrid))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"all":[{"sma":{"period":50,"position":"above"}},{"rsi":{"below":70,"period":14}}]}`
	if g.Settings["signal"] != want {
		t.Errorf("signal %q, want %q", g.Settings["signal"], want)
	}
	if g.Size() != 6 || g.Cell(5).Params["legs[0].delta"] != "0.2" || g.Cell(5).Params["legs[1].delta"] != "0.2" {
		t.Errorf("cells %d, last %v", g.Size(), g.Cell(5).Params)
	}
}

// A mistake inside a signal is reported at its own line: the setting, the
// list item or the kind.
func TestStructuredErrors(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		line     int
		msg      string
	}{
		{"period: 14", "period: 0", 13, "rsi.period"},
		{"below: 70", "belwo: 70", 14, `unknown setting "belwo"`},
		{"- sma: {period: 50, position: above}", "- smaa: {period: 50}", 11, `unknown signal kind "smaa"`},
	} {
		text := strings.Replace(legsGrid, tc.from, tc.to, 1)
		_, err := Parse("legs.yaml", []byte(text))
		wantError(t, err, tc.line, tc.msg)
	}
	// An axis of signals: each list item is one value, checked at its line.
	axis := strings.Replace(legsGrid, `  signal:
    all:
      - sma: {period: 50, position: above}
      - rsi:
          period: 14
          below: 70
`, `  signal:
    - {vix: {below: 20}}
    - {vix: {below: 20, above: 30}}
`, 1)
	g, err := Parse("legs.yaml", []byte(strings.Replace(axis, "above: 30", "above: 10", 1)))
	if err != nil || g.Size() != 12 {
		t.Fatalf("axis of signals: %v", err)
	}
	_, err = Parse("legs.yaml", []byte(axis))
	wantError(t, err, 11, "vix.below")
}

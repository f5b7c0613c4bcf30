package grid

import (
	"strings"
	"testing"
)

// A fixed value that the defaults reject is valid when every combination
// overrides the default it clashes with: dte_max 25 is below the default
// dte_min of 30, but every cell sets dte_min to 10 or 14.
func TestFixedNeedsAxis(t *testing.T) {
	ok := `name: g
strategy: {name: wheel, settings: {dte_max: 25}}
symbols: [SPY]
dates: {from: 2024-01-02, to: 2024-03-28}
params:
  dte_min: [10, 14]
  exit_pct: [0.5, 0.75]
`
	if _, err := Parse("ok.yaml", []byte(ok)); err != nil {
		t.Fatalf("rejected: %v", err)
	}
	// Without the axis, the clash is reported on the fixed value's line.
	bad := strings.Replace(ok, "  dte_min: [10, 14]\n", "", 1)
	_, err := Parse("bad.yaml", []byte(bad))
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:2:") || !strings.Contains(err.Error(), "dte_max") {
		t.Fatalf("got %v, want the clash on line 2", err)
	}
}

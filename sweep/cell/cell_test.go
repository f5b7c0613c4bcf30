package cell

import (
	"testing"
	"time"
)

// TestCanonical pins the text a cell's key hashes: a change to it changes
// every key, and a results DB would no longer recognise its stored cells.
func TestCanonical(t *testing.T) {
	s := Spec{Strategy: "wheel", Symbols: []string{"SPY", "AAPL"},
		From: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 28, 0, 0, 0, 0, time.UTC),
		Model: "rate=0.04", Fingerprint: "fp", Params: map[string]string{"dte_min": "30", "delta_min": "0.25"}}
	const want = "strategy=wheel\nsymbols=AAPL,SPY\nfrom=2024-01-02\nto=2024-03-28\nmodel=rate=0.04\ndata=fp\n" +
		"delta_min=0.25\ndte_min=30\n"
	if got := s.Canonical(); got != want {
		t.Errorf("Canonical() = %q\nwant %q", got, want)
	}
	if s.Key() == (Spec{Strategy: "wheel"}).Key() || len(s.Key()) != 64 {
		t.Errorf("key %q", s.Key())
	}
}

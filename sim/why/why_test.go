package why

import (
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
)

func TestDiagnose(t *testing.T) {
	n := func(day int32, kind, text string) sim.Note {
		return sim.Note{Day: day, Symbol: "X", Kind: kind, Text: text}
	}
	tests := []struct {
		name     string
		strategy string
		sessions int
		notes    []sim.Note
		top      string // the top reason's key
		count    int    // its sessions
	}{
		{"optimus: the failed gate, with the value that failed most", "optimus", 4, []sim.Note{
			n(1, "ENTRY_EVAL", "gate=1 name=regime value=bear_trend threshold=not_crisis_or_bear result=FAIL"),
			n(1, "ENTRY_EVAL", "signal=NO_TRADE failed=regime gates_evaluated=1 signal_bar=2018-12-31 remaining_gates=not_evaluated"),
			n(2, "ENTRY_EVAL", "gate=1 name=regime value=crisis threshold=not_crisis_or_bear result=FAIL"),
			n(2, "ENTRY_EVAL", "signal=NO_TRADE failed=regime gates_evaluated=1 signal_bar=2019-01-02 remaining_gates=not_evaluated"),
			n(3, "ENTRY_EVAL", "gate=1 name=regime value=bear_trend threshold=not_crisis_or_bear result=FAIL"),
			n(3, "ENTRY_EVAL", "signal=NO_TRADE failed=regime gates_evaluated=1 signal_bar=2019-01-03 remaining_gates=not_evaluated"),
			n(4, "ENTRY_EVAL", "gate=1 name=regime value=bullish_calm threshold=not_crisis_or_bear result=PASS"),
			n(4, "ENTRY_EVAL", "gate=2 name=iv_rank value=47.0 threshold=>50 result=FAIL"),
			n(4, "ENTRY_EVAL", "signal=NO_TRADE failed=iv_rank gates_evaluated=2 signal_bar=2019-01-04 remaining_gates=not_evaluated"),
		}, "optimus gate regime (most often bear_trend)", 3},
		{"csp: each equity failure once per session, whatever its values", "csp", 3, []sim.Note{
			n(1, "equity", "fail: price 55.00 <= SMA(8) 55.81; price 55.00 <= SMA(20) 55.35"),
			n(1, "equity", "fail: price 12.00 <= SMA(8) 12.50"), // another symbol, same session
			n(2, "equity", "fail: price 56.00 <= SMA(8) 56.10"),
			n(3, "options", "10 puts in strikes [87.06, 171.27] DTE [1, 10], 0 passed; failed: premium 10, strike>max_pct 7"),
		}, "equity filter: price # <= SMA(8) #", 2},
		{"csp: the options filter and the VIX table", "csp", 3, []sim.Note{
			n(1, "options", "10 puts in strikes [87.06, 171.27] DTE [1, 10], 0 passed; failed: premium 10, strike>max_pct 7"),
			n(2, "options", "6 puts in strikes [94.07, 182.93] DTE [1, 10], 0 passed; failed: premium 6"),
			n(3, "entry", "no cash to deploy: VIX 11.57 deploys 0 of $1000000, $0 committed"),
		}, "options filter: premium", 2},
		{"ivrank and earnings: the reason after the context", "ivrank", 3, []sim.Note{
			n(1, "ENTRY_EVAL", "regime neutral, IV rank NaN: no IV rank (warm-up: 12 of 252 sessions)"),
			n(2, "ENTRY_EVAL", "regime neutral, IV rank NaN: no IV rank (warm-up: 13 of 252 sessions)"),
			n(3, "ENTRY_EVAL", "regime neutral, IV rank 0.41: neutral regime, no new positions"),
		}, "no IV rank (warm-up: # of # sessions)", 2},
		{"condor-monthly: sessions without a VIX spike", "condor-monthly", 5, []sim.Note{
			n(2, "VIX_SPIKE", "VIX 19.38 vs 15.60: +24.23% ≥ 20.00% (now basis)"),
		}, "no VIX spike (vix_spike_pct not reached)", 4},
		{"wheel: empty candidate lists and buying power", "wheel", 3, []sim.Note{
			n(1, "candidates", "0 puts pass DTE [30, 45], |delta| [0.25, 0.35] and the liquidity limits"),
			n(2, "candidates", "4 puts pass DTE [30, 45], |delta| [0.25, 0.35] and the liquidity limits"),
			n(2, "buying_power", "3 candidates skipped: $120.00 of buying power left"),
			n(3, "buying_power", "3 candidates skipped: $80.00 of buying power left"),
		}, "not enough buying power", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Diagnose(tc.strategy, tc.sessions, tc.notes)
			top, ok := d.Top()
			if !ok || top.Key != tc.top || top.Sessions != tc.count {
				t.Fatalf("top %+v (%v), want %q on %d sessions; all %+v", top, ok, tc.top, tc.count, d.Reasons)
			}
			if l := d.Lines(1); len(l) != 1 || !strings.HasPrefix(l[0], tc.top) {
				t.Errorf("lines %q", l)
			}
		})
	}
	if d := Diagnose("wheel", 3, nil); len(d.Reasons) != 0 {
		t.Errorf("empty log: %+v", d.Reasons)
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"price 55.00 <= SMA(20) 55.35":                   "price # <= SMA(20) #",
		"RSI 72.1 outside (30, 70)":                      "RSI # outside (30, #)",
		"IV percentile NaN below min_iv_percentile":      "IV percentile # below min_iv_percentile",
		"SMA8 56.05, $1,000 of -3.5%":                    "SMA8 #, # of #",
		"2001-12-21: no put with delta, strike ≤ 916.94": "#: no put with delta, strike ≤ #",
	} {
		if got := mask(in); got != want {
			t.Errorf("mask(%q) = %q, want %q", in, got, want)
		}
	}
}

package condor_test

import (
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/condor"
)

// condorQuotes returns the four 0DTE legs around spot 5000 with the short
// legs at bid/ask sb/sa and the wings at wb/wa; deltas ∓0.06 and ∓0.03.
func zeroDTEQuotes(sb, sa, wb, wa float64) []simtest.Quote {
	const exp = "2024-03-04"
	return []simtest.Quote{
		{Exp: exp, PC: sim.Put, K: 4930, Bid: wb, Ask: wa, Delta: -0.03},
		{Exp: exp, PC: sim.Put, K: 4940, Bid: sb, Ask: sa, Delta: -0.06},
		{Exp: exp, PC: sim.Call, K: 5060, Bid: sb, Ask: sa, Delta: 0.06},
		{Exp: exp, PC: sim.Call, K: 5070, Bid: wb, Ask: wa, Delta: 0.03},
	}
}

// TestZeroDTEForcedCloseThroughEngine runs condor-0dte through sim.Run on a
// day with intraday steps at 09:45 and 12:00 and the daily decision at 15:45.
// At 09:45 it sells the 4930/4940/5060/5070 condor: shorts at their 0.45 mid,
// wings at 0.15, a credit of 2·0.45 − 2·0.15 = 0.60 ≥ 0.50, shorts 60 points
// from spot ≥ 30. At 12:00 the debit is 2·0.35 − 2·0.10 = 0.50: P&L 0.10 is
// short of the 0.30 target and far from the 1.20 stop, no red line. At 15:45
// it is forced out at a debit of 2·0.30 − 2·0.05 = 0.50. With mid fills and no
// costs the trade makes (0.60 − 0.50) × 100 = $10.
func TestZeroDTEForcedCloseThroughEngine(t *testing.T) {
	tape, err := simtest.New("2024-03-04").Cash("SPX").
		Bar("SPX", "2024-03-01", 4990, 5010, 4980, 5000).Bar("SPX", "2024-03-04", 5000, 5010, 4990, 5000).
		Spot("SPX", "2024-03-04", 5000).VIX("2024-03-01", 15, 15).VIX("2024-03-04", 16, 16).
		Intraday("SPX", "2024-03-04", "09:45", 5000, zeroDTEQuotes(0.40, 0.50, 0.10, 0.20)...).
		Intraday("SPX", "2024-03-04", "12:00", 5000, zeroDTEQuotes(0.30, 0.40, 0.05, 0.15)...).
		Quote("SPX", "2024-03-04", zeroDTEQuotes(0.25, 0.35, 0.04, 0.06)...).
		Tape()
	if err != nil {
		t.Fatal(err)
	}
	s, err := condor.NewZeroDTE(condor.DefaultZeroDTE())
	if err != nil {
		t.Fatal(err)
	}
	cfg := sim.DefaultConfig()
	cfg.Mode, cfg.Costs = fill.Optimistic, fill.Costs{}
	res, err := sim.Run(tape, s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Trades) != 1 {
		t.Fatalf("%d trades, want 1; notes %v; events %v", len(res.Trades), res.Notes, res.Events)
	}
	tr := res.Trades[0]
	if tr.Reason != condor.ReasonForcedClose || !simtest.Near(tr.Entry, -0.60) || !simtest.Near(tr.Exit, -0.50) || !simtest.Near(tr.Gross, 10) {
		t.Errorf("trade: reason %s entry %g exit %g gross %g", tr.Reason, tr.Entry, tr.Exit, tr.Gross)
	}
	if tr.Opened != simtest.Day("2024-03-04") || tr.Closed != simtest.Day("2024-03-04") {
		t.Errorf("opened %d closed %d", tr.Opened, tr.Closed)
	}
}

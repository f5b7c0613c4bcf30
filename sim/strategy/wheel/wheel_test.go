package wheel_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/wheel"
)

// The scenarios sell the XYZ 2024-03-08 100 put on Friday 2024-03-01 (7 days
// to expiry) at bid 2.00 / ask 2.20, delta −0.30.
//
// Liquidity: spread 0.20 / mid 2.10 = 9.52 %. The allowed spread is the base
// 8 % (no IV history: IV percentile counts as 0.5) plus 2 % for DTE ≤ 7 = 10 %;
// 9.52 % is above 0.6 × 10 % = 6 % and within 10 %: "moderate", penalty 1.15.
// Realistic sale: 2.10 − 0.30 × 0.20 × 1.15 = 2.10 − 0.069 = 2.031.
// Fees per contract per leg: 0.65 + 0.01 = 0.66.
const (
	premium = 2.031
	fee     = 0.66
)

var days = []string{"2024-03-01", "2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08",
	"2024-03-11", "2024-03-12", "2024-03-13", "2024-03-14", "2024-03-15", "2024-03-18", "2024-03-19",
	"2024-03-20", "2024-03-21", "2024-03-22"}

func testConfig() wheel.Config {
	c := wheel.Default()
	c.DTEMin, c.DTEMax = 5, 10
	c.CCDTEMin, c.CCDTEMax = 5, 20
	c.MaxPerDay = 1
	c.Probabilistic = false
	return c
}

func engineConfig(mode fill.Mode) sim.Config {
	c := sim.DefaultConfig()
	c.Mode = mode
	return c
}

type bar struct{ h, l, c float64 }

// scenario builds the tape: the put quoted on day 0, its later bars, the
// underlying's closes (102 after the list ends), and optionally a call quoted
// from 2024-03-11 on for the covered-call phase.
func scenario(t *testing.T, putBars []bar, closes []float64, call *simtest.Quote) *sim.Tape {
	t.Helper()
	b := simtest.New(days...)
	put := simtest.Quote{Exp: "2024-03-08", PC: sim.Put, K: 100, Bid: 2.00, Ask: 2.20, Delta: -0.30, IV: 0.30}
	b.Quote("XYZ", days[0], put)
	for i, d := range days {
		spot := 102.0
		if i < len(closes) {
			spot = closes[i]
		}
		b.Spot("XYZ", d, spot).Bar("XYZ", d, spot, spot, spot, spot).VIX(d, 15, 15)
		if i >= 1 && i <= len(putBars) {
			q := put
			q.Bid, q.Ask, q.Delta = putBars[i-1].c-0.05, putBars[i-1].c+0.05, -0.3
			q.High, q.Low, q.Close = putBars[i-1].h, putBars[i-1].l, putBars[i-1].c
			b.Quote("XYZ", d, q)
		}
		if call != nil && d >= "2024-03-11" {
			b.Quote("XYZ", d, *call)
		}
	}
	tp, err := b.Tape()
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

func run(t *testing.T, tp *sim.Tape, cfg wheel.Config, ec sim.Config) (*sim.Result, *wheel.Strategy) {
	t.Helper()
	s, err := wheel.New(cfg, ec.Liquidity)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(tp, checked{s, t}, ec)
	if err != nil {
		t.Fatal(err)
	}
	return res, s
}

// checked wraps a strategy and asserts the book's invariants at every step:
// equity is cash plus the marked positions, and no leg outlives its expiry.
type checked struct {
	s sim.Strategy
	t *testing.T
}

func (c checked) Finish(b *sim.Book) error { return c.s.(sim.Finisher).Finish(b) }

func (c checked) Step(snap *sim.Snapshot, b *sim.Book) ([]sim.Order, error) {
	v := b.Cash
	for _, p := range b.Positions {
		v += p.Value()
		for _, l := range p.Legs {
			if l.Contract.Expiration < snap.Day {
				c.t.Errorf("%s: leg %v outlived its expiry", sim.DayString(snap.Day), l.Contract)
			}
		}
	}
	if math.Abs(v-b.Equity) > 1e-6 {
		c.t.Errorf("%s: cash %.4f + positions = %.4f, equity %.4f", sim.DayString(snap.Day), b.Cash, v, b.Equity)
	}
	return c.s.Step(snap, b)
}

func only(t *testing.T, res *sim.Result, phase string) sim.Trade {
	t.Helper()
	var found []sim.Trade
	for _, tr := range res.Trades {
		if tr.Phase == phase {
			found = append(found, tr)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s trades, want 1: %+v", len(found), phase, res.Trades)
	}
	return found[0]
}

func TestProfitTarget(t *testing.T) {
	// 03-04: the bar's low 0.90 reaches the target 0.5 × 2.031 = 1.0155. The
	// realistic bar price, close + 0.30 × range × penalty = 1.00 + 0.30 × 0.70 ×
	// 1.15 = 1.2415, is above the limit, so the limit order fills at 1.0155.
	// Gross (2.031 − 1.0155) × 100 = 101.55; fees 2 × 0.66 = 1.32; net 100.23.
	tp := scenario(t, []bar{{1.60, 0.90, 1.00}}, nil, nil)
	res, s := run(t, tp, testConfig(), engineConfig(fill.Realistic))
	tr := only(t, res, "csp")
	simtest.WantNear(t, "entry", tr.Legs[0].Price, premium)
	simtest.WantNear(t, "gross", tr.Gross, 101.55)
	simtest.WantNear(t, "fees", tr.Fees, 2*fee)
	simtest.WantNear(t, "net", tr.Net(), 100.23)
	if tr.Reason != sim.EventTakeProfit || tr.Closed != simtest.Day("2024-03-04") || tr.Touches != 1 {
		t.Errorf("reason %q closed %s touches %d", tr.Reason, sim.DayString(tr.Closed), tr.Touches)
	}
	simtest.WantNear(t, "final equity", res.Equity[len(res.Equity)-1], 100_000+100.23)
	if st := s.Wheels(); len(st) != 0 {
		t.Errorf("completed wheels still tracked: %v", st)
	}
}

func TestStopLoss(t *testing.T) {
	// 03-04: high 4.10 ≥ 2 × 2.031 = 4.062: stopped. Realistic bar price
	// 3.80 + 0.30 × 1.60 × 1.15 = 4.352, capped at the high 4.10.
	// Gross (2.031 − 4.10) × 100 = −206.9; fees 1.32; net −208.22.
	tp := scenario(t, []bar{{4.10, 2.50, 3.80}}, nil, nil)
	res, _ := run(t, tp, testConfig(), engineConfig(fill.Realistic))
	tr := only(t, res, "csp")
	simtest.WantNear(t, "net", tr.Net(), -208.22)
	if tr.Reason != sim.EventStop {
		t.Errorf("reason %q", tr.Reason)
	}
}

func TestExpiresWorthless(t *testing.T) {
	// No bar touches 1.0155 or 4.062; XYZ closes at 101 on 03-08 ≥ 100: worthless.
	// Only the sale's fee: net 203.1 − 0.66 = 202.44.
	quiet := []bar{{2.5, 1.5, 2}, {2.5, 1.5, 2}, {2.5, 1.5, 2}, {2.5, 1.5, 2}, {2.5, 1.5, 2}}
	tp := scenario(t, quiet, []float64{102, 102, 102, 102, 102, 101}, nil)
	res, _ := run(t, tp, testConfig(), engineConfig(fill.Realistic))
	tr := only(t, res, "csp")
	simtest.WantNear(t, "net", tr.Net(), 202.44)
	simtest.WantNear(t, "fees", tr.Fees, fee)
	if tr.Reason != sim.EventExpired || tr.Closed != simtest.Day("2024-03-08") {
		t.Errorf("reason %q closed %s", tr.Reason, sim.DayString(tr.Closed))
	}
	simtest.WantNear(t, "final cash", res.Cash[len(res.Cash)-1], 100_000+202.44)
}

func TestAssignedThenCalledAway(t *testing.T) {
	// CSP: XYZ closes at 97 < 100 on 03-08: assigned, 100 shares at 100.
	//   CSP net = 203.1 − 0.66 = 202.44 (no fee on assignment).
	// CC on 03-11: the 2024-03-22 102 call (11 DTE), bid 1.00 / ask 1.10, delta
	//   0.30; the net cost basis 100 − 2.031 = 97.969 ≤ 102. Spread 0.10 / 1.05
	//   = 9.52 % > the allowed 8 % (DTE > 7): "wide", penalty 1.35. Realistic
	//   sale 1.05 − 0.30 × 0.10 × 1.35 = 1.0095. No bar, so no profit target.
	// 03-22: XYZ closes at 104 > 102: called away at 102.
	//   CC net = 100.95 − 0.66 = 100.29; stock (102 − 100) × 100 = 200.
	//   Wheel total 202.44 + 100.29 + 200 = 502.73.
	quiet := []bar{{2.5, 1.5, 2}, {2.5, 1.5, 2}, {2.5, 1.5, 2}, {2.5, 1.5, 2}, {3.5, 2.5, 3}}
	call := &simtest.Quote{Exp: "2024-03-22", PC: sim.Call, K: 102, Bid: 1.00, Ask: 1.10, Delta: 0.30, IV: 0.3}
	tp := scenario(t, quiet, []float64{102, 101, 100, 99, 98, 97, 99, 99, 99, 99, 99, 99, 99, 99, 99, 104}, call)
	res, s := run(t, tp, testConfig(), engineConfig(fill.Realistic))
	csp, cc, stock := only(t, res, "csp"), only(t, res, "cc"), only(t, res, "stock")
	simtest.WantNear(t, "csp net", csp.Net(), 202.44)
	simtest.WantNear(t, "cc entry", cc.Legs[0].Price, 1.0095)
	simtest.WantNear(t, "cc net", cc.Net(), 100.29)
	simtest.WantNear(t, "stock gross", stock.Gross, 200)
	if csp.Reason != sim.EventAssigned || cc.Reason != sim.EventCalledAway || stock.Reason != sim.EventCalledAway {
		t.Errorf("reasons %q %q %q", csp.Reason, cc.Reason, stock.Reason)
	}
	if cc.Opened != simtest.Day("2024-03-11") {
		t.Errorf("call sold on %s", sim.DayString(cc.Opened))
	}
	recs := wheel.Records(res.Trades)
	total := recs[len(recs)-1]
	simtest.WantNear(t, "wheel total", total.PnL, 502.73)
	simtest.WantNear(t, "wheel stock", total.StockPnL, 200)
	// The seed's net cost: the shares cost 100 × 100 − 203.10 = 9,796.90 and
	// went for 10,200: stock P&L 403.10, the put's 203.10 counted again.
	seed := wheel.RecordsBasis(res.Trades, wheel.StockFromNetCost)
	st := seed[len(seed)-1]
	simtest.WantNear(t, "seed stock", st.StockPnL, 403.10)
	simtest.WantNear(t, "seed total", st.PnL, 202.44+100.29+403.10)
	simtest.WantNear(t, "seed CSP", st.CSPPnL, 202.44)
	simtest.WantNear(t, "wheel ROC", total.ROC, 502.73/10000)
	simtest.WantNear(t, "final cash", res.Cash[len(res.Cash)-1], 100_000+502.73)
	if len(s.Wheels()) != 0 {
		t.Errorf("wheel not complete: %v", s.Wheels())
	}
	sum := wheel.Summarize(recs)
	if sum.Wheels != 1 || sum.WinRate != 1 {
		t.Errorf("summary %+v", sum)
	}
	if got, want := wheel.Report(res.Trades, wheel.StockFromAssignment), "1 complete (0 open), P&L $502.73 (CSP $202.44, CC $100.29, stock $200.00)"; !strings.HasPrefix(got, want) {
		t.Errorf("report %q, want it to start %q", got, want)
	}
}

func TestFillModes(t *testing.T) {
	// Entry price by mode at bid 2.00 / ask 2.20, penalty 1.15:
	// optimistic: the mid 2.10; realistic 2.031; pessimistic 2.10 − 0.75 × 0.20 ×
	// 1.15 = 1.9275, clamped to the bid 2.00.
	for _, tc := range []struct {
		mode fill.Mode
		want float64
	}{{fill.Optimistic, 2.10}, {fill.Realistic, 2.031}, {fill.Pessimistic, 2.00}} {
		tp := scenario(t, nil, nil, nil)
		res, _ := run(t, tp, testConfig(), engineConfig(tc.mode))
		simtest.WantNear(t, tc.mode.String(), only(t, res, "csp").Entry, -tc.want)
	}
}

func TestIllegalTransition(t *testing.T) {
	if _, err := wheel.Advance(wheel.CSPOpen, wheel.EvCalledAway); err == nil || !strings.Contains(err.Error(), "illegal") {
		t.Fatalf("CSP_OPEN + called_away: %v", err)
	}
	if _, err := wheel.Advance(wheel.Complete, wheel.EvComplete); err == nil {
		t.Fatal("WHEEL_COMPLETE is terminal")
	}
	s, err := wheel.Advance(wheel.CSPOpen, wheel.EvAssigned)
	if err != nil || s != wheel.CSPAssigned {
		t.Fatal(s, err)
	}
}

func TestDeterministicDraws(t *testing.T) {
	// A touch every day with probabilistic fills: the draws come from a
	// generator seeded by the run's seed and the position, so two runs agree.
	touches := []bar{{1.2, 0.9, 1}, {1.2, 0.9, 1}, {1.2, 0.9, 1}, {1.2, 0.9, 1}}
	cfg := testConfig()
	cfg.Probabilistic = true
	a, _ := run(t, scenario(t, touches, nil, nil), cfg, engineConfig(fill.Realistic))
	b, _ := run(t, scenario(t, touches, nil, nil), cfg, engineConfig(fill.Realistic))
	if fmt.Sprintf("%+v", a.Trades) != fmt.Sprintf("%+v", b.Trades) { // %v, as NaN != NaN
		t.Fatal("two runs with the same seed differ")
	}
	tr := only(t, a, "csp")
	if len(tr.Draws) == 0 || tr.Touches != len(tr.Draws) {
		t.Fatalf("touches %d, draws %v", tr.Touches, tr.Draws)
	}
	for _, d := range tr.Draws {
		if d.Filled != (d.U <= d.P) {
			t.Errorf("draw %+v", d)
		}
	}
}

// TestProfitTargetFill works profit_target_fill in the pessimistic mode. The
// put sells at 2.00 (TestFillModes), so the target is 0.5 × 2.00 = 1.00 and
// 03-04's low 0.90 touches it. The pessimistic bar price is min(high,
// close + 0.75 × range × penalty) = min(1.60, 1.00 + 0.75 × 0.70 × 1.15 =
// 1.60375) = 1.60. limit (ours): bought back at 1.00, gross (2.00 − 1.00) ×
// 100 = 100; bar (seed 001): at 1.60, gross 40. Fees 2 × 0.66 either way.
func TestProfitTargetFill(t *testing.T) {
	for _, tc := range []struct {
		fill      string
		exit, net float64
	}{{wheel.TargetAtLimit, 1.00, 100 - 2*fee}, {wheel.TargetAtBar, 1.60, 40 - 2*fee}} {
		cfg := testConfig()
		cfg.TargetFill = tc.fill
		res, _ := run(t, scenario(t, []bar{{1.60, 0.90, 1.00}}, nil, nil), cfg, engineConfig(fill.Pessimistic))
		tr := only(t, res, "csp")
		if tr.Reason != sim.EventTakeProfit {
			t.Fatalf("%s: reason %q", tc.fill, tr.Reason)
		}
		simtest.WantNear(t, tc.fill+" exit", -tr.Exit, tc.exit)
		simtest.WantNear(t, tc.fill+" net", tr.Net(), tc.net)
	}
}

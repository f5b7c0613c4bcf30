package scan_test

import (
	"context"
	"math"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/ingest/synth/synthtest"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/strategy/legs"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/scan"
)

// shared is the "small" synthetic market (SPY, SPX, AAPL, 2024-01-02 to
// 03-28), generated and ingested once.
var shared = synthtest.Shared{Preset: "small"}

func TestMain(m *testing.M) {
	code := m.Run()
	shared.Close()
	os.Exit(code)
}

// smallStore is the shared small market.
func smallStore(t *testing.T) *market.Store { return shared.Store(t) }

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

var buckets = legs.Buckets{DTE: []int{0, 7, 14, 21, 28, 35, 60}, Delta: []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 1.01}}

// source is a market store and the window the checks run on: the small
// synthetic market, or with SWEEP_SCAN_DB set to the demo's market DB
// (go run ./cmd/sweep demo), SPY and SPX 2023-01-03 to 2024-12-31.
type source struct {
	st       *market.Store
	from, to time.Time
}

var (
	demoOnce sync.Once
	demo     *market.Store
	demoErr  error
)

func sources(t *testing.T) []source {
	out := []source{{smallStore(t), day("2024-01-02"), day("2024-03-28")}}
	if p := os.Getenv("SWEEP_SCAN_DB"); p != "" {
		demoOnce.Do(func() { demo, demoErr = market.OpenReadOnly(p) })
		if demoErr != nil {
			t.Fatal(demoErr)
		}
		out = append(out, source{demo, day("2023-01-03"), day("2024-12-31")})
	}
	return out
}

func run(t *testing.T, src source, symbol string, set map[string]string) *scan.Result {
	t.Helper()
	r, err := scan.Run(context.Background(), src.st, scan.Options{Symbol: symbol, From: src.from, To: src.to, Set: set,
		Buckets: buckets, Model: feed.DefaultOptions(), Keep: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Short puts held to expiry: every entry of a DTE bucket is a put quoted
// two-sided on a day of the window, expiring by its end (else it is still
// open), so the scan's count per DTE bucket is what a plain SQL query over
// the store's option_quotes counts, less the rows without a delta (no
// implied volatility), which the scan cannot bucket by delta.
func TestBucketCountsMatchSQL(t *testing.T) {
	for _, src := range sources(t) {
		bucketCounts(t, src)
	}
}

func bucketCounts(t *testing.T, src source) {
	from, to := src.from, src.to
	r := run(t, src, "SPY", map[string]string{"preset": "short_put", "take_profit": "0", "stop_multiple": "0", "liquidity_check": "false"})
	nd := len(buckets.Delta) - 1
	scanned := map[int]int{}
	for i, b := range r.Scan.Buckets {
		scanned[i/nd] += b.Count // closed: expired by the window's end
	}
	// Rows a delta bucket cannot hold: quoted puts in range without a delta.
	tape, _, err := feed.Load(context.Background(), src.st, []string{"SPY"}, from, to, feed.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	noDelta := map[int]int{}
	last := tape.Days[len(tape.Days)-1]
	s := &tape.Symbols[0]
	for i, d := range tape.Days {
		for r := s.DayStart[i]; r < s.DayStart[i+1]; r++ {
			c := &s.Chain
			dte := int(c.Expiration[r] - d)
			if c.PutCall[r] == sim.Put && c.Quoted(r) && math.IsNaN(c.Delta[r]) && c.Expiration[r] <= last && dte < 60 {
				noDelta[sort.SearchInts(buckets.DTE, dte+1)-1]++
			}
		}
	}
	rows, err := src.st.DB().Query(`
		SELECT CASE WHEN dte < 7 THEN 0 WHEN dte < 14 THEN 1 WHEN dte < 21 THEN 2 WHEN dte < 28 THEN 3
		            WHEN dte < 35 THEN 4 ELSE 5 END AS bucket, count(*)
		FROM (SELECT expiration - trade_date AS dte FROM option_quotes
		      WHERE underlying = 'SPY' AND put_call = 'P' AND trade_date BETWEEN ? AND ?
		        AND expiration <= ? AND bid > 0 AND ask > bid)
		WHERE dte < 60 GROUP BY 1 ORDER BY 1`, from, to, sim.DayTime(last))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var b, count int
		if err := rows.Scan(&b, &count); err != nil {
			t.Fatal(err)
		}
		n += count
		if scanned[b]+noDelta[b] != count {
			t.Errorf("DTE bucket %d–%d: scan %d + %d without delta, SQL %d", buckets.DTE[b], buckets.DTE[b+1], scanned[b], noDelta[b], count)
		}
	}
	if n == 0 {
		t.Fatal("SQL counted nothing")
	}
	t.Logf("%d puts expiring in the window by SQL; %d scanned entries in all (open ones included)", n, r.Scan.Entries)
}

// enginePnL runs the scan's entries through the engine (mid fills, no fees,
// no early assignment, unlimited cash) and returns each entry's P&L with
// delivered shares valued at the settlement close (as the scan values an
// assignment), and its exit reason and day.
func enginePnL(t *testing.T, src source, r *scan.Result, symbol string) (pnl []float64, reason []string, closed []int32) {
	t.Helper()
	tape, _, err := feed.Load(context.Background(), src.st, []string{symbol}, src.from, src.to, feed.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rp, err := legs.NewReplay(r.Scan.Outcomes, r.Config, r.Liq)
	if err != nil {
		t.Fatal(err)
	}
	ec := sim.DefaultConfig()
	ec.Mode, ec.Costs, ec.Cash, ec.EarlyAssignment = fill.Optimistic, fill.Costs{}, 1e12, false
	res, err := sim.Run(tape, rp, ec)
	if err != nil {
		t.Fatal(err)
	}
	n := len(r.Scan.Outcomes)
	pnl, reason, closed = make([]float64, n), make([]string, n), make([]int32, n)
	bars := &tape.Symbols[0].Bars
	closeOn := func(d int32) float64 {
		k := sort.Search(len(bars.Days), func(i int) bool { return bars.Days[i] >= d })
		return bars.Close[k]
	}
	for _, tr := range res.Trades {
		i, err := strconv.Atoi(tr.Tag)
		if err != nil {
			t.Fatalf("trade tag %q", tr.Tag)
		}
		switch {
		case tr.Phase != "stock":
			pnl[i] += tr.Gross
			reason[i], closed[i] = tr.Reason, tr.Closed
			if tr.Reason == "open" {
				reason[i] = "open"
			}
		case tr.Closed == tr.Opened:
			pnl[i] += tr.Gross
		default: // shares delivered at expiry and sold the next session: value them at the settlement close
			sign := 1.0
			if tr.Legs == nil && tr.Exit < 0 {
				sign = -1
			}
			pnl[i] += sign * float64(tr.Quantity) * (closeOn(tr.Opened) - tr.Entry)
		}
	}
	return pnl, reason, closed
}

// The scan's P&L of every entry, and so the mean of every bucket, is what
// the engine gives for the same entries under the same exits.
func TestMeanPnLMatchesEngine(t *testing.T) {
	for _, src := range sources(t) {
		meanPnL(t, src)
	}
}

func meanPnL(t *testing.T, src source) {
	for _, tc := range []struct {
		name, symbol string
		set          map[string]string
	}{
		{"short puts held to expiry", "SPY", map[string]string{"preset": "short_put", "take_profit": "0", "stop_multiple": "0", "liquidity_check": "false"}},
		{"short puts with exits", "SPY", map[string]string{"preset": "short_put", "take_profit": "0.5", "stop_multiple": "2", "exit_dte": "2", "liquidity_check": "false"}},
		{"short puts, time stop at half the DTE", "SPY", map[string]string{"preset": "short_put", "take_profit": "0", "stop_multiple": "0", "max_hold_frac": "0.5", "liquidity_check": "false"}},
		{"exact verticals, natural credit, exits and a time stop", "SPY", map[string]string{"preset": "vertical", "legs[1].exact": "true", "gate_price": "natural", "min_credit": "0.05",
			"take_profit": "0.5", "stop_multiple": "2", "max_hold_frac": "0.8", "liquidity_check": "false"}},
		{"SPX iron condors", "SPX", map[string]string{"preset": "iron_condor", "legs[1].width": "25", "legs[3].width": "25", "take_profit": "0.5", "stop_multiple": "1", "liquidity_check": "false"}},
	} {
		t.Run(tc.name+" "+src.from.Format("2006"), func(t *testing.T) {
			r := run(t, src, tc.symbol, tc.set)
			if len(r.Scan.Outcomes) < 50 {
				t.Fatalf("only %d outcomes", len(r.Scan.Outcomes))
			}
			pnl, reason, closed := enginePnL(t, src, r, tc.symbol)
			nd := len(buckets.Delta) - 1
			sums := make([]float64, len(r.Scan.Buckets))
			counts := make([]int, len(r.Scan.Buckets))
			bad := 0
			for i, o := range r.Scan.Outcomes {
				if o.Reason == "open" {
					continue
				}
				k := o.DTEBin*nd + o.DeltaBin
				sums[k] += pnl[i]
				counts[k]++
				want := o.Reason
				if want == "expired" {
					want = reason[i] // the engine names how it settled (expired_worthless, assigned, …)
				}
				if math.Abs(pnl[i]-o.PnL) > 1e-6 || reason[i] != want || closed[i] != o.ExitDay {
					if bad++; bad <= 5 {
						t.Errorf("entry %d (%v on %s): scan %.4f %s %s, engine %.4f %s %s", i, o.Contract, sim.DayString(o.Day),
							o.PnL, o.Reason, sim.DayString(o.ExitDay), pnl[i], reason[i], sim.DayString(closed[i]))
					}
				}
			}
			for k, b := range r.Scan.Buckets {
				if counts[k] != b.Count {
					t.Errorf("bucket %d: %d engine entries, scan %d", k, counts[k], b.Count)
				}
				if b.Count > 0 && math.Abs(sums[k]/float64(counts[k])-b.Mean) > 1e-6 {
					t.Errorf("bucket %d–%d × %.2f–%.2f: engine mean %.6f, scan %.6f", b.DTELo, b.DTEHi, b.DeltaLo, b.DeltaHi,
						sums[k]/float64(counts[k]), b.Mean)
				}
			}
			t.Logf("%d outcomes, %d mismatched", len(r.Scan.Outcomes), bad)
		})
	}
}

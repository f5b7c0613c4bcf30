package feed_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sweep/feed"
)

// checksStore builds a store for symbol TST over Monday 2024-03-04 to Friday
// 2024-03-08, all on the 2024-04-19 expiration:
//
//	03-04  bar; C100/P100 clean, C110 crossed 1.00/0.90 and P110 locked 0/0
//	       stored without flags, C120 zero bid (flagged by the store), P120
//	       no quote
//	03-05  bar; C100 twice (two roots, the same contract), P100
//	03-06  no bar; C100/P100 clean, so the spot comes from the chain
//	03-07  no bar; C100 only, so the spot is the close of 03-05
//	03-08  bar; C100/P100 clean: no problem
func checksStore(t *testing.T) *market.Store {
	t.Helper()
	st, err := market.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	q := func(date, root, pc string, k float64, bid, ask any, flags int) string {
		return fmt.Sprintf("(DATE '%s', 'TST', DATE '2024-04-19', '%s', %g, '%-6s240419%s%08d', %v, %v, 10, 100, %d)",
			date, pc, k, root, pc, int(k*1000), bid, ask, flags)
	}
	rows := []string{
		q("2024-03-04", "TST", "C", 100, 5.0, 5.2, 0),
		q("2024-03-04", "TST", "P", 100, 4.0, 4.2, 0),
		q("2024-03-04", "TST", "C", 110, 1.0, 0.9, 0),
		q("2024-03-04", "TST", "P", 110, 0, 0, 0),
		q("2024-03-04", "TST", "C", 120, 0, 0.05, market.FlagZeroBid),
		q("2024-03-04", "TST", "P", 120, "NULL", "NULL", market.FlagNoQuote),
		q("2024-03-05", "TST", "C", 100, 5.1, 5.3, 0),
		q("2024-03-05", "TST1", "C", 100, 5.1, 5.3, 0),
		q("2024-03-05", "TST", "P", 100, 4.1, 4.3, 0),
		q("2024-03-06", "TST", "C", 100, 5.0, 5.2, 0),
		q("2024-03-06", "TST", "P", 100, 4.0, 4.2, 0),
		q("2024-03-07", "TST", "C", 100, 5.0, 5.2, 0),
		q("2024-03-08", "TST", "C", 100, 5.0, 5.2, 0),
		q("2024-03-08", "TST", "P", 100, 4.0, 4.2, 0),
	}
	ctx := context.Background()
	ins := "INSERT INTO option_quotes (trade_date, underlying, expiration, put_call, strike, osi, bid, ask, volume, open_interest, flags) VALUES "
	for i, r := range rows {
		if i > 0 {
			ins += ", "
		}
		ins += r
	}
	if _, err := st.DB().ExecContext(ctx, ins); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().ExecContext(ctx, `INSERT INTO underlying_bars (trade_date, symbol, open, high, low, close, volume) VALUES
		(DATE '2024-03-01', 'TST', 100, 101, 99, 100.5, 1000),
		(DATE '2024-03-04', 'TST', 100, 102, 99, 101.0, 1000),
		(DATE '2024-03-05', 'TST', 101, 102, 100, 101.5, 1000),
		(DATE '2024-03-08', 'TST', 101, 102, 100, 101.0, 1000)`); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestChecks(t *testing.T) {
	ctx := context.Background()
	st := checksStore(t)
	tp, stats, err := feed.Load(ctx, st, []string{"TST"}, day("2024-03-04"), day("2024-03-08"), feed.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) int32 { return sim.DayOf(day(s)) }
	// Only 03-08 is clean. 03-04: 6 rows; C110 crossed; P110 0/0 locked and
	// zero bid; C120 zero bid; P120 no quote → 1 crossed, 1 locked, 2 zero
	// bid, 1 no quote. 03-05: 3 rows, one of them the repeated C100.
	want := []feed.DayCheck{
		{Symbol: "TST", Day: d("2024-03-04"), Rows: 6, Crossed: 1, Locked: 1, ZeroBid: 2, NoQuote: 1, Spot: feed.SpotChain},
		{Symbol: "TST", Day: d("2024-03-05"), Rows: 3, Duplicates: 1, Spot: feed.SpotChain},
		{Symbol: "TST", Day: d("2024-03-06"), Rows: 2, MissingBar: true, Spot: feed.SpotChain},
		{Symbol: "TST", Day: d("2024-03-07"), Rows: 1, MissingBar: true, Spot: feed.SpotPrevClose},
	}
	if !reflect.DeepEqual(stats.Checks, want) {
		t.Errorf("checks\n%+v\nwant\n%+v", stats.Checks, want)
	}
	if stats.Crossed != 1 || stats.Locked != 1 || stats.ZeroBid != 2 || stats.NoQuote != 1 || stats.Duplicates != 1 || stats.MissingBars != 2 {
		t.Errorf("totals %+v", stats)
	}
	// 6 + 2 + 2 + 1 + 2 rows on the tape: the 14 in the store less the repeat.
	if stats.Contracts != 13 {
		t.Errorf("%d contracts on the tape, want 13", stats.Contracts)
	}
	const summary = "data checks: 1 crossed, 1 locked, 2 zero-bid, 1 no-quote, 1 duplicate quotes excluded on 2 symbol-days; " +
		"2 days without an underlying bar (TST 2024-03-06 spot from chain, TST 2024-03-07 spot from previous close)"
	if got := stats.ChecksSummary(); got != summary {
		t.Errorf("summary\n%s\nwant\n%s", got, summary)
	}

	s := &tp.Symbols[0]
	c := &s.Chain
	// 03-04, sorted by strike then side: C100, P100, C110, P110, C120, P120.
	// Crossed 1, locked 2 + zero bid 4 = 6, zero bid 4, no quote 8.
	wantFlags := []uint8{0, 0, market.FlagCrossed, market.FlagLocked | market.FlagZeroBid, market.FlagZeroBid, market.FlagNoQuote}
	lo, hi := s.DayStart[0], s.DayStart[1]
	if !reflect.DeepEqual(c.Flags[lo:hi], wantFlags) {
		t.Errorf("flags of 03-04 %v, want %v", c.Flags[lo:hi], wantFlags)
	}
	for r := lo; r < hi; r++ {
		if c.Quoted(r) != (c.Flags[r] == 0) {
			t.Errorf("row %d: flags %d, quoted %v", r, c.Flags[r], c.Quoted(r))
		}
	}
	// 03-05: the repeated C100 is on the tape once, before P100.
	if lo, hi := s.DayStart[1], s.DayStart[2]; hi-lo != 2 || c.PutCall[lo] != sim.Call || c.PutCall[lo+1] != sim.Put || c.Strike[lo] != 100 {
		t.Errorf("03-05 has rows [%d, %d): %q at %v", lo, hi, c.PutCall[lo:hi], c.Strike[lo:hi])
	}
	// 03-07's spot is the last close before it, 101.5 on 03-05.
	if s.Spot[3] != 101.5 {
		t.Errorf("spot of 03-07 %v, want 101.5", s.Spot[3])
	}
	// 03-06's spot is implied: C − P = 1.0 at K = 100, T ≈ 44 days, so
	// S = 1 + 100·e^{−0.04·T} ≈ 100.5, nowhere near a bar.
	if math.Abs(s.Spot[2]-100.5) > 0.1 {
		t.Errorf("spot of 03-06 %v, want about 100.5", s.Spot[2])
	}
}

// TestChecksCached shows that the checks survive the tape cache.
func TestChecksCached(t *testing.T) {
	ctx := context.Background()
	st := checksStore(t)
	c := feed.Cache{Dir: t.TempDir()}
	from, to := day("2024-03-04"), day("2024-03-08")
	_, first, hit, err := feed.LoadCached(ctx, c, st, "checks", []string{"TST"}, from, to, feed.DefaultOptions())
	if err != nil || hit {
		t.Fatalf("first load: hit %v, %v", hit, err)
	}
	_, second, hit, err := feed.LoadCached(ctx, c, st, "checks", []string{"TST"}, from, to, feed.DefaultOptions())
	if err != nil || !hit {
		t.Fatalf("second load: hit %v, %v", hit, err)
	}
	if len(first.Checks) != 4 || !reflect.DeepEqual(first.Checks, second.Checks) {
		t.Errorf("checks\n%+v\ncached\n%+v", first.Checks, second.Checks)
	}
	if first.ChecksSummary() != second.ChecksSummary() || second.Duplicates != 1 || second.MissingBars != 2 {
		t.Errorf("summary %q, cached %q", first.ChecksSummary(), second.ChecksSummary())
	}
}

func ExampleStats_ChecksSummary() {
	d := sim.DayOf(day("2024-03-01"))
	s := feed.Stats{
		Crossed: 1234, Locked: 56, ZeroBid: 789, NoQuote: 12, Duplicates: 3, MissingBars: 1,
		Checks: []feed.DayCheck{
			{Symbol: "SPY", Day: d - 1, Rows: 5000, Crossed: 1234, Locked: 56, ZeroBid: 789, NoQuote: 12, Duplicates: 3},
			{Symbol: "SPY", Day: d, Rows: 5000, MissingBar: true, Spot: feed.SpotChain},
		},
	}
	fmt.Println(s.ChecksSummary())
	fmt.Println(feed.Stats{}.ChecksSummary())
	// Output:
	// data checks: 1,234 crossed, 56 locked, 789 zero-bid, 12 no-quote, 3 duplicate quotes excluded on 1 symbol-day; 1 day without an underlying bar (SPY 2024-03-01 spot from chain)
	// data checks: no problems
}

package feed_test

import (
	"bytes"
	"cmp"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sweep/feed"
)

// encode gives a tape's bytes, so that two tapes compare bit for bit (NaNs
// included, which reflect.DeepEqual would call different).
func encode(t *testing.T, tp *sim.Tape) []byte {
	t.Helper()
	b, err := msgpack.Marshal(tp)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCacheRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := smallStore(t)
	fp, err := st.Fingerprint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := feed.Cache{Dir: t.TempDir()}
	syms := []string{"SPY", "SPX"}
	from, to := day("2024-01-02"), day("2024-02-29")
	opt := feed.DefaultOptions()

	first, _, hit, err := feed.LoadCached(ctx, c, st, fp, syms, from, to, opt)
	if err != nil || hit {
		t.Fatalf("first load: hit %v, %v", hit, err)
	}
	second, stats, hit, err := feed.LoadCached(ctx, c, st, fp, syms, from, to, opt)
	if err != nil || !hit {
		t.Fatalf("second load: hit %v, %v", hit, err)
	}
	if stats.Contracts == 0 || stats.GreeksTime != 0 {
		t.Errorf("cached stats %+v: want the contracts counted and no greeks time", stats)
	}
	if !bytes.Equal(encode(t, first), encode(t, second)) {
		t.Fatal("the cached tape differs from the loaded one")
	}
	for i := range first.Times {
		if !first.Times[i].Equal(second.Times[i]) || second.Times[i].Location().String() != "America/New_York" {
			t.Fatalf("day %d: time %v, cached %v", i, first.Times[i], second.Times[i])
		}
	}

	// Other model settings are another entry.
	opt2 := opt
	opt2.Rate = 0.05
	if feed.CacheKey(fp, syms, from, to, opt) == feed.CacheKey(fp, syms, from, to, opt2) {
		t.Error("rate is not part of the key")
	}
	if feed.CacheKey(fp, []string{"SPX", "SPY"}, from, to, opt) != feed.CacheKey(fp, syms, from, to, opt) {
		t.Error("symbol order changes the key")
	}
	if feed.CacheKey(fp+"x", syms, from, to, opt) == feed.CacheKey(fp, syms, from, to, opt) {
		t.Error("the data fingerprint is not part of the key")
	}
}

func TestCacheCorrupt(t *testing.T) {
	dir := t.TempDir()
	c := feed.Cache{Dir: dir}
	key := strings.Repeat("ab", 32)
	p := filepath.Join(dir, "ab", key+".msgpack")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("\x85not msgpack at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, hit, err := c.Get(key)
	if err == nil || hit || !strings.Contains(err.Error(), p) {
		t.Fatalf("corrupt entry: hit %v, err %v; want an error naming %s", hit, err, p)
	}
	if _, _, hit, err := c.Get(strings.Repeat("cd", 32)); hit || err != nil {
		t.Fatalf("missing entry: hit %v, err %v", hit, err)
	}
	if _, _, hit, err := (feed.Cache{}).Get(key); hit || err != nil {
		t.Fatalf("no cache: hit %v, err %v", hit, err)
	}
}

// TestCacheKeepsSplits checks that a tape read from the cache is prepared as
// a loaded one is: a split's adjusted bar history (which the cache does not
// store) is rebuilt, so a cached run reads the same history as a fresh one.
func TestCacheKeepsSplits(t *testing.T) {
	ctx := context.Background()
	st := smallStore(t)
	fp, err := st.Fingerprint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	from, to := day("2024-01-02"), day("2024-02-29")
	tp, _, err := feed.Load(ctx, st, []string{"SPY"}, from, to, feed.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	split := sim.DayOf(day("2024-02-01"))
	tp.Events = append(tp.Events, sim.Event{Symbol: "SPY", Day: split, Kind: sim.Split, Amount: 4})
	slices.SortStableFunc(tp.Events, func(a, b sim.Event) int { return cmp.Compare(a.Day, b.Day) })
	if err := tp.Prepare(); err != nil {
		t.Fatal(err)
	}
	c := feed.Cache{Dir: t.TempDir()}
	key := feed.CacheKey(fp, []string{"SPY"}, from, to, feed.DefaultOptions())
	if err := c.Put(key, tp, feed.Stats{}); err != nil {
		t.Fatal(err)
	}
	cached, _, hit, err := c.Get(key)
	if err != nil || !hit {
		t.Fatalf("get: hit %v, %v", hit, err)
	}
	i := slices.Index(tp.Days, split) + 1 // a day after the split reads adjusted history
	if i <= 0 {
		t.Fatal("split day is not a trading day of the tape")
	}
	var a, b sim.Snapshot
	tp.Snapshot(i, &a)
	cached.Snapshot(i, &b)
	ha, hb := a.Market("SPY").History, b.Market("SPY").History
	if len(ha.Close) == 0 || len(hb.Close) != len(ha.Close) {
		t.Fatalf("history of %d and %d bars", len(ha.Close), len(hb.Close))
	}
	for j := range ha.Close {
		if ha.Days[j] != hb.Days[j] || ha.Close[j] != hb.Close[j] {
			t.Fatalf("day %s, bar %d: cached tape's history has %s close %v, the loaded one's %s %v",
				sim.DayString(tp.Days[i]), j, sim.DayString(hb.Days[j]), hb.Close[j], sim.DayString(ha.Days[j]), ha.Close[j])
		}
	}
	// Before the split the history's closes are the stored ones ÷ 4.
	stored := tp.Symbols[0].Bars
	k := slices.Index(stored.Days, ha.Days[0])
	if k < 0 || ha.Close[0] != stored.Close[k]/4 {
		t.Errorf("history's first close %v, want the stored %v ÷ 4", ha.Close[0], stored.Close[max(k, 0)])
	}
}

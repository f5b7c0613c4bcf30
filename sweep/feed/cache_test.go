package feed_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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

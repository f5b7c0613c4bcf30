package live

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/alpacahq/alpaca-trade-api-go/v3/alpaca"

	"github.com/optsweep/sweep/ingest/market"
	slive "github.com/optsweep/sweep/sim/live"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
)

var crashDays = []string{"2024-01-02", "2024-01-03", "2024-01-04"}

// runDays runs the wheel on SPY at the Alpaca exchange at url, one --once a
// session, journaling to path, as cron would.
func runDays(ctx context.Context, storeFile, journal, url string) error {
	st, err := market.OpenReadOnly(storeFile)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, d := range crashDays {
		if err := onceAt(ctx, st, journal, url, d); err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
	}
	return nil
}

func onceAt(ctx context.Context, st *market.Store, journal, url, d string) error {
	j, err := OpenJournal(journal)
	if err != nil {
		return err
	}
	defer j.Close()
	built, err := strategy.Build("wheel", nil)
	if err != nil {
		return err
	}
	c := alpaca.NewClient(alpaca.ClientOpts{APIKey: "test-key", APISecret: "test-secret", BaseURL: url, RetryLimit: 1})
	o := Options{Run: Run{ID: "crash-wheel", Strategy: "wheel", Symbols: []string{"SPY"}, Params: built.Params, Broker: "alpaca",
		Mode: ModePaper, Cash: built.Exec.Cash}, Built: built, Store: st, Journal: j, Broker: NewAlpaca(c), Model: feed.DefaultOptions()}
	_, err = Once(ctx, o, day(d))
	return err
}

// TestCrashChild is the process TestCrashRestart kills; it does nothing in
// a normal test run.
func TestCrashChild(t *testing.T) {
	if os.Getenv("SWEEP_CRASH_CHILD") == "" {
		t.Skip("run by TestCrashRestart")
	}
	if err := runDays(context.Background(), os.Getenv("SWEEP_CRASH_STORE"), os.Getenv("SWEEP_CRASH_JOURNAL"), os.Getenv("SWEEP_CRASH_URL")); err != nil {
		t.Fatal(err)
	}
}

// journalFacts are what must not depend on a crash: the fills, the final
// state of every order, and the holdings after each record.
type journalFacts struct {
	Fills, Orders, Holdings []string
}

func facts(t *testing.T, path string) journalFacts {
	t.Helper()
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	q := func(sql string) []string {
		rows, err := j.DB().Query(sql)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	return journalFacts{
		Fills: q(`SELECT concat_ws(' ', client_id, kind, position, units, price, model_price, fees) FROM fills ORDER BY client_id`),
		Orders: q(`SELECT concat_ws(' ', client_id, status, filled, price) FROM (SELECT *, row_number() OVER
			(PARTITION BY client_id ORDER BY seq DESC, line DESC) k FROM orders) WHERE k = 1 ORDER BY client_id`),
		Holdings: q(`SELECT concat_ws(' ', r.kind, r.day, h.holding, h.qty) FROM holdings h JOIN records r USING (run_id, seq)
			ORDER BY r.day, r.kind, h.holding`),
	}
}

// TestCrashRestart kills -9 the runner (a child process) in the middle of
// a session, twice: once after the intent is journaled and the exchange has
// taken the order but before its answer arrives, once after the exchange
// has filled an order and before the fill is journaled. Each restart looks
// the order up by its client id, places no duplicate, finds the fill, and
// ends with the journal of an uninterrupted run.
func TestCrashRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	ctx := context.Background()
	testStore(t).Close()
	dir := t.TempDir()

	ref := newExchange()
	defer ref.srv.Close()
	refJournal := filepath.Join(dir, "ref.duckdb")
	if err := runDays(ctx, storePath, refJournal, ref.srv.URL); err != nil {
		t.Fatal(err)
	}
	want := facts(t, refJournal)
	if len(want.Fills) < 3 {
		t.Fatalf("the uninterrupted run filled %d orders: too few to test a crash", len(want.Fills))
	}

	for _, c := range []struct {
		name string
		arm  func(x *exchange, hit func())
	}{
		{"after the intent, before the answer", func(x *exchange, hit func()) {
			n := 0
			x.onPost = func(*alpaca.Order) {
				if n++; n == 2 {
					hit()
				}
			}
		}},
		{"after the fill, before the journal", func(x *exchange, hit func()) {
			n := 0
			x.onRead = func(o *alpaca.Order) {
				if o.Status == "filled" {
					if n++; n == 3 {
						hit()
					}
				}
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := newExchange()
			journal := filepath.Join(dir, fmt.Sprintf("crash-%p.duckdb", x))
			hit, release := make(chan struct{}), make(chan struct{})
			c.arm(x, func() {
				x.onPost, x.onRead = nil, nil
				close(hit)
				<-release // the reply never leaves: the runner dies waiting for it
			})
			defer x.srv.Close()
			defer close(release)
			child := func() *exec.Cmd {
				cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1", "-test.v")
				cmd.Env = append(os.Environ(), "SWEEP_CRASH_CHILD=1", "SWEEP_CRASH_STORE="+storePath,
					"SWEEP_CRASH_JOURNAL="+journal, "SWEEP_CRASH_URL="+x.srv.URL)
				return cmd
			}
			first := child()
			if err := first.Start(); err != nil {
				t.Fatal(err)
			}
			select {
			case <-hit:
			case <-time.After(2 * time.Minute):
				first.Process.Kill()
				t.Fatal("the child never reached the crash point")
			}
			if err := first.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup runs
				t.Fatal(err)
			}
			first.Wait()
			out, err := child().CombinedOutput()
			if err != nil {
				t.Fatalf("restart: %v\n%s", err, out)
			}
			t.Logf("restart: %s", out)
			if x.dups != 0 {
				t.Errorf("the restart sent %d orders again under a client id the exchange held", x.dups)
			}
			if x.posts != len(ref.requests) {
				t.Errorf("%d placements, the uninterrupted run made %d", x.posts, len(ref.requests))
			}
			got := facts(t, journal)
			for _, f := range []struct {
				name      string
				got, want []string
			}{{"fills", got.Fills, want.Fills}, {"orders", got.Orders, want.Orders}, {"holdings", got.Holdings, want.Holdings}} {
				if !reflect.DeepEqual(f.got, f.want) {
					t.Errorf("%s differ from the uninterrupted run:\n got  %q\n want %q", f.name, f.got, f.want)
				}
			}
			hs, _ := NewAlpaca(x.client()).Positions(ctx)
			rs, _ := NewAlpaca(ref.client()).Positions(ctx)
			if len(slive.Diff(hs, rs)) != 0 {
				t.Errorf("exchange positions differ: %v", slive.Diff(hs, rs))
			}
		})
	}
}

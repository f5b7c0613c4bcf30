package live

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/ingest/synth"
	"github.com/optsweep/sweep/sim"
	slive "github.com/optsweep/sweep/sim/live"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
)

var (
	storeOnce sync.Once
	storePath string
	storeErr  error
)

// testStore generates the demo's synthetic market (SPX, SPY and AAPL) over
// 2023-07-03..2024-06-28 (the backtests start in 2024, with half a year of history) as DBN files and ingests it into a market store,
// once per test binary.
func testStore(t testing.TB) *market.Store {
	t.Helper()
	storeOnce.Do(func() {
		ctx := context.Background()
		dir, err := osTempDir()
		if err != nil {
			storeErr = err
			return
		}
		cfg, err := synth.Preset("demo")
		if err != nil {
			storeErr = err
			return
		}
		cfg.OutDir, cfg.From, cfg.To = dir, day("2023-07-03"), day("2024-06-28")
		m, err := synth.Generate(ctx, cfg, nil)
		if err != nil {
			storeErr = err
			return
		}
		storePath = dir + "/market.duckdb"
		st, err := market.Open(storePath)
		if err != nil {
			storeErr = err
			return
		}
		defer st.Close()
		for _, p := range m.Paths(dir, "") {
			if _, err := st.Ingest(ctx, p, market.Options{}); err != nil {
				storeErr = err
				return
			}
		}
	})
	if storeErr != nil {
		t.Fatal(storeErr)
	}
	st, err := market.OpenReadOnly(storePath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestReplayEqualsBacktest drives the live loop (Driver, Paper broker,
// DuckDB journal) through every session of the synthetic store and checks
// it makes the backtest's orders and fills: the same trades (legs, prices,
// fees, exits), the same book events (fills, rejections, assignments,
// expiries), the same decision log and the same daily equity, for the
// wheel, the CSP scanner and the monthly condor.
func TestReplayEqualsBacktest(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	cases := []struct {
		strategy string
		symbols  []string
		set      map[string]string
	}{
		{"wheel", []string{"SPY"}, nil},
		{"csp", []string{"AAPL", "SPY"},
			map[string]string{"min_daily_return": "0.0003", "max_strike_mode": "pct", "max_strike_pct": "0.98"}},
		{"condor-monthly", []string{"SPX"},
			map[string]string{"vix_change_basis": "close", "vix_spike_pct": "0.1", "target_delta": "0.08", "wing_width": "50"}},
	}
	for _, c := range cases {
		t.Run(c.strategy, func(t *testing.T) {
			from, to := day("2024-01-02"), day("2024-06-28")
			tape, _, err := feed.Load(ctx, st, c.symbols, from, to, feed.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			bt, err := strategy.Build(c.strategy, c.set)
			if err != nil {
				t.Fatal(err)
			}
			want, err := sim.Run(tape, bt.Strategy, bt.Exec)
			if err != nil {
				t.Fatal(err)
			}
			lv, err := strategy.Build(c.strategy, c.set)
			if err != nil {
				t.Fatal(err)
			}
			j, err := OpenJournal("")
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			if err := j.Use(ctx, Run{ID: "replay-" + c.strategy, Strategy: c.strategy, Broker: "paper", Mode: "paper", Cash: lv.Exec.Cash}); err != nil {
				t.Fatal(err)
			}
			d, err := slive.New(slive.Config{Instance: "replay-" + c.strategy, Exec: lv.Exec},
				lv.Strategy, slive.NewPaper("paper", lv.Exec), slive.TapeData{Tape: tape}, j)
			if err != nil {
				t.Fatal(err)
			}
			if err := slive.Replay(ctx, d, slive.TapeData{Tape: tape}); err != nil {
				t.Fatal(err)
			}
			got := d.Result()
			if len(want.Trades) == 0 {
				t.Fatalf("the backtest made no trades: the comparison would prove nothing")
			}
			compareResults(t, want, got)
			var fills int
			if err := j.DB().QueryRow(`SELECT count(*) FROM fills`).Scan(&fills); err != nil {
				t.Fatal(err)
			}
			if filled := want.Orders - want.Rejected; fills != filled {
				t.Errorf("journal holds %d fills, the backtest filled %d orders", fills, filled)
			}
			t.Logf("%s: %d orders, %d rejected, %d trades, %d fills journaled, equity %.2f",
				c.strategy, want.Orders, want.Rejected, len(want.Trades), fills, want.Equity[len(want.Equity)-1])
		})
	}
}

func compareResults(t *testing.T, want, got *sim.Result) {
	t.Helper()
	if same, why := Same(got, want); !same {
		t.Fatalf("live differs from the backtest: %s", why)
	}
	if !reflect.DeepEqual(got.Notes, want.Notes) {
		t.Errorf("decision logs differ: %d notes, backtest %d", len(got.Notes), len(want.Notes))
	}
	if !reflect.DeepEqual(got.Days, want.Days) {
		t.Errorf("days differ")
	}
}

// TestOnceRestartEqualsReplay runs the wheel one session per process
// (Once, the journal replayed each time, as cron runs it) and checks the
// book it ends with equals one uninterrupted replay of the same sessions:
// the journal's answers (prices, per-leg fees) rebuild the state exactly.
func TestOnceRestartEqualsReplay(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	var set map[string]string
	days := []string{"2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10"}
	path := t.TempDir() + "/once.duckdb"
	var last *Outcome
	for _, d := range days {
		j, err := OpenJournal(path)
		if err != nil {
			t.Fatal(err)
		}
		bt, err := strategy.Build("wheel", set)
		if err != nil {
			t.Fatal(err)
		}
		o := Options{Run: Run{ID: "once-wheel", Strategy: "wheel", Symbols: []string{"SPY"}, Params: bt.Params, Broker: "paper",
			Mode: ModePaper, Cash: bt.Exec.Cash}, Built: bt, Store: st, Journal: j, Broker: slive.NewPaper("p", bt.Exec), Model: feed.DefaultOptions()}
		if last, err = Once(ctx, o, day(d)); err != nil {
			t.Fatal(err)
		}
		j.Close()
		if last.Stopped != "" {
			t.Fatalf("%s: %s", d, last.Stopped)
		}
	}
	tape, _, err := feed.Load(ctx, st, []string{"SPY"}, day(days[0]), day(days[len(days)-1]), feed.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	bt, _ := strategy.Build("wheel", set)
	want, err := sim.Run(tape, bt.Strategy, bt.Exec)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Trades) == 0 {
		t.Fatal("no trades: the comparison would prove nothing")
	}
	if same, why := Same(last.Result, want); !same {
		t.Errorf("session-by-session run differs from the backtest: %s", why)
	}
}

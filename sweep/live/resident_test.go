package live

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim/calendar"
	slive "github.com/optsweep/sweep/sim/live"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sweep/feed"
)

// paperOpener opens the store, the journal at path and a fresh paper broker
// for the wheel on SPY, as one `sweep live --once` process does.
func paperOpener(storeFile, path string) Opener {
	return func(ctx context.Context) (Options, func(), error) {
		st, err := market.OpenReadOnly(storeFile)
		if err != nil {
			return Options{}, nil, err
		}
		j, err := OpenJournal(path)
		if err != nil {
			st.Close()
			return Options{}, nil, err
		}
		// The store lists monthly expirations: the default 30..45 days
		// find none in late November.
		bt, err := strategy.Build("wheel", map[string]string{"dte_min": "10", "dte_max": "60"})
		if err != nil {
			j.Close()
			st.Close()
			return Options{}, nil, err
		}
		o := Options{Run: Run{ID: "resident-wheel", Strategy: "wheel", Symbols: []string{"SPY"}, Params: bt.Params, Broker: "paper",
			Mode: ModePaper, Cash: bt.Exec.Cash}, Built: bt, Store: st, Journal: j, Broker: slive.NewPaper("p", bt.Exec), Model: feed.DefaultOptions()}
		return o, func() { j.Close(); st.Close() }, nil
	}
}

// TestResidentEqualsOnce drives the resident loop with a fake clock from
// Tuesday 21 November 2023 through Thanksgiving (a holiday), the early close
// the day after (12:45), a weekend and two more sessions, then cancels it as
// it reports the last one: it woke at each session's decision time, stopped
// between ticks, and left the journal a run of --once per session leaves.
func TestResidentEqualsOnce(t *testing.T) {
	testStore(t).Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	days := []string{"2023-11-21", "2023-11-22", "2023-11-24", "2023-11-27", "2023-11-28"}
	want := []string{"Tue 11-21 15:45", "Wed 11-22 15:45", "Fri 11-24 12:45", "Mon 11-27 15:45", "Tue 11-28 15:45"}

	resident := filepath.Join(dir, "resident.duckdb")
	clock := &slive.ManualClock{T: time.Date(2023, 11, 21, 14, 0, 0, 0, time.UTC)}
	var woke []string
	var nexts []time.Time
	r := Resident{Open: paperOpener(storePath, resident), Clock: clock,
		Report: func(w slive.Wake, out *Outcome) {
			nexts = append(nexts, w.Next.Time)
			if !w.Ran {
				return
			}
			if w.Err != nil || out == nil || len(out.Ticks) != 2 {
				t.Errorf("wake at %v: %v, outcome %+v", w.Tick.Time, w.Err, out)
			}
			woke = append(woke, w.Tick.Time.In(calendar.NewYork()).Format("Mon 01-02 15:04"))
			if len(woke) == len(days) {
				cancel()
			}
		}}
	if err := r.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v, want context.Canceled", err)
	}
	if !reflect.DeepEqual(woke, want) {
		t.Errorf("woke at\n %v\nwant\n %v", woke, want)
	}
	if len(nexts) != len(days)+1 || !nexts[0].Equal(time.Date(2023, 11, 21, 20, 45, 0, 0, time.UTC)) ||
		!nexts[len(nexts)-1].Equal(time.Date(2023, 11, 29, 20, 45, 0, 0, time.UTC)) {
		t.Errorf("next wakes %v", nexts)
	}

	once := filepath.Join(dir, "once.duckdb")
	for _, d := range days {
		o, closeAll, err := paperOpener(storePath, once)(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Once(context.Background(), o, day(d))
		closeAll()
		if err != nil {
			t.Fatalf("once %s: %v", d, err)
		}
	}
	got, ref := facts(t, resident), facts(t, once)
	if len(ref.Fills) == 0 {
		t.Fatal("no fills: the comparison would prove nothing")
	}
	if !reflect.DeepEqual(got, ref) {
		t.Errorf("the resident journal differs from --once per session:\n%+v\n%+v", got, ref)
	}
	if n := sessions(t, resident); n != strings.Join(days, " ") {
		t.Errorf("resident journal sessions %s", n)
	}
}

// sessions lists the sessions a journal ended.
func sessions(t *testing.T, path string) string {
	t.Helper()
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	var s string
	if err := j.DB().QueryRow(`SELECT string_agg(CAST(day AS VARCHAR), ' ' ORDER BY day) FROM records WHERE kind = 'session_end'`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

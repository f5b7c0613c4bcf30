package live

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	slive "github.com/optsweep/sweep/sim/live"
)

// TestReadRunLog journals two runs through the Journal and reads one back.
func TestReadRunLog(t *testing.T) {
	ctx := context.Background()
	j, err := OpenJournal("")
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	d1, d2 := sim.DayOf(day("2026-01-05")), sim.DayOf(day("2026-01-06"))
	for _, r := range []Run{
		{ID: "other", Strategy: "wheel", Symbols: []string{"QQQ"}, Broker: "paper", Mode: "dry", Cash: 1000},
		{ID: "w1", Strategy: "wheel", Symbols: []string{"SPY", "IWM"}, Broker: "paper", Mode: "paper", Cash: 50000},
	} {
		if err := j.Use(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	recs := []slive.Record{
		{Kind: slive.KindTick, Tick: slive.Tick{Day: d1, Step: 1},
			Fills:    []slive.Fill{{ClientID: "w1-1", Kind: sim.Open, Units: 2, Price: 1.05, Model: 1.00, Fees: 1.3}},
			Refusals: []slive.Refusal{{Index: 1, Why: "buying power"}},
			Messages: []string{"dry run: order w1-2"}, Book: slive.BookState{Cash: 50100, Equity: 50050}},
		{Kind: slive.KindSessionEnd, Tick: slive.Tick{Day: d1}, Book: slive.BookState{Cash: 50100, Equity: 50080, Collateral: 40000}},
		{Kind: slive.KindSessionEnd, Tick: slive.Tick{Day: d2}, Book: slive.BookState{Cash: 50100, Equity: 50120, Collateral: 40000}},
	}
	for i := range recs {
		if err := j.Commit(ctx, &recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		run     string
		want    *RunLog
		wantErr string
	}{
		{run: "w1", want: &RunLog{
			Run:      Run{ID: "w1", Strategy: "wheel", Symbols: []string{"SPY", "IWM"}, Broker: "paper", Mode: "paper", Cash: 50000},
			Fills:    []FillRow{{Day: day("2026-01-05"), ClientID: "w1-1", Kind: sim.Open.String(), Units: 2, Price: 1.05, Model: 1.00, Fees: 1.3}},
			Sessions: []SessionRow{{day("2026-01-05"), 50100, 50080, 40000}, {day("2026-01-06"), 50100, 50120, 40000}},
			Refusals: []RefusalRow{{Day: day("2026-01-05"), Order: 1, Why: "buying power"}},
			Messages: []MessageRow{{Day: day("2026-01-05"), Text: "dry run: order w1-2"}},
		}},
		{run: "other", want: &RunLog{Run: Run{ID: "other", Strategy: "wheel", Symbols: []string{"QQQ"}, Broker: "paper",
			Mode: "dry", Cash: 1000}}},
		{run: "nope", wantErr: `live journal has no run "nope"`},
	}
	for _, tt := range tests {
		got, err := ReadRunLog(ctx, j.DB(), tt.run)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ReadRunLog(%s) error %v, want %q", tt.run, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("ReadRunLog(%s): %v", tt.run, err)
		}
		for i := range got.Fills {
			got.Fills[i].Day = got.Fills[i].Day.UTC()
		}
		for i := range got.Sessions {
			got.Sessions[i].Day = got.Sessions[i].Day.UTC()
		}
		for i := range got.Refusals {
			got.Refusals[i].Day = got.Refusals[i].Day.UTC()
		}
		for i := range got.Messages {
			got.Messages[i].Day = got.Messages[i].Day.UTC()
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ReadRunLog(%s) =\n %+v, want\n %+v", tt.run, got, tt.want)
		}
	}
}

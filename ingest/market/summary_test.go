package market

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// summaryStore holds quotesCSV (SPY, 2024-01-02 and 03, expiration
// 2024-01-19) and SPY's bars of both days.
func summaryStore(t *testing.T) *Store {
	t.Helper()
	s := openStore(t)
	ingest(t, s, writeFile(t, "quotes.csv", quotesCSV), Options{})
	ingest(t, s, writeFile(t, "bars.csv", "trade_date,symbol,close\n2024-01-02,SPY,472.65\n2024-01-03,SPY,468.79\n"), Options{})
	return s
}

func TestSummary(t *testing.T) {
	got, err := summaryStore(t).Summary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []TableSummary{
		{"instruments", 0, "-", "-", ""}, // a CSV of quotes names no instruments
		{"option_quotes", 4, "2024-01-02", "2024-01-03", "SPY"},
		{"option_intraday", 0, "-", "-", ""},
		{"underlying_bars", 2, "2024-01-02", "2024-01-03", "SPY"},
		{"events", 0, "-", "-", ""},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Summary:\n got %v\nwant %v", got, want)
	}
}

func TestSampleChain(t *testing.T) {
	s := summaryStore(t)
	ctx := context.Background()
	got, err := s.SampleChain(ctx, "SPY")
	if err != nil {
		t.Fatal(err)
	}
	// The last day, 2024-01-03, quotes only the 470 put.
	if len(got) != 1 {
		t.Fatalf("SampleChain: %d rows, want 1: %+v", len(got), got)
	}
	r := got[0]
	if r.Day != "2024-01-03" || r.Expiration != "2024-01-19" || r.Spot != 468.79 || r.Strike != 470 ||
		r.PutBid == nil || *r.PutBid != 2.50 || r.PutAsk == nil || *r.PutAsk != 2.55 || r.PutOI == nil || *r.PutOI != 5100 ||
		r.CallBid != nil || r.CallAsk != nil || r.CallOI != nil {
		t.Errorf("SampleChain row: %+v", r)
	}
	if none, err := s.SampleChain(ctx, "QQQ"); err != nil || len(none) != 0 {
		t.Errorf("SampleChain(QQQ) = %v, %v; want no rows", none, err)
	}
}

func TestCountQuotes(t *testing.T) {
	s := summaryStore(t)
	day := func(d string) time.Time { t, _ := time.Parse(time.DateOnly, d); return t }
	for _, c := range []struct {
		syms     []string
		from, to string
		want     int64
	}{
		{[]string{"SPY"}, "2024-01-02", "2024-01-03", 4},
		{[]string{"SPY"}, "2024-01-03", "2024-01-31", 1},
		{[]string{"QQQ", "SPY"}, "2024-01-02", "2024-01-02", 3},
		{[]string{"QQQ"}, "2024-01-01", "2024-12-31", 0},
	} {
		n, err := s.CountQuotes(context.Background(), c.syms, day(c.from), day(c.to))
		if err != nil || n != c.want {
			t.Errorf("CountQuotes(%v, %s, %s) = %d, %v; want %d", c.syms, c.from, c.to, n, err, c.want)
		}
	}
}

package market

import (
	"context"
	"strings"
	"testing"

	"github.com/optsweep/sweep/ingest/synth"
)

// smallMarket generates the small synthetic market and returns its settings
// and files, in the order of its manifest.
func smallMarket(t *testing.T) (synth.Config, []string) {
	t.Helper()
	cfg, err := synth.Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	cfg.OutDir = t.TempDir()
	m, err := synth.Generate(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, m.Paths(cfg.OutDir, "")
}

// TestIngestSyntheticMarket generates the small synthetic market as DBN files and
// ingests it the way a user would, then checks the store against what the
// generator wrote: every instrument id resolves (they are reassigned over time),
// every snapshot is at or before 15:45 New York time, and the underlyings, VIX and
// events are there for every trading day.
func TestIngestSyntheticMarket(t *testing.T) {
	cfg, files := smallMarket(t)
	s := openStore(t)
	for _, p := range files {
		res := ingest(t, s, p, Options{})
		for _, n := range res.Notes {
			if strings.Contains(n, "instrument id not in") {
				t.Errorf("%s: %s", p, n)
			}
		}
	}
	checks := []struct {
		name, query string
		want        int64
	}{
		{"quotes after the snapshot (look-ahead)", `SELECT count(*) FROM option_quotes
			WHERE quote_ts > timezone('America/New_York', trade_date + INTERVAL 15 HOUR + INTERVAL 45 MINUTE)`, 0},
		{"quotes from another day", `SELECT count(*) FROM option_quotes
			WHERE CAST(timezone('America/New_York', quote_ts) AS DATE) <> trade_date`, 0},
		{"rows without open interest", `SELECT count(*) FROM option_quotes WHERE open_interest IS NULL`, 0},
		// The generator leaves a few contracts without a two-sided quote before the
		// snapshot, as real data does; they are flagged, and must stay rare.
		{"rows without a quote, per mille", `SELECT (1000 * count(*) FILTER (flags & 8 <> 0) / count(*))::BIGINT FROM option_quotes`, 0},
		{"quotes with no instrument", `SELECT count(*) FROM option_quotes q ANTI JOIN instruments i USING (osi)`, 0},
		{"days without a full set of bars", `SELECT count(*) FROM (SELECT trade_date FROM option_quotes GROUP BY ALL)
			ANTI JOIN (SELECT trade_date FROM underlying_bars GROUP BY ALL HAVING count(*) = 5) USING (trade_date)`, 0},
		{"contracts past expiry", `SELECT count(*) FROM option_quotes WHERE expiration < trade_date`, 0},
		{"SPX strikes off the 5-point grid", `SELECT count(*) FROM option_quotes WHERE underlying = 'SPX' AND strike % 5 <> 0`, 0},
		{"AM-settled SPX monthlies", `SELECT sign(count(*)) FROM instruments WHERE root = 'SPX' AND settlement = 'AM' AND style = 'european'`, 1},
		{"earnings events", `SELECT sign(count(*)) FROM events WHERE kind = 'earnings' AND symbol = 'AAPL'`, 1},
	}
	for _, c := range checks {
		var got int64
		if err := s.DB().QueryRow(c.query).Scan(&got); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
	var rows, days int64
	s.DB().QueryRow(`SELECT count(*), count(DISTINCT trade_date) FROM option_quotes`).Scan(&rows, &days)
	if rows < 1000 || days < 55 {
		t.Errorf("option_quotes has %d rows over %d days", rows, days)
	}

	// The readers sim uses: chains, bars (VIX included) and events.
	ctx := context.Background()
	var c Chains
	if err := s.LoadChains(ctx, "SPY", cfg.From, cfg.To, &c); err != nil {
		t.Fatal(err)
	}
	var spy, vix Bars
	if err := s.LoadBars(ctx, "SPY", cfg.From, cfg.To, &spy); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadBars(ctx, "VIX", cfg.From, cfg.To, &vix); err != nil {
		t.Fatal(err)
	}
	if len(c.Days) != len(spy.Days) || len(vix.Days) != len(spy.Days) || c.Days[0] != spy.Days[0] {
		t.Errorf("%d chain days, %d SPY bars, %d VIX bars", len(c.Days), len(spy.Days), len(vix.Days))
	}
	for i := range vix.Close {
		if !(vix.Close[i] > 5 && vix.Close[i] < 90) {
			t.Errorf("VIX close %v on day %d", vix.Close[i], vix.Days[i])
		}
	}
	events, err := s.LoadEvents(ctx, cfg.From, cfg.To.AddDate(0, 3, 0), "AAPL")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, e := range events {
		if e.Symbol != "AAPL" && e.Symbol != "*" {
			t.Errorf("event for %s", e.Symbol)
		}
		kinds[e.Kind]++
	}
	if kinds["earnings"] == 0 || kinds["fomc"] == 0 {
		t.Errorf("events by kind: %v", kinds)
	}
}

// TestIngestIntraday loads the generator's minute snapshots of expiring chains into
// option_intraday: only contracts on their expiry day, only market hours, and the
// daily snapshot still taken at 15:45.
func TestIngestIntraday(t *testing.T) {
	cfg, err := synth.Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	cfg.OutDir = t.TempDir()
	cfg.Intraday = true
	cfg.To = cfg.From.AddDate(0, 0, 14)
	m, err := synth.Generate(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	for _, p := range m.Paths(cfg.OutDir, "") {
		ingest(t, s, p, Options{Intraday: true})
	}
	var rows, notExpiring, outside, bad int64
	err = s.DB().QueryRow(`SELECT count(*),
		count(*) FILTER (CAST(timezone('America/New_York', ts) AS DATE) <> expiration),
		count(*) FILTER (strftime(timezone('America/New_York', ts), '%H:%M') NOT BETWEEN '09:31' AND '16:15'),
		count(*) FILTER (bid > ask OR bid < 0)
		FROM option_intraday`).Scan(&rows, &notExpiring, &outside, &bad)
	if err != nil {
		t.Fatal(err)
	}
	if rows < 1000 || notExpiring != 0 || outside != 0 || bad != 0 {
		t.Errorf("option_intraday: %d rows, %d not expiring that day, %d outside market hours, %d bad quotes",
			rows, notExpiring, outside, bad)
	}
}

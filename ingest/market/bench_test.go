package market

import (
	"context"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/synth"
)

// BenchmarkIngest compares, in one run, the Appender, the ingest path (Appender
// into staging, then MERGE) and DuckDB's own Parquet copy on the same rows.
func BenchmarkIngest(b *testing.B) {
	s := openStore(b)
	const n = 500_000
	var r IngestRates
	for b.Loop() {
		var err error
		if r, err = s.MeasureIngest(context.Background(), n, b.TempDir()); err != nil {
			b.Fatal(err)
		}
	}
	pq := r.PerSecond(r.Parquet)
	b.ReportMetric(r.PerSecond(r.Appender), "appender-rows/s")
	b.ReportMetric(r.PerSecond(r.Stage), "ingest-rows/s")
	b.ReportMetric(pq, "parquet-rows/s")
	b.ReportMetric(r.PerSecond(r.Appender)/pq, "appender/parquet")
	b.ReportMetric(r.PerSecond(r.Stage)/pq, "ingest/parquet")
}

// BenchmarkLoadChains loads one symbol's two years of daily chains (about 2M rows)
// into column slices.
func BenchmarkLoadChains(b *testing.B) {
	s := openStore(b)
	ctx := context.Background()
	rows := benchRows(2_000_000)
	err := s.withTx(ctx, func(t *tx) error {
		if err := stageBench(t, rows); err != nil {
			return err
		}
		_, err := t.exec(`INSERT INTO option_quotes SELECT * FROM bench_quotes`)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	from, to := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, arrow := range []bool{false, true} {
		name := "rows"
		if arrow {
			name = "arrow"
			if !ArrowReads {
				continue
			}
		}
		b.Run(name, func(b *testing.B) {
			var c Chains
			for b.Loop() {
				if err := s.loadChains(ctx, "SPY", from, to, &c, arrow); err != nil {
					b.Fatal(err)
				}
			}
			if c.Len() != len(rows) || len(c.Days) != len(rows)/benchSyms {
				b.Fatalf("loaded %d rows over %d days, want %d", c.Len(), len(c.Days), len(rows))
			}
			b.ReportMetric(float64(c.Len())*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkIngestSPYMonth ingests one month of the spy-5y preset's files: the
// whole DBN path, decode to merge.
func BenchmarkIngestSPYMonth(b *testing.B) {
	cfg, err := synth.Preset("spy-5y")
	if err != nil {
		b.Fatal(err)
	}
	cfg.From = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	cfg.To = time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)
	cfg.OutDir = b.TempDir()
	m, err := synth.Generate(context.Background(), cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	var records int64
	for b.Loop() {
		s := openStore(b)
		records = 0
		for _, p := range m.Paths(cfg.OutDir, "") {
			res := ingest(b, s, p, Options{})
			records += res.Records
		}
		s.Close()
	}
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

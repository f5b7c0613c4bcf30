package market

import (
	"context"
	"testing"
	"time"

	"github.com/optsweep/sweep/ingest/synth"
)

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

package synth_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/optsweep/sweep/ingest/synth"
)

func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "synth-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	cfg := synth.Config{
		Symbols: []string{"SPY"},
		From:    time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		To:      time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC),
		Seed:    42,
		OutDir:  dir,
	}
	m, err := synth.Generate(context.Background(), cfg, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range m.Files { // in the order to ingest them
		fmt.Println(f.Kind, f.Path)
	}
	// Output:
	// dbn INDEX/ohlcv-1d.dbn.zst
	// dbn EQUS/ohlcv-1d.dbn.zst
	// events events.csv
	// dbn OPRA.PILLAR/2024-03.definition.dbn.zst
	// dbn OPRA.PILLAR/2024-03.statistics.dbn.zst
	// dbn OPRA.PILLAR/2024-03.cbbo-1m.dbn.zst
	// dbn OPRA.PILLAR/2024-03.ohlcv-1d.dbn.zst
}

func ExamplePreset() {
	cfg, err := synth.Preset("spy-5y")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Symbols, cfg.From.Format(time.DateOnly), cfg.To.Format(time.DateOnly))
	// Output: [SPY] 2020-01-02 2024-12-31
}

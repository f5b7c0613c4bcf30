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
	// dbn OPRA.PILLAR/2024-03.cbbo-1m.dbn.zst
	// dbn OPRA.PILLAR/2024-03.statistics.dbn.zst
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

// A market on real history: SPY's real daily bars drive SPY, SPX (SPY × 10)
// and VIX; the option chains are synthetic on those prices.
func ExampleShippedSeries() {
	spy, err := synth.ShippedSeries("SPY")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(spy.Symbol, len(spy.Days), spy.Days[0].Format(time.DateOnly), spy.Close[0])
	aapl, _ := synth.ShippedSeries("AAPL")
	for _, s := range aapl.Splits() {
		fmt.Printf("AAPL %g:1 split on %s\n", s.Ratio, s.Date.Format(time.DateOnly))
	}
	dir, err := os.MkdirTemp("", "synth-history-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	cfg := synth.Config{Symbols: []string{"SPX"}, History: []*synth.Series{spy},
		From: time.Date(2018, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2018, 2, 6, 0, 0, 0, 0, time.UTC), Seed: 1, OutDir: dir}
	m, err := synth.Generate(context.Background(), cfg, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Config.Symbols, m.Config.Derived["SPX"])
	// Output:
	// SPY 5849 1998-01-02 97.36
	// AAPL 2:1 split on 2000-06-21
	// AAPL 2:1 split on 2005-02-28
	// AAPL 7:1 split on 2014-06-09
	// AAPL 4:1 split on 2020-08-31
	// [SPX SPY] SPY x 10 (real SPY bars)
}

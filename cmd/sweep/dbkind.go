package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/optsweep/sweep/internal/duckfile"
)

// checkDBs checks, before any work, that the market DB a command reads is a
// market DB and that the results DB it writes is a results DB (or does not
// exist yet), so that an --db/--out swap is refused with a clear message and
// neither file is touched.
func checkDBs(ctx context.Context, marketDB, resultsDB string) error {
	if a, err1 := filepath.Abs(marketDB); err1 == nil {
		if b, err2 := filepath.Abs(resultsDB); err2 == nil && a == b {
			return usageErrorf("--db and --out both name %s: the market DB and the results DB are separate files", marketDB)
		}
	}
	k, err := duckfile.FileKind(ctx, resultsDB)
	if err != nil {
		return fmt.Errorf("results DB %s: %w", resultsDB, err)
	}
	if k != duckfile.KindResults && k != duckfile.KindEmpty {
		return &duckfile.KindError{Path: resultsDB, Got: k, Want: duckfile.KindResults,
			Hint: "results go to --out " + defaultResultsDB + " (or another new file)"}
	}
	if k, err = duckfile.FileKind(ctx, marketDB); err != nil {
		return fmt.Errorf("market DB %s: %w", marketDB, err)
	}
	if k != duckfile.KindMarket && k != duckfile.KindEmpty {
		return &duckfile.KindError{Path: marketDB, Got: k, Want: duckfile.KindMarket,
			Hint: "the market DB is --db " + defaultMarketDB + " (what sweep ingest wrote)"}
	}
	return nil
}

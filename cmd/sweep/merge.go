package main

import (
	"context"
	"fmt"
	"time"

	"github.com/optsweep/sweep/sweep/results"
)

func mergeCommand() *command {
	c := &command{
		name:  "merge",
		usage: "sweep merge [--out runs/results.duckdb] PARTS...",
		short: "load shards' Parquet parts into a results DB (idempotent)",
		long: `Merge loads the Parquet parts that "sweep run --shard i/N" wrote into the results
DB. Each PARTS argument is a part directory or any directory above parts (a
shard's directory, or the grid's parts directory holding every shard); parts
still being written (*.tmp) are ignored. Each part loads in one transaction
and replaces the rows of its cells, so merging again, or merging a shard that
was rerun, neither loses nor doubles anything.

After merging a walk-forward grid, run it again without --shard: every train
cell is found in the results DB and only the out-of-sample step runs.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		out := fs.String("out", "runs/results.duckdb", "results DB to load into (created if missing)")
		dirs, err := parseInterleaved(fs, args, s)
		if err != nil {
			return err
		}
		if len(dirs) == 0 {
			return usageErrorf("name at least one parts directory")
		}
		db, err := results.Open(*out)
		if err != nil {
			return err
		}
		defer db.Close()
		t0 := time.Now()
		st, err := results.Merge(ctx, db, dirs...)
		if err != nil {
			return err
		}
		if st.Parts == 0 {
			return fmt.Errorf("no complete parts under %v", dirs)
		}
		fmt.Fprintf(s.out, "merged %d parts (%d cells, %d runs) into %s in %v\n", st.Parts, st.Cells, st.Runs, *out,
			time.Since(t0).Round(time.Millisecond))
		return nil
	}
	return c
}

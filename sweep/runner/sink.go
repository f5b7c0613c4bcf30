package runner

import (
	"context"

	"github.com/optsweep/sweep/sweep/results"
)

// DBSink writes cells to a results database, one transaction per batch.
type DBSink struct {
	DB *results.DB
}

// Keys returns every cell key in the database.
func (s DBSink) Keys(ctx context.Context) (map[string]bool, error) { return s.DB.CellKeys(ctx) }

// Write stores a batch in one transaction.
func (s DBSink) Write(ctx context.Context, _ results.Run, batch []*results.Encoded) error {
	return s.DB.WriteEncoded(ctx, batch)
}

// Link records that cells already in the database belong to run.
func (s DBSink) Link(ctx context.Context, run results.Run, keys []string) error {
	return s.DB.LinkCells(ctx, run.ID, keys)
}

// PartSink writes cells as Parquet parts in a directory, one part per batch,
// for `sweep merge` to load: a shard of a cluster run.
type PartSink struct {
	W *results.PartWriter
}

// Keys returns the cell keys in the directory's complete parts.
func (s PartSink) Keys(ctx context.Context) (map[string]bool, error) { return s.W.Keys(ctx) }

// Write stores a batch, and run's row, as one part.
func (s PartSink) Write(ctx context.Context, run results.Run, batch []*results.Encoded) error {
	return s.W.WriteEncoded(ctx, run, batch)
}

// Link does nothing: the parts that hold the cells already link them to the
// run.
func (s PartSink) Link(context.Context, results.Run, []string) error { return nil }

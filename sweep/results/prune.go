package results

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
)

// Pruned says what PruneRun took out of a run.
type Pruned struct {
	Cells      int      // cells unlinked from the run
	Partitions []string // their symbols and dates, "SPY 2023-01-03..2024-12-31"
}

// PruneRun unlinks from run runID every cell whose key is not in keep: the
// cells a rerun no longer plans because the data they read (or the engine)
// changed since, so that the run holds one cell per grid point, all of the
// current data version. The cells' rows stay for any other run that holds
// them.
func (db *DB) PruneRun(ctx context.Context, runID string, keep []string) (Pruned, error) {
	return db.PruneRunKeys(ctx, runID, func(yield func([]string) error) error { return yield(keep) })
}

// PruneRunKeys is PruneRun with the keys to keep given in batches: keys calls
// yield with each batch, so that a caller need not hold every key of a large
// run. An error from keys (or yield) leaves the run as it was.
func (db *DB) PruneRunKeys(ctx context.Context, runID string, keys func(yield func([]string) error) error) (Pruned, error) {
	var p Pruned
	db.mu.Lock()
	defer db.mu.Unlock()
	err := db.withTx(ctx, func(t *tx) error {
		if err := t.exec(`CREATE OR REPLACE TEMP TABLE keep_keys (cell_key VARCHAR)`); err != nil {
			return err
		}
		if err := keys(func(batch []string) error {
			return t.exec(`INSERT INTO keep_keys SELECT unnest(?::VARCHAR[])`, batch)
		}); err != nil {
			return err
		}
		rows, err := t.raw.QueryContext(t.ctx, `SELECT count(*) OVER (), coalesce(array_to_string(c.symbols, ',') || ' ' ||
				strftime(c.date_from, '%Y-%m-%d') || '..' || strftime(c.date_to, '%Y-%m-%d'), '?')
			FROM run_cells rc LEFT JOIN cells c USING (cell_key)
			WHERE rc.run_id = $1 AND rc.cell_key NOT IN (SELECT cell_key FROM keep_keys)
			GROUP BY ALL ORDER BY 2`, []driver.NamedValue{{Ordinal: 1, Value: runID}})
		if err != nil {
			return err
		}
		vals := make([]driver.Value, 2)
		for {
			err := rows.Next(vals)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rows.Close()
				return err
			}
			p.Partitions = append(p.Partitions, vals[1].(string))
		}
		rows.Close()
		n, err := t.raw.ExecContext(t.ctx, `DELETE FROM run_cells WHERE run_id = $1 AND cell_key NOT IN (SELECT cell_key FROM keep_keys)`,
			[]driver.NamedValue{{Ordinal: 1, Value: runID}})
		if err != nil {
			return err
		}
		c, _ := n.RowsAffected()
		p.Cells = int(c)
		return t.exec(`DROP TABLE keep_keys`)
	})
	if err != nil {
		return Pruned{}, fmt.Errorf("results: prune run %s: %w", runID, err)
	}
	return p, nil
}

package results

import (
	"context"
	"fmt"
	"time"
)

// ScanBucket is one row of scan_buckets: one DTE × delta bucket of a scan's
// outcome table. P&L is in dollars per unit, without fees.
type ScanBucket struct {
	DTELo, DTEHi             int
	DeltaLo, DeltaHi         float64
	Count, Open              int
	Mean, Std, Min, Q1       float64
	Median, Q3, Max, WinRate float64
	ProfitFactor, MeanDays   float64
}

// Scan is one `sweep scan`: a structure's outcome distribution on one symbol
// and window, a row of scans and its rows of scan_buckets.
type Scan struct {
	ID            string
	Symbol        string
	From, To      time.Time
	Params        string // the strategy parameters, JSON
	Fingerprint   string // the market data's
	Entries       int
	ChainRows     int           // contract-days scanned
	Load, Compute time.Duration // loading the tape (greeks included) and the scan itself
	Created       time.Time
	Buckets       []ScanBucket
}

// scanDDL creates the scan tables. They live beside the grid tables and
// need no schema version of their own: they are only ever added to.
var scanDDL = []string{
	`CREATE TABLE IF NOT EXISTS scans (
		scan_id      VARCHAR PRIMARY KEY,
		symbol       VARCHAR NOT NULL,
		date_from    DATE NOT NULL,
		date_to      DATE NOT NULL,
		params       JSON,
		fingerprint  VARCHAR,
		entries      BIGINT,
		chain_rows   BIGINT,
		load_seconds DOUBLE,
		scan_seconds DOUBLE,
		created      TIMESTAMPTZ)`,
	`CREATE TABLE IF NOT EXISTS scan_buckets (
		scan_id       VARCHAR NOT NULL,
		dte_lo        INTEGER NOT NULL,  -- days to expiry of leg 0 at entry: dte_lo <= DTE < dte_hi
		dte_hi        INTEGER NOT NULL,
		delta_lo      DOUBLE NOT NULL,   -- |delta| of leg 0 at entry: delta_lo <= |delta| < delta_hi
		delta_hi      DOUBLE NOT NULL,
		n             BIGINT NOT NULL,   -- closed outcomes
		n_open        BIGINT NOT NULL,   -- still open at the end of the window (not in the statistics)
		pnl_mean      DOUBLE,            -- dollars per unit, no fees
		pnl_std       DOUBLE,
		pnl_min       DOUBLE,
		pnl_q1        DOUBLE,
		pnl_median    DOUBLE,
		pnl_q3        DOUBLE,
		pnl_max       DOUBLE,
		win_rate      DOUBLE,
		profit_factor DOUBLE,            -- NULL without losses
		mean_days     DOUBLE)`,
}

// WriteScan records s, replacing a scan with the same ID, in one
// transaction.
func (db *DB) WriteScan(ctx context.Context, s Scan) error {
	return db.withTx(ctx, func(t *tx) error {
		for _, q := range scanDDL {
			if err := t.exec(q); err != nil {
				return fmt.Errorf("results: scan tables: %w", err)
			}
		}
		for _, q := range []string{`DELETE FROM scan_buckets WHERE scan_id = ?`, `DELETE FROM scans WHERE scan_id = ?`} {
			if err := t.exec(q, s.ID); err != nil {
				return fmt.Errorf("results: scan %s: %w", s.ID, err)
			}
		}
		if err := t.exec(`INSERT INTO scans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, s.Symbol, date(s.From), date(s.To),
			s.Params, s.Fingerprint, s.Entries, s.ChainRows, s.Load.Seconds(), s.Compute.Seconds(), s.Created); err != nil {
			return fmt.Errorf("results: scan %s: %w", s.ID, err)
		}
		for _, b := range s.Buckets {
			if err := t.exec(`INSERT INTO scan_buckets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				s.ID, b.DTELo, b.DTEHi, b.DeltaLo, b.DeltaHi, b.Count, b.Open, num(b.Mean), num(b.Std), num(b.Min),
				num(b.Q1), num(b.Median), num(b.Q3), num(b.Max), num(b.WinRate), num(b.ProfitFactor), num(b.MeanDays)); err != nil {
				return fmt.Errorf("results: scan %s bucket: %w", s.ID, err)
			}
		}
		return nil
	})
}

// Scans returns the recorded scans' IDs, newest first; none when the
// database has no scan tables.
func (db *DB) Scans(ctx context.Context) ([]string, error) {
	var ok bool
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = 'scans'`).Scan(&ok); err != nil || !ok {
		return nil, err
	}
	rows, err := db.db.QueryContext(ctx, `SELECT scan_id FROM scans ORDER BY created DESC, scan_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

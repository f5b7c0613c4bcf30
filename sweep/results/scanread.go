package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"
)

// ReadScan reads scan id with its buckets ordered by DTE then delta. NULL
// statistics (an empty bucket's) read as NaN, except that a bucket with
// outcomes and a NULL profit factor (no losses) reads +Inf, as WriteScan was
// given it. The error wraps ErrNotFound when the database has no scan id.
func (db *DB) ReadScan(ctx context.Context, id string) (Scan, error) {
	s := Scan{ID: id}
	var params, fp sql.NullString
	var load, compute sql.NullFloat64
	var created sql.NullTime
	err := db.db.QueryRowContext(ctx, `SELECT symbol, date_from, date_to, CAST(params AS VARCHAR), fingerprint,
		entries, chain_rows, load_seconds, scan_seconds, created FROM scans WHERE scan_id = ?`, id).
		Scan(&s.Symbol, &s.From, &s.To, &params, &fp, &s.Entries, &s.ChainRows, &load, &compute, &created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return s, fmt.Errorf("scan %s: %w", id, ErrNotFound)
	case err != nil:
		return s, fmt.Errorf("scan %s: %w", id, err)
	}
	s.Params, s.Fingerprint, s.Created = params.String, fp.String, created.Time
	s.Load, s.Compute = seconds(load), seconds(compute)
	if s.Buckets, err = db.readBuckets(ctx, id); err != nil {
		return s, fmt.Errorf("scan %s buckets: %w", id, err)
	}
	return s, nil
}

// seconds is a duration of x seconds, 0 when NULL.
func seconds(x sql.NullFloat64) time.Duration {
	return time.Duration(math.Round(x.Float64 * float64(time.Second)))
}

// readBuckets reads the scan_buckets of scan id.
func (db *DB) readBuckets(ctx context.Context, id string) ([]ScanBucket, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT dte_lo, dte_hi, delta_lo, delta_hi, n, n_open, pnl_mean, pnl_std, pnl_min, pnl_q1,
		pnl_median, pnl_q3, pnl_max, win_rate, profit_factor, mean_days FROM scan_buckets WHERE scan_id = ? ORDER BY dte_lo, delta_lo`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ScanBucket
	var v [10]sql.NullFloat64
	for rows.Next() {
		var b ScanBucket
		dst := []any{&b.DTELo, &b.DTEHi, &b.DeltaLo, &b.DeltaHi, &b.Count, &b.Open}
		for k := range v {
			dst = append(dst, &v[k])
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		for k, p := range []*float64{&b.Mean, &b.Std, &b.Min, &b.Q1, &b.Median, &b.Q3, &b.Max, &b.WinRate, &b.ProfitFactor, &b.MeanDays} {
			*p = nullNaN(v[k])
		}
		if !v[8].Valid && b.Count > 0 {
			b.ProfitFactor = math.Inf(1)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

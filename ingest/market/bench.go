package market

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// IngestRates compares ways of writing the same option_quotes rows, measured in
// one run so that the ratios hold whatever the machine is doing.
type IngestRates struct {
	Rows     int
	Appender time.Duration // DuckDB Appender straight into a table
	Stage    time.Duration // the ingest path: Appender into staging, then MERGE
	Parquet  time.Duration // DuckDB copying the rows from a Parquet file (its bulk path)
}

// PerSecond converts a duration for r.Rows rows into rows per second.
func (r IngestRates) PerSecond(d time.Duration) float64 { return float64(r.Rows) / d.Seconds() }

// benchRow is one synthetic option_quotes row.
type benchRow struct {
	day, exp           time.Time
	osi, pc            string
	strike, bid, ask   float64
	bidSz, askSz       int32
	qts                time.Time
	vol, oi            int64
	open, high, low, c float64
}

// benchRows makes n deterministic rows shaped like an SPY chain.
func benchRows(n int) []benchRow {
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([]benchRow, n)
	day := time.Date(2023, 1, 3, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		if i%4000 == 0 && i > 0 {
			day = day.AddDate(0, 0, 1)
		}
		k := 300 + float64(i%200)
		mid := 0.05 + 20*rng.Float64()
		exp := day.AddDate(0, 0, 7*(1+i%12))
		pc := "P"
		if i%2 == 1 {
			pc = "C"
		}
		rows[i] = benchRow{day: day, exp: exp, osi: fmt.Sprintf("SPY   %sP%08d", exp.Format("060102"), i%200000),
			pc: pc, strike: k, bid: mid * 0.97, ask: mid * 1.03, bidSz: 10, askSz: 12,
			qts: day.Add(20*time.Hour + 44*time.Minute), vol: int64(rng.IntN(5000)), oi: int64(rng.IntN(50000)),
			open: mid, high: mid * 1.1, low: mid * 0.9, c: mid}
	}
	return rows
}

func (r *benchRow) values() []driver.Value {
	return []driver.Value{r.day, r.osi, "SPY", r.exp, r.pc, r.strike, r.bid, r.ask, r.bidSz, r.askSz,
		r.qts, r.vol, r.oi, r.open, r.high, r.low, r.c}
}

// MeasureIngest writes n synthetic rows three ways into scratch tables of the store
// and times each. dir holds the scratch Parquet file. The scratch tables are
// dropped afterwards.
func (s *Store) MeasureIngest(ctx context.Context, n int, dir string) (IngestRates, error) {
	rows := benchRows(n)
	out := IngestRates{Rows: n}
	const cols = `(trade_date DATE, osi VARCHAR, underlying VARCHAR, expiration DATE, put_call VARCHAR,
		strike DOUBLE, bid DOUBLE, ask DOUBLE, bid_size INTEGER, ask_size INTEGER, quote_ts TIMESTAMPTZ,
		volume BIGINT, open_interest BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE)`
	pq := filepath.Join(dir, "bench_quotes.parquet")
	err := s.withTx(ctx, func(t *tx) error {
		for _, q := range []string{
			`CREATE OR REPLACE TEMP TABLE bench_appender ` + cols,
			`CREATE OR REPLACE TEMP TABLE bench_parquet ` + cols,
		} {
			if _, err := t.exec(q); err != nil {
				return err
			}
		}
		// 1. The Appender alone.
		start := time.Now()
		a, err := duckdb.NewAppender(t.raw, "temp", "main", "bench_appender")
		if err != nil {
			return err
		}
		for i := range rows {
			if err := a.AppendRow(rows[i].values()...); err != nil {
				a.Close()
				return err
			}
		}
		if err := a.Close(); err != nil {
			return err
		}
		out.Appender = time.Since(start)

		// 2. DuckDB's bulk path: the same rows from Parquet.
		if _, err := t.exec(`COPY bench_appender TO '` + pq + `' (FORMAT parquet)`); err != nil {
			return err
		}
		start = time.Now()
		if _, err := t.exec(`INSERT INTO bench_parquet SELECT * FROM read_parquet('` + pq + `')`); err != nil {
			return err
		}
		out.Parquet = time.Since(start)

		// 3. The ingest path: staging through the Appender, then MERGE into a table
		// shaped like option_quotes (empty, as on a first load).
		if _, err := t.exec(`CREATE OR REPLACE TEMP TABLE bench_quotes AS SELECT * FROM option_quotes LIMIT 0`); err != nil {
			return err
		}
		st, err := newStager(t)
		if err != nil {
			return err
		}
		defer st.close()
		start = time.Now()
		for i := range rows {
			if err := st.append("stage_quotes", rows[i].values()...); err != nil {
				return err
			}
		}
		if err := st.appenders["stage_quotes"].Close(); err != nil {
			return err
		}
		delete(st.appenders, "stage_quotes")
		if _, err := t.exec(benchMergeSQL()); err != nil {
			return err
		}
		out.Stage = time.Since(start)
		// Leave nothing behind: the transaction is rolled back.
		return errRollback
	})
	if err != errRollback {
		return out, fmt.Errorf("market: measure ingest: %w", err)
	}
	return out, nil
}

// benchMergeSQL is the option_quotes merge pointed at the scratch table.
func benchMergeSQL() string {
	m := merges[0] // option_quotes
	return "MERGE INTO temp.main.bench_quotes" + strings.TrimPrefix(m.sql, "MERGE INTO option_quotes")
}

// errRollback makes withTx roll back a transaction that did its job.
var errRollback = errors.New("rollback")

// ReadRate is the read path's speed: rows of one underlying's chains loaded into
// column slices per second.
type ReadRate struct {
	Rows int
	Days int
	Time time.Duration
}

// MeasureRead times LoadChains for underlying over [from, to], best of tries.
func (s *Store) MeasureRead(ctx context.Context, underlying string, from, to time.Time, tries int) (ReadRate, error) {
	var c Chains
	best := ReadRate{Time: time.Duration(math.MaxInt64)}
	for range max(tries, 1) {
		start := time.Now()
		if err := s.LoadChains(ctx, underlying, from, to, &c); err != nil {
			return best, err
		}
		if d := time.Since(start); d < best.Time {
			best = ReadRate{Rows: c.Len(), Days: len(c.Days), Time: d}
		}
	}
	return best, nil
}

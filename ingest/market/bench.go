package market

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
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

// benchRow is one synthetic staged quote.
type benchRow struct {
	day, sym     int32
	bid, ask     float64
	bidSz, askSz int32
	quoteUs      int64
}

// benchSyms is the number of contracts in the synthetic chain, about an SPY day.
const benchSyms = 4000

// benchRows makes n deterministic quotes shaped like an SPY chain: benchSyms
// contracts a day over as many days as it takes.
func benchRows(n int) []benchRow {
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([]benchRow, n)
	day0 := int32(time.Date(2023, 1, 3, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	for i := range rows {
		day := day0 + int32(i/benchSyms)
		mid := 0.05 + 20*rng.Float64()
		rows[i] = benchRow{day: day, sym: int32(i % benchSyms), bid: mid * 0.97, ask: mid * 1.03,
			bidSz: int32(1 + rng.IntN(500)), askSz: int32(1 + rng.IntN(500)), quoteUs: int64(day)*86400e6 + 20*3600e6}
	}
	return rows
}

func (r *benchRow) values() []driver.Value {
	return []driver.Value{r.day, r.sym, r.bid, r.ask, r.bidSz, r.askSz, r.quoteUs}
}

// benchSym is contract i of the synthetic chain.
func benchSym(i int) *symInfo {
	exp := time.Date(2025, 1, 17, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*(i/400))
	pc := "P"
	if i%2 == 1 {
		pc = "C"
	}
	k := 300 + float64(i%400)/2
	return &symInfo{name: fmt.Sprintf("SPY   %s%s%08d", exp.Format("060102"), pc, int(k*1000)),
		option: true, underlying: "SPY", root: "SPY", expiration: exp, putCall: pc, strike: k}
}

// stageBench stages rows through the ingest path's appenders and merges them into
// the scratch table bench_quotes.
func stageBench(t *tx, rows []benchRow) error {
	if err := scratchTable(t, "bench_quotes", "option_quotes"); err != nil {
		return err
	}
	st, err := newStager(t)
	if err != nil {
		return err
	}
	defer st.close()
	for i := range benchSyms {
		info := benchSym(i)
		if err := st.append("stage_syms", int32(i), info.name, info.underlying, info.expiration, info.putCall, info.strike); err != nil {
			return err
		}
	}
	for i := range rows {
		if err := st.append("stage_quotes", rows[i].values()...); err != nil {
			return err
		}
	}
	for name, a := range st.appenders {
		if err := a.Close(); err != nil {
			return err
		}
		delete(st.appenders, name)
	}
	_, err = t.exec(benchMergeSQL())
	return err
}

// MeasureIngest times, in one run and on the same n option_quotes rows: the
// Appender alone, the ingest path (Appender into staging, then MERGE into an
// option_quotes table) and DuckDB inserting the resulting rows from a Parquet file.
// dir holds the scratch Parquet file. Nothing is left in the store.
func (s *Store) MeasureIngest(ctx context.Context, n int, dir string) (IngestRates, error) {
	rows := benchRows(n)
	out := IngestRates{Rows: n}
	pq := filepath.Join(dir, "bench_quotes.parquet")
	err := s.withTx(ctx, func(t *tx) error {
		if err := scratchTable(t, "bench_parquet", "option_quotes"); err != nil {
			return err
		}
		// 1. The ingest path, into an empty table as on a first load.
		start := time.Now()
		if err := stageBench(t, rows); err != nil {
			return err
		}
		out.Stage = time.Since(start)

		// 2. The Appender alone, the same rows into a staging-shaped table.
		if err := scratchTable(t, "bench_appender", "stage_quotes"); err != nil {
			return err
		}
		start = time.Now()
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

		// 3. DuckDB's bulk path: the final rows of step 1 from Parquet.
		if _, err := t.exec(`COPY bench_quotes TO '` + pq + `' (FORMAT parquet)`); err != nil {
			return err
		}
		start = time.Now()
		if _, err := t.exec(`INSERT INTO bench_parquet SELECT * FROM read_parquet('` + pq + `')`); err != nil {
			return err
		}
		out.Parquet = time.Since(start)
		if n, err := t.queryInt(`SELECT count(*) FROM bench_parquet`); err != nil || n != int64(len(rows)) {
			return fmt.Errorf("parquet copy has %d rows, want %d (%v)", n, len(rows), err)
		}
		// Leave nothing behind: the transaction is rolled back.
		return errRollback
	})
	if err != errRollback {
		return out, fmt.Errorf("market: measure ingest: %w", err)
	}
	return out, nil
}

// benchMergeSQL is the option_quotes quote merge pointed at the scratch table.
func benchMergeSQL() string {
	m := merges()[0] // option_quotes from stage_quotes, into an empty table: the INSERT path
	return "INSERT INTO temp.main.bench_quotes" + strings.TrimPrefix(m.plain, "INSERT INTO option_quotes")
}

// scratchTable creates (or replaces) the empty temp table name with the columns
// of table src, by explicit DDL rather than CREATE TABLE AS ... LIMIT 0: under
// DuckDB 2.0.0 a table created by CREATE TABLE AS inside a transaction, then
// filled by an ordered INSERT of more than one row group, reads back empty to
// aggregates and COPY (TestScratchTableOrderedInsert).
func scratchTable(t *tx, name, src string) error {
	// A temp table shadows a main one of the same name, as in a query.
	var cols []string
	err := t.eachRow(`SELECT column_name, data_type FROM duckdb_columns()
		WHERE table_name = $1 AND database_name = (SELECT database_name FROM duckdb_tables()
			WHERE table_name = $1 ORDER BY database_name = 'temp' DESC LIMIT 1)
		ORDER BY column_index`, []any{src}, func(row []driver.Value) error {
		cols = append(cols, `"`+row[0].(string)+`" `+row[1].(string))
		return nil
	})
	if err != nil {
		return fmt.Errorf("scratch table %s: %w", name, err)
	}
	if len(cols) == 0 {
		return fmt.Errorf("scratch table %s: no table %s", name, src)
	}
	_, err = t.exec(`CREATE OR REPLACE TEMP TABLE ` + name + ` (` + strings.Join(cols, ", ") + `)`)
	return err
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

// MeasureIngest ingests files into a new market store at path through a Queue,
// as "sweep ingest" does, and returns the DBN records read and the time taken.
// It fails if path exists, so that nothing is skipped as already ingested.
func MeasureIngest(ctx context.Context, path string, files []string) (records int64, took time.Duration, err error) {
	if _, err := os.Stat(path); err == nil {
		return 0, 0, fmt.Errorf("market: %s exists; measure into a new file", path)
	}
	s, err := Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	files = SupportFirst(files)
	start := time.Now()
	q := s.NewQueue(ctx, files, Options{})
	defer q.Close()
	for i := range files {
		res, err := q.Ingest(i)
		if err != nil {
			return 0, 0, err
		}
		if res.Format == "dbn" {
			records += res.Records
		}
	}
	q.Close()
	if err := s.Close(); err != nil { // the final checkpoint is part of the load
		return 0, 0, err
	}
	return records, time.Since(start), nil
}

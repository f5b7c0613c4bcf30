package market

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/optsweep/sweep/ingest/dbn"
)

// Data-quality bits of option_quotes.flags. A strategy excludes flagged rows from
// selection; they are kept so that the counts can be queried.
const (
	FlagCrossed  = 1 << iota // bid above ask
	FlagLocked               // bid equal to ask
	FlagZeroBid              // nothing bid
	FlagNoQuote              // no two-sided quote at or before the snapshot
	FlagDegraded             // the vendor marks the day degraded, pending or missing (condition.json)
	FlagAdjusted             // an adjusted contract: its deliverable is not 100 shares (instruments.multiplier)
)

// flagsSQL computes the flags of a quote from SQL expressions for bid and ask.
func flagsSQL(bid, ask string) string {
	return fmt.Sprintf(`(CASE WHEN %[1]s IS NULL OR %[2]s IS NULL THEN %[3]d ELSE
		(CASE WHEN %[1]s > %[2]s THEN %[4]d WHEN %[1]s = %[2]s THEN %[5]d ELSE 0 END) +
		(CASE WHEN %[1]s = 0 THEN %[6]d ELSE 0 END) END)::UTINYINT`,
		bid, ask, FlagNoQuote, FlagCrossed, FlagLocked, FlagZeroBid)
}

// Staging tables are temporary and per connection. Rows are appended to them and
// merged into the market tables at the end of the file, inside its transaction.
var stageDDL = []string{
	// Rows refer to symbols by index into stage_syms, and carry dates and times as
	// integers: strings and times cost the Appender a C call or a conversion each.
	`CREATE OR REPLACE TEMP TABLE stage_syms (
		sym INTEGER, osi VARCHAR, underlying VARCHAR, expiration DATE, put_call VARCHAR, strike DOUBLE)`,
	// One staging table per kind of option data, so that a file appends only the
	// columns it has (a NULL costs the Appender a C call too).
	`CREATE OR REPLACE TEMP TABLE stage_quotes (
		day INTEGER, sym INTEGER, bid DOUBLE, ask DOUBLE, bid_size INTEGER, ask_size INTEGER, quote_us BIGINT)`,
	`CREATE OR REPLACE TEMP TABLE stage_obars (
		day INTEGER, sym INTEGER, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume BIGINT)`,
	`CREATE OR REPLACE TEMP TABLE stage_oi (day INTEGER, sym INTEGER, open_interest BIGINT)`,
	`CREATE OR REPLACE TEMP TABLE stage_bars (
		trade_date DATE, symbol VARCHAR, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume BIGINT)`,
	`CREATE OR REPLACE TEMP TABLE stage_intraday (
		ts TIMESTAMPTZ, underlying VARCHAR, expiration DATE, put_call VARCHAR, strike DOUBLE,
		osi VARCHAR, bid DOUBLE, ask DOUBLE, bid_size INTEGER, ask_size INTEGER)`,
	`CREATE OR REPLACE TEMP TABLE stage_instruments (
		osi VARCHAR, underlying VARCHAR, root VARCHAR, expiration DATE, put_call VARCHAR,
		strike DOUBLE, multiplier INTEGER, style VARCHAR, settlement VARCHAR,
		exchange VARCHAR, currency VARCHAR, dataset VARCHAR)`,
	`CREATE OR REPLACE TEMP TABLE stage_ids (
		dataset VARCHAR, instrument_id UBIGINT, symbol VARCHAR, start_date DATE, end_date DATE)`,
	`CREATE OR REPLACE TEMP TABLE stage_events (
		symbol VARCHAR, event_date DATE, kind VARCHAR, amount DOUBLE)`,
	`CREATE OR REPLACE TEMP TABLE stage_conditions (
		dataset VARCHAR, trade_date DATE, condition VARCHAR, last_modified VARCHAR)`,
}

// optionMerge merges one option staging table into option_quotes. cols are the
// staged columns as option_quotes columns, set says which columns a match updates.
// Rows are staged day by day in (underlying, expiration, strike, put_call) order,
// which is the order they land in: no sort here.
//
// The statements are templates over the staged days' range (%[1]s and %[2]s,
// DATE literals): with the range a literal, DuckDB's zone maps skip every block
// of option_quotes outside it, so a file costs what its own days hold rather than
// a scan of the whole table.
func optionMerge(stage, cols, set string) tableMerge {
	src := `SELECT DATE '1970-01-01' + q.day AS trade_date, y.underlying, y.expiration, y.put_call,
		y.strike, y.osi, ` + cols + `
		FROM ` + stage + ` q JOIN stage_syms y USING (sym)`
	inRange := `trade_date BETWEEN %[1]s AND %[2]s`
	return tableMerge{
		table: "option_quotes",
		stage: stage,
		overlap: `SELECT count(*) FROM option_quotes WHERE ` + inRange + `
			AND underlying IN (SELECT DISTINCT underlying FROM stage_syms)`,
		update: `UPDATE option_quotes AS t SET ` + set + ` FROM (` + src + `) AS s
			WHERE t.trade_date = s.trade_date AND t.osi = s.osi AND t.` + inRange,
		insert: `INSERT INTO option_quotes BY NAME SELECT * FROM (` + src + `) AS s
			WHERE NOT EXISTS (SELECT 1 FROM option_quotes t WHERE t.` + inRange + `
				AND t.trade_date = s.trade_date AND t.osi = s.osi)`,
		plain: `INSERT INTO option_quotes BY NAME ` + src,
	}
}

// tableMerge moves staged rows into a market table. A row whose key is already
// present is updated: a quote file sets the quote columns, a bar file the bar
// columns, a statistics file the open interest, each leaving the others as they
// were.
//
// Most tables use merge, one MERGE statement. The option_quotes merges (stage
// set) are range templates instead: when overlap finds no rows in the staged days
// that could clash, plain (an INSERT, much cheaper) loads them; else update then
// insert (of the rows update did not match). instrument_ids uses steps, a few
// statements in a row.
type tableMerge struct {
	table   string
	src     string // staging table merge or steps read; with no rows staged there, nothing to do
	merge   string
	steps   []string // statements run in order instead of merge; the last one's count is returned
	stage   string   // staging table whose day range fills the templates below
	overlap string   // counts target rows the staged rows could match
	update  string
	insert  string
	plain   string
	fill    *strings.Replacer // of the placeholders in steps
}

// run merges the staged rows and returns the rows inserted or updated.
func (m tableMerge) run(t *tx) (int64, error) {
	if len(m.steps) > 0 {
		fill := m.fill
		if fill == nil {
			fill = (&stager{viaSQL: true}).idBounds()
		}
		var n int64
		for _, q := range m.steps {
			var err error
			if n, err = t.exec(fill.Replace(q)); err != nil {
				return 0, err
			}
		}
		return n, nil
	}
	if m.stage == "" {
		return t.exec(m.merge)
	}
	rows, err := t.queryInt(`SELECT count(*) FROM ` + m.stage)
	if err != nil || rows == 0 {
		return 0, err
	}
	lo, err := t.queryInt(`SELECT min(day) FROM ` + m.stage)
	if err != nil {
		return 0, err
	}
	hi, err := t.queryInt(`SELECT max(day) FROM ` + m.stage)
	if err != nil {
		return 0, err
	}
	d := func(day int64) string { return "DATE '" + dayTime(int32(day)).Format(time.DateOnly) + "'" }
	fill := func(q string) string { return fmt.Sprintf(q, d(lo), d(hi)) }
	n, err := t.queryInt(fill(m.overlap))
	if err != nil {
		return 0, fmt.Errorf("check overlap: %w", err)
	}
	if n == 0 {
		return t.exec(m.plain)
	}
	up, err := t.exec(fill(m.update))
	if err != nil {
		return 0, err
	}
	if up == rows {
		// Every staged row matched one (a contract-day is stored once, and a
		// file stages it once): the anti-join would insert nothing.
		return up, nil
	}
	in, err := t.exec(fill(m.insert))
	return up + in, err
}

func merges() []tableMerge {
	noQuote := fmt.Sprintf("%d::UTINYINT AS flags", FlagNoQuote)
	return []tableMerge{
		optionMerge("stage_quotes",
			`q.bid, q.ask, q.bid_size, q.ask_size, to_timestamp(0) + to_microseconds(q.quote_us) AS quote_ts, `+
				flagsSQL("q.bid", "q.ask")+` AS flags`,
			`bid = s.bid, ask = s.ask, bid_size = s.bid_size, ask_size = s.ask_size, quote_ts = s.quote_ts, flags = s.flags`),
		optionMerge("stage_obars", `q.open, q.high, q.low, q.close, q.volume, `+noQuote,
			`open = s.open, high = s.high, low = s.low, close = s.close, volume = s.volume`),
		optionMerge("stage_oi", `q.open_interest, `+noQuote, `open_interest = s.open_interest`),
		{table: "underlying_bars", src: "stage_bars", merge: `MERGE INTO underlying_bars AS t
		USING (SELECT * FROM stage_bars ORDER BY symbol, trade_date) AS s
		ON t.trade_date = s.trade_date AND t.symbol = s.symbol
		WHEN MATCHED THEN UPDATE SET open = s.open, high = s.high, low = s.low, close = s.close, volume = s.volume
		WHEN NOT MATCHED THEN INSERT BY NAME`},
		{table: "option_intraday", src: "stage_intraday", merge: `MERGE INTO option_intraday AS t
		USING (SELECT * FROM stage_intraday ORDER BY underlying, ts, expiration, strike, put_call) AS s
		ON t.ts = s.ts AND t.osi = s.osi
		WHEN MATCHED THEN UPDATE SET bid = s.bid, ask = s.ask, bid_size = s.bid_size, ask_size = s.ask_size
		WHEN NOT MATCHED THEN INSERT BY NAME`},
		{table: "instruments", src: "stage_instruments", merge: `MERGE INTO instruments AS t
		USING (SELECT * FROM stage_instruments ORDER BY underlying, expiration, strike, put_call) AS s
		ON t.osi = s.osi
		WHEN MATCHED THEN UPDATE SET multiplier = s.multiplier, style = s.style, settlement = s.settlement,
			expiration = s.expiration, exchange = s.exchange, currency = s.currency, dataset = s.dataset
		WHEN NOT MATCHED THEN INSERT BY NAME`},
		{table: "instrument_ids", src: "stage_ids", steps: idMergeSteps},
		{table: "events", src: "stage_events", merge: `MERGE INTO events AS t
		USING (SELECT DISTINCT ON (symbol, event_date, kind) * FROM stage_events ORDER BY symbol, event_date, kind) AS s
		ON t.symbol = s.symbol AND t.event_date = s.event_date AND t.kind = s.kind
		WHEN MATCHED THEN UPDATE SET amount = s.amount
		WHEN NOT MATCHED THEN INSERT BY NAME`},
		{table: "dataset_conditions", src: "stage_conditions", merge: `MERGE INTO dataset_conditions AS t
		USING (SELECT DISTINCT ON (dataset, trade_date) * FROM stage_conditions ORDER BY dataset, trade_date) AS s
		ON t.dataset = s.dataset AND t.trade_date = s.trade_date
		WHEN MATCHED THEN UPDATE SET condition = s.condition, last_modified = s.last_modified
		WHEN NOT MATCHED THEN INSERT BY NAME`},
	}
}

// idTouches says that stored mapping t and staged mapping s are of the same id and
// symbol and overlap or meet end to start.
//
// {hi} and {lo}, DATE literals filled in by idBounds, bound it by the staged mappings' first start and last end
// dates, which the join implies anyway: as constants they let DuckDB skip the
// blocks of instrument_ids that hold only mappings of other months.
const idTouches = `s.dataset = t.dataset AND s.instrument_id = t.instrument_id AND s.symbol = t.symbol
	AND t.start_date <= s.end_date AND s.start_date <= t.end_date
	AND t.start_date <= {hi} AND t.end_date >= {lo}`

// idMergeSteps merge the staged id mappings into instrument_ids. A mapping is an
// island of days: the staged mappings and the stored ones they touch are joined
// only where they overlap or meet, never across a gap, because an id reused
// (OPRA renumbers daily, the generator weekly) stands for other symbols in the
// gap. (One min..max span per id and symbol, as before, resolved a week of
// another contract's records to this one and merged the two contracts' rows.)
//
// The stored mappings touched are found once, with their row ids, which the
// DELETE then uses. Only the ids and symbols with more than one span among
// the staged and touched ones go through the window functions that find the
// islands; a lone span is its own island and passes as it is.
//
// The span list is a UNION, not a UNION ALL: a mapping staged twice (a file may
// define an id twice a day) or staged as stored must be one row, because the two
// windows below sort ties each in its own order, and two equal rows could land
// first in one and second in the other, giving two islands of the same days.
var idMergeSteps = []string{
	`CREATE OR REPLACE TEMP TABLE touched_ids AS
	SELECT t.rowid AS rid, t.dataset, t.instrument_id, t.symbol, t.start_date, t.end_date FROM instrument_ids t
	WHERE EXISTS (SELECT 1 FROM stage_ids s WHERE ` + idTouches + `)`,
	`CREATE OR REPLACE TEMP TABLE merge_ids AS
	WITH spans AS (
		SELECT dataset, instrument_id, symbol, start_date, end_date FROM stage_ids
		UNION
		SELECT dataset, instrument_id, symbol, start_date, end_date FROM touched_ids
	), multi AS (
		SELECT dataset, instrument_id, symbol FROM spans GROUP BY ALL HAVING count(*) > 1
	), many AS (
		SELECT s.* FROM spans s SEMI JOIN multi m USING (dataset, instrument_id, symbol)
	), marked AS (
		SELECT *, CASE WHEN start_date <= max(end_date) OVER (PARTITION BY dataset, instrument_id, symbol
			ORDER BY start_date, end_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
			THEN 0 ELSE 1 END AS fresh
		FROM many
	), islands AS (
		SELECT *, sum(fresh) OVER (PARTITION BY dataset, instrument_id, symbol
			ORDER BY start_date, end_date ROWS UNBOUNDED PRECEDING) AS island
		FROM marked
	)
	SELECT dataset, instrument_id, symbol, min(start_date) AS start_date, max(end_date) AS end_date
	FROM islands GROUP BY dataset, instrument_id, symbol, island
	UNION ALL
	SELECT s.* FROM spans s ANTI JOIN multi m USING (dataset, instrument_id, symbol)`,
	`DELETE FROM instrument_ids WHERE rowid IN (SELECT rid FROM touched_ids)`,
	`INSERT INTO instrument_ids BY NAME SELECT * FROM merge_ids ORDER BY dataset, start_date, instrument_id`,
}

// stager appends rows to the staging tables of one transaction.
type stager struct {
	t         *tx
	appenders map[string]*duckdb.Appender
	staged    map[string]int64 // rows appended per staging table
	// viaSQL says rows were also staged by SQL statements, so staged does not
	// count them all and every merge must run.
	viaSQL     bool
	idLo, idHi time.Time       // first start and last end date of the staged id mappings
	created    map[string]bool // staging tables made in this transaction
	// optionDays is the number of distinct contract-days staged across
	// stage_quotes, stage_obars and stage_oi when the stager knows it (a DBN
	// file's rows are one per contract-day); -1 has merge count them.
	optionDays int64
}

func newStager(t *tx) (*stager, error) {
	st := newLazyStager(t)
	for _, q := range stageDDL {
		if err := st.create(q); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// newLazyStager returns a stager that creates each staging table when rows
// first go to it (through append, or a bulk load that calls ensure), for
// loaders that stage no row by SQL: a file of one schema fills two or three of
// the ten tables.
func newLazyStager(t *tx) *stager {
	return &stager{t: t, appenders: make(map[string]*duckdb.Appender), staged: make(map[string]int64),
		optionDays: -1, created: make(map[string]bool)}
}

// create runs one statement of stageDDL.
func (s *stager) create(q string) error {
	if _, err := s.t.exec(q); err != nil {
		return fmt.Errorf("market: create staging tables: %w", err)
	}
	s.created[stageName(q)] = true
	return nil
}

// stageName is the table a statement of stageDDL creates.
func stageName(q string) string {
	f := strings.Fields(strings.TrimPrefix(q, "CREATE OR REPLACE TEMP TABLE "))
	return f[0]
}

// ensure creates the staging table if this transaction has not.
func (s *stager) ensure(table string) error {
	if s.created[table] {
		return nil
	}
	for _, q := range stageDDL {
		if stageName(q) == table {
			return s.create(q)
		}
	}
	return fmt.Errorf("market: no staging table %s", table)
}

// append adds one row to a staging table, opening its appender on first use.
func (s *stager) append(table string, row ...driver.Value) error {
	a := s.appenders[table]
	if a == nil {
		if err := s.ensure(table); err != nil {
			return err
		}
		var err error
		a, err = duckdb.NewAppender(s.t.raw, "temp", "main", table)
		if err != nil {
			return fmt.Errorf("market: appender for %s: %w", table, err)
		}
		s.appenders[table] = a
	}
	if err := a.AppendRow(row...); err != nil {
		return fmt.Errorf("market: append to %s: %w", table, err)
	}
	s.staged[table]++
	return nil
}

// merge closes the appenders and merges every staging table into its market
// table, returning the rows inserted or updated per market table.
func (s *stager) merge() (map[string]int64, error) {
	for name, a := range s.appenders {
		if err := a.Close(); err != nil {
			return nil, fmt.Errorf("market: flush %s: %w", name, err)
		}
		delete(s.appenders, name)
	}
	out := make(map[string]int64)
	for _, m := range merges() {
		if !s.viaSQL && s.empty(m) {
			continue // a merge of no rows changes nothing
		}
		if len(m.steps) > 0 {
			m.fill = s.idBounds()
		}
		n, err := m.run(s.t)
		if err != nil {
			return nil, fmt.Errorf("market: merge into %s: %w", m.table, err)
		}
		if n > 0 {
			out[m.table] = n
		}
	}
	// Up to three merges write option_quotes; count each contract-day once.
	if !s.viaSQL && s.staged["stage_quotes"]+s.staged["stage_obars"]+s.staged["stage_oi"] == 0 {
		delete(out, "option_quotes")
		return out, nil
	}
	n := s.optionDays
	if s.viaSQL || n < 0 {
		var err error
		n, err = s.t.queryInt(`SELECT count(*) FROM (SELECT day, sym FROM stage_quotes
			UNION SELECT day, sym FROM stage_obars UNION SELECT day, sym FROM stage_oi)`)
		if err != nil {
			return nil, fmt.Errorf("market: count staged quotes: %w", err)
		}
	}
	if n > 0 {
		out["option_quotes"] = n
	} else {
		delete(out, "option_quotes")
	}
	return out, nil
}

// empty reports whether m's staging table has no rows.
func (s *stager) empty(m tableMerge) bool {
	src := m.src
	if src == "" {
		src = m.stage
	}
	return src != "" && s.staged[src] == 0
}

// idBounds fills the placeholders of idTouches: {hi} with the last end date
// and {lo} with the first start date of the staged mappings, or with no bounds
// at all when the mappings were not all staged through id.
func (s *stager) idBounds() *strings.Replacer {
	hi, lo := "DATE '"+s.idHi.Format(time.DateOnly)+"'", "DATE '"+s.idLo.Format(time.DateOnly)+"'"
	if s.viaSQL || s.staged["stage_ids"] == 0 {
		hi, lo = "s.end_date", "s.start_date" // implied by the join: no bound
	}
	return strings.NewReplacer("{hi}", hi, "{lo}", lo)
}

// close releases appenders after a failure. Their rows are rolled back with the
// transaction.
func (s *stager) close() {
	for name, a := range s.appenders {
		a.Close()
		delete(s.appenders, name)
	}
}

func price(p int64) driver.Value {
	if p == dbn.UndefPrice {
		return nil
	}
	return dbn.PriceFloat(p)
}

// option stages what a file said about one contract on one day.
func (s *stager) option(day, sym int32, info *symInfo, d *optDay) error {
	if !info.staged {
		info.staged = true
		if err := s.append("stage_syms", sym, info.name, info.underlying, info.expiration, info.putCall, info.strike); err != nil {
			return err
		}
	}
	if d.quote {
		err := s.append("stage_quotes", day, sym, price(d.bid), price(d.ask), int32(d.bidSz), int32(d.askSz), int64(d.quoteTs/1000))
		if err != nil {
			return err
		}
	}
	if d.bar {
		err := s.append("stage_obars", day, sym, price(d.open), price(d.high), price(d.low), price(d.close), int64(d.volume))
		if err != nil {
			return err
		}
	}
	if d.oi {
		return s.append("stage_oi", day, sym, d.oiQty)
	}
	return nil
}

func (s *stager) bar(date time.Time, symbol string, open, high, low, cls int64, volume uint64) error {
	return s.append("stage_bars", date, symbol, price(open), price(high), price(low), price(cls), int64(volume))
}

func (s *stager) minute(ts int64, info *symInfo, m *minuteQuote) error {
	return s.append("stage_intraday", time.Unix(0, ts).UTC(), info.underlying, info.expiration, info.putCall,
		info.strike, info.name, price(m.bid), price(m.ask), int32(m.bidSz), int32(m.askSz))
}

func (s *stager) instrument(info *symInfo, in instrument, settlement, dataset string) error {
	return s.append("stage_instruments", info.name, info.underlying, info.root, in.expiration, info.putCall,
		info.strike, in.multiplier, exerciseStyle(info.root), settlement, in.exchange, in.currency, dataset)
}

func (s *stager) id(dataset string, sp idSpan, symbol string) error {
	start, end := dayTime(sp.start), dayTime(sp.end)
	if s.staged["stage_ids"] == 0 || start.Before(s.idLo) {
		s.idLo = start
	}
	if s.staged["stage_ids"] == 0 || end.After(s.idHi) {
		s.idHi = end
	}
	return s.append("stage_ids", dataset, sp.id, symbol, dayTime(sp.start), dayTime(sp.end))
}

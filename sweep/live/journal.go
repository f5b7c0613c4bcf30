package live

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/optsweep/sweep/internal/duckfile"
	"github.com/optsweep/sweep/sim"
	slive "github.com/optsweep/sweep/sim/live"
)

// Run describes one live run: a strategy instance at a broker.
type Run struct {
	ID       string // the instance name: the root of its client order ids
	Strategy string
	Symbols  []string
	Params   map[string]string
	Broker   string // paper, alpaca, ibkr
	Mode     string // dry, paper, live
	Account  string
	Cash     float64
}

// Journal is the DuckDB journal of live runs (live.duckdb by default): runs,
// order intents (written and committed before anything is sent), broker
// order states, fills, book holdings after every record, book events, the
// strategy's decisions, refusals and messages. Each tick's and each session
// end's outcome is written in one transaction, so a crash leaves a record
// whole or absent; intents are committed on their own, before the send.
// A Journal serves one run (Use); it implements sim/live.Journal.
type Journal struct {
	db  *sql.DB
	run string
	seq int64
}

const schema = `
CREATE TABLE IF NOT EXISTS runs (run_id VARCHAR PRIMARY KEY, strategy VARCHAR, symbols VARCHAR, params JSON,
  broker VARCHAR, mode VARCHAR, account VARCHAR, cash DOUBLE, started TIMESTAMPTZ);
CREATE TABLE IF NOT EXISTS intents (run_id VARCHAR, client_id VARCHAR, seq BIGINT, day DATE, step INTEGER,
  ts TIMESTAMPTZ, daily BOOLEAN, order_index INTEGER, rung INTEGER, kind VARCHAR, position BIGINT, tag VARCHAR,
  reason VARCHAR, symbol VARCHAR, legs JSON, quantity INTEGER, limit_price DOUBLE, closing BOOLEAN, shares INTEGER,
  written TIMESTAMPTZ, PRIMARY KEY (run_id, client_id));
CREATE TABLE IF NOT EXISTS records (run_id VARCHAR, seq BIGINT, kind VARCHAR, day DATE, step INTEGER, ts TIMESTAMPTZ,
  daily BOOLEAN, cash DOUBLE, equity DOUBLE, collateral DOUBLE, committed TIMESTAMPTZ, PRIMARY KEY (run_id, seq));
CREATE TABLE IF NOT EXISTS orders (run_id VARCHAR, seq BIGINT, line INTEGER, day DATE, step INTEGER, client_id VARCHAR,
  broker_id VARCHAR, status VARCHAR, filled INTEGER, price DOUBLE, leg_prices DOUBLE[], fees DOUBLE, reason VARCHAR,
  leg_fees DOUBLE[], share_price DOUBLE);
CREATE TABLE IF NOT EXISTS fills (run_id VARCHAR, seq BIGINT, day DATE, step INTEGER, client_id VARCHAR,
  order_index INTEGER, kind VARCHAR, position BIGINT, units INTEGER, price DOUBLE, model_price DOUBLE,
  leg_prices DOUBLE[], fees DOUBLE);
CREATE TABLE IF NOT EXISTS holdings (run_id VARCHAR, seq BIGINT, day DATE, symbol VARCHAR, holding VARCHAR,
  qty INTEGER, delta DOUBLE, gamma DOUBLE, theta DOUBLE, vega DOUBLE);
CREATE TABLE IF NOT EXISTS events (run_id VARCHAR, seq BIGINT, day DATE, position BIGINT, event VARCHAR,
  trade INTEGER, tag VARCHAR, detail VARCHAR);
CREATE TABLE IF NOT EXISTS decisions (run_id VARCHAR, seq BIGINT, day DATE, symbol VARCHAR, kind VARCHAR, text VARCHAR);
CREATE TABLE IF NOT EXISTS refusals (run_id VARCHAR, seq BIGINT, day DATE, step INTEGER, order_index INTEGER, why VARCHAR);
CREATE TABLE IF NOT EXISTS messages (run_id VARCHAR, seq BIGINT, day DATE, text VARCHAR);
`

// OpenJournal opens (creating when missing) the journal at path ("" for
// one in memory).
func OpenJournal(path string) (*Journal, error) {
	db, err := duckfile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("live journal: %w", err)
	}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("live journal %s: schema: %w", path, err)
	}
	return &Journal{db: db}, nil
}

// Close closes the journal.
func (j *Journal) Close() error { return j.db.Close() }

// DB returns the journal's database, for status and reports.
func (j *Journal) DB() *sql.DB { return j.db }

// Use makes the journal serve run r, recording it when it is new. A run
// already journaled must have the same strategy, symbols, parameters and
// broker: a restart continues the run it was, never another one under its
// name.
func (j *Journal) Use(ctx context.Context, r Run) error {
	params, _ := json.Marshal(r.Params)
	var strategy, broker string
	var p string
	err := j.db.QueryRowContext(ctx, `SELECT strategy, broker, CAST(params AS VARCHAR) FROM runs WHERE run_id = ?`, r.ID).Scan(&strategy, &broker, &p)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := j.db.ExecContext(ctx, `INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.Strategy,
			listArg(r.Symbols), string(params), r.Broker, r.Mode, r.Account, r.Cash, time.Now().UTC()); err != nil {
			return fmt.Errorf("live journal: record run %s: %w", r.ID, err)
		}
	case err != nil:
		return fmt.Errorf("live journal: read run %s: %w", r.ID, err)
	default:
		if strategy != r.Strategy || broker != r.Broker || !sameJSON(p, string(params)) {
			return fmt.Errorf("live journal: run %s is %s at %s with %s; asked for %s at %s with %s: choose another --name",
				r.ID, strategy, broker, p, r.Strategy, r.Broker, params)
		}
	}
	j.run = r.ID
	return j.db.QueryRowContext(ctx, `SELECT coalesce(max(s), 0) FROM (SELECT max(seq) s FROM records WHERE run_id = ?
		UNION ALL SELECT max(seq) FROM intents WHERE run_id = ?)`, r.ID, r.ID).Scan(&j.seq)
}

func sameJSON(a, b string) bool {
	var x, y map[string]string
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil || len(x) != len(y) {
		return false
	}
	for k, v := range x {
		if y[k] != v {
			return false
		}
	}
	return true
}

func listArg(s []string) string { return strings.Join(s, ",") }

func dayArg(d int32) time.Time { return sim.DayTime(d) }

type jsonLeg struct {
	Contract string  `json:"contract"`
	Ratio    int     `json:"ratio"`
	Exp      string  `json:"expiration"`
	PutCall  string  `json:"put_call"`
	Strike   float64 `json:"strike"`
	AM       bool    `json:"am,omitempty"`
}

// Intent implements sim/live.Journal: committed before it returns.
func (j *Journal) Intent(ctx context.Context, in *slive.Intent) error {
	legs := make([]jsonLeg, len(in.Order.Legs))
	for k, l := range in.Order.Legs {
		c := l.Contract
		legs[k] = jsonLeg{Contract: fmt.Sprint(c), Ratio: l.Ratio, Exp: sim.DayString(c.Expiration), PutCall: string(c.PutCall),
			Strike: c.Strike, AM: c.AM}
	}
	lj, _ := json.Marshal(legs)
	j.seq++
	_, err := j.db.ExecContext(ctx, `INSERT INTO intents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		j.run, in.Order.ClientID, j.seq, dayArg(in.Tick.Day), in.Tick.Step, in.Tick.Time, in.Tick.Daily, in.Index, in.Rung,
		in.Kind.String(), in.Position, in.Tag, in.Reason, in.Order.Symbol, string(lj), in.Order.Quantity, in.Order.Limit,
		in.Order.Close, in.Order.Shares, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("live journal: intent %s: %w", in.Order.ClientID, err)
	}
	return nil
}

// Commit implements sim/live.Journal: the record in one transaction.
func (j *Journal) Commit(ctx context.Context, rec *slive.Record) (err error) {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("live journal: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	seq := j.seq + 1
	t := rec.Tick
	day := dayArg(t.Day)
	var ts any
	if !t.Time.IsZero() {
		ts = t.Time
	}
	ex := func(q string, args ...any) {
		if err == nil {
			_, err = tx.ExecContext(ctx, q, args...)
		}
	}
	ex(`INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, j.run, seq, string(rec.Kind), day, t.Step, ts, t.Daily,
		rec.Book.Cash, rec.Book.Equity, rec.Book.Collateral, time.Now().UTC())
	for i, o := range rec.Orders {
		ex(`INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, j.run, seq, i, day, t.Step, o.ClientID, o.BrokerID,
			string(o.Status), o.Filled, o.Price, floatList(o.LegPrices), o.Fees, o.Reason, floatList(o.LegFees), o.SharePrice)
	}
	for _, f := range rec.Fills {
		ex(`INSERT INTO fills VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, j.run, seq, day, t.Step, f.ClientID, f.Index,
			f.Kind.String(), f.Position, f.Units, f.Price, f.Model, floatList(f.Legs), f.Fees)
	}
	for _, h := range rec.Book.Holdings {
		ex(`INSERT INTO holdings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, j.run, seq, day, h.Symbol, h.Key(), h.Qty,
			h.Delta, h.Gamma, h.Theta, h.Vega)
	}
	for _, e := range rec.Events {
		ex(`INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, j.run, seq, dayArg(e.Day), e.Position, e.Kind, e.Trade, e.Tag, e.Detail)
	}
	for _, n := range rec.Notes {
		ex(`INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?)`, j.run, seq, dayArg(n.Day), n.Symbol, n.Kind, n.Text)
	}
	for _, r := range rec.Refusals {
		ex(`INSERT INTO refusals VALUES (?, ?, ?, ?, ?, ?)`, j.run, seq, day, t.Step, r.Index, r.Why)
	}
	for _, m := range rec.Messages {
		ex(`INSERT INTO messages VALUES (?, ?, ?, ?)`, j.run, seq, day, m)
	}
	if err != nil {
		return fmt.Errorf("live journal: %s of %s: %w", rec.Kind, sim.DayString(t.Day), err)
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("live journal: commit: %w", err)
	}
	j.seq = seq
	return nil
}

// floatList formats x as a DuckDB list literal argument.
func floatList(x []float64) string {
	b, _ := json.Marshal(x)
	if len(x) == 0 {
		return "[]"
	}
	return string(b)
}

// Answer implements sim/live.Journal.
func (j *Journal) Answer(ctx context.Context, clientID string) (slive.OrderState, bool, error) {
	var st slive.OrderState
	var status string
	var legs, fees sql.NullString
	err := j.db.QueryRowContext(ctx, `SELECT client_id, broker_id, status, filled, price, CAST(leg_prices AS VARCHAR), fees, reason,
		CAST(leg_fees AS VARCHAR), share_price
		FROM orders WHERE run_id = ? AND client_id = ? AND status IN ('filled', 'cancelled', 'rejected', 'expired')
		ORDER BY seq DESC, line DESC LIMIT 1`, j.run, clientID).Scan(&st.ClientID, &st.BrokerID, &status, &st.Filled,
		&st.Price, &legs, &st.Fees, &st.Reason, &fees, &st.SharePrice)
	if errors.Is(err, sql.ErrNoRows) {
		return st, false, nil
	}
	if err != nil {
		return st, false, fmt.Errorf("live journal: answer for %s: %w", clientID, err)
	}
	st.Status = slive.Status(status)
	for _, c := range []struct {
		s   sql.NullString
		dst *[]float64
	}{{legs, &st.LegPrices}, {fees, &st.LegFees}} {
		if c.s.Valid && c.s.String != "[]" {
			if err := json.Unmarshal([]byte(c.s.String), c.dst); err != nil {
				return st, false, fmt.Errorf("live journal: order %s: %w", clientID, err)
			}
		}
	}
	return st, true, nil
}

// Past implements sim/live.Journal.
func (j *Journal) Past(ctx context.Context) ([]slive.Record, []slive.Tick, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT seq, kind, day, step, ts, daily FROM records WHERE run_id = ? ORDER BY seq`, j.run)
	if err != nil {
		return nil, nil, fmt.Errorf("live journal: %w", err)
	}
	var done []slive.Record
	var seqs []int64
	for rows.Next() {
		var r slive.Record
		var seq int64
		var kind string
		var day time.Time
		var ts sql.NullTime
		if err := rows.Scan(&seq, &kind, &day, &r.Tick.Step, &ts, &r.Tick.Daily); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("live journal: %w", err)
		}
		r.Kind, r.Tick.Day = slive.RecordKind(kind), sim.DayOf(day)
		if ts.Valid {
			r.Tick.Time = ts.Time
		}
		done = append(done, r)
		seqs = append(seqs, seq)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for i := range done {
		rs, err := j.db.QueryContext(ctx, `SELECT order_index, why FROM refusals WHERE run_id = ? AND seq = ? ORDER BY order_index`, j.run, seqs[i])
		if err != nil {
			return nil, nil, fmt.Errorf("live journal: %w", err)
		}
		for rs.Next() {
			var f slive.Refusal
			if err := rs.Scan(&f.Index, &f.Why); err != nil {
				rs.Close()
				return nil, nil, err
			}
			done[i].Refusals = append(done[i].Refusals, f)
		}
		rs.Close()
	}
	rows, err = j.db.QueryContext(ctx, `SELECT DISTINCT i.day, i.step, i.ts, i.daily FROM intents i WHERE i.run_id = ?
		AND NOT EXISTS (SELECT 1 FROM records r WHERE r.run_id = i.run_id AND r.kind = 'tick' AND r.day = i.day AND r.step = i.step)
		ORDER BY i.ts`, j.run)
	if err != nil {
		return nil, nil, fmt.Errorf("live journal: %w", err)
	}
	defer rows.Close()
	var pending []slive.Tick
	for rows.Next() {
		var t slive.Tick
		var day time.Time
		if err := rows.Scan(&day, &t.Step, &t.Time, &t.Daily); err != nil {
			return nil, nil, err
		}
		t.Day = sim.DayOf(day)
		pending = append(pending, t)
	}
	return done, pending, rows.Err()
}

package live

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// RunLog is what a journal holds about one run for its report: the run, its
// fills beside the fill model's price, its session ends, the orders it did
// not send and its messages, each in journal order.
type RunLog struct {
	Run      Run // Params and Account are not read
	Fills    []FillRow
	Sessions []SessionRow
	Refusals []RefusalRow
	Messages []MessageRow
}

// FillRow is a fill of the journal's fills table.
type FillRow struct {
	Day            time.Time
	ClientID, Kind string
	Units          int
	Price, Model   float64 // per share per unit: the broker's and the fill model's for the same quote
	Fees           float64 // dollars
}

// SessionRow is the book after a session's end (a session_end record).
type SessionRow struct {
	Day                      time.Time
	Cash, Equity, Collateral float64
}

// RefusalRow is an order the safety checks did not send.
type RefusalRow struct {
	Day   time.Time
	Order int // the order's index in its step
	Why   string
}

// MessageRow is a message the run journaled.
type MessageRow struct {
	Day  time.Time
	Text string
}

// ReadRunLog reads run id from the journal db (opened read-only by the
// caller, or a Journal's DB).
func ReadRunLog(ctx context.Context, db *sql.DB, id string) (*RunLog, error) {
	l := &RunLog{Run: Run{ID: id}}
	var symbols string
	err := db.QueryRowContext(ctx, `SELECT strategy, symbols, broker, mode, cash FROM runs WHERE run_id = ?`, id).
		Scan(&l.Run.Strategy, &symbols, &l.Run.Broker, &l.Run.Mode, &l.Run.Cash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("live journal has no run %q", id)
	}
	if err != nil {
		return nil, fmt.Errorf("live journal: %w", err)
	}
	l.Run.Symbols = strings.Split(symbols, ",")
	err = eachRow(ctx, db, `SELECT day, client_id, kind, units, price, model_price, fees FROM fills WHERE run_id = ? ORDER BY seq, client_id`, id,
		func(rows *sql.Rows) error {
			var f FillRow
			err := rows.Scan(&f.Day, &f.ClientID, &f.Kind, &f.Units, &f.Price, &f.Model, &f.Fees)
			l.Fills = append(l.Fills, f)
			return err
		})
	if err == nil {
		err = eachRow(ctx, db, `SELECT day, cash, equity, collateral FROM records WHERE run_id = ? AND kind = 'session_end' ORDER BY seq`, id,
			func(rows *sql.Rows) error {
				var s SessionRow
				err := rows.Scan(&s.Day, &s.Cash, &s.Equity, &s.Collateral)
				l.Sessions = append(l.Sessions, s)
				return err
			})
	}
	if err == nil {
		err = eachRow(ctx, db, `SELECT day, order_index, why FROM refusals WHERE run_id = ? ORDER BY seq, order_index`, id,
			func(rows *sql.Rows) error {
				var r RefusalRow
				err := rows.Scan(&r.Day, &r.Order, &r.Why)
				l.Refusals = append(l.Refusals, r)
				return err
			})
	}
	if err == nil {
		err = eachRow(ctx, db, `SELECT day, text FROM messages WHERE run_id = ? ORDER BY seq`, id,
			func(rows *sql.Rows) error {
				var m MessageRow
				err := rows.Scan(&m.Day, &m.Text)
				l.Messages = append(l.Messages, m)
				return err
			})
	}
	if err != nil {
		return nil, fmt.Errorf("live journal: run %s: %w", id, err)
	}
	return l, nil
}

// eachRow runs query with the run id and calls scan on each row.
func eachRow(ctx context.Context, db *sql.DB, query, id string, scan func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, query, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

package results

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/metrics"
)

// appendRows appends rows to table on the transaction's connection. The rows
// belong to the open transaction: a rollback discards them. row is called for
// i = 0..n-1 and returns the values of row i in the table's column order.
func appendRows(t *tx, table string, n int, row func(i int) ([]driver.Value, error)) error {
	if n == 0 {
		return nil
	}
	a, err := duckdb.NewAppender(t.raw, "", "", table)
	if err != nil {
		return fmt.Errorf("appender for %s: %w", table, err)
	}
	for i := range n {
		vals, err := row(i)
		if err == nil {
			err = a.AppendRow(vals...)
		}
		if err != nil {
			a.Close()
			return fmt.Errorf("append to %s: %w", table, err)
		}
	}
	if err := a.Close(); err != nil {
		return fmt.Errorf("flush %s: %w", table, err)
	}
	return nil
}

// appendTrades appends the trade records.
func appendTrades(t *tx, key string, trades []sim.Trade) error {
	return appendRows(t, "trades", len(trades), func(i int) ([]driver.Value, error) {
		tr := &trades[i]
		legs, err := legsJSON(tr.Legs)
		if err != nil {
			return nil, err
		}
		draws, err := drawsJSON(tr)
		if err != nil {
			return nil, err
		}
		var closed, daysHeld, exit, roc driver.Value
		if tr.Closed != 0 {
			closed = sim.DayTime(tr.Closed)
			daysHeld = int64(tr.Closed - tr.Opened)
			exit = num(tr.Exit)
			if tr.Collateral > 0 {
				roc = num(tr.ROC())
			}
		}
		in := tr.Info
		return []driver.Value{key, int64(tr.ID), tr.Position, tr.Symbol, tr.Tag, tr.Phase,
			LegsString(tr), legs, int64(tr.Quantity), sim.DayTime(tr.Opened), closed, daysHeld,
			num(tr.Entry), exit, num(tr.Gross), num(tr.Fees), num(tr.Net()), num(tr.Collateral), roc,
			tr.Reason, int64(tr.Touches), draws,
			num(in.Spot), num(in.VIX), num(in.Delta), num(in.IV), num(in.IVP), num(in.SpreadPct), int64(in.DTE),
		}, nil
	})
}

// appendEquity appends the daily equity curve with its drawdown.
func appendEquity(t *tx, key string, res *sim.Result) error {
	dd := make([]float64, len(res.Equity))
	metrics.Drawdown(dd, res.Equity)
	return appendRows(t, "equity", len(res.Equity), func(i int) ([]driver.Value, error) {
		return []driver.Value{key, sim.DayTime(res.Days[i]), num(res.Equity[i]), num(res.Cash[i]),
			num(res.Collateral[i]), num(-dd[i])}, nil
	})
}

// appendEvents appends the book events.
func appendEvents(t *tx, key string, events []sim.BookEvent) error {
	return appendRows(t, "events", len(events), func(i int) ([]driver.Value, error) {
		e := &events[i]
		var trade driver.Value
		if e.Trade >= 0 {
			trade = int64(e.Trade)
		}
		return []driver.Value{key, sim.DayTime(e.Day), e.Position, e.Kind, trade, e.Detail}, nil
	})
}

// appendDecisions appends the strategy's decision log.
func appendDecisions(t *tx, key string, notes []sim.Note) error {
	return appendRows(t, "decisions", len(notes), func(i int) ([]driver.Value, error) {
		n := &notes[i]
		return []driver.Value{key, sim.DayTime(n.Day), n.Symbol, n.Kind, n.Text}, nil
	})
}

// LegsString formats a trade's legs for people, legs separated by "; ", each as
// signed contracts, contract and entry price per share: "-1 SPY 2024-03-15 P 480
// @1.04". A stock trade (no legs) reads "100 SPY shares @480.5".
func LegsString(tr *sim.Trade) string {
	if len(tr.Legs) == 0 {
		if tr.Phase == "stock" {
			return fmt.Sprintf("%d %s shares @%s", tr.Quantity, tr.Symbol, fmtFloat(tr.Entry))
		}
		return ""
	}
	var b strings.Builder
	for i, l := range tr.Legs {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%d %s @%s", l.Qty, l.Contract, fmtFloat(l.Price))
	}
	return b.String()
}

func fmtFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// legJSON is one element of trades.legs_json.
type legJSON struct {
	Underlying string   `json:"underlying"`
	Expiration string   `json:"expiration"` // YYYY-MM-DD
	PutCall    string   `json:"put_call"`   // "P" or "C"
	Strike     *float64 `json:"strike"`
	Qty        int      `json:"qty"`   // signed contracts
	Price      *float64 `json:"price"` // entry price per share
}

// drawJSON is one element of trades.draws.
type drawJSON struct {
	P      *float64 `json:"p"`
	U      *float64 `json:"u"`
	Filled bool     `json:"filled"`
}

// ptr returns &x, or nil (JSON null) when x is NaN or infinite, which JSON
// cannot hold.
func ptr(x float64) *float64 {
	if num(x) == nil {
		return nil
	}
	return &x
}

// legsJSON returns trades.legs_json. JSON columns take a json.RawMessage: the
// appender marshals what it is given, and would quote a string.
func legsJSON(legs []sim.Leg) (json.RawMessage, error) {
	out := make([]legJSON, len(legs))
	for i, l := range legs {
		out[i] = legJSON{Underlying: l.Contract.Underlying, Expiration: sim.DayString(l.Contract.Expiration),
			PutCall: string(rune(l.Contract.PutCall)), Strike: ptr(l.Contract.Strike), Qty: l.Qty, Price: ptr(l.Price)}
	}
	return json.Marshal(out)
}

// drawsJSON returns trades.draws.
func drawsJSON(tr *sim.Trade) (json.RawMessage, error) {
	out := make([]drawJSON, len(tr.Draws))
	for i, d := range tr.Draws {
		out[i] = drawJSON{P: ptr(d.P), U: ptr(d.U), Filled: d.Filled}
	}
	return json.Marshal(out)
}

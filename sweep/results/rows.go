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

// appendRows appends n rows to table on the transaction's connection, through
// one appender. The rows belong to the open transaction: a rollback discards
// them. fill calls add with the values of each row, in the table's column order.
func appendRows(t *tx, table string, n int, fill func(add func(vals ...driver.Value) error) error) error {
	if n == 0 {
		return nil
	}
	a, err := duckdb.NewAppender(t.raw, "", "", table)
	if err != nil {
		return fmt.Errorf("appender for %s: %w", table, err)
	}
	if err := fill(a.AppendRow); err != nil {
		a.Close()
		return fmt.Errorf("append to %s: %w", table, err)
	}
	if err := a.Close(); err != nil {
		return fmt.Errorf("flush %s: %w", table, err)
	}
	return nil
}

// appendMetrics appends the cell_metrics row of each cell.
func appendMetrics(t *tx, batch []CellResult) error {
	return appendRows(t, "cell_metrics", len(batch), func(add func(...driver.Value) error) error {
		for i := range batch {
			key, res, m := batch[i].Cell.Key, batch[i].Result, &batch[i].Metrics
			reasons := json.RawMessage("{}")
			if m.ExitReasons != nil {
				reasons, _ = json.Marshal(m.ExitReasons) // a map of ints cannot fail
			}
			open := 0
			for j := range res.Trades {
				if res.Trades[j].Closed == 0 {
					open++
				}
			}
			err := add(key, int64(m.Trades), int64(m.Wins), int64(m.Losses), num(m.WinRate),
				num(m.GrossPnL), num(m.Fees), num(m.NetPnL),
				num(m.ROCMean), num(m.ROCMedian), num(m.ROCStd), num(m.ROCMin), num(m.ROCMax),
				num(m.StartEquity), num(m.EndEquity), num(m.TotalReturn), num(m.CAGR),
				num(m.Sharpe), num(m.Sortino), num(m.Calmar),
				num(m.MaxDrawdown), int64(m.MaxDrawdownDays),
				sim.DayTime(m.MaxDrawdownStart), sim.DayTime(m.MaxDrawdownTrough), sim.DayTime(m.MaxDrawdownEnd),
				m.Recovered, num(m.ProfitFactor), num(m.Expectancy), num(m.AvgDaysHeld), num(m.AvgWin),
				num(m.AvgLoss), reasons, int64(open), int64(res.Orders), int64(res.Rejected))
			if err != nil {
				return fmt.Errorf("cell %s: %w", key, err)
			}
		}
		return nil
	})
}

// appendTrades appends the trade records of each cell.
func appendTrades(t *tx, batch []CellResult) error {
	n := 0
	for i := range batch {
		if !batch[i].NoTrades {
			n += len(batch[i].Result.Trades)
		}
	}
	return appendRows(t, "trades", n, func(add func(...driver.Value) error) error {
		for i := range batch {
			if batch[i].NoTrades {
				continue
			}
			key, trades := batch[i].Cell.Key, batch[i].Result.Trades
			for j := range trades {
				if err := appendTrade(add, key, &trades[j]); err != nil {
					return fmt.Errorf("cell %s: trade %d: %w", key, j, err)
				}
			}
		}
		return nil
	})
}

// appendTrade appends one trade record.
func appendTrade(add func(...driver.Value) error, key string, tr *sim.Trade) error {
	legs, err := legsJSON(tr.Legs)
	if err != nil {
		return err
	}
	draws, err := drawsJSON(tr)
	if err != nil {
		return err
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
	return add(key, int64(tr.ID), tr.Position, tr.Symbol, tr.Tag, tr.Phase,
		LegsString(tr), legs, int64(tr.Quantity), sim.DayTime(tr.Opened), closed, daysHeld,
		num(tr.Entry), exit, num(tr.Gross), num(tr.Fees), num(tr.Net()), num(tr.Collateral), roc,
		tr.Reason, int64(tr.Touches), draws,
		num(in.Spot), num(in.VIX), num(in.Delta), num(in.IV), num(in.IVP), num(in.SpreadPct), int64(in.DTE))
}

// appendEquity appends the daily equity curve of each cell with its drawdown.
func appendEquity(t *tx, batch []CellResult) error {
	n, longest := 0, 0
	for i := range batch {
		n += len(batch[i].Result.Equity)
		longest = max(longest, len(batch[i].Result.Equity))
	}
	dd := make([]float64, longest)
	return appendRows(t, "equity", n, func(add func(...driver.Value) error) error {
		for i := range batch {
			key, res := batch[i].Cell.Key, batch[i].Result
			d := dd[:len(res.Equity)]
			metrics.Drawdown(d, res.Equity)
			for j := range res.Equity {
				err := add(key, sim.DayTime(res.Days[j]), num(res.Equity[j]), num(res.Cash[j]),
					num(res.Collateral[j]), num(-d[j]))
				if err != nil {
					return fmt.Errorf("cell %s: day %d: %w", key, j, err)
				}
			}
		}
		return nil
	})
}

// appendEvents appends the book events of each cell.
func appendEvents(t *tx, batch []CellResult) error {
	n := 0
	for i := range batch {
		n += len(batch[i].Result.Events)
	}
	return appendRows(t, "events", n, func(add func(...driver.Value) error) error {
		for i := range batch {
			key, events := batch[i].Cell.Key, batch[i].Result.Events
			for j := range events {
				e := &events[j]
				var trade driver.Value
				if e.Trade >= 0 {
					trade = int64(e.Trade)
				}
				if err := add(key, sim.DayTime(e.Day), e.Position, e.Kind, trade, e.Detail); err != nil {
					return fmt.Errorf("cell %s: event %d: %w", key, j, err)
				}
			}
		}
		return nil
	})
}

// appendDecisions appends the decision log of each cell.
func appendDecisions(t *tx, batch []CellResult) error {
	n := 0
	for i := range batch {
		n += len(batch[i].Result.Notes)
	}
	return appendRows(t, "decisions", n, func(add func(...driver.Value) error) error {
		for i := range batch {
			key, notes := batch[i].Cell.Key, batch[i].Result.Notes
			for j := range notes {
				n := &notes[j]
				if err := add(key, sim.DayTime(n.Day), n.Symbol, n.Kind, n.Text); err != nil {
					return fmt.Errorf("cell %s: note %d: %w", key, j, err)
				}
			}
		}
		return nil
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

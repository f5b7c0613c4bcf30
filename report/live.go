package report

import (
	"context"
	"database/sql"
	"fmt"

	"io"
	"strconv"
	"time"

	"github.com/optsweep/sweep/sim"
)

// LivePage is the model of a live run's report: the journal of `sweep live`
// (sweep/live's DuckDB journal) as tables, live fills beside the fill
// model's price for the same quote, and the slippage measured.
type LivePage struct {
	Title    string
	Stats    []Stat
	Sessions Table // equity after each session's end
	Fills    Table
	Refused  Table
	Messages Table
}

// liveLayout is the page around the shared css, js, table and stats
// templates of report.html.tmpl.
const liveLayout = `{{define "livelayout"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{{.Page.Title}}</title><style>{{template "css"}}</style></head>
<body><header><h1>{{.Page.Title}}</h1><p class="sub">live report · engine {{.Engine}}</p></header><main>
<section id="summary"><h2>Summary</h2>{{template "stats" .Page.Stats}}</section>
<section id="fills"><h2>Fills against the fill model</h2><p>Slippage is the live price less the fill model's price for the same quote,
per share per unit (positive is worse for the account); dollars are times 100 and the units.</p>{{template "table" .Page.Fills}}</section>
<section id="sessions"><h2>Sessions</h2>{{template "table" .Page.Sessions}}</section>
<section id="refused"><h2>Orders not sent</h2>{{template "table" .Page.Refused}}</section>
<section id="messages"><h2>Messages</h2>{{template "table" .Page.Messages}}</section>
</main><footer>Written by sweep from the live journal {{.DB}}. Click a column heading to sort a table.</footer>
<script>{{template "js"}}</script></body></html>{{end}}`

func num(x float64, prec int) Value {
	if s, ok := special(x); ok {
		return Value{Text: s, Sort: x, Num: true}
	}
	return Value{Text: minus(strconv.FormatFloat(x, 'f', prec, 64)), Sort: x, Num: true}
}

// NewLivePage reads run from the live journal db.
func NewLivePage(ctx context.Context, db *sql.DB, run string) (*LivePage, error) {
	var strategy, symbols, broker, mode string
	var cash float64
	if err := db.QueryRowContext(ctx, `SELECT strategy, symbols, broker, mode, cash FROM runs WHERE run_id = ?`, run).
		Scan(&strategy, &symbols, &broker, &mode, &cash); err != nil {
		if err == sql.ErrNoRows {
			return nil, fmt.Errorf("live journal has no run %q", run)
		}
		return nil, fmt.Errorf("live journal: %w", err)
	}
	p := &LivePage{Title: fmt.Sprintf("Live run %s: %s %s at %s (%s)", run, strategy, symbols, broker, mode)}
	p.Fills.Head = []string{"day", "client order id", "kind", "units", "price", "fill model", "slippage", "slippage $", "fees"}
	rows, err := db.QueryContext(ctx, `SELECT day, client_id, kind, units, price, model_price, fees FROM fills WHERE run_id = ? ORDER BY seq, client_id`, run)
	if err != nil {
		return nil, fmt.Errorf("live journal: %w", err)
	}
	var n int
	var slip, fees float64
	for rows.Next() {
		var d time.Time
		var cid, kind string
		var units int
		var price, model, fee float64
		if err := rows.Scan(&d, &cid, &kind, &units, &price, &model, &fee); err != nil {
			rows.Close()
			return nil, err
		}
		s := price - model
		n++
		slip += s * sim.Multiplier * float64(units)
		fees += fee
		p.Fills.Rows = append(p.Fills.Rows, []Value{text(d.Format(time.DateOnly)), text(cid), text(kind), count(float64(units)),
			num(price, 4), num(model, 4), num(s, 4), money(s * sim.Multiplier * float64(units)), money(fee)})
	}
	rows.Close()
	p.Sessions.Head = []string{"session", "cash", "equity", "P&L", "collateral"}
	rows, err = db.QueryContext(ctx, `SELECT day, cash, equity, collateral FROM records WHERE run_id = ? AND kind = 'session_end' ORDER BY seq`, run)
	if err != nil {
		return nil, fmt.Errorf("live journal: %w", err)
	}
	equity := cash
	for rows.Next() {
		var d time.Time
		var c, e, coll float64
		if err := rows.Scan(&d, &c, &e, &coll); err != nil {
			rows.Close()
			return nil, err
		}
		equity = e
		p.Sessions.Rows = append(p.Sessions.Rows, []Value{text(d.Format(time.DateOnly)), money(c), money(e), money(e - cash), money(coll)})
	}
	rows.Close()
	p.Stats = []Stat{
		{Label: "Fills", Value: count(float64(n))},
		{Label: "Slippage", Value: money(slip), Note: "against the fill model, all fills"},
		{Label: "Fees", Value: money(fees)},
		{Label: "P&L", Value: money(equity - cash), Note: "equity after the last session less the starting cash"},
	}
	if err := p.simple(ctx, db, run, &p.Refused, []string{"day", "order", "why"},
		`SELECT strftime(day, '%Y-%m-%d'), CAST(order_index AS VARCHAR), why FROM refusals WHERE run_id = ? ORDER BY seq, order_index`); err != nil {
		return nil, err
	}
	if err := p.simple(ctx, db, run, &p.Messages, []string{"day", "message"},
		`SELECT strftime(day, '%Y-%m-%d'), text FROM messages WHERE run_id = ? ORDER BY seq`); err != nil {
		return nil, err
	}
	return p, nil
}

// simple fills t with the text columns of query.
func (p *LivePage) simple(ctx context.Context, db *sql.DB, run string, t *Table, head []string, query string) error {
	t.Head = head
	rows, err := db.QueryContext(ctx, query, run)
	if err != nil {
		return fmt.Errorf("live journal: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		cols := make([]string, len(head))
		ptrs := make([]any, len(head))
		for i := range cols {
			ptrs[i] = &cols[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		r := make([]Value, len(cols))
		for i, c := range cols {
			r[i] = text(c)
		}
		t.Rows = append(t.Rows, r)
	}
	return rows.Err()
}

// LiveReport writes the report of live run run of the journal db (named
// dbName in the footer).
func LiveReport(ctx context.Context, db *sql.DB, w io.Writer, dbName, run string) error {
	p, err := NewLivePage(ctx, db, run)
	if err != nil {
		return err
	}
	t, err := parse()
	if err != nil {
		return err
	}
	if t, err = t.New("livelayout").Parse(liveLayout); err != nil {
		return fmt.Errorf("live report template: %w", err)
	}
	if err := t.ExecuteTemplate(w, "livelayout", page{Kind: "live", Engine: sim.Version, DB: dbName, Page: p}); err != nil {
		return fmt.Errorf("write live report: %w", err)
	}
	return nil
}

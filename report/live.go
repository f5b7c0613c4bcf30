package report

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sweep/live"
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

// NewLivePage reads run from the live journal db (through sweep/live, the
// owner of its schema) and builds its page.
func NewLivePage(ctx context.Context, db *sql.DB, run string) (*LivePage, error) {
	l, err := live.ReadRunLog(ctx, db, run)
	if err != nil {
		return nil, err
	}
	r := &l.Run
	p := &LivePage{Title: fmt.Sprintf("Live run %s: %s %s at %s (%s)", run, r.Strategy, strings.Join(r.Symbols, ","), r.Broker, r.Mode)}
	p.Fills.Head = []string{"day", "client order id", "kind", "units", "price", "fill model", "slippage", "slippage $", "fees"}
	var slip, fees float64
	for _, f := range l.Fills {
		s := f.Price - f.Model
		slip += s * sim.Multiplier * float64(f.Units)
		fees += f.Fees
		p.Fills.Rows = append(p.Fills.Rows, []Value{text(f.Day.Format(time.DateOnly)), text(f.ClientID), text(f.Kind),
			count(float64(f.Units)), num(f.Price, 4), num(f.Model, 4), num(s, 4), money(s * sim.Multiplier * float64(f.Units)), money(f.Fees)})
	}
	p.Sessions.Head = []string{"session", "cash", "equity", "P&L", "collateral"}
	equity := r.Cash
	for _, s := range l.Sessions {
		equity = s.Equity
		p.Sessions.Rows = append(p.Sessions.Rows, []Value{text(s.Day.Format(time.DateOnly)), money(s.Cash), money(s.Equity),
			money(s.Equity - r.Cash), money(s.Collateral)})
	}
	p.Stats = []Stat{
		{Label: "Fills", Value: count(float64(len(l.Fills)))},
		{Label: "Slippage", Value: money(slip), Note: "against the fill model, all fills"},
		{Label: "Fees", Value: money(fees)},
		{Label: "P&L", Value: money(equity - r.Cash), Note: "equity after the last session less the starting cash"},
	}
	p.Refused.Head = []string{"day", "order", "why"}
	for _, x := range l.Refusals {
		p.Refused.Rows = append(p.Refused.Rows, []Value{text(x.Day.Format(time.DateOnly)), text(strconv.Itoa(x.Order)), text(x.Why)})
	}
	p.Messages.Head = []string{"day", "message"}
	for _, m := range l.Messages {
		p.Messages.Rows = append(p.Messages.Rows, []Value{text(m.Day.Format(time.DateOnly)), text(m.Text)})
	}
	return p, nil
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

package live

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/optsweep/sweep/internal/duckfile"
)

// Status prints each run of the journal at path (or only run name): its
// latest book (cash, equity, P&L against the starting cash), holdings, the
// orders still working at the broker as last seen, and the recent fills
// beside the fill model's price.
func Status(ctx context.Context, path, name string, w io.Writer) error {
	db, err := duckfile.OpenReadOnly(path)
	if err != nil {
		return fmt.Errorf("live journal: %w", err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT run_id, strategy, symbols, broker, mode, cash FROM runs
		WHERE ? = '' OR run_id = ? ORDER BY run_id`, name, name)
	if err != nil {
		return fmt.Errorf("live journal %s: %w", path, err)
	}
	type run struct {
		id, strategy, symbols, broker, mode string
		cash                                float64
	}
	var runs []run
	for rows.Next() {
		var r run
		if err := rows.Scan(&r.id, &r.strategy, &r.symbols, &r.broker, &r.mode, &r.cash); err != nil {
			rows.Close()
			return err
		}
		runs = append(runs, r)
	}
	rows.Close()
	if len(runs) == 0 {
		return fmt.Errorf("live journal %s has no run %q", path, name)
	}
	for _, r := range runs {
		fmt.Fprintf(w, "run %s: %s %s at %s (%s)\n", r.id, r.strategy, r.symbols, r.broker, r.mode)
		if err := runStatus(ctx, db, r.id, r.cash, w); err != nil {
			return err
		}
	}
	return nil
}

func runStatus(ctx context.Context, db *sql.DB, id string, start float64, w io.Writer) error {
	var seq int64
	var day time.Time
	var kind string
	var cash, equity, coll float64
	err := db.QueryRowContext(ctx, `SELECT seq, day, kind, cash, equity, collateral FROM records WHERE run_id = ?
		ORDER BY seq DESC LIMIT 1`, id).Scan(&seq, &day, &kind, &cash, &equity, &coll)
	if err == sql.ErrNoRows {
		fmt.Fprintln(w, "  nothing journaled yet")
		return nil
	} else if err != nil {
		return err
	}
	var nrec, nfill int
	db.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE run_id = ?`, id).Scan(&nrec)
	db.QueryRowContext(ctx, `SELECT count(*) FROM fills WHERE run_id = ?`, id).Scan(&nfill)
	fmt.Fprintf(w, "  as of %s (%s): cash $%.2f, equity $%.2f (P&L $%+.2f on $%.2f), collateral $%.2f; %d records, %d fills\n",
		day.Format(time.DateOnly), kind, cash, equity, equity-start, start, coll, nrec, nfill)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	q, err := db.QueryContext(ctx, `SELECT holding, qty, delta, gamma, theta, vega FROM holdings WHERE run_id = ? AND seq = ?
		ORDER BY holding`, id, seq)
	if err != nil {
		return err
	}
	fmt.Fprintln(tw, "  position\tqty\tdelta\tgamma\ttheta $/day\tvega $/pt")
	var td, tg, tt, tv float64
	for q.Next() {
		var h string
		var n int
		var dl, g, th, v float64
		q.Scan(&h, &n, &dl, &g, &th, &v)
		td, tg, tt, tv = td+dl, tg+g, tt+th, tv+v
		fmt.Fprintf(tw, "  %s\t%+d\t%+.1f\t%+.2f\t%+.2f\t%+.2f\n", h, n, dl, g, th, v)
	}
	q.Close()
	fmt.Fprintf(tw, "  total\t\t%+.1f\t%+.2f\t%+.2f\t%+.2f\n", td, tg, tt, tv)
	tw.Flush()
	q, err = db.QueryContext(ctx, `SELECT client_id, status, filled, price FROM (
		SELECT *, row_number() OVER (PARTITION BY client_id ORDER BY seq DESC, line DESC) k FROM orders WHERE run_id = ?)
		WHERE k = 1 AND status NOT IN ('filled', 'cancelled', 'rejected', 'expired') ORDER BY client_id`, id)
	if err != nil {
		return err
	}
	open := 0
	for q.Next() {
		var cid, st string
		var n int
		var p float64
		q.Scan(&cid, &st, &n, &p)
		fmt.Fprintf(w, "  open order %s: %s, %d filled\n", cid, st, n)
		open++
	}
	q.Close()
	if open == 0 {
		fmt.Fprintln(w, "  no open orders")
	}
	q, err = db.QueryContext(ctx, `SELECT day, client_id, kind, units, price, model_price, fees FROM fills WHERE run_id = ?
		ORDER BY seq DESC LIMIT 5`, id)
	if err != nil {
		return err
	}
	defer q.Close()
	fmt.Fprintln(tw, "  recent fill\tday\tkind\tunits\tprice\tfill model\tslippage\tfees")
	for q.Next() {
		var d time.Time
		var cid, k string
		var n int
		var p, m, f float64
		q.Scan(&d, &cid, &k, &n, &p, &m, &f)
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%.4f\t%.4f\t%+.4f\t%.2f\n", cid, d.Format(time.DateOnly), k, n, p, m, p-m, f)
	}
	tw.Flush()
	return q.Err()
}

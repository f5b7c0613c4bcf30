package market

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// TableSummary is what one table of the store holds: its rows, the first and
// last date they cover ("-" when empty) and the symbols they name, sorted and
// comma-separated.
type TableSummary struct {
	Table    string
	Rows     int64
	From, To string
	Symbols  string
}

// summarised are the tables Summary describes, with the column that dates
// their rows and the one that names their symbol.
var summarised = []struct{ table, date, sym string }{
	{"instruments", "expiration", "underlying"},
	{"option_quotes", "trade_date", "underlying"},
	{"option_intraday", "ts::DATE", "underlying"},
	{"underlying_bars", "trade_date", "symbol"},
	{"events", "event_date", "symbol"},
}

// Summary describes what the store holds, table by table: instruments,
// option_quotes, option_intraday, underlying_bars and events.
func (s *Store) Summary(ctx context.Context) ([]TableSummary, error) {
	out := make([]TableSummary, 0, len(summarised))
	for _, q := range summarised {
		t := TableSummary{Table: q.table}
		err := s.db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*), coalesce(min(%[1]s)::VARCHAR, '-'),
			coalesce(max(%[1]s)::VARCHAR, '-'), coalesce(string_agg(DISTINCT %[2]s, ',' ORDER BY %[2]s), '')
			FROM %[3]s`, q.date, q.sym, q.table)).Scan(&t.Rows, &t.From, &t.To, &t.Symbols)
		if err != nil {
			return nil, fmt.Errorf("summarise %s: %w", q.table, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// ChainRow is one strike of a sample chain: the put's and the call's bid, ask
// and open interest (nil where the store has no quote).
type ChainRow struct {
	Day, Expiration string // YYYY-MM-DD
	Spot            float64
	Strike          float64
	PutBid, PutAsk  *float64
	PutOI           *int64
	CallBid         *float64
	CallAsk         *float64
	CallOI          *int64
}

// SampleChain returns the seven strikes nearest the money of symbol's
// expiration nearest 30 days out, on the last day the store has quotes for
// it, by strike. It is empty when the store has no quotes of symbol.
func (s *Store) SampleChain(ctx context.Context, symbol string) ([]ChainRow, error) {
	rows, err := s.db.QueryContext(ctx, `
		WITH day AS (SELECT max(trade_date) AS d FROM option_quotes WHERE underlying = $1),
		spot AS (SELECT close AS s FROM underlying_bars, day WHERE symbol = $1 AND trade_date = day.d),
		exp AS (SELECT DISTINCT expiration AS e, abs(date_diff('day', day.d, expiration) - 30) AS dist
			FROM option_quotes, day WHERE underlying = $1 AND trade_date = day.d ORDER BY dist, e LIMIT 1),
		k AS (SELECT DISTINCT strike FROM option_quotes, day, exp, spot
			WHERE underlying = $1 AND trade_date = day.d AND expiration = exp.e
			ORDER BY abs(strike - spot.s) LIMIT 7)
		SELECT q.trade_date::VARCHAR, spot.s, q.expiration::VARCHAR, q.strike,
			max(q.bid) FILTER (put_call = 'P'), max(q.ask) FILTER (put_call = 'P'), max(q.open_interest) FILTER (put_call = 'P'),
			max(q.bid) FILTER (put_call = 'C'), max(q.ask) FILTER (put_call = 'C'), max(q.open_interest) FILTER (put_call = 'C')
		FROM option_quotes q, day, exp, spot
		WHERE q.underlying = $1 AND q.trade_date = day.d AND q.expiration = exp.e AND q.strike IN (SELECT strike FROM k)
		GROUP BY ALL ORDER BY q.strike`, symbol)
	if err != nil {
		return nil, fmt.Errorf("sample chain: %w", err)
	}
	defer rows.Close()
	var out []ChainRow
	for rows.Next() {
		var r ChainRow
		if err := rows.Scan(&r.Day, &r.Spot, &r.Expiration, &r.Strike, &r.PutBid, &r.PutAsk, &r.PutOI,
			&r.CallBid, &r.CallAsk, &r.CallOI); err != nil {
			return nil, fmt.Errorf("sample chain: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sample chain: %w", err)
	}
	return out, nil
}

// CountQuotes returns how many daily option quotes (contract-days) the store
// holds of the underlyings from from to to, both included: what loading
// their tape reads.
func (s *Store) CountQuotes(ctx context.Context, underlyings []string, from, to time.Time) (int64, error) {
	var n int64
	q := `SELECT count(*) FROM option_quotes WHERE underlying IN (SELECT unnest(?::VARCHAR[])) AND trade_date BETWEEN ? AND ?`
	err := s.db.QueryRowContext(ctx, q, "["+strings.Join(underlyings, ",")+"]", from, to).Scan(&n)
	return n, err
}

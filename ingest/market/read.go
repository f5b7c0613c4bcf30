package market

import (
	"context"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/optsweep/sweep/ingest/osi"
	"github.com/optsweep/sweep/internal/duckfile"

	"github.com/duckdb/duckdb-go/v2"
)

// Chains holds one underlying's daily option snapshots over a date range as
// column slices (a struct of arrays), sorted by trade date, expiration, strike and
// put_call. The rows of day i are [DayStart[i], DayStart[i+1]).
//
// The caller owns a Chains and may reuse it: LoadChains overwrites its slices,
// growing them only when they are too short.
type Chains struct {
	Underlying string
	Days       []int32 // trade dates, days since 1970-01-01
	DayStart   []int   // len(Days)+1 offsets into the row columns

	Expiration   []int32   // days since 1970-01-01
	PutCall      []byte    // 'P' or 'C'
	Strike       []float64 // dollars
	Bid, Ask     []float64 // dollars; NaN when there was no two-sided quote
	BidSize      []int32
	AskSize      []int32
	Volume       []int64   // -1 when unknown
	OpenInterest []int64   // -1 when unknown
	High, Low    []float64 // the day's consolidated option bar; NaN when it did not trade
	Close        []float64 // last trade of the day; NaN when it did not trade
	AM           []bool    // settles AM (on the expiration morning's opening print), see osi.AMSettled
	Flags        []uint8   // Flag* bits
}

// Len returns the number of contract rows.
func (c *Chains) Len() int { return len(c.Strike) }

// Day returns trade date i as UTC midnight.
func (c *Chains) Day(i int) time.Time { return dayTime(c.Days[i]) }

func (c *Chains) reset() {
	c.Days, c.DayStart = c.Days[:0], c.DayStart[:0]
	c.Expiration, c.PutCall, c.Strike = c.Expiration[:0], c.PutCall[:0], c.Strike[:0]
	c.Bid, c.Ask, c.BidSize, c.AskSize = c.Bid[:0], c.Ask[:0], c.BidSize[:0], c.AskSize[:0]
	c.Volume, c.OpenInterest, c.High, c.Low, c.Flags = c.Volume[:0], c.OpenInterest[:0], c.High[:0], c.Low[:0], c.Flags[:0]
	c.Close, c.AM = c.Close[:0], c.AM[:0]
}

// chainsQuery selects a chain with every value cast to the narrowest type the
// driver hands back without allocating where it can.
var chainsQuery = `SELECT
		(trade_date - DATE '1970-01-01')::INTEGER,
		(expiration - DATE '1970-01-01')::INTEGER,
		ascii(put_call)::UTINYINT,
		strike,
		coalesce(bid, 'NaN'::DOUBLE), coalesce(ask, 'NaN'::DOUBLE),
		coalesce(bid_size, 0), coalesce(ask_size, 0),
		coalesce(volume, -1), coalesce(open_interest, -1),
		coalesce(high, 'NaN'::DOUBLE), coalesce(low, 'NaN'::DOUBLE),
		flags,
		coalesce(close, 'NaN'::DOUBLE),
		(rtrim(osi[1:6]) IN (` + sqlList(osi.AMRoots()) + `))::UTINYINT AS am
	FROM option_quotes
	WHERE underlying = ? AND trade_date BETWEEN ? AND ?
	ORDER BY trade_date, expiration, strike, put_call, am, osi`

// sqlList formats words (letters only) as a SQL list of string literals.
func sqlList(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "'" + w + "'"
	}
	return strings.Join(q, ", ")
}

// LoadChains fills dst with the option snapshots of underlying on trade dates in
// [from, to]. Builds with the duckdb_arrow tag read column batches through Arrow;
// others read row by row. Both give the same Chains.
func (s *Store) LoadChains(ctx context.Context, underlying string, from, to time.Time, dst *Chains) error {
	return s.loadChains(ctx, underlying, from, to, dst, ArrowReads)
}

func (s *Store) loadChains(ctx context.Context, underlying string, from, to time.Time, dst *Chains, arrow bool) error {
	dst.reset()
	dst.Underlying = underlying
	err := s.withConn(ctx, func(raw *duckdb.Conn) error {
		if arrow {
			return loadChainsArrow(ctx, raw, []any{underlying, from, to}, dst)
		}
		rows, err := raw.QueryContext(ctx, chainsQuery, duckfile.Positional(underlying, from, to))
		if err != nil {
			return err
		}
		defer rows.Close()
		return scanChains(rows, dst)
	})
	if err != nil {
		return fmt.Errorf("market: load chains of %s: %w", underlying, err)
	}
	return nil
}

func scanChains(rows driver.Rows, dst *Chains) error {
	v := make([]driver.Value, 15)
	for {
		err := rows.Next(v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		day := v[0].(int32)
		if n := len(dst.Days); n == 0 || dst.Days[n-1] != day {
			dst.Days = append(dst.Days, day)
			dst.DayStart = append(dst.DayStart, len(dst.Strike))
		}
		dst.Expiration = append(dst.Expiration, v[1].(int32))
		dst.PutCall = append(dst.PutCall, v[2].(uint8))
		dst.Strike = append(dst.Strike, v[3].(float64))
		dst.Bid = append(dst.Bid, v[4].(float64))
		dst.Ask = append(dst.Ask, v[5].(float64))
		dst.BidSize = append(dst.BidSize, v[6].(int32))
		dst.AskSize = append(dst.AskSize, v[7].(int32))
		dst.Volume = append(dst.Volume, v[8].(int64))
		dst.OpenInterest = append(dst.OpenInterest, v[9].(int64))
		dst.High = append(dst.High, v[10].(float64))
		dst.Low = append(dst.Low, v[11].(float64))
		dst.Flags = append(dst.Flags, v[12].(uint8))
		dst.Close = append(dst.Close, v[13].(float64))
		dst.AM = append(dst.AM, v[14].(uint8) != 0)
	}
	dst.DayStart = append(dst.DayStart, len(dst.Strike))
	return nil
}

// Bars holds one symbol's daily bars as column slices, ascending by date.
type Bars struct {
	Symbol                 string
	Days                   []int32 // days since 1970-01-01
	Open, High, Low, Close []float64
	Volume                 []int64
}

// LoadBars fills dst with the daily bars of symbol (an underlying, VIX or VIX3M)
// on dates in [from, to].
func (s *Store) LoadBars(ctx context.Context, symbol string, from, to time.Time, dst *Bars) error {
	*dst = Bars{Symbol: symbol, Days: dst.Days[:0], Open: dst.Open[:0], High: dst.High[:0],
		Low: dst.Low[:0], Close: dst.Close[:0], Volume: dst.Volume[:0]}
	rows, err := s.db.QueryContext(ctx, `SELECT (trade_date - DATE '1970-01-01')::INTEGER,
			coalesce(open, 'NaN'::DOUBLE), coalesce(high, 'NaN'::DOUBLE), coalesce(low, 'NaN'::DOUBLE),
			close, coalesce(volume, -1)
		FROM underlying_bars WHERE symbol = ? AND trade_date BETWEEN ? AND ? ORDER BY trade_date`,
		symbol, from, to)
	if err != nil {
		return fmt.Errorf("market: load bars of %s: %w", symbol, err)
	}
	defer rows.Close()
	for rows.Next() {
		var d int32
		var o, h, l, c float64
		var v int64
		if err := rows.Scan(&d, &o, &h, &l, &c, &v); err != nil {
			return fmt.Errorf("market: load bars of %s: %w", symbol, err)
		}
		dst.Days = append(dst.Days, d)
		dst.Open, dst.High, dst.Low = append(dst.Open, o), append(dst.High, h), append(dst.Low, l)
		dst.Close, dst.Volume = append(dst.Close, c), append(dst.Volume, v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("market: load bars of %s: %w", symbol, err)
	}
	return nil
}

// Event is one row of the events table.
type Event struct {
	Symbol string
	Date   time.Time
	Kind   string  // "earnings", "ex_dividend" or "fomc"
	Amount float64 // dividend per share; NaN when not applicable
}

// LoadEvents returns the events of symbols (and the market-wide ones, symbol '*')
// dated in [from, to], by date.
func (s *Store) LoadEvents(ctx context.Context, from, to time.Time, symbols ...string) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT symbol, event_date, kind, coalesce(amount, 'NaN'::DOUBLE)
		FROM events WHERE event_date BETWEEN ? AND ? AND (symbol = '*' OR list_contains(?, symbol))
		ORDER BY event_date, symbol, kind`, from, to, symbols)
	if err != nil {
		return nil, fmt.Errorf("market: load events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.Symbol, &e.Date, &e.Kind, &e.Amount); err != nil {
			return nil, fmt.Errorf("market: load events: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Fingerprint identifies the data in the store: a SHA-256 over the sorted
// SHA-256s of every file ingested into it. Two stores loaded from the same
// files have the same fingerprint, whatever the order they were loaded in.
func (s *Store) Fingerprint(ctx context.Context) (string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT sha256 FROM ingest_log ORDER BY sha256`)
	if err != nil {
		return "", fmt.Errorf("market: fingerprint: %w", err)
	}
	defer rows.Close()
	h := sha256.New()
	for rows.Next() {
		var sum string
		if err := rows.Scan(&sum); err != nil {
			return "", fmt.Errorf("market: fingerprint: %w", err)
		}
		io.WriteString(h, sum+"\n")
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("market: fingerprint: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

package market

import (
	"context"
	"fmt"
	"math"
	"time"
)

// IntradayQuotes holds an underlying's minute quotes (option_intraday) at a
// series of sample times, as columns. Rows of one time are sorted by
// expiration, strike and put/call, each contract once.
type IntradayQuotes struct {
	Underlying string
	Times      []time.Time // sample times (minute ends), ascending, UTC
	Start      []int       // len(Times)+1 offsets into the row columns

	Expiration []int32   // days since 1970-01-01
	PutCall    []byte    // 'P' or 'C'
	Strike     []float64 // dollars
	Bid, Ask   []float64 // dollars
}

// Len returns the number of rows.
func (q *IntradayQuotes) Len() int { return len(q.Strike) }

func (q *IntradayQuotes) reset() {
	q.Times, q.Start = q.Times[:0], q.Start[:0]
	q.Expiration, q.PutCall, q.Strike, q.Bid, q.Ask = q.Expiration[:0], q.PutCall[:0], q.Strike[:0], q.Bid[:0], q.Ask[:0]
}

const intradayQuery = `SELECT epoch_ms(ts), (expiration - DATE '1970-01-01')::INTEGER, ascii(put_call)::UTINYINT,
		strike, bid, ask
	FROM option_intraday
	WHERE underlying = ? AND ts >= ? AND ts < ? AND epoch_ms(ts) % ? = 0
	ORDER BY ts, expiration, strike, put_call`

// LoadIntraday fills dst with underlying's minute quotes stamped from the
// start of day from to the end of day to (New York days, so through 04:00 UTC
// the day after), keeping the minutes whose end is a multiple of every (5
// minutes keeps 09:35, 09:40, …). A contract quoted twice in one minute keeps
// its last row. The caller owns dst and may reuse it.
func (s *Store) LoadIntraday(ctx context.Context, underlying string, from, to time.Time, every time.Duration, dst *IntradayQuotes) error {
	dst.reset()
	dst.Underlying = underlying
	if every < time.Minute || every%time.Minute != 0 {
		return fmt.Errorf("market: intraday sampling every %v: want whole minutes", every)
	}
	lo := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	hi := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1).Add(6 * time.Hour)
	rows, err := s.db.QueryContext(ctx, intradayQuery, underlying, lo, hi, every.Milliseconds())
	if err != nil {
		return fmt.Errorf("market: load intraday quotes of %s: %w", underlying, err)
	}
	defer rows.Close()
	var ms int64
	var exp int32
	var pc uint8
	var k, bid, ask float64
	for rows.Next() {
		if err := rows.Scan(&ms, &exp, &pc, &k, &bid, &ask); err != nil {
			return fmt.Errorf("market: load intraday quotes of %s: %w", underlying, err)
		}
		if n := len(dst.Times); n == 0 || dst.Times[n-1].UnixMilli() != ms {
			dst.Times = append(dst.Times, time.UnixMilli(ms).UTC())
			dst.Start = append(dst.Start, len(dst.Strike))
		} else if r := len(dst.Strike) - 1; dst.Expiration[r] == exp && dst.PutCall[r] == pc && dst.Strike[r] == k {
			dst.Bid[r], dst.Ask[r] = bid, ask // the same contract again: keep the last
			continue
		}
		dst.Expiration = append(dst.Expiration, exp)
		dst.PutCall = append(dst.PutCall, pc)
		dst.Strike = append(dst.Strike, k)
		dst.Bid = append(dst.Bid, nanIfNegative(bid))
		dst.Ask = append(dst.Ask, nanIfNegative(ask))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("market: load intraday quotes of %s: %w", underlying, err)
	}
	dst.Start = append(dst.Start, len(dst.Strike))
	return nil
}

// nanIfNegative maps a negative price (a missing side) to NaN; zero stays,
// and QuoteFlags reads it (a zero bid is FlagZeroBid, a zero ask no quote).
func nanIfNegative(x float64) float64 {
	if x < 0 || math.IsNaN(x) {
		return math.NaN()
	}
	return x
}

// QuoteFlags returns the Flag* bits of a quote: no quote (either side
// missing), crossed, locked or zero bid.
func QuoteFlags(bid, ask float64) uint8 {
	switch {
	case math.IsNaN(bid) || math.IsNaN(ask) || ask <= 0:
		return FlagNoQuote
	case bid > ask:
		return FlagCrossed
	case bid == ask:
		return FlagLocked
	case bid <= 0:
		return FlagZeroBid
	}
	return 0
}

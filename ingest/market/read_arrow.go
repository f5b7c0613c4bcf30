//go:build duckdb_arrow

package market

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/duckdb/duckdb-go/v2"
)

// ArrowReads reports whether this build reads chains through DuckDB's Arrow
// interface (build tag duckdb_arrow): column batches copied straight into the
// Chains slices, instead of one boxed value per cell.
const ArrowReads = true

// loadChainsArrow fills dst from the chains query through Arrow record batches.
func loadChainsArrow(ctx context.Context, raw *duckdb.Conn, args []any, dst *Chains) error {
	ar, err := duckdb.NewArrowFromConn(raw)
	if err != nil {
		return err
	}
	rdr, err := ar.QueryContext(ctx, chainsQuery, args...)
	if err != nil {
		return err
	}
	defer rdr.Release()
	for rdr.Next() {
		rec := rdr.RecordBatch()
		if rec.NumCols() != 15 {
			return fmt.Errorf("chains query returned %d columns", rec.NumCols())
		}
		days := rec.Column(0).(*array.Int32).Int32Values()
		base := len(dst.Strike)
		for i, d := range days {
			if n := len(dst.Days); n == 0 || dst.Days[n-1] != d {
				dst.Days = append(dst.Days, d)
				dst.DayStart = append(dst.DayStart, base+i)
			}
		}
		dst.Expiration = append(dst.Expiration, rec.Column(1).(*array.Int32).Int32Values()...)
		dst.PutCall = append(dst.PutCall, rec.Column(2).(*array.Uint8).Uint8Values()...)
		dst.Strike = append(dst.Strike, rec.Column(3).(*array.Float64).Float64Values()...)
		dst.Bid = append(dst.Bid, rec.Column(4).(*array.Float64).Float64Values()...)
		dst.Ask = append(dst.Ask, rec.Column(5).(*array.Float64).Float64Values()...)
		dst.BidSize = append(dst.BidSize, rec.Column(6).(*array.Int32).Int32Values()...)
		dst.AskSize = append(dst.AskSize, rec.Column(7).(*array.Int32).Int32Values()...)
		dst.Volume = append(dst.Volume, rec.Column(8).(*array.Int64).Int64Values()...)
		dst.OpenInterest = append(dst.OpenInterest, rec.Column(9).(*array.Int64).Int64Values()...)
		dst.High = append(dst.High, rec.Column(10).(*array.Float64).Float64Values()...)
		dst.Low = append(dst.Low, rec.Column(11).(*array.Float64).Float64Values()...)
		dst.Close = append(dst.Close, rec.Column(13).(*array.Float64).Float64Values()...)
		for _, am := range rec.Column(14).(*array.Uint8).Uint8Values() {
			dst.AM = append(dst.AM, am != 0)
		}
		dst.Flags = append(dst.Flags, rec.Column(12).(*array.Uint8).Uint8Values()...)
	}
	if err := rdr.Err(); err != nil {
		return err
	}
	dst.DayStart = append(dst.DayStart, len(dst.Strike))
	return nil
}

//go:build !duckdb_arrow

package market

import (
	"context"
	"errors"

	"github.com/duckdb/duckdb-go/v2"
)

// ArrowReads reports whether this build reads chains through DuckDB's Arrow
// interface. This one does not: build with -tags duckdb_arrow for the fast path.
const ArrowReads = false

func loadChainsArrow(context.Context, *duckdb.Conn, []any, *Chains) error {
	return errors.New("built without the duckdb_arrow tag")
}

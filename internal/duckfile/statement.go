package duckfile

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
)

// readStatements are the kinds of statement sweep query runs: they read.
var readStatements = map[duckdb.StmtType]string{
	duckdb.STATEMENT_TYPE_SELECT:  "SELECT",
	duckdb.STATEMENT_TYPE_EXPLAIN: "EXPLAIN",
	duckdb.STATEMENT_TYPE_PRAGMA:  "PRAGMA",
	duckdb.STATEMENT_TYPE_CALL:    "CALL",
}

// exportStatements write files, and run only with --allow-files (the sandbox
// then keeps them inside that directory).
var exportStatements = map[duckdb.StmtType]string{
	duckdb.STATEMENT_TYPE_COPY:   "COPY",
	duckdb.STATEMENT_TYPE_EXPORT: "EXPORT",
}

// statementNames names the other kinds in refusals.
var statementNames = map[duckdb.StmtType]string{
	duckdb.STATEMENT_TYPE_INSERT: "INSERT", duckdb.STATEMENT_TYPE_UPDATE: "UPDATE",
	duckdb.STATEMENT_TYPE_DELETE: "DELETE", duckdb.STATEMENT_TYPE_CREATE: "CREATE",
	duckdb.STATEMENT_TYPE_ALTER: "ALTER", duckdb.STATEMENT_TYPE_DROP: "DROP",
	duckdb.STATEMENT_TYPE_SET: "SET", duckdb.STATEMENT_TYPE_VARIABLE_SET: "SET VARIABLE",
	duckdb.STATEMENT_TYPE_LOAD: "INSTALL/LOAD", duckdb.STATEMENT_TYPE_ATTACH: "ATTACH",
	duckdb.STATEMENT_TYPE_DETACH: "DETACH", duckdb.STATEMENT_TYPE_TRANSACTION: "transaction",
	duckdb.STATEMENT_TYPE_VACUUM: "VACUUM", duckdb.STATEMENT_TYPE_ANALYZE: "ANALYZE",
	duckdb.STATEMENT_TYPE_CREATE_FUNC: "CREATE FUNCTION", duckdb.STATEMENT_TYPE_PREPARE: "PREPARE",
	duckdb.STATEMENT_TYPE_EXECUTE: "EXECUTE", duckdb.STATEMENT_TYPE_EXTENSION: "extension",
}

// CheckStatement refuses text unless it is one statement that reads
// (SELECT, EXPLAIN, PRAGMA or CALL) or, with exports allowed, one COPY or
// EXPORT, preparing it on conn (a DuckDB connection) to learn its kind.
// OpenSandboxed refuses the rest anyway; this says so plainly, naming the
// kind of statement, and keeps COPY from the database's own files. Its
// errors speak to users of "sweep query".
func CheckStatement(ctx context.Context, conn *sql.Conn, text string, exports bool) error {
	return Raw(conn, func(c *duckdb.Conn) error {
		ds, err := c.PrepareContext(ctx, text)
		if err != nil {
			return err
		}
		defer ds.Close()
		st, ok := ds.(*duckdb.Stmt)
		if !ok {
			return fmt.Errorf("unexpected driver statement %T", ds)
		}
		typ, err := st.StatementType()
		if err != nil {
			return err
		}
		if _, ok := readStatements[typ]; ok {
			return nil
		}
		if name, ok := exportStatements[typ]; ok {
			if exports {
				return nil
			}
			return fmt.Errorf("sweep query is read-only and sandboxed: %s writes files; pass --allow-files DIR to export into DIR", name)
		}
		name := statementNames[typ]
		if name == "" {
			name = fmt.Sprintf("statement type %d", typ)
		}
		return fmt.Errorf("sweep query is read-only and sandboxed: %s statements are refused (it runs SELECT, EXPLAIN, PRAGMA and CALL; COPY and EXPORT with --allow-files)", name)
	})
}

// Raw runs fn with the DuckDB connection under conn, which appenders, Arrow
// views and statement types need.
func Raw(conn *sql.Conn, fn func(c *duckdb.Conn) error) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		return fn(c)
	})
}

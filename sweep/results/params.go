package results

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// param is one cell parameter as it goes into its typed column.
type param struct {
	column string // p_<name>
	typ    string // DuckDB type wanted for a new column
	text   string // value in a form DuckDB casts to typ
}

// ParamSQLType returns the DuckDB type of the p_ column for a parameter type
// name: DOUBLE for "float" (also "float64", "float32", "double"), BIGINT for
// "int" (also "int64", "int32", "integer"), BOOLEAN for "bool" (also "boolean")
// and VARCHAR for anything else, including "".
func ParamSQLType(typ string) string {
	switch strings.ToLower(typ) {
	case "float", "float64", "float32", "double":
		return "DOUBLE"
	case "int", "int64", "int32", "integer":
		return "BIGINT"
	case "bool", "boolean":
		return "BOOLEAN"
	}
	return "VARCHAR"
}

// ParamColumn returns the cells column holding parameter name: "p_" followed by
// the name in lower case with every character other than a-z, 0-9 and '_'
// replaced by '_'. "min_dte" is p_min_dte, "Take-Profit" is p_take_profit.
func ParamColumn(name string) string {
	var b strings.Builder
	b.WriteString("p_")
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// cellParams checks a cell's parameters against their types and returns them
// ordered by column.
func cellParams(c Cell) ([]param, error) {
	out := make([]param, 0, len(c.Params))
	seen := make(map[string]string, len(c.Params))
	for name, v := range c.Params {
		if name == "" {
			return nil, fmt.Errorf("results: cell %s: empty parameter name", c.Key)
		}
		col := ParamColumn(name)
		if other, ok := seen[col]; ok {
			return nil, fmt.Errorf("results: cell %s: parameters %q and %q both map to column %s", c.Key, other, name, col)
		}
		seen[col] = name
		typ := ParamSQLType(c.ParamTypes[name])
		text, err := paramText(typ, v)
		if err != nil {
			return nil, fmt.Errorf("results: cell %s: parameter %s: %w", c.Key, name, err)
		}
		out = append(out, param{column: col, typ: typ, text: text})
	}
	slices.SortFunc(out, func(a, b param) int { return strings.Compare(a.column, b.column) })
	return out, nil
}

// paramText parses v as a value of DuckDB type typ and formats it so that a
// cast from VARCHAR reads it back.
func paramText(typ, v string) (string, error) {
	s := strings.TrimSpace(v)
	switch typ {
	case "DOUBLE":
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "", fmt.Errorf("%q is not a float", v)
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	case "BIGINT":
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return "", fmt.Errorf("%q is not an int", v)
		}
		return strconv.FormatInt(i, 10), nil
	case "BOOLEAN":
		b, err := strconv.ParseBool(s)
		if err != nil {
			return "", fmt.Errorf("%q is not a bool", v)
		}
		return strconv.FormatBool(b), nil
	}
	return v, nil
}

// ensureParams adds the p_ columns ps need to cells. Each ALTER commits on its
// own, before the cell's transaction: an empty column left by a cell that then
// fails is harmless. The caller holds db.mu.
func (db *DB) ensureParams(ctx context.Context, ps []param) error {
	if db.params == nil {
		rows, err := db.db.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
			WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = 'cells'
			AND starts_with(column_name, 'p_')`)
		if err != nil {
			return fmt.Errorf("results: read parameter columns: %w", err)
		}
		defer rows.Close()
		known := make(map[string]string)
		for rows.Next() {
			var col, typ string
			if err := rows.Scan(&col, &typ); err != nil {
				return fmt.Errorf("results: read parameter columns: %w", err)
			}
			known[col] = typ
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("results: read parameter columns: %w", err)
		}
		db.params = known
	}
	for _, p := range ps {
		if _, ok := db.params[p.column]; ok {
			continue
		}
		q := fmt.Sprintf(`ALTER TABLE cells ADD COLUMN IF NOT EXISTS "%s" %s`, p.column, p.typ)
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("results: add column %s: %w", p.column, err)
		}
		db.params[p.column] = p.typ
	}
	return nil
}

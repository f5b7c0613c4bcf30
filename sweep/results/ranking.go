package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Ranked is a cell of a run with the metrics "sweep run" shows of its best
// cells.
type Ranked struct {
	Key         string
	Sharpe      float64
	CAGR        float64
	MaxDrawdown float64
	Trades      int64
}

// BestBySharpe returns up to n cells of run runID that traded and have a
// Sharpe ratio, best first (ties by key).
func (db *DB) BestBySharpe(ctx context.Context, runID string, n int) ([]Ranked, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT c.cell_key, m.sharpe, m.cagr, m.max_drawdown, m.trades
		FROM run_cells rc JOIN cells c USING (cell_key) JOIN cell_metrics m USING (cell_key)
		WHERE rc.run_id = ? AND m.sharpe IS NOT NULL AND m.trades > 0 ORDER BY m.sharpe DESC, c.cell_key LIMIT ?`, runID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var top []Ranked
	for rows.Next() {
		var r Ranked
		if err := rows.Scan(&r.Key, &r.Sharpe, &r.CAGR, &r.MaxDrawdown, &r.Trades); err != nil {
			return nil, err
		}
		top = append(top, r)
	}
	return top, rows.Err()
}

// CellConfig is what a stored cell ran: its strategy, symbols and every
// parameter value, as text.
type CellConfig struct {
	Key      string
	Strategy string
	Symbols  []string
	Params   map[string]string
}

// ErrNoCell is returned by CellConfigByKey when no cell matches.
var ErrNoCell = errors.New("no such cell")

// CellConfigByKey returns the configuration of the cell whose key is key, or
// else of the first (by key) whose key starts with key. An unknown key is
// ErrNoCell.
func (db *DB) CellConfigByKey(ctx context.Context, key string) (CellConfig, error) {
	c := CellConfig{Key: key}
	var syms, params string
	err := db.db.QueryRowContext(ctx, `SELECT cell_key, strategy, array_to_string(symbols, ','), CAST(params AS VARCHAR) FROM cells
		WHERE cell_key = ? OR cell_key LIKE ? || '%' ORDER BY cell_key = ? DESC, cell_key LIMIT 1`, key, key, key).
		Scan(&c.Key, &c.Strategy, &syms, &params)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNoCell
	} else if err != nil {
		return c, err
	}
	c.Symbols = strings.Split(syms, ",")
	if err := json.Unmarshal([]byte(params), &c.Params); err != nil {
		return c, fmt.Errorf("cell %s parameters: %w", key, err)
	}
	return c, nil
}

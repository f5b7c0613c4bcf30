// Package results is the results database: a DuckDB file (by default
// runs/results.duckdb) holding what backtests and sweeps produced, as plain
// tables that any DuckDB client can query with SQL.
//
// A run (one `sweep backtest` or `sweep run`) writes one row in runs and one cell
// per backtest it performs. WriteCell writes a cell in a single transaction, so a
// cell is either wholly present or absent, even after kill -9: HasCell(key) then
// tells a resumed run which cells it can skip. Writing a cell whose key is
// already present replaces its rows (for --force).
//
// Conventions: money is DOUBLE dollars; fractions are plain ratios (0.1 is 10%);
// dates are DATEs holding the trading date; statistics that are undefined or
// infinite (NaN, ±Inf, such as the profit factor of a run without losses) are
// NULL; JSON columns hold JSON text. No column name is a reserved SQL keyword.
//
// # Tables
//
// meta: key, value. Holds schema_version = 1.
//
// runs, one row per run:
//   - run_id: VARCHAR primary key
//   - kind: 'backtest' or 'sweep'
//   - name: a label for people
//   - config: the text of the strategy or grid file
//   - engine_version: version of the code that ran
//   - data_fingerprint: fingerprint of the market data read
//   - market_db: path of the market database
//   - started_at: TIMESTAMPTZ, when the run first started (a resume keeps it)
//   - finished_at: TIMESTAMPTZ, NULL while running or after a crash
//   - status: 'running', then 'done', 'failed' or what FinishRun wrote
//
// cells, one row per backtest:
//   - cell_key: VARCHAR primary key
//   - run_id: the run that wrote it
//   - strategy: strategy name
//   - symbols: VARCHAR[], the underlyings traded
//   - date_from, date_to: DATE, the first and last date of the backtest
//   - seed: UBIGINT, seed of the cell's random draws
//   - params: JSON object of parameter name → value as text
//   - p_<name>: one typed column per parameter ever written (see ParamColumn),
//     DOUBLE for float, BIGINT for int, BOOLEAN for bool, VARCHAR otherwise;
//     NULL in cells without that parameter. A column keeps the type of its first
//     use: later values are cast to it, and a value that does not cast is an error.
//
// cell_metrics, one row per cell (see metrics.Summary for definitions):
//   - cell_key: VARCHAR primary key
//   - trades, wins, losses: BIGINT counts of closed trades (net > 0, net < 0)
//   - win_rate: wins/trades, fraction
//   - gross_pnl, fees, net_pnl: dollars, over closed trades
//   - roc_mean, roc_median, roc_std, roc_min, roc_max: net/collateral per trade,
//     fraction
//   - start_equity, end_equity: dollars
//   - total_return: fraction; cagr: fraction per year
//   - sharpe, sortino: annualised (√252) ratios of daily excess returns
//   - calmar: cagr/max_drawdown
//   - max_drawdown: 1 − equity/running peak at its worst, positive fraction
//   - max_drawdown_days: BIGINT calendar days from the peak to recovery (or the
//     last date)
//   - max_drawdown_start, max_drawdown_trough, max_drawdown_end: DATE
//   - recovered: BOOLEAN, equity got back to that peak
//   - profit_factor: Σ winning nets / |Σ losing nets|
//   - expectancy: net_pnl/trades, dollars per trade
//   - avg_days_held: calendar days per trade
//   - avg_win, avg_loss: mean net of winning and of losing trades, dollars
//   - exit_reasons: JSON object of exit reason → count of closed trades
//   - open_trades: BIGINT, trades still open at the end (not in the statistics
//     above)
//   - orders, rejected_orders: BIGINT, orders the strategy sent and how many the
//     engine rejected
//
// trades, one row per trade record (a set of legs opened together, or a
// position's shares), closed or still open:
//   - cell_key; trade_id: BIGINT, index of the record in the cell;
//     position_id: BIGINT, the position it belongs to
//   - symbol: the underlying; tag: strategy label (a wheel's id); phase: 'csp',
//     'cc', 'spread'…, 'stock' for shares
//   - legs: VARCHAR for people, legs joined by "; ", each signed contracts,
//     contract and entry price per share: "-1 SPY 2024-03-15 P 480 @1.04";
//     shares read "100 SPY shares @480.5"
//   - legs_json: JSON list of {underlying, expiration (YYYY-MM-DD), put_call
//     ('P'/'C'), strike (dollars), qty (signed contracts), price (entry, dollars
//     per share)}
//   - quantity: BIGINT units (contracts of the package, or shares)
//   - opened: DATE; closed: DATE, NULL while open
//   - days_held: BIGINT calendar days closed − opened, NULL while open
//   - entry: package price per share paid at open, dollars (negative: a credit)
//   - exit_price: package price per share received at close, dollars (negative:
//     paid), NULL while open
//   - gross, fees, net: dollars (net = gross − fees); for an open trade, what was
//     realised and paid so far
//   - collateral: dollars reserved at open (for shares, their cost)
//   - roc: net/collateral, fraction; NULL while open or without collateral
//   - exit_reason: 'profit_target', 'stop_loss', 'expired_worthless'…, 'open'
//     while open
//   - touches: BIGINT take-profit touches
//   - draws: JSON list of the probabilistic-fill draws {p, u, filled}: fill
//     probability, uniform draw, and whether it filled (u ≤ p)
//   - entry_spot (dollars), entry_vix, entry_delta, entry_iv (fraction),
//     entry_ivp (percentile, 0–100), entry_spread_pct ((ask − bid)/mid,
//     fraction), entry_dte (BIGINT days): the market at entry as the strategy
//     reported it
//
// equity, one row per cell and trading day:
//   - cell_key; trade_date: DATE
//   - equity, cash, collateral: dollars at the end of the day
//   - drawdown: 1 − equity/running peak of equity, a fraction ≥ 0
//
// events, what happened to the book (sim.BookEvent), one row each:
//   - cell_key; trade_date: DATE; position_id: BIGINT (0 when none)
//   - kind: 'filled', 'rejected', 'profit_target', 'assigned'… (sim.Event*)
//   - trade_id: BIGINT trade record concerned, NULL if none
//   - detail: free text
//
// decisions, the strategy's decision log (sim.Note), one row each:
//   - cell_key; trade_date: DATE; symbol; kind; message
//
// # Example questions
//
// The best ten cells of run 'r1' by Sharpe ratio, with their parameters:
//
//	SELECT c.cell_key, c.strategy, c.params, m.sharpe, m.cagr, m.max_drawdown, m.trades
//	FROM cells c JOIN cell_metrics m USING (cell_key)
//	WHERE c.run_id = 'r1' AND m.sharpe IS NOT NULL
//	ORDER BY m.sharpe DESC
//	LIMIT 10;
//
// Profit and loss by exit reason over the closed trades of cells with
// min_dte = 3:
//
//	SELECT t.exit_reason, count(*) AS n, sum(t.net) AS net_pnl, avg(t.roc) AS mean_roc,
//	       avg(t.days_held) AS mean_days
//	FROM trades t JOIN cells c USING (cell_key)
//	WHERE t.closed IS NOT NULL AND c.p_min_dte = 3
//	GROUP BY t.exit_reason
//	ORDER BY net_pnl DESC;
package results

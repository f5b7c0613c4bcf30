// Package results is the results database: a DuckDB file (by default
// runs/results.duckdb) holding what backtests and sweeps produced, as plain
// tables that any DuckDB client can query with SQL.
//
// A run (one `sweep backtest` or `sweep run`) writes one row in runs and one cell
// per backtest it performs. WriteCells writes a batch of cells in a single
// transaction (WriteCell a batch of one), so a cell is either wholly present or
// absent, even after kill -9: CellKeys (or HasCell) then tells a resumed run
// which cells it can skip, and LinkCells records that the skipped cells belong to
// it too. Writing a cell whose key is already present replaces its rows (for
// --force). A cell belongs to every run that computed or reused it (run_cells);
// cells.run_id names only the run that last computed it.
//
// A shard of a sweep spread over machines (`sweep run --shard i/N`) does not
// write the database: a PartWriter writes its batches as Parquet parts, and
// Merge later loads the parts of every shard into the database. See Parts and
// Merging below.
//
// The package is also the one reader of the tables for Go code: ReadRun,
// ReadRuns, ReadRunCells, ReadCell (a key or a prefix of one), ReadSeries,
// ReadTrades, ReadDecisions, ReadFolds and ReadScan return typed rows
// (RunRow, CellRow, Series, TradeRow, FoldRow, Scan), which report renders.
// The metric columns of cell_metrics are sim/metrics.Columns, in table
// order; MetricColumns lists their names.
//
// Conventions: money is DOUBLE dollars; fractions are plain ratios (0.1 is 10%);
// dates are DATEs holding the trading date; statistics that are undefined or
// infinite (NaN, ±Inf, such as the profit factor of a run without losses) are
// NULL; JSON columns hold JSON text. No column name is a reserved SQL keyword.
//
// # Tables
//
// meta: key, value. Holds kind = 'results' and schema_version = 2. Open migrates a version 1
// database in place, in one transaction: it creates run_cells and walk_forward,
// fills run_cells from cells.run_id and sets schema_version to 2. OpenReadOnly
// refuses a version 1 database, asking for it to be opened read-write once.
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
// For a run merged from parts, see Merging for how the rows of its shards
// combine.
//
// cells, one row per backtest:
//   - cell_key: VARCHAR primary key
//   - run_id: the run that computed it (last wrote it); the runs a cell belongs
//     to are in run_cells
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
// run_cells, which cells belong to which run, one row per pair. A cell computed
// once can belong to several runs: a grid rerun under a new name, a backtest
// identical to a sweep cell. Writing a cell adds the pair (its run, its key);
// LinkCells adds the pairs of the cells a run skipped because they were stored.
// Rewriting a cell keeps its pairs.
//   - run_id, cell_key: VARCHAR, together the primary key
//
// walk_forward, one row per walk-forward run, fold and symbol set: the cell
// chosen on the training window and the out-of-sample cell that reran its
// parameters on the test window (see FoldRow, WriteFolds):
//   - run_id; fold: BIGINT; symbols: VARCHAR[]
//   - train_from, train_to, test_from, test_to: DATE, the first and last dates of
//     the training and test windows
//   - metric: the cell_metrics column the choice ranked by; goal: 'max' or 'min'
//   - train_cell_key, train_value: the chosen cell and its metric (DOUBLE)
//   - test_cell_key, test_value: the out-of-sample cell and its metric (DOUBLE)
//   - params: JSON object of the chosen parameters, name → value as text
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
// # Parts
//
// A part is a directory named part-NNNNNN (six or more digits) holding one
// Parquet file per table: runs, run_cells, cells, cell_metrics, trades, equity,
// events, decisions and walk_forward, each with the columns of its table (cells
// with the p_ columns of the part's own cells) and the rows of one batch:
//
//	runs/parts/<grid>/shard-3/part-000001/runs.parquet
//	runs/parts/<grid>/shard-3/part-000001/cells.parquet
//	...
//
// PartWriter.Write writes a part with a run's row and a batch of cells (Link a
// part of run_cells rows only, WriteFolds one of walk_forward rows only). It
// writes the files into part-NNNNNN.tmp and then renames the directory, so a
// killed process leaves only a .tmp directory, which readers skip and the next
// PartWriter on that directory removes. Parts are numbered from one above the
// highest in the directory; one writer per directory, so each shard needs its
// own. PartWriter.Keys returns the cells of the complete parts, which a
// restarted shard skips.
//
// # Merging
//
// Merge loads parts into a database, each part in one transaction, after checking
// that every file of every part can be read (a corrupt or missing file fails the
// merge before anything changes). For each part:
//   - p_ columns of its cells.parquet that cells lacks are added, with the
//     Parquet column's type;
//   - the rows of its cells are deleted from cells, cell_metrics, trades, equity,
//     events and decisions, and its rows inserted: a cell in a part replaces the
//     stored one, as WriteCells does;
//   - run_cells rows are added (present pairs are kept);
//   - walk_forward rows replace those with the same run_id, fold and symbols;
//   - runs rows are upserted: started_at becomes the earlier of the stored and
//     the part's, finished_at the later, the other columns the part's. The
//     status is worked out over all the parts of the merge: the parts of one
//     directory are one writer's (a shard's), in order, so its last part with the
//     run gives that writer's status; the run is 'done' if every writer's status
//     is 'done', otherwise the first status other than 'done' and 'running' (such
//     as 'failed'), if any, else 'running', with finished_at NULL. Merge every
//     shard's parts together (`sweep merge runs/parts/<grid>`) for a true status.
//
// Merging the same parts again changes nothing.
//
// # Example questions
//
// The best ten cells of run 'r1' by Sharpe ratio, with their parameters. Join
// run_cells, not cells.run_id: a rerun that found cells stored owns them too.
//
//	SELECT c.cell_key, c.strategy, c.params, m.sharpe, m.cagr, m.max_drawdown, m.trades
//	FROM run_cells r JOIN cells c USING (cell_key) JOIN cell_metrics m USING (cell_key)
//	WHERE r.run_id = 'r1' AND m.sharpe IS NOT NULL
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
//
// In-sample against out-of-sample value of each fold of walk-forward run 'wf':
//
//	SELECT fold, symbols, metric, train_value, test_value, test_value - train_value AS decay, params
//	FROM walk_forward
//	WHERE run_id = 'wf'
//	ORDER BY symbols, fold;
package results

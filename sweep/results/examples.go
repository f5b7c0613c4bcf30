package results

// Example questions of the results DB, in DuckDB's SQL: "sweep query --help"
// shows them and other commands' hints name them ("sweep query
// QUERY"). They read the schema described in the package documentation;
// the run id r1 stands for the user's.
const (
	// ExampleRuns lists the runs, newest first.
	ExampleRuns = `SELECT run_id, name, status, started_at FROM runs ORDER BY started_at DESC`
	// ExampleRunIDs lists the runs' ids, kinds and names.
	ExampleRunIDs = `SELECT run_id, kind, name FROM runs`
	// ExampleRunStatus lists the runs with their status.
	ExampleRunStatus = `SELECT run_id, kind, name, status FROM runs`
	// ExampleBestBySharpe lists the ten best cells of run r1 by Sharpe ratio,
	// with their parameters.
	ExampleBestBySharpe = `SELECT c.cell_key, c.strategy, c.params, m.sharpe, m.cagr, m.max_drawdown, m.trades
FROM run_cells rc JOIN cells c USING (cell_key) JOIN cell_metrics m USING (cell_key)
WHERE rc.run_id = 'r1' AND m.sharpe IS NOT NULL
ORDER BY m.sharpe DESC
LIMIT 10`
	// ExamplePnLByExit sums the profit and loss by exit reason over the
	// closed trades of run r1's cells with dte_min = 30.
	ExamplePnLByExit = `SELECT t.exit_reason, count(*) AS n, sum(t.net) AS net_pnl, avg(t.roc) AS mean_roc,
       avg(t.days_held) AS mean_days
FROM run_cells rc JOIN cells c USING (cell_key) JOIN trades t USING (cell_key)
WHERE rc.run_id = 'r1' AND t.closed IS NOT NULL AND c.p_dte_min = 30
GROUP BY t.exit_reason
ORDER BY net_pnl DESC`
)

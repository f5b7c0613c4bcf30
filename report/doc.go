// Package report writes single-file HTML reports from a results database: one
// run (a backtest, or a sweep's best cell), a whole sweep, and a comparison of
// runs.
//
// A report is one file that opens offline. Its charts are SVG drawn by
// report/chart (gonum/plot) and inlined; its styles and the few lines of
// script that sort tables are inlined too, and a Content-Security-Policy
// forbids any fetch. Every string that comes from data goes through
// html/template, which escapes it; the charts escape the text they draw.
//
// # Reports
//
// The single-run report shows the metrics (as sim/metrics computed them when
// the cell ran), the equity curve with its high-water mark, the underwater
// drawdown, monthly returns, a rolling Sharpe ratio over RollingWindow trading
// days, the trade P&L distribution, exit reasons, P&L by symbol and by phase
// (a wheel's cash-secured puts, covered calls and stock), every parameter, and
// what it takes to reproduce the run: the configuration as run, the engine
// version and the data fingerprint.
//
// The sweep report ranks every cell by a metric, draws the metric over each
// pair of varied parameters with the others held at the best cell's values,
// profiles the metric along each parameter, and judges the best cell's
// neighbourhood (see Robustness). For a walk-forward it sets each fold's
// in-sample value against its out-of-sample value.
//
// The comparison sets runs' metrics side by side and overlays their equity
// (as growth of 100) and drawdowns.
package report

// Package metrics computes the performance statistics of a backtest from its daily
// equity curve and its closed trades: returns, risk-adjusted ratios, drawdowns, trade
// statistics and exit-reason counts (Compute and Summary), plus the series a report
// draws (Returns, Drawdown, HighWater, RollingSharpe, MonthlyReturns).
//
// # Inputs
//
// Dates are days since 1970-01-01 (int32), ascending, one per trading day; equity is
// the account value in dollars at each date, and must be positive and finite. Trades
// are closed trades with their gross P&L, fees, collateral and holding period.
//
// # Conventions
//
//   - Returns are simple daily returns r[i] = equity[i+1]/equity[i] − 1; a curve of
//     n values has n−1 returns.
//   - riskFree is an annual rate as a fraction (0.04 is 4%); its daily share is
//     riskFree/252, not compounded. Excess returns are x = r − riskFree/252.
//   - A year has 252 trading days (TradingDaysPerYear) for annualising Sharpe and
//     Sortino, and 365.25 calendar days (CalendarDaysPerYear) for CAGR.
//   - Sharpe = mean(x) / std(x) · √252, std with ddof = 1 (sample standard deviation).
//     When the excess returns have no variance (std is at most 1e-10 of their root
//     mean square, which covers rounding noise in a constant-growth curve) or there are
//     fewer than two returns, Sharpe is 0, never ±Inf or NaN.
//   - Sortino = mean(x) / DD · √252 with downside deviation DD = √(mean(min(x, 0)²)),
//     the mean taken over ALL days, not only the losing ones. With no downside
//     (DD = 0) Sortino is +Inf if mean(x) > 0 and 0 otherwise (no returns, or all
//     excess returns exactly 0). A flat curve with riskFree > 0 has Sharpe 0 but
//     Sortino −√252: every day falls short of the risk-free rate by the same amount.
//   - CAGR = (end/start)^(365.25/D) − 1, D the calendar days between the first and
//     last date; 0 when D = 0 (a single day).
//   - Drawdown at day i is equity[i]/max(equity[0..i]) − 1 (≤ 0); MaxDrawdown is its
//     largest magnitude as a positive fraction (0.25 is a fall of 25%).
//     Its peak is the last day before the trough on which equity stood at the running
//     maximum; its recovery is the first day after the trough on which equity is back
//     at or above the peak value. Of equally deep drawdowns the first counts.
//   - Calmar = CAGR / MaxDrawdown; with no drawdown it is +Inf if CAGR > 0, else 0.
//   - A trade's net is Gross − Fees; it is a win if net > 0 and a loss if net < 0, so
//     a break-even trade counts in Trades but in neither Wins nor Losses. ROC is
//     net/Collateral.
//   - ProfitFactor = Σ winning nets / |Σ losing nets|: +Inf with wins and no losses,
//     0 with no wins, NaN with no trades. Expectancy is the mean net per trade.
//
// With no trades the trade counts and sums are 0, ExitReasons is empty (not nil) and
// every trade ratio or mean (WinRate, ROC statistics, ProfitFactor, Expectancy,
// AvgDaysHeld, AvgWin, AvgLoss) is NaN; AvgWin is NaN without wins, AvgLoss without
// losses, and ROCStd with fewer than two trades. Consumers that cannot store NaN or
// ±Inf must map them themselves (SQL NULL, say).
//
// Compute allocates the daily returns, the per-trade ROCs and the ExitReasons map,
// once each; nothing allocates inside a loop. The series helpers write into slices the
// caller owns and panic, as gonum does, when those slices have the wrong length.
package metrics

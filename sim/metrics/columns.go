package metrics

// Unit is what a statistic measures, which decides how it is shown.
type Unit int

// The units of the statistics in Columns.
const (
	// Ratio is a plain number: Sharpe, Sortino, Calmar, profit factor.
	Ratio Unit = iota
	// Fraction is a share or a return as a plain ratio (0.1 is 10%).
	Fraction
	// Dollars is an amount in the account currency.
	Dollars
	// Count is a whole number: trades, orders, or whole calendar days.
	Count
	// Days is a mean holding period in calendar days.
	Days
)

// Column describes one numeric statistic of a finished backtest, as a
// results database stores it: a column of cell_metrics named Name.
type Column struct {
	Name string
	Unit Unit
	// LowerIsBetter is true where a smaller value is the better one:
	// drawdowns (stored as positive fractions), their durations, fees,
	// dispersion, holding time and rejected orders.
	LowerIsBetter bool
	// WalkForward is true for the statistics a walk-forward may choose its
	// parameters by.
	WalkForward bool
}

// columns are the numeric statistics in the order of cell_metrics. The
// non-numeric columns stored beside them (the drawdown's dates, recovered,
// exit_reasons) are not statistics one ranks by and are not listed.
var columns = [...]Column{
	{Name: "trades", Unit: Count},
	{Name: "wins", Unit: Count},
	{Name: "losses", Unit: Count},
	{Name: "win_rate", Unit: Fraction, WalkForward: true},
	{Name: "gross_pnl", Unit: Dollars},
	{Name: "fees", Unit: Dollars, LowerIsBetter: true},
	{Name: "net_pnl", Unit: Dollars, WalkForward: true},
	{Name: "roc_mean", Unit: Fraction, WalkForward: true},
	{Name: "roc_median", Unit: Fraction, WalkForward: true},
	{Name: "roc_std", Unit: Fraction, LowerIsBetter: true},
	{Name: "roc_min", Unit: Fraction},
	{Name: "roc_max", Unit: Fraction},
	{Name: "start_equity", Unit: Dollars},
	{Name: "end_equity", Unit: Dollars},
	{Name: "total_return", Unit: Fraction, WalkForward: true},
	{Name: "cagr", Unit: Fraction, WalkForward: true},
	{Name: "sharpe", Unit: Ratio, WalkForward: true},
	{Name: "sortino", Unit: Ratio, WalkForward: true},
	{Name: "calmar", Unit: Ratio, WalkForward: true},
	{Name: "max_drawdown", Unit: Fraction, LowerIsBetter: true, WalkForward: true},
	{Name: "max_drawdown_days", Unit: Count, LowerIsBetter: true, WalkForward: true},
	{Name: "profit_factor", Unit: Ratio, WalkForward: true},
	{Name: "expectancy", Unit: Dollars, WalkForward: true},
	{Name: "avg_days_held", Unit: Days, LowerIsBetter: true},
	{Name: "avg_win", Unit: Dollars},
	{Name: "avg_loss", Unit: Dollars},
	{Name: "open_trades", Unit: Count},
	{Name: "orders", Unit: Count},
	{Name: "rejected_orders", Unit: Count, LowerIsBetter: true},
}

// Columns returns the numeric statistics a results database stores for each
// cell, in the order of its cell_metrics table. It is the one list of metric
// names: every other list (what a report shows, what a walk-forward may
// choose by, what --metric accepts) derives from it. The caller owns the
// slice.
func Columns() []Column { return append([]Column(nil), columns[:]...) }

// ColumnNames returns the names of the columns keep accepts (every column
// when keep is nil), in the order of Columns.
func ColumnNames(keep func(Column) bool) []string {
	var out []string
	for _, c := range columns {
		if keep == nil || keep(c) {
			out = append(out, c.Name)
		}
	}
	return out
}

// LookupColumn returns the column named name, and whether there is one.
func LookupColumn(name string) (Column, bool) {
	for _, c := range columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

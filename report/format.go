package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/optsweep/sweep/sim/metrics"
)

// A Value is a formatted number with the number itself, so tables can show
// one and sort by the other.
type Value struct {
	Text string  // as shown
	Sort float64 // sort key of a number; NaN (undefined) sorts last
	Num  bool    // a number: the table sorts by Sort, else by Text
	Mark bool    // highlighted (the best of a comparison's row)
}

// SortKey returns the value's sort key as text for a data attribute: the
// number, or "" when it is undefined.
func (v Value) SortKey() string {
	if math.IsNaN(v.Sort) {
		return ""
	}
	if math.IsInf(v.Sort, 1) {
		return "1e308"
	}
	if math.IsInf(v.Sort, -1) {
		return "-1e308"
	}
	return strconv.FormatFloat(v.Sort, 'g', 10, 64)
}

// undefined is how a statistic that has no value (NULL, NaN) is shown.
const undefined = "—"

// special formats NaN and ±Inf, reporting whether x was one of them.
func special(x float64) (string, bool) {
	switch {
	case math.IsNaN(x):
		return undefined, true
	case math.IsInf(x, 1):
		return "∞", true
	case math.IsInf(x, -1):
		return "−∞", true
	}
	return "", false
}

// pct formats a fraction as a percentage with two decimals.
func pct(x float64) Value {
	if s, ok := special(x); ok {
		return Value{Text: s, Sort: x, Num: true}
	}
	return Value{Text: minus(strconv.FormatFloat(100*x, 'f', 2, 64)) + "%", Sort: x, Num: true}
}

// money formats dollars with thousands separators and cents.
func money(x float64) Value {
	if s, ok := special(x); ok {
		return Value{Text: s, Sort: x, Num: true}
	}
	neg := x < 0
	cents := int64(math.Round(math.Abs(x) * 100))
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	s := fmt.Sprintf("$%s.%02d", b.String(), cents%100)
	if neg {
		s = "−" + s
	}
	return Value{Text: s, Sort: x, Num: true}
}

// ratio formats a plain number with two decimals.
func ratio(x float64) Value {
	if s, ok := special(x); ok {
		return Value{Text: s, Sort: x, Num: true}
	}
	return Value{Text: minus(strconv.FormatFloat(x, 'f', 2, 64)), Sort: x, Num: true}
}

// count formats a whole number.
func count(x float64) Value {
	if s, ok := special(x); ok {
		return Value{Text: s, Sort: x, Num: true}
	}
	return Value{Text: minus(strconv.FormatFloat(x, 'f', 0, 64)), Sort: x, Num: true}
}

// days formats a number of days with one decimal.
func days(x float64) Value {
	if s, ok := special(x); ok {
		return Value{Text: s, Sort: x, Num: true}
	}
	return Value{Text: strconv.FormatFloat(x, 'f', 1, 64) + " d", Sort: x, Num: true}
}

// text is a Value that sorts as text.
func text(s string) Value { return Value{Text: s, Sort: math.NaN()} }

// minus replaces a leading hyphen with a minus sign.
func minus(s string) string {
	if strings.HasPrefix(s, "-") {
		return "−" + s[1:]
	}
	return s
}

// metricFormat returns the formatter of a cell_metrics column, by its unit
// (sim/metrics.Column); a plain number for a name that is no metric.
func metricFormat(name string) func(float64) Value {
	c, _ := metrics.LookupColumn(name)
	switch c.Unit {
	case metrics.Fraction:
		return pct
	case metrics.Dollars:
		return money
	case metrics.Count:
		return count
	case metrics.Days:
		return days
	}
	return ratio
}

// metricLabel is the heading of a cell_metrics column.
func metricLabel(name string) string {
	if l, ok := metricLabels[name]; ok {
		return l
	}
	return strings.ReplaceAll(name, "_", " ")
}

var metricLabels = map[string]string{
	"cagr": "CAGR", "sharpe": "Sharpe", "sortino": "Sortino", "calmar": "Calmar",
	"max_drawdown": "Max drawdown", "max_drawdown_days": "Max DD days", "win_rate": "Win rate",
	"profit_factor": "Profit factor", "expectancy": "Expectancy", "gross_pnl": "Gross P&L",
	"net_pnl": "Net P&L", "fees": "Fees", "avg_days_held": "Avg days held", "trades": "Trades",
	"total_return": "Total return", "roc_mean": "ROC mean", "open_trades": "Open trades",
}

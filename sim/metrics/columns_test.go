package metrics

import (
	"reflect"
	"slices"
	"testing"
)

func TestLookupColumn(t *testing.T) {
	tests := []struct {
		name               string
		ok                 bool
		unit               Unit
		lower, walkForward bool
	}{
		{"sharpe", true, Ratio, false, true},
		{"max_drawdown", true, Fraction, true, true},
		{"max_drawdown_days", true, Count, true, true},
		{"net_pnl", true, Dollars, false, true},
		{"fees", true, Dollars, true, false},
		{"avg_days_held", true, Days, true, false},
		{"trades", true, Count, false, false},
		{"exit_reasons", false, Ratio, false, false}, // stored, but not a number
		{"sharp", false, Ratio, false, false},
	}
	for _, tt := range tests {
		c, ok := LookupColumn(tt.name)
		if ok != tt.ok || c.Unit != tt.unit || c.LowerIsBetter != tt.lower || c.WalkForward != tt.walkForward {
			t.Errorf("LookupColumn(%q) = %+v, %v; want unit %v, lower %v, walk-forward %v, %v",
				tt.name, c, ok, tt.unit, tt.lower, tt.walkForward, tt.ok)
		}
		if ok && c.Name != tt.name {
			t.Errorf("LookupColumn(%q).Name = %q", tt.name, c.Name)
		}
	}
}

func TestColumnNames(t *testing.T) {
	all := ColumnNames(nil)
	if len(all) != len(Columns()) || all[0] != "trades" || all[len(all)-1] != "rejected_orders" {
		t.Fatalf("ColumnNames(nil) = %v", all)
	}
	seen := map[string]bool{}
	for _, n := range all {
		if seen[n] {
			t.Errorf("%s listed twice", n)
		}
		seen[n] = true
	}
	tests := []struct {
		name string
		keep func(Column) bool
		want []string
	}{
		{"walk-forward", func(c Column) bool { return c.WalkForward }, []string{"win_rate", "net_pnl", "roc_mean",
			"roc_median", "total_return", "cagr", "sharpe", "sortino", "calmar", "max_drawdown", "max_drawdown_days",
			"profit_factor", "expectancy"}},
		{"lower is better", func(c Column) bool { return c.LowerIsBetter }, []string{"fees", "roc_std",
			"max_drawdown", "max_drawdown_days", "avg_days_held", "rejected_orders"}},
		{"days", func(c Column) bool { return c.Unit == Days }, []string{"avg_days_held"}},
		{"none", func(Column) bool { return false }, nil},
	}
	for _, tt := range tests {
		if got := ColumnNames(tt.keep); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: ColumnNames = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestColumnsCopy checks that a caller cannot change the definition.
func TestColumnsCopy(t *testing.T) {
	c := Columns()
	c[0].Name = "changed"
	if slices.Contains(ColumnNames(nil), "changed") {
		t.Error("Columns returned the definition itself")
	}
}

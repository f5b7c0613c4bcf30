package report

import (
	"maps"
	"slices"
	"testing"

	"github.com/optsweep/sweep/sim/metrics"
)

// TestMetricListsKnown checks that every metric a report names is one of
// sim/metrics.Columns, the one definition of the metric columns.
func TestMetricListsKnown(t *testing.T) {
	var head []string
	for _, h := range headline {
		head = append(head, h.metric)
	}
	for _, tt := range []struct {
		list  string
		names []string
	}{
		{"headline", head},
		{"rankedMetrics", rankedMetrics},
		{"metricLabels", slices.Collect(maps.Keys(metricLabels))},
	} {
		for _, n := range tt.names {
			if _, ok := metrics.LookupColumn(n); !ok {
				t.Errorf("%s names %q, which is not a metric column", tt.list, n)
			}
		}
	}
}

// TestMetricFormat checks that a metric's unit picks its format.
func TestMetricFormat(t *testing.T) {
	tests := []struct {
		metric string
		x      float64
		want   string
	}{
		{"cagr", 0.1234, "12.34%"},
		{"max_drawdown", 0.05, "5.00%"},
		{"net_pnl", -1234.5, "−$1,234.50"},
		{"trades", 12, "12"},
		{"max_drawdown_days", 57, "57"},
		{"avg_days_held", 9.96, "10.0 d"},
		{"sharpe", 1.234, "1.23"},
		{"no_such_metric", 1.234, "1.23"},
	}
	for _, tt := range tests {
		if got := metricFormat(tt.metric)(tt.x).Text; got != tt.want {
			t.Errorf("metricFormat(%s)(%v) = %q, want %q", tt.metric, tt.x, got, tt.want)
		}
	}
}

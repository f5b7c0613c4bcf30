package synth

import (
	"sort"
	"testing"

	"github.com/optsweep/sweep/sim/calendar"
)

func TestDbgVar(t *testing.T) {
	days := calendar.TradingDays(day("2000-01-03"), day("2024-12-31"))
	for seed := int64(1); seed <= 3; seed++ {
		m := simulateMarket(days, nil, seed)
		v := append([]float64(nil), m.variance...)
		sort.Float64s(v)
		s := 0.0
		for _, x := range v {
			s += x
		}
		t.Logf("seed %d mean %.4f median %.4f p10 %.4f p90 %.4f varMean %.4f", seed, s/float64(len(v)), v[len(v)/2], v[len(v)/10], v[len(v)*9/10], varMean)
	}
}

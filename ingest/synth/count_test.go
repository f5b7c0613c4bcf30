package synth

import (
	"os"
	"testing"

	"github.com/optsweep/sweep/sim/calendar"
)

func TestCount(t *testing.T) {
	name := os.Getenv("SYNTH_COUNT")
	if name == "" {
		t.Skip()
	}
	cfg, _ := Preset(name)
	cfg.OutDir = "x"
	cfg, _ = cfg.normalize()
	days := calendar.TradingDays(cfg.From, cfg.To)
	g := newGen(cfg, days)
	for i := range days {
		for _, c := range g.chains {
			c.update(g.m, i, &g.cfg.Chain)
		}
		if i%(len(days)/6) == 0 || i == len(days)-1 {
			for _, c := range g.chains {
				n := 0
				for _, s := range c.series {
					n += 2 * len(s.con)
				}
				t.Logf("%s %s: %d series, %d contracts, close %.2f", days[i].Format("2006-01-02"), c.u.prof.symbol, len(c.series), n, c.u.bars.close[i])
			}
		}
	}
}

package putspread_test

import (
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/putspread"
)

// TestRiskChecks varies the entry day 2024-03-04 of the base tape and checks
// the risk manager's decision (the last ENTRY_EVAL note).
func TestRiskChecks(t *testing.T) {
	tests := []struct {
		name  string
		build func() *simtest.Builder
		cfg   func(*putspread.Config)
		edit  func(*sim.Tape)
		want  map[string]string
	}{
		{
			// VIX 20 (Elevated Vol, ratio 20/20 = 1 < 1.05): target −0.14;
			// the 5050 put (−0.13) is nearest. Credit 30 − 15 = 15, max loss
			// 3,500: floor(10000/3500) = 2.
			name: "vix-adjusted delta", build: func() *simtest.Builder { return withVIX(20) },
			want: map[string]string{"risk": "APPROVED", "contracts": "2", "short_strike": "5050", "long_strike": "5000",
				"target_delta": "-0.14", "credit": "15.00"},
		},
		{
			// VIX 30 with VIX3M 40 (ratio 0.75): High Vol, target −0.12 (the
			// 5050 put again) and half the risk: 5,000 / 3,500 → 1.
			name: "high vol", build: func() *simtest.Builder { return withVIX(30) },
			edit: func(t *sim.Tape) {
				for i := range t.VIX3M.Open {
					t.VIX3M.Open[i], t.VIX3M.Close[i] = 40, 40
				}
			},
			want: map[string]string{"risk": "APPROVED", "contracts": "1", "short_strike": "5050", "target_delta": "-0.12",
				"regime_mult": "0.5"},
		},
		{
			// The 5100 put quoted 35/45: 10/40 = 25 % ≥ 20 %.
			name: "wide short leg", build: base0,
			edit: func(t *sim.Tape) { // the 04-19 5100 put: row 3 of the day, after the 03-28 put
				c := &t.Symbols[0].Chain
				r := t.Symbols[0].DayStart[1] + 3
				c.Bid[r], c.Ask[r] = 35, 45
			},
			want: map[string]string{"risk": "VETO", "reason": "no_suitable_strikes", "detail": "short_leg_spread_25.0_pct"},
		},
		{
			// A flagged 5100 put is skipped: the 5050 put (−0.13) is the
			// nearest usable, and its long leg is the 5000 put.
			name: "flagged row", build: base0,
			edit: func(t *sim.Tape) { t.Symbols[0].Chain.Flags[t.Symbols[0].DayStart[1]+3] = 1 },
			want: map[string]string{"risk": "APPROVED", "short_strike": "5050", "long_strike": "5000"},
		},
		{
			// Heat limit 1 % of 500,000 = 5,000: one max loss of 4,000 fits.
			name: "heat cap", build: base0, cfg: func(c *putspread.Config) { c.MaxPortfolioHeat = 1 },
			want: map[string]string{"risk": "APPROVED", "contracts": "1"},
		},
		{
			// 0.5 % = 2,500 < 4,000.
			name: "heat veto", build: base0, cfg: func(c *putspread.Config) { c.MaxPortfolioHeat = 0.5 },
			want: map[string]string{"risk": "VETO", "reason": "portfolio_heat"},
		},
		{
			// Delta per contract 100 × (0.16 − 0.13) × 5360 / 500,000 =
			// 0.03216; limit 0.04 holds floor(0.04/0.03216) = 1.
			name: "delta cap", build: base0, cfg: func(c *putspread.Config) { c.MaxAggregateDelta = -0.04 },
			want: map[string]string{"risk": "APPROVED", "contracts": "1"},
		},
		{
			name: "delta veto", build: base0, cfg: func(c *putspread.Config) { c.MaxAggregateDelta = -0.03 },
			want: map[string]string{"risk": "VETO", "reason": "aggregate_delta", "per_contract": "0.0322"},
		},
		{
			// No expiration in 50–60 DTE.
			name: "dte window", build: base0, cfg: func(c *putspread.Config) { c.MinDTEEntry, c.TargetDTE = 50, 55 },
			want: map[string]string{"risk": "VETO", "reason": "no_suitable_strikes", "detail": "no_expiration_in_dte_range"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			res := runTape(t, tt.build(), cfg, tt.edit)
			e := simtest.NoteTexts(res, "2024-03-04", putspread.KindEntryEval)
			if len(e) == 0 {
				t.Fatal("no ENTRY_EVAL notes")
			}
			last := e[len(e)-1]
			for k, v := range tt.want {
				if got := field(last, k); got != v {
					t.Errorf("%s = %s, want %s in %q", k, got, v, last)
				}
			}
			opened := len(res.Trades) > 0
			if opened != (tt.want["risk"] == "APPROVED") {
				t.Errorf("%d trades after %q", len(res.Trades), last)
			}
		})
	}
}

// base0 is base without further days.
func base0() *simtest.Builder { return base() }

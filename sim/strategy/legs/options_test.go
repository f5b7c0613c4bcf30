package legs_test

import (
	"strings"
	"testing"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/simtest"
	"github.com/optsweep/sweep/sim/strategy/legs"
)

// optionsTape is a put credit spread market for any_expiry, exact,
// gate_price, max_hold_frac and exit_cooldown_days. Spot 100 throughout.
//
//	Fri 03-01  exp 03-06 (DTE 5): P95 0.50/0.60 Δ−0.22, P91 0.10/0.20, P90 0.08/0.16
//	           exp 03-08 (DTE 7): P95 0.80/0.90 Δ−0.26, P91 0.40/0.70, P85 0.05/0.15
//	Mon 03-04  exp 03-08: P95 0.70/0.80 Δ−0.24, P91 0.35/0.55
//	Tue 03-05  exp 03-08: P95 0.40/0.50 Δ−0.24, P91 0.15/0.25
//	Wed 03-06  exp 03-11 (DTE 5): P95 0.60/0.70 Δ−0.25, P91 0.20/0.30
func optionsTape() *simtest.Builder {
	days := []string{"2024-03-01", "2024-03-04", "2024-03-05", "2024-03-06"}
	b := simtest.New(days...)
	for _, d := range days {
		b.Spot("AAA", d, 100).Bar("AAA", d, 100, 100, 100, 100)
	}
	return b.
		Quote("AAA", "2024-03-01",
			put("2024-03-06", 90, 0.08, 0.16, -0.06), put("2024-03-06", 91, 0.10, 0.20, -0.08), put("2024-03-06", 95, 0.50, 0.60, -0.22),
			put("2024-03-08", 85, 0.05, 0.15, -0.03), put("2024-03-08", 91, 0.40, 0.70, -0.12), put("2024-03-08", 95, 0.80, 0.90, -0.26)).
		Quote("AAA", "2024-03-04", put("2024-03-08", 91, 0.35, 0.55, -0.10), put("2024-03-08", 95, 0.70, 0.80, -0.24)).
		Quote("AAA", "2024-03-05", put("2024-03-08", 91, 0.15, 0.25, -0.09), put("2024-03-08", 95, 0.40, 0.50, -0.24)).
		Quote("AAA", "2024-03-06", put("2024-03-11", 91, 0.20, 0.30, -0.10), put("2024-03-11", 95, 0.60, 0.70, -0.25))
}

// The seed-style options on one market:
//
//   - any_expiry: |delta| 0.25 among every expiration 3–7 days out picks the
//     03-08 95 put (Δ−0.26, 0.01 off) over the 03-06 one (Δ−0.22), which the
//     expiration nearest the middle of the range (5 days: 03-06) would give
//     (only that first trade is checked: its time exit on 03-04 finds no
//     quotes for the 03-06 puts);
//   - exact: a 4-point wing is the 91 put; a 5-point one is the 91 when the
//     nearest listed strike will do and no entry at all when it must be 90;
//   - max_hold_frac 0.5 of 7 days to expiry closes on the fourth day held
//     (03-05) as time_stop: at the mids 0.45 − 0.20 = 0.25 against the 0.30
//     credit (0.85 − 0.55), gross $5;
//   - exit_cooldown_days 1 keeps the next entry off the exit day (03-05) to
//     03-06, where without it the structure is entered again on 03-05;
//   - gate_price natural judges min_credit 0.2 at bid − ask: 0.80 − 0.70 =
//     0.10 on 03-01, 0.15 on 03-04 and 03-05, 0.60 − 0.30 = 0.30 on 03-06,
//     where the mids pass on 03-01 (0.30) and again after the exit on 03-05
//     (0.45 − 0.20 = 0.25).
func TestSeedOptions(t *testing.T) {
	base := map[string]string{
		"preset": "", "max_open": "1", "liquidity_check": "false", "take_profit": "0", "stop_multiple": "0",
		"legs[0].side": "short", "legs[0].right": "put", "legs[0].delta": "0.25", "legs[0].dte_min": "3", "legs[0].dte_max": "7",
		"legs[0].any_expiry": "true",
		"legs[1].side":       "long", "legs[1].right": "put", "legs[1].select": "width", "legs[1].width": "4", "legs[1].exact": "true",
		"max_hold_frac": "0.5",
	}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	type want struct {
		opened, exp string
		long        float64
	}
	for _, tc := range []struct {
		name  string
		set   map[string]string
		want  []want // each trade's opening day, expiry and long strike
		first bool   // check the first len(want) trades only
	}{
		{"any_expiry, exact 4, no cooldown", base, []want{{"2024-03-01", "2024-03-08", 91}, {"2024-03-05", "2024-03-08", 91}}, false},
		{"cooldown 1", with("exit_cooldown_days", "1"), []want{{"2024-03-01", "2024-03-08", 91}, {"2024-03-06", "2024-03-11", 91}}, false},
		{"expiry nearest the middle", with("legs[0].any_expiry", ""), []want{{"2024-03-01", "2024-03-06", 91}}, true},
		{"width 5, nearest strike", with("legs[1].width", "5", "legs[1].exact", ""), []want{{"2024-03-01", "2024-03-08", 91}, {"2024-03-05", "2024-03-08", 91}}, false},
		{"width 5, exact", with("legs[1].width", "5"), nil, false},
		{"min_credit 0.2 at the mids", with("min_credit", "0.2"), []want{{"2024-03-01", "2024-03-08", 91}, {"2024-03-05", "2024-03-08", 91}}, false},
		{"min_credit 0.2 natural", with("min_credit", "0.2", "gate_price", "natural"), []want{{"2024-03-06", "2024-03-11", 91}}, false},
	} {
		res := run(t, optionsTape(), config(t, tc.set))
		tr := optionTrades(res)
		if len(tr) != len(tc.want) && !(tc.first && len(tr) >= len(tc.want)) {
			t.Errorf("%s: %d trades, want %d: %+v", tc.name, len(tr), len(tc.want), tr)
			continue
		}
		for i, w := range tc.want {
			if tr[i].Opened != simtest.Day(w.opened) || tr[i].Legs[0].Contract.Expiration != simtest.Day(w.exp) ||
				tr[i].Legs[0].Contract.Strike != 95 || tr[i].Legs[1].Contract.Strike != w.long {
				t.Errorf("%s: trade %d opened %s: %v / %v, want %s, %s 95/%g", tc.name, i, sim.DayString(tr[i].Opened),
					tr[i].Legs[0].Contract, tr[i].Legs[1].Contract, w.opened, w.exp, w.long)
			}
		}
	}
	// The first trade of the base case in full: max_hold_frac's time_stop.
	tr := optionTrades(run(t, optionsTape(), config(t, base)))
	wantLegs(t, tr[0], leg("2024-03-08", sim.Put, 95, -1, 0.85), leg("2024-03-08", sim.Put, 91, 1, 0.55))
	if !simtest.Near(tr[0].Entry, -0.30) || !simtest.Near(tr[0].Exit, -0.25) || !simtest.Near(tr[0].Gross, 5) || tr[0].Reason != legs.ReasonTime ||
		tr[0].Closed != simtest.Day("2024-03-05") {
		t.Errorf("trade %+v", tr[0])
	}
}

func TestSeedOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		set map[string]string
		msg string
	}{
		{map[string]string{"legs[1].side": "long", "legs[1].right": "put", "legs[1].select": "strike", "legs[1].exact": "true"}, "exact"},
		{map[string]string{"legs[0].select": "moneyness", "legs[0].any_expiry": "true"}, "any_expiry"},
		{map[string]string{"gate_price": "bid"}, "gate_price"},
		{map[string]string{"max_hold_frac": "-1"}, "max_hold_frac"},
		{map[string]string{"exit_cooldown_days": "-1"}, "exit_cooldown_days"},
	} {
		c := config(t, tc.set)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%v: %v, want an error naming %s", tc.set, err, tc.msg)
		}
	}
}

package condor

import (
	"fmt"
	"time"

	"github.com/optsweep/sweep/sim/param"
)

// VIX change bases of the monthly trigger (parameter vix_change_basis).
const (
	// BasisNow compares the VIX level known at the decision time
	// (Snapshot.VIX.Now: today's open in a daily run, the latest level in an
	// intraday one) with the previous session's close.
	BasisNow = "now"
	// BasisClose compares the last closed session's VIX close with the close
	// of the session before it; a spike is then traded the session after.
	BasisClose = "close"
)

// Settlement styles of the monthly condor's contracts (parameter settlement).
const (
	// SettlePM trades PM-settled contracts (SPXW): settled on the
	// expiration's close.
	SettlePM = "pm"
	// SettleAM trades AM-settled contracts (the SPX third-Friday monthlies):
	// settled on the expiration morning's open.
	SettleAM = "am"
)

// MonthlyConfig holds the monthly condor's parameters (the seed's
// monthly_ic table). Contracts and SettlementStyle are not in the seed.
type MonthlyConfig struct {
	Symbol     string `param:"symbol" help:"cash-settled index underlying"`
	Settlement string `param:"settlement" help:"pm (SPXW) or am (SPX monthlies): which contracts to trade"`
	Contracts  int    `param:"contracts" help:"condors per entry (not in the seed; 2 so that half is whole)"`

	VIXSpikePct    float64 `param:"vix_spike_pct" help:"enter when VIX rises at least this fraction day over day"`
	VIXChangeBasis string  `param:"vix_change_basis" help:"now: VIX now vs the previous close; close: last close vs the close before"`
	MinDTE         int     `param:"min_dte" help:"trade the nearest expiration at least this many calendar days away"`
	TargetDelta    float64 `param:"target_delta" help:"short strikes at |delta| nearest this"`
	WingWidth      float64 `param:"wing_width" help:"points between each short strike and its long wing"`
	MinDistPut     float64 `param:"min_distance_put" help:"short put at least this many points below spot"`
	MinDistCall    float64 `param:"min_distance_call" help:"short call at least this many points above spot"`
	MinCredit      float64 `param:"min_credit" help:"minimum credit per share at the mids"`
	PreferQuarter  bool    `param:"prefer_quarter_strikes" help:"prefer short strikes that are multiples of strike_multiple"`
	StrikeMultiple float64 `param:"strike_multiple" help:"the preferred strike multiple (25: quarter strikes)"`
	TimeExitDTE    int     `param:"time_exit_dte" help:"close at this many calendar days to expiration or fewer; -1 = never"`
	MaxPositions   int     `param:"max_positions" help:"open condors at most"`

	DeltaRedLine     float64 `param:"delta_red_line" help:"red line: a short strike's |delta| at or above this (the seed's 30 = 0.30)"`
	ProximityRedLine float64 `param:"proximity_red_line" help:"red line: spot within this many points of a short strike (or beyond it)"`
	RedLineClosePct  float64 `param:"red_line_close_pct" help:"fraction of the condors closed at the first red line"`
}

// DefaultMonthly returns the seed's monthly_ic defaults, PM-settled
// contracts and 2 condors per entry.
func DefaultMonthly() MonthlyConfig {
	return MonthlyConfig{
		Symbol: "SPX", Settlement: SettlePM, Contracts: 2,
		VIXSpikePct: 0.20, VIXChangeBasis: BasisNow, MinDTE: 49, TargetDelta: 0.10, WingWidth: 25,
		MinDistPut: 125, MinDistCall: 100, MinCredit: 3.00, PreferQuarter: true, StrikeMultiple: 25,
		TimeExitDTE: 30, MaxPositions: 3,
		DeltaRedLine: 0.30, ProximityRedLine: 50, RedLineClosePct: 0.5,
	}
}

// ZeroDTEConfig holds the 0DTE condor's parameters (the seed's dte0_ic
// table). Clock times are HH:MM New York time. Contracts is not in the seed.
type ZeroDTEConfig struct {
	Symbol    string `param:"symbol" help:"cash-settled index underlying"`
	Contracts int    `param:"contracts" help:"condors per entry (not in the seed)"`

	EntryStart       string  `param:"entry_window_start" help:"first entry time, HH:MM New York"`
	EntryEnd         string  `param:"entry_window_end" help:"last entry time (inclusive), HH:MM New York"`
	VIXMin           float64 `param:"vix_min" help:"skip entries when VIX is below this"`
	VIXMax           float64 `param:"vix_max" help:"skip entries when VIX is above this"`
	TargetDelta      float64 `param:"target_delta" help:"short strikes at |delta| nearest this"`
	WingWidth        float64 `param:"wing_width" help:"points between each short strike and its long wing"`
	MinDistance      float64 `param:"min_distance" help:"short strikes at least this many points from spot"`
	MinCredit        float64 `param:"min_credit" help:"minimum credit per share at the mids"`
	ProfitTarget     float64 `param:"profit_target_pct" help:"close when credit − debit ≥ this × credit"`
	StopLoss         float64 `param:"stop_loss_mult" help:"close when the debit ≥ this × credit"`
	EODClose         string  `param:"eod_close" help:"forced close time, HH:MM New York (as far before an early close)"`
	MaxEntriesPerDay int     `param:"max_entries_per_day" help:"entries per day at most (one position at a time)"`

	DeltaRedLine     float64 `param:"delta_red_line" help:"exit when a short strike's |delta| reaches this (the seed's 15 = 0.15)"`
	ProximityRedLine float64 `param:"proximity_red_line" help:"exit when spot is within this many points of a short strike (or beyond it)"`

	StepMinutes int `param:"step_minutes" help:"minutes between intraday decisions (the backtest samples the minute quotes this often; not in the seed)"`
}

// DefaultZeroDTE returns the seed's dte0_ic defaults and 1 condor per entry.
func DefaultZeroDTE() ZeroDTEConfig {
	return ZeroDTEConfig{
		Symbol: "SPX", Contracts: 1,
		EntryStart: "09:45", EntryEnd: "10:00", VIXMin: 14, VIXMax: 30,
		TargetDelta: 0.06, WingWidth: 10, MinDistance: 30, MinCredit: 0.50,
		ProfitTarget: 0.50, StopLoss: 2, EODClose: "15:45", MaxEntriesPerDay: 1,
		DeltaRedLine: 0.15, ProximityRedLine: 15, StepMinutes: 5,
	}
}

// Validate reports the first parameter whose value makes no sense, naming it.
func (c *MonthlyConfig) Validate() error {
	return param.Check("condor", []param.Rule{
		{c.Symbol == "", "symbol is empty"},
		{c.Settlement != SettlePM && c.Settlement != SettleAM, fmt.Sprintf("settlement %q: want pm or am", c.Settlement)},
		{c.Contracts < 1, fmt.Sprintf("contracts %d < 1", c.Contracts)},
		{!(c.VIXSpikePct > 0) || !param.Finite(c.VIXSpikePct), fmt.Sprintf("vix_spike_pct %g: want > 0", c.VIXSpikePct)},
		{c.VIXChangeBasis != BasisNow && c.VIXChangeBasis != BasisClose, fmt.Sprintf("vix_change_basis %q: want now or close", c.VIXChangeBasis)},
		{c.MinDTE < 1, fmt.Sprintf("min_dte %d < 1", c.MinDTE)},
		{!(c.TargetDelta > 0 && c.TargetDelta < 0.5), fmt.Sprintf("target_delta %g outside (0, 0.5)", c.TargetDelta)},
		{!(c.WingWidth > 0) || !param.Finite(c.WingWidth), fmt.Sprintf("wing_width %g: want > 0", c.WingWidth)},
		{!(c.MinDistPut >= 0) || !param.Finite(c.MinDistPut), fmt.Sprintf("min_distance_put %g: want ≥ 0", c.MinDistPut)},
		{!(c.MinDistCall >= 0) || !param.Finite(c.MinDistCall), fmt.Sprintf("min_distance_call %g: want ≥ 0", c.MinDistCall)},
		{!(c.MinCredit >= 0) || !param.Finite(c.MinCredit), fmt.Sprintf("min_credit %g: want ≥ 0", c.MinCredit)},
		{!(c.MinCredit < c.WingWidth), fmt.Sprintf("min_credit %g ≥ wing_width %g: no condor can pay it", c.MinCredit, c.WingWidth)},
		{c.PreferQuarter && (!(c.StrikeMultiple > 0) || !param.Finite(c.StrikeMultiple)), fmt.Sprintf("strike_multiple %g: want > 0", c.StrikeMultiple)},
		{c.TimeExitDTE < -1 || c.TimeExitDTE >= c.MinDTE, fmt.Sprintf("time_exit_dte %d: want -1 ≤ time_exit_dte < min_dte %d", c.TimeExitDTE, c.MinDTE)},
		{c.MaxPositions < 1, fmt.Sprintf("max_positions %d < 1", c.MaxPositions)},
		{!(c.DeltaRedLine > 0 && c.DeltaRedLine <= 1), fmt.Sprintf("delta_red_line %g outside (0, 1] (write 0.30, not 30)", c.DeltaRedLine)},
		{!(c.ProximityRedLine >= 0) || !param.Finite(c.ProximityRedLine), fmt.Sprintf("proximity_red_line %g: want ≥ 0", c.ProximityRedLine)},
		{!(c.RedLineClosePct > 0 && c.RedLineClosePct <= 1), fmt.Sprintf("red_line_close_pct %g outside (0, 1]", c.RedLineClosePct)},
	}...)
}

// Validate reports the first parameter whose value makes no sense, naming it.
func (c *ZeroDTEConfig) Validate() error {
	start, err1 := parseClock(c.EntryStart)
	end, err2 := parseClock(c.EntryEnd)
	eod, err3 := parseClock(c.EODClose)
	return param.Check("condor", []param.Rule{
		{c.Symbol == "", "symbol is empty"},
		{c.Contracts < 1, fmt.Sprintf("contracts %d < 1", c.Contracts)},
		{err1 != nil, fmt.Sprintf("entry_window_start: %v", err1)},
		{err2 != nil, fmt.Sprintf("entry_window_end: %v", err2)},
		{err3 != nil, fmt.Sprintf("eod_close: %v", err3)},
		{start > end, fmt.Sprintf("entry_window_start %s is after entry_window_end %s", c.EntryStart, c.EntryEnd)},
		{end >= eod, fmt.Sprintf("entry_window_end %s is not before eod_close %s", c.EntryEnd, c.EODClose)},
		{eod > 16*time.Hour, fmt.Sprintf("eod_close %s is after the 16:00 close", c.EODClose)},
		{c.StepMinutes < 1 || c.StepMinutes > 60, fmt.Sprintf("step_minutes %d: want 1 to 60", c.StepMinutes)},
		{!(c.VIXMin >= 0 && c.VIXMin <= c.VIXMax) || !param.Finite(c.VIXMax), fmt.Sprintf("vix_min %g / vix_max %g: want 0 ≤ min ≤ max", c.VIXMin, c.VIXMax)},
		{!(c.TargetDelta > 0 && c.TargetDelta < 0.5), fmt.Sprintf("target_delta %g outside (0, 0.5)", c.TargetDelta)},
		{!(c.WingWidth > 0) || !param.Finite(c.WingWidth), fmt.Sprintf("wing_width %g: want > 0", c.WingWidth)},
		{!(c.MinDistance >= 0) || !param.Finite(c.MinDistance), fmt.Sprintf("min_distance %g: want ≥ 0", c.MinDistance)},
		{!(c.MinCredit >= 0) || !param.Finite(c.MinCredit), fmt.Sprintf("min_credit %g: want ≥ 0", c.MinCredit)},
		{!(c.MinCredit < c.WingWidth), fmt.Sprintf("min_credit %g ≥ wing_width %g: no condor can pay it", c.MinCredit, c.WingWidth)},
		{!(c.ProfitTarget > 0 && c.ProfitTarget <= 1), fmt.Sprintf("profit_target_pct %g outside (0, 1]", c.ProfitTarget)},
		{!(c.StopLoss > 1) || !param.Finite(c.StopLoss), fmt.Sprintf("stop_loss_mult %g: want > 1", c.StopLoss)},
		{c.MaxEntriesPerDay < 1, fmt.Sprintf("max_entries_per_day %d < 1", c.MaxEntriesPerDay)},
		{!(c.DeltaRedLine > 0 && c.DeltaRedLine <= 1), fmt.Sprintf("delta_red_line %g outside (0, 1] (write 0.15, not 15)", c.DeltaRedLine)},
		{!(c.ProximityRedLine >= 0) || !param.Finite(c.ProximityRedLine), fmt.Sprintf("proximity_red_line %g: want ≥ 0", c.ProximityRedLine)},
	}...)
}

// parseClock parses "HH:MM" into the time since midnight.
func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

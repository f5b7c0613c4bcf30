// Package strategy is the registry of strategies and the execution settings
// they run under, both as named parameters (see sim/param) so that the CLI's
// --set, grid files and `sweep strategies` all speak the same names.
package strategy

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/strategy/condor"
	"github.com/optsweep/sweep/sim/strategy/csp"
	"github.com/optsweep/sweep/sim/strategy/earnings"
	"github.com/optsweep/sweep/sim/strategy/legs"
	"github.com/optsweep/sweep/sim/strategy/putspread"
	"github.com/optsweep/sweep/sim/strategy/vertical"
	"github.com/optsweep/sweep/sim/strategy/wheel"
)

// Exec holds the engine's execution settings as parameters, with the seeds'
// names and defaults (seed 001's CONFIG for fills, liquidity and costs, seed
// 000's for the stepped entry and the starting cash).
type Exec struct {
	Cash            float64   `param:"starting_cash" help:"starting cash, dollars"`
	Mode            fill.Mode `param:"fill_mode" help:"optimistic (mid), realistic (mid − 30% of the spread × penalty) or pessimistic (75%)"`
	MidMeans        string    `param:"mid_fill_mode" help:"what fill_mode=mid means: optimistic (ours) or realistic (the seed's fall-through to its realistic formulas)"`
	Seed            int64     `param:"execution_seed" help:"seed of every random draw (per position, whatever the worker count)"`
	EarlyAssignment bool      `param:"early_assignment" help:"assign short equity calls before ex-dividend when extrinsic < dividend"`

	MinBidHard          float64 `param:"min_bid_hard" help:"hard floor on the bid; below it a contract is untradeable"`
	HardMaxSpread       float64 `param:"hard_max_spread_pct" help:"hard ceiling on spread / mid"`
	BaseMaxSpread       float64 `param:"base_max_spread_pct" help:"allowed spread / mid in calm markets"`
	IVPHigh             float64 `param:"ivp_high_threshold" help:"IV percentile of a high-vol regime"`
	IVPHighSpread       float64 `param:"ivp_high_max_spread_pct" help:"allowed spread in a high-vol regime"`
	IVPExtreme          float64 `param:"ivp_extreme_threshold" help:"IV percentile of an extreme-vol regime"`
	IVPExtremeSpread    float64 `param:"ivp_extreme_max_spread_pct" help:"allowed spread in an extreme-vol regime"`
	ShortDTE            int     `param:"short_dte_threshold" help:"DTE at or below which the allowed spread widens"`
	ShortDTEExtraSpread float64 `param:"short_dte_extra_spread_pct" help:"extra allowed spread for short DTE"`
	PenaltyModerate     float64 `param:"penalty_moderate" help:"spread multiplier when spread <= allowed"`
	PenaltyWide         float64 `param:"penalty_wide" help:"spread multiplier when spread <= hard max"`

	PFillTight      float64 `param:"pfill_tight" help:"profit-target fill probability, spread <= tight_spread_pct"`
	PFillNormal     float64 `param:"pfill_normal" help:"profit-target fill probability, spread <= normal_spread_pct"`
	PFillWide       float64 `param:"pfill_wide" help:"profit-target fill probability, wider spreads"`
	TightSpread     float64 `param:"tight_spread_pct" help:"spread bucket bound (fraction of mid)"`
	NormalSpread    float64 `param:"normal_spread_pct" help:"spread bucket bound (fraction of mid)"`
	PFillScale      float64 `param:"pfill_scale" help:"multiplier on the fill probability"`
	PFillMin        float64 `param:"pfill_min" help:"lower clamp of the fill probability"`
	PFillMax        float64 `param:"pfill_max" help:"upper clamp of the fill probability"`
	PFillIVPHigh    float64 `param:"pfill_ivp_high_mult" help:"fill probability multiplier in a high-vol regime"`
	PFillIVPExtreme float64 `param:"pfill_ivp_extreme_mult" help:"fill probability multiplier in an extreme-vol regime"`

	Commission float64 `param:"commission_per_contract" help:"commission per contract per leg, dollars"`
	Fee        float64 `param:"sec_fee_per_contract" help:"regulatory fees per contract per leg, dollars"`

	EntryStart    string  `param:"entry_start_price" help:"stepped limit orders start at the mid or the bid"`
	EntryStepPct  float64 `param:"entry_step_pct" help:"each step moves the limit by this fraction of the spread"`
	EntryMaxSteps int     `param:"entry_max_steps" help:"price steps before giving up"`
}

// DefaultExec returns the seeds' execution settings and $1,000,000 (seed 000).
func DefaultExec() Exec {
	l, p, c, s := fill.DefaultLiquidity(), fill.DefaultProbabilistic(), fill.DefaultCosts(), fill.DefaultStepped()
	return Exec{
		Cash: 1_000_000, Mode: fill.Realistic, MidMeans: "optimistic", Seed: 42, EarlyAssignment: true,
		MinBidHard: l.MinBidHard, HardMaxSpread: l.HardMaxSpreadPct, BaseMaxSpread: l.BaseMaxSpreadPct,
		IVPHigh: l.IVPHighThreshold, IVPHighSpread: l.IVPHighMaxSpreadPct, IVPExtreme: l.IVPExtremeThreshold,
		IVPExtremeSpread: l.IVPExtremeMaxSpreadPct, ShortDTE: l.ShortDTEThreshold, ShortDTEExtraSpread: l.ShortDTEExtraSpreadPct,
		PenaltyModerate: l.PenaltyModerate, PenaltyWide: l.PenaltyWide,
		PFillTight: p.PTight, PFillNormal: p.PNormal, PFillWide: p.PWide, TightSpread: p.TightSpreadPct,
		NormalSpread: p.NormalSpreadPct, PFillScale: p.Scale, PFillMin: p.Min, PFillMax: p.Max,
		PFillIVPHigh: p.IVPHighMult, PFillIVPExtreme: p.IVPExtremeMult,
		Commission: c.CommissionPerContract, Fee: c.FeePerContract,
		EntryStart: "mid", EntryStepPct: s.StepPct, EntryMaxSteps: s.MaxSteps,
	}
}

// Config converts x to the engine's settings.
func (x Exec) Config() (sim.Config, error) {
	if !(x.Cash > 0) {
		return sim.Config{}, fmt.Errorf("starting_cash %g: must be positive", x.Cash)
	}
	if x.MidMeans != "optimistic" && x.MidMeans != "realistic" {
		return sim.Config{}, fmt.Errorf("mid_fill_mode %q: must be optimistic or realistic", x.MidMeans)
	}
	if x.EntryStart != "mid" && x.EntryStart != "bid" {
		return sim.Config{}, fmt.Errorf("entry_start_price %q: must be mid or bid", x.EntryStart)
	}
	if x.EntryMaxSteps < 0 || x.EntryStepPct < 0 {
		return sim.Config{}, errors.New("entry_step_pct and entry_max_steps must not be negative")
	}
	c := sim.DefaultConfig()
	c.Cash, c.Mode, c.Seed, c.EarlyAssignment = x.Cash, x.Mode, uint64(x.Seed), x.EarlyAssignment
	l := &c.Liquidity
	l.MinBidHard, l.HardMaxSpreadPct, l.BaseMaxSpreadPct = x.MinBidHard, x.HardMaxSpread, x.BaseMaxSpread
	l.IVPHighThreshold, l.IVPHighMaxSpreadPct, l.IVPExtremeThreshold, l.IVPExtremeMaxSpreadPct = x.IVPHigh, x.IVPHighSpread, x.IVPExtreme, x.IVPExtremeSpread
	l.ShortDTEThreshold, l.ShortDTEExtraSpreadPct, l.PenaltyModerate, l.PenaltyWide = x.ShortDTE, x.ShortDTEExtraSpread, x.PenaltyModerate, x.PenaltyWide
	p := &c.Probabilistic
	p.PTight, p.PNormal, p.PWide, p.TightSpreadPct, p.NormalSpreadPct = x.PFillTight, x.PFillNormal, x.PFillWide, x.TightSpread, x.NormalSpread
	p.Scale, p.Min, p.Max, p.IVPHighMult, p.IVPExtremeMult = x.PFillScale, x.PFillMin, x.PFillMax, x.PFillIVPHigh, x.PFillIVPExtreme
	p.IVPHighThreshold, p.IVPExtremeThreshold = x.IVPHigh, x.IVPExtreme
	c.Costs = fill.Costs{CommissionPerContract: x.Commission, FeePerContract: x.Fee}
	c.Stepped = fill.Stepped{StartAtBid: x.EntryStart == "bid", StepPct: x.EntryStepPct, MaxSteps: x.EntryMaxSteps}
	return c, nil
}

// Info describes a registered strategy.
type Info struct {
	Name    string
	Summary string
	// Defaults returns a pointer to a fresh configuration with the defaults.
	Defaults func() any
	// New builds the strategy from a configuration Defaults returned.
	New func(cfg any, x sim.Config) (sim.Strategy, error)
	// More, when set, returns further text for `sweep strategies NAME` (the
	// legs strategy's presets).
	More func() string

	// The optional hooks below let the CLI and the reports show what is
	// particular to a strategy without naming it.

	// RunSummary, when set, returns the strategy's own lines of a run's
	// summary (`sweep backtest` prints them after the metrics: the wheel's
	// P&L by phase). cfg is the configuration the run was built from, a
	// pointer Defaults returned.
	RunSummary func(cfg any, res *sim.Result) []Line
	// Events, when set, writes the run's order/fill event log as JSON lines
	// (`sweep backtest --events`); without it WriteEvents writes seed 002's
	// (condor.WriteEvents), which reads any strategy's notes and trades.
	Events func(w io.Writer, res *sim.Result) error
	// Phases, when set, names the strategy's trade phases (sim.Trade.Phase)
	// for people, as the reports label them: "cc" is "covered call".
	Phases map[string]string
}

// Line is one labelled line of a strategy's own summary of a run.
type Line struct {
	Label string // "wheels"
	Text  string
}

// Registry returns the strategies, by name.
func Registry() []Info {
	return []Info{
		{Name: "csp", Summary: "cash-secured puts over a universe scan (seed 000)",
			Defaults: func() any { c := csp.Default(); return &c },
			New:      func(cfg any, _ sim.Config) (sim.Strategy, error) { return csp.New(*cfg.(*csp.Config)) },
			Phases:   map[string]string{"csp": "cash-secured put"}},
		{Name: "wheel", Summary: "the wheel: cash-secured puts, then covered calls on assignment (seed 001)",
			Defaults: func() any { c := wheel.Default(); return &c },
			New:      func(cfg any, x sim.Config) (sim.Strategy, error) { return wheel.New(*cfg.(*wheel.Config), x.Liquidity) },
			RunSummary: func(cfg any, res *sim.Result) []Line {
				return []Line{{"wheels", wheel.Report(res.Trades, cfg.(*wheel.Config).StockPnLBasis)}}
			},
			Phases: map[string]string{"csp": "cash-secured put", "cc": "covered call"}},
		{Name: "condor-monthly", Summary: "SPX monthly iron condors on VIX spikes, half close at red lines (seed 002)",
			Defaults: func() any { c := condor.DefaultMonthly(); return &c },
			New: func(cfg any, _ sim.Config) (sim.Strategy, error) {
				return condor.NewMonthly(*cfg.(*condor.MonthlyConfig))
			},
			Events: condor.WriteEvents},
		{Name: "condor-0dte", Summary: "SPX same-day iron condors, 09:45–10:00 entry, forced close 15:45 (seed 002)",
			Defaults: func() any { c := condor.DefaultZeroDTE(); return &c },
			New: func(cfg any, _ sim.Config) (sim.Strategy, error) {
				return condor.NewZeroDTE(*cfg.(*condor.ZeroDTEConfig))
			},
			Events: condor.WriteEvents},
		{Name: "optimus", Summary: "SPX put credit spreads on Bollinger mean reversion, regime-gated, sized by max loss (seed 004)",
			Defaults: func() any { c := putspread.Default(); return &c },
			New:      func(cfg any, _ sim.Config) (sim.Strategy, error) { return putspread.New(*cfg.(*putspread.Config)) }},
		{Name: "ivrank", Summary: "IV-rank put credit spreads and debit spreads under VIX regimes (seed 003)",
			Defaults: func() any { c := vertical.Default(); return &c },
			New:      func(cfg any, _ sim.Config) (sim.Strategy, error) { return vertical.New(*cfg.(*vertical.Config)) }},
		{Name: "earnings", Summary: "short strangles or straddles before earnings, closed the day after the report (seed 003)",
			Defaults: func() any { c := earnings.Default(); return &c },
			New:      func(cfg any, _ sim.Config) (sim.Strategy, error) { return earnings.New(*cfg.(*earnings.Config)) }},
		{Name: "legs", Summary: "any structure of up to four legs from the grid file: presets, per-leg selectors, signals, exits",
			Defaults: func() any { c := legs.Default(); return &c },
			New:      func(cfg any, x sim.Config) (sim.Strategy, error) { return legs.New(*cfg.(*legs.Config), x.Liquidity) },
			More:     legs.PresetTable},
	}
}

// Lookup returns the strategy called name.
func Lookup(name string) (Info, error) {
	var names []string
	for _, i := range Registry() {
		if i.Name == name {
			return i, nil
		}
		names = append(names, i.Name)
	}
	sort.Strings(names)
	return Info{}, fmt.Errorf("unknown strategy %q (have %v)", name, names)
}

// Built is a strategy ready to run, with every parameter's value.
type Built struct {
	Strategy sim.Strategy
	Exec     sim.Config
	Params   map[string]string // strategy and execution parameters, formatted
	Types    map[string]string // their types ("float", "int", …)
	Name     string            // the strategy's registered name
	Config   any               // its configuration, a pointer Info.Defaults returned
}

// Build makes strategy name with the defaults overridden by set (parameter
// name → value). A name that is neither a strategy nor an execution parameter
// is an error that suggests the closest names.
func Build(name string, set map[string]string) (*Built, error) {
	info, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	cfg := info.Defaults()
	x := DefaultExec()
	set, err = expandSeedCompat(info, set)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := param.Get(&x, k); ok {
			if err := param.Set(&x, k, set[k]); err != nil {
				return nil, err
			}
			continue
		}
		if err := param.Set(cfg, k, set[k]); err != nil {
			if errors.Is(err, param.ErrUnknown) {
				return nil, fmt.Errorf("%s: %w (see `sweep strategies %s`)", name, err, name)
			}
			return nil, err
		}
	}
	if x.MidMeans == "realistic" && strings.EqualFold(strings.TrimSpace(set["fill_mode"]), "mid") {
		x.Mode = fill.Realistic // the seed's 'mid' is not its 'optimistic': it falls through to the realistic formulas
	}
	ec, err := x.Config()
	if err != nil {
		return nil, err
	}
	s, err := info.New(cfg, ec)
	if err != nil {
		return nil, err
	}
	b := &Built{Strategy: s, Exec: ec, Params: param.Values(cfg), Name: name, Config: cfg}
	for k, v := range param.Values(&x) {
		b.Params[k] = v
	}
	b.Types = param.Types(&x, param.Types(cfg, make(map[string]string, len(b.Params))))
	return b, nil
}

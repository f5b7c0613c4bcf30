package synth

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/optsweep/sweep/ingest/dbn"
	"github.com/optsweep/sweep/sim/calendar"
)

// generatorName is recorded in the manifest; bump it when the output changes.
const generatorName = "sweep/synth 1"

// Generate writes a synthetic market for cfg into cfg.OutDir and returns its
// manifest, which it also writes as manifest.json. progress, if not nil, is called
// after each trading day with the days done and the total. Generation is
// single-threaded and deterministic: the same Config gives byte-identical files.
// On error or cancellation the files written so far are removed.
func Generate(ctx context.Context, cfg Config, progress func(done, total int)) (*Manifest, error) {
	cfg, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	days := calendar.TradingDays(cfg.From, cfg.To)
	if len(days) == 0 {
		return nil, fmt.Errorf("synth: no trading days from %s to %s", cfg.From.Format(time.DateOnly), cfg.To.Format(time.DateOnly))
	}
	for _, sub := range []string{"", DatasetOPRA, "EQUS", "INDEX"} {
		if err := os.MkdirAll(filepath.Join(cfg.OutDir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("synth: %w", err)
		}
	}
	g, err := newGen(cfg, days)
	if err != nil {
		return nil, err
	}
	man, err := g.run(ctx, progress)
	if err != nil {
		g.removeWritten()
		return nil, err
	}
	return man, nil
}

// gen is one generation run.
type gen struct {
	cfg     Config
	days    []time.Time
	m       *market
	unds    []*underlying
	chains  []*chain
	events  []event
	man     Manifest
	written []string // absolute paths, for cleanup on failure
	// intraday files are listed in the manifest after their month's definitions.
	pendingIntraday []File
	intraday        intradayBuf
}

func newGen(cfg Config, days []time.Time) (*gen, error) {
	horizon := cfg.To.AddDate(1, 1, 0) // events a year out still shape long-dated IVs
	fomc := fomcEvents(cfg.From, horizon)
	m, err := buildMarket(&cfg, days, fomc)
	if err != nil {
		return nil, err
	}
	g := &gen{cfg: cfg, days: days, m: m}
	g.events = append(g.events, fomc...)
	for _, sym := range cfg.Symbols {
		p, _ := profileFor(sym) // validated by normalize
		evs := scheduleEvents(&p, cfg.From, horizon)
		u, err := buildUnderlying(&cfg, p, g.m, evs)
		if err != nil {
			return nil, err
		}
		c := &chain{u: u, splitAt: -1}
		if sp, ok := cfg.splitFor(sym); ok {
			ev, at := u.applySplit(days, sp)
			evs = append(evs, ev)
			c.splitAt, c.splitRatio = at, sp.Ratio
		}
		g.unds = append(g.unds, u)
		g.chains = append(g.chains, c)
		g.events = append(g.events, evs...)
	}
	g.intraday.paths = make([][]float64, len(g.chains))
	g.man = Manifest{Generator: generatorName, Config: ManifestConfig{Symbols: cfg.Symbols,
		From: cfg.From.Format(time.DateOnly), To: cfg.To.Format(time.DateOnly), Seed: cfg.Seed,
		Intraday: cfg.Intraday, Chain: cfg.Chain, History: cfg.HistorySources(), Derived: derived(&cfg),
		Splits: splitNames(cfg.Splits)}}
	return g, nil
}

func (g *gen) run(ctx context.Context, progress func(done, total int)) (*Manifest, error) {
	if err := g.writeUnderlyings(); err != nil {
		return nil, err
	}
	if err := g.writeEvents(); err != nil {
		return nil, err
	}
	e := newEmitter(g.m, g.cfg.Seed)
	monthStart := 0
	for i, d := range g.days {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("synth: %w", err)
		}
		if i > 0 && d.Month() != g.days[i-1].Month() {
			if err := g.flushMonth(e, monthStart, i); err != nil {
				return nil, err
			}
			monthStart = i
		}
		if e.month != int32(d.Year()*12+int(d.Month())) {
			e.month = int32(d.Year()*12 + int(d.Month()))
			e.buf.reset()
		}
		for _, c := range g.chains {
			if i == c.splitAt {
				c.split(c.splitRatio, c.u.bars.close[i])
			}
			c.update(g.m, i, &g.cfg.Chain)
		}
		e.session(g.chains, i)
		if g.cfg.Intraday {
			if err := g.writeIntraday(i); err != nil {
				return nil, err
			}
		}
		if progress != nil {
			progress(i+1, len(g.days))
		}
	}
	if err := g.flushMonth(e, monthStart, len(g.days)); err != nil {
		return nil, err
	}
	if err := writeManifest(g.cfg.OutDir, &g.man); err != nil {
		return nil, err
	}
	g.written = append(g.written, filepath.Join(g.cfg.OutDir, ManifestName))
	return &g.man, nil
}

// add records a written file in the manifest.
func (g *gen) add(f File) {
	g.man.Files = append(g.man.Files, f)
	g.written = append(g.written, filepath.Join(g.cfg.OutDir, filepath.FromSlash(f.Path)))
}

// removeWritten deletes the files of a failed run.
func (g *gen) removeWritten() {
	for _, p := range g.written {
		os.Remove(p)
	}
	for _, f := range g.pendingIntraday {
		os.Remove(filepath.Join(g.cfg.OutDir, filepath.FromSlash(f.Path)))
	}
}

// writeUnderlyings writes the index file (SPX, VIX, VIX3M) and, when stocks or ETFs
// are generated, the equity file.
func (g *gen) writeUnderlyings() error {
	idx := []barSeries{{"SPX", &g.m.spx}, {"VIX", &g.m.vix}, {"VIX3M", &g.m.vix3m}}
	f, err := writeBars(g.cfg.OutDir, "INDEX/ohlcv-1d.dbn.zst", DatasetIndex, pubIndex, g.days, idx)
	if err != nil {
		return err
	}
	g.add(f)
	var eq []barSeries
	for _, u := range g.unds {
		if u.prof.kind != kindIndex {
			eq = append(eq, barSeries{u.prof.symbol, &u.bars})
		}
	}
	if len(eq) == 0 {
		return nil
	}
	f, err = writeBars(g.cfg.OutDir, "EQUS/ohlcv-1d.dbn.zst", DatasetEquity, pubEquity, g.days, eq)
	if err != nil {
		return err
	}
	g.add(f)
	return nil
}

// writeEvents writes events.csv: events from the first day through three months
// after the last, since a calendar of scheduled events runs ahead of the data.
func (g *gen) writeEvents() error {
	limit := g.cfg.To.AddDate(0, 3, 0)
	var evs []event
	for _, e := range g.events {
		if !e.date.After(limit) {
			evs = append(evs, e)
		}
	}
	sortEvents(evs)
	n, err := writeEvents(filepath.Join(g.cfg.OutDir, "events.csv"), evs)
	if err != nil {
		return err
	}
	g.add(File{Path: "events.csv", Kind: "events", Records: int64(len(evs)), Bytes: n})
	return nil
}

// flushMonth writes the month's four OPRA files from the buffered records of sessions
// [from, to), then lists the month's intraday files.
func (g *gen) flushMonth(e *emitter, from, to int) error {
	if from >= to {
		return nil
	}
	first, last := g.days[from], g.days[to-1]
	start := calendar.Date(first.Year(), first.Month(), 1)
	if start.Before(g.cfg.From) {
		start = g.cfg.From
	}
	end := last.AddDate(0, 0, 1)
	maps := optionMappings(e.buf.maps)
	syms := parents(g.chains)
	base := fmt.Sprintf("%s/%04d-%02d.", DatasetOPRA, first.Year(), int(first.Month()))
	md := func(s dbn.Schema) *dbn.Metadata {
		return metadata(DatasetOPRA, s, start, end, syms, dbn.STypeParent, maps)
	}
	// The manifest's order is the order to ingest them in: the definitions
	// first, then the quotes, whose file inserts the month's contract-days
	// with the most columns of its own, so that the statistics and bar files
	// update fewer (the same store as statistics first, in about a fifth less
	// time: BENCHMARKS.md, "The order of a month's files").
	files := make([]File, 0, 4)
	f, err := writeDBN(g.cfg.OutDir, base+"definition.dbn.zst", md(dbn.SchemaDefinition), e.buf.defs)
	if err == nil {
		files = append(files, f)
		f, err = writeDBN(g.cfg.OutDir, base+"cbbo-1m.dbn.zst", md(dbn.SchemaCbbo1M), e.buf.cbbo)
	}
	if err == nil {
		files = append(files, f)
		f, err = writeDBN(g.cfg.OutDir, base+"statistics.dbn.zst", md(dbn.SchemaStatistics), e.buf.stats)
	}
	if err == nil {
		files = append(files, f)
		f, err = writeDBN(g.cfg.OutDir, base+"ohlcv-1d.dbn.zst", md(dbn.SchemaOhlcv1D), e.buf.ohlcv)
	}
	if err == nil {
		files = append(files, f)
	}
	for _, f := range files {
		g.add(f)
	}
	if err != nil {
		return err
	}
	for _, f := range g.pendingIntraday {
		g.add(f)
	}
	g.pendingIntraday = g.pendingIntraday[:0]
	return nil
}

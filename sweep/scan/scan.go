// Package scan runs `sweep scan`: the outcome distribution of a legs
// structure on one symbol and window, by DTE × delta bucket, computed in one
// bulk pass over the chains (sim/strategy/legs.Scan) and recorded in the
// results DB (tables scans and scan_buckets).
package scan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/optsweep/sweep/ingest/market"
	"github.com/optsweep/sweep/sim/fill"
	"github.com/optsweep/sweep/sim/param"
	"github.com/optsweep/sweep/sim/strategy"
	"github.com/optsweep/sweep/sim/strategy/legs"
	"github.com/optsweep/sweep/sweep/feed"
	"github.com/optsweep/sweep/sweep/results"
)

// Options say what to scan.
type Options struct {
	Symbol   string
	From, To time.Time
	Set      map[string]string // legs and execution parameters (liquidity tiers), by name
	Buckets  legs.Buckets
	Model    feed.Options
	Keep     bool // keep every outcome in the result (for checks; costs memory)
}

// DefaultOptions returns the options of a scan with the default DTE and
// |delta| bucket edges (legs.DefaultBuckets) and the default feed model; the
// caller sets the symbol, the window and the parameters.
func DefaultOptions() Options {
	return Options{Model: feed.DefaultOptions(), Buckets: legs.DefaultBuckets()}
}

// Result is a finished scan.
type Result struct {
	Record  results.Scan
	Scan    *legs.ScanResult
	Config  legs.Config
	Liq     fill.Liquidity
	Load    time.Duration // tape load and greeks
	Compute time.Duration // the scan itself
}

// Config splits set into the legs configuration and the execution settings'
// liquidity tiers, reporting unknown names as strategy.Build does.
func Config(set map[string]string) (legs.Config, fill.Liquidity, error) {
	c := legs.Default()
	x := strategy.DefaultExec()
	for _, k := range slices.Sorted(maps.Keys(set)) {
		dst := any(&c)
		if _, ok := param.Get(&x, k); ok {
			dst = &x
		}
		if err := param.Set(dst, k, set[k]); err != nil {
			if errors.Is(err, param.ErrUnknown) {
				return c, fill.Liquidity{}, fmt.Errorf("legs: %w (see `sweep strategies legs`)", err)
			}
			return c, fill.Liquidity{}, err
		}
	}
	ec, err := x.Config()
	if err != nil {
		return c, fill.Liquidity{}, err
	}
	return c, ec.Liquidity, c.Validate()
}

// Run loads the tape of o's symbol and window from st, scans it and returns
// the result, not yet recorded (see Record).
func Run(ctx context.Context, st *market.Store, o Options) (*Result, error) {
	c, liq, err := Config(o.Set)
	if err != nil {
		return nil, err
	}
	fp, err := st.Fingerprint(ctx)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	tape, stats, err := feed.Load(ctx, st, []string{o.Symbol}, o.From, o.To, o.Model)
	if err != nil {
		return nil, err
	}
	load := time.Since(t0)
	t1 := time.Now()
	sr, err := legs.Scan(tape, o.Symbol, c, liq, o.Buckets, o.Keep)
	if err != nil {
		return nil, err
	}
	compute := time.Since(t1)
	params := param.Values(&c)
	pj, _ := json.Marshal(params)
	bj, _ := json.Marshal(o.Buckets)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s", o.Symbol, o.From.Format(time.DateOnly), o.To.Format(time.DateOnly), pj, bj, fp, o.Model.Model())
	rec := results.Scan{ID: "scan-" + hex.EncodeToString(h.Sum(nil))[:12], Symbol: o.Symbol, From: o.From, To: o.To,
		Params: string(pj), Fingerprint: fp, Entries: sr.Entries, ChainRows: stats.Contracts, Load: load, Compute: compute,
		Created: time.Now().UTC()}
	for _, b := range sr.Buckets {
		rec.Buckets = append(rec.Buckets, results.ScanBucket{DTELo: b.DTELo, DTEHi: b.DTEHi, DeltaLo: b.DeltaLo, DeltaHi: b.DeltaHi,
			Count: b.Count, Open: b.Open, Mean: b.Mean, Std: b.Std, Min: b.Min, Q1: b.Q1, Median: b.Median, Q3: b.Q3, Max: b.Max,
			WinRate: b.WinRate, ProfitFactor: b.ProfitFactor, MeanDays: b.MeanDays})
	}
	return &Result{Record: rec, Scan: sr, Config: c, Liq: liq, Load: load, Compute: compute}, nil
}

// Record writes r to the results DB at path (created if need be).
func Record(ctx context.Context, path string, r *Result) error {
	db, err := results.Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.WriteScan(ctx, r.Record)
}

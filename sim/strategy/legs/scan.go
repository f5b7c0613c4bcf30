package legs

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
)

// Buckets are the edges of a scan's outcome table: DTE[k] ≤ days to expiry <
// DTE[k+1], Delta[k] ≤ |delta| < Delta[k+1], both of leg 0 at entry.
type Buckets struct {
	DTE   []int
	Delta []float64
}

// DefaultBuckets are weekly DTE buckets to 8 weeks and |delta| buckets of
// 0.05 to 0.5.
func DefaultBuckets() Buckets {
	b := Buckets{}
	for d := 0; d <= 56; d += 7 {
		b.DTE = append(b.DTE, d)
	}
	for k := 0; k <= 10; k++ {
		b.Delta = append(b.Delta, float64(k)*0.05)
	}
	return b
}

// check reports edges that do not ascend.
func (b Buckets) check() error {
	if len(b.DTE) < 2 || len(b.Delta) < 2 {
		return errors.New("scan: want at least two DTE edges and two delta edges")
	}
	if !sort.IntsAreSorted(b.DTE) || !sort.Float64sAreSorted(b.Delta) || b.DTE[0] < 0 || b.Delta[0] < 0 {
		return errors.New("scan: bucket edges must ascend from 0 or more")
	}
	for k := 1; k < len(b.DTE); k++ {
		if b.DTE[k] == b.DTE[k-1] {
			return fmt.Errorf("scan: DTE edge %d repeated", b.DTE[k])
		}
	}
	for k := 1; k < len(b.Delta); k++ {
		if b.Delta[k] == b.Delta[k-1] {
			return fmt.Errorf("scan: delta edge %g repeated", b.Delta[k])
		}
	}
	return nil
}

// Outcome is one scanned entry: the structure entered at the mids on Day
// with leg 0 on chain row Row of that day, and how it ended.
type Outcome struct {
	Day      int32
	Contract sim.Contract   // leg 0
	Legs     []sim.OrderLeg // every option leg, one unit (only in kept outcomes)
	DTE      int
	Delta    float64 // leg 0's delta at entry
	Entry    float64 // package price per share (negative: a credit)
	Exit     float64 // package value per share at the exit (settled legs at intrinsic)
	PnL      float64 // dollars per unit: 100 × (Exit − Entry)
	ExitDay  int32   // 0 while open at the end of the tape
	Reason   string  // an exit reason, "expired", or "open"
	DTEBin   int     // bucket indexes
	DeltaBin int
}

// Bucket is one cell of the outcome table.
type Bucket struct {
	DTELo, DTEHi     int
	DeltaLo, DeltaHi float64
	Count            int // closed outcomes (open ones at the end of the tape are left out)
	Open             int
	Mean, Std        float64 // dollars per unit; Std is the sample standard deviation
	Min, Q1, Median  float64
	Q3, Max          float64
	WinRate          float64 // share of outcomes with P&L > 0
	ProfitFactor     float64 // gains / losses; +Inf without losses
	MeanDays         float64 // calendar days held
}

// ScanResult is a scan's outcome table and, when asked for, every outcome.
type ScanResult struct {
	Symbol   string
	Buckets  []Bucket // DTE-major: bucket (i, j) is Buckets[i*(len(Delta)-1)+j]
	Outcomes []Outcome
	Entries  int // outcomes computed
}

// Scan computes the outcome of c's structure on symbol for every entry day of
// t and every contract of leg 0's right whose DTE and |delta| fall in the
// buckets, independent of cash and open positions: leg 0 is that contract,
// the other legs are chosen by their own rules, entry gates apply (credit,
// debit, credit/width, open interest; liquidity under liq when c.Liquidity),
// but not the signal, weekdays or max_open. Each entry is filled at the mids
// and closed by c's exits exactly as the strategy closes it (at the exit
// mids, on the first day a rule fires and every leg can be closed); a leg
// that expires is settled at its intrinsic value at the engine's settlement
// price (an assignment's shares valued at that price). P&L is per unit,
// without fees. keep retains every outcome in the result.
func Scan(t *sim.Tape, symbol string, c Config, liq fill.Liquidity, b Buckets, keep bool) (*ScanResult, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := b.check(); err != nil {
		return nil, err
	}
	legs, _ := c.Resolve()
	if legs[0].Right == Stock {
		return nil, errors.New("scan: leg 0 must be an option (it is the contract scanned); put a stock leg after it")
	}
	var s *sim.Series
	for k := range t.Symbols {
		if t.Symbols[k].Symbol == symbol {
			s = &t.Symbols[k]
		}
	}
	if s == nil {
		return nil, fmt.Errorf("scan: %s is not on the tape", symbol)
	}
	sc := scanner{t: t, s: s, c: &c, legs: legs, liq: liq, b: b, keep: keep}
	sc.views()
	nd := len(b.Delta) - 1
	pnls := make([][]float64, (len(b.DTE)-1)*nd)
	days := make([]float64, len(pnls))
	open := make([]int, len(pnls))
	res := &ScanResult{Symbol: symbol}
	pc := rightByte(legs[0].Right)
	for i := range t.Days {
		m := sc.market(i)
		ch := &m.Chain
		for r := range ch.Strike {
			if ch.PutCall[r] != pc || !ch.Quoted(r) || math.IsNaN(ch.Delta[r]) {
				continue
			}
			di := bin(float64(ch.Expiration[r]-t.Days[i]), b.DTE)
			ai := bin(math.Abs(ch.Delta[r]), b.Delta)
			if di < 0 || ai < 0 {
				continue
			}
			o, ok := sc.outcome(i, m, r)
			if !ok {
				continue
			}
			o.DTEBin, o.DeltaBin = di, ai
			res.Entries++
			k := di*nd + ai
			if o.Reason == "open" {
				open[k]++
			} else {
				pnls[k] = append(pnls[k], o.PnL)
				days[k] += float64(o.ExitDay - o.Day)
			}
			if keep {
				res.Outcomes = append(res.Outcomes, o)
			}
		}
	}
	for di := 0; di < len(b.DTE)-1; di++ {
		for ai := 0; ai < nd; ai++ {
			k := di*nd + ai
			bk := stats(pnls[k])
			bk.DTELo, bk.DTEHi, bk.DeltaLo, bk.DeltaHi, bk.Open = b.DTE[di], b.DTE[di+1], b.Delta[ai], b.Delta[ai+1], open[k]
			if bk.Count > 0 {
				bk.MeanDays = days[k] / float64(bk.Count)
			}
			res.Buckets = append(res.Buckets, bk)
		}
	}
	return res, nil
}

// bin returns k with edges[k] ≤ x < edges[k+1], or -1.
func bin[T ~int | ~float64](x float64, edges []T) int {
	n := len(edges)
	if n < 2 || x < float64(edges[0]) || x >= float64(edges[n-1]) {
		return -1
	}
	return sort.Search(n, func(k int) bool { return float64(edges[k]) > x }) - 1
}

// stats summarises P&Ls (sorted in place).
func stats(x []float64) Bucket {
	var b Bucket
	b.Count = len(x)
	if b.Count == 0 {
		b.Mean, b.Std, b.Min, b.Q1, b.Median, b.Q3, b.Max = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
		b.WinRate, b.ProfitFactor = math.NaN(), math.NaN()
		return b
	}
	slices.Sort(x)
	sum, gains, losses, wins := 0.0, 0.0, 0.0, 0
	for _, v := range x {
		sum += v
		if v > 0 {
			gains += v
			wins++
		} else {
			losses -= v
		}
	}
	b.Mean = sum / float64(b.Count)
	ss := 0.0
	for _, v := range x {
		ss += (v - b.Mean) * (v - b.Mean)
	}
	b.Std = math.NaN()
	if b.Count > 1 {
		b.Std = math.Sqrt(ss / float64(b.Count-1))
	}
	b.Min, b.Max = x[0], x[b.Count-1]
	b.Q1, b.Median, b.Q3 = quantile(x, 0.25), quantile(x, 0.5), quantile(x, 0.75)
	b.WinRate = float64(wins) / float64(b.Count)
	b.ProfitFactor = math.Inf(1)
	if losses > 0 {
		b.ProfitFactor = gains / losses
	}
	return b
}

// quantile returns the q-quantile of sorted x by linear interpolation between
// order statistics (numpy's and DuckDB's quantile_cont).
func quantile(x []float64, q float64) float64 {
	h := q * float64(len(x)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

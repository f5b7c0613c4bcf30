package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/optsweep/sweep/sim/greeks"
)

const greeksUnits = `Units and conventions of sweep greeks

Inputs
  right   C or P (also call, put; any case)
  S, K    spot and strike, in the same currency
  T       time to expiry in years of 365 calendar days, to settlement
  r, q    continuously compounded risk-free rate and dividend yield, per year (0.05 is 5%)
  sigma   volatility per √year as a fraction (0.2 is 20%)
  price   option price per unit of underlying (instead of sigma: solve for the volatility)
  style   optional column, E or A (European or American) per row; overrides --american

Outputs (default --units=desk)
  price   option value per unit of underlying (times the multiplier, usually 100, per contract)
  delta   ∂V/∂S
  gamma   ∂²V/∂S², per unit of S
  vega    per volatility point: change for σ up by 0.01            (raw: per 1.00 of σ)
  theta   per calendar day: ∂V/∂t / 365, time passing               (raw: per year)
  rho     per rate point: change for r up by 0.01, q held fixed    (raw: per 1.00 of r)
  iv      volatility per √year as a fraction: the solved volatility when the input has
          price, the input sigma echoed when it has sigma

--units=raw states the greeks as plain derivatives in the inputs' own units (vega and rho
per 1.00, theta per year), as QuantLib reports them.

European values are Black-Scholes-Merton; American values (--american or style A) are
Bjerksund-Stensland (2002) with finite-difference greeks. A call without dividends, or a
put when r ≤ 0, is never exercised early and is valued as European either way.
`

// unitsFlag is --units: "desk" or "raw" selects the output units; given alone it asks
// for the conventions to be printed.
type unitsFlag struct {
	raw, show bool
}

func (u *unitsFlag) String() string {
	if u.raw {
		return "raw"
	}
	return "desk"
}

func (u *unitsFlag) Set(v string) error {
	switch v {
	case "true":
		u.show = true
	case "desk":
		u.raw = false
	case "raw":
		u.raw = true
	default:
		return fmt.Errorf("want desk or raw, got %q", v)
	}
	return nil
}

func (u *unitsFlag) IsBoolFlag() bool { return true }

func greeksCommand() *command {
	c := &command{
		name:  "greeks",
		usage: "sweep greeks [--american] [--units[=desk|raw]] [FILE]",
		short: "option prices, greeks and implied volatilities from CSV",
		long: `A calculator for people and for cross-checking. Reads CSV from FILE (or standard input
when FILE is absent or -) with the header

  right,S,K,T,r,q,sigma      to value options at a volatility, or
  right,S,K,T,r,q,price      to solve for the implied volatility from a price,

columns in any order, and writes the input columns followed by
price,delta,gamma,vega,theta,rho,iv to standard output, every number at full precision.

A row that cannot be read or valued (a bad number, T ≤ 0, a price below intrinsic value
or above its maximum, ...) is reported on standard error with its line number and written
with NaN results; a row with the wrong number of fields is reported and skipped. The run
goes on either way, and exits 0 once the output is complete. "sweep greeks --units"
prints the units and conventions.`,
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		fs := newFlags(c, s)
		american := fs.Bool("american", false, "value every row as an American option (Bjerksund-Stensland 2002)")
		var units unitsFlag
		fs.Var(&units, "units", "output `units`: desk (vega, rho per point; theta per day) or raw; alone, print the conventions")
		if err := parseFlags(fs, args, s); err != nil {
			return err
		}
		if units.show {
			_, err := io.WriteString(s.out, greeksUnits)
			return err
		}
		if fs.NArg() > 1 {
			return usageErrorf("one input file at most, got %d", fs.NArg())
		}
		in, name := s.in, "standard input"
		if fs.NArg() == 1 && fs.Arg(0) != "-" {
			f, err := os.Open(fs.Arg(0))
			if err != nil {
				return err
			}
			defer f.Close()
			in, name = f, fs.Arg(0)
		}
		calc := greeksCalc{american: *american, raw: units.raw, errs: s.err, name: name}
		return calc.run(ctx, in, s.out)
	}
	return c
}

// greeksCalc is one run of sweep greeks.
type greeksCalc struct {
	american, raw bool
	errs          io.Writer
	name          string // of the input, for messages
	bad           int    // rows reported
}

// Column roles in the input.
const (
	colRight = iota
	colS
	colK
	colT
	colR
	colQ
	colVol   // sigma, or price when solving
	colStyle // optional
	nCols
)

func (g *greeksCalc) run(ctx context.Context, in io.Reader, out io.Writer) error {
	r := csv.NewReader(bufio.NewReader(in))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: no header line", g.name)
		}
		return fmt.Errorf("%s: %w", g.name, err)
	}
	cols, solve, err := greeksColumns(header)
	if err != nil {
		return fmt.Errorf("%s: %w", g.name, err)
	}
	bw := bufio.NewWriter(out)
	w := csv.NewWriter(bw)
	if err := w.Write(append(header[:len(header):len(header)], "price", "delta", "gamma", "vega", "theta", "rho", "iv")); err != nil {
		return err
	}
	rows := 0
	for {
		if rows%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("%s: %w", g.name, err)
			}
			rows++
			g.report(pe.StartLine, "%v; row skipped", pe.Err)
			continue
		}
		line, _ := r.FieldPos(0)
		rows++
		if len(rec) != len(header) {
			g.report(line, "%d fields, the header has %d; row skipped", len(rec), len(header))
			continue
		}
		res := g.row(line, rec, cols, solve)
		out := append(rec[:len(rec):len(rec)], make([]string, 0, len(res))...)
		for _, v := range res {
			out = append(out, strconv.FormatFloat(v, 'g', -1, 64))
		}
		if err := w.Write(out); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if rows > 0 && g.bad >= rows {
		return fmt.Errorf("%s: every row (%d) was reported above: nothing could be valued", g.name, rows)
	}
	if g.bad > 0 {
		fmt.Fprintf(g.errs, "sweep greeks: %s: %d of %d rows reported above\n", g.name, g.bad, rows)
	}
	return nil
}

// greeksColumns finds the columns of the header and whether it asks for implied vols.
func greeksColumns(header []string) (cols [nCols]int, solve bool, err error) {
	for i := range cols {
		cols[i] = -1
	}
	names := map[string]int{"right": colRight, "s": colS, "k": colK, "t": colT, "r": colR, "q": colQ,
		"sigma": colVol, "price": colVol, "style": colStyle}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		c, ok := names[h]
		if !ok {
			continue // other columns are carried through
		}
		if cols[c] >= 0 {
			if c == colVol {
				return cols, false, errors.New("header has both sigma and price (or one twice); give one")
			}
			return cols, false, fmt.Errorf("header has column %q twice", h)
		}
		cols[c] = i
		if h == "price" {
			solve = true
		}
	}
	for c, want := range []string{"right", "S", "K", "T", "r", "q", "sigma or price"} {
		if cols[c] < 0 {
			return cols, false, fmt.Errorf("header %q has no %s column (want right,S,K,T,r,q,sigma or right,S,K,T,r,q,price)",
				strings.Join(header, ","), want)
		}
	}
	return cols, solve, nil
}

// row values one input row and returns price, delta, gamma, vega, theta, rho and iv in
// the chosen units, NaN where they cannot be computed (and then reports why).
func (g *greeksCalc) row(line int, rec []string, cols [nCols]int, solve bool) []float64 {
	nan := math.NaN()
	fail := []float64{nan, nan, nan, nan, nan, nan, nan}
	var o greeks.Option
	switch strings.ToLower(strings.TrimSpace(rec[cols[colRight]])) {
	case "c", "call":
		o.Right = greeks.Call
	case "p", "put":
		o.Right = greeks.Put
	default:
		g.report(line, "right %q is not C or P", rec[cols[colRight]])
		return fail
	}
	if g.american {
		o.Style = greeks.American
	}
	if cols[colStyle] >= 0 {
		switch strings.ToLower(strings.TrimSpace(rec[cols[colStyle]])) {
		case "a", "american":
			o.Style = greeks.American
		case "e", "european":
			o.Style = greeks.European
		case "":
		default:
			g.report(line, "style %q is not E or A", rec[cols[colStyle]])
			return fail
		}
	}
	var nums [6]float64
	for j, c := range []int{colS, colK, colT, colR, colQ, colVol} {
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[cols[c]]), 64)
		if err != nil {
			g.report(line, "column %d: %q is not a number", cols[c]+1, rec[cols[c]])
			return fail
		}
		nums[j] = v
	}
	o.Spot, o.Strike, o.Years, o.Rate, o.Dividend = nums[0], nums[1], nums[2], nums[3], nums[4]
	vol := nums[5]
	if solve {
		v, why := o.ImpliedVol(nums[5])
		if why != greeks.OK {
			g.report(line, "no implied volatility: %v", why)
			return fail
		}
		vol = v
	}
	v, why := o.Values(vol)
	if why != greeks.OK {
		g.report(line, "%v", why)
		return fail
	}
	if g.raw {
		return []float64{v.Price, v.Delta, v.Gamma, 100 * v.VegaPerPoint, v.ThetaPerYear, 100 * v.RhoPerPoint, vol}
	}
	return []float64{v.Price, v.Delta, v.Gamma, v.VegaPerPoint, v.ThetaPerDay, v.RhoPerPoint, vol}
}

// report writes a message about an input row to standard error.
func (g *greeksCalc) report(line int, format string, a ...any) {
	g.bad++
	fmt.Fprintf(g.errs, "sweep greeks: %s:%d: %s\n", g.name, line, fmt.Sprintf(format, a...))
}

// benchGreeks implements "sweep bench greeks [-n N] [-rounds R]": ns/option for price
// and all greeks and for implied volatility, the bulk path and one-at-a-time loops side
// by side in one run, with their ratios.
func benchGreeks(ctx context.Context, args []string, s stdio) error {
	c := &command{
		name:  "bench greeks",
		usage: "sweep bench greeks [-n N] [-rounds R]",
		long: `Time sim/greeks on a synthetic index chain of N contracts (17 expirations from
same-day to two years, strikes across ±4 standard deviations, calls and puts, a skewed
smile): Compute (price and all greeks) and ImpliedVol (from the model prices) against
the same work done one contract at a time, and against textbook scalar code built on
math.Erfc, math.Exp and math.Log. The paths run alternately for R rounds on one core
and each keeps its fastest round, so the ratios hold on a busy machine.`,
	}
	fs := newFlags(c, s)
	n := fs.Int("n", 20000, "contracts in the synthetic chain")
	rounds := fs.Int("rounds", 30, "rounds per path; the fastest counts")
	if err := parseFlags(fs, args, s); err != nil {
		return err
	}
	if *n < 1 || *rounds < 1 {
		return usageErrorf("-n and -rounds must be positive")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	start := time.Now()
	r := greeks.Measure(*n, *rounds)
	fmt.Fprintf(s.out, "sim/greeks on a synthetic chain of %d contracts (%d with time value to invert), fastest of %d rounds, one core\n\n",
		r.Options, r.Priced, *rounds)
	fmt.Fprintf(s.out, "%-48s %10s %10s\n", "", "ns/option", "vs bulk")
	row := func(name string, ns, bulk float64) {
		fmt.Fprintf(s.out, "%-48s %10.1f %9.2fx\n", name, ns, ns/bulk)
	}
	bulk := "price + 5 greeks, bulk (Compute)"
	if r.Vector {
		bulk = "price + 5 greeks, bulk (Compute, AVX-512)"
	}
	row(bulk, r.Greeks, r.Greeks)
	row("price + 5 greeks, one at a time (Values)", r.Values, r.Greeks)
	row("price + 5 greeks, textbook scalar (math.Erfc)", r.Textbook, r.Greeks)
	row("implied vol, bulk (ImpliedVol)", r.IV, r.IV)
	row("implied vol, one at a time (Option.ImpliedVol)", r.IVOne, r.IV)
	fmt.Fprintf(s.out, "\n(%.1fs; textbook/bulk is the speed-up of Compute over plain scalar code)\n", time.Since(start).Seconds())
	return nil
}

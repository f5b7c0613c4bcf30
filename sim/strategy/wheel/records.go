package wheel

import (
	"fmt"
	"math"
	"sort"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
)

// Record is one phase of one wheel, as seed 001 reports them: "csp", "cc",
// "stock" (the shares between assignment and their sale or call-away) and
// "total" (the whole wheel).
type Record struct {
	Wheel    string
	Phase    string
	Symbol   string
	Opened   int32
	Closed   int32   // 0 while open
	DaysHeld int32   // calendar days
	Capital  float64 // the put's strike × 100 × contracts: the wheel's initial capital
	PnL      float64 // net of fees, dollars
	Fees     float64
	ROC      float64 // PnL / Capital
	Reason   string  // exit reason ("open" while open); for totals, the last phase's
	Touches  int
	Draws    []fill.Draw
	// Totals only.
	CSPPnL, CCPnL, StockPnL float64
}

// Records groups a run's trades by wheel (their tag) into per-phase records and
// one total per wheel, in the order the wheels started. Still-open phases are
// reported with their P&L so far (0) and reason "open". The stock phase is
// valued from the assignment price (StockFromAssignment).
func Records(trades []sim.Trade) []Record { return RecordsBasis(trades, StockFromAssignment) }

// RecordsBasis is Records with the stock phase valued on basis: with
// StockFromNetCost, as seed 001 does, shares called away are valued from the
// put's strike less its premium, so the put's premium (gross, per share ×
// 100 × contracts) is added to the stock phase and counted a second time in
// the wheel's total. The account (cash, equity) never counts it twice.
func RecordsBasis(trades []sim.Trade, basis string) []Record {
	var order []string
	by := map[string][]*sim.Trade{}
	for i := range trades {
		t := &trades[i]
		if t.Tag == "" {
			continue
		}
		if _, ok := by[t.Tag]; !ok {
			order = append(order, t.Tag)
		}
		by[t.Tag] = append(by[t.Tag], t)
	}
	var out []Record
	for _, id := range order {
		total := Record{Wheel: id, Phase: "total"}
		premium := 0.0
		for _, t := range by[id] {
			r := Record{Wheel: id, Phase: t.Phase, Symbol: t.Symbol, Opened: t.Opened, Closed: t.Closed, Fees: t.Fees,
				Reason: t.Reason, Touches: t.Touches, Draws: t.Draws}
			if t.Closed != 0 {
				r.PnL = t.Net()
				r.DaysHeld = t.Closed - t.Opened
			}
			if t.Phase == "stock" && basis == StockFromNetCost && t.Reason == sim.EventCalledAway {
				r.PnL += premium
			}
			if t.Phase == "csp" {
				premium = -t.Entry * sim.Multiplier * float64(t.Quantity)
				total.Symbol, total.Opened = t.Symbol, t.Opened
				total.Capital = t.Legs[0].Contract.Strike * sim.Multiplier * float64(t.Quantity)
			}
			switch t.Phase {
			case "csp":
				total.CSPPnL += r.PnL
			case "cc":
				total.CCPnL += r.PnL
			case "stock":
				total.StockPnL += r.PnL
			}
			total.PnL += r.PnL
			total.Fees += r.Fees
			total.Touches += r.Touches
			total.Draws = append(total.Draws, r.Draws...)
			total.Closed, total.Reason = max(total.Closed, r.Closed), r.Reason
			out = append(out, r)
		}
		for i := len(out) - len(by[id]); i < len(out); i++ {
			out[i].Capital = total.Capital
			out[i].ROC = ratio(out[i].PnL, total.Capital)
			if out[i].Closed == 0 {
				total.Closed, total.Reason = 0, "open"
			}
		}
		if total.Closed != 0 {
			total.DaysHeld = total.Closed - total.Opened
		}
		total.ROC = ratio(total.PnL, total.Capital)
		out = append(out, total)
	}
	return out
}

func ratio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}

// Summary aggregates completed wheels (seed 001's aggregate_v5_results).
type Summary struct {
	Wheels                     int     // completed wheels
	Open                       int     // wheels still open at the end
	TotalPnL                   float64 // dollars, completed wheels
	MeanROC, MedianROC, StdROC float64 // fractions
	MinROC, MaxROC             float64
	WinRate                    float64 // fraction of completed wheels with PnL > 0
	AvgDaysHeld                float64
	Capital                    float64 // sum of the wheels' initial capital
}

// Summarize aggregates the "total" records of completed wheels.
func Summarize(recs []Record) Summary {
	var s Summary
	var rocs []float64
	wins, days := 0, 0.0
	for _, r := range recs {
		if r.Phase != "total" {
			continue
		}
		if r.Closed == 0 {
			s.Open++
			continue
		}
		s.Wheels++
		s.TotalPnL += r.PnL
		s.Capital += r.Capital
		rocs = append(rocs, r.ROC)
		days += float64(r.DaysHeld)
		if r.PnL > 0 {
			wins++
		}
	}
	if s.Wheels == 0 {
		nan := math.NaN()
		s.MeanROC, s.MedianROC, s.StdROC, s.MinROC, s.MaxROC, s.WinRate, s.AvgDaysHeld = nan, nan, nan, nan, nan, nan, nan
		return s
	}
	n := float64(s.Wheels)
	sort.Float64s(rocs)
	sum := 0.0
	for _, x := range rocs {
		sum += x
	}
	s.MeanROC = sum / n
	s.MinROC, s.MaxROC = rocs[0], rocs[len(rocs)-1]
	if m := len(rocs); m%2 == 1 {
		s.MedianROC = rocs[m/2]
	} else {
		s.MedianROC = (rocs[m/2-1] + rocs[m/2]) / 2
	}
	s.StdROC = math.NaN()
	if s.Wheels > 1 {
		ss := 0.0
		for _, x := range rocs {
			ss += (x - s.MeanROC) * (x - s.MeanROC)
		}
		s.StdROC = math.Sqrt(ss / (n - 1))
	}
	s.WinRate = float64(wins) / n
	s.AvgDaysHeld = days / n
	return s
}

// Report returns the one-line summary of the wheels in trades, valued under
// stock P&L basis basis (StockFromAssignment or StockFromNetCost): complete
// and open wheels, the P&L of the complete ones by phase, their ROC and win
// rate. `sweep backtest` prints it after the metrics.
func Report(trades []sim.Trade, basis string) string {
	recs := RecordsBasis(trades, basis)
	ws := Summarize(recs)
	var csp, cc, stock float64
	for _, rc := range recs {
		if rc.Phase == "total" && rc.Closed != 0 {
			csp, cc, stock = csp+rc.CSPPnL, cc+rc.CCPnL, stock+rc.StockPnL
		}
	}
	return fmt.Sprintf("%d complete (%d open), P&L $%.2f (CSP $%.2f, CC $%.2f, stock $%.2f), ROC mean %.2f%% median %.2f%%, win rate %.1f%%",
		ws.Wheels, ws.Open, ws.TotalPnL, csp, cc, stock, 100*ws.MeanROC, 100*ws.MedianROC, 100*ws.WinRate)
}

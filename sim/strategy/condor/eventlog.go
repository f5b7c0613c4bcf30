package condor

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/optsweep/sweep/sim"
)

// LogLine is one line of the order/fill event log: an ORDER (what a strategy
// asked for, from its KindOrder notes) or a FILL (what the engine did, from
// the run's trade records). Prices are per share per unit, signed as the
// engine signs them: positive is paid, negative received, so an opening
// condor's limit and fill are minus its credit, and a positive slippage
// always costs money.
type LogLine struct {
	Event    string      `json:"event"`           // "ORDER" or "FILL"
	Time     *time.Time  `json:"ts,omitempty"`    // the decision time, when known
	Day      string      `json:"day"`             // YYYY-MM-DD
	Action   string      `json:"action"`          // ORDER: open, close, reduce; FILL: open, close, settle
	Position int64       `json:"position"`        // 0 for an unfilled open
	Trade    *int        `json:"trade,omitempty"` // FILL: the trade record
	Qty      int         `json:"qty"`             // units
	Legs     []LegRecord `json:"legs,omitempty"`
	Status   string      `json:"status,omitempty"` // ORDER: filled or rejected
	Limit    *float64    `json:"limit"`            // null when unknown
	Fill     *float64    `json:"fill,omitempty"`
	Slippage *float64    `json:"slippage,omitempty"` // fill − limit
	Reason   string      `json:"reason,omitempty"`
	Orders   int         `json:"orders,omitempty"` // closing FILL: the exit orders it stands for

	// A closing FILL carries its trade's totals, fees of both sides included.
	Gross     *float64 `json:"gross,omitempty"`
	TradeFees *float64 `json:"trade_fees,omitempty"`
	Net       *float64 `json:"net,omitempty"`

	day  int32 // sort keys
	seq  int
	late bool // no time: after every timed line of the day
}

type order struct {
	rec      OrderRecord
	day      int32
	rejected bool
	line     int // index of its ORDER line
	used     bool
}

// WriteEvents writes res's order/fill event log to w as JSON lines (see
// Events).
func WriteEvents(w io.Writer, res *sim.Result) error {
	lines, err := Events(res)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	for i := range lines {
		if err := enc.Encode(&lines[i]); err != nil {
			return fmt.Errorf("condor: writing event %d: %w", i, err)
		}
	}
	return nil
}

// Events returns res's order/fill event log in time order: an ORDER line per
// order record in the notes, marked rejected when the engine rejected it; a
// FILL line per trade opening; and a closing FILL line per closed trade.
//
// sim.Result keeps one exit price per trade (Trade.Exit, averaged over its
// exits by quantity), not one per fill, so the closing FILL of a trade closed
// in several orders (a red-line reduction, then the rest) stands for all of
// them: its fill is the average price and its limit the same average of the
// orders' limits, which makes its slippage their average slippage. Its limit
// is null when part of the trade settled at expiry, or when the strategy
// wrote no order records.
func Events(res *sim.Result) ([]LogLine, error) {
	orders, err := parseOrders(res)
	if err != nil {
		return nil, err
	}
	markRejected(orders, res.Events)
	var lines []LogLine
	for i := range orders {
		o := &orders[i]
		st := "filled"
		if o.rejected {
			st = "rejected"
		}
		t := o.rec.Time
		lim := o.rec.Limit
		o.line = len(lines)
		lines = append(lines, LogLine{Event: KindOrder, Time: &t, Day: sim.DayString(o.day), Action: o.rec.Action,
			Position: o.rec.Position, Qty: o.rec.Qty, Legs: o.rec.Legs, Status: st, Limit: &lim, Reason: o.rec.Reason,
			day: o.day, seq: len(lines)})
	}
	for i := range res.Trades {
		tr := &res.Trades[i]
		lines = append(lines, openFill(tr, orders, lines))
		if tr.Reason != "open" {
			lines = append(lines, closeFill(tr, orders, lines))
		}
	}
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := &lines[i], &lines[j]
		if a.day != b.day {
			return a.day < b.day
		}
		if a.late != b.late {
			return !a.late
		}
		if !a.late && !a.Time.Equal(*b.Time) {
			return a.Time.Before(*b.Time)
		}
		return a.seq < b.seq
	})
	return lines, nil
}

// parseOrders decodes the order records among res's notes.
func parseOrders(res *sim.Result) ([]order, error) {
	var out []order
	for _, n := range res.Notes {
		if n.Kind != KindOrder {
			continue
		}
		var r OrderRecord
		if err := json.Unmarshal([]byte(n.Text), &r); err != nil {
			return nil, fmt.Errorf("condor: %s order note %q: %w", sim.DayString(n.Day), n.Text, err)
		}
		out = append(out, order{rec: r, day: n.Day})
	}
	return out, nil
}

// markRejected marks the orders the engine rejected: a rejection event names
// the day, the position (0 for an open) and the order kind, and rejections
// of one day, position and kind take the orders of that key in turn.
func markRejected(orders []order, events []sim.BookEvent) {
	type key struct {
		day    int32
		pos    int64
		action string
	}
	count := map[key]int{}
	for _, ev := range events {
		if ev.Kind == sim.EventRejected {
			action, _, _ := strings.Cut(ev.Detail, " ")
			count[key{ev.Day, ev.Position, action}]++
		}
	}
	for i := range orders {
		k := key{orders[i].day, orders[i].rec.Position, orders[i].rec.Action}
		if count[k] > 0 {
			count[k]--
			orders[i].rejected = true
		}
	}
}

// sameLegs reports whether an open order record has trade tr's legs.
func sameLegs(r *OrderRecord, tr *sim.Trade) bool {
	if len(r.Legs) != len(tr.Legs) {
		return false
	}
	for k, l := range r.Legs {
		c := tr.Legs[k].Contract
		if l.Expiration != sim.DayString(c.Expiration) || l.PutCall != string(c.PutCall) || l.Strike != c.Strike ||
			l.AM != c.AM || l.Ratio*r.Qty != tr.Legs[k].Qty {
			return false
		}
	}
	return true
}

func ptr[T any](v T) *T { return &v }

// openFill returns tr's opening FILL, matched to the first unused filled
// open order of its day with its legs.
func openFill(tr *sim.Trade, orders []order, lines []LogLine) LogLine {
	l := LogLine{Event: "FILL", Day: sim.DayString(tr.Opened), Action: "open", Position: tr.Position, Trade: ptr(tr.ID),
		Qty: tr.Quantity, Fill: ptr(round(tr.Entry)), day: tr.Opened, seq: len(lines), late: true}
	for _, leg := range tr.Legs {
		l.Legs = append(l.Legs, LegRecord{Expiration: sim.DayString(leg.Contract.Expiration), PutCall: string(leg.Contract.PutCall),
			Strike: leg.Contract.Strike, AM: leg.Contract.AM, Ratio: leg.Qty / max(tr.Quantity, 1)})
	}
	for i := range orders {
		o := &orders[i]
		if o.used || o.rejected || o.rec.Action != sim.Open.String() || o.day != tr.Opened || !sameLegs(&o.rec, tr) {
			continue
		}
		o.used = true
		lines[o.line].Position = tr.Position
		t := o.rec.Time
		l.Time, l.late, l.seq = &t, false, o.line
		l.Limit, l.Slippage = ptr(o.rec.Limit), ptr(round(tr.Entry-o.rec.Limit))
		break
	}
	return l
}

// closeFill returns tr's closing FILL, standing for every filled close and
// reduce order on its position.
func closeFill(tr *sim.Trade, orders []order, lines []LogLine) LogLine {
	fill := -tr.Exit // Exit is what closing received; the fill is what it paid
	l := LogLine{Event: "FILL", Day: sim.DayString(tr.Closed), Action: "settle", Position: tr.Position, Trade: ptr(tr.ID),
		Qty: tr.Quantity, Fill: ptr(round(fill)), Reason: tr.Reason,
		Gross: ptr(round(tr.Gross)), TradeFees: ptr(round(tr.Fees)), Net: ptr(round(tr.Net())),
		day: tr.Closed, seq: len(lines), late: true}
	units, weighted := 0, 0.0
	var last *order
	for i := range orders {
		o := &orders[i]
		if o.rejected || o.rec.Position != tr.Position || o.rec.Action == sim.Open.String() {
			continue
		}
		units += o.rec.Qty
		weighted += float64(o.rec.Qty) * o.rec.Limit
		l.Orders++
		last = o
	}
	if last == nil {
		return l
	}
	l.Action = "close"
	if units == tr.Quantity && last.day == tr.Closed {
		t := last.rec.Time
		l.Time, l.late, l.seq = &t, false, last.line
		lim := weighted / float64(tr.Quantity)
		l.Limit, l.Slippage = ptr(round(lim)), ptr(round(fill-lim))
	}
	return l
}

// Summary is a run's trade statistics (the seed's summary command), over the
// closed trades in the order they closed.
type Summary struct {
	Trades      int     // closed trades
	Open        int     // trades still open at the end of the run
	Wins        int     // net P&L > 0
	Losses      int     // net P&L < 0
	WinRate     float64 // Wins / Trades; 0 without trades
	GrossPnL    float64 // dollars before fees
	Commissions float64 // dollars: commissions and fees
	NetPnL      float64 // GrossPnL − Commissions
	AvgPnL      float64 // NetPnL / Trades
	Best        float64 // the best trade's net P&L
	Worst       float64 // the worst trade's net P&L
	// MaxDrawdown is the largest fall, in dollars, of the cumulative net P&L
	// of the closed trades from its running peak (which starts at 0).
	MaxDrawdown float64
}

// Summarize computes the summary of res's trades.
func Summarize(res *sim.Result) Summary {
	idx := make([]int, 0, len(res.Trades))
	var s Summary
	for i := range res.Trades {
		if res.Trades[i].Reason == "open" {
			s.Open++
			continue
		}
		idx = append(idx, i)
	}
	sort.SliceStable(idx, func(a, b int) bool { return res.Trades[idx[a]].Closed < res.Trades[idx[b]].Closed })
	s.Best, s.Worst = math.Inf(-1), math.Inf(1)
	cum, peak := 0.0, 0.0
	for _, i := range idx {
		t := &res.Trades[i]
		net := t.Net()
		s.Trades++
		switch {
		case net > 0:
			s.Wins++
		case net < 0:
			s.Losses++
		}
		s.GrossPnL += t.Gross
		s.Commissions += t.Fees
		s.Best, s.Worst = max(s.Best, net), min(s.Worst, net)
		cum += net
		peak = max(peak, cum)
		s.MaxDrawdown = max(s.MaxDrawdown, peak-cum)
	}
	s.NetPnL = s.GrossPnL - s.Commissions
	if s.Trades == 0 {
		s.Best, s.Worst = 0, 0
		return s
	}
	s.WinRate = float64(s.Wins) / float64(s.Trades)
	s.AvgPnL = s.NetPnL / float64(s.Trades)
	return s
}

package condor

import (
	"encoding/json"
	"time"

	"github.com/optsweep/sweep/sim"
)

// KindOrder is the note kind of an order record: its text is an OrderRecord
// as JSON. WriteEvents pairs these records with the run's fills.
const KindOrder = "ORDER"

// Note kinds of the decision log besides KindOrder.
const (
	KindEntry    = "ENTRY"        // a condor is opened: strikes, deltas, credit
	KindExit     = "EXIT"         // a position is closed or reduced, with the reason
	KindSkip     = "SKIP"         // an entry was considered and not made, with the reason
	KindSpike    = "VIX_SPIKE"    // the monthly trigger fired
	KindBlocked  = "EXIT_BLOCKED" // an exit is due but a leg has no quote
	KindRejected = "REJECTED"     // the engine rejected an order of the previous step
)

// LegRecord is one leg of an OrderRecord.
type LegRecord struct {
	Expiration string  `json:"exp"`      // YYYY-MM-DD
	PutCall    string  `json:"put_call"` // "P" or "C"
	Strike     float64 `json:"strike"`   // points
	AM         bool    `json:"am"`       // AM-settled
	Ratio      int     `json:"ratio"`    // contracts per unit, negative sells
}

// OrderRecord is what a strategy of this package asked for, as written to
// the decision log (note kind KindOrder). Prices are per share per unit and
// signed as the engine signs them: positive is paid, negative received.
type OrderRecord struct {
	Time     time.Time   `json:"ts"`                 // the decision time
	Action   string      `json:"action"`             // open, close or reduce
	Position int64       `json:"position,omitempty"` // the position closed or reduced
	Qty      int         `json:"qty"`                // units (condors)
	Legs     []LegRecord `json:"legs"`
	Limit    float64     `json:"limit"` // the package mid at the decision time
	Reason   string      `json:"reason,omitempty"`
}

// legRecords converts order legs.
func legRecords(legs []sim.OrderLeg) []LegRecord {
	out := make([]LegRecord, len(legs))
	for k, l := range legs {
		c := l.Contract
		out[k] = LegRecord{Expiration: sim.DayString(c.Expiration), PutCall: string(c.PutCall), Strike: c.Strike, AM: c.AM, Ratio: l.Ratio}
	}
	return out
}

// noteOrder writes o's order record to the decision log; limit is the
// package mid per share per unit (signed: positive paid).
func noteOrder(book *sim.Book, symbol string, t time.Time, o *sim.Order, legs []sim.OrderLeg, qty int, limit float64) {
	r := OrderRecord{Time: t, Action: o.Kind.String(), Position: o.Position, Qty: qty,
		Legs: legRecords(legs), Limit: round(limit), Reason: o.Reason}
	b, err := json.Marshal(r)
	if err != nil {
		// Unreachable: the record holds only strings, numbers and a time.
		panic("condor: " + err.Error())
	}
	book.Note(symbol, KindOrder, string(b))
}

// round rounds x to 1e-6, so that records print without float noise.
func round(x float64) float64 {
	const q = 1e6
	if x < 0 {
		return -float64(int64(-x*q+0.5)) / q
	}
	return float64(int64(x*q+0.5)) / q
}

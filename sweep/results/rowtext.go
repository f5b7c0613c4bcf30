package results

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/optsweep/sweep/sim"
	"github.com/optsweep/sweep/sim/fill"
)

// LegsString formats a trade's legs for people, legs separated by "; ", each as
// signed contracts, contract and entry price per share: "-1 SPY 2024-03-15 P 480
// @1.04". A stock trade (no legs) reads "100 SPY shares @480.5".
func LegsString(tr *sim.Trade) string { return string(appendLegsString(nil, tr)) }

// appendLegsString appends LegsString(tr) to b.
func appendLegsString(b []byte, tr *sim.Trade) []byte {
	if len(tr.Legs) == 0 {
		if tr.Phase == "stock" {
			b = strconv.AppendInt(b, int64(tr.Quantity), 10)
			b = append(b, ' ')
			b = append(b, tr.Symbol...)
			b = append(b, " shares @"...)
			b = strconv.AppendFloat(b, tr.Entry, 'f', -1, 64)
		}
		return b
	}
	for i := range tr.Legs {
		l := &tr.Legs[i]
		if i > 0 {
			b = append(b, "; "...)
		}
		b = strconv.AppendInt(b, int64(l.Qty), 10)
		b = append(b, ' ')
		b = l.Contract.AppendTo(b)
		b = append(b, " @"...)
		b = strconv.AppendFloat(b, l.Price, 'f', -1, 64)
	}
	return b
}

// appendLegsJSON appends trades.legs_json of legs: a JSON array of objects
// with the keys underlying, expiration (YYYY-MM-DD), put_call ("P" or "C"),
// strike, qty (signed contracts) and price (entry price per share), in that
// order, NaN and infinite numbers as null: the text encoding/json writes for
// them (TestLegsJSONMatchesEncodingJSON).
func appendLegsJSON(b []byte, legs []sim.Leg) []byte {
	b = append(b, '[')
	for i := range legs {
		l := &legs[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"underlying":`...)
		b = appendJSONString(b, l.Contract.Underlying)
		b = append(b, `,"expiration":`...)
		b = append(b, '"') // a date needs no escaping
		b = sim.AppendDay(b, l.Contract.Expiration)
		b = append(b, '"')
		b = append(b, `,"put_call":`...)
		if pc := l.Contract.PutCall; pc == sim.Put || pc == sim.Call {
			b = append(b, '"', pc, '"') // no string made for the letter
		} else {
			b = appendJSONString(b, string(rune(pc)))
		}
		b = append(b, `,"strike":`...)
		b = appendJSONNumber(b, l.Contract.Strike)
		b = append(b, `,"qty":`...)
		b = strconv.AppendInt(b, int64(l.Qty), 10)
		b = append(b, `,"price":`...)
		b = appendJSONNumber(b, l.Price)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendDrawsJSON appends trades.draws: a JSON array of {"p", "u", "filled"}
// objects, as encoding/json writes them.
func appendDrawsJSON(b []byte, draws []fill.Draw) []byte {
	b = append(b, '[')
	for i := range draws {
		d := &draws[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"p":`...)
		b = appendJSONNumber(b, d.P)
		b = append(b, `,"u":`...)
		b = appendJSONNumber(b, d.U)
		b = append(b, `,"filled":`...)
		b = strconv.AppendBool(b, d.Filled)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendJSONNumber appends x as encoding/json writes a float64 (shortest
// text; exponent form below 1e-6 and from 1e21, with a one-digit negative
// exponent written e-7, not e-07), or null when x is NaN or infinite.
func appendJSONNumber(b []byte, x float64) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return append(b, "null"...)
	}
	format := byte('f')
	if a := math.Abs(x); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, x, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONString appends s as a JSON string, as encoding/json writes it:
// plain printable ASCII is copied; anything else goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string cannot fail
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func fmtFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

package sim

import (
	"time"
)

// Multiplier is the number of shares one equity or index option contract
// covers.
const Multiplier = 100

// Put and Call are the values of Contract.PutCall.
const (
	Put  byte = 'P'
	Call byte = 'C'
)

// Contract identifies one listed option.
type Contract struct {
	Underlying string
	Expiration int32   // expiry date, days since 1970-01-01
	PutCall    byte    // Put or Call
	Strike     float64 // dollars
	// AM marks an AM-settled contract (SPX monthlies): it settles on the
	// expiration morning's opening print and is a different contract from the
	// PM-settled one (SPXW) with the same expiration, right and strike.
	AM bool
}

// String formats c as "SPY 2024-03-15 P 480".
func (c Contract) String() string { return string(appendContract(make([]byte, 0, 32), c)) }

// AppendTo appends c as String formats it to b and returns the extended
// buffer.
func (c Contract) AppendTo(b []byte) []byte { return appendContract(b, c) }

// Intrinsic returns the contract's intrinsic value per share at underlying
// price s.
func (c Contract) Intrinsic(s float64) float64 {
	if c.PutCall == Call {
		return max(s-c.Strike, 0)
	}
	return max(c.Strike-s, 0)
}

// ITM reports whether the contract is in the money at underlying price s
// (strictly: at the strike it is out of the money).
func (c Contract) ITM(s float64) bool {
	if c.PutCall == Call {
		return s > c.Strike
	}
	return s < c.Strike
}

// DayTime returns day d (days since 1970-01-01) as UTC midnight.
func DayTime(d int32) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// DayOf returns the calendar date of t (in t's location) as days since
// 1970-01-01.
func DayOf(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// DayString formats day d as YYYY-MM-DD.
func DayString(d int32) string { return string(appendDay(make([]byte, 0, 10), d)) }

// AppendDay appends day d as DayString formats it to b and returns the
// extended buffer.
func AppendDay(b []byte, d int32) []byte { return appendDay(b, d) }

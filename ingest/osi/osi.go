// Package osi reads and writes OCC Options Symbology Initiative (OSI) option symbols,
// the 21-character form OPRA and Databento use as raw symbols:
//
//	AAPL  250221C00250000
//	└root┘└date┘│└strike┘
//
// The root is padded with spaces to six characters, the expiration date is YYMMDD,
// then 'C' or 'P', then the strike in thousandths of a dollar as eight digits
// ($250 is 00250000). The package also knows which index roots settle in the morning
// (AM) and which underlying a weekly or PM root belongs to.
package osi

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Len is the length of a padded OSI symbol.
const Len = 21

// maxRootLen is the longest root the format allows.
const maxRootLen = 6

// MaxStrike is the largest strike eight digits of thousandths can hold.
const MaxStrike = 99999.999

// Symbol is one option contract as named by its OSI symbol.
type Symbol struct {
	Root    string    // option root, 1 to 6 of A-Z and 0-9: "AAPL", "SPXW"
	Expiry  time.Time // expiration date at midnight UTC
	PutCall byte      // 'P' or 'C'
	Strike  float64   // in dollars, at most three decimals
}

// ErrSyntax is wrapped by every error Parse returns.
var ErrSyntax = errors.New("invalid OSI symbol")

// Format returns the 21-character OSI symbol of s, e.g. "AAPL  250221C00250000".
// The strike is rounded to the nearest thousandth. Format does not validate: a symbol
// that Validate rejects formats to a string that Parse rejects.
func Format(s Symbol) string {
	var b [Len + 8]byte
	return string(AppendFormat(b[:0], s))
}

// AppendFormat appends the OSI symbol of s to dst and returns the extended slice, for
// callers that format many symbols without allocating.
func AppendFormat(dst []byte, s Symbol) []byte {
	dst = append(dst, s.Root...)
	for i := len(s.Root); i < maxRootLen; i++ {
		dst = append(dst, ' ')
	}
	y, m, d := s.Expiry.Date()
	dst = appendDigits(dst, int64(y%100), 2)
	dst = appendDigits(dst, int64(m), 2)
	dst = appendDigits(dst, int64(d), 2)
	dst = append(dst, s.PutCall)
	return appendDigits(dst, int64(math.Round(s.Strike*1000)), 8)
}

// appendDigits appends v in decimal, zero-padded to width digits (more if needed).
func appendDigits(dst []byte, v int64, width int) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	var buf [20]byte
	i := len(buf)
	for v > 0 || i > len(buf)-width {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(dst, buf[i:]...)
}

// Validate reports why s cannot be written as an OSI symbol, or nil.
func (s Symbol) Validate() error {
	if err := validRoot(s.Root); err != nil {
		return err
	}
	if s.PutCall != 'P' && s.PutCall != 'C' {
		return fmt.Errorf("%w: put/call %q is neither 'P' nor 'C'", ErrSyntax, s.PutCall)
	}
	if y := s.Expiry.Year(); y < 2000 || y > 2099 {
		return fmt.Errorf("%w: expiry year %d outside 2000-2099", ErrSyntax, y)
	}
	if !(s.Strike >= 0 && math.Round(s.Strike*1000) <= MaxStrike*1000) {
		return fmt.Errorf("%w: strike %v outside 0 to %v", ErrSyntax, s.Strike, MaxStrike)
	}
	return nil
}

// String returns the OSI symbol of s.
func (s Symbol) String() string { return Format(s) }

func validRoot(root string) error {
	if root == "" {
		return fmt.Errorf("%w: empty root", ErrSyntax)
	}
	if len(root) > maxRootLen {
		return fmt.Errorf("%w: root %q longer than %d characters", ErrSyntax, root, maxRootLen)
	}
	for i := 0; i < len(root); i++ {
		c := root[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return fmt.Errorf("%w: root %q has character %q (want A-Z or 0-9)", ErrSyntax, root, c)
		}
	}
	return nil
}

// Parse reads an OSI symbol. The root may be padded with spaces to six characters
// ("AAPL  250221C00250000") or not ("AAPL250221C00250000"); surrounding spaces are
// ignored. Errors wrap ErrSyntax and say what is wrong.
func Parse(s string) (Symbol, error) {
	t := strings.TrimSpace(s)
	const tail = 6 + 1 + 8 // YYMMDD, C/P, strike
	if len(t) <= tail {
		return Symbol{}, fmt.Errorf("%w %q: %d characters is too short (want a root, YYMMDD, C or P and 8 strike digits)", ErrSyntax, s, len(t))
	}
	root := strings.TrimRight(t[:len(t)-tail], " ")
	if err := validRoot(root); err != nil {
		return Symbol{}, fmt.Errorf("%q: %w", s, err)
	}
	rest := t[len(t)-tail:]
	date, pc, strike := rest[:6], rest[6], rest[7:]
	if !allDigits(date) {
		return Symbol{}, fmt.Errorf("%w %q: expiration %q is not YYMMDD", ErrSyntax, s, date)
	}
	y := 2000 + atoi(date[:2])
	m, d := atoi(date[2:4]), atoi(date[4:6])
	exp := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || d < 1 || exp.Day() != d {
		return Symbol{}, fmt.Errorf("%w %q: expiration %q is not a calendar date", ErrSyntax, s, date)
	}
	if pc != 'P' && pc != 'C' {
		return Symbol{}, fmt.Errorf("%w %q: %q where 'C' or 'P' belongs", ErrSyntax, s, pc)
	}
	if !allDigits(strike) {
		return Symbol{}, fmt.Errorf("%w %q: strike %q is not 8 digits", ErrSyntax, s, strike)
	}
	return Symbol{Root: root, Expiry: exp, PutCall: pc, Strike: float64(atoi(strike)) / 1000}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi converts a string of at most 8 decimal digits, already checked.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// AMSettled reports whether options of root settle AM: on a special opening quotation
// of the index on the expiration morning, so they stop trading the day before. These
// are the standard monthly index roots (SPX, NDX, RUT, DJX, the MSCI indexes) and all
// VIX options. PM roots of the same indexes (SPXW, NDXP, RUTW, XSP, XND, ...) and every
// equity and ETF option settle on the close and report false.
func AMSettled(root string) bool {
	for _, r := range amRoots {
		if r == root {
			return true
		}
	}
	return false
}

var amRoots = [...]string{"SPX", "NDX", "RUT", "DJX", "VIX", "VIXW", "MXEA", "MXEF"}

// AMRoots returns the roots AMSettled reports true for.
func AMRoots() []string { return amRoots[:] }

// European reports whether options of root exercise European-style only: the
// cash-settled index roots, AM or PM (SPX, SPXW, XSP, NDX, NDXP, RUT, RUTW, DJX, VIX,
// ...). Equity and ETF options, and OEX, are American.
func European(root string) bool {
	switch root {
	case "SPX", "SPXW", "SPXPM", "SPXQ", "XSP", "NDX", "NDXP", "NDXW", "XND", "RUT", "RUTW", "RUTQ",
		"MRUT", "DJX", "DJXW", "VIX", "VIXW", "XEO", "MXEA", "MXEF":
		return true
	}
	return false
}

// Underlying returns the underlying symbol of an option root: the index for a weekly
// or PM-settled index root (SPXW → SPX, NDXP → NDX, RUTW → RUT, VIXW → VIX), and the
// root itself otherwise.
func Underlying(root string) string {
	switch root {
	case "SPXW", "SPXPM", "SPXQ":
		return "SPX"
	case "NDXP", "NDXW":
		return "NDX"
	case "RUTW", "RUTQ":
		return "RUT"
	case "VIXW":
		return "VIX"
	case "DJXW":
		return "DJX"
	}
	return root
}

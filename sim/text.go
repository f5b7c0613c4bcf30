package sim

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// The book's event texts and a strategy's notes are rendered without fmt's
// reflection, byte for byte as fmt renders them: strconv.AppendFloat with
// 'f' and a precision is fmt's %.Nf (NaN, ±Inf and -0 included).

// appendDay appends day d as YYYY-MM-DD, as time.DateOnly formats it.
func appendDay(b []byte, d int32) []byte {
	// Days to civil date (Howard Hinnant's algorithm), for years 1-9999, which
	// time.Format pads to four digits; other years take time's path.
	z := int64(d) + 719468
	era := z / 146097
	if z < 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	if y < 1 || y > 9999 {
		return DayTime(d).AppendFormat(b, time.DateOnly)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// appendContract appends c as Contract.String formats it.
func appendContract(b []byte, c Contract) []byte {
	b = append(b, c.Underlying...)
	b = append(b, ' ')
	b = appendDay(b, c.Expiration)
	b = append(b, ' ')
	b = utf8.AppendRune(b, rune(c.PutCall)) // fmt's %c
	b = append(b, ' ')
	b = strconv.AppendFloat(b, c.Strike, 'g', -1, 64) // fmt's %g
	if c.AM {
		b = append(b, " AM"...)
	}
	return b
}

// appendFixed appends v as fmt's %.{prec}f.
func appendFixed(b []byte, v float64, prec int) []byte {
	return strconv.AppendFloat(b, v, 'f', prec, 64)
}

// appendSigned appends n as fmt's %+d.
func appendSigned(b []byte, n int) []byte {
	if n >= 0 {
		b = append(b, '+')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

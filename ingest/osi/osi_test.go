package osi

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestFormatParse(t *testing.T) {
	tests := []struct {
		sym  Symbol
		want string
	}{
		{Symbol{"AAPL", date(2025, 2, 21), 'C', 250}, "AAPL  250221C00250000"},
		{Symbol{"SPXW", date(2024, 12, 31), 'P', 5875}, "SPXW  241231P05875000"},
		{Symbol{"SPY", date(2026, 1, 16), 'P', 412.5}, "SPY   260116P00412500"},
		{Symbol{"F", date(2030, 6, 21), 'C', 12.5}, "F     300621C00012500"},
		{Symbol{"BRKB", date(2025, 3, 21), 'C', 0.5}, "BRKB  250321C00000500"},
		{Symbol{"AAPL1", date(2025, 3, 21), 'C', 99999.999}, "AAPL1 250321C99999999"},
		{Symbol{"NDXP", date(2025, 3, 21), 'C', 21237.125}, "NDXP  250321C21237125"},
	}
	for _, tt := range tests {
		if err := tt.sym.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", tt.sym, err)
		}
		got := Format(tt.sym)
		if got != tt.want {
			t.Errorf("Format(%+v) = %q, want %q", tt.sym, got, tt.want)
		}
		if len(got) != Len {
			t.Errorf("Format(%+v) has %d characters", tt.sym, len(got))
		}
		for _, in := range []string{tt.want, strings.Replace(tt.want, " ", "", -1), " " + tt.want + "  "} {
			back, err := Parse(in)
			if err != nil {
				t.Errorf("Parse(%q): %v", in, err)
				continue
			}
			if back != tt.sym {
				t.Errorf("Parse(%q) = %+v, want %+v", in, back, tt.sym)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "too short"},
		{"250221C00250000", "too short"},
		{"AAPL  250221X00250000", "'C' or 'P'"},
		{"AAPL  251321C00250000", "not a calendar date"},
		{"AAPL  250230C00250000", "not a calendar date"},
		{"AAPL  250200C00250000", "not a calendar date"},
		{"AAPL  25022AC00250000", "not YYMMDD"},
		{"AAPL  250221C0025000X", "not 8 digits"},
		{"TOOLONGR250221C00250000", "longer than 6"},
		{"aapl  250221C00250000", "want A-Z or 0-9"},
		{"AA PL 250221C00250000", "want A-Z or 0-9"},
		{"AAPL  250221C-0250000", "not 8 digits"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q): no error", tt.in)
			continue
		}
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want an ErrSyntax saying %q", tt.in, err, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	bad := []Symbol{
		{"", date(2025, 1, 17), 'C', 10},
		{"ABCDEFG", date(2025, 1, 17), 'C', 10},
		{"AAPL", date(2025, 1, 17), 'X', 10},
		{"AAPL", date(1999, 1, 15), 'C', 10},
		{"AAPL", date(2025, 1, 17), 'C', -1},
		{"AAPL", date(2025, 1, 17), 'C', 100000},
	}
	for _, s := range bad {
		if err := s.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want an error", s)
		} else if _, perr := Parse(Format(s)); perr == nil && s.Expiry.Year() >= 2000 {
			t.Errorf("Parse(Format(%+v)) accepted an invalid symbol", s)
		}
	}
}

func TestSettlement(t *testing.T) {
	tests := []struct {
		root, underlying string
		am               bool
	}{
		{"SPX", "SPX", true},
		{"SPXW", "SPX", false},
		{"NDX", "NDX", true},
		{"NDXP", "NDX", false},
		{"RUT", "RUT", true},
		{"RUTW", "RUT", false},
		{"DJX", "DJX", true},
		{"VIX", "VIX", true},
		{"VIXW", "VIX", true},
		{"XSP", "XSP", false},
		{"SPY", "SPY", false},
		{"AAPL", "AAPL", false},
	}
	for _, tt := range tests {
		if got := AMSettled(tt.root); got != tt.am {
			t.Errorf("AMSettled(%q) = %v, want %v", tt.root, got, tt.am)
		}
		if got := Underlying(tt.root); got != tt.underlying {
			t.Errorf("Underlying(%q) = %q, want %q", tt.root, got, tt.underlying)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"AAPL  250221C00250000", "SPXW241231P05875000", "X     000101C00000000", "", "AAPL  2502"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sym, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("Parse(%q) error %v does not wrap ErrSyntax", s, err)
			}
			return
		}
		if err := sym.Validate(); err != nil {
			t.Fatalf("Parse(%q) = %+v, which does not validate: %v", s, sym, err)
		}
		again, err := Parse(Format(sym))
		if err != nil || again != sym {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", s, again, err, sym)
		}
	})
}

func BenchmarkAppendFormat(b *testing.B) {
	s := Symbol{"SPXW", date(2024, 12, 31), 'P', 5875}
	buf := make([]byte, 0, 32)
	for b.Loop() {
		buf = AppendFormat(buf[:0], s)
	}
}

func ExampleParse() {
	s, err := Parse("SPXW  241231P05875000")
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Root, Underlying(s.Root), s.Expiry.Format(time.DateOnly), string(s.PutCall), s.Strike, AMSettled(s.Root))
	fmt.Println(Format(Symbol{Root: "AAPL", Expiry: s.Expiry, PutCall: 'C', Strike: 250}))
	// Output:
	// SPXW SPX 2024-12-31 P 5875 false
	// AAPL  241231C00250000
}

func TestEuropean(t *testing.T) {
	for root, want := range map[string]bool{"SPX": true, "SPXW": true, "XSP": true, "NDXP": true, "RUTW": true,
		"VIX": true, "OEX": false, "SPY": false, "AAPL": false, "QQQ": false} {
		if got := European(root); got != want {
			t.Errorf("European(%q) = %v, want %v", root, got, want)
		}
	}
}

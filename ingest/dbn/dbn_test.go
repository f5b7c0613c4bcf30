package dbn

import (
	"math"
	"strings"
	"testing"
)

func TestFormatPrice(t *testing.T) {
	tests := []struct {
		p    int64
		want string
	}{
		{0, "0"},
		{4_225_000_000, "4.225"},
		{-500_000_000, "-0.5"},
		{100 * PriceScale, "100"},
		{1, "0.000000001"},
		{-1, "-0.000000001"},
		{250 * PriceScale, "250"},
		{123_456_789_012, "123.456789012"},
		{math.MaxInt64, "9223372036.854775807"},
		{math.MinInt64, "-9223372036.854775808"},
	}
	for _, tt := range tests {
		if got := FormatPrice(tt.p); got != tt.want {
			t.Errorf("FormatPrice(%d) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestPriceFloat(t *testing.T) {
	if !math.IsNaN(PriceFloat(UndefPrice)) {
		t.Errorf("PriceFloat(UndefPrice) is not NaN")
	}
	tests := []struct {
		p    int64
		want float64
	}{{4_225_000_000, 4.225}, {-500_000_000, -0.5}, {0, 0}, {1, 1e-9}}
	for _, tt := range tests {
		if got := PriceFloat(tt.p); got != tt.want {
			t.Errorf("PriceFloat(%d) = %v, want %v", tt.p, got, tt.want)
		}
	}
}

func TestSchemaNames(t *testing.T) {
	for s := Schema(0); s <= SchemaBbo1M; s++ {
		name := s.String()
		got, err := ParseSchema(name)
		if err != nil || got != s {
			t.Errorf("ParseSchema(%q) = %v, %v; want %v", name, got, err, s)
		}
		rt, ok := s.RType()
		if !ok || strings.HasPrefix(rt.String(), "rtype(") {
			t.Errorf("%s: rtype %v %v", s, rt, ok)
		}
	}
	tests := []struct {
		s    Schema
		want string
	}{
		{SchemaCbbo1M, "cbbo-1m"}, {SchemaDefinition, "definition"}, {SchemaOhlcvEod, "ohlcv-eod"},
		{SchemaTcbbo, "tcbbo"}, {SchemaMixed, "mixed"}, {Schema(77), "schema(77)"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("%d.String() = %q, want %q", uint16(tt.s), got, tt.want)
		}
	}
	if _, err := ParseSchema("ohlcv-2d"); err == nil {
		t.Error("ParseSchema accepted an unknown name")
	}
	if _, ok := SchemaMixed.RType(); ok {
		t.Error("SchemaMixed has an rtype")
	}
	if Schema(20).Valid() || !SchemaMixed.Valid() {
		t.Error("Schema.Valid wrong")
	}
}

func TestTypeNames(t *testing.T) {
	tests := []struct{ got, want string }{
		{RTypeCbbo1M.String(), "cbbo-1m"},
		{RTypeInstrumentDef.String(), "instrument-def"},
		{RTypeMbp0.String(), "mbp-0"},
		{RType(0x42).String(), "rtype(0x42)"},
		{STypeRawSymbol.String(), "raw_symbol"},
		{STypeInstrumentID.String(), "instrument_id"},
		{STypeNone.String(), "none"},
		{SType(40).String(), "stype(40)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

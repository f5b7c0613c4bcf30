package rowfmt

import (
	"bytes"
	"context"
	"database/sql"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

func TestFormatFloat(t *testing.T) {
	for _, tt := range []struct {
		x           float64
		short, full string
	}{
		{0, "0", "0"},
		{-7, "-7", "-7"},
		{1e15, "1e+15", "1000000000000000"},   // above the integer limit: 'g' short, 'f' full
		{1.23456789, "1.23457", "1.23456789"}, // 6th significant digit rounds up
		{0.30000000000000004, "0.3", "0.30000000000000004"},
		{123456.7, "123457", "123456.7"}, // rounds to 6 digits, no exponent below 1e6
		{-0.000123456, "-0.000123456", "-0.000123456"},
		{2.5e-7, "2.5e-07", "2.5e-07"}, // below 1e-6: exponent in full form too
		{1e22 + 0.5, "1e+22", "1e+22"}, // the .5 is lost in float64: whole, but above 1e15
	} {
		if got := formatFloat(tt.x, 64, true); got != tt.short {
			t.Errorf("formatFloat(%v, short) = %q, want %q", tt.x, got, tt.short)
		}
		if got := formatFloat(tt.x, 64, false); got != tt.full {
			t.Errorf("formatFloat(%v, full) = %q, want %q", tt.x, got, tt.full)
		}
	}
}

// TestValueText checks how each Go value the driver returns is written: in a
// table (short), a CSV field (full) and as JSON.
func TestValueText(t *testing.T) {
	ts := time.Date(2025, 1, 2, 3, 4, 5, 250_000_000, time.UTC)
	huge, _ := new(big.Int).SetString("170141183460469231731687303715884105727", 10)
	uuid := []byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}
	for _, tt := range []struct {
		name        string
		v           any
		typ         string
		short, full string
		json        string
	}{
		{"null", nil, "DOUBLE", "NULL", "", "null"},
		{"nan", math.NaN(), "DOUBLE", "NaN", "NaN", "null"},
		{"-inf", math.Inf(-1), "DOUBLE", "-Inf", "-Inf", "null"},
		{"whole float", 3.0, "DOUBLE", "3", "3", "3"},
		{"negative zero", math.Copysign(0, -1), "DOUBLE", "0", "0", "0"},
		{"float32", float32(0.1), "FLOAT", "0.1", "0.1", "0.1"},
		{"bigint", int64(42), "BIGINT", "42", "42", "42"},
		{"hugeint", huge, "HUGEINT", huge.String(), huge.String(), huge.String()},
		{"decimal", duckdb.Decimal{Width: 5, Scale: 2, Value: big.NewInt(1250)}, "DECIMAL(5,2)", "12.5", "12.5", "12.5"},
		{"bool", true, "BOOLEAN", "true", "true", "true"},
		{"date", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), "DATE", "2024-03-15", "2024-03-15", `"2024-03-15"`},
		{"timestamptz", ts, "TIMESTAMPTZ", "2025-01-02T03:04:05Z", "2025-01-02T03:04:05.25Z", `"2025-01-02T03:04:05.25Z"`},
		{"time", time.Date(1, 1, 1, 9, 30, 0, 0, time.UTC), "TIME", "09:30:00", "09:30:00", `"09:30:00"`},
		{"interval", duckdb.Interval{Months: 1, Days: 2, Micros: 1_500_000}, "INTERVAL", "1 month 2 days 00:00:01.5", "1 month 2 days 00:00:01.5", `"1 month 2 days 00:00:01.5"`},
		{"negative interval", duckdb.Interval{Micros: -90 * 60 * 1_000_000}, "INTERVAL", "-01:30:00", "-01:30:00", `"-01:30:00"`},
		{"zero interval", duckdb.Interval{}, "INTERVAL", "00:00:00", "00:00:00", `"00:00:00"`},
		{"uuid", uuid, "UUID", "12345678-9abc-def0-0123-456789abcdef", "12345678-9abc-def0-0123-456789abcdef", `"12345678-9abc-def0-0123-456789abcdef"`},
		{"blob", []byte("a\x00\\"), "BLOB", `a\x00\x5C`, `a\x00\x5C`, `"a\\x00\\x5C"`},
		{"list of dates", []any{time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), nil}, "DATE[]", "[2024-03-15, NULL]", "[2024-03-15, NULL]", `["2024-03-15",null]`},
		{"struct", map[string]any{"b": "x", "a": int32(1)}, "STRUCT(b VARCHAR, a INTEGER)", "{a: 1, b: x}", "{a: 1, b: x}", `{"a":1,"b":"x"}`},
		{"map", duckdb.Map{"k": 2.5, "j": nil}, "MAP(VARCHAR, DOUBLE)", "{j=NULL, k=2.5}", "{j=NULL, k=2.5}", `{"j":null,"k":2.5}`},
		{"union", duckdb.Union{Tag: "n", Value: int64(7)}, "UNION(n BIGINT)", "7", "7", "7"},
		{"json", map[string]any{"z": 1.0, "a": []any{1.0, 2.0}}, "JSON", `{"a":[1,2],"z":1}`, `{"a":[1,2],"z":1}`, `{"a":[1,2],"z":1}`},
		{"html stays", "<&>", "VARCHAR", "<&>", "<&>", `"<&>"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := valueText(tt.v, tt.typ, true); got != tt.short {
				t.Errorf("short = %q, want %q", got, tt.short)
			}
			if got := valueText(tt.v, tt.typ, false); got != tt.full {
				t.Errorf("full = %q, want %q", got, tt.full)
			}
			got, err := marshalJSON(jsonValue(tt.v, tt.typ))
			if err != nil || got != tt.json {
				t.Errorf("json = %q, %v; want %q", got, err, tt.json)
			}
		})
	}
}

func TestElemTypeAndCut(t *testing.T) {
	for _, tt := range []struct{ typ, elem string }{
		{"DATE[]", "DATE"}, {"DOUBLE[3]", "DOUBLE"}, {"VARCHAR[][]", "VARCHAR[]"}, {"VARCHAR", ""}, {"[]", ""},
	} {
		if got := elemType(tt.typ); got != tt.elem {
			t.Errorf("elemType(%q) = %q, want %q", tt.typ, got, tt.elem)
		}
	}
	for _, tt := range []struct {
		s     string
		width int
		want  string
	}{
		{"abcdef", 0, "abcdef"}, {"abcdef", 6, "abcdef"}, {"abcdef", 5, "abcd…"}, {"ééééé", 3, "éé…"},
	} {
		if got := cut(tt.s, tt.width); got != tt.want {
			t.Errorf("cut(%q, %d) = %q, want %q", tt.s, tt.width, got, tt.want)
		}
	}
}

// TestFormats writes one query's rows in each format, on an in-memory
// DuckDB.
func TestFormats(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const q = `SELECT * FROM (VALUES ('k1', 1.23456789, ['SPY']), ('k2', NULL, ['SPY', 'QQQ']), ('k3', 1/3, ['IWM'])) t(key, sharpe, symbols) ORDER BY key`
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer, *sql.Rows) error
		want  string
	}{
		{"table", func(b *bytes.Buffer, r *sql.Rows) error { return Table(b, r, 0, 0) }, "" +
			"key  sharpe    symbols\n" +
			"k1   1.23457   [SPY]\n" +
			"k2   NULL      [SPY, QQQ]\n" +
			"k3   0.333333  [IWM]\n" +
			"(3 rows)\n"},
		{"table cut", func(b *bytes.Buffer, r *sql.Rows) error { return Table(b, r, 1, 4) }, "" +
			"key  sharpe  symbols\n" +
			"k1   1.2…    [SP…\n" +
			"(showing 1 of 3 rows)\n"},
		{"csv", func(b *bytes.Buffer, r *sql.Rows) error { return CSV(b, r) }, "" +
			"key,sharpe,symbols\n" +
			"k1,1.23456789,[SPY]\n" +
			"k2,,\"[SPY, QQQ]\"\n" +
			"k3,0.3333333333333333,[IWM]\n"},
		{"json", func(b *bytes.Buffer, r *sql.Rows) error { return JSON(b, r) }, "[\n" +
			`  {"key": "k1", "sharpe": 1.23456789, "symbols": ["SPY"]},` + "\n" +
			`  {"key": "k2", "sharpe": null, "symbols": ["SPY","QQQ"]},` + "\n" +
			`  {"key": "k3", "sharpe": 0.3333333333333333, "symbols": ["IWM"]}` + "\n" +
			"]\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := db.QueryContext(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var b bytes.Buffer
			if err := tt.write(&b, rows); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), tt.want)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer, *sql.Rows) error
		want  string
	}{
		{"table", func(b *bytes.Buffer, r *sql.Rows) error { return Table(b, r, 10, 80) }, "v\n(0 rows)\n"},
		{"csv", func(b *bytes.Buffer, r *sql.Rows) error { return CSV(b, r) }, "v\n"},
		{"json", func(b *bytes.Buffer, r *sql.Rows) error { return JSON(b, r) }, "[]\n"},
	} {
		rows, err := db.Query(`SELECT 1 AS v WHERE false`)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := tt.write(&b, rows); err != nil || b.String() != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, b.String(), err, tt.want)
		}
		rows.Close()
	}
}

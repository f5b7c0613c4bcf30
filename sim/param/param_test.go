package param

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// deployTable maps VIX levels to the fraction of capital deployed, written
// "15:1,25:0.5". MarshalText has a value receiver.
type deployTable struct {
	Levels, Fracs []float64
}

func (d deployTable) MarshalText() ([]byte, error) {
	parts := make([]string, len(d.Levels))
	for i := range parts {
		parts[i] = strconv.FormatFloat(d.Levels[i], 'g', -1, 64) + ":" + strconv.FormatFloat(d.Fracs[i], 'g', -1, 64)
	}
	return []byte(strings.Join(parts, ",")), nil
}

func (d *deployTable) UnmarshalText(b []byte) error {
	var t deployTable
	for p := range strings.SplitSeq(string(b), ",") {
		l, f, ok := strings.Cut(p, ":")
		if !ok {
			return fmt.Errorf("bad table entry %q: want level:fraction", p)
		}
		lv, err1 := strconv.ParseFloat(l, 64)
		fv, err2 := strconv.ParseFloat(f, 64)
		if err := errors.Join(err1, err2); err != nil {
			return fmt.Errorf("bad table entry %q: %w", p, err)
		}
		t.Levels, t.Fracs = append(t.Levels, lv), append(t.Fracs, fv)
	}
	*d = t
	return nil
}

// side is an enum with pointer-receiver MarshalText, which fails for values
// other than buy (0) and sell (1).
type side uint8

func (s *side) MarshalText() ([]byte, error) {
	switch *s {
	case 0:
		return []byte("buy"), nil
	case 1:
		return []byte("sell"), nil
	}
	return nil, fmt.Errorf("bad side %d", uint8(*s))
}

func (s *side) UnmarshalText(b []byte) error {
	switch string(b) {
	case "buy":
		*s = 0
	case "sell":
		*s = 1
	default:
		return fmt.Errorf("unknown side %q", b)
	}
	return nil
}

// label has UnmarshalText but no MarshalText, so it cannot be a parameter.
type label string

func (l *label) UnmarshalText(b []byte) error { *l = label(b); return nil }

type labelParam struct {
	L label `param:"l"`
}

type pct float64

type exitRules struct {
	ProfitTarget float64 `param:"profit_target" help:"close at this share of the credit"`
	MinDTE       int     `param:"min_dte" help:"close at this many days to expiry"`
}

type Entry struct {
	Periods []int `param:"periods" help:"SMA periods"`
}

type common struct {
	Seed int64 `param:"seed" help:"random seed"`
}

type sample struct {
	common
	MinDailyReturn float64     `param:"min_daily_return" help:"smallest daily return to enter"`
	Width          float32     `param:"width" help:"wing width"`
	Qty            int         `param:"qty"`
	Small          int8        `param:"small" help:"an int8"`
	Hedge          bool        `param:"hedge" help:"buy a hedge"`
	Symbol         string      `param:"symbol" help:"underlying"`
	Deltas         []float64   `param:"deltas" help:"short deltas"`
	Tags           []string    `param:"tags" help:"labels"`
	Risk           pct         `param:"risk" help:"risk per trade"`
	Deploy         deployTable `param:"deploy" help:"VIX deployment table"`
	Side           side        `param:"side" help:"buy or sell"`
	Exit           exitRules
	Entry
	Skipped  int       `param:"-"`
	Internal exitRules `param:"-"` // not walked: its names would clash with Exit's
	Ptr      *exitRules
	note     string
}

func newSample() *sample {
	return &sample{
		common:         common{Seed: 7},
		MinDailyReturn: 0.0025,
		Width:          0.1,
		Qty:            2,
		Small:          -3,
		Hedge:          true,
		Symbol:         "SPY",
		Deltas:         []float64{0.16, 0.3},
		Risk:           0.02,
		Deploy:         deployTable{Levels: []float64{15, 25}, Fracs: []float64{1, 0.5}},
		Side:           1,
		Exit:           exitRules{ProfitTarget: 0.5, MinDTE: 21},
		Entry:          Entry{Periods: []int{8, 20, 50}},
	}
}

func TestList(t *testing.T) {
	want := []Field{
		{"seed", "int", "7", "random seed"},
		{"min_daily_return", "float", "0.0025", "smallest daily return to enter"},
		// float32(0.1) formatted with bitSize 32 is the shortest "0.1".
		{"width", "float", "0.1", "wing width"},
		{"qty", "int", "2", ""},
		{"small", "int", "-3", "an int8"},
		{"hedge", "bool", "true", "buy a hedge"},
		{"symbol", "string", "SPY", "underlying"},
		{"deltas", "[]float", "0.16,0.3", "short deltas"},
		{"tags", "[]string", "", "labels"}, // nil slice
		{"risk", "float", "0.02", "risk per trade"},
		{"deploy", "text", "15:1,25:0.5", "VIX deployment table"},
		{"side", "text", "sell", "buy or sell"},
		{"profit_target", "float", "0.5", "close at this share of the credit"},
		{"min_dte", "int", "21", "close at this many days to expiry"},
		{"periods", "[]int", "8,20,50", "SMA periods"},
	}
	got := List(newSample())
	if !reflect.DeepEqual(got, want) {
		t.Errorf("List:\n got %q\nwant %q", got, want)
	}
}

func TestSet(t *testing.T) {
	tests := []struct {
		name, value, want string // want is Get after Set
	}{
		{"seed", "-42", "-42"},
		{"min_daily_return", "1e-3", "0.001"},
		{"min_daily_return", " 0.5 ", "0.5"},
		{"min_daily_return", "inf", "+Inf"},
		{"min_daily_return", "-inf", "-Inf"},
		{"width", "0.25", "0.25"},
		{"qty", "10", "10"},
		{"small", "-128", "-128"}, // int8 minimum
		{"hedge", "false", "false"},
		{"hedge", "1", "true"},
		{"symbol", " QQQ ", " QQQ "}, // strings are taken as they are
		{"symbol", "", ""},
		{"deltas", "0.1, 0.2 ,0.35", "0.1,0.2,0.35"},
		{"deltas", "", ""},
		{"deltas", "  ", ""},
		{"tags", "a, b c", "a,b c"},
		{"risk", "0.01", "0.01"},
		{"deploy", "20:0.5,30:0", "20:0.5,30:0"},
		{"side", "buy", "buy"},
		{"deploy", "20:0.5", "20:0.5"},
		{"profit_target", "0.75", "0.75"},
		{"min_dte", "0", "0"},
		{"periods", "5", "5"},
	}
	for _, tt := range tests {
		cfg := newSample()
		if err := Set(cfg, tt.name, tt.value); err != nil {
			t.Errorf("Set(%s, %q): %v", tt.name, tt.value, err)
			continue
		}
		if got, ok := Get(cfg, tt.name); !ok || got != tt.want {
			t.Errorf("Set(%s, %q): Get = %q, %v; want %q", tt.name, tt.value, got, ok, tt.want)
		}
	}
}

func TestSetStoresValues(t *testing.T) {
	cfg := newSample()
	for _, kv := range [][2]string{
		{"seed", "9"}, {"width", "0.5"}, {"small", "127"}, {"tags", "x,y"},
		{"deploy", "10:2"}, {"side", "buy"}, {"min_dte", "3"},
		{"periods", "1,2"}, {"deltas", ""},
	} {
		if err := Set(cfg, kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	want := newSample()
	want.Seed = 9
	want.Width = 0.5
	want.Small = 127
	want.Tags = []string{"x", "y"}
	want.Deploy = deployTable{Levels: []float64{10}, Fracs: []float64{2}}
	want.Side = 0
	want.Exit.MinDTE = 3
	want.Periods = []int{1, 2}
	want.Deltas = []float64{}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("after Set:\n got %+v\nwant %+v", cfg, want)
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct {
		name, value, want string
	}{
		// "min_dailyreturn" → "min_daily_return" is one insertion.
		{"min_dailyreturn", "1", `unknown parameter "min_dailyreturn"; did you mean "min_daily_return"?`},
		// "sid": side is 1 insertion; seed is 2 (i→e, insert e); limit max(2, 3/3) = 2.
		{"sid", "1", `unknown parameter "sid"; did you mean "side" or "seed"?`},
		// "sede": side 1 (e→i); seed 2 (swap d,e as 2 substitutions); hedge 2
		// (s→h, insert g); seed is declared before hedge.
		{"sede", "1", `unknown parameter "sede"; did you mean "side", "seed" or "hedge"?`},
		{"zzzzzz", "1", `unknown parameter "zzzzzz"`},
		{"", "1", `unknown parameter ""`},
		{"min_dte", "abc", `parameter min_dte: "abc" is not an integer`},
		{"min_dte", "1.5", `parameter min_dte: "1.5" is not an integer`},
		{"min_dte", "0x10", `parameter min_dte: "0x10" is not an integer`},
		{"min_dte", "", `parameter min_dte: "" is not an integer`},
		{"small", "128", `parameter small: "128" is out of range for int8`},
		{"min_daily_return", "abc", `parameter min_daily_return: "abc" is not a number`},
		{"min_daily_return", "15%", `parameter min_daily_return: "15%" is not a number`},
		{"min_daily_return", "1e400", `parameter min_daily_return: "1e400" is out of range for float64`},
		// float32 max is about 3.4e38.
		{"width", "1e39", `parameter width: "1e39" is out of range for float32`},
		{"risk", "x", `parameter risk: "x" is not a number`},
		{"hedge", "yes", `parameter hedge: "yes" is not a boolean (want true or false)`},
		{"periods", "8,x,50", `parameter periods: element 2 of "8,x,50": "x" is not an integer`},
		{"periods", "8,,50", `parameter periods: element 2 of "8,,50": "" is not an integer`},
		{"deltas", "0.1,abc", `parameter deltas: element 2 of "0.1,abc": "abc" is not a number`},
		{"side", "hold", `parameter side: unknown side "hold"`},
		{"deploy", "20", `parameter deploy: bad table entry "20": want level:fraction`},
	}
	for _, tt := range tests {
		cfg := newSample()
		err := Set(cfg, tt.name, tt.value)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Set(%q, %q) = %v; want %s", tt.name, tt.value, err, tt.want)
		}
		if !reflect.DeepEqual(cfg, newSample()) {
			t.Errorf("Set(%q, %q) changed the config on error", tt.name, tt.value)
		}
		var ue *UnknownError
		var ve *ValueError
		switch {
		case strings.HasPrefix(tt.want, "unknown"):
			if !errors.Is(err, ErrUnknown) || !errors.As(err, &ue) || ue.Name != tt.name {
				t.Errorf("Set(%q): %#v is not an UnknownError for the name", tt.name, err)
			}
		case !errors.As(err, &ve) || ve.Name != tt.name || ve.Value != tt.value || errors.Is(err, ErrUnknown):
			t.Errorf("Set(%q, %q): %#v is not a ValueError for the name", tt.name, tt.value, err)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	cfg := newSample()
	cfg.MinDailyReturn = math.Inf(1)
	cfg.Width = float32(1) / 3
	cfg.Risk = pct(math.Pi)
	want := Values(cfg)
	for _, f := range List(cfg) {
		if err := Set(cfg, f.Name, f.Default); err != nil {
			t.Errorf("Set(%s, %q): %v", f.Name, f.Default, err)
		}
	}
	if got := Values(cfg); !reflect.DeepEqual(got, want) {
		t.Errorf("after setting every default: Values = %v; want %v", got, want)
	}
	if cfg.Width != float32(1)/3 || cfg.Risk != pct(math.Pi) {
		t.Errorf("floats lost precision: width %v, risk %v", cfg.Width, cfg.Risk)
	}
}

func TestValues(t *testing.T) {
	want := map[string]string{
		"seed": "7", "min_daily_return": "0.0025", "width": "0.1", "qty": "2",
		"small": "-3", "hedge": "true", "symbol": "SPY", "deltas": "0.16,0.3",
		"tags": "", "risk": "0.02", "deploy": "15:1,25:0.5", "side": "sell",
		"profit_target": "0.5", "min_dte": "21", "periods": "8,20,50",
	}
	if got := Values(newSample()); !reflect.DeepEqual(got, want) {
		t.Errorf("Values:\n got %v\nwant %v", got, want)
	}
}

func TestGet(t *testing.T) {
	cfg := newSample()
	for _, tt := range []struct {
		name, want string
		ok         bool
	}{
		{"min_dte", "21", true},
		{"periods", "8,20,50", true},
		{"Skipped", "", false},
		{"profit", "", false},
	} {
		if got, ok := Get(cfg, tt.name); got != tt.want || ok != tt.ok {
			t.Errorf("Get(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	cfg.Side = 5
	if got, _ := Get(cfg, "side"); got != "%!(MarshalText: bad side 5)" {
		t.Errorf("Get(side) with a bad value = %q", got)
	}
}

func TestSetAll(t *testing.T) {
	cfg := newSample()
	if err := SetAll(cfg, map[string]string{"qty": "3", "min_dte": "4", "tags": "a"}); err != nil {
		t.Fatal(err)
	}
	if cfg.Qty != 3 || cfg.Exit.MinDTE != 4 || !reflect.DeepEqual(cfg.Tags, []string{"a"}) {
		t.Errorf("SetAll: qty %d, min_dte %d, tags %q", cfg.Qty, cfg.Exit.MinDTE, cfg.Tags)
	}

	// Sorted order is hedge, min_dte, qty, zz: hedge is set, min_dte fails,
	// qty and zz are not reached.
	cfg = newSample()
	err := SetAll(cfg, map[string]string{"zz": "1", "qty": "9", "min_dte": "x", "hedge": "false"})
	var ve *ValueError
	if !errors.As(err, &ve) || ve.Name != "min_dte" || err.Error() != `parameter min_dte: "x" is not an integer` {
		t.Errorf("SetAll error = %v; want the min_dte error", err)
	}
	if cfg.Hedge || cfg.Qty != 2 {
		t.Errorf("SetAll: hedge %v (want false), qty %d (want 2)", cfg.Hedge, cfg.Qty)
	}

	err = SetAll(newSample(), map[string]string{"zz": "1", "qty": "9"})
	if err == nil || err.Error() != `unknown parameter "zz"` {
		t.Errorf("SetAll error = %v; want unknown zz", err)
	}
}

func TestParseAssignment(t *testing.T) {
	tests := []struct {
		in, name, value, err string
	}{
		{"min_dte=21", "min_dte", "21", ""},
		{"label=a=b", "label", "a=b", ""},
		{" qty = 3 ", "qty", "3", ""},
		{"symbol=", "symbol", "", ""},
		{"min_dte", "", "", `param: bad assignment "min_dte": want name=value`},
		{"=5", "", "", `param: bad assignment "=5": empty parameter name`},
		{"", "", "", `param: bad assignment "": want name=value`},
	}
	for _, tt := range tests {
		name, value, err := ParseAssignment(tt.in)
		var msg string
		if err != nil {
			msg = err.Error()
		}
		if name != tt.name || value != tt.value || msg != tt.err {
			t.Errorf("ParseAssignment(%q) = %q, %q, %q; want %q, %q, %q", tt.in, name, value, msg, tt.name, tt.value, tt.err)
		}
	}
}

type dupConfig struct {
	MinDTE int `param:"min_dte"`
	Exit   exitRules
}

type dupEmbedded struct {
	common
	Inner struct{ common }
}

type emptyTag struct {
	X int `param:""`
}

type unexportedTag struct {
	x int `param:"x"`
}

type mapParam struct {
	M map[string]int `param:"m"`
}

type uintParam struct {
	U uint `param:"u"`
}

type boolsParam struct {
	B []bool `param:"b"`
}

type sidesParam struct {
	S []side `param:"s"`
}

func TestPanics(t *testing.T) {
	var nilPtr *sample
	n := 3
	tests := []struct {
		cfg  any
		want string
	}{
		{&dupConfig{}, `param: *param.dupConfig: duplicate parameter name "min_dte" (fields MinDTE and Exit.MinDTE)`},
		{&dupEmbedded{}, `param: *param.dupEmbedded: duplicate parameter name "seed" (fields common.Seed and Inner.common.Seed)`},
		{&emptyTag{}, `param: *param.emptyTag: field X has an empty param tag`},
		{&unexportedTag{}, `param: *param.unexportedTag: field x (param "x") is unexported`},
		{&labelParam{}, `param: *param.labelParam: field L (param "l") has type param.label, which implements encoding.TextUnmarshaler but not encoding.TextMarshaler`},
		{&mapParam{}, `param: *param.mapParam: field M (param "m") has unsupported type map[string]int`},
		{&uintParam{}, `param: *param.uintParam: field U (param "u") has unsupported type uint`},
		{&boolsParam{}, `param: *param.boolsParam: field B (param "b") has unsupported type []bool`},
		{&sidesParam{}, `param: *param.sidesParam: field S (param "s") has unsupported type []param.side`},
		{sample{}, `param: config must be a non-nil pointer to a struct, not param.sample`},
		{nilPtr, `param: config must be a non-nil pointer to a struct, not *param.sample`},
		{&n, `param: config must be a non-nil pointer to a struct, not *int`},
		{nil, `param: config must be a non-nil pointer to a struct, not <nil>`},
	}
	calls := map[string]func(any){
		"List":   func(c any) { List(c) },
		"Set":    func(c any) { Set(c, "x", "1") },
		"Get":    func(c any) { Get(c, "x") },
		"Values": func(c any) { Values(c) },
		"SetAll": func(c any) { SetAll(c, map[string]string{"x": "1"}) },
	}
	for _, tt := range tests {
		for fn, call := range calls {
			got := catch(func() { call(tt.cfg) })
			if got != tt.want {
				t.Errorf("%s(%T) panic = %q; want %q", fn, tt.cfg, got, tt.want)
			}
		}
	}
}

// catch runs f and returns the message it panics with, or "" if it returns.
func catch(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

func TestSuggest(t *testing.T) {
	names := []string{"ab1", "ab22", "ab3", "ab4", "xyz"}
	// "ab": ab1, ab3, ab4 are 1 insertion away, ab22 is 2; at most three, ties
	// in list order.
	if got, want := suggest("ab", names), []string{"ab1", "ab3", "ab4"}; !reflect.DeepEqual(got, want) {
		t.Errorf("suggest(ab) = %q; want %q", got, want)
	}
	if got := suggest("qqqq", names); got != nil {
		t.Errorf("suggest(qqqq) = %q; want none", got)
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "ab", 2},
		{"abc", "abc", 0},
		{"kitten", "sitting", 3}, // k→s, e→i, insert g
		{"ab", "ba", 2},          // two substitutions
		{"min_dailyreturn", "min_daily_return", 1},
		{"héllo", "hello", 1}, // counts runes, not bytes
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
		if got := editDistance(tt.b, tt.a); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d; want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

// An array of structs tagged name[] gives parameters name[i].field.
func TestArrayOfStructs(t *testing.T) {
	type leg struct {
		Delta float64 `param:"delta" help:"target"`
		Side  string  `param:"side"`
	}
	type cfg struct {
		Legs  [2]leg `param:"legs[]"`
		Count int    `param:"count"`
	}
	var c cfg
	if err := Set(&c, "legs[1].delta", "0.25"); err != nil {
		t.Fatal(err)
	}
	if c.Legs[1].Delta != 0.25 || c.Legs[0].Delta != 0 {
		t.Errorf("set %+v", c)
	}
	var names []string
	for _, f := range List(&c) {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); got != "legs[0].delta legs[0].side legs[1].delta legs[1].side count" {
		t.Errorf("names %q", got)
	}
	if err := Set(&c, "legs[2].delta", "1"); !errors.Is(err, ErrUnknown) {
		t.Errorf("legs[2]: %v", err)
	}
}

func TestTypes(t *testing.T) {
	cfg := newSample()
	got := Types(cfg, nil)
	for _, f := range List(cfg) {
		if got[f.Name] != f.Type {
			t.Errorf("Types[%q] = %q, List says %q", f.Name, got[f.Name], f.Type)
		}
	}
	if len(got) != len(List(cfg)) {
		t.Errorf("Types has %d names, List %d", len(got), len(List(cfg)))
	}
}

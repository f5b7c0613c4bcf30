package grid

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mustRead reads a file or fails the test.
func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// wantError checks that err is an Errors holding a problem at line whose
// text contains msg.
func wantError(t *testing.T, err error, line int, msg string) {
	t.Helper()
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v (%T), want an Errors", err, err)
	}
	for _, e := range es {
		if e.Line == line && strings.Contains(e.Error(), msg) {
			return
		}
	}
	t.Errorf("no error at line %d containing %q; got:\n%v", line, msg, err)
}

func TestBadFiles(t *testing.T) {
	tests := []struct {
		file string
		line int
		msg  string
	}{
		{"bad_param_name.yaml", 10, `bad_param_name.yaml:10: params.delta_mn: unknown parameter "delta_mn" for strategy wheel (did you mean delta_min?)`},
		{"bad_value.yaml", 11, `params.dte_min[1]: value "thirty-five": parameter dte_min: "thirty-five" is not an integer`},
		{"bad_range.yaml", 9, "params.delta_min: step 0: must be positive"},
		{"bad_dates.yaml", 9, "dates.windows[1].to: 2024-01-02 is before from 2024-06-03"},
		{"bad_walkforward.yaml", 11, `dates.walk_forward.metric: unknown metric "sharp" (did you mean sharpe?)`},
		{"bad_zip.yaml", 10, "params.zip[1]: zip lists must have equal lengths: dte_min has 3, dte_max has 2"},
		{"bad_twice.yaml", 12, "params.contracts: parameter contracts is set twice: here and at line 6 (strategy.settings.contracts)"},
		{"bad_unknown_key.yaml", 5, `strategy.setings: unknown key "setings" (did you mean settings?)`},
		{"bad_semantic.yaml", 10, `params.exit_pct[1]: value "1.5": wheel: exit_pct 1.5`},
		{"bad_empty.yaml", 4, "symbols: empty list: an empty axis means an empty grid"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "testdata", tt.file)
			_, err := Load(path)
			wantError(t, err, tt.line, tt.msg)
			// One mistake, one problem.
			if es := err.(Errors); len(es) != 1 {
				t.Errorf("%d problems, want 1:\n%v", len(es), err)
			}
			if !strings.HasPrefix(err.Error(), path+":") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

// dates2023 is a valid dates section for the cases below.
const dates2023 = "dates: {from: 2023-01-03, to: 2023-06-30}\n"

func TestErrors(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		msg        string
	}{
		// Structure.
		{"empty file", "", 0, "the file is empty"},
		{"syntax", "name: t\nstrategy: wheel\nsymbols: SPY\n  dates: 2\n", 4, "YAML syntax: mapping values are not allowed in this context"},
		{"two documents", head + "---\nname: u\n", 5, "more than one YAML document"},
		{"not a mapping", "- a\n- b\n", 1, "want a mapping of keys"},
		{"unknown top key", "name: t\nstrategy: wheel\nsymbol: [SPY]\n" + dates2023, 3, `symbol: unknown key "symbol" (did you mean symbols?)`},
		{"unknown key, no suggestion", head + "colour: red\n", 5, `unknown key "colour" (known keys: name, data, out`},
		{"repeated key", head + "name: u\n", 5, "name: key repeated (first at line 1)"},
		{"missing name", "strategy: wheel\nsymbols: [SPY]\n" + dates2023, 1, "name: missing (required)"},
		{"missing dates", "name: t\nstrategy: wheel\nsymbols: [SPY]\n", 1, "dates: missing (required)"},
		{"missing strategy name", "name: t\nstrategy: {settings: {contracts: 1}}\nsymbols: [SPY]\n" + dates2023, 2, "strategy.name: missing (required)"},
		{"bad name", "name: my grid\nstrategy: wheel\nsymbols: [SPY]\n" + dates2023, 1, `name: "my grid": want letters`},
		{"dot-dot name", "name: ..\nstrategy: wheel\nsymbols: [SPY]\n" + dates2023, 1, `name: "..": want letters`},
		{"empty data", head + "data: ''\n", 5, "data: empty path"},
		// Types.
		{"map for a list", "name: t\nstrategy: wheel\nsymbols: {SPY: 1}\n" + dates2023, 3, "symbols: want a list of symbol sets, not a mapping"},
		{"list for a scalar", "name: [t]\nstrategy: wheel\nsymbols: [SPY]\n" + dates2023, 1, "name: want a single value, not a list"},
		{"list in settings", "name: t\nstrategy:\n  name: wheel\n  settings:\n    contracts: [1, 2]\nsymbols: [SPY]\n" + dates2023, 5,
			"strategy.settings.contracts: want a single value, not a list (settings are fixed; vary a parameter under params)"},
		{"null param", head + "params:\n  exit_pct:\n", 6, "params.exit_pct: want a single value, not nothing"},
		{"seeds scalar", head + "seeds: 3\n", 5, "seeds: want a list of seeds"},
		{"map in a list", head + "params:\n  exit_pct: [0.5, {a: 1}]\n", 6, "params.exit_pct[1]: want a single value, not a mapping"},
		// Symbols.
		{"bad symbol", "name: t\nstrategy: wheel\nsymbols: [\"SP Y\"]\n" + dates2023, 3, `symbols[0]: bad symbol "SP Y"`},
		{"empty symbol", "name: t\nstrategy: wheel\nsymbols: [\"SPY,\"]\n" + dates2023, 3, `symbols[0]: bad symbol ""`},
		{"repeated symbol", "name: t\nstrategy: wheel\nsymbols: [[SPY, spy]]\n" + dates2023, 3, "symbol SPY repeated in the set"},
		{"repeated set", "name: t\nstrategy: wheel\nsymbols:\n  - AAPL,SPY\n  - [spy, aapl]\n" + dates2023, 5, "symbol set AAPL,SPY repeated (first at line 4)"},
		// Empty axes and sizes.
		{"empty params list", head + "params:\n  delta_min: []\n", 6, "params.delta_min: empty list: an empty axis means an empty grid"},
		{"empty windows", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates: {windows: []}\n", 4, "dates.windows: empty list"},
		{"empty zip group", head + "params:\n  zip:\n    - {}\n", 7, "params.zip[0]: empty zip group"},
		{"too many cells", "name: t\nstrategy: wheel\nsymbols: [A, B, C, D, E, F, G, H, I, J, K]\n" + dates2023 + "seeds: {from: 1, to: 100000, step: 1}\n", 1,
			// 11 sets × 1 window × 100000 seeds = 1,100,000 cells.
			"the grid has more than 1000000 cells (11 symbol sets × 1 windows × [100000] axis values)"},
		// Ranges.
		{"range step 0", head + "params:\n  dte_min: {from: 20, to: 40, step: 0}\n", 6, "params.dte_min: step 0: must be positive"},
		{"range to < from", head + "params:\n  dte_min: {from: 40, to: 20, step: 5}\n", 6, "params.dte_min: to 20 is below from 40"},
		{"range too long", head + "params:\n  delta_min:\n    from: 0\n    to: 0.3\n    step: 0.000001\n", 6, "params.delta_min: the range gives more than 100000 values"},
		{"range not numeric", head + "params:\n  dte_min: {from: twenty, to: 40, step: 5}\n", 6, `params.dte_min: from "twenty" is not a number`},
		{"range missing step", head + "params:\n  dte_min: {from: 20, to: 40}\n", 6, "params.dte_min.step: missing (a range needs from, to and step)"},
		{"range unknown key", head + "params:\n  dte_min: {from: 20, to: 40, stp: 5}\n", 6, `params.dte_min.stp: unknown key "stp" (did you mean step?)`},
		{"repeated list value", head + "params:\n  dte_min: [30, 35, 30]\n", 6, `params.dte_min[2]: value "30" repeated (also item 0)`},
		// Dates.
		{"bad date", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates:\n  from: 2023/01/03\n  to: 2023-06-30\n", 5, `dates.from: "2023/01/03": want a date YYYY-MM-DD`},
		{"impossible date", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates: {from: 2023-02-30, to: 2023-06-30}\n", 4, `dates.from: "2023-02-30": want a date`},
		{"to before from", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates:\n  from: 2023-06-30\n  to: 2023-01-03\n", 6, "dates.to: 2023-01-03 is before from 2023-06-30"},
		{"missing to", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates:\n  from: 2023-06-30\n", 5, "dates.to: missing (required)"},
		{"two date forms", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates:\n  from: 2023-01-03\n  to: 2023-06-30\n  windows: [{from: 2023-01-03, to: 2023-06-30}]\n", 5,
			"dates: use only one of from/to, windows and walk_forward"},
		{"no date form", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates: {}\n", 4, "dates: want from and to, windows, or walk_forward"},
		{"repeated window", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates:\n  windows:\n    - {from: 2023-01-03, to: 2023-06-30}\n    - {from: 2023-01-03, to: 2023-06-30}\n", 7,
			"dates.windows[1]: window 2023-01-03..2023-06-30 repeated (first at line 6)"},
		// Walk-forward.
		{"no complete train window", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates:\n  walk_forward:\n    from: 2023-01-01\n    to: 2023-12-31\n    train: 1y\n    test: 3m\n    metric: sharpe\n", 8,
			// 2023-01-01 + 1y = 2024-01-01: the train window is the whole span; no test day left.
			"dates.walk_forward.train: no complete train window: 1y from 2023-01-01 runs to 2023-12-31"},
		{"bad period", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates:\n  walk_forward:\n    from: 2023-01-01\n    to: 2023-12-31\n    train: 6 months\n    test: 3m\n    metric: sharpe\n", 8,
			`dates.walk_forward.train: "6 months": want a period Nd, Nw, Nm or Ny`},
		{"bad goal", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates:\n  walk_forward:\n    from: 2023-01-01\n    to: 2023-12-31\n    train: 6m\n    test: 3m\n    metric: sharpe\n    goal: maximum\n", 11,
			`dates.walk_forward.goal: "maximum": want max or min`},
		{"missing metric", "name: t\nstrategy: wheel\nsymbols: [SPY]\ndates:\n  walk_forward: {from: 2023-01-01, to: 2023-12-31, train: 6m, test: 3m}\n", 5,
			"dates.walk_forward.metric: missing (required)"},
		// Strategy and parameters.
		{"unknown strategy", "name: t\nstrategy: wheell\nsymbols: [SPY]\n" + dates2023, 2, `(did you mean wheel?)`},
		{"unknown setting", "name: t\nstrategy:\n  name: wheel\n  settings:\n    contract: 1\n" + "symbols: [SPY]\n" + dates2023, 5,
			`strategy.settings.contract: unknown parameter "contract" for strategy wheel (did you mean contracts?)`},
		{"unknown execution parameter", head + "execution:\n  fill_mod: [realistic]\n", 6,
			`execution.fill_mod: unknown parameter "fill_mod" for strategy wheel (did you mean fill_mode?)`},
		{"bad execution value", head + "execution:\n  fill_mode:\n    - realistic\n    - bogus\n", 8, `execution.fill_mode[1]: value "bogus"`},
		{"bad setting value", "name: t\nstrategy:\n  name: wheel\n  settings:\n    contracts: 0\n" + "symbols: [SPY]\n" + dates2023, 5,
			`strategy.settings.contracts: value "0": wheel: contracts 0: need >= 1`},
		{"settings rejected together", "name: t\nstrategy:\n  name: wheel\n  settings:\n    delta_min: 0.3\n    delta_max: 0.2\n" + "symbols: [SPY]\n" + dates2023, 6,
			// Without delta_min, delta_max 0.2 is below the default delta_min
			// 0.25 and still fails; without delta_max, delta_min 0.3 <= 0.35
			// builds, so delta_max takes the blame.
			`strategy.settings.delta_max: value "0.2": wheel: delta_min 0.3 and delta_max 0.2: need 0 <= min <= max <= 1`},
		{"bad range value", head + "params:\n  dte_min: {from: 40, to: 50, step: 5}\n", 6,
			// 50 > dte_max's default 45, and no other axis rescues it.
			`params.dte_min: value "50" of the range: wheel: dte_min 50 and dte_max 45`},
		{"bad zip element", head + "params:\n  zip:\n    - stop_loss_multiplier: [2, 3]\n      cc_exit_pct:\n        - 0.5\n        - 1.5\n", 10,
			`params.zip[0].cc_exit_pct[1]: value "1.5": wheel: cc_exit_pct 1.5`},
		{"bad seed", head + "seeds: [1, x]\n", 5, `seeds[1]: value "x": parameter execution_seed: "x" is not an integer`},
		{"bad model", head + "model: {rate: abc}\n", 5, `model.rate: "abc" is not a number`},
		{"bad american", head + "model: {american: yes}\n", 5, `model.american: "yes": want true or false`},
		{"negative dividend", head + "model: {dividend: -0.01}\n", 5, "model.dividend: dividend yield -0.01 is negative"},
		// Parameters set twice.
		{"twice: two zip groups", head + "params:\n  zip:\n    - {dte_min: [20, 30], dte_max: [30, 40]}\n    - {dte_min: [25, 35], delta_min: [0.2, 0.3]}\n", 8,
			"params.zip[1].dte_min: parameter dte_min is set twice: here and at line 7 (params.zip[0].dte_min)"},
		{"twice: seeds and execution_seed", head + "execution:\n  execution_seed: 3\nseeds: [1, 2]\n", 7,
			"seeds: parameter execution_seed is set twice: here and at line 6 (execution.execution_seed)"},
		{"twice: params and execution", head + "params:\n  fill_mode: [realistic]\nexecution:\n  fill_mode: pessimistic\n", 8,
			"execution.fill_mode: parameter fill_mode is set twice: here and at line 6 (params.fill_mode)"},
		{"zip scalar", head + "params:\n  zip:\n    - {dte_min: 20, dte_max: [30]}\n", 7, "params.zip[0].dte_min: want a list or a range in a zip group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Parse("grid.yaml", []byte(tt.text))
			if g != nil {
				t.Fatalf("no error; want line %d %q", tt.line, tt.msg)
			}
			wantError(t, err, tt.line, tt.msg)
		})
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: "g.yaml", Line: 3, Path: "params.x", Msg: "bad"}
	if got := e.Error(); got != "g.yaml:3: params.x: bad" {
		t.Errorf("got %q", got)
	}
	e = &Error{File: "g.yaml", Msg: "bad"}
	if got := e.Error(); got != "g.yaml: bad" {
		t.Errorf("got %q", got)
	}
	var es Errors
	for range 25 {
		es = append(es, e)
	}
	lines := strings.Split(es.Error(), "\n")
	if len(lines) != 21 || lines[20] != "(and 5 more problems)" {
		t.Errorf("25 problems: %d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

func TestAxisErrorCap(t *testing.T) {
	// dte_min 46..60 are 15 values above dte_max's default 45: 10 are
	// listed, then a line for the other 5.
	_, err := Parse("grid.yaml", []byte(head+"params:\n  dte_min: {from: 46, to: 60, step: 1}\n"))
	es, _ := err.(Errors)
	if len(es) != 11 || !strings.Contains(es[10].Msg, "5 more values rejected") {
		t.Errorf("got %d problems:\n%v", len(es), err)
	}
}

func TestAxisCheckStops(t *testing.T) {
	// dte_min 46..1000 is 1000 − 46 + 1 = 955 values, all above dte_max's
	// default 45. The first chunk of 64 has 64 rejections: 10 are listed,
	// the other 64 − 10 = 54 counted, and 955 − 64 = 891 left unchecked.
	_, err := Parse("grid.yaml", []byte(head+"params:\n  dte_min: {from: 46, to: 1000, step: 1}\n"))
	es, _ := err.(Errors)
	want := "54 more values rejected among the first 64; the other 891 were not checked"
	if len(es) != 11 || es[10].Msg != want || es[10].Line != 6 {
		t.Errorf("got %d problems:\n%v\nwant the last: %s", len(es), err, want)
	}
}

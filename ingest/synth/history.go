package synth

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Series is the real daily price history of one symbol, as traded (not
// adjusted for splits or dividends), which a Config can use instead of a
// random path (see Config.History).
type Series struct {
	Symbol                         string      // the underlying it drives
	Source                         string      // where it was read from: a path, or "shipped:SYM.csv"
	SHA256                         string      // hex digest of the file's bytes
	Days                           []time.Time // trading days, ascending, midnight UTC
	Open, High, Low, Close, Volume []float64
}

// HistorySource is a Series as recorded in a Manifest.
type HistorySource struct {
	Symbol string `json:"symbol"`
	Source string `json:"source"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

//go:embed history/*.csv
var shipped embed.FS

// ShippedSymbols returns the symbols whose real daily bars ship with the
// package (ingest/synth/history, from QuantConnect LEAN's sample data,
// Apache License 2.0): AAPL, IWM, QQQ and SPY, 1998-01-02..2021-03-31
// (IWM from 2000-05-26, QQQ from 1999-03-10 with a gap from August 2004 to
// March 2011).
func ShippedSymbols() []string { return []string{"AAPL", "IWM", "QQQ", "SPY"} }

// ShippedSeries returns the shipped real daily bars of symbol.
func ShippedSeries(symbol string) (*Series, error) {
	name := "history/" + strings.ToUpper(symbol) + ".csv"
	b, err := shipped.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("synth: no shipped history for %q (have %s)", symbol, strings.Join(ShippedSymbols(), ", "))
	}
	return ReadSeries(bytes.NewReader(b), strings.ToUpper(symbol), "shipped:"+filepath.Base(name))
}

// LoadSeries reads a daily-bar CSV file (date,open,high,low,close[,volume],
// dates YYYY-MM-DD ascending). symbol "" takes the symbol from the file's
// name (SPY.csv drives SPY).
func LoadSeries(path, symbol string) (*Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("synth: history: %w", err)
	}
	defer f.Close()
	if symbol == "" {
		symbol = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	symbol = strings.ToUpper(symbol)
	if err := validSymbol(symbol); err != nil {
		return nil, fmt.Errorf("synth: history %s: %w (name the symbol as SYM=FILE)", path, err)
	}
	return ReadSeries(f, symbol, path)
}

// ReadSeries parses daily bars from r: a header naming at least date, open,
// high, low and close (volume optional, any order, case-insensitive), then one
// row per trading day in ascending date order. Errors name source and line.
func ReadSeries(r io.Reader, symbol, source string) (*Series, error) {
	h := sha256.New()
	sc := bufio.NewScanner(io.TeeReader(r, h))
	s := &Series{Symbol: symbol, Source: source}
	col := map[string]int{}
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		f := strings.Split(text, ",")
		if len(col) == 0 {
			for k, name := range f {
				col[strings.ToLower(strings.TrimSpace(name))] = k
			}
			for _, need := range []string{"date", "open", "high", "low", "close"} {
				if _, ok := col[need]; !ok {
					return nil, fmt.Errorf("synth: history %s: line 1: no %q column (want date,open,high,low,close[,volume])", source, need)
				}
			}
			continue
		}
		if err := s.addRow(f, col); err != nil {
			return nil, fmt.Errorf("synth: history %s: line %d: %w", source, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("synth: history %s: %w", source, err)
	}
	if len(s.Days) == 0 {
		return nil, fmt.Errorf("synth: history %s: no rows", source)
	}
	s.SHA256 = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// addRow appends one CSV row.
func (s *Series) addRow(f []string, col map[string]int) error {
	get := func(name string) (string, bool) {
		k, ok := col[name]
		if !ok || k >= len(f) {
			return "", false
		}
		return strings.TrimSpace(f[k]), true
	}
	ds, _ := get("date")
	d, err := time.Parse(time.DateOnly, ds)
	if err != nil {
		return fmt.Errorf("date %q: want YYYY-MM-DD", ds)
	}
	if n := len(s.Days); n > 0 && !d.After(s.Days[n-1]) {
		return fmt.Errorf("date %s is not after %s (want ascending dates)", ds, s.Days[n-1].Format(time.DateOnly))
	}
	var v [5]float64
	for k, name := range []string{"open", "high", "low", "close", "volume"} {
		txt, ok := get(name)
		if !ok && name == "volume" {
			continue
		}
		x, err := strconv.ParseFloat(txt, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || (x == 0 && name != "volume") {
			return fmt.Errorf("%s %q: want a positive number", name, txt)
		}
		v[k] = x
	}
	if v[1] < max(v[0], v[3]) || v[2] > min(v[0], v[3]) {
		return fmt.Errorf("high %g and low %g do not contain open %g and close %g", v[1], v[2], v[0], v[3])
	}
	s.Days = append(s.Days, d)
	s.Open, s.High, s.Low = append(s.Open, v[0]), append(s.High, v[1]), append(s.Low, v[2])
	s.Close, s.Volume = append(s.Close, v[3]), append(s.Volume, v[4])
	return nil
}

// info returns s as recorded in a manifest.
func (s *Series) info() HistorySource {
	return HistorySource{Symbol: s.Symbol, Source: s.Source, SHA256: s.SHA256, Rows: len(s.Days)}
}

// HistorySources returns the manifest records of the series in c, sorted by
// symbol: what a generated market's manifest says it was driven by.
func (c Config) HistorySources() []HistorySource {
	out := make([]HistorySource, 0, len(c.History))
	for _, s := range c.History {
		out = append(out, s.info())
	}
	slices.SortFunc(out, func(a, b HistorySource) int { return strings.Compare(a.Symbol, b.Symbol) })
	return out
}

// Split is a share split visible in a raw price series: from Date on, one
// share became Ratio shares.
type Split struct {
	Date  time.Time
	Ratio float64
}

// Splits returns the splits in s: overnight drops where the previous close
// over the open is within 4% of a common split ratio (3:2, 2, 3, 4, 5, 7, 8,
// 10, 15, 20) and at least 1.45. Such a drop is not a market move; the
// generator cannot yet emit split events and adjusted chains, so a window
// crossing one is refused.
func (s *Series) Splits() []Split {
	var out []Split
	for i := 1; i < len(s.Days); i++ {
		r := s.Close[i-1] / s.Open[i]
		if r < 1.45 {
			continue
		}
		for _, q := range []float64{1.5, 2, 3, 4, 5, 7, 8, 10, 15, 20} {
			if math.Abs(r/q-1) < 0.04 {
				out = append(out, Split{Date: s.Days[i], Ratio: q})
				break
			}
		}
	}
	return out
}

// window returns, for each day of days, its index in s, or an error naming
// the first day s lacks or a split inside the window.
func (s *Series) window(days []time.Time) ([]int, error) {
	idx := make([]int, len(days))
	j := 0
	for i, d := range days {
		for j < len(s.Days) && s.Days[j].Before(d) {
			j++
		}
		if j == len(s.Days) || !s.Days[j].Equal(d) {
			return nil, fmt.Errorf("synth: history %s has no bar for trading day %s (it covers %s..%s)", s.Source,
				d.Format(time.DateOnly), s.Days[0].Format(time.DateOnly), s.Days[len(s.Days)-1].Format(time.DateOnly))
		}
		idx[i] = j
	}
	for _, sp := range s.Splits() {
		if sp.Date.After(days[0]) && !sp.Date.After(days[len(days)-1]) {
			return nil, fmt.Errorf("synth: history %s: the window %s..%s crosses %s's %g:1 split on %s, which the generator cannot emit yet; choose dates that do not cross it",
				s.Source, days[0].Format(time.DateOnly), days[len(days)-1].Format(time.DateOnly), s.Symbol, sp.Ratio, sp.Date.Format(time.DateOnly))
		}
	}
	return idx, nil
}

// Coefficients of the variance forecast on real history: a GJR-GARCH(1,1)
// of daily log returns, h' = ω + (α + γ·[r < 0])·r² + β·h, with the
// asymmetry typical of index returns (a fall lifts the forecast more than a
// rise) and ω setting the long-run level to the random market's mean.
const (
	garchAlpha = 0.02
	garchGamma = 0.16
	garchBeta  = 0.88
	garchOmega = varMean * sessionDT * (1 - garchAlpha - garchGamma/2 - garchBeta)
	varCap     = 1.0 // 100% vol: the forecast's ceiling
)

// realizedVariance returns the annualized variance forecast of s known at
// each close, from that close's and earlier returns only (see garchAlpha):
// split-adjusted close-to-close log returns, starting from the long-run mean
// on the series' first day, floored at 8% and capped at 100% vol.
func (s *Series) realizedVariance() []float64 {
	splits := s.Splits()
	out := make([]float64, len(s.Days))
	h := varMean * sessionDT
	out[0] = varMean
	k := 0
	for i := 1; i < len(s.Days); i++ {
		prev := s.Close[i-1]
		for k < len(splits) && splits[k].Date.Before(s.Days[i]) {
			k++
		}
		if k < len(splits) && splits[k].Date.Equal(s.Days[i]) {
			prev /= splits[k].Ratio
		}
		r := math.Log(s.Close[i] / prev)
		a := garchAlpha
		if r < 0 {
			a += garchGamma
		}
		h = garchOmega + a*r*r + garchBeta*h
		out[i] = math.Min(math.Max(h/sessionDT, varFloor), varCap)
	}
	return out
}

// historyFor returns the series of c.History driving symbol, or nil.
func (c *Config) historyFor(symbol string) *Series {
	for _, s := range c.History {
		if s.Symbol == symbol {
			return s
		}
	}
	return nil
}

// checkHistory validates c.History (one series per symbol, each a valid
// ticker, SPX driven through SPY) and adds their symbols to c.Symbols.
func (c *Config) checkHistory() error {
	seen := map[string]bool{}
	for _, s := range c.History {
		if s == nil || len(s.Days) == 0 {
			return errors.New("synth: empty history series")
		}
		if err := validSymbol(s.Symbol); err != nil {
			return fmt.Errorf("synth: history %s: %w", s.Source, err)
		}
		if s.Symbol == "SPX" {
			return fmt.Errorf("synth: history %s: SPX is generated as SPY × 10; give the history as SPY", s.Source)
		}
		if seen[s.Symbol] {
			return fmt.Errorf("synth: two histories for %s", s.Symbol)
		}
		seen[s.Symbol] = true
		if !slices.Contains(c.Symbols, s.Symbol) {
			c.Symbols = append(c.Symbols, s.Symbol)
		}
	}
	return nil
}

package indicators

import (
	"math"
	"strings"
	"testing"
)

var nan = math.NaN()

// sameSeries reports whether got and want agree to within tol relative
// (absolute near zero), NaN matching NaN only.
func sameSeries(got, want []float64, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if math.IsNaN(g) || math.IsNaN(w) {
			if math.IsNaN(g) != math.IsNaN(w) {
				return false
			}
			continue
		}
		if math.Abs(g-w) > tol*math.Max(1, math.Abs(w)) {
			return false
		}
	}
	return true
}

func TestSMA(t *testing.T) {
	tests := []struct {
		name string
		x    []float64
		n    int
		want []float64
	}{
		// (1+2+3)/3 = 2, (2+3+4)/3 = 3, (3+4+5)/3 = 4.
		{"n3", []float64{1, 2, 3, 4, 5}, 3, []float64{nan, nan, 2, 3, 4}},
		{"n1", []float64{1, 2, 3}, 1, []float64{1, 2, 3}},
		// (1+2+3+4+5)/5 = 3.
		{"whole", []float64{1, 2, 3, 4, 5}, 5, []float64{nan, nan, nan, nan, 3}},
		{"too short", []float64{1, 2, 3}, 4, []float64{nan, nan, nan}},
		// Windows [1,NaN] and [NaN,3] are NaN; (3+4)/2 = 3.5, (4+5)/2 = 4.5.
		{"nan leaves window", []float64{1, nan, 3, 4, 5}, 2, []float64{nan, nan, nan, 3.5, 4.5}},
		// The +Inf poisons only the windows that hold it: (5+7)/2 = 6.
		{"inf", []float64{1, math.Inf(1), 5, 7}, 2, []float64{nan, nan, nan, 6}},
		// Zeros after non-zero values: (0+0)/2 is exactly 0.
		{"zeros", []float64{3, 0, 0}, 2, []float64{nan, 1.5, 0}},
		{"empty", nil, 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]float64, len(tt.x))
			SMA(got, tt.x, tt.n)
			if !sameSeries(got, tt.want, 1e-15) {
				t.Errorf("SMA(%v, %d) = %v, want %v", tt.x, tt.n, got, tt.want)
			}
		})
	}
}

func TestEMA(t *testing.T) {
	tests := []struct {
		name string
		x    []float64
		n    int
		want []float64
	}{
		// alpha = 2/4 = 0.5. Seed (2+4+6)/3 = 4; 0.5*8+0.5*4 = 6;
		// 0.5*4+0.5*6 = 5; 0.5*10+0.5*5 = 7.5.
		{"n3", []float64{2, 4, 6, 8, 4, 10}, 3, []float64{nan, nan, 4, 6, 5, 7.5}},
		// alpha = 2/5 = 0.4. Seed (1+2+3+4)/4 = 2.5; 0.4*9+0.6*2.5 = 5.1.
		{"n4", []float64{1, 2, 3, 4, 9}, 4, []float64{nan, nan, nan, 2.5, 5.1}},
		// alpha = 1: the EMA is x itself.
		{"n1", []float64{3, 1, 4}, 1, []float64{3, 1, 4}},
		// A NaN after the seed poisons everything after it.
		{"nan", []float64{2, 4, 6, nan, 4}, 3, []float64{nan, nan, 4, nan, nan}},
		{"too short", []float64{1, 2}, 3, []float64{nan, nan}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]float64, len(tt.x))
			EMA(got, tt.x, tt.n)
			if !sameSeries(got, tt.want, 1e-15) {
				t.Errorf("EMA(%v, %d) = %v, want %v", tt.x, tt.n, got, tt.want)
			}
		})
	}
}

// rsiClose has changes +1, -1, +2, +1, -1, -3:
// gains 1, 0, 2, 1, 0, 0 and losses 0, 1, 0, 0, 1, 3.
var rsiClose = []float64{10, 11, 10, 12, 13, 12, 9}

func TestRSIWilder(t *testing.T) {
	tests := []struct {
		name  string
		close []float64
		n     int
		want  []float64
	}{
		// n = 3. Index 3: G = (1+0+2)/3 = 1, L = (0+1+0)/3 = 1/3,
		// RSI = 100*1/(1+1/3) = 75.
		// Index 4: G = (1*2+1)/3 = 1, L = (1/3*2+0)/3 = 2/9,
		// RSI = 100*1/(1+2/9) = 900/11.
		// Index 5: G = (1*2+0)/3 = 2/3, L = (2/9*2+1)/3 = 13/27,
		// RSI = 100*(18/27)/(31/27) = 1800/31.
		// Index 6: G = (2/3*2+0)/3 = 4/9, L = (13/27*2+3)/3 = 107/81,
		// RSI = 100*(36/81)/(143/81) = 3600/143.
		{"n3", rsiClose, 3, []float64{nan, nan, nan, 75, 900.0 / 11, 1800.0 / 31, 3600.0 / 143}},
		// n = 1: G and L are the last change's parts: 100 on a rise, 0 on a fall.
		{"n1", []float64{1, 2, 1}, 1, []float64{nan, 100, 0}},
		// Only gains: L = 0 gives 100.
		{"all up", []float64{1, 2, 3, 4}, 3, []float64{nan, nan, nan, 100}},
		// Only losses: G = 0 gives 0.
		{"all down", []float64{4, 3, 2, 1}, 3, []float64{nan, nan, nan, 0}},
		// No change: G = L = 0 gives 50.
		{"flat", []float64{5, 5, 5, 5}, 3, []float64{nan, nan, nan, 50}},
		// A NaN close poisons every later value.
		{"nan", []float64{1, 2, 3, 4, nan, 5}, 3, []float64{nan, nan, nan, 100, nan, nan}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]float64, len(tt.close))
			RSIWilder(got, tt.close, tt.n)
			if !sameSeries(got, tt.want, 1e-13) {
				t.Errorf("RSIWilder(%v, %d) = %v, want %v", tt.close, tt.n, got, tt.want)
			}
		})
	}
}

func TestRSISimple(t *testing.T) {
	tests := []struct {
		name  string
		close []float64
		n     int
		want  []float64
	}{
		// n = 3, sums over the last 3 changes (the 1/3 cancels):
		// index 3: changes +1,-1,+2: G = 3, L = 1, RSI = 100*3/4 = 75;
		// index 4: -1,+2,+1: G = 3, L = 1, 75;
		// index 5: +2,+1,-1: G = 3, L = 1, 75;
		// index 6: +1,-1,-3: G = 1, L = 4, RSI = 100*1/5 = 20.
		{"n3", rsiClose, 3, []float64{nan, nan, nan, 75, 75, 75, 20}},
		{"all up", []float64{1, 2, 3, 4}, 3, []float64{nan, nan, nan, 100}},
		{"all down", []float64{4, 3, 2, 1}, 3, []float64{nan, nan, nan, 0}},
		{"flat", []float64{5, 5, 5, 5}, 3, []float64{nan, nan, nan, 50}},
		// n = 2. Index 3: changes -1,+1: 50. Index 4: +1,+1: the loss of
		// index 2 has left the window, L is exactly 0 and RSI is 100.
		{"loss leaves", []float64{2, 3, 2, 3, 4}, 2, []float64{nan, nan, 50, 50, 100}},
		// The NaN close spoils the changes at indexes 2 and 3; the window
		// at index 5 (changes +1,+1) is clean again.
		{"nan", []float64{1, 2, nan, 4, 5, 6}, 2, []float64{nan, nan, nan, nan, nan, 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]float64, len(tt.close))
			RSISimple(got, tt.close, tt.n)
			if !sameSeries(got, tt.want, 1e-13) {
				t.Errorf("RSISimple(%v, %d) = %v, want %v", tt.close, tt.n, got, tt.want)
			}
		})
	}
}

func TestBollinger(t *testing.T) {
	// n = 3, k = 2.
	// Index 2: [1,2,3] mean 2, sample var (1+0+1)/2 = 1, std 1: 0, 2, 4.
	// Index 3: [2,3,4] mean 3, std 1: 1, 3, 5.
	// Index 4: [3,4,5] mean 4, std 1: 2, 4, 6.
	// Index 5: [4,5,7] mean 16/3, deviations -4/3, -1/3, 5/3, squares
	// (16+1+25)/9 = 42/9, var 21/9 = 7/3: 16/3 ∓ 2*sqrt(7/3).
	// Index 6: [5,7,7] mean 19/3, deviations -4/3, 2/3, 2/3, squares
	// (16+4+4)/9 = 24/9, var 4/3: 19/3 ∓ 2*sqrt(4/3).
	// Index 7: [7,7,7] std 0: the bands collapse onto 7.
	x := []float64{1, 2, 3, 4, 5, 7, 7, 7, 7}
	s5, s6 := 2*math.Sqrt(7.0/3), 2*math.Sqrt(4.0/3)
	wantMid := []float64{nan, nan, 2, 3, 4, 16.0 / 3, 19.0 / 3, 7, 7}
	wantLo := []float64{nan, nan, 0, 1, 2, 16.0/3 - s5, 19.0/3 - s6, 7, 7}
	wantHi := []float64{nan, nan, 4, 5, 6, 16.0/3 + s5, 19.0/3 + s6, 7, 7}
	lo, mid, hi := make([]float64, len(x)), make([]float64, len(x)), make([]float64, len(x))
	Bollinger(lo, mid, hi, x, 3, 2)
	if !sameSeries(mid, wantMid, 1e-14) {
		t.Errorf("mid = %v, want %v", mid, wantMid)
	}
	if !sameSeries(lo, wantLo, 1e-14) {
		t.Errorf("lower = %v, want %v", lo, wantLo)
	}
	if !sameSeries(hi, wantHi, 1e-14) {
		t.Errorf("upper = %v, want %v", hi, wantHi)
	}
}

func TestMACD(t *testing.T) {
	// fast 2 (alpha 2/3), slow 3 (alpha 1/2), signal 2 (alpha 2/3).
	// EMA2: seed (1+3)/2 = 2; 2/3*2+1/3*2 = 2; 2/3*6+1/3*2 = 14/3;
	//   2/3*4+1/3*14/3 = 38/9; 2/3*10+1/3*38/9 = 218/27.
	// EMA3: seed (1+3+2)/3 = 2; (6+2)/2 = 4; (4+4)/2 = 4; (10+4)/2 = 7.
	// macd: 0, 14/3-4 = 2/3, 38/9-4 = 2/9, 218/27-7 = 29/27.
	// signal: seed (0+2/3)/2 = 1/3 at index 3; 2/3*2/9+1/3*1/3 = 7/27;
	//   2/3*29/27+1/3*7/27 = 65/81.
	// hist: 2/3-1/3 = 1/3; 2/9-7/27 = -1/27; 29/27-65/81 = 22/81.
	x := []float64{1, 3, 2, 6, 4, 10}
	wantMACD := []float64{nan, nan, 0, 2.0 / 3, 2.0 / 9, 29.0 / 27}
	wantSig := []float64{nan, nan, nan, 1.0 / 3, 7.0 / 27, 65.0 / 81}
	wantHist := []float64{nan, nan, nan, 1.0 / 3, -1.0 / 27, 22.0 / 81}
	m, s, h := make([]float64, len(x)), make([]float64, len(x)), make([]float64, len(x))
	MACD(m, s, h, x, 2, 3, 2)
	if !sameSeries(m, wantMACD, 1e-14) {
		t.Errorf("macd = %v, want %v", m, wantMACD)
	}
	if !sameSeries(s, wantSig, 1e-14) {
		t.Errorf("signal = %v, want %v", s, wantSig)
	}
	if !sameSeries(h, wantHist, 1e-14) {
		t.Errorf("hist = %v, want %v", h, wantHist)
	}
}

func TestRealizedVol(t *testing.T) {
	// Closes built so the log returns are 0.01, -0.01, 0.03, 0.01.
	// Index 3: returns 0.01, -0.01, 0.03: mean 0.01, deviations 0, -0.02,
	// 0.02, sample var (0.0004+0.0004)/2 = 0.0004, std 0.02.
	// Index 4: returns -0.01, 0.03, 0.01: the same deviations, std 0.02.
	// Annualized: 0.02*sqrt(252).
	c := []float64{100, 100 * math.Exp(0.01), 100, 100 * math.Exp(0.03), 100 * math.Exp(0.04)}
	want := []float64{nan, nan, nan, 0.02 * math.Sqrt(252), 0.02 * math.Sqrt(252)}
	got := make([]float64, len(c))
	RealizedVol(got, c, 3, 252)
	if !sameSeries(got, want, 1e-12) {
		t.Errorf("RealizedVol = %v, want %v", got, want)
	}

	// A zero close gives infinite returns, and NaN for the windows holding
	// them: returns log(0/1) = -Inf, log(1/0) = +Inf, log 2, log 2 (n = 2):
	// only the window at index 4 is clean, with std 0.
	got = got[:5]
	RealizedVol(got, []float64{1, 0, 1, 2, 4}, 2, 252)
	if want := []float64{nan, nan, nan, nan, 0}; !sameSeries(got, want, 0) {
		t.Errorf("RealizedVol with a zero close = %v, want %v", got, want)
	}
}

func TestIVRankPercentile(t *testing.T) {
	tests := []struct {
		name   string
		iv     []float64
		n      int
		rank   []float64
		pctile []float64
	}{
		// n = 5. Index 4: window 20,30,10,40,35: min 10, max 40,
		// rank (35-10)/30 = 5/6; of the others 20,30,10,40, three are below
		// 35: 3/4. Index 5: window 30,10,40,35,12: rank (12-10)/30 = 1/15;
		// of 30,10,40,35 one is below 12: 1/4.
		{"distinct", []float64{20, 30, 10, 40, 35, 12}, 5,
			[]float64{nan, nan, nan, nan, 5.0 / 6, 1.0 / 15},
			[]float64{nan, nan, nan, nan, 0.75, 0.25}},
		// The NaN is skipped: valid 20,10,40,35 (4 ≥ (5+1)/2 = 3).
		// Rank (35-10)/30 = 5/6; of 20,10,40 two are below 35: 2/3.
		{"nan skipped", []float64{20, nan, 10, 40, 35}, 5,
			[]float64{nan, nan, nan, nan, 5.0 / 6},
			[]float64{nan, nan, nan, nan, 2.0 / 3}},
		// Only 2 valid values < 3.
		{"too few valid", []float64{nan, nan, nan, 40, 35}, 5,
			[]float64{nan, nan, nan, nan, nan},
			[]float64{nan, nan, nan, nan, nan}},
		{"current nan", []float64{20, 30, 10, 40, nan}, 5,
			[]float64{nan, nan, nan, nan, nan},
			[]float64{nan, nan, nan, nan, nan}},
		// A flat window ranks 0 and has nothing strictly below.
		{"flat", []float64{20, 20, 20, 20, 20}, 5,
			[]float64{nan, nan, nan, nan, 0},
			[]float64{nan, nan, nan, nan, 0}},
		// Ties: rank (20-10)/(30-10) = 1/2; of 20,20,10,30 only 10 is
		// strictly below 20: 1/4.
		{"ties", []float64{20, 20, 10, 30, 20}, 5,
			[]float64{nan, nan, nan, nan, 0.5},
			[]float64{nan, nan, nan, nan, 0.25}},
		// The extremes: a new high ranks 1 and beats every other value.
		{"new high", []float64{20, 30, 10, 40, 50}, 5,
			[]float64{nan, nan, nan, nan, 1},
			[]float64{nan, nan, nan, nan, 1}},
		// n = 1: the window is iv[i] alone.
		{"n1", []float64{20, 30}, 1, []float64{0, 0}, []float64{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]float64, len(tt.iv))
			IVRank(got, tt.iv, tt.n)
			if !sameSeries(got, tt.rank, 1e-15) {
				t.Errorf("IVRank(%v, %d) = %v, want %v", tt.iv, tt.n, got, tt.rank)
			}
			for i := range tt.iv {
				if last := IVRankLast(tt.iv[:i+1], tt.n); !sameSeries([]float64{last}, tt.rank[i:i+1], 1e-15) {
					t.Errorf("IVRankLast(%v, %d) = %v, want %v", tt.iv[:i+1], tt.n, last, tt.rank[i])
				}
			}
			IVPercentile(got, tt.iv, tt.n)
			if !sameSeries(got, tt.pctile, 1e-15) {
				t.Errorf("IVPercentile(%v, %d) = %v, want %v", tt.iv, tt.n, got, tt.pctile)
			}
		})
	}
}

func TestRising(t *testing.T) {
	x := []float64{1, 2, 3, 4, 3, 5}
	y := []float64{1, nan, 3, 4}
	tests := []struct {
		name    string
		x       []float64
		i, look int
		want    bool
	}{
		{"three rises", x, 3, 3, true},     // 4>3, 3>2, 2>1
		{"needs x[-1]", x, 3, 4, false},    // not enough history
		{"fall", x, 4, 1, false},           // 3 > 4 fails
		{"rise after fall", x, 5, 1, true}, // 5 > 3
		{"fall in lookback", x, 5, 2, false},
		{"equal is not rising", []float64{1, 1}, 1, 1, false},
		{"nan", y, 3, 2, false}, // 3 > NaN is false
		{"nan outside", y, 3, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Rising(tt.x, tt.i, tt.look); got != tt.want {
				t.Errorf("Rising(%v, %d, %d) = %v, want %v", tt.x, tt.i, tt.look, got, tt.want)
			}
		})
	}
}

func TestPanics(t *testing.T) {
	x := []float64{1, 2, 3}
	short := make([]float64, 2)
	full := make([]float64, 3)
	tests := []struct {
		name, msg string
		f         func()
	}{
		{"SMA len", "SMA: slice lengths", func() { SMA(short, x, 2) }},
		{"SMA n", "SMA: n must be at least 1", func() { SMA(full, x, 0) }},
		{"EMA len", "EMA: slice lengths", func() { EMA(short, x, 2) }},
		{"RSIWilder len", "RSIWilder: slice lengths", func() { RSIWilder(short, x, 2) }},
		{"RSISimple n", "RSISimple: n must be", func() { RSISimple(full, x, 0) }},
		{"Bollinger len", "Bollinger: slice lengths", func() { Bollinger(full, short, full, x, 2, 2) }},
		{"Bollinger n", "Bollinger: n must be at least 2", func() { Bollinger(full, full, full, x, 1, 2) }},
		{"MACD order", "MACD: fast must be less than slow", func() { MACD(full, full, full, x, 3, 3, 2) }},
		{"RealizedVol n", "RealizedVol: n must be at least 2", func() { RealizedVol(full, x, 1, 252) }},
		{"IVRank len", "IVRank: slice lengths", func() { IVRank(short, x, 2) }},
		{"IVPercentile n", "IVPercentile: n must be", func() { IVPercentile(full, x, 0) }},
		{"Rising lookback", "Rising: lookback must be", func() { Rising(x, 2, 0) }},
		{"Rising index", "Rising: index out of range", func() { Rising(x, 3, 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				s, _ := r.(string)
				if !strings.Contains(s, tt.msg) {
					t.Errorf("panic = %v, want a message containing %q", r, tt.msg)
				}
			}()
			tt.f()
		})
	}
}

package fill

import (
	"hash/fnv"
	"math"
	"testing"
)

func TestP(t *testing.T) {
	d := DefaultProbabilistic()
	nan := math.NaN()
	tests := []struct {
		name     string
		p        Probabilistic
		spr, ivp float64
		want     float64
	}{
		// Tight bucket: 0.90·0.6 = 0.54.
		{"tight", d, 0.03, 0.5, 0.54},
		{"tight bound", d, 0.05, 0.5, 0.54}, // ≤ 0.05
		// Normal: 0.70·0.6 = 0.42.
		{"normal", d, 0.07, 0.5, 0.42},
		{"normal bound", d, 0.10, 0.5, 0.42}, // ≤ 0.10
		// Wide: 0.40·0.6 = 0.24.
		{"wide", d, 0.15, 0.5, 0.24},
		// High IVP: 0.54·0.85 = 0.459; 0.42·0.85 = 0.357.
		{"tight high ivp", d, 0.03, 0.70, 0.459},
		{"normal high ivp", d, 0.07, 0.89, 0.357},
		// Extreme IVP: 0.54·0.70 = 0.378; 0.24·0.70 = 0.168.
		{"tight extreme ivp", d, 0.03, 0.90, 0.378},
		{"wide extreme ivp", d, 0.15, 1.0, 0.168},
		// Below the high threshold: no multiplier.
		{"ivp just below", d, 0.03, 0.6999, 0.54},
		// NaN spread is wide; NaN ivp gets no multiplier.
		{"nan spread", d, nan, 0.5, 0.24},
		{"nan ivp", d, 0.03, nan, 0.54},
		// Scale 2: 0.90·2 = 1.8 → clamped to Max 0.98.
		{"clamp max", func() Probabilistic { p := d; p.Scale = 2; return p }(), 0.03, 0.5, 0.98},
		// Scale 0.1, wide, extreme: 0.40·0.1·0.70 = 0.028 → clamped to Min 0.05.
		{"clamp min", func() Probabilistic { p := d; p.Scale = 0.1; return p }(), 0.15, 0.95, 0.05},
	}
	for _, tt := range tests {
		if got := tt.p.P(tt.spr, tt.ivp); !near(got, tt.want) {
			t.Errorf("%s: P(%v, %v) = %v, want %v", tt.name, tt.spr, tt.ivp, got, tt.want)
		}
	}
}

func TestTryDeterministic(t *testing.T) {
	p := DefaultProbabilistic()
	const n = 200
	a1, a2 := NewRand(42, "SPY|2024-03-15|P450"), NewRand(42, "SPY|2024-03-15|P450")
	b := NewRand(42, "SPY|2024-03-15|P455")
	c := NewRand(43, "SPY|2024-03-15|P450")
	sameB, sameC := 0, 0
	for i := range n {
		d1 := p.Try(0.03, 0.5, a1)
		// Interleave draws from another generator: a position's draws must not depend on
		// what else runs.
		db := p.Try(0.03, 0.5, b)
		d2 := p.Try(0.03, 0.5, a2)
		dc := p.Try(0.03, 0.5, c)
		if d1 != d2 {
			t.Fatalf("draw %d: same seed and key differ: %+v vs %+v", i, d1, d2)
		}
		if db.U == d1.U {
			sameB++
		}
		if dc.U == d1.U {
			sameC++
		}
		for _, d := range []Draw{d1, db, dc} {
			if d.P != 0.54 && !near(d.P, 0.54) {
				t.Fatalf("draw %d: P = %v, want 0.54", i, d.P)
			}
			if !(d.U >= 0 && d.U < 1) {
				t.Fatalf("draw %d: U = %v outside [0, 1)", i, d.U)
			}
			if d.Filled != (d.U <= d.P) {
				t.Fatalf("draw %d: Filled = %v but U = %v, P = %v", i, d.Filled, d.U, d.P)
			}
		}
	}
	if sameB > 0 || sameC > 0 {
		t.Errorf("different key or seed repeated %d / %d of %d draws", sameB, sameC, n)
	}
}

func TestTryRate(t *testing.T) {
	// With P = 0.42 (normal bucket) the fill rate of 100 000 draws has standard error
	// sqrt(0.42·0.58/1e5) ≈ 0.00156; allow 5 standard errors.
	p := DefaultProbabilistic()
	r := NewRand(7, "rate")
	const n = 100000
	filled := 0
	for range n {
		if p.Try(0.07, 0.5, r).Filled {
			filled++
		}
	}
	if rate := float64(filled) / n; math.Abs(rate-0.42) > 5*0.00156 {
		t.Errorf("fill rate %v, want 0.42 ± 0.0078", rate)
	}
}

func TestTryDisabled(t *testing.T) {
	p := DefaultProbabilistic()
	p.Enabled = false
	r, fresh := NewRand(1, "k"), NewRand(1, "k")
	if got := p.Try(0.5, 0.99, r); got != (Draw{P: 1, U: 0, Filled: true}) {
		t.Errorf("disabled Try = %+v", got)
	}
	if got := p.Try(0.5, 0.99, nil); !got.Filled {
		t.Errorf("disabled Try with nil generator = %+v", got)
	}
	// A disabled Try consumes no draw.
	if a, b := r.Uint64(), fresh.Uint64(); a != b {
		t.Errorf("disabled Try advanced the generator")
	}
}

func TestKeyHash(t *testing.T) {
	// The FNV-1a offset basis is the hash of the empty string.
	if got := KeyHash(""); got != 0xcbf29ce484222325 {
		t.Errorf("KeyHash(\"\") = %#x", got)
	}
	for _, k := range []string{"a", "foobar", "SPY|2024-03-15|P450|wheel-7", "ü"} {
		h := fnv.New64a()
		h.Write([]byte(k))
		if got, want := KeyHash(k), h.Sum64(); got != want {
			t.Errorf("KeyHash(%q) = %#x, hash/fnv gives %#x", k, got, want)
		}
	}
}

package indicators

import (
	"math/rand/v2"
	"testing"
)

// benchSize is ten years of daily bars.
const benchSize = 2520

func benchSeries() []float64 {
	return randomWalk(rand.New(rand.NewPCG(9, 10)), benchSize, 100, 0.015)
}

func BenchmarkSMA(b *testing.B) {
	x, dst := benchSeries(), make([]float64, benchSize)
	for b.Loop() {
		SMA(dst, x, 50)
	}
}

func BenchmarkBollinger(b *testing.B) {
	x := benchSeries()
	lo, mid, hi := make([]float64, benchSize), make([]float64, benchSize), make([]float64, benchSize)
	for b.Loop() {
		Bollinger(lo, mid, hi, x, 20, 2)
	}
}

func BenchmarkRSISimple(b *testing.B) {
	x, dst := benchSeries(), make([]float64, benchSize)
	for b.Loop() {
		RSISimple(dst, x, 14)
	}
}

func BenchmarkRSIWilder(b *testing.B) {
	x, dst := benchSeries(), make([]float64, benchSize)
	for b.Loop() {
		RSIWilder(dst, x, 14)
	}
}

func BenchmarkMACD(b *testing.B) {
	x := benchSeries()
	m, s, h := make([]float64, benchSize), make([]float64, benchSize), make([]float64, benchSize)
	for b.Loop() {
		MACD(m, s, h, x, 12, 26, 9)
	}
}

func BenchmarkRealizedVol(b *testing.B) {
	x, dst := benchSeries(), make([]float64, benchSize)
	for b.Loop() {
		RealizedVol(dst, x, 20, 252)
	}
}

func BenchmarkIVRank(b *testing.B) {
	x, dst := benchSeries(), make([]float64, benchSize)
	for b.Loop() {
		IVRank(dst, x, IVWindow)
	}
}

func BenchmarkIVPercentile(b *testing.B) {
	x, dst := benchSeries(), make([]float64, benchSize)
	for b.Loop() {
		IVPercentile(dst, x, IVWindow)
	}
}

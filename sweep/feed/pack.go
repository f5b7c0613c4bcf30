package feed

import (
	"encoding/binary"
	"math"

	"github.com/optsweep/sweep/sim"
)

// packedSeries is a Series with its columns as little-endian bytes: msgpack
// then copies each column in one piece instead of encoding it value by value,
// which makes a cache hit several times faster than the load it replaces.
type packedSeries struct {
	Symbol string
	Cash   bool
	F64    [][]byte // floatCols, in order
	I32    [][]byte // int32Cols
	I64    [][]byte // int64Cols, then DayStart
	U8     [][]byte // PutCall, Flags
	Bool   []byte   // AM, one byte each
}

// The columns of a Series by type, in the order they are packed. A field
// added to Series and not here is lost by the cache; TestCacheRoundTrip,
// which compares the whole encoded tape, catches that.
func floatCols(s *sim.Series) []*[]float64 {
	c, a := &s.Chain, &s.After
	return []*[]float64{&s.Bars.Open, &s.Bars.High, &s.Bars.Low, &s.Bars.Close, &s.Spot, &s.ATMIV, &s.IVRank, &s.IVPct,
		&c.Strike, &c.Bid, &c.Ask, &c.Years, &c.IV, &c.Delta, &c.Gamma, &c.Theta, &c.Vega, &a.High, &a.Low, &a.Close}
}

func int32Cols(s *sim.Series) []*[]int32 { return []*[]int32{&s.Bars.Days, &s.Chain.Expiration} }

func int64Cols(s *sim.Series) []*[]int64 {
	return []*[]int64{&s.Chain.OpenInterest, &s.Chain.PrevVolume, &s.After.Volume}
}

func byteCols(s *sim.Series) []*[]byte { return []*[]byte{&s.Chain.PutCall, &s.Chain.Flags} }

func pack(s *sim.Series) packedSeries {
	p := packedSeries{Symbol: s.Symbol, Cash: s.Cash}
	for _, c := range floatCols(s) {
		p.F64 = append(p.F64, fromFloats(*c))
	}
	for _, c := range int32Cols(s) {
		p.I32 = append(p.I32, fromInt32s(*c))
	}
	for _, c := range int64Cols(s) {
		p.I64 = append(p.I64, fromInt64s(*c))
	}
	var ds []int64
	if s.DayStart != nil {
		ds = make([]int64, len(s.DayStart))
		for i, x := range s.DayStart {
			ds[i] = int64(x)
		}
	}
	p.I64 = append(p.I64, fromInt64s(ds))
	for _, c := range byteCols(s) {
		p.U8 = append(p.U8, *c)
	}
	if s.Chain.AM != nil {
		p.Bool = make([]byte, len(s.Chain.AM))
		for i, am := range s.Chain.AM {
			if am {
				p.Bool[i] = 1
			}
		}
	}
	return p
}

// unpack restores a Series; ok is false when the column counts do not match
// this layout.
func unpack(p packedSeries) (s sim.Series, ok bool) {
	s.Symbol, s.Cash = p.Symbol, p.Cash
	fc, ic, lc, bc := floatCols(&s), int32Cols(&s), int64Cols(&s), byteCols(&s)
	if len(p.F64) != len(fc) || len(p.I32) != len(ic) || len(p.I64) != len(lc)+1 || len(p.U8) != len(bc) {
		return s, false
	}
	for i, c := range fc {
		*c = toFloats(p.F64[i])
	}
	for i, c := range ic {
		*c = toInt32s(p.I32[i])
	}
	for i, c := range lc {
		*c = toInt64s(p.I64[i])
	}
	if ds := toInt64s(p.I64[len(lc)]); ds != nil {
		s.DayStart = make([]int, len(ds))
		for i, x := range ds {
			s.DayStart[i] = int(x)
		}
	}
	for i, c := range bc {
		*c = p.U8[i]
	}
	if p.Bool != nil {
		s.Chain.AM = make([]bool, len(p.Bool))
		for i, b := range p.Bool {
			s.Chain.AM[i] = b != 0
		}
	}
	return s, true
}

func fromFloats(x []float64) []byte {
	if x == nil {
		return nil
	}
	b := make([]byte, 8*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return b
}

func toFloats(b []byte) []float64 {
	if b == nil {
		return nil
	}
	x := make([]float64, len(b)/8)
	for i := range x {
		x[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return x
}

func fromInt64s(x []int64) []byte {
	if x == nil {
		return nil
	}
	b := make([]byte, 8*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(v))
	}
	return b
}

func toInt64s(b []byte) []int64 {
	if b == nil {
		return nil
	}
	x := make([]int64, len(b)/8)
	for i := range x {
		x[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return x
}

func fromInt32s(x []int32) []byte {
	if x == nil {
		return nil
	}
	b := make([]byte, 4*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
	}
	return b
}

func toInt32s(b []byte) []int32 {
	if b == nil {
		return nil
	}
	x := make([]int32, len(b)/4)
	for i := range x {
		x[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return x
}

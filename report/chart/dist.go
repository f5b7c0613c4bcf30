package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxBins caps the number of histogram bins.
const maxBins = 200

// Histogram renders the distribution of values, e.g. trade P&L, as counts over
// bins of equal width. bins is a target: 0 or less means Sturges' rule
// (⌈log₂ n⌉ + 1), at most 200, and when the values straddle zero the bins are
// shifted so that 0 is an edge, which can add one. Bins below zero are red,
// the others blue. NaN and ±Inf values are left out.
func Histogram(o Options, values []float64, bins int) ([]byte, error) {
	o = o.withDefaults()
	points := 0
	for _, v := range values {
		if finite(v) {
			points++
		}
	}
	return render(o, "histogram", points, func(c draw.Canvas) {
		if bins <= 0 {
			bins = int(math.Ceil(math.Log2(float64(points)))) + 1
		}
		lo, w, counts := binning(values, min(bins, maxBins))
		p := newPlot(o)
		p.X.Tick.Marker = numTicks{}
		p.Y.Tick.Marker = numTicks{integers: true}
		p.Add(hgrid(), &histBars{lo: lo, w: w, counts: counts})
		p.Y.Max *= 1.05
		p.Draw(c)
	})
}

// binning counts the finite values in bins ≥ 1 bins of width w from lo; the last
// bin includes its upper edge. When the values straddle zero, lo is moved down to
// a multiple of w so that 0 is an edge, which may add a bin. Equal values make one
// bin of width 10% of their size (1 for zeros) centred on them. There must be at
// least one finite value.
func binning(values []float64, bins int) (lo, w float64, counts []int) {
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if finite(v) {
			mn, mx = min(mn, v), max(mx, v)
		}
	}
	if mn == mx {
		w = 1
		if mn != 0 {
			w = 0.1 * math.Abs(mn)
		}
		lo, bins = mn-w/2, 1
	} else {
		w = mx/float64(bins) - mn/float64(bins) // no overflow for mx − mn > MaxFloat64
		lo = mn
		if mn < 0 && mx > 0 {
			lo = math.Floor(mn/w) * w
			bins = max(int(math.Ceil((mx-lo)/w)), 1)
		}
	}
	counts = make([]int, bins)
	for _, v := range values {
		if finite(v) {
			i := min(max(int(math.Floor((v-lo)/w)), 0), bins-1)
			counts[i]++
		}
	}
	return lo, w, counts
}

// histBars draws counts[i] over [lo + i·w, lo + (i+1)·w].
type histBars struct {
	lo, w  float64
	counts []int
}

// DataRange implements plot.DataRanger.
func (h *histBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	for _, n := range h.counts {
		ymax = max(ymax, float64(n))
	}
	return h.lo, h.lo + float64(len(h.counts))*h.w, 0, ymax
}

// Plot implements plot.Plotter.
func (h *histBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	gap := vg.Points(0.5)
	for i, n := range h.counts {
		if n == 0 {
			continue
		}
		a, b := h.lo+float64(i)*h.w, h.lo+float64(i+1)*h.w
		clr := palette[0]
		if (a+b)/2 < 0 {
			clr = palette[2]
		}
		x0, x1 := trX(a)+gap, trX(b)-gap
		y0, y1 := trY(0), trY(float64(n))
		c.FillPolygon(clr, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	}
}

// barPitch is the least height in points Bars gives each bar.
const barPitch = 16

// Bars renders one horizontal bar per label, labels[0] at the top, from 0 to its
// value: exit reason counts, P&L by phase or by symbol. Negative values are red
// bars to the left, the others blue; each bar is annotated with its value, in
// o.Format or compactly (1.2k). NaN and ±Inf values get a label but no bar. The
// chart is made taller when the bars would be less than 16 points apart.
//
// As for a column chart, o.XLabel names what the labels are (drawn beside them,
// on the left) and o.YLabel what the values are (drawn under the value axis).
func Bars(o Options, labels []string, values []float64) ([]byte, error) {
	o = o.withDefaults()
	if len(labels) != len(values) {
		return nil, fmt.Errorf("chart: Bars: %d values for %d labels", len(values), len(labels))
	}
	points := 0
	for _, v := range values {
		if finite(v) {
			points++
		}
	}
	need := float64(len(labels))*barPitch + 50 + 2*margin
	if o.Title != "" {
		need += 20
	}
	if o.Note != "" {
		need += 15
	}
	o.Height = max(o.Height, need)
	return render(o, "bars", points, func(c draw.Canvas) {
		p := newPlot(o)
		// The bars lie horizontally, but XLabel names the labels and YLabel the
		// values, as for a column chart.
		p.X.Label.Text, p.Y.Label.Text = p.Y.Label.Text, p.X.Label.Text
		p.X.Tick.Marker = numTicks{}
		p.Y.Tick.Marker = categories{labels: labels, every: 1, reverse: true}
		p.Y.LineStyle.Width = 0
		p.Y.Tick.LineStyle.Width = 0
		g := plotter.NewGrid()
		g.Horizontal.Color = nil
		g.Vertical.Color = gridGrey
		g.Vertical.Width = vg.Points(0.5)
		g.Vertical.Dashes = nil
		p.Add(g, &bars{values: values, format: o.Format})
		// Room for the value written past the end of the bars.
		span := p.X.Max - p.X.Min
		if span == 0 {
			span = 1
		}
		if p.X.Min < 0 {
			p.X.Min -= 0.15 * span
		}
		if p.X.Max > 0 || p.X.Min == 0 {
			p.X.Max += 0.15 * span
		}
		p.Y.Min, p.Y.Max = -0.5, float64(len(labels))-0.5
		p.Draw(c)
	})
}

// bars draws values[i] as a bar from 0 centred at y = len(values)−1−i.
type bars struct {
	values []float64
	format string
}

// DataRange implements plot.DataRanger; it always includes 0.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	for _, v := range b.values {
		if finite(v) {
			xmin, xmax = min(xmin, v), max(xmax, v)
		}
	}
	return xmin, xmax, -0.5, float64(len(b.values)) - 0.5
}

// Plot implements plot.Plotter.
func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := textStyle(8.5, black)
	sty.YAlign = draw.YCenter
	x0 := trX(0)
	n := len(b.values)
	for i, v := range b.values {
		if !finite(v) {
			continue
		}
		y := float64(n - 1 - i)
		y0, y1 := trY(y-0.35), trY(y+0.35)
		x1 := trX(v)
		var clr color.Color = palette[0]
		sty.XAlign = draw.XLeft
		off := vg.Points(3)
		if v < 0 {
			clr = palette[2]
			sty.XAlign = draw.XRight
			off = -off
		}
		c.FillPolygon(clr, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		txt := compact(v)
		if b.format != "" {
			txt = fmt.Sprintf(b.format, v)
		}
		c.FillText(sty, vg.Point{X: x1 + off, Y: trY(y)}, clean(txt))
	}
	c.StrokeLine2(draw.LineStyle{Color: grey, Width: vg.Points(0.75)}, x0, c.Min.Y, x0, c.Max.Y)
}

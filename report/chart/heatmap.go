package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/optsweep/sweep/sim/metrics"
)

// Heatmap renders a grid of cells coloured by value, rows[i] labelling row i from
// the top and cols[j] column j from the left; z[i][j] is the value of row i,
// column j. Each cell is annotated with its value written with format (e.g.
// "%.1f%%"; empty means "%.3g") when the text fits the cell. NaN and ±Inf cells
// are grey and blank. o.Scale picks the colours: Diverging, centred at 0, for
// returns; Sequential for quantities without a natural zero. Use o.Note to say
// which other parameters a sweep heatmap holds fixed.
func Heatmap(o Options, rows, cols []string, z [][]float64, format string) ([]byte, error) {
	o = o.withDefaults()
	if len(z) != len(rows) {
		return nil, fmt.Errorf("chart: Heatmap: %d rows of values for %d row labels", len(z), len(rows))
	}
	points := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, r := range z {
		if len(r) != len(cols) {
			return nil, fmt.Errorf("chart: Heatmap: row %d has %d values for %d columns", i, len(r), len(cols))
		}
		for _, v := range r {
			if finite(v) {
				points++
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if format == "" {
		format = "%.3g"
	}
	return render(o, "heatmap", points, func(c draw.Canvas) {
		p := newPlot(o)
		// Thin the labels when they would overlap: guess the data area as the
		// chart less a generous allowance for labels, header and colour scale.
		tick := p.X.Tick.Label
		every := int(math.Ceil(float64(len(cols)) * (labelWidth(tick, cols) + 6) / (o.Width - 160)))
		p.X.Tick.Marker = categories{labels: cols, every: max(every, 1)}
		rowEvery := int(math.Ceil(float64(len(rows)) * (tick.Height("0").Points() + 2) / (o.Height - 80)))
		p.Y.Tick.Marker = categories{labels: rows, every: max(rowEvery, 1), reverse: true}
		for _, a := range []*plot.Axis{&p.X, &p.Y} {
			a.LineStyle.Width = 0
			a.Tick.Length = vg.Points(2)
			a.Tick.LineStyle.Width = 0
		}
		h := &cells{z: z, format: format, scale: o.Scale, lo: lo, hi: hi}
		p.Add(h)
		p.X.Min, p.X.Max = -0.5, float64(len(cols))-0.5
		p.Y.Min, p.Y.Max = -0.5, float64(len(rows))-0.5
		right := scaleWidth(format, lo, hi)
		area := draw.Crop(c, 0, -right, 0, 0)
		p.Draw(area)
		data := p.DataCanvas(area)
		h.drawScale(draw.Crop(c, c.Size().X-right+8, 0, data.Min.Y-c.Min.Y, data.Max.Y-c.Max.Y))
	})
}

// MonthlyGrid arranges monthly returns (as metrics.MonthlyReturns returns them)
// for Heatmap: one row per year from the first to the last, columns Jan to Dec,
// values in percent and NaN for months without a return.
func MonthlyGrid(months []metrics.Month) (rows, cols []string, z [][]float64) {
	cols = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	if len(months) == 0 {
		return nil, cols, nil
	}
	first, last := months[0].Year, months[0].Year
	for _, m := range months {
		first, last = min(first, m.Year), max(last, m.Year)
	}
	n := last - first + 1
	rows = make([]string, n)
	z = make([][]float64, n)
	cells := make([]float64, 12*n)
	for i := range cells {
		cells[i] = math.NaN()
	}
	for i := range z {
		rows[i] = fmt.Sprint(first + i)
		z[i] = cells[12*i : 12*(i+1) : 12*(i+1)]
	}
	for _, m := range months {
		z[m.Year-first][m.Month-1] = 100 * m.Return
	}
	return rows, cols, z
}

// labelWidth returns the width of the widest of labels in sty.
func labelWidth(sty draw.TextStyle, labels []string) float64 {
	w := vg.Length(0)
	for _, l := range labels {
		w = max(w, sty.Width(clean(l)))
	}
	return w.Points()
}

// categories ticks the whole numbers 0..len(labels)−1 with labels, writing
// every every-th one; with reverse set labels[0] is at the largest value, so a
// vertical axis lists them from the top.
type categories struct {
	labels  []string
	every   int
	reverse bool
}

// Ticks implements plot.Ticker.
func (t categories) Ticks(lo, hi float64) []plot.Tick {
	n := len(t.labels)
	ticks := make([]plot.Tick, 0, n)
	for i, l := range t.labels {
		v := float64(i)
		if t.reverse {
			v = float64(n - 1 - i)
		}
		if v < lo || v > hi {
			continue
		}
		tk := plot.Tick{Value: v}
		if i%t.every == 0 {
			tk.Label = clean(l)
		}
		ticks = append(ticks, tk)
	}
	return ticks
}

// cells draws the heatmap: cell (i, j) is centred at x = j, y = len(z)−1−i.
type cells struct {
	z      [][]float64
	format string
	scale  ColorScale
	lo, hi float64 // finite range of z
}

// Plot implements plot.Plotter.
func (h *cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := textStyle(8.5, black)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	th := sty.Height("0")
	gap := vg.Points(0.5)
	n := len(h.z)
	for i, r := range h.z {
		y := float64(n - 1 - i)
		y0, y1 := trY(y-0.5)+gap, trY(y+0.5)-gap
		for j, v := range r {
			x0, x1 := trX(float64(j)-0.5)+gap, trX(float64(j)+0.5)-gap
			rect := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
			if !finite(v) {
				c.FillPolygon(nanGrey, rect)
				continue
			}
			bg := h.color(v)
			c.FillPolygon(bg, rect)
			txt := fmt.Sprintf(h.format, v)
			if sty.Width(txt) > x1-x0-2 || th > y1-y0-1 {
				continue
			}
			sty.Color = black
			if luminance(bg) < 0.5 {
				sty.Color = color.White
			}
			c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, clean(txt))
		}
	}
}

// scaleBar is the width of the colour scale's bar.
const scaleBar = 10

// scaleWidth returns the room the colour scale needs at the right.
func scaleWidth(format string, lo, hi float64) vg.Length {
	sty := textStyle(8.5, black)
	m := max(math.Abs(lo), math.Abs(hi))
	w := max(sty.Width(fmt.Sprintf(format, lo)), sty.Width(fmt.Sprintf(format, hi)),
		sty.Width(fmt.Sprintf(format, -m)), sty.Width(fmt.Sprintf(format, m)))
	return w + scaleBar + 16
}

// drawScale draws the colour scale as a vertical bar filling the height of c,
// labelled at its ends, and at 0 on the diverging scale.
func (h *cells) drawScale(c draw.Canvas) {
	lo, hi := h.lo, h.hi
	labels := []float64{lo, hi}
	if lo == hi {
		labels = labels[:1]
	}
	if h.scale != Sequential {
		hi = max(math.Abs(lo), math.Abs(hi))
		lo = -hi
		labels = []float64{lo, 0, hi}
	}
	const steps = 32
	x0, x1 := c.Min.X, c.Min.X+scaleBar
	dy := (c.Max.Y - c.Min.Y) / steps
	for i := range steps {
		y0 := c.Min.Y + vg.Length(i)*dy
		v := lo + (hi-lo)*(float64(i)+0.5)/steps
		y1 := y0 + dy
		if i < steps-1 {
			y1 += 0.5 // overlap the next slice so no seam shows
		}
		c.FillPolygon(h.color(v), []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	}
	sty := textStyle(8.5, black)
	sty.YAlign = draw.YCenter
	for _, v := range labels {
		y := c.Min.Y + (c.Max.Y-c.Min.Y)/2
		if hi > lo {
			y = c.Min.Y + vg.Length((v-lo)/(hi-lo))*(c.Max.Y-c.Min.Y)
		}
		c.FillText(sty, vg.Point{X: x1 + 3, Y: y}, clean(fmt.Sprintf(h.format, v)))
	}
}

// color returns the fill of a cell of value v.
func (h *cells) color(v float64) color.RGBA {
	if h.scale == Sequential {
		t := 0.5
		if h.hi > h.lo {
			t = (v - h.lo) / (h.hi - h.lo)
		}
		return lerp(color.RGBA{0xF7, 0xFB, 0xFF, 0xFF}, color.RGBA{0x08, 0x30, 0x6B, 0xFF}, t)
	}
	m := max(math.Abs(h.lo), math.Abs(h.hi))
	if m == 0 {
		return lerp(white, posBlue, 0)
	}
	if v < 0 {
		return lerp(white, negRed, -v/m)
	}
	return lerp(white, posBlue, v/m)
}

// white is the colour of zero on the diverging scale.
var white = color.RGBA{0xF7, 0xF7, 0xF7, 0xFF}

// lerp mixes a and b, t = 0 giving a and t = 1 giving b.
func lerp(a, b color.RGBA, t float64) color.RGBA {
	t = min(max(t, 0), 1)
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + t*(float64(y)-float64(x)))) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xFF}
}

// luminance returns the perceived brightness of c, 0 (black) to 1 (white).
func luminance(c color.RGBA) float64 {
	return (0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B)) / 255
}

package chart

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Lines renders one or more series over dates: an equity curve and its dashed
// high-water mark, or several runs overlaid for comparison. Every series has one
// value per day; NaN and ±Inf leave a gap. Solid series take the colours of a
// fixed palette in order and a dashed series takes the colour of the solid series
// before it. A legend at the top left lists the series that have names.
func Lines(o Options, days []int32, series ...Series) ([]byte, error) {
	o = o.withDefaults()
	points := 0
	for _, s := range series {
		if len(s.Y) != len(days) {
			return nil, fmt.Errorf("chart: Lines: series %q has %d values for %d days", s.Name, len(s.Y), len(days))
		}
		for _, v := range s.Y {
			if finite(v) {
				points++
			}
		}
	}
	return render(o, "lines", points, func(c draw.Canvas) {
		p := newPlot(o)
		p.X.Tick.Marker = dateTicks{}
		p.Y.Tick.Marker = numTicks{}
		p.Add(hgrid())
		x := dayValues(days)
		var clr color.Color = grey
		n := 0
		for _, s := range series {
			sty := draw.LineStyle{Width: vg.Points(1.3)}
			if s.Dashed {
				sty.Width = vg.Points(1)
				sty.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			} else {
				clr = palette[n%len(palette)]
				n++
			}
			sty.Color = clr
			l := &line{x: x, y: s.Y, sty: sty}
			p.Add(l)
			if s.Name != "" {
				p.Legend.Add(clean(s.Name), l)
			}
		}
		padY(p, 0.04)
		p.Draw(c)
	})
}

// Underwater renders a drawdown curve as an area below zero, in percent. dd holds
// fractions, one per day, as metrics.Drawdown writes them (−0.12 is drawn at
// −12%); NaN and ±Inf leave a gap.
func Underwater(o Options, days []int32, dd []float64) ([]byte, error) {
	o = o.withDefaults()
	if len(dd) != len(days) {
		return nil, fmt.Errorf("chart: Underwater: %d drawdown values for %d days", len(dd), len(days))
	}
	points := 0
	for _, v := range dd {
		if finite(v) {
			points++
		}
	}
	return render(o, "underwater", points, func(c draw.Canvas) {
		p := newPlot(o)
		p.X.Tick.Marker = dateTicks{}
		p.Y.Tick.Marker = numTicks{suffix: "%"}
		y := make([]float64, len(dd))
		for i, v := range dd {
			y[i] = 100 * v
		}
		p.Add(hgrid(), &line{
			x:    dayValues(days),
			y:    y,
			sty:  draw.LineStyle{Color: negRed, Width: vg.Points(1)},
			fill: color.RGBA{0xF2, 0xB8, 0xB5, 0xFF},
		})
		p.Y.Max = max(p.Y.Max, 0)
		if p.Y.Min >= 0 {
			p.Y.Min = -1
		}
		p.Y.Min -= 0.04 * (p.Y.Max - p.Y.Min)
		p.Draw(c)
	})
}

// dayValues returns days as float64 axis values.
func dayValues(days []int32) []float64 {
	x := make([]float64, len(days))
	for i, d := range days {
		x[i] = float64(d)
	}
	return x
}

// hgrid returns light horizontal grid lines at the major y ticks.
func hgrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal.Color = gridGrey
	g.Horizontal.Width = vg.Points(0.5)
	g.Horizontal.Dashes = nil
	return g
}

// padY widens the y range of p by frac of its span on both sides.
func padY(p *plot.Plot, frac float64) {
	if d := frac * (p.Y.Max - p.Y.Min); finite(d) {
		p.Y.Min -= d
		p.Y.Max += d
	}
}

// line is a polyline over x with a gap wherever y is not finite. With fill set
// it also fills the area between each stretch of the line and y = 0.
type line struct {
	x, y []float64
	sty  draw.LineStyle
	fill color.Color
}

// DataRange implements plot.DataRanger over the finite points.
func (l *line) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i, v := range l.y {
		xmin, xmax = min(xmin, l.x[i]), max(xmax, l.x[i])
		if finite(v) {
			ymin, ymax = min(ymin, v), max(ymax, v)
		}
	}
	return xmin, xmax, ymin, ymax
}

// Plot implements plot.Plotter.
func (l *line) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	pts := make([]vg.Point, 0, len(l.y))
	var segs [][]vg.Point
	start := 0
	for i, v := range l.y {
		if !finite(v) {
			if len(pts) > start {
				segs = append(segs, pts[start:len(pts):len(pts)])
			}
			start = len(pts)
			continue
		}
		pts = append(pts, vg.Point{X: trX(l.x[i]), Y: trY(v)})
	}
	if len(pts) > start {
		segs = append(segs, pts[start:])
	}
	if l.fill != nil {
		zero := trY(0)
		for _, s := range segs {
			poly := make([]vg.Point, 0, len(s)+2)
			poly = append(poly, vg.Point{X: s[0].X, Y: zero})
			poly = append(poly, s...)
			poly = append(poly, vg.Point{X: s[len(s)-1].X, Y: zero})
			c.FillPolygon(l.fill, poly)
		}
	}
	c.StrokeLines(l.sty, segs...)
	dot := draw.GlyphStyle{Color: l.sty.Color, Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}
	for _, s := range segs {
		if len(s) == 1 {
			c.DrawGlyph(dot, s[0])
		}
	}
}

// Thumbnail implements plot.Thumbnailer for the legend.
func (l *line) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.sty, c.Min.X, y, c.Max.X, y)
}

// dateTicks places ticks on calendar boundaries of axis values that are days
// since 1970-01-01: days or weeks for short spans, else months, quarters, half
// years or years, aiming at no more than 8 labels.
type dateTicks struct{}

// Ticks implements plot.Ticker.
func (dateTicks) Ticks(lo, hi float64) []plot.Tick {
	if !finite(lo) || !finite(hi) || hi < lo {
		return nil
	}
	span := hi - lo
	if span < 62 {
		return dayTicks(lo, hi, span)
	}
	step := 120
	for _, s := range []int{1, 2, 3, 6, 12, 24, 60} {
		if span/30.44/float64(s) <= 8 {
			step = s
			break
		}
	}
	t := dayTime(math.Ceil(lo))
	m := t.Year()*12 + int(t.Month()) - 1 // months since year 0
	if t.Day() != 1 {
		m++
	}
	m += (step - m%step) % step
	var ticks []plot.Tick
	for ; ; m += step {
		t := time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC)
		d := float64(t.Unix() / 86400)
		if d > hi {
			break
		}
		label := t.Format("2006")
		if step < 12 {
			label = t.Format("Jan")
			if len(ticks) == 0 || t.Month() == time.January {
				label = t.Format("Jan 2006")
			}
		}
		ticks = append(ticks, plot.Tick{Value: d, Label: label})
	}
	return ticks
}

// dayTicks returns ticks every 1, 2, 7 (on Mondays) or 14 days over [lo, hi].
func dayTicks(lo, hi, span float64) []plot.Tick {
	step := 14
	for _, s := range []int{1, 2, 7} {
		if span/float64(s) <= 8 {
			step = s
			break
		}
	}
	d := int(math.Ceil(lo))
	if step >= 7 {
		// Day 0 was a Thursday; Mondays are the days with (d+3) % 7 == 0.
		d += ((-(d + 3))%7 + 7) % 7
	}
	var ticks []plot.Tick
	for ; float64(d) <= hi; d += step {
		ticks = append(ticks, plot.Tick{Value: float64(d), Label: dayTime(float64(d)).Format("Jan 2")})
	}
	return ticks
}

// dayTime returns the UTC midnight of day d since 1970-01-01.
func dayTime(d float64) time.Time {
	return time.Unix(int64(d)*86400, 0).UTC()
}

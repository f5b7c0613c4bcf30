// Package chart renders the charts of an HTML report as standalone SVG elements
// that the report inlines: line charts over dates (equity curves, high-water marks,
// several runs compared), underwater (drawdown) charts, labelled heatmaps (monthly
// returns, sweep parameter grids), histograms and bar charts.
//
// Every function returns the bytes of one <svg> element with no XML prolog, so the
// result can be written into HTML as it is. Rendering uses gonum.org/v1/plot and its
// SVG backend; fonts are not embedded and nothing refers to an external resource:
// text names the Liberation Sans metrics it was laid out with and falls back to the
// browser's sans-serif font.
//
// The root element carries markers that tests of the finished page can read:
//
//	<svg class="chart" data-kind="lines" data-points="500" ...>
//
// data-kind is one of lines, underwater, heatmap, histogram and bars; data-points is
// the number of data points drawn: finite (date, value) points summed over all
// series for Lines, finite drawdown values for Underwater, finite cells for Heatmap,
// finite values for Histogram and finite bars for Bars. A chart with nothing to draw
// says "no data" and has data-points="0".
//
// Text that comes from data (titles, series names, labels) is escaped, and
// characters that XML does not allow are replaced, so the output is always
// well-formed XML. The same input gives the same bytes.
//
// Dates are days since 1970-01-01 UTC, as in the sim packages. NaN and ±Inf values
// (and, so that nothing overflows, values larger in size than 1e300) are not
// drawn: a line has a gap there and a heatmap cell is left grey.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default chart size in points (1/72 inch).
const (
	DefaultWidth  = 720
	DefaultHeight = 280
)

// ColorScale chooses how Heatmap maps values to colours.
type ColorScale int

const (
	// Diverging centres the scale at 0: negative values red, positive values
	// blue (a colour-blind-safe pair), with the stronger colour at the largest
	// absolute value. Use it for returns and other signed quantities.
	Diverging ColorScale = iota
	// Sequential runs from a pale colour at the smallest value to dark blue at
	// the largest. Use it for quantities without a natural zero.
	Sequential
)

// Options are the settings shared by all charts. The zero value is usable.
type Options struct {
	Title  string // drawn at the top left; empty for none
	Note   string // a smaller grey line under the title, e.g. the parameters held fixed
	XLabel string // horizontal axis label; for Bars, what the labels are
	YLabel string // vertical axis label; for Bars, what the values are

	// Width and Height are the size in points; zero means DefaultWidth and
	// DefaultHeight. Bars makes the chart taller when its bars would not fit.
	Width, Height float64

	// Scale is Heatmap's colour scale.
	Scale ColorScale

	// Format is the fmt verb Bars uses for the value written next to each bar,
	// e.g. "%.0f". Empty means a compact number such as 1.2k.
	Format string
}

// Series is one line of a Lines chart: a value per date, NaN or ±Inf where there
// is none.
type Series struct {
	Name string    // legend entry; the legend is shown when any series has a name
	Y    []float64 // one value per date
	// Dashed draws the line dashed, in the colour of the closest solid series
	// before it, so an equity curve followed by its high-water mark share a colour.
	Dashed bool
}

// palette is the colour of the n-th solid series (Tableau 10).
var palette = [...]color.RGBA{
	{0x4E, 0x79, 0xA7, 0xFF}, {0xF2, 0x8E, 0x2B, 0xFF}, {0xE1, 0x57, 0x59, 0xFF},
	{0x76, 0xB7, 0xB2, 0xFF}, {0x59, 0xA1, 0x4F, 0xFF}, {0xED, 0xC9, 0x48, 0xFF},
	{0xB0, 0x7A, 0xA1, 0xFF}, {0xFF, 0x9D, 0xA7, 0xFF}, {0x9C, 0x75, 0x5F, 0xFF},
	{0xBA, 0xB0, 0xAC, 0xFF},
}

var (
	black    = color.RGBA{0x22, 0x22, 0x22, 0xFF}
	grey     = color.RGBA{0x77, 0x77, 0x77, 0xFF}
	gridGrey = color.RGBA{0xE6, 0xE6, 0xE6, 0xFF}
	nanGrey  = color.RGBA{0xE3, 0xE3, 0xE3, 0xFF}
	negRed   = color.RGBA{0xB2, 0x18, 0x2B, 0xFF}
	posBlue  = color.RGBA{0x21, 0x66, 0xAC, 0xFF}
)

// sans is the font every text is laid out with.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// svgFontDecl is the font declaration vgsvg writes on every text; finish drops it
// and sets rootFont once on the root element, whose texts inherit it.
const (
	svgFontDecl = "font-family:Liberation Sans;font-variant:normal;font-weight:normal;font-style:normal;"
	rootFont    = `font-family="Liberation Sans,Arial,Helvetica,sans-serif"`
)

// withDefaults returns o with its zero sizes replaced.
func (o Options) withDefaults() Options {
	if !(o.Width > 0) {
		o.Width = DefaultWidth
	}
	if !(o.Height > 0) {
		o.Height = DefaultHeight
	}
	return o
}

// textStyle returns a plain text style in the chart font.
func textStyle(size float64, clr color.Color) text.Style {
	return text.Style{
		Color:   clr,
		Font:    font.From(sans, vg.Points(size)),
		Handler: plot.DefaultTextHandler,
	}
}

// render draws a chart of the given kind: the header, then body in the area
// below it, or a "no data" note when points is 0. It returns the finished
// <svg> element.
func render(o Options, kind string, points int, body func(draw.Canvas)) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("chart: rendering %s: %v", kind, r)
		}
	}()
	cv := vgsvg.New(vg.Points(o.Width), vg.Points(o.Height))
	dc := draw.New(cv)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	dc = drawHeader(dc, o)
	if points == 0 {
		sty := textStyle(12, grey)
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
		dc.FillText(sty, dc.Center(), "no data")
	} else {
		body(dc)
	}
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: writing %s SVG: %w", kind, err)
	}
	return finish(buf.Bytes(), kind, points)
}

// margin is the blank border around a chart.
const margin = 6

// drawHeader draws the title and note at the top of c and returns the area
// left below them, inside the margin.
func drawHeader(c draw.Canvas, o Options) draw.Canvas {
	c = draw.Crop(c, margin, -margin, margin, -margin)
	for _, line := range []struct {
		text string
		size float64
		clr  color.Color
	}{{o.Title, 13, black}, {o.Note, 9.5, grey}} {
		if line.text == "" {
			continue
		}
		sty := textStyle(line.size, line.clr)
		sty.YAlign = draw.YTop
		c.FillText(sty, vg.Point{X: c.Min.X, Y: c.Max.Y}, clean(line.text))
		c.Max.Y -= sty.Rectangle("Xg").Size().Y + 3
	}
	return c
}

// finish turns vgsvg's document into a standalone element: it drops the XML
// prolog and comment, adds the chart markers and the font to the root and
// removes the font declaration repeated on every text.
func finish(doc []byte, kind string, points int) ([]byte, error) {
	i := bytes.Index(doc, []byte("<svg "))
	if i < 0 {
		return nil, fmt.Errorf("chart: %s: no <svg> element in the SVG backend's output", kind)
	}
	doc = doc[i+len("<svg "):]
	doc = bytes.ReplaceAll(doc, []byte(svgFontDecl), nil)
	doc = bytes.ReplaceAll(doc, []byte("\n\t"), []byte(" "))
	out := make([]byte, 0, len(doc)+128)
	out = fmt.Appendf(out, `<svg class="chart" data-kind="%s" data-points="%d" %s `, kind, points, rootFont)
	return append(out, doc...), nil
}

// clean makes s safe to hand to the SVG backend, which escapes <, >, &, ' and ":
// invalid UTF-8 and characters XML does not allow become U+FFFD and line breaks
// and tabs become spaces, so a label stays on one line.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if !xmlChar(r) || r == '\n' || r == '\r' || r == '\t' {
			ok = false
			break
		}
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xmlChar reports whether r is a character XML 1.0 allows. Invalid UTF-8 decodes
// to U+FFFD, which it allows.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// maxValue is the largest magnitude drawn; larger values are treated like ±Inf
// so that ranges and coordinates cannot overflow.
const maxValue = 1e300

// finite reports whether v is a value that is drawn: not NaN and no larger in
// size than maxValue (so not ±Inf).
func finite(v float64) bool { return math.Abs(v) <= maxValue }

// newPlot returns a plot styled for the report: chart font, light axes, no
// background (render paints it) and the axis labels of o.
func newPlot(o Options) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, vg.Points(10))
		a.Label.TextStyle.Color = black
		a.Tick.Label.Font = font.From(sans, vg.Points(9))
		a.Tick.Label.Color = black
		a.LineStyle.Color = grey
		a.Tick.LineStyle.Color = grey
		a.Tick.Length = vg.Points(4)
		a.Padding = 0
	}
	p.X.Label.Text = clean(o.XLabel)
	p.Y.Label.Text = clean(o.YLabel)
	p.Legend.TextStyle.Font = font.From(sans, vg.Points(9))
	p.Legend.TextStyle.Color = black
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), vg.Points(-4)
	p.Legend.ThumbnailWidth = vg.Points(16)
	p.Legend.Padding = vg.Points(2)
	return p
}

// numTicks places four to eight ticks at round numbers (steps of 1, 2, 2.5 or 5
// times a power of ten) and labels them compactly (1.5k, 2M), with suffix
// after each label; with integers set the step is a whole number and 2.5 is
// not used.
type numTicks struct {
	suffix   string
	integers bool
}

// Ticks implements plot.Ticker.
func (t numTicks) Ticks(lo, hi float64) []plot.Tick {
	if !finite(lo) || !finite(hi) || !(hi > lo) {
		return nil
	}
	step := niceStep((hi-lo)/5, t.integers)
	div, unit := units(max(math.Abs(lo), math.Abs(hi)))
	dec := decimals(step / div)
	var ticks []plot.Tick
	for i := math.Ceil(lo / step); i*step <= hi; i++ {
		v := i * step
		label := "0"
		if i != 0 {
			label = formatFixed(v/div, dec) + unit
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label + t.suffix})
	}
	return ticks
}

// niceStep rounds raw to 1, 2, 2.5 or 5 times a power of ten, whichever is
// nearest on a log scale; with integers set, to 1, 2 or 5 times a power of ten
// and at least 1.
func niceStep(raw float64, integers bool) float64 {
	if integers && raw <= 1 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	f := raw / mag
	switch {
	case f < 1.5:
		return mag
	case f < 2.25 || integers && f < 3.5:
		return 2 * mag
	case f < 3.5:
		return 2.5 * mag
	case f < 7.5:
		return 5 * mag
	}
	return 10 * mag
}

// units returns the divisor and unit suffix for numbers up to maxAbs in size.
func units(maxAbs float64) (float64, string) {
	switch {
	case maxAbs >= 1e9:
		return 1e9, "G"
	case maxAbs >= 1e6:
		return 1e6, "M"
	case maxAbs >= 1e4:
		return 1e3, "k"
	}
	return 1, ""
}

// decimals returns how many decimals tell apart numbers step apart (0 to 6).
func decimals(step float64) int {
	if !finite(step) || step <= 0 {
		return 0
	}
	for d := 0; d < 6; d++ {
		s := step * math.Pow10(d)
		if math.Abs(s-math.Round(s)) < 1e-6*s {
			return d
		}
	}
	return 6
}

// formatFixed formats v with dec decimals, writing −0 as 0.
func formatFixed(v float64, dec int) string {
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.TrimLeft(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s
}

// compact formats v in about three significant digits with a unit: 1234.5 is
// "1235", 12345 is "12.3k", -0.0042 is "-0.0042".
func compact(v float64) string {
	if !finite(v) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	div, unit := units(math.Abs(v))
	if x := v / div; math.Abs(x) >= 100 && math.Abs(x) < 1e6 {
		return formatFixed(x, 0) + unit
	}
	return strconv.FormatFloat(v/div, 'g', 3, 64) + unit
}

package plot

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The picture's colours: the terminal UI's green in area and blue out
// line, its red X and yellow R (a darker yellow, to read on white).
var (
	inColour      = color.RGBA{R: 0x00, G: 0xc0, B: 0x00, A: 0xff}
	outColour     = color.RGBA{R: 0x00, G: 0x30, B: 0xff, A: 0xff}
	resetColour   = color.RGBA{R: 0xd0, G: 0x10, B: 0x10, A: 0xff}
	reconnColour  = color.RGBA{R: 0xc0, G: 0x90, B: 0x00, A: 0xff}
	gridColour    = color.RGBA{R: 0xe0, G: 0xe0, B: 0xe0, A: 0xff}
	noteColour    = color.RGBA{R: 0x70, G: 0x70, B: 0x70, A: 0xff}
	pictureColour = color.White
)

// sans is the typeface of every text: gonum bundles Liberation, so the
// picture looks the same on every machine.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// pxPerPt converts pixels (96 per inch) to points (72 per inch).
const pxPerPt = 96.0 / 72.0

// textStyle returns a text style of size points in colour c.
func textStyle(size float64, c color.Color, x text.XAlignment, y text.YAlignment) text.Style {
	return text.Style{Color: c, Font: font.From(sans, vg.Length(size)), XAlign: x, YAlign: y, Handler: plot.DefaultTextHandler}
}

// picture is everything drawn: the header and one panel per target.
type picture struct {
	title, subtitle string
	panels          []panel
	from, to        time.Time
	unit            string
	log             bool
	loc             *time.Location
}

// draw draws the picture on c: a header with the title, the span and the
// legend, then the panels stacked on one time axis.
func (pic *picture) draw(c draw.Canvas) {
	c.SetColor(pictureColour)
	c.Fill(c.Rectangle.Path())

	pad := vg.Points(10)
	titleStyle := textStyle(14, color.Black, draw.XLeft, draw.YTop)
	titleStyle.Font.Weight = xfont.WeightBold
	subStyle := textStyle(10, noteColour, draw.XLeft, draw.YTop)
	top := c.Max.Y - pad
	c.FillText(titleStyle, vg.Point{X: c.Min.X + pad, Y: top}, pic.title)
	c.FillText(subStyle, vg.Point{X: c.Min.X + pad, Y: top - titleStyle.Height(pic.title) - vg.Points(3)}, pic.subtitle)
	header := titleStyle.Height(pic.title) + subStyle.Height(pic.subtitle) + vg.Points(3) + 2*pad

	pic.drawLegend(draw.Crop(c, 0, -pad, 0, -pad))

	body := draw.Crop(c, 0, 0, 0, -header)
	plots := make([][]*plot.Plot, len(pic.panels))
	width := float64(c.Max.X-c.Min.X) * pxPerPt
	for i := range pic.panels {
		plots[i] = []*plot.Plot{pic.panelPlot(&pic.panels[i], width, i == len(pic.panels)-1)}
	}
	tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadX: pad, PadY: vg.Points(14), PadLeft: pad, PadRight: 2 * pad, PadBottom: pad}
	canvases := plot.Align(plots, tiles, body)
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
}

// legendEntry is one item of the header's legend.
type legendEntry struct {
	thumb plot.Thumbnailer
	text  string
}

// drawLegend writes the legend on one line at the top right of c: in,
// out, and the markers the picture has.
func (pic *picture) drawLegend(c draw.Canvas) {
	entries := []legendEntry{
		{&plotter.Line{FillColor: inColour}, "in"},
		{&plotter.Line{LineStyle: draw.LineStyle{Color: outColour, Width: vg.Points(1.5)}}, "out"},
	}
	has := map[rune]bool{}
	for _, p := range pic.panels {
		for _, m := range p.marks {
			has[m.flag] = true
		}
	}
	if has['X'] {
		entries = append(entries, legendEntry{flagThumb('X'), "counter reset or discontinuity"})
	}
	if has['R'] {
		entries = append(entries, legendEntry{flagThumb('R'), "reconnected"})
	}
	sty := textStyle(10, color.Black, draw.XLeft, draw.YTop)
	thumbW, gap, h := vg.Points(18), vg.Points(5), sty.Height("in")
	x := c.Max.X
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		x -= sty.Width(e.text)
		c.FillText(sty, vg.Point{X: x, Y: c.Max.Y}, e.text)
		x -= gap + thumbW
		e.thumb.Thumbnail(&draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: c.Max.Y - h + vg.Points(1)},
			Max: vg.Point{X: x + thumbW, Y: c.Max.Y - vg.Points(1)},
		}})
		x -= 3 * gap
	}
}

// panelPlot builds one target's plot: a grid, the in area, the out line,
// the markers; the time axis is labelled on every panel and named on the
// last one. width is the picture's width in pixels, which sets how finely
// runs are drawn.
func (pic *picture) panelPlot(p *panel, width float64, last bool) *plot.Plot {
	pl := plot.New()
	pl.BackgroundColor = nil
	pl.Title.Text = panelTitle(p, pic.unit)
	pl.Title.TextStyle = textStyle(11, color.Black, draw.XCenter, draw.YTop)
	pl.Title.Padding = vg.Points(4)
	for _, ax := range []*plot.Axis{&pl.X, &pl.Y} {
		ax.Padding = 0
		ax.Tick.Label = textStyle(9, color.Black, ax.Tick.Label.XAlign, ax.Tick.Label.YAlign)
		ax.Label.TextStyle = textStyle(10, color.Black, ax.Label.TextStyle.XAlign, ax.Label.TextStyle.YAlign)
	}
	from, to := unixSeconds(pic.from), unixSeconds(pic.to)
	pl.X.Tick.Marker = timeTicks{loc: pic.loc, maxLabels: int(width / 110)}
	if last {
		pl.X.Label.Text = "local time (UTC" + pic.from.In(pic.loc).Format("-07:00") + ")"
	}

	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = gridColour, gridColour
	pl.Add(grid)
	perCol := (to - from) / width
	for _, run := range p.runs[dirIn] {
		pl.Add(&plotter.Line{XYs: decimate(run, perCol), FillColor: inColour})
		if len(run) == 1 {
			pl.Add(dot(run, inColour))
		}
	}
	for _, run := range p.runs[dirOut] {
		pl.Add(&plotter.Line{XYs: decimate(run, perCol), LineStyle: draw.LineStyle{Color: outColour, Width: vg.Points(1.5)}})
		if len(run) == 1 {
			pl.Add(dot(run, outColour))
		}
	}
	pl.Add(flags(p.marks))
	if !p.rated {
		pl.Add(note("no rate in this span"))
	}

	// The ranges are set after Add, which widens them to the data.
	ya := newYAxis(max(p.max[dirIn], p.max[dirOut]), pic.unit, pic.log)
	pl.X.Min, pl.X.Max = from, to
	pl.Y.Min, pl.Y.Max = ya.lo, ya.hi
	pl.Y.Scale = ya.scale
	pl.Y.Tick.Marker = plot.ConstantTicks(ya.ticks)
	return pl
}

// panelTitle names the target, the interfaces it was polled on and its
// rates in the span.
func panelTitle(p *panel, unit string) string {
	var b strings.Builder
	b.WriteString(p.target)
	for i, f := range p.ifaces {
		if i > 0 {
			b.WriteString(", then")
		}
		if f.name != "" && f.name != p.target {
			b.WriteString("  " + f.name)
		}
		fmt.Fprintf(&b, "  ifIndex %d", f.index)
	}
	if p.rated {
		fmt.Fprintf(&b, "    in max %s avg %s    out max %s avg %s",
			rateLabel(p.max[dirIn], unit), rateLabel(p.avg[dirIn], unit),
			rateLabel(p.max[dirOut], unit), rateLabel(p.avg[dirOut], unit))
	}
	return b.String()
}

// dot draws a run of a single rate, which a line cannot show, as a dot.
func dot(run plotter.XYs, c color.Color) *plotter.Scatter {
	s, _ := plotter.NewScatter(run) // a one-point run has no NaN or Inf
	s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}
	return s
}

// flags draws the markers: a dashed line down the chart under the flag's
// letter, in the terminal UI's colours.
type flags []mark

// Plot implements plot.Plotter.
func (fs flags) Plot(c draw.Canvas, pl *plot.Plot) {
	trX, _ := pl.Transforms(&c)
	for _, m := range fs {
		x := trX(m.at)
		if !c.ContainsX(x) {
			continue
		}
		sty := textStyle(10, flagColour(m.flag), draw.XCenter, draw.YTop)
		sty.Font.Weight = xfont.WeightBold
		h := sty.Height(string(m.flag))
		c.StrokeLine2(flagLine(m.flag), x, c.Min.Y, x, c.Max.Y-h)
		c.FillText(sty, vg.Point{X: x, Y: c.Max.Y}, string(m.flag))
	}
}

// flagColour is the colour of a marker.
func flagColour(f rune) color.Color {
	if f == 'R' {
		return reconnColour
	}
	return resetColour
}

// flagLine is the dashed line under a marker.
func flagLine(f rune) draw.LineStyle {
	return draw.LineStyle{Color: flagColour(f), Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
}

// flagThumb is a marker's legend entry.
type flagThumb rune

// Thumbnail implements plot.Thumbnailer.
func (f flagThumb) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(flagLine(rune(f)), x, c.Min.Y, x, c.Max.Y)
	c.FillText(textStyle(10, flagColour(rune(f)), draw.XRight, draw.YCenter), vg.Point{X: x - vg.Points(2), Y: c.Center().Y}, string(rune(f)))
}

// note writes a line of text across the middle of a chart.
type note string

// Plot implements plot.Plotter.
func (n note) Plot(c draw.Canvas, _ *plot.Plot) {
	c.FillText(textStyle(11, noteColour, draw.XCenter, draw.YCenter), c.Center(), string(n))
}

package plot

import (
	"fmt"
	"image/color"
	"strings"
	"time"

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

// The picture's measures, in points.
var (
	pad      = vg.Points(10) // around the picture's content
	panelGap = vg.Points(14) // between a panel's time axis and the next panel's title
	tickLen  = vg.Points(8)  // a major tick; a minor one is half as long
	outWidth = vg.Points(1.5)
	axisLine = draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}
	gridLine = draw.LineStyle{Color: gridColour, Width: vg.Points(0.25)}
)

// pxPerPt converts pixels (96 per inch) to points (72 per inch).
const pxPerPt = 96.0 / 72.0

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
// legend, then the panels stacked on one time axis, their charts of one
// size and aligned.
func (pic *picture) draw(c draw.Canvas, st styles) {
	c.SetColor(pictureColour)
	c.Fill(c.Rectangle.Path())
	header := pic.drawHeader(c, st)

	width := float64(c.Max.X-c.Min.X) * pxPerPt
	from, to := unixSeconds(pic.from), unixSeconds(pic.to)
	times := timeTicks{loc: pic.loc, maxLabels: int(width / 110)}.ticks(from, to)
	axes := make([]yAxis, len(pic.panels))
	for i, p := range pic.panels {
		axes[i] = newYAxis(max(p.max[dirIn], p.max[dirOut]), pic.unit, pic.log)
	}
	body := draw.Crop(c, pad, -2*pad, pad, -header)
	titles := pic.panelTitles(st, c.Max.X-c.Min.X-2*pad)
	l := newLayout(body, st, axes, titles)
	for i := range pic.panels {
		ch := chart{Canvas: l.chartCanvas(i), bounds: c.Rectangle, from: from, to: to, y: axes[i], times: times, st: st}
		ch.draw(&pic.panels[i], titles[i], ch.Max.Y+l.above+l.title, width)
		if i == len(pic.panels)-1 {
			ch.drawTimeLabel("local time (UTC" + pic.from.In(pic.loc).Format("-07:00") + ")")
		}
	}
}

// drawHeader writes the title, the span and the legend at the top of c
// and returns their height. The legend goes top right, or under the span
// when the picture is too narrow for both on a line.
func (pic *picture) drawHeader(c draw.Canvas, st styles) vg.Length {
	titleStyle := st.bold(14, color.Black, draw.XLeft, draw.YTop)
	subStyle := st.text(10, noteColour, draw.XLeft, draw.YTop)
	legendStyle := st.text(10, color.Black, draw.XLeft, draw.YTop)
	top := c.Max.Y - pad
	c.FillText(titleStyle, vg.Point{X: c.Min.X + pad, Y: top}, pic.title)
	c.FillText(subStyle, vg.Point{X: c.Min.X + pad, Y: top - titleStyle.Height(pic.title) - vg.Points(3)}, pic.subtitle)
	header := titleStyle.Height(pic.title) + subStyle.Height(pic.subtitle) + vg.Points(3) + 2*pad

	legend := pic.legend(st)
	right := c.Max.X - pad
	if w := legend.width(legendStyle); right-w >= c.Min.X+pad+max(titleStyle.Width(pic.title), subStyle.Width(pic.subtitle))+3*legendGap {
		legend.draw(c, legendStyle, vg.Point{X: right - w, Y: top}, right)
		return header
	}
	return header + legend.draw(c, legendStyle, vg.Point{X: c.Min.X + pad, Y: c.Max.Y - header + pad/2}, right) + pad/2
}

// layout places the panels in the body of the picture: each one a title,
// a chart with its rate axis on the left and its time axis below; the
// last one also names the time axis.
type layout struct {
	body         draw.Canvas
	left         vg.Length // the rate axis' width, the widest panel's
	title        vg.Length // a panel's title and the space under it
	above, below vg.Length // around a chart: half a rate label, the time axis
	chartHeight  vg.Length
}

// newLayout lays panels with these rate axes and titles out in body.
func newLayout(body draw.Canvas, st styles, axes []yAxis, titles []string) layout {
	tickStyle := st.text(9, color.Black, draw.XRight, draw.YCenter)
	l := layout{
		body:  body,
		above: tickStyle.Height("0") / 2,
		below: tickLen + tickStyle.Height("0"),
	}
	for _, t := range titles {
		l.title = max(l.title, st.text(11, color.Black, draw.XCenter, draw.YTop).Height(t)+vg.Points(4))
	}
	n := len(titles)
	var labels vg.Length
	for _, a := range axes {
		for _, t := range a.ticks {
			labels = max(labels, tickStyle.Width(t.label))
		}
	}
	l.left = labels + tickStyle.Width(" ") + tickLen
	timeLabel := st.text(10, color.Black, draw.XCenter, draw.YTop).Height("M")
	each := l.title + l.above + l.below
	l.chartHeight = (body.Max.Y - body.Min.Y - timeLabel - vg.Length(n-1)*panelGap - vg.Length(n)*each) / vg.Length(n)
	return l
}

// chartCanvas returns the chart area of panel i, counted from the top.
func (l layout) chartCanvas(i int) draw.Canvas {
	top := l.body.Max.Y - vg.Length(i)*(l.title+l.above+l.chartHeight+l.below+panelGap) - l.title - l.above
	c := l.body
	c.Min = vg.Point{X: l.body.Min.X + l.left, Y: top - l.chartHeight}
	c.Max = vg.Point{X: l.body.Max.X, Y: top}
	return c
}

// panelTitles returns the panels' titles: each names the target, the
// interfaces it was polled on and its rates in the span, on one line or,
// when one would be wider than width and two lines would not, on two.
func (pic *picture) panelTitles(st styles, width vg.Length) []string {
	sty := st.text(11, color.Black, draw.XCenter, draw.YTop)
	names, rates := make([]string, len(pic.panels)), make([]string, len(pic.panels))
	titles := make([]string, len(pic.panels))
	tooWide, twoLinesFit := false, true
	for i := range pic.panels {
		names[i], rates[i] = panelTitle(&pic.panels[i], pic.unit)
		titles[i] = names[i]
		if rates[i] != "" {
			titles[i] += "    " + rates[i]
		}
		tooWide = tooWide || sty.Width(titles[i]) > width
		twoLinesFit = twoLinesFit && sty.Width(names[i]) <= width && sty.Width(rates[i]) <= width
	}
	if tooWide && twoLinesFit {
		for i := range titles {
			titles[i] = names[i] + "\n" + rates[i]
		}
	}
	return titles
}

// panelTitle returns what a panel's title says: the target and the
// interfaces it was polled on, and its rates in the span (none when it
// has no rate).
func panelTitle(p *panel, unit string) (name, rates string) {
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
		rates = fmt.Sprintf("in max %s avg %s    out max %s avg %s",
			rateLabel(p.max[dirIn], unit), rateLabel(p.avg[dirIn], unit),
			rateLabel(p.max[dirOut], unit), rateLabel(p.avg[dirOut], unit))
	}
	return b.String(), rates
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

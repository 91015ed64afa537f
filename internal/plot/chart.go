package plot

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// chart draws one panel's chart: Canvas is its data area, which the
// time axis (Unix seconds from..to) and the rate axis map the data onto.
type chart struct {
	draw.Canvas
	bounds   vg.Rectangle // the picture, which the panel's texts stay in
	from, to float64
	y        yAxis
	times    []tick
	st       styles
}

// x is where time t (Unix seconds) is drawn.
func (ch *chart) x(t float64) vg.Length {
	return ch.X((t - ch.from) / (ch.to - ch.from))
}

// points returns where the rates of r are drawn.
func (ch *chart) points(r run) []vg.Point {
	pts := make([]vg.Point, len(r))
	for i, p := range r {
		pts[i] = vg.Point{X: ch.x(p.X), Y: ch.Y(ch.y.norm(p.Y))}
	}
	return pts
}

// draw draws panel p with its title over the chart: the grid, the in
// area, the out line, the markers, then the axes over them. width is the
// picture's width in pixels, which sets how finely runs are drawn.
func (ch *chart) draw(p *panel, title string, titleTop vg.Length, width float64) {
	titleStyle := ch.st.text(11, color.Black, draw.XCenter, draw.YTop)
	ch.FillText(titleStyle, vg.Point{X: ch.centre(titleStyle.Width(title)), Y: titleTop}, title)

	ch.drawGrid()
	perCol := (ch.to - ch.from) / width
	for _, r := range p.runs[dirIn] {
		pts := ch.points(decimate(r, perCol))
		area := append([]vg.Point{{X: pts[0].X, Y: ch.Min.Y}}, pts...)
		area = append(area, vg.Point{X: pts[len(pts)-1].X, Y: ch.Min.Y})
		if area = ch.ClipPolygonXY(area); len(area) > 0 {
			ch.FillPolygon(inColour, area)
		}
		ch.dot(pts, inColour)
	}
	for _, r := range p.runs[dirOut] {
		pts := ch.points(decimate(r, perCol))
		ch.StrokeLines(draw.LineStyle{Color: outColour, Width: outWidth}, ch.ClipLinesXY(pts)...)
		ch.dot(pts, outColour)
	}
	for _, m := range p.marks {
		x := ch.x(m.at)
		if !ch.ContainsX(x) {
			continue
		}
		sty := ch.st.bold(10, flagColour(m.flag), draw.XCenter, draw.YTop)
		ch.StrokeLine2(flagLine(m.flag), x, ch.Min.Y, x, ch.Max.Y-sty.Height(string(m.flag)))
		ch.FillText(sty, vg.Point{X: x, Y: ch.Max.Y}, string(m.flag))
	}
	ch.drawAxes()
	if !p.rated {
		ch.FillText(ch.st.text(11, noteColour, draw.XCenter, draw.YCenter), ch.Center(), "no rate in this span")
	}
}

// centre returns where a text w wide is centred: over the chart, moved
// to stay within bounds and their padding, or at their left when wider.
func (ch *chart) centre(w vg.Length) vg.Length {
	x := (ch.Min.X + ch.Max.X) / 2
	x = min(x, ch.bounds.Max.X-pad-w/2)
	return max(x, ch.bounds.Min.X+pad+w/2)
}

// dot draws a run of a single rate, which a line cannot show, as a dot.
func (ch *chart) dot(pts []vg.Point, c color.Color) {
	if len(pts) == 1 {
		ch.DrawGlyph(draw.GlyphStyle{Color: c, Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}, pts[0])
	}
}

// drawGrid draws a faint line at each labelled time and rate.
func (ch *chart) drawGrid() {
	for _, t := range ch.times {
		if x := ch.x(t.value); ch.ContainsX(x) {
			ch.StrokeLine2(gridLine, x, ch.Min.Y, x, ch.Max.Y)
		}
	}
	for _, t := range ch.y.ticks {
		if t.label != "" {
			y := ch.Y(ch.y.norm(t.value))
			ch.StrokeLine2(gridLine, ch.Min.X, y, ch.Max.X, y)
		}
	}
}

// drawAxes draws the rate axis on the left of the chart and the time axis
// under it, with ticks pointing out and their labels; a time label that
// would run off the picture is left out.
func (ch *chart) drawAxes() {
	rateStyle := ch.st.text(9, color.Black, draw.XRight, draw.YCenter)
	every := ch.labelEvery(rateStyle.Height("0"))
	labelled := 0
	for _, t := range ch.y.ticks {
		y, length := ch.Y(ch.y.norm(t.value)), tickLen
		if t.label == "" {
			length /= 2
		}
		ch.StrokeLine2(axisLine, ch.Min.X-length, y, ch.Min.X, y)
		if t.label != "" {
			if labelled%every == 0 {
				ch.FillText(rateStyle, vg.Point{X: ch.Min.X - tickLen - rateStyle.Width(" "), Y: y}, t.label)
			}
			labelled++
		}
	}
	ch.StrokeLine2(axisLine, ch.Min.X, ch.Min.Y, ch.Min.X, ch.Max.Y)

	timeStyle := ch.st.text(9, color.Black, draw.XCenter, draw.YTop)
	for _, t := range ch.times {
		x := ch.x(t.value)
		ch.StrokeLine2(axisLine, x, ch.Min.Y-tickLen, x, ch.Min.Y)
		if w := timeStyle.Width(t.label); x-w/2 >= ch.bounds.Min.X && x+w/2 <= ch.bounds.Max.X {
			ch.FillText(timeStyle, vg.Point{X: x, Y: ch.Min.Y - tickLen}, t.label)
		}
	}
	ch.StrokeLine2(axisLine, ch.Min.X, ch.Min.Y, ch.Max.X, ch.Min.Y)
}

// labelEvery returns n to label every nth labelled rate tick, from the
// bottom, so that labels h high do not run into each other on a short
// chart. Labelled ticks are evenly spaced on both scales.
func (ch *chart) labelEvery(h vg.Length) int {
	n := 0
	for _, t := range ch.y.ticks {
		if t.label != "" {
			n++
		}
	}
	if n < 2 {
		return 1
	}
	gap := (ch.Max.Y - ch.Min.Y) / vg.Length(n-1)
	return max(1, int(math.Ceil(float64(1.2*h/gap))))
}

// drawTimeLabel names the time axis under its labels.
func (ch *chart) drawTimeLabel(label string) {
	sty := ch.st.text(10, color.Black, draw.XCenter, draw.YTop)
	below := tickLen + ch.st.text(9, color.Black, draw.XCenter, draw.YTop).Height("0")
	ch.FillText(sty, vg.Point{X: ch.centre(sty.Width(label)), Y: ch.Min.Y - below}, label)
}

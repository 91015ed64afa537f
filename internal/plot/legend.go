package plot

import (
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legend is the header's key: in, out, and the markers the picture has.
type legend []legendEntry

// legendEntry is one item of the legend: a sample of what is drawn and
// what it means.
type legendEntry struct {
	thumb func(draw.Canvas)
	text  string
}

// The legend's measures: a sample's width, and the gap between a sample
// and its text (three of them between entries).
var (
	thumbWidth = vg.Points(18)
	legendGap  = vg.Points(5)
)

// legend returns the picture's legend.
func (pic *picture) legend(st styles) legend {
	l := legend{
		{func(c draw.Canvas) { c.FillPolygon(inColour, rectangle(c.Rectangle)) }, "in"},
		{func(c draw.Canvas) {
			y := c.Center().Y
			c.StrokeLine2(draw.LineStyle{Color: outColour, Width: outWidth}, c.Min.X, y, c.Max.X, y)
		}, "out"},
	}
	has := map[rune]bool{}
	for _, p := range pic.panels {
		for _, m := range p.marks {
			has[m.flag] = true
		}
	}
	flagThumb := func(f rune) func(draw.Canvas) {
		return func(c draw.Canvas) {
			x := (c.Min.X + c.Max.X) / 2
			c.StrokeLine2(flagLine(f), x, c.Min.Y, x, c.Max.Y)
			c.FillText(st.text(10, flagColour(f), draw.XRight, draw.YCenter), vg.Point{X: x - vg.Points(2), Y: c.Center().Y}, string(f))
		}
	}
	if has['X'] {
		l = append(l, legendEntry{flagThumb('X'), "counter reset or discontinuity"})
	}
	if has['R'] {
		l = append(l, legendEntry{flagThumb('R'), "reconnected"})
	}
	return l
}

// width is how wide the legend is on one line in sty.
func (l legend) width(sty text.Style) vg.Length {
	var w vg.Length
	for _, e := range l {
		w += thumbWidth + legendGap + sty.Width(e.text)
	}
	return w + vg.Length(len(l)-1)*3*legendGap
}

// draw writes the legend in sty from its top left corner at, wrapping
// it onto another line before an entry that would pass right, and
// returns its height.
func (l legend) draw(c draw.Canvas, sty text.Style, at vg.Point, right vg.Length) vg.Length {
	h := sty.Height("in")
	x, y := at.X, at.Y
	for i, e := range l {
		w := thumbWidth + legendGap + sty.Width(e.text)
		if i > 0 && x+w > right {
			x, y = at.X, y-h-legendGap
		}
		e.thumb(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: y - h + vg.Points(1)},
			Max: vg.Point{X: x + thumbWidth, Y: y - vg.Points(1)},
		}})
		c.FillText(sty, vg.Point{X: x + thumbWidth + legendGap, Y: y}, e.text)
		x += w + 3*legendGap
	}
	return at.Y - y + h
}

// rectangle returns the corners of r, counter-clockwise from its bottom
// left.
func rectangle(r vg.Rectangle) []vg.Point {
	return []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}}
}

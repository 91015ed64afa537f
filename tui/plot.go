package tui

import (
	"math"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/NimbleMarkets/ntcharts/canvas/runes"
	"github.com/charmbracelet/lipgloss"
)

// The legend on each chart's top row. In is a filled area and out a
// braille line, as MRTG draws them, so the two stay apart without colour
// (NO_COLOR, TERM=dumb, a monochrome terminal) and where they cross.
const (
	legendIn  = "█ in"
	legendOut = "⠒⠒ out"
)

// dotCol returns the braille dot column of x (milliseconds from the left
// edge of a view width milliseconds wide) in a graph gw cells wide: the
// column ntcharts' braille grid draws it in.
func dotCol(x, width float64, gw int) int {
	return int(math.Round(x / width * float64(2*gw-1)))
}

// dotRow returns the braille dot row, 0 at the bottom, of rate y on the
// axis in a graph gh cells high: the row the braille grid draws it in.
func (a yAxis) dotRow(y float64, gh int) int {
	return int(math.Round((a.place(y) - a.lo) / (a.hi - a.lo) * float64(4*gh-1)))
}

// drawArea draws the runs of one direction as a filled area of lower
// block elements, a quarter cell high per dot row, whose top in each cell
// column is the highest dot the line through the runs would draw there.
func (c *chart) drawArea(runs [][]xy, width float64) {
	gw, gh := c.m.GraphWidth(), c.m.GraphHeight()
	c.tops = c.tops[:0]
	for range gw {
		c.tops = append(c.tops, -1)
	}
	raise := func(dot, row int) {
		if col := dot / 2; col >= 0 && col < gw && row > c.tops[col] {
			c.tops[col] = row
		}
	}
	perDot := width / float64(2*gw-1)
	for _, run := range runs {
		c.thin = decimate(run, perDot, c.thin)
		var pd, pr int
		for i, v := range c.thin {
			d, r := dotCol(v.x, width, gw), c.axis.dotRow(v.y, gh)
			raise(d, r)
			for k := pd + 1; i > 0 && k < d; k++ {
				raise(k, pr+int(math.Round(float64((r-pr)*(k-pd))/float64(d-pd))))
			}
			pd, pr = d, r
		}
	}
	x0 := c.m.Origin().X + 1
	for col, top := range c.tops {
		for row, eighths := 0, 2*(top+1); row < gh && eighths > 0; row, eighths = row+1, eighths-8 {
			r := runes.LowerBlockElementFromFloat64(float64(min(eighths, 8)) / 8)
			c.m.Canvas.SetCell(canvas.Point{X: x0 + col, Y: gh - 1 - row}, canvas.NewCellWithStyle(r, c.st.in))
		}
	}
}

// drawLine draws the runs of one direction as a braille line over what is
// drawn: segments join the points of a run and never two runs, so gaps
// stay gaps. Where it crosses a full cell of the area it keeps the area's
// colour as its background, so in colour both directions show.
func (c *chart) drawLine(runs [][]xy, width float64) {
	gw, gh := c.m.GraphWidth(), c.m.GraphHeight()
	g := c.grid(gw, gh)
	perDot := width / float64(2*gw-1)
	xs, ys := float64(gw)/width, float64(gh)/(c.axis.hi-c.axis.lo)
	for _, run := range runs {
		c.thin = decimate(run, perDot, c.thin)
		var prev canvas.Point
		for i, v := range c.thin {
			p := g.GridPoint(canvas.Float64Point{X: v.x * xs, Y: (c.axis.place(v.y) - c.axis.lo) * ys})
			if i == 0 {
				g.Set(p)
			} else {
				for _, q := range graph.GetLinePoints(prev, p) {
					g.Set(q)
				}
			}
			prev = p
		}
	}
	x0 := c.m.Origin().X + 1
	for y, row := range g.BraillePatterns() {
		for x, r := range row {
			if r == runes.BrailleBlockOffset {
				continue
			}
			p := canvas.Point{X: x0 + x, Y: y}
			style := c.st.out
			if c.m.Canvas.Cell(p).Rune == runes.FullBlock {
				style = c.st.outOnIn
			}
			c.m.Canvas.SetCell(p, canvas.NewCellWithStyle(r, style))
		}
	}
}

// grid returns the line's braille grid for a gw×gh graph, cleared; it is
// made again only when the graph's size changes.
func (c *chart) grid(gw, gh int) *graph.BrailleGrid {
	if c.lineGrid == nil || c.gridW != gw || c.gridH != gh {
		c.lineGrid = graph.NewBrailleGrid(gw, gh, 0, float64(gw), 0, float64(gh))
		c.gridW, c.gridH = gw, gh
	} else {
		c.lineGrid.Clear()
	}
	return c.lineGrid
}

// drawMarkers flags session and counter events: the flag on the top row,
// a dotted line down through the empty cells below it.
func (c *chart) drawMarkers(ms []marker, width float64) {
	gw, gh := c.m.GraphWidth(), c.m.GraphHeight()
	if gw <= 0 || width <= 0 {
		return
	}
	for _, mk := range ms {
		col := c.m.Origin().X + 1 + dotCol(mk.x, width, gw)/2
		style := c.st.reset
		if mk.flag == 'R' {
			style = c.st.reconnect
		}
		c.m.Canvas.SetCell(canvas.Point{X: col, Y: 0}, canvas.NewCellWithStyle(mk.flag, style))
		for y := 1; y < gh; y++ {
			p := canvas.Point{X: col, Y: y}
			if c.m.Canvas.Cell(p).Rune == 0 {
				c.m.Canvas.SetCell(p, canvas.NewCellWithStyle('┊', style))
			}
		}
	}
}

// drawLegend writes the legend on the graph's top row, which every scale
// keeps free of lines: at its left, or right of the markers' flags that
// would be under it.
func (c *chart) drawLegend() {
	parts := []struct {
		text  string
		style lipgloss.Style
	}{
		{legendIn[:len("█")], c.st.in}, {legendIn[len("█"):] + "  ", c.st.label},
		{legendOut[:len("⠒⠒")], c.st.out}, {legendOut[len("⠒⠒"):], c.st.label},
	}
	n := len([]rune(legendIn + "  " + legendOut))
	gx, gw := c.m.Origin().X+1, c.m.GraphWidth()
	if c.m.GraphHeight() < 2 {
		return
	}
	free := func(x int) bool { // the legend and a blank either side
		for i := x - 1; i <= x+n; i++ {
			if c.m.Canvas.Cell(canvas.Point{X: i, Y: 0}).Rune != 0 && i >= gx {
				return false
			}
		}
		return true
	}
	x := gx + 1
	for x+n <= gx+gw && !free(x) {
		x++
	}
	if x+n > gx+gw {
		return
	}
	for _, p := range parts {
		for _, r := range p.text {
			c.m.Canvas.SetCell(canvas.Point{X: x, Y: 0}, canvas.NewCellWithStyle(r, p.style))
			x++
		}
	}
}

// drawNote writes note across the middle row of the graph, centred and
// cut to its width.
func (c *chart) drawNote(note string) {
	gw, gh := c.m.GraphWidth(), c.m.GraphHeight()
	if note == "" || gw < 3 || gh < 1 {
		return
	}
	rs := []rune(" " + fit(note, gw-2) + " ")
	x := c.m.Origin().X + 1 + (gw-len(rs))/2
	for i, r := range rs {
		c.m.Canvas.SetCell(canvas.Point{X: x + i, Y: (gh - 1) / 2}, canvas.NewCellWithStyle(r, c.st.label))
	}
}

package tui

import (
	"math"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	tslc "github.com/NimbleMarkets/ntcharts/linechart/timeserieslinechart"
	"github.com/charmbracelet/lipgloss"
)

// chart draws one target's in/out lines with ntcharts'
// timeserieslinechart: its axes, ranges and label formatters, and its
// braille grid for the lines. ntcharts keeps whole seconds on its X axis,
// so the chart's "time" is milliseconds since the left edge of the view;
// labels are turned back into local wall time here. The lines are drawn
// run by run on a braille grid rather than through data sets, which join
// every point of a set: a gap must stay a gap.
type chart struct {
	m      tslc.Model
	st     *styles
	axis   yAxis
	xTicks []xTick
	grids  [2]*graph.BrailleGrid // one per direction, kept while the size holds
	gridW  int
	gridH  int
	sgr    map[lipgloss.TerminalColor][2]string
	thin   []xy   // scratch for decimate
	series series // the frame's series, refilled in place
}

// xTick is a time label under the X axis at a graph column.
type xTick struct {
	col   int
	label string
}

// newChart returns a chart of w×h cells, axes and labels included.
func newChart(w, h int, st *styles) *chart {
	c := &chart{st: st, sgr: map[lipgloss.TerminalColor][2]string{}}
	c.m = tslc.New(w, h,
		tslc.WithXYSteps(1, 1),
		tslc.WithXLabelFormatter(c.xLabel),
		tslc.WithYLabelFormatter(c.yLabel),
		tslc.WithAxesStyles(st.axis, st.label))
	// The ranges are set per frame; ntcharts must never grow them itself.
	c.m.AutoMinX, c.m.AutoMaxX, c.m.AutoMinY, c.m.AutoMaxY = false, false, false, false
	return c
}

// yLabel is ntcharts' Y label formatter: fixed-width labels at the ticks.
func (c *chart) yLabel(row int, _ float64) string {
	return c.axis.labelAt(row, c.m.GraphHeight())
}

// xLabel is ntcharts' X label formatter: local times at the tick columns.
func (c *chart) xLabel(col int, _ float64) string {
	for _, t := range c.xTicks {
		if t.col == col {
			return t.label
		}
	}
	return ""
}

// tickSteps are the spacings the X axis labels may use.
var tickSteps = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour,
}

// xLabelWidth is the width of a time label, plus the space it needs.
const xLabelWidth = len("15:04:05") + 2

// timeTicks places local-time labels on round times of the view from start
// (Unix nanoseconds) over window, for a graph cols wide.
func timeTicks(start int64, window time.Duration, cols int) []xTick {
	if cols <= 0 || window <= 0 {
		return nil
	}
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if int(window/s) <= cols/xLabelWidth {
			step = s
			break
		}
	}
	layout := "15:04:05"
	if step >= time.Minute {
		layout = "15:04"
	}
	_, offset := time.Unix(0, start).Zone()
	off := int64(offset) * int64(time.Second)
	first := ceilDiv(start+off, int64(step))*int64(step) - off
	var ticks []xTick
	for t := first; t <= start+int64(window); t += int64(step) {
		col := int(math.Round(float64(t-start) / float64(window) * float64(cols)))
		label := time.Unix(0, t).Format(layout)
		if col+len(label) <= cols {
			ticks = append(ticks, xTick{col: col, label: label})
		}
	}
	return ticks
}

// ceilDiv divides rounding toward +Inf.
func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a > 0) == (b > 0) {
		q++
	}
	return q
}

// grid returns direction d's braille grid for a gw×gh graph, cleared; the
// grids are made again only when the graph's size changes.
func (c *chart) grid(d, gw, gh int) *graph.BrailleGrid {
	if c.gridW != gw || c.gridH != gh {
		c.grids = [2]*graph.BrailleGrid{}
		c.gridW, c.gridH = gw, gh
	}
	if c.grids[d] == nil {
		c.grids[d] = graph.NewBrailleGrid(gw, gh, 0, float64(gw), 0, float64(gh))
	} else {
		c.grids[d].Clear()
	}
	return c.grids[d]
}

// resize changes the chart's size in cells.
func (c *chart) resize(w, h int) {
	if c.m.Width() != w || c.m.Height() != h {
		c.m.Resize(w, h)
	}
}

// render draws one frame of s over the view [start, start+window] on axis
// and returns it; without xLabels the label row is left off.
func (c *chart) render(s *series, start int64, window time.Duration, axis yAxis, xLabels bool) string {
	c.axis = axis
	ms := window.Milliseconds()
	c.m.SetTimeRange(time.Unix(0, 0), time.Unix(ms, 0))
	c.m.SetViewTimeRange(time.Unix(0, 0), time.Unix(ms, 0))
	c.m.SetYRange(axis.lo, axis.hi)
	c.m.SetViewYRange(axis.lo, axis.hi)
	c.xTicks = nil
	if xLabels {
		c.xTicks = timeTicks(start, window, c.m.GraphWidth())
	}

	// A cleared canvas without reallocating it, then ntcharts' axes and
	// labels, then each direction's runs on one braille grid: segments
	// join the points of a run and never two runs, so gaps stay gaps.
	c.m.Canvas.Fill(canvas.Cell{})
	c.m.DrawXYAxisAndLabel()
	gw, gh := c.m.GraphWidth(), c.m.GraphHeight()
	if gw > 0 && gh > 0 && ms > 0 {
		perDot := float64(ms) / float64(2*gw-1)
		xs, ys := float64(gw)/float64(ms), float64(gh)/(axis.hi-axis.lo)
		for d, runs := range s.runs {
			g := c.grid(d, gw, gh)
			for _, run := range runs {
				c.thin = decimate(run, perDot, c.thin)
				var prev canvas.Point
				for i, v := range c.thin {
					p := g.GridPoint(canvas.Float64Point{X: v.x * xs, Y: (axis.place(v.y) - axis.lo) * ys})
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
			style := c.st.in
			if d == 1 {
				style = c.st.out
			}
			graph.DrawBraillePatterns(&c.m.Canvas, canvas.Point{X: c.m.Origin().X + 1, Y: 0}, g.BraillePatterns(), style)
		}
	}
	c.drawMarkers(s.markers, float64(ms))

	rows := c.m.Canvas.Height()
	if !xLabels {
		rows--
	}
	return c.viewCanvas(&c.m.Canvas, rows)
}

// viewCanvas renders the first rows of cv. It is ntcharts' canvas View,
// but it styles each run of cells sharing a colour once instead of every
// cell, which makes a frame several times cheaper. The chart's styles
// differ by foreground colour, so that colour identifies a style.
func (c *chart) viewCanvas(cv *canvas.Model, rows int) string {
	var b strings.Builder
	var run []rune
	w := cv.Width()
	b.Grow(rows * (w*3 + 1))
	for y := 0; y < rows; y++ {
		var key lipgloss.TerminalColor
		for x := 0; x < w; x++ {
			cell := cv.Cell(canvas.Point{X: x, Y: y})
			k := cell.Style.GetForeground()
			if len(run) > 0 && k != key {
				c.writeRun(&b, key, run)
				run = run[:0]
			}
			if len(run) == 0 {
				key = k
				if _, ok := c.sgr[k]; !ok {
					c.sgr[k] = sgrOf(cell.Style)
				}
			}
			if cell.Rune == 0 {
				cell.Rune = ' '
			}
			run = append(run, cell.Rune)
		}
		c.writeRun(&b, key, run)
		run = run[:0]
		if y < rows-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// writeRun writes runes between the escape codes of style k.
func (c *chart) writeRun(b *strings.Builder, k lipgloss.TerminalColor, run []rune) {
	sgr := c.sgr[k]
	b.WriteString(sgr[0])
	b.WriteString(string(run))
	b.WriteString(sgr[1])
}

// sgrOf returns the escape codes style s puts before and after a text
// (empty strings with the ASCII profile).
func sgrOf(s lipgloss.Style) [2]string {
	const probe = "X"
	r := s.Render(probe)
	i := strings.Index(r, probe)
	if i < 0 {
		return [2]string{}
	}
	return [2]string{r[:i], r[i+len(probe):]}
}

// drawMarkers flags session and counter events: the flag on the top row,
// a dotted line down through the empty cells below it.
func (c *chart) drawMarkers(ms []marker, width float64) {
	gw, gh := c.m.GraphWidth(), c.m.GraphHeight()
	if gw <= 0 || width <= 0 {
		return
	}
	for _, mk := range ms {
		dots := int(math.Round(mk.x / width * float64(2*gw-1)))
		col := c.m.Origin().X + 1 + dots/2
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

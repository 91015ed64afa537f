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

// chart draws one target's in area and out line with ntcharts'
// timeserieslinechart: its axes, ranges and label formatters, its braille
// grid for the line and its block elements for the area. ntcharts keeps
// whole seconds on its X axis, so the chart's "time" is milliseconds since
// the left edge of the view; labels are turned back into local wall time
// here. The line is drawn run by run on a braille grid rather than through
// data sets, which join every point of a set: a gap must stay a gap.
type chart struct {
	m        tslc.Model
	st       *styles
	axis     yAxis
	xTicks   []xTick
	lineGrid *graph.BrailleGrid // the out line's, kept while the size holds
	gridW    int
	gridH    int
	sgr      map[cellColours][2]string
	tops     []int  // scratch for drawArea: the area's top dot row per column
	thin     []xy   // scratch for decimate
	series   series // the frame's series, refilled in place
}

// cellColours are the colours of a cell's style, which tell the chart's
// styles apart.
type cellColours struct{ fg, bg lipgloss.TerminalColor }

// xTick is a time label under the X axis at a graph column.
type xTick struct {
	col   int
	label string
}

// newChart returns a chart of w×h cells, axes and labels included.
func newChart(w, h int, st *styles) *chart {
	c := &chart{st: st, sgr: map[cellColours][2]string{}}
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

// resize changes the chart's size in cells.
func (c *chart) resize(w, h int) {
	if c.m.Width() != w || c.m.Height() != h {
		c.m.Resize(w, h)
	}
}

// render draws one frame of s over the view [start, start+window] on axis
// and returns it; without xLabels the label row is left off. A note, when
// not empty, is written across the middle of the graph.
func (c *chart) render(s *series, start int64, window time.Duration, axis yAxis, xLabels bool, note string) string {
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
	// labels, then in as an area and out as a line over it, the markers,
	// the legend and the note.
	c.m.Canvas.Fill(canvas.Cell{})
	c.m.DrawXYAxisAndLabel()
	if c.m.GraphWidth() > 0 && c.m.GraphHeight() > 0 && ms > 0 {
		c.drawArea(s.runs[0], float64(ms))
		c.drawLine(s.runs[1], float64(ms))
	}
	c.drawMarkers(s.markers, float64(ms))
	c.drawLegend()
	c.drawNote(note)

	rows := c.m.Canvas.Height()
	if !xLabels {
		rows--
	}
	return c.viewCanvas(&c.m.Canvas, rows)
}

// viewCanvas renders the first rows of cv. It is ntcharts' canvas View,
// but it styles each run of cells sharing a style once instead of every
// cell, which makes a frame several times cheaper. The chart's styles
// differ by their colours, so the colours identify a style.
func (c *chart) viewCanvas(cv *canvas.Model, rows int) string {
	var b strings.Builder
	var run []rune
	w := cv.Width()
	b.Grow(rows * (w*3 + 1))
	for y := 0; y < rows; y++ {
		var key cellColours
		for x := 0; x < w; x++ {
			cell := cv.Cell(canvas.Point{X: x, Y: y})
			k := cellColours{cell.Style.GetForeground(), cell.Style.GetBackground()}
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
func (c *chart) writeRun(b *strings.Builder, k cellColours, run []rune) {
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

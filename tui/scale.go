package tui

import (
	"math"
	"strings"
)

// ScaleMode is how a chart's Y axis is scaled.
type ScaleMode int

// The scale modes the `s` key cycles through.
const (
	// ScaleAuto fits the Y axis to the visible window on 1-2-5 steps, up
	// and down.
	ScaleAuto ScaleMode = iota
	// ScaleFixed holds the Y axis at the maximum seen since the last reset.
	ScaleFixed
	// ScaleLog draws decades from 1k up.
	ScaleLog
)

// String names the mode as the header shows it.
func (s ScaleMode) String() string {
	switch s {
	case ScaleFixed:
		return "fixed"
	case ScaleLog:
		return "log"
	default:
		return "auto"
	}
}

// minScale is the smallest linear Y range and the floor of a log axis, in
// display units per second: an idle link still shows a 0..1k axis.
const minScale = 1000

// niceCeil returns the smallest number of the form {1, 2, 5}×10^k that is
// at least v, and minScale for anything at or below minScale.
func niceCeil(v float64) float64 {
	if math.IsNaN(v) || v <= minScale {
		return minScale
	}
	if math.IsInf(v, 1) {
		return math.MaxFloat64
	}
	base := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if c := m * base; c >= v*(1-1e-12) {
			return c
		}
	}
	return 10 * base
}

// tick is one labelled value on the Y axis, in axis units (log10 of the
// value on a log axis).
type tick struct {
	at    float64
	label string
}

// yAxis is the Y range of one chart frame and its labels. Values are
// mapped into [lo, hi] by place before they reach ntcharts.
type yAxis struct {
	mode   ScaleMode
	lo, hi float64
	ticks  []tick
}

// newYAxis builds the axis for a chart whose visible maximum is visMax and
// whose maximum since reset is seenMax, for a graph rows high. Every mode
// keeps headroom: the top row of the graph stays free of lines (and holds
// the legend), so a line never runs along the top border looking clipped,
// and a steady rate at a 1-2-5 step does not flip the axis between two
// steps.
func newYAxis(mode ScaleMode, visMax, seenMax float64, rows int) yAxis {
	switch mode {
	case ScaleLog:
		lo := math.Log10(minScale)
		hi := math.Max(lo+1, math.Ceil(math.Log10(niceCeil(visMax))))
		for !clearsTopRow(yAxis{mode: mode, lo: lo, hi: hi}, visMax, rows) {
			hi++
		}
		a := yAxis{mode: mode, lo: lo, hi: hi}
		every := 1.0
		for (hi-lo)/every > float64(rows)/2 && every < hi-lo {
			every++
		}
		for d := lo; d <= hi; d += every {
			a.ticks = append(a.ticks, tick{at: d, label: yLabel(math.Pow(10, d))})
		}
		return a
	case ScaleFixed:
		return linearAxis(mode, math.Max(seenMax, visMax), rows)
	default:
		return linearAxis(mode, visMax, rows)
	}
}

// clearsTopRow reports whether v is drawn below the top row of a graph
// rows high on axis a; always true for a graph under two rows high and
// for values no axis can hold.
func clearsTopRow(a yAxis, v float64, rows int) bool {
	if rows < 2 || math.IsNaN(v) || math.IsInf(v, 0) || a.hi >= math.MaxFloat64 || a.hi > 300 && a.mode == ScaleLog {
		return true
	}
	return a.dotRow(v, rows) < 4*(rows-1)
}

// linearAxis is a 0..hi axis for a maximum of v, with hi the smallest
// 1-2-5 step that keeps v below the top row, labelled at 0, hi and halves
// or quarters as the height allows.
func linearAxis(mode ScaleMode, v float64, rows int) yAxis {
	hi := niceCeil(v)
	for !clearsTopRow(yAxis{mode: mode, lo: 0, hi: hi}, v, rows) {
		hi = niceCeil(hi * 1.001)
	}
	a := yAxis{mode: mode, lo: 0, hi: hi}
	parts := 2
	if rows >= 12 {
		parts = 4
	}
	if rows < 4 {
		parts = 1
	}
	for i := 0; i <= parts; i++ {
		v := hi * float64(i) / float64(parts)
		a.ticks = append(a.ticks, tick{at: v, label: yLabel(v)})
	}
	return a
}

// place maps a rate (display units per second) into the axis range: log10
// on a log axis, and clamped to [lo, hi] so ntcharts never sees a value out
// of range, NaN or Inf.
func (a yAxis) place(v float64) float64 {
	if math.IsNaN(v) || v < 0 {
		v = 0
	}
	if a.mode == ScaleLog {
		v = math.Log10(math.Max(v, minScale))
	}
	return math.Min(math.Max(v, a.lo), a.hi)
}

// labelAt returns the label of the row of a graph rows high (0 is the X
// axis, rows the top), or blanks of the same width. A tick goes on the row
// where ntcharts' braille grid draws its value, so a line at a tick's
// value runs beside its label; 0 goes on the axis.
func (a yAxis) labelAt(row, rows int) string {
	if rows > 0 && a.hi > a.lo {
		dots := 4*rows - 1
		for _, t := range a.ticks {
			at := 0
			if frac := (t.at - a.lo) / (a.hi - a.lo); frac > 0 {
				at = rows - (dots-int(math.Round(frac*float64(dots))))/4
			}
			if at == row {
				return t.label
			}
		}
	}
	return strings.Repeat(" ", yLabelWidth)
}

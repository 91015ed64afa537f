package plot

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// logFloor is the bottom of a log axis, in display units per second, as
// in the terminal UI: an idle link sits on the bottom edge instead of
// pulling the axis down to nothing.
const logFloor = 1000

// headroom keeps the largest rate below the top of the chart, so a line
// never runs along the border looking clipped.
const headroom = 1.05

// tick is a mark on an axis at a value with its label; a minor tick
// has no label and is drawn half as long.
type tick struct {
	value float64
	label string
}

// yAxis is a panel's Y range, its scale and its ticks.
type yAxis struct {
	lo, hi float64
	log    bool // decades from lo, which a zero rate sits on
	ticks  []tick
}

// norm returns where v sits on the axis: 0 at lo, 1 at hi. On a log
// axis a value at or below lo (a zero rate too) sits on the bottom edge.
func (a yAxis) norm(v float64) float64 {
	if a.log {
		v = math.Max(v, a.lo)
		return (math.Log(v) - math.Log(a.lo)) / (math.Log(a.hi) - math.Log(a.lo))
	}
	return (v - a.lo) / (a.hi - a.lo)
}

// newYAxis returns the axis for rates up to top in unit ("b/s", "B/s"):
// 0 to a round number on linear steps, or decades from logFloor.
func newYAxis(top float64, unit string, log bool) yAxis {
	if log {
		return logAxis(top, unit)
	}
	return linearAxis(top, unit)
}

// linearAxis is 0..hi with four to six ticks on 1, 2, 2.5 or 5 steps.
func linearAxis(top float64, unit string) yAxis {
	want := math.Max(top*headroom, logFloor)
	step := niceStep(want / 5)
	hi := math.Ceil(want/step-1e-9) * step
	a := yAxis{lo: 0, hi: hi}
	for i := 0.0; i*step <= hi*(1+1e-9); i++ {
		a.ticks = append(a.ticks, tick{value: i * step, label: rateLabel(i*step, unit)})
	}
	return a
}

// niceStep returns the smallest {1, 2, 2.5, 5}×10^k at least v (> 0).
func niceStep(v float64) float64 {
	base := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*base >= v*(1-1e-12) {
			return m * base
		}
	}
	return 10 * base
}

// logAxis is logFloor..hi on decades, labelled at each decade with minor
// ticks between; rates at or below the floor are drawn on it.
func logAxis(top float64, unit string) yAxis {
	decades := math.Max(1, math.Ceil(math.Log10(math.Max(top*headroom, logFloor)/logFloor)-1e-9))
	a := yAxis{lo: logFloor, hi: logFloor * math.Pow(10, decades), log: true}
	for d := 0.0; d <= decades; d++ {
		v := logFloor * math.Pow(10, d)
		a.ticks = append(a.ticks, tick{value: v, label: rateLabel(v, unit)})
		for m := 2.0; m < 10 && d < decades; m++ {
			a.ticks = append(a.ticks, tick{value: m * v})
		}
	}
	return a
}

// siPrefixes are the SI prefixes siPrefix steps through, one per factor
// of 1000.
var siPrefixes = []string{"", "k", "M", "G", "T", "P", "E"}

// siPrefix writes a non-negative quantity with up to three significant
// digits and returns it with its SI prefix: (8.01, "M"), (999, ""),
// (0, "").
func siPrefix(v float64) (string, string) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?", ""
	}
	if v <= 0 {
		return "0", ""
	}
	i := 0
	for i < len(siPrefixes)-1 && roundSig3(v) >= 1000 {
		v /= 1000
		i++
	}
	s := fmt.Sprintf("%.2f", roundSig3(v))
	return strings.TrimSuffix(strings.TrimRight(s, "0"), "."), siPrefixes[i]
}

// roundSig3 rounds v (> 0) to three significant digits.
func roundSig3(v float64) float64 {
	p := math.Pow(10, 2-math.Floor(math.Log10(v)))
	return math.Round(v*p) / p
}

// rateLabel is a rate with its unit: "2.5 Mb/s", "432 kB/s", "0 b/s".
func rateLabel(v float64, unit string) string {
	n, prefix := siPrefix(v)
	return n + " " + prefix + unit
}

// timeSteps are the spacings the time axis labels may use.
var timeSteps = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// timeTicks labels the time axis (Unix seconds) in local wall time on
// round times, at most maxLabels of them. A label where the date changes
// carries the date.
type timeTicks struct {
	loc       *time.Location
	maxLabels int
}

// ticks returns the labelled times from lo to hi (Unix seconds).
func (tt timeTicks) ticks(lo, hi float64) []tick {
	span := time.Duration((hi - lo) * 1e9)
	step := timeSteps[len(timeSteps)-1]
	for _, s := range timeSteps {
		if int(span/s) < max(tt.maxLabels, 2) {
			step = s
			break
		}
	}
	layout := "15:04:05"
	if step >= time.Minute {
		layout = "15:04"
	}
	start := time.Unix(0, int64(lo*1e9)).In(tt.loc)
	_, offset := start.Zone()
	off := int64(offset) * int64(time.Second)
	first := ceilDiv(start.UnixNano()+off, int64(step))*int64(step) - off
	var ticks []tick
	prevDay := start.Format("2006-01-02")
	for ns := first; float64(ns)/1e9 <= hi; ns += int64(step) {
		t := time.Unix(0, ns).In(tt.loc)
		label := t.Format(layout)
		if day := t.Format("2006-01-02"); day != prevDay {
			label = t.Format("Jan 2 ") + label
			prevDay = day
		}
		ticks = append(ticks, tick{value: float64(ns) / 1e9, label: label})
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

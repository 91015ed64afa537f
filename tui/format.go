package tui

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// siPrefixes are the SI prefixes formatSI steps through, one per factor
// of 1000.
var siPrefixes = []string{"", "k", "M", "G", "T", "P", "E"}

// formatSI formats a non-negative quantity with three significant digits
// and an SI prefix, in at most five ASCII bytes: "0", "999", "1.23k",
// "12.3M", "100G". Trailing zeros after the point are dropped.
func formatSI(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	if v < 0 {
		v = 0
	}
	if v == 0 {
		return "0"
	}
	i := 0
	for i < len(siPrefixes)-1 && roundSig3(v) >= 1000 {
		v /= 1000
		i++
	}
	var s string
	switch r := roundSig3(v); {
	case r >= 100:
		s = fmt.Sprintf("%.0f", r)
	case r >= 10:
		s = trimZeros(fmt.Sprintf("%.1f", r))
	default:
		s = trimZeros(fmt.Sprintf("%.2f", r))
	}
	return s + siPrefixes[i]
}

// roundSig3 rounds v (> 0) to three significant digits.
func roundSig3(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(v)))
	return math.Round(v*p) / p
}

// trimZeros drops trailing zeros after a decimal point, and the point.
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// yLabelWidth is the fixed width in bytes of every Y axis label.
const yLabelWidth = 6

// yLabel right-aligns formatSI(v) in yLabelWidth bytes: "  100M".
func yLabel(v float64) string {
	return fmt.Sprintf("%*s", yLabelWidth, formatSI(v))
}

// formatRTT formats a poll round-trip time compactly: "850us", "3.2ms",
// "120ms", "1.5s".
func formatRTT(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Millisecond:
		return fmt.Sprintf("%dus", d.Microseconds())
	case d < 10*time.Millisecond:
		return trimZeros(fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))) + "ms"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	default:
		return trimZeros(fmt.Sprintf("%.1f", d.Seconds())) + "s"
	}
}

// formatPeriod formats an agent's counter refresh period for "agent
// refreshes every ≈3 s": whole seconds from 2 s up, tenths below.
func formatPeriod(d time.Duration) string {
	s := d.Seconds()
	if s >= 2 {
		return fmt.Sprintf("%.0f s", s)
	}
	return trimZeros(fmt.Sprintf("%.1f", s)) + " s"
}

// formatWindow formats a chart window or span in hours, minutes and
// seconds: "1m", "1h", "1m30s", "4h45m", "42s"; tenths below 10 s.
func formatWindow(d time.Duration) string {
	if d < 10*time.Second && d%time.Second != 0 {
		return trimZeros(fmt.Sprintf("%.1f", d.Seconds())) + "s"
	}
	d = d.Round(time.Second)
	var b strings.Builder
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if n := d / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.unit
		}
	}
	if b.Len() == 0 {
		return "0s"
	}
	return b.String()
}

// fit cuts s to at most w runes, so a line never wraps. The UI's own text
// is single-width runes only.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := 0
	for i := range s {
		if n == w {
			return s[:i]
		}
		n++
	}
	return s
}

// pad fills s with spaces to w runes (cutting it when longer).
func pad(s string, w int) string {
	s = fit(s, w)
	if n := len([]rune(s)); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

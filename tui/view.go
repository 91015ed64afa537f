package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/stg-project/stg/internal/ifname"
	"github.com/stg-project/stg/sample"
)

// Layout constants, in terminal rows.
const (
	chromeRows   = 2 // header and footer
	readoutRows  = 4 // a target's title and three readout rows
	minChartRows = 5 // smallest useful chart, axis and labels included
)

// render draws the whole frame.
func (m *Model) render() string {
	if m.width == 0 || m.height == 0 {
		return "stg: waiting for the terminal size..."
	}
	if m.width < MinWidth || m.height < MinHeight {
		return fmt.Sprintf("stg needs a terminal of at least %dx%d; this one is %dx%d.\nEnlarge it, or press q to quit.",
			MinWidth, MinHeight, m.width, m.height)
	}
	m.enableKeys()
	bodyRows := m.height - chromeRows
	var body string
	if m.help {
		body = m.renderHelp(bodyRows)
	} else {
		body = m.renderTargets(bodyRows)
	}
	return m.renderHeader() + "\n" + body + "\n" + m.renderFooter()
}

// units returns the rate unit and the divisor from bits.
func (m *Model) units() (string, float64) {
	if m.bytes {
		return "B/s", 8
	}
	return "b/s", 1
}

// renderHeader is the top line: router, window, scale, units and mode on
// the left, the help key on the right. Where the terminal is too narrow
// it leaves out whole parts, least useful first (the help key, the scale,
// the units, "stg"), and cuts the router name only as a last resort.
func (m *Model) renderHeader() string {
	unit, _ := m.units()
	var badge string
	switch {
	case m.replay:
		start, end := m.viewRange()
		badge = fmt.Sprintf("REPLAY %s-%s", localClock(start), localClock(end))
	case m.paused:
		badge = fmt.Sprintf("PAUSED +%d", m.missed)
	default:
		badge = "LIVE"
	}
	parts := []string{"stg", m.opts.Router, m.windowText(), "scale " + m.scale.String(), unit}
	right := "? help"
	const helpKey = -2
	for _, drop := range []int{-1, helpKey, 3, 4, 0} { // nothing, then the help key, scale, unit, "stg"
		switch {
		case drop == helpKey:
			right = ""
		case drop >= 0:
			parts[drop] = ""
		}
		if line, ok := m.headerLine(nonEmpty(parts), badge, right); ok {
			return line
		}
	}
	rest := m.windowText() + "  " + badge
	room := m.width - len([]rune(rest)) - 2
	if room < 2 {
		return fit(rest, m.width)
	}
	return fit(m.opts.Router, room-1) + "…  " + m.windowText() + "  " + m.st.paused.Render(badge)
}

// headerLine lays out the header's parts and badge on the left and right
// on the right, and reports whether they fit the terminal's width.
func (m *Model) headerLine(parts []string, badge, right string) (string, bool) {
	left := strings.Join(parts, "  ") + "  "
	w := len([]rune(left + badge))
	if right != "" {
		w += 2 + len([]rune(right))
	}
	if w > m.width {
		return "", false
	}
	line := left + m.st.paused.Render(badge)
	if right != "" {
		line += strings.Repeat(" ", m.width-w+2) + right
	}
	return line, true
}

// nonEmpty returns the non-empty strings of ss.
func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// localClock formats Unix nanoseconds as local wall-clock time.
func localClock(ns int64) string {
	return time.Unix(0, ns).Format("15:04:05")
}

// renderFooter is the bottom line: the word on a save, the notes told
// since the last key, the newest error, the end of the stream, or the key
// hints.
func (m *Model) renderFooter() string {
	var newest *target
	for _, t := range m.targets {
		if t.lastErr != "" && (newest == nil || t.lastErrAt.After(newest.lastErrAt)) {
			newest = t
		}
	}
	switch {
	case m.saveNote != "":
		return m.renderSaveNote()
	case m.note != "":
		return fit("note: "+m.note, m.width)
	case newest != nil:
		msg := fmt.Sprintf("last error %s %s: %s", newest.lastErrAt.Local().Format("15:04:05"), newest.name, newest.lastErr)
		return m.st.error.Render(fit(msg, m.width))
	case m.ended && !m.replay:
		return fit("the poller stopped: the chart shows what was recorded; q quits", m.width)
	default:
		return m.renderKeyHints()
	}
}

// renderTargets stacks as many targets as fit, starting with the tab
// target when not all fit.
func (m *Model) renderTargets(rows int) string {
	if len(m.targets) == 0 || m.newest == 0 {
		return pad("waiting for the first sample...", m.width) + strings.Repeat("\n", rows-1)
	}
	n := len(m.targets)
	shown := min(n, max(1, rows/(readoutRows+minChartRows)))
	first := 0
	if shown < n {
		first = m.focus
	}
	for len(m.charts) < shown {
		m.charts = append(m.charts, newChart(m.width, minChartRows, m.st))
	}
	start, end := m.viewRange()
	chartRows := (rows - shown*readoutRows) / shown
	var parts []string
	for i := 0; i < shown; i++ {
		idx := (first + i) % n
		h := chartRows
		last := i == shown-1
		if last {
			h = rows - shown*readoutRows - chartRows*(shown-1)
		}
		parts = append(parts, m.renderTarget(idx, m.charts[i], start, end, h, last, shown < n))
	}
	return strings.Join(parts, "\n")
}

// renderTarget draws one target's title, readouts and a chart of h rows.
func (m *Model) renderTarget(idx int, c *chart, start, end int64, h int, xLabels, partial bool) string {
	t := m.targets[idx]
	unit, div := m.units()
	canvasRows := h
	if !xLabels {
		canvasRows++
	}
	c.resize(m.width, canvasRows)
	s := &c.series
	s.extract(t.ring, start, end, div)
	seen := max(t.in.max, t.out.max) / div
	axis := newYAxis(m.scale, s.max, seen, max(canvasRows-2, 1))
	graph := c.render(s, start, time.Duration(end-start), axis, xLabels, t.waiting())

	title := m.titleLine(t, idx, partial)
	head := fmt.Sprintf("%-5s%7s%7s%7s%7s%7s%8s", unit, "now", "avg", "min", "max", "p95", "total B")
	in := m.readoutLine("in", &t.in, t.cur[0], t.curOK, div)
	out := m.readoutLine("out", &t.out, t.cur[1], t.curOK, div)
	return strings.Join([]string{
		title,
		m.st.head.Render(fit(head, m.width)),
		m.st.in.Render(fit(in, m.width)),
		m.st.out.Render(fit(out, m.width)),
		graph,
	}, "\n")
}

// titleLine names the target and its poll facts, with the interface name
// abbreviated (Vi1.195) when the full one does not fit.
func (m *Model) titleLine(t *target, idx int, partial bool) string {
	marker, style := "  ", m.st.title
	if len(m.targets) > 1 && idx == m.focus {
		marker, style = "> ", m.st.focus
	}
	line := marker + m.titleText(t, idx, partial, t.ifName)
	if len([]rune(line)) > m.width {
		line = marker + m.titleText(t, idx, partial, ifname.Abbreviate(t.ifName))
	}
	return style.Render(fit(line, m.width))
}

// titleText is the title without its focus marker.
func (m *Model) titleText(t *target, idx int, partial bool, ifName string) string {
	var b strings.Builder
	b.WriteString(t.name)
	if ifName != "" && !ifname.Equal(t.ifName, t.name) {
		b.WriteString("  " + ifName)
	}
	if t.ifIndex != 0 {
		fmt.Fprintf(&b, " #%d", t.ifIndex)
	}
	switch t.counterBits {
	case 64:
		b.WriteString("  64-bit")
	case 32:
		b.WriteString("  32-bit (no HC counters)")
	}
	fmt.Fprintf(&b, "  rtt %s  loss %.1f%%", formatRTT(t.rtt), t.lossPercent())
	if st := t.lastStatus; st != "" && !st.HasRate() && st != sample.StatusPending {
		b.WriteString("  now " + string(st))
	}
	if t.cachePeriod > 0 {
		b.WriteString("  agent refreshes every ≈" + formatPeriod(t.cachePeriod))
	}
	if partial {
		fmt.Fprintf(&b, "  [%d/%d, tab: next]", idx+1, len(m.targets))
	}
	return b.String()
}

// readoutLine is one direction's readouts in display units.
func (m *Model) readoutLine(name string, s *stats, cur float64, curOK bool, div float64) string {
	now := "-"
	if curOK {
		now = formatSI(cur / div)
	}
	num := func(v float64) string {
		if s.n == 0 {
			return "-"
		}
		return formatSI(v / div)
	}
	total := "-" // bytes whatever the units, as the head says
	if s.n > 0 {
		total = formatSI(s.total() / 8)
	}
	return fmt.Sprintf("%-5s%7s%7s%7s%7s%7s%8s", name, now, num(s.mean()), num(s.min), num(s.max), num(s.p95()), total)
}

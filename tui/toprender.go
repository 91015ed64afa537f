package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
)

// tableChrome is the rows around the table's body: the header, the
// column titles and the footer.
const tableChrome = 3

// column is one column of the table: its title, width and how a row fills
// it. Columns with a drop order are left out, lowest first, when the
// terminal is too narrow.
type column struct {
	title string
	width int
	right bool
	drop  int // 0: always shown
	cell  func(t *table, pos int, r *ranking.Row, div float64) string
}

// flexible columns share what the fixed ones leave: the subscriber gets
// the rest, the interface up to ifWidth.
const (
	ifWidth    = 22
	minIfWidth = 9
	minSubWith = 10
)

// tableColumns are the table's columns in order; the subscriber and
// interface widths are set by layout.
func tableColumns() []column {
	return []column{
		{title: "#", width: 6, right: true, cell: func(t *table, pos int, _ *ranking.Row, _ float64) string {
			if pos == t.cursor {
				return ">" + fmt.Sprintf("%4d", pos+1) // the selection, also without colour
			}
			return strconv.Itoa(pos + 1)
		}},
		{title: "subscriber", cell: func(_ *table, _ int, r *ranking.Row, _ float64) string {
			if r.User == "" {
				return "-"
			}
			return r.User
		}},
		{title: "interface", cell: func(_ *table, _ int, r *ranking.Row, _ float64) string { return r.IfName }},
		{title: "ifIndex", width: 8, right: true, drop: 2, cell: func(_ *table, _ int, r *ranking.Row, _ float64) string { return strconv.Itoa(r.IfIndex) }},
		{title: "in", width: 7, right: true, cell: func(_ *table, _ int, r *ranking.Row, div float64) string { return rateCell(r, r.LatestIn, div) }},
		{title: "out", width: 7, right: true, cell: func(_ *table, _ int, r *ranking.Row, div float64) string { return rateCell(r, r.LatestOut, div) }},
		{title: "total", width: 7, right: true, cell: func(_ *table, _ int, r *ranking.Row, div float64) string { return rateCell(r, r.Total(), div) }},
		{title: "trend", width: 2 + ranking.TrendLen, drop: 1, cell: func(_ *table, _ int, r *ranking.Row, _ float64) string { return " " + sparkline(r.Trend[:]) }},
		{title: "share", width: 7, right: true, drop: 3, cell: func(t *table, _ int, r *ranking.Row, _ float64) string {
			s := t.cycle.Share(r)
			if math.IsNaN(s) {
				return "-"
			}
			return strconv.FormatFloat(100*s, 'f', 1, 64) + "%"
		}},
		{title: "now", width: 9, drop: 4, cell: func(_ *table, _ int, r *ranking.Row, _ float64) string { return " " + statusWord(r.Status) }},
	}
}

// layout returns the columns that fit width, with the subscriber and
// interface widths set.
func layout(width int) []column {
	cols := tableColumns()
	for drop := 0; ; drop++ {
		fixed, kept := 0, cols[:0:0]
		for _, c := range cols {
			if c.drop == 0 || c.drop > drop {
				kept = append(kept, c)
				fixed += c.width
			}
		}
		room := width - fixed - 2 // a space after each flexible column
		if room >= minSubWith+minIfWidth || drop > 4 {
			iface := min(ifWidth, max(minIfWidth, room/3))
			for i := range kept {
				switch kept[i].title {
				case "subscriber":
					kept[i].width = max(room-iface, 1) + 1
				case "interface":
					kept[i].width = iface + 1
				}
			}
			return kept
		}
	}
}

// rateCell is a row's latest rate in display units, "-" without one.
func rateCell(r *ranking.Row, bps, div float64) string {
	if !r.HasLatest {
		return "-"
	}
	return formatSI(bps / div)
}

// statusWords are how the table names a cycle without a rate.
var statusWords = map[sample.Status]string{
	sample.StatusFirst:            "first",
	sample.StatusPending:          "pending",
	sample.StatusGapTimeout:       "timeout",
	sample.StatusGapReset:         "reset",
	sample.StatusGapDiscontinuity: "discont",
	sample.StatusWrap:             "wrap",
}

// statusWord is the "now" column: what this cycle's reading was, when it
// was not a plain rate.
func statusWord(s sample.Status) string { return statusWords[s] }

// sparkLevels are the bars of a trend, lowest first.
var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// sparkline draws a row's trend scaled to its own highest point: a space
// for a cycle without a rate (never a zero that did not happen).
func sparkline(trend []float32) string {
	top := float32(0)
	for _, v := range trend {
		if !math.IsNaN(float64(v)) {
			top = max(top, v)
		}
	}
	var b strings.Builder
	for _, v := range trend {
		switch {
		case math.IsNaN(float64(v)):
			b.WriteByte(' ')
		case top <= 0:
			b.WriteRune(sparkLevels[0])
		default:
			i := int(math.Ceil(float64(v/top)*float64(len(sparkLevels)))) - 1
			b.WriteRune(sparkLevels[min(max(i, 0), len(sparkLevels)-1)])
		}
	}
	return b.String()
}

// cellText pads or cuts a cell to its column.
func cellText(c column, s string) string {
	if c.right {
		s = fit(s, c.width-1)
		return strings.Repeat(" ", c.width-1-len([]rune(s))) + s + " "
	}
	return pad(fit(s, c.width-1), c.width)
}

// renderTable draws the column titles and the rows on screen.
func (m *TopModel) renderTable(rows int) string {
	t := m.table
	cols := layout(m.width)
	_, div := unitsOf(t.bytes)
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(cellText(c, c.title))
	}
	lines := []string{m.st.head.Render(fit(b.String(), m.width))}
	body := rows - 1
	switch {
	case !t.has:
		lines = append(lines, pad("waiting for the first cycle...", m.width))
	case len(t.view) == 0 && t.filter != nil:
		lines = append(lines, pad("no row matches the filter "+t.filter.String()+" (/ to change it)", m.width))
	case len(t.view) == 0:
		lines = append(lines, pad("no rows: the router has no interface in scope", m.width))
	}
	if t.cursor < t.top {
		t.top = t.cursor
	}
	if t.cursor >= t.top+body {
		t.top = t.cursor - body + 1
	}
	t.top = max(min(t.top, len(t.view)-body), 0)
	for pos := t.top; pos < len(t.view) && len(lines) < rows; pos++ {
		r := &t.cycle.Rows[t.view[pos]]
		b.Reset()
		for _, c := range cols {
			b.WriteString(cellText(c, c.cell(t, pos, r, div)))
		}
		line := fit(b.String(), m.width)
		if pos == t.cursor {
			line = m.st.focus.Render(pad(line, m.width))
		}
		lines = append(lines, line)
	}
	for len(lines) < rows {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// unitsOf returns the rate unit and the divisor from bits.
func unitsOf(bytes bool) (string, float64) {
	if bytes {
		return "B/s", 8
	}
	return "b/s", 1
}

// renderTopHeader is the top line: router, rows, the sum of their rates,
// the cycle and the data's age on the left, the mode on the right. Where
// the terminal is narrow it leaves out parts, least useful first.
func (m *TopModel) renderTopHeader() string {
	t := m.table
	unit, div := unitsOf(t.bytes)
	c := &t.cycle
	rows := fmt.Sprintf("%d rows", len(c.Rows))
	if c.Ranked > len(c.Rows) { // --limit
		rows = fmt.Sprintf("top %d of %d rows", len(c.Rows), c.Ranked)
	}
	if t.filter != nil {
		rows = fmt.Sprintf("%d of %d rows match /%s/", len(t.view), len(c.Rows), t.filter.String())
	}
	sum := fmt.Sprintf("sum %s %s", formatSI((c.InBps+c.OutBps)/div), unit)
	detail := fmt.Sprintf("(in %s out %s)", formatSI(c.InBps/div), formatSI(c.OutBps/div))
	cycle := "cycle " + formatWindow(c.Interval)
	if c.Overran() {
		cycle = "cycle = walk " + formatWindow(c.Walk().Round(100*time.Millisecond))
	}
	age := ""
	if m.opts.Now != nil && t.has {
		age = "age " + formatWindow(t.age(m.opts.Now()).Round(100*time.Millisecond))
	}
	badge := "LIVE"
	switch {
	case t.paused:
		badge = fmt.Sprintf("PAUSED +%d", t.missed)
	case t.ended:
		badge = "STOPPED"
	}
	parts := []string{"stg top", m.opts.Router, rows, sum, detail, cycle, age, "sort " + t.sortKey.String()}
	if !t.has {
		parts = []string{"stg top", m.opts.Router, "", "", "", "", "", ""}
	}
	// Left out first: the sort, the in/out detail, "stg top", the age,
	// the cycle, the sum.
	for _, drop := range []int{-1, 7, 4, 0, 6, 5, 3} {
		if drop >= 0 {
			parts[drop] = ""
		}
		left := strings.Join(nonEmpty(parts), "  ") + "  "
		if w := len([]rune(left + badge)); w <= m.width {
			line := left + m.st.paused.Render(badge)
			if right := "? help"; w+2+len(right) <= m.width {
				line += strings.Repeat(" ", m.width-w-len(right)) + right
			}
			return line
		}
	}
	return fit(strings.Join(nonEmpty(parts), "  "), m.width)
}

// renderTopFooter is the bottom line: the filter prompt, the last word
// on a key, the cycle's error, or the key hints.
func (m *TopModel) renderTopFooter() string {
	t := m.table
	switch {
	case t.editing:
		return fit("filter (regexp over subscriber, ifName, ifDescr, ifAlias): "+t.input+"█  enter apply  esc cancel", m.width)
	case t.note != "" && t.noteFailed:
		return m.st.error.Render(fit(t.note, m.width))
	case t.note != "":
		return fit(t.note, m.width)
	case t.cycle.Err != "":
		return m.st.error.Render(fit(fmt.Sprintf("cycle %d: %s", t.cycle.Number, t.cycle.Err), m.width))
	case t.ended:
		return fit("stg top stopped: the table shows the last cycle; q quits", m.width)
	}
	return m.renderHints(t.keys.ShortHelp())
}

package main

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// row is one line of the result table: a figure of stg beside the same
// figure of a peer measured in the same run. A NaN value is "not measured".
type row struct {
	Section  string  // "1 resolve", "2 accuracy", ...
	Measure  string  // what was measured, e.g. "32k sim, first run"
	Unit     string  // "s", "ms", "%", "targets", ...
	Stg      float64 // stg's figure
	PeerName string  // e.g. "snmpbulkwalk -Cr50"; "" when there is no peer
	Peer     float64 // the peer's figure; NaN when there is no peer
	// HigherBetter is true when a larger figure wins (scale); otherwise
	// the smaller wins (time, error, jitter, cost).
	HigherBetter bool
	// Goal is the most stg may reach, from the issue that set it: the
	// stg/peer ratio when there is a peer, else stg's figure; 0 is none.
	Goal float64
	Note string // why a figure is missing or how it was scaled
}

// newRow returns a row without a peer.
func newRow(section, measure, unit string, stg float64) row {
	return row{Section: section, Measure: measure, Unit: unit, Stg: stg, Peer: math.NaN()}
}

// vs returns r with a peer figure.
func (r row) vs(peerName string, peer float64) row {
	r.PeerName, r.Peer = peerName, peer
	return r
}

// goal returns r with a goal (see row.Goal).
func (r row) goal(g float64) row {
	r.Goal = g
	return r
}

// goalMissed reports whether r has a goal and its figure is past it.
func (r row) goalMissed() bool {
	if r.Goal == 0 {
		return false
	}
	v := r.Stg
	if r.PeerName != "" {
		v = r.ratio()
	}
	return !(v <= r.Goal)
}

// goalText is "goal ≤ G" in the row's terms, "" without a goal.
func (r row) goalText() string {
	switch {
	case r.Goal == 0:
		return ""
	case r.PeerName != "":
		return "goal ≤ " + formatRatio(r.Goal)
	}
	return "goal ≤ " + formatValue(r.Goal, r.Unit)
}

// ratio is stg / peer, NaN when either is missing or the peer is 0.
func (r row) ratio() float64 {
	if math.IsNaN(r.Stg) || math.IsNaN(r.Peer) || r.Peer == 0 {
		return math.NaN()
	}
	return r.Stg / r.Peer
}

// verdict says plainly who won against the peer, then whether the goal
// was missed; "" without a peer or goal.
func (r row) verdict() string {
	v := r.against()
	if r.goalMissed() {
		if v != "" {
			return v + ", GOAL MISSED"
		}
		return "GOAL MISSED"
	}
	return v
}

// lost reports whether the verdict is a loss to the peer or a missed goal.
func (r row) lost() bool {
	return r.against() == "STG LOSES" || r.goalMissed()
}

// against says who won against the peer; "" without one.
func (r row) against() string {
	if math.IsNaN(r.Stg) || math.IsNaN(r.Peer) {
		return ""
	}
	switch {
	case formatValue(r.Stg, r.Unit) == formatValue(r.Peer, r.Unit):
		return "even" // the same to the three digits the table shows
	case (r.Stg < r.Peer) != r.HigherBetter:
		return "stg ahead"
	default:
		return "STG LOSES"
	}
}

// formatValue prints v with three significant digits and its unit; "—"
// for NaN.
func formatValue(v float64, unit string) string {
	if math.IsNaN(v) {
		return "—"
	}
	var s string
	switch a := math.Abs(v); {
	case a == 0:
		s = "0"
	case a >= 100 || v == math.Trunc(v):
		s = fmt.Sprintf("%.0f", v)
	case a >= 10:
		s = fmt.Sprintf("%.1f", v)
	case a >= 1:
		s = fmt.Sprintf("%.2f", v)
	default:
		s = fmt.Sprintf("%.3g", v)
	}
	if unit == "" {
		return s
	}
	if unit == "%" {
		return s + "%"
	}
	return s + " " + unit
}

// formatRatio prints a ratio as "0.91x" (two significant digits below
// 0.1: "0.0013x"); "—" for NaN.
func formatRatio(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	if v != 0 && math.Abs(v) < 0.1 {
		return fmt.Sprintf("%.2gx", v)
	}
	return fmt.Sprintf("%.2fx", v)
}

// cells returns the table cells of r in column order.
func (r row) cells() []string {
	peer := "—"
	if r.PeerName != "" {
		peer = r.PeerName + ": " + formatValue(r.Peer, r.Unit)
	}
	note := r.Note
	if g := r.goalText(); g != "" {
		note = strings.TrimSuffix(g+"; "+note, "; ")
	}
	return []string{r.Section, r.Measure, formatValue(r.Stg, r.Unit), peer, formatRatio(r.ratio()), r.verdict(), note}
}

// tableHeader names the columns of both renderings.
var tableHeader = []string{"#", "measure", "stg", "peer", "stg/peer", "verdict", "note"}

// writeText writes rows as an aligned plain-text table.
func writeText(w io.Writer, rows []row) error {
	all := [][]string{tableHeader}
	for _, r := range rows {
		all = append(all, r.cells())
	}
	width := make([]int, len(tableHeader))
	for _, cs := range all {
		for i, c := range cs {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for _, cs := range all {
		for i, c := range cs {
			if i == len(cs)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c + strings.Repeat(" ", width[i]-len([]rune(c))+2))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

// trimLines drops trailing spaces from every line of s.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// writeMarkdown writes rows as a GitHub Markdown table.
func writeMarkdown(w io.Writer, rows []row) error {
	var b strings.Builder
	line := func(cs []string) {
		for i := range cs {
			cs[i] = strings.ReplaceAll(cs[i], "|", `\|`)
		}
		b.WriteString("| " + strings.Join(cs, " | ") + " |\n")
	}
	line(append([]string(nil), tableHeader...))
	sep := make([]string, len(tableHeader))
	for i := range sep {
		sep[i] = "---"
	}
	line(sep)
	for _, r := range rows {
		cs := r.cells()
		if r.lost() {
			cs[5] = "**" + cs[5] + "**"
		}
		line(cs)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

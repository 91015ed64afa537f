package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestVerdict(t *testing.T) {
	tests := []struct {
		name string
		r    row
		want string
	}{
		{"smaller time wins", newRow("1", "m", "s", 0.5).vs("p", 1), "stg ahead"},
		{"larger time loses", newRow("1", "m", "s", 2).vs("p", 1), "STG LOSES"},
		{"equal", newRow("1", "m", "s", 1).vs("p", 1), "even"},
		{"equal to the digits shown", newRow("8", "m", "%", 0.097912).vs("p", 0.097854), "even"},
		{"apart in the digits shown", newRow("8", "m", "%", 0.0980).vs("p", 0.0979), "STG LOSES"},
		{"no peer", newRow("4", "m", "ms", 3), ""},
		{"larger scale wins", row{Stg: 4000, Peer: 1000, HigherBetter: true}, "stg ahead"},
		{"smaller scale loses", row{Stg: 100, Peer: 1000, HigherBetter: true}, "STG LOSES"},
		{"stg not measured", newRow("1", "m", "s", math.NaN()).vs("p", 1), ""},
		{"ahead, goal met", newRow("7", "m", "s", 0.4).vs("p", 1).goal(0.5), "stg ahead"},
		{"ahead, goal missed", newRow("7", "m", "s", 0.6).vs("p", 1).goal(0.5), "stg ahead, GOAL MISSED"},
		{"no peer, goal met", newRow("7", "m", "MB", 60).goal(64), ""},
		{"no peer, goal missed", newRow("7", "m", "MB", 94).goal(64), "GOAL MISSED"},
		{"no peer, not measured", newRow("7", "m", "MB", math.NaN()).goal(64), "GOAL MISSED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.verdict(); got != tt.want {
				t.Errorf("verdict of stg %v vs peer %v = %q, want %q", tt.r.Stg, tt.r.Peer, got, tt.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{math.NaN(), "s", "—"},
		{0, "%", "0%"},
		{0.01234, "s", "0.0123 s"},
		{1.234, "s", "1.23 s"},
		{12.34, "ms", "12.3 ms"},
		{1234.4, "MB", "1234 MB"},
		{4000, "targets", "4000 targets"},
		{-2.5, "ms", "-2.50 ms"},
	}
	for _, tt := range tests {
		if got := formatValue(tt.v, tt.unit); got != tt.want {
			t.Errorf("formatValue(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
	if got := formatRatio(0.5 / 2); got != "0.25x" {
		t.Errorf("formatRatio(0.25) = %q, want 0.25x", got)
	}
	if got := formatRatio(0.00768 / 5.61); got != "0.0014x" {
		t.Errorf("formatRatio(0.00137) = %q, want 0.0014x", got)
	}
	if got := formatRatio(math.Inf(1)); got != "—" {
		t.Errorf("formatRatio(+Inf) = %q, want —", got)
	}
}

func TestWriteText(t *testing.T) {
	rows := []row{
		newRow("1", "resolve 32k", "s", 0.6).vs("snmpbulkwalk -Cr50", 0.66),
		newRow("4", "TUI frame p50", "ms", 3.7),
	}
	var b strings.Builder
	if err := writeText(&b, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want header and 2 rows:\n%s", len(lines), b.String())
	}
	// Columns line up: "stg" starts at the same offset on every line.
	col := strings.Index(lines[0], "stg ")
	for i, want := range []string{"0.6 s", "3.70 ms"} {
		if l := lines[i+1]; !strings.HasPrefix(l[col:], want) {
			t.Errorf("stg column of %q does not start with %q at offset %d", l, want, col)
		}
	}
	if !strings.Contains(lines[1], "snmpbulkwalk -Cr50: 0.66 s") || !strings.Contains(lines[1], "0.91x") || !strings.Contains(lines[1], "stg ahead") {
		t.Errorf("row 1 = %q, want the peer figure, ratio 0.91x and the verdict", lines[1])
	}
	for _, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("trailing space in %q", l)
		}
	}
}

func TestWriteMarkdown(t *testing.T) {
	rows := []row{
		newRow("3", "jitter p99", "ms", 9).vs("loop", 3),
		withNote(newRow("5", "targets", "targets", 2000), "a|b"),
		withNote(newRow("7", "top cycle", "s", 5.6).vs("snmp_exporter", 8.8).goal(0.5), "3 cycles"),
	}
	var b strings.Builder
	if err := writeMarkdown(&b, rows); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	lines := strings.Split(strings.TrimRight(got, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("got %d lines, want 5:\n%s", len(lines), got)
	}
	if !strings.Contains(lines[4], "**stg ahead, GOAL MISSED**") || !strings.Contains(lines[4], "goal ≤ 0.50x; 3 cycles") {
		t.Errorf("a missed goal is not bold or its goal not in the note: %q", lines[4])
	}
	if !strings.Contains(lines[2], "**STG LOSES**") {
		t.Errorf("a loss is not bold: %q", lines[2])
	}
	if !strings.Contains(lines[3], `a\|b`) {
		t.Errorf("a pipe in a cell is not escaped: %q", lines[3])
	}
	for _, l := range lines {
		if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); n != len(tableHeader)+1 {
			t.Errorf("%d pipes in %q, want %d", n, l, len(tableHeader)+1)
		}
	}
}

// TestReportLosses: the list under the table names losses to a peer and
// missed goals, and only those.
func TestReportLosses(t *testing.T) {
	got := report([]row{
		newRow("4", "peak RSS", "MB", 13.7).vs("snmpget", 6.8),
		newRow("7", "top cycle", "s", 5.6).vs("snmp_exporter", 8.8).goal(0.5),
		newRow("7", "top RSS", "MB", 60.6).goal(64),
		newRow("7", "top TUI", "% core", 3).goal(2),
	}, nil, time.Unix(0, 0), time.Second)
	for _, want := range []string{
		"- peak RSS: stg 13.7 MB vs snmpget 6.80 MB\n",
		"- top cycle: stg 0.64x of snmp_exporter, goal ≤ 0.50x\n",
		"- top TUI: stg 3 % core, goal ≤ 2 % core\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "- top RSS") {
		t.Errorf("report lists a goal that was met:\n%s", got)
	}
}

func TestSpliceReport(t *testing.T) {
	part := beginMarker + "\nNEW\n" + endMarker + "\n"
	tests := []struct {
		name, doc, want string
	}{
		{"empty file gets a title", "", "# stg benchmarks\n\n" + part},
		{"markers replaced, rest kept", "# T\n\nintro\n\n" + beginMarker + "\nOLD\n" + endMarker + "\n\n## Component\nkept\n",
			"# T\n\nintro\n\n" + part + "\n## Component\nkept\n"},
		{"no markers: appended", "# T\n\nhand text\n", "# T\n\nhand text\n\n" + part},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := spliceReport(tt.doc, part); got != tt.want {
				t.Errorf("spliceReport:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

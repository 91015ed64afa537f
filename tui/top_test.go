package tui

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/ranking"
	"github.com/stg-project/stg/sample"
)

// topKey returns the message bubbletea sends for a key name.
func topKey(name string) tea.KeyMsg {
	switch name {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	}
	return keyOf(name)
}

// topCycle builds cycle n of a BRAS with rows sessions: the
// DNS-amplification victim on top, then sessions at falling rates, one of
// them without a rate this cycle and one never measured yet.
func topCycle(n, rows int) ranking.Cycle {
	end := t0.Add(time.Duration(n) * time.Second)
	c := ranking.Cycle{Router: "bras1", Number: n, Interval: time.Second, Start: end.Add(-40 * time.Millisecond), End: end}
	for k := 0; k < rows; k++ {
		r := ranking.Row{Interface: &ranking.Interface{User: fmt.Sprintf("user%03d@isp.example", k), IfIndex: 100 + k,
			IfDescr: fmt.Sprintf("Virtual-Access2.%d", k+1), IfName: fmt.Sprintf("Vi2.%d", k+1)},
			Time: end.Add(-time.Duration(rows-k) * time.Millisecond), Status: sample.StatusOK, Interval: time.Second, CounterBits: 64}
		r.InBps, r.OutBps = 1e6/float64(k+1), 50e6/float64(k+1)
		if k == 0 {
			r.User, r.InBps, r.OutBps = "smallbiz-gw@biz.example", 1.2e6, 800e6
		}
		if k == 2 {
			r.InBps, r.OutBps = 30e6, 1e6 // the largest upload
		}
		r.LatestIn, r.LatestOut, r.HasLatest = r.InBps, r.OutBps, true
		for i := range r.Trend {
			r.Trend[i] = float32((r.InBps + r.OutBps) * (0.5 + 0.5*math.Sin(float64(i+k))))
		}
		switch k {
		case 4:
			r.Status, r.InBps, r.OutBps = sample.StatusGapTimeout, 0, 0
			r.Trend[ranking.TrendLen-1] = float32(math.NaN())
		case rows - 1:
			r.Status, r.InBps, r.OutBps, r.HasLatest = sample.StatusFirst, 0, 0, false
			for i := range r.Trend {
				r.Trend[i] = float32(math.NaN())
			}
		}
		r.Target = r.User
		c.Rows = append(c.Rows, r)
	}
	ranking.Sort(c.Rows, ranking.ByTotal)
	for i := range c.Rows {
		c.Rows[i].Rank = i + 1
		if c.Rows[i].HasLatest {
			c.InBps += c.Rows[i].LatestIn
			c.OutBps += c.Rows[i].LatestOut
		}
	}
	return c
}

// newTopModel returns a TopModel styled with the ASCII profile, sized w×h,
// its clock 400 ms after the first cycle it is given.
func newTopModel(opts TopOptions, w, h int) *TopModel {
	opts.Output = &bytes.Buffer{}
	opts.Router = "bras1"
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0.Add(time.Second + 400*time.Millisecond) }
	}
	m := NewTop(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func TestTopGolden(t *testing.T) {
	overran := topCycle(1, 40)
	overran.Start = overran.End.Add(-2300 * time.Millisecond)
	tests := []struct {
		name  string
		w, h  int
		cycle ranking.Cycle
		keys  []string
	}{
		{"top", 120, 20, topCycle(1, 40), nil},
		{"top-narrow", 60, 15, topCycle(1, 40), nil},
		{"top-by-in", 100, 15, topCycle(1, 40), []string{"i", "down"}},
		{"top-filter", 100, 15, topCycle(1, 40), []string{"/", "2", "\\", ".", "1", "enter"}},
		{"top-overran-paused", 100, 15, overran, []string{" "}},
		{"top-help", 80, 30, topCycle(1, 40), []string{"?"}},
		{"top-bottom", 100, 15, topCycle(1, 40), []string{"end"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTopModel(TopOptions{Drill: func(ranking.Row) (Drill, error) { return Drill{}, nil }}, tt.w, tt.h)
			m.Update(CycleMsg(tt.cycle))
			for _, k := range tt.keys {
				m.Update(topKey(k))
			}
			golden(t, tt.name, m.View())
		})
	}
}

// TestTopKeys: every binding of the table's keymap does what it says.
func TestTopKeys(t *testing.T) {
	fresh := func() *TopModel {
		m := newTopModel(TopOptions{Drill: func(ranking.Row) (Drill, error) { return Drill{}, nil }}, 100, 20)
		m.Update(CycleMsg(topCycle(1, 40)))
		return m
	}
	first := func(m *TopModel) *ranking.Row { return &m.table.cycle.Rows[m.table.view[0]] }
	k := newTableKeys()
	tests := []struct {
		name string
		keys []string
		did  func(m *TopModel) bool
	}{
		{"down", k.Down.Keys(), func(m *TopModel) bool { return m.table.cursor == 1 }},
		{"page down", k.PageDown.Keys(), func(m *TopModel) bool { return m.table.cursor == m.page() }},
		{"end", k.Last.Keys(), func(m *TopModel) bool { return m.table.cursor == 39 }},
		{"by in", k.ByIn.Keys(), func(m *TopModel) bool { return first(m).User == "user002@isp.example" }},
		{"by out", k.ByOut.Keys(), func(m *TopModel) bool {
			return first(m).User == "smallbiz-gw@biz.example" && m.table.sortKey == ranking.ByOut
		}},
		{"pause", k.Pause.Keys(), func(m *TopModel) bool { return m.table.paused }},
		{"bytes", k.Bytes.Keys(), func(m *TopModel) bool { return m.table.bytes }},
		{"help", k.Help.Keys(), func(m *TopModel) bool { return m.table.help }},
		{"filter", k.Filter.Keys(), func(m *TopModel) bool { return m.table.editing }},
		{"open", k.Open.Keys(), func(m *TopModel) bool { return m.view == viewChart }},
	}
	for _, tt := range tests {
		for _, name := range tt.keys {
			m := fresh()
			m.Update(topKey(name))
			if !tt.did(m) {
				t.Errorf("%s: key %q did nothing", tt.name, name)
			}
		}
	}
	for _, name := range k.Quit.Keys() {
		if _, cmd := fresh().Update(topKey(name)); cmd == nil {
			t.Errorf("quit key %q returns no command", name)
		} else if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("quit key %q does not quit", name)
		}
	}
	m := fresh()
	help := strings.Join(m.topHelpLines(), "\n")
	for _, b := range []string{"enter", "sort by in", "sort by out", "sort by total", "filter", "pause", "bits/bytes", "quit"} {
		if !strings.Contains(help, b) {
			t.Errorf("help lacks %q", b)
		}
	}
}

// TestTopCursorFollowsRow: the selection stays on its row when a new
// cycle ranks it elsewhere; a filter keeps what matches; a bad regexp is
// refused with the reason, the rows unchanged.
func TestTopCursorFollowsRow(t *testing.T) {
	m := newTopModel(TopOptions{}, 100, 20)
	m.Update(CycleMsg(topCycle(1, 40)))
	for range 3 {
		m.Update(topKey("down"))
	}
	sel := m.table.selectedRow().User
	next := topCycle(2, 40)
	next.Rows[0], next.Rows[5] = next.Rows[5], next.Rows[0]
	m.Update(CycleMsg(next))
	if got := m.table.selectedRow(); got.User != sel || m.table.cycle.Number != 2 {
		t.Errorf("selection on %q after a new cycle, want %q", got.User, sel)
	}
	for _, k := range []string{"/", "[", "enter"} {
		m.Update(topKey(k))
	}
	if !m.table.noteFailed || !strings.Contains(m.View(), "not a regular expression") || len(m.table.view) != 40 {
		t.Errorf("bad filter: note %q, %d rows", m.table.note, len(m.table.view))
	}
	for _, k := range []string{"/", "s", "m", "a", "l", "l", "backspace", "l", "b", "enter"} {
		m.Update(topKey(k))
	}
	if len(m.table.view) != 1 || m.table.selectedRow().User != "smallbiz-gw@biz.example" {
		t.Errorf("filter smallb: %d rows", len(m.table.view))
	}
	m.Update(topKey(" "))
	m.Update(CycleMsg(topCycle(3, 40)))
	m.Update(CycleMsg(topCycle(4, 40)))
	if m.table.cycle.Number != 2 || m.table.missed != 2 || !strings.Contains(m.View(), "PAUSED +2") {
		t.Errorf("paused table shows cycle %d, missed %d", m.table.cycle.Number, m.table.missed)
	}
	m.Update(topKey("p"))
	if m.table.cycle.Number != 4 {
		t.Errorf("after the pause: cycle %d, want the newest, 4", m.table.cycle.Number)
	}
}

// TestTopFirstRowStaysFirst: a selection on the first row stays on the
// first row, whichever row a new cycle ranks there: the table opens on
// the rows in ifIndex order (no rates yet), and once rates come the top
// talker is selected, ready for Enter. Moved down, the selection keeps
// its row; Home brings it back to the first.
func TestTopFirstRowStaysFirst(t *testing.T) {
	m := newTopModel(TopOptions{}, 100, 20)
	first := topCycle(1, 40)
	first.Rows[0], first.Rows[7] = first.Rows[7], first.Rows[0]
	m.Update(CycleMsg(first))
	m.Update(CycleMsg(topCycle(2, 40)))
	if got := m.table.selectedRow(); m.table.cursor != 0 || got.User != "smallbiz-gw@biz.example" {
		t.Errorf("selection on row %d, %q; want the first row, the top talker", m.table.cursor+1, got.User)
	}
	m.Update(topKey("down"))
	sel := m.table.selectedRow().User
	next := topCycle(3, 40)
	next.Rows[1], next.Rows[0] = next.Rows[0], next.Rows[1]
	m.Update(CycleMsg(next))
	if got := m.table.selectedRow(); got.User != sel || m.table.cursor != 0 {
		t.Errorf("moved down: selection on row %d, %q; want %q, now ranked first", m.table.cursor+1, got.User, sel)
	}
}

// TestTopDrill: Enter hands the selected row to the Drill hook and shows
// its chart; the table takes cycles meanwhile; Esc stops the drill and
// shows the table with the newest cycle; a closed chart's late messages go
// nowhere.
func TestTopDrill(t *testing.T) {
	var opened []ranking.Row
	stopped := 0
	samples := make(chan sample.Sample, 10)
	m := newTopModel(TopOptions{Drill: func(r ranking.Row) (Drill, error) {
		opened = append(opened, r)
		return Drill{Samples: samples, Stop: func() { stopped++ }}, nil
	}}, 100, 30)
	m.Update(CycleMsg(topCycle(1, 40)))
	m.Update(topKey("down"))
	_, cmd := m.Update(topKey("enter"))
	if len(opened) != 1 || opened[0].User != m.table.selectedRow().User || m.view != viewChart || cmd == nil {
		t.Fatalf("enter: opened %d rows, view %d", len(opened), m.view)
	}
	want := opened[0]
	for i := 0; i < 5; i++ {
		samples <- sampleAt(want.Target, i, time.Second, wave, nil)
	}
	m.Update(cmd()) // the chart's first batch of samples, tagged
	m.Update(CycleMsg(topCycle(2, 40)))
	view := m.View()
	if !strings.Contains(view, want.Target) || !strings.Contains(view, "esc back to the table") || m.table.cycle.Number != 2 {
		t.Errorf("chart view lacks the row's name or the way back (table at cycle %d):\n%s", m.table.cycle.Number, view)
	}
	_, cmd = m.Update(topKey("esc"))
	if cmd == nil {
		t.Fatal("esc in the chart returns no command")
	}
	m.Update(cmd())
	if stopped != 1 || m.view != viewTable || !strings.Contains(m.View(), "stg top") {
		t.Fatalf("after esc: stopped %d, view %d", stopped, m.view)
	}
	if _, cmd := m.Update(drillMsg{gen: m.gen - 1, msg: StreamEndedMsg{}}); cmd != nil || m.view != viewTable {
		t.Errorf("a closed chart's message changed the view")
	}

	failing := newTopModel(TopOptions{Drill: func(ranking.Row) (Drill, error) { return Drill{}, fmt.Errorf("dial bras1: no route") }}, 100, 20)
	failing.Update(CycleMsg(topCycle(1, 40)))
	failing.Update(topKey("enter"))
	if failing.view != viewTable || !strings.Contains(failing.View(), "no route") {
		t.Errorf("a failing drill: view %d, footer %q", failing.view, failing.renderTopFooter())
	}
}

// TestTopNotes: notes told before the UI started and while it runs show
// in the table's footer until the next key; one told while a row's chart
// is open shows on the chart too.
func TestTopNotes(t *testing.T) {
	samples := make(chan sample.Sample)
	m := newTopModel(TopOptions{Notes: []string{"bras1: reading 32-bit ifInOctets/ifOutOctets"},
		Drill: func(ranking.Row) (Drill, error) { return Drill{Samples: samples, Stop: func() {}}, nil }}, 120, 20)
	m.Update(CycleMsg(topCycle(1, 40)))
	m.Update(NoteMsg("bras1: ifHCInOctets served as Gauge32"))
	footer := func() string { v := strings.Split(m.View(), "\n"); return v[len(v)-1] }
	if f := footer(); !strings.Contains(f, "32-bit ifInOctets") || !strings.Contains(f, "Gauge32") {
		t.Errorf("footer %q lacks the two notes", f)
	}
	m.Update(topKey("down"))
	if f := footer(); strings.Contains(f, "Gauge32") {
		t.Errorf("footer %q still shows the note after a key", f)
	}
	m.Update(topKey("enter"))
	m.Update(NoteMsg("Vi2.1: sysUpTime.0 stands still"))
	if v := m.View(); m.view != viewChart || !strings.Contains(v, "sysUpTime.0 stands still") {
		t.Errorf("the chart does not show the note told while it is open:\n%s", v)
	}
	if _, back := m.Update(topKey("esc")); back != nil {
		m.Update(back())
	}
	if f := footer(); m.view != viewTable || !strings.Contains(f, "sysUpTime.0 stands still") {
		t.Errorf("back on the table, footer %q lacks the note told meanwhile", f)
	}
}

// TestTopHeaderLimited: with --limit, the header says how many rows the
// cycle ranked of which the table shows the first.
func TestTopHeaderLimited(t *testing.T) {
	m := newTopModel(TopOptions{}, 120, 20)
	c := topCycle(1, 40)
	c.Rows, c.Ranked = c.Rows[:10], 32000
	m.Update(CycleMsg(c))
	if header := strings.Split(m.View(), "\n")[0]; !strings.Contains(header, "top 10 of 32000 rows") {
		t.Errorf("header %q does not say the 10 rows shown are the top of 32000", header)
	}
}

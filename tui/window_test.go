package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/sample"
)

// dataColumns returns the first and last graph columns (after the Y axis)
// that hold a line or area glyph in any chart row below the top one, or
// -1, -1 when there are none.
func dataColumns(view string) (first, last int) {
	first, last = -1, -1
	rows := graphRows(view)
	for _, row := range rows[min(1, len(rows)):] {
		for col, r := range row {
			if isDataGlyph(r) {
				if first < 0 || col < first {
					first = col
				}
				last = max(last, col)
			}
		}
	}
	return first, last
}

// graphRows returns the graph part (right of the Y axis) of every chart
// row of a view.
func graphRows(view string) [][]rune {
	var rows [][]rune
	for _, l := range lines(view) {
		rs := []rune(l)
		if len(rs) > yLabelWidth && rs[yLabelWidth] == '│' {
			rows = append(rows, rs[yLabelWidth+1:])
		}
	}
	return rows
}

// isDataGlyph reports whether r is drawn by a line or an area.
func isDataGlyph(r rune) bool {
	return isBraille(r) || isBlock(r)
}

// isBraille reports whether r is a braille pattern with at least one dot.
func isBraille(r rune) bool { return r > 0x2800 && r <= 0x28FF }

// isBlock reports whether r is a lower block element (▁ to █).
func isBlock(r rune) bool { return r >= 0x2581 && r <= 0x2588 }

func TestFirstMinuteFillsTheChart(t *testing.T) {
	// A new user's first minute on the default 5m window: the minute of
	// data is spread across the chart, and the header says so.
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 100, 30)
	m.Update(SamplesMsg(stream("alice", 60, time.Second, wave, nil)))
	v := m.View()
	gw := len(graphRows(v)[0])
	first, last := dataColumns(v)
	if first > 2 || last < gw-2 {
		t.Errorf("one minute of data fills graph columns %d..%d of %d, want it across the chart:\n%s", first, last, gw, v)
	}
	if head := lines(v)[0]; !strings.Contains(head, "window 59s of 5m") {
		t.Errorf("header %q should say the chart shows 59s of a 5m window", head)
	}
	start, end := m.viewRange()
	if want := t0.Add(time.Second).UnixNano(); start != want {
		t.Errorf("view starts at %v, want the first sample %v", time.Unix(0, start), time.Unix(0, want))
	}
	if want := t0.Add(60 * time.Second).UnixNano(); end != want {
		t.Errorf("view ends at %v, want the newest sample %v", time.Unix(0, end), time.Unix(0, want))
	}

	// Once the window is full it scrolls as before.
	m.Update(SamplesMsg(stream("alice", 400, time.Second, wave, nil)[60:]))
	if head := lines(m.View())[0]; !strings.Contains(head, "window 5m ") || strings.Contains(head, " of ") {
		t.Errorf("full window: header %q should say window 5m", head)
	}
	if start, end := m.viewRange(); time.Duration(end-start) != 5*time.Minute {
		t.Errorf("full window spans %v, want 5m", time.Duration(end-start))
	}
}

func TestReplayOpensOnTheRecording(t *testing.T) {
	rec := stream("alice", 90, time.Second, wave, nil)
	m := newTestModel(t, Options{Recording: rec, Window: 5 * time.Minute}, 100, 30)
	start, end := m.viewRange()
	if start != rec[0].Time.UnixNano() || end != rec[len(rec)-1].Time.UnixNano() {
		t.Errorf("replay of 90 s opens on %v..%v, want the recording %v..%v", time.Unix(0, start), time.Unix(0, end), rec[0].Time, rec[len(rec)-1].Time)
	}
	v := m.View()
	gw := len(graphRows(v)[0])
	if first, last := dataColumns(v); first > 2 || last < gw-2 {
		t.Errorf("the recording fills graph columns %d..%d of %d, want it across the chart:\n%s", first, last, gw, v)
	}
}

func TestLeftNeverMovesForward(t *testing.T) {
	tests := []struct {
		name       string
		recorded   int // seconds recorded before the pause
		afterwards int // seconds recorded while paused
		window     time.Duration
	}{
		{"first minute of a 5m window", 60, 30, 5 * time.Minute},
		{"just under a window", 290, 60, 5 * time.Minute},
		{"a window and a bit", 70, 30, time.Minute},
		{"hours", 3000, 20, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := stream("alice", tt.recorded+tt.afterwards, time.Second, wave, nil)
			m := newTestModel(t, Options{Targets: []string{"alice"}, Window: tt.window}, 100, 30)
			m.Update(SamplesMsg(all[:tt.recorded]))
			m.Update(press(" "))
			m.Update(SamplesMsg(all[tt.recorded:]))
			for i := range 6 {
				start, end := m.viewRange()
				m.Update(press("left"))
				gotStart, gotEnd := m.viewRange()
				if gotEnd > end || gotStart > start {
					t.Fatalf("left #%d moved the view forward: %v..%v to %v..%v", i+1,
						time.Unix(0, start).Format("15:04:05"), time.Unix(0, end).Format("15:04:05"),
						time.Unix(0, gotStart).Format("15:04:05"), time.Unix(0, gotEnd).Format("15:04:05"))
				}
				if gotStart < all[0].Time.UnixNano() {
					t.Fatalf("left #%d scrolled before the first sample", i+1)
				}
			}
		})
	}
}

func TestWindowTakesAnyDuration(t *testing.T) {
	tests := []struct {
		window time.Duration
		head   string
		cycle  []time.Duration // what w steps through next
	}{
		{30 * time.Second, "window 30s ", []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 30 * time.Second}},
		{10 * time.Minute, "window 10m ", []time.Duration{15 * time.Minute, time.Hour, time.Minute, 5 * time.Minute, 10 * time.Minute}},
		{2 * time.Hour, "window 2h ", []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 2 * time.Hour}},
		{90 * time.Second, "window 1m30s ", []time.Duration{5 * time.Minute, 15 * time.Minute, time.Hour, time.Minute, 90 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.head, func(t *testing.T) {
			m := newTestModel(t, Options{Targets: []string{"alice"}, Window: tt.window}, 100, 30)
			// Three hours of samples: every window in the cycle is full.
			m.Update(SamplesMsg(stream("alice", 3*3600, time.Second, wave, nil)))
			if head := lines(m.View())[0]; !strings.Contains(head, tt.head) {
				t.Errorf("--window %v: header %q, want %q", tt.window, head, tt.head)
			}
			if start, end := m.viewRange(); time.Duration(end-start) != tt.window {
				t.Errorf("--window %v: the chart spans %v", tt.window, time.Duration(end-start))
			}
			for _, w := range tt.cycle {
				m.Update(press("w"))
				if start, end := m.viewRange(); time.Duration(end-start) != w {
					t.Fatalf("w: the chart spans %v, want %v", time.Duration(end-start), w)
				}
			}
		})
	}
}

func TestFillStartsAtTheFirstRate(t *testing.T) {
	// The first reading is a baseline and a caching agent may answer
	// pending before the first rate: the chart starts at the first rate.
	s := stream("alice", 30, time.Second, wave, func(i int) sample.Status {
		return []sample.Status{sample.StatusFirst, sample.StatusPending, sample.StatusPending}[min(i, 2)]
	})
	for i := 3; i < len(s); i++ {
		s[i] = sampleAt("alice", i, time.Second, wave, nil)
	}
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 100, 30)
	m.Update(SamplesMsg(s))
	if start, _ := m.viewRange(); start != s[3].Time.UnixNano() {
		t.Errorf("view starts at %v, want the first rate at %v", time.Unix(0, start), s[3].Time)
	}
	v := m.View()
	if first, last := dataColumns(v); first > 1 || last < len(graphRows(v)[0])-2 {
		t.Errorf("27 s of rates fill graph columns %d..%d:\n%s", first, last, v)
	}
}

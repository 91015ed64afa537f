package tui

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/stg-project/stg/sample"
)

// isQuit reports whether cmd is tea.Quit.
func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestQuitKeys(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		quit bool
	}{
		{"q", []string{"q"}, true},
		{"ctrl+c", []string{"ctrl+c"}, true},
		{"q in help", []string{"?", "q"}, true},
		{"ctrl+c in help", []string{"?", "ctrl+c"}, true},
		{"other keys", []string{"x", "b", "s", "w", "r", "tab", "?", "esc"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, Options{Targets: []string{"alice"}}, 100, 30)
			var cmd tea.Cmd
			for _, k := range tt.keys {
				_, cmd = m.Update(press(k))
			}
			if got := isQuit(cmd); got != tt.quit {
				t.Errorf("quit after %v = %v, want %v", tt.keys, got, tt.quit)
			}
		})
	}
}

func TestPauseKeepsRecording(t *testing.T) {
	for _, k := range []string{" ", "p"} {
		t.Run(k, func(t *testing.T) {
			all := stream("alice", 120, time.Second, wave, nil)
			m := newTestModel(t, Options{Targets: []string{"alice"}, Window: time.Minute}, 100, 30)
			m.Update(SamplesMsg(all[:60]))
			m.Update(press(k))
			if !m.paused {
				t.Fatalf("%q did not pause", k)
			}
			frozen := chartRows(m.View())
			_, frozenEnd := m.viewRange()
			m.Update(SamplesMsg(all[60:]))
			tgt := m.targets[0]
			if tgt.ring.len() != 120 || tgt.polls != 120 {
				t.Errorf("while paused: ring %d, polls %d; want both 120", tgt.ring.len(), tgt.polls)
			}
			if m.missed != 60 {
				t.Errorf("missed = %d, want 60", m.missed)
			}
			if _, end := m.viewRange(); end != frozenEnd {
				t.Errorf("paused view end moved from %d to %d", frozenEnd, end)
			}
			if got := chartRows(m.View()); got != frozen {
				t.Errorf("paused chart changed:\n%s\n---\n%s", frozen, got)
			}
			if !strings.Contains(m.View(), "PAUSED +60") {
				t.Errorf("header does not say PAUSED +60:\n%s", lines(m.View())[0])
			}
			m.Update(press(k))
			if m.paused {
				t.Fatalf("%q did not resume", k)
			}
			if got := chartRows(m.View()); got == frozen {
				t.Error("resumed chart still shows the frozen view")
			}
		})
	}
}

// chartRows returns the rows of a one-target view that hold the chart.
func chartRows(view string) string {
	ls := lines(view)
	return strings.Join(ls[1+readoutRows:len(ls)-1], "\n")
}

func TestBytesKey(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 100, 30)
	m.Update(SamplesMsg(stream("alice", 10, time.Second, func(int) (float64, float64) { return 80e6, 8e6 }, nil)))
	if v := m.View(); !strings.Contains(v, "b/s") || !strings.Contains(v, "80M") {
		t.Fatalf("bits view lacks b/s or 80M:\n%s", v)
	}
	m.Update(press("b"))
	if v := m.View(); !strings.Contains(v, "B/s") || !strings.Contains(v, "10M") || strings.Contains(v, "80M") {
		t.Errorf("bytes view should show B/s and 10M, not 80M:\n%s", v)
	}
	m.Update(press("b"))
	if !strings.Contains(m.View(), "80M") {
		t.Error("second b did not return to bits")
	}
}

func TestScaleKey(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 100, 30)
	want := []ScaleMode{ScaleFixed, ScaleLog, ScaleAuto, ScaleFixed}
	for i, w := range want {
		m.Update(press("s"))
		if m.scale != w {
			t.Fatalf("after %d presses scale = %v, want %v", i+1, m.scale, w)
		}
		if !strings.Contains(lines(m.View())[0], "scale "+w.String()) {
			t.Errorf("header does not show scale %v: %q", w, lines(m.View())[0])
		}
	}
}

func TestFixedScaleHoldsMaxSeen(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}, Window: time.Minute}, 100, 30)
	// A 300M burst, then two minutes at 10M: the burst leaves the window.
	m.Update(SamplesMsg(stream("alice", 200, time.Second, func(i int) (float64, float64) {
		if i == 5 {
			return 300e6, 0
		}
		return 10e6, 0
	}, nil)))
	if v := m.View(); !strings.Contains(v, "   10M│") {
		t.Errorf("auto scale should fall back to 10M:\n%s", v)
	}
	m.Update(press("s"))
	if v := m.View(); !strings.Contains(v, "  500M│") {
		t.Errorf("fixed scale should hold 500M (max seen 300M):\n%s", v)
	}
}

func TestWindowKey(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 100, 30)
	// Two hours recorded: every window is full (a window that is not
	// yet is shown as "window 42s of 5m").
	m.Update(SamplesMsg(stream("alice", 7200, time.Second, wave, nil)))
	for _, w := range []time.Duration{15 * time.Minute, time.Hour, time.Minute, 5 * time.Minute} {
		m.Update(press("w"))
		if m.window != w {
			t.Fatalf("window = %v, want %v", m.window, w)
		}
		if head := lines(m.View())[0]; !strings.Contains(head, "window "+formatWindow(w)) {
			t.Errorf("header %q does not show window %s", head, formatWindow(w))
		}
	}
}

func TestResetKey(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 100, 30)
	m.Update(SamplesMsg(stream("alice", 30, time.Second, wave, statusAt(10, 12, sample.StatusGapTimeout))))
	tgt := m.targets[0]
	if tgt.in.n == 0 || tgt.lost != 2 || tgt.lastErr == "" {
		t.Fatalf("before reset: n %d lost %d err %q", tgt.in.n, tgt.lost, tgt.lastErr)
	}
	m.Update(press("r"))
	if tgt.in.n != 0 || tgt.out.n != 0 || tgt.polls != 0 || tgt.lost != 0 || tgt.lastErr != "" {
		t.Errorf("after reset: in %d out %d polls %d lost %d err %q", tgt.in.n, tgt.out.n, tgt.polls, tgt.lost, tgt.lastErr)
	}
	if tgt.ring.len() != 30 {
		t.Errorf("reset dropped chart points: ring %d, want 30", tgt.ring.len())
	}
	if v := m.View(); !strings.Contains(v, "loss 0.0%") || strings.Contains(v, "last error") {
		t.Errorf("view after reset still shows loss or error:\n%s", v)
	}
}

func TestTabKey(t *testing.T) {
	samples := append(stream("alice", 10, time.Second, wave, nil), stream("bob", 10, time.Second, wave, nil)...)
	samples = append(samples, stream("carol", 10, time.Second, wave, nil)...)
	// 60x15 fits one target: tab decides which one is shown.
	m := newTestModel(t, Options{Targets: []string{"alice", "bob", "carol"}}, 60, 15)
	m.Update(SamplesMsg(samples))
	for i, want := range []string{"bob", "carol", "alice"} {
		m.Update(press("tab"))
		if m.focus != (i+1)%3 {
			t.Fatalf("focus = %d, want %d", m.focus, (i+1)%3)
		}
		if title := lines(m.View())[1]; !strings.HasPrefix(title, "> "+want) {
			t.Errorf("after %d tabs the title is %q, want %s first", i+1, title, want)
		}
	}
}

func TestHelpKey(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 100, 30)
	m.Update(press("?"))
	v := m.View()
	view := m.keys
	view.enable(keyState{frozen: true, targets: 1})
	for _, col := range view.FullHelp() {
		for _, b := range col {
			if b.Enabled() && (!strings.Contains(v, keyNames(b)) || !strings.Contains(v, b.Help().Desc)) {
				t.Errorf("help lacks %q %q", keyNames(b), b.Help().Desc)
			}
		}
	}
	m.Update(press("b")) // ignored while the help is open
	if m.bytes {
		t.Error("b acted behind the help overlay")
	}
	m.Update(press("esc"))
	for _, k := range []string{"?", "esc"} {
		m.Update(press("?"))
		m.Update(press(k))
		if m.help {
			t.Errorf("%q did not close the help", k)
		}
	}
}

func TestReplayScrollKeys(t *testing.T) {
	rec := stream("alice", 600, time.Second, wave, nil)
	m := newTestModel(t, Options{Recording: rec, Window: time.Minute}, 100, 30)
	last := rec[len(rec)-1].Time.UnixNano()
	first := rec[0].Time.UnixNano()
	step := int64(15 * time.Second)
	tests := []struct {
		key  string
		want int64
	}{
		{"right", last},
		{"left", last - step},
		{"left", last - 2*step},
		{"right", last - step},
		{"end", last},
	}
	for _, tt := range tests {
		m.Update(press(tt.key))
		if _, end := m.viewRange(); end != tt.want {
			t.Fatalf("after %s view ends at %v, want %v", tt.key, time.Unix(0, end), time.Unix(0, tt.want))
		}
	}
	for range 100 {
		m.Update(press("left"))
	}
	if start, _ := m.viewRange(); start != first {
		t.Errorf("scrolled past the start: view starts %v, recording %v", time.Unix(0, start), time.Unix(0, first))
	}
	m.Update(press("w")) // zoom out to 5m keeps the right edge
	if start, end := m.viewRange(); end-start != int64(5*time.Minute) {
		t.Errorf("w zoom: view is %v wide, want 5m", time.Duration(end-start))
	}
	m.Update(press(" "))
	if m.paused {
		t.Error("space paused a replay, which is always frozen")
	}
}

func TestLiveScrollPausesAndEndResumes(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}, Window: time.Minute}, 100, 30)
	m.Update(SamplesMsg(stream("alice", 300, time.Second, wave, nil)))
	_, live := m.viewRange()
	m.Update(press("left"))
	if _, end := m.viewRange(); !m.paused || end != live-int64(15*time.Second) {
		t.Errorf("left: paused %v, end %v; want paused, 15s back", m.paused, time.Duration(live-end))
	}
	m.Update(press("end"))
	if _, end := m.viewRange(); m.paused || end != live {
		t.Errorf("end: paused %v, end off by %v; want live", m.paused, time.Duration(live-end))
	}
}

func TestResizeFitsEverySize(t *testing.T) {
	samples := append(stream("alice", 100, time.Second, wave, nil), stream("bob", 100, time.Second, wave, nil)...)
	m := newTestModel(t, Options{Targets: []string{"alice", "bob"}}, 100, 30)
	m.Update(SamplesMsg(samples))
	for _, help := range []bool{false, true} {
		m.help = help
		for _, w := range []int{60, 61, 79, 80, 120, 200} {
			for _, h := range []int{15, 16, 17, 24, 31, 50} {
				m.Update(tea.WindowSizeMsg{Width: w, Height: h})
				ls := lines(m.View())
				if len(ls) != h {
					t.Errorf("%dx%d help %v: %d lines", w, h, help, len(ls))
				}
				for i, l := range ls {
					if n := utf8.RuneCountInString(l); n > w {
						t.Errorf("%dx%d help %v: line %d is %d wide: %q", w, h, help, i, n, l)
					}
				}
			}
		}
	}
	m.help = false
	m.Update(tea.WindowSizeMsg{Width: 59, Height: 30})
	if v := m.View(); !strings.Contains(v, "at least 60x15") {
		t.Errorf("59 wide: no size message: %q", v)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 14})
	if v := m.View(); !strings.Contains(v, "at least 60x15") {
		t.Errorf("14 high: no size message: %q", v)
	}
}

func TestWaitForSamples(t *testing.T) {
	ch := make(chan sample.Sample, 10)
	for _, s := range stream("alice", 3, time.Second, wave, nil) {
		ch <- s
	}
	msg := WaitForSamples(ch)()
	batch, ok := msg.(SamplesMsg)
	if !ok || len(batch) != 3 {
		t.Fatalf("got %T with %d samples, want SamplesMsg of 3", msg, len(batch))
	}
	m := newTestModel(t, Options{Targets: []string{"alice"}, Samples: ch}, 100, 30)
	if _, cmd := m.Update(batch); cmd == nil {
		t.Error("a SamplesMsg did not re-arm the stream")
	}
	close(ch)
	if msg := WaitForSamples(ch)(); msg != (StreamEndedMsg{}) {
		t.Errorf("closed stream gave %T, want StreamEndedMsg", msg)
	}
	m.Update(StreamEndedMsg{})
	if v := m.View(); !strings.Contains(v, "the poller stopped") {
		t.Errorf("ended stream not shown:\n%s", v)
	}
}

func TestRingIsBounded(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}, Interval: time.Second}, 100, 30)
	m.Update(SamplesMsg(stream("alice", 2*3600, time.Second, wave, nil)))
	r := m.targets[0].ring
	if r.len() > 3800 || r.len() < 3600 {
		t.Errorf("after 2h at 1 Hz the ring holds %d points, want an hour (3600..3800)", r.len())
	}
	first, last := r.at(0).at, r.at(r.len()-1).at
	if time.Duration(last-first) < time.Hour-time.Second {
		t.Errorf("ring spans %v, want at least the 1h window", time.Duration(last-first))
	}
}

func TestTitleShowsStateAndWaiting(t *testing.T) {
	m := newTestModel(t, Options{Targets: []string{"alice"}}, 100, 30)
	if v := m.View(); !strings.Contains(v, "waiting for the first sample") {
		t.Errorf("no waiting message before samples:\n%s", v)
	}
	m.Update(SamplesMsg(stream("alice", 10, time.Second, wave, statusAt(8, 10, sample.StatusGapTimeout))))
	v := m.View()
	if title := lines(v)[1]; !strings.Contains(title, "now gap-timeout") || !strings.Contains(title, "loss 20.0%") {
		t.Errorf("title %q should say now gap-timeout and loss 20.0%%", title)
	}
	if in := lines(v)[3]; !strings.HasPrefix(strings.TrimSpace(in), "in") || strings.Fields(in)[1] != "-" {
		t.Errorf("current in rate during a timeout should be '-', got %q", in)
	}
}

func TestFramesFollowSampleTime(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		window   time.Duration
		n        int
		frames   int
	}{
		{"1 Hz draws every poll", time.Second, time.Hour, 10, 10},
		{"10 Hz on 1h draws twice a second", 100 * time.Millisecond, time.Hour, 100, 20},
		{"10 Hz on 1m draws every dot column (0.3 s)", 100 * time.Millisecond, time.Minute, 90, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, Options{Targets: []string{"alice"}, Interval: tt.interval, Window: tt.window}, 100, 30)
			// A full window first: while a window fills, every sample
			// widens the span and is drawn.
			full := int(tt.window / tt.interval)
			all := stream("alice", full+tt.n, tt.interval, wave, nil)
			m.Update(SamplesMsg(all[:full]))
			m.View()
			frames := 0
			for _, s := range all[full:] {
				m.Update(SamplesMsg{s})
				before := m.drawnAt
				m.View()
				if m.drawnAt != before {
					frames++
				}
			}
			if frames != tt.frames {
				t.Errorf("%d samples drew %d frames, want %d", tt.n, frames, tt.frames)
			}
			m.Update(press("b"))
			if v := m.View(); !strings.Contains(v, "B/s") {
				t.Error("a key did not draw a frame at once")
			}
		})
	}
}

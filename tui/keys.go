package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// windows are the chart widths the `w` key cycles through.
var windows = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour}

// keyHelp lists every key for the help overlay, in order.
var keyHelp = [][2]string{
	{"q, ctrl+c", "quit"},
	{"space, p", "pause the chart (recording goes on)"},
	{"b", "bits/s or bytes/s"},
	{"s", "scale: auto, fixed (max seen), log"},
	{"w", "window: 1m, 5m, 15m, 1h (zoom)"},
	{"r", "reset statistics"},
	{"tab", "next target"},
	{"left, right", "scroll (paused or replay)"},
	{"end", "back to the live edge / end"},
	{"?, esc", "this help"},
}

// handleKey applies one key press and returns tea.Quit for the quit keys.
func (m *Model) handleKey(k tea.KeyMsg) tea.Cmd {
	key := k.String()
	if m.help {
		switch key {
		case "q", "ctrl+c":
			return tea.Quit
		case "?", "esc":
			m.help = false
		}
		return nil
	}
	switch key {
	case "q", "ctrl+c":
		return tea.Quit
	case "?":
		m.help = true
	case " ", "p":
		m.togglePause()
	case "b":
		m.bytes = !m.bytes
	case "s":
		m.scale = (m.scale + 1) % (ScaleLog + 1)
	case "w":
		m.nextWindow()
	case "r":
		for _, t := range m.targets {
			t.reset()
		}
	case "tab":
		if len(m.targets) > 0 {
			m.focus = (m.focus + 1) % len(m.targets)
		}
	case "left":
		m.scroll(-1)
	case "right":
		m.scroll(1)
	case "end":
		m.toEnd()
	}
	return nil
}

// togglePause freezes the view at the newest sample or lets it follow the
// stream again. A replay is always frozen.
func (m *Model) togglePause() {
	if m.replay {
		return
	}
	m.paused = !m.paused
	m.missed = 0
	if m.paused {
		m.viewEnd = m.newest
	}
}

// nextWindow steps to the next window, keeping the right edge in place.
func (m *Model) nextWindow() {
	i := 0
	for i < len(windows) && windows[i] <= m.window {
		i++
	}
	m.window = windows[i%len(windows)]
}

// scroll moves a frozen view a quarter window left (dir < 0) or right,
// within the recorded data; live, it first pauses.
func (m *Model) scroll(dir int) {
	if !m.replay && !m.paused {
		m.togglePause()
	}
	m.viewEnd += int64(dir) * int64(m.window/4)
	m.clampView()
}

// toEnd moves a replay to its end and a paused view back to live.
func (m *Model) toEnd() {
	if m.replay {
		m.viewEnd = m.newest
		return
	}
	m.paused = false
	m.missed = 0
}

// clampView keeps a frozen view end between one window after the oldest
// point and the newest point.
func (m *Model) clampView() {
	if m.viewEnd > m.newest {
		m.viewEnd = m.newest
	}
	if lo := m.oldest + int64(m.window); m.viewEnd < lo {
		m.viewEnd = min(lo, m.newest)
	}
}

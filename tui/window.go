package tui

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// The chart window: any duration from MinWindow to MaxWindow; 0 in
// Options means DefaultWindow.
const (
	MinWindow     = 10 * time.Second
	MaxWindow     = 24 * time.Hour
	DefaultWindow = 5 * time.Minute
)

// presetWindows are the windows the `w` key steps through, besides the
// one the UI started with.
var presetWindows = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour}

// minSpan is the narrowest time span a chart shows while it fills: the
// first samples are not stretched over the whole width.
const minSpan = 10 * time.Second

// maxRing bounds a target's ring buffer: 48 bytes a point, under 9 MB.
const maxRing = 180000

// ringPoints returns how many points of polls every interval hold a
// window, with room for late and early polls.
func ringPoints(window, interval time.Duration) int {
	return int(math.Ceil(float64(window)/float64(interval)*1.05)) + 16
}

// CheckWindow returns nil when window is a chart window the UI draws for
// polls every interval, else an error that says what is allowed. An
// interval of 0 (a replay, which keeps all of its rows) skips the bound on
// polls per window.
func CheckWindow(window, interval time.Duration) error {
	switch {
	case window < MinWindow || window > MaxWindow:
		got := window.String()
		if window > 0 {
			got = formatWindow(window)
		}
		return fmt.Errorf("the chart window must be from %s to %s, got %s", formatWindow(MinWindow), formatWindow(MaxWindow), got)
	case interval > 0 && ringPoints(window, interval) > maxRing:
		most := time.Duration(float64(maxRing-16) / 1.05 * float64(interval)).Truncate(time.Minute)
		return fmt.Errorf("a %s window of polls every %s holds more than the chart keeps (%d points): use at most %s, or poll less often",
			formatWindow(window), interval, maxRing, formatWindow(most))
	}
	return nil
}

// windowCycle returns the windows `w` steps through, shortest first: the
// presets and the window the UI started with.
func (m *Model) windowCycle() []time.Duration {
	ws := append(slices.Clone(presetWindows), m.startWindow)
	slices.Sort(ws)
	return slices.Compact(ws)
}

// ringCapacity returns how many points hold the longest window of the
// cycle (a replay: the whole recording).
func (m *Model) ringCapacity() int {
	if m.replay {
		return max(len(m.opts.Recording), 1)
	}
	return min(ringPoints(slices.Max(m.windowCycle()), m.opts.Interval), maxRing)
}

// span returns the time the charts show up to end: the window, or while
// less than a window of rates is recorded up to end, all there is from
// the first rate (at least minSpan), so the first minute fills the chart
// instead of a sliver at its right edge.
func (m *Model) span(end int64) time.Duration {
	var have time.Duration
	if m.firstRate != 0 {
		have = time.Duration(end - m.firstRate)
	}
	return min(m.window, max(have, minSpan))
}

// viewRange returns the time span the charts show, in Unix nanoseconds.
func (m *Model) viewRange() (start, end int64) {
	end = m.newest
	if m.paused || m.replay {
		end = m.viewEnd
	}
	return end - int64(m.span(end)), end
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

// nextWindow steps to the next window of the cycle. A frozen view keeps
// its right edge unless the longer window would start before the data.
func (m *Model) nextWindow() {
	cycle := m.windowCycle()
	next := cycle[0]
	for _, w := range cycle {
		if w > m.window {
			next = w
			break
		}
	}
	m.window = next
	if m.paused || m.replay {
		m.viewEnd = max(m.viewEnd, min(m.oldest+int64(m.window), m.newest))
	}
}

// scroll moves a frozen view a quarter window back (dir < 0) or forward,
// within the recorded data; live, it first pauses. Back never moves the
// view forward: with less than a window recorded, it stays where it is.
func (m *Model) scroll(dir int) {
	if !m.replay && !m.paused {
		m.togglePause()
	}
	old := m.viewEnd
	end := old + int64(dir)*int64(m.window/4)
	end = min(max(end, m.oldest+int64(m.window)), m.newest)
	if dir < 0 {
		end = min(end, old)
	} else {
		end = max(end, old)
	}
	m.viewEnd = end
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

// windowText is the header's window: "window 5m", or while the chart
// shows less than its window, "window 42s of 5m" (to the second).
func (m *Model) windowText() string {
	start, end := m.viewRange()
	if span := time.Duration(end - start).Round(time.Second); span < m.window {
		return "window " + formatWindow(span) + " of " + formatWindow(m.window)
	}
	return "window " + formatWindow(m.window)
}

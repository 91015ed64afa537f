package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
)

// graphSpan returns the first and last graph columns (right of the Y
// axis) holding an area or line glyph, in the chart rows below the top
// one (which holds the legend), and the graph's width.
func graphSpan(screen string) (first, last, width int) {
	first, last = -1, -1
	var rows [][]rune
	for _, l := range strings.Split(screen, "\n") {
		rs := []rune(l)
		if len(rs) > 6 && rs[6] == '│' {
			rows = append(rows, rs[7:])
		}
	}
	for i, row := range rows {
		width = max(width, len(row))
		if i == 0 {
			continue
		}
		for col, r := range row {
			if (r > 0x2800 && r <= 0x28FF) || (r >= 0x2581 && r <= 0x2588) {
				if first < 0 || col < first {
					first = col
				}
				last = max(last, col)
			}
		}
	}
	return first, last, width
}

// sgrColour matches an escape sequence that sets a colour.
var sgrColour = regexp.MustCompile(`\x1b\[[0-9;]*\b(3[0-9]|4[0-9]|9[0-7]|10[0-7])(;[0-9;]*)?m`)

func TestTUIFirstMinuteWithoutColourInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("starts snmpsimd and tmux: not under -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is needed (make test installs it): %v", err)
	}
	agent := agenttest.StartSnmpsim(t, filepath.Join("testdata", "tui"))
	bin := stgBinary(t)
	dir := t.TempDir()
	logFile := filepath.Join(dir, "log.csv")
	rcFile := filepath.Join(dir, "rc")
	tm := newTmux(t, dir)
	// NO_COLOR, the default 5m window, a new user's first seconds.
	tm.newSession("-s", "mono", "-x", "100", "-y", "30",
		fmt.Sprintf("NO_COLOR=1 %s --router %s -c %s --if 1 -o tui --log %s; echo $? > %s",
			bin, agent.Addr(), tuiCommunity, logFile, rcFile))
	show := func() string { return tm.screen("mono") }
	waitFor(t, 40*time.Second, "twelve polls on the chart", func() bool {
		v, ok := readout(show(), "in")
		return ok && v > 0 && logRows(t, logFile) >= 12
	}, show)
	s := show()
	t.Logf("screen:\n%s", s)

	// No colour at all, as no-color.org asks.
	if colored := tm.run("capture-pane", "-p", "-e", "-t", "mono"); sgrColour.MatchString(colored) {
		t.Errorf("NO_COLOR=1 but the screen has colours: %q", sgrColour.FindString(colored))
	}
	// In and out still told apart: a legend, an area of blocks, a braille line.
	if !strings.Contains(s, "█ in") || !strings.Contains(s, "⠒⠒ out") {
		t.Errorf("no legend on the chart:\n%s", s)
	}
	if !strings.ContainsAny(chartLines(s), "▁▂▃▄▅▆▇█") || !regexp.MustCompile(`[\x{2801}-\x{28FF}]`).MatchString(chartLines(s)) {
		t.Errorf("the chart lacks the in area (blocks) or the out line (braille):\n%s", s)
	}
	// The seconds recorded fill the chart, and the header says how much
	// of the 5m window that is.
	if first, last, width := graphSpan(s); first < 0 || first > width/5 || last < width-3 {
		t.Errorf("the first seconds fill graph columns %d..%d of %d, want the chart's width:\n%s", first, last, width, s)
	}
	if head := strings.SplitN(s, "\n", 2)[0]; !regexp.MustCompile(`window \d+s of 5m`).MatchString(head) {
		t.Errorf("header %q does not say how much of the 5m window is shown", head)
	}

	// Paused with less than a window recorded, left has nowhere to go:
	// the chart stays, it never jumps forward to the newest polls.
	tm.run("send-keys", "-t", "mono", "Space")
	waitFor(t, 10*time.Second, "PAUSED header", func() bool { return strings.Contains(show(), "PAUSED") }, show)
	frozen := chartLines(show())
	rows := logRows(t, logFile)
	waitFor(t, 15*time.Second, "three more --log rows while paused", func() bool { return logRows(t, logFile) >= rows+3 }, show)
	tm.run("send-keys", "-t", "mono", "Left")
	// Keys are handled in order: once the help has opened and closed
	// again, left has been handled too.
	tm.run("send-keys", "-t", "mono", "?")
	waitFor(t, 10*time.Second, "help", func() bool { return strings.Contains(show(), "╭") }, show)
	tm.run("send-keys", "-t", "mono", "Escape")
	waitFor(t, 10*time.Second, "chart again", func() bool { return !strings.Contains(show(), "╭") }, show)
	if got := chartLines(show()); got != frozen {
		t.Errorf("left moved the chart:\n%s\n--- was\n%s", got, frozen)
	}

	tm.run("send-keys", "-t", "mono", "q")
	if code := exitCode(t, tm, "mono", rcFile); code != "0" {
		t.Errorf("stg exited %s after q, want 0", code)
	}

	// The recording is shorter than the default window: the replay opens
	// on all of it.
	replayRC := filepath.Join(dir, "replay-rc")
	tm.run("new-session", "-d", "-s", "replay", "-x", "100", "-y", "30",
		fmt.Sprintf("NO_COLOR=1 %s replay %s; echo $? > %s", bin, logFile, replayRC))
	showReplay := func() string { return tm.screen("replay") }
	waitFor(t, 10*time.Second, "replay screen", func() bool {
		return strings.Contains(showReplay(), "REPLAY") && strings.Contains(showReplay(), "└")
	}, showReplay)
	if first, last, width := graphSpan(showReplay()); first < 0 || first > 2 || last < width-3 {
		t.Errorf("the replay fills graph columns %d..%d of %d, want all of it:\n%s", first, last, width, showReplay())
	}
	tm.run("send-keys", "-t", "replay", "q")
	if code := exitCode(t, tm, "replay", replayRC); code != "0" {
		t.Errorf("stg replay exited %s after q, want 0", code)
	}

	// --window 30s is taken as asked, not snapped to a preset.
	w30RC := filepath.Join(dir, "w30-rc")
	tm.run("new-session", "-d", "-s", "w30", "-x", "100", "-y", "30",
		fmt.Sprintf("%s --router %s -c %s --if 1 -o tui --window 30s; echo $? > %s", bin, agent.Addr(), tuiCommunity, w30RC))
	showW30 := func() string { return tm.screen("w30") }
	waitFor(t, 20*time.Second, "header of a 30s window", func() bool {
		return regexp.MustCompile(`window (\d+s of )?30s `).MatchString(showW30())
	}, showW30)
	tm.run("send-keys", "-t", "w30", "q")
	if code := exitCode(t, tm, "w30", w30RC); code != "0" {
		t.Errorf("stg --window 30s exited %s after q, want 0", code)
	}
}

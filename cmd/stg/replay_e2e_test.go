package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReplayRepairedRecordingInTmux: a recording cut in its last line and
// with two rows swapped replays in the terminal UI, after one warning for
// each repair.
func TestReplayRepairedRecordingInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("starts tmux")
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	lines = lines[:len(lines)-1] // the empty string after the last line end
	lines[5], lines[9] = lines[9], lines[5]
	last := len(lines) - 1
	lines[last] = lines[last][:len(lines[last])/2] // cut short, no line end
	dir := t.TempDir()
	rec := filepath.Join(dir, "cut.csv")
	if err := os.WriteFile(rec, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, "rc")
	tm := newTmux(t, dir)
	tm.newSession("-s", "r", "-x", "120", "-y", "40",
		fmt.Sprintf("%s replay %s; echo $? > %s", stgBinary(t), rec, rc))
	show := func() string { return tm.screen("r") }
	waitFor(t, 10*time.Second, "the replayed chart", func() bool {
		s := show()
		return strings.Contains(s, "└") && strings.Contains(s, "Gi0/0/1")
	}, show)
	tm.run("send-keys", "-t", "r", "q")
	if code := exitCode(t, tm, "r", rc); code != "0" {
		t.Fatalf("exit %s; screen:\n%s", code, show())
	}
	screen := tm.run("capture-pane", "-p", "-S", "-", "-t", "r") // with the lines scrolled off
	for _, want := range []string{
		fmt.Sprintf("line %d: the last line is cut short", len(lines)),
		"4 rows are out of time order (the first on line 7): sorted by time", // lines 7 to 10 come before line 6 now
	} {
		if !strings.Contains(strings.ReplaceAll(screen, "\n", ""), want) {
			t.Errorf("screen after the replay lacks %q:\n%s", want, screen)
		}
	}
}

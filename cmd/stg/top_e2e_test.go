package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
)

// topFirstRow returns the subscriber of the selected first row of stg
// top's table on screen, and whether that row has a share of the sum
// (a rate); "" when the table is not on screen.
func topFirstRow(screen string) (user string, rated bool) {
	for _, l := range strings.Split(screen, "\n") {
		f := strings.Fields(l)
		if len(f) >= 3 && f[0] == ">" && f[1] == "1" {
			return f[2], strings.Contains(l, "%")
		}
	}
	return "", false
}

// topTableOnScreen reports whether stg top's table (not a chart) is shown.
func topTableOnScreen(screen string) bool {
	return strings.Contains(screen, "stg top") && strings.Contains(screen, "# subscriber")
}

// topChartOf reports whether the chart of user is shown in place of the
// table.
func topChartOf(screen, user string) bool {
	return !topTableOnScreen(screen) && strings.Contains(screen, user) && strings.Contains(screen, "└") &&
		strings.Contains(screen, "esc back to the table")
}

// drillIn presses Enter on the table and waits for the chart of user with
// a rate drawn, then Esc and waits for the table again.
func drillIn(t *testing.T, tm *tmux, session, user string) {
	t.Helper()
	show := func() string { return tm.screen(session) }
	tm.run("send-keys", "-t", session, "Enter")
	waitFor(t, 20*time.Second, "the chart of "+user, func() bool {
		s := show()
		return topChartOf(s, user) && strings.ContainsFunc(s, func(r rune) bool { return r > 0x2800 && r <= 0x28ff })
	}, show)
	tm.run("send-keys", "-t", session, "Escape")
	waitFor(t, 10*time.Second, "the table again after esc", func() bool { return topTableOnScreen(show()) }, show)
}

// TestTopInTmux: stg top in a real terminal ranks the DNS-amplification
// victim first; i sorts by in and selects the new first row, Enter opens
// that row's chart, Esc comes back to the table, still sorted by in and
// refreshing; q exits 0.
func TestTopInTmux(t *testing.T) {
	agenttest.SkipShort(t, "tmux")
	sim := startTopSim(t)
	bin := stgBinary(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, "rc")
	tm := newTmux(t, dir)
	tm.newSession("-s", "top", "-x", "120", "-y", "30",
		fmt.Sprintf("STG_COMMUNITY=%s %s top --router %s; echo $? > %s", sim.Community(), bin, sim.Addr(), rc))
	show := func() string { return tm.screen("top") }
	waitFor(t, 30*time.Second, "the victim ranked first with a rate", func() bool {
		u, rated := topFirstRow(show())
		return u == brassim.UserVictim && rated
	}, show)

	tm.run("send-keys", "-t", "top", "i")
	waitFor(t, 10*time.Second, "the table sorted by in", func() bool { return strings.Contains(show(), "sort in") }, show)
	first, _ := topFirstRow(show())
	if first == "" || first == brassim.UserVictim {
		t.Fatalf("sorted by in, the first row is %q: the victim receives, it sends little:\n%s", first, show())
	}
	drillIn(t, tm, "top", first)
	cycle := func() string { // the header's age moves as cycles come
		for _, l := range strings.Split(show(), "\n") {
			if strings.Contains(l, "stg top") {
				return l
			}
		}
		return ""
	}
	before := cycle()
	waitFor(t, 10*time.Second, "the table refreshing, still sorted by in", func() bool {
		s := show()
		return strings.Contains(s, "sort in") && cycle() != before
	}, show)

	tm.run("send-keys", "-t", "top", "q")
	if code := exitCode(t, tm, "top", rc); code != "0" {
		t.Errorf("stg top exited %s after q, want 0", code)
	}
}

// TestReplayTopRecording: a CSV of stg top (rows of a cycle out of time
// order, a rank column) replays in the terminal UI without a warning.
func TestReplayTopRecording(t *testing.T) {
	agenttest.SkipShort(t, "tmux")
	sim := startTopSim(t)
	code, stdout, stderr := runInProcess(t, topEnv(sim), "top", "--router", sim.Addr(), "--count", "4", "--limit", "3", "-o", "csv")
	if code != exitOK {
		t.Fatalf("stg top: exit %d, stderr %q", code, stderr)
	}
	dir := t.TempDir()
	rec := filepath.Join(dir, "top.csv")
	if err := os.WriteFile(rec, []byte(stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, "rc")
	tm := newTmux(t, dir)
	tm.newSession("-s", "r", "-x", "120", "-y", "40",
		fmt.Sprintf("%s replay %s; echo $? > %s", stgBinary(t), rec, rc))
	show := func() string { return tm.screen("r") }
	waitFor(t, 10*time.Second, "the replayed chart of the victim", func() bool {
		s := show()
		return strings.Contains(s, "REPLAY") && strings.Contains(s, "└") && strings.Contains(s, brassim.UserVictim)
	}, show)
	tm.run("send-keys", "-t", "r", "q")
	if code := exitCode(t, tm, "r", rc); code != "0" {
		t.Fatalf("exit %s; screen:\n%s", code, show())
	}
	if all := tm.run("capture-pane", "-p", "-S", "-", "-t", "r"); strings.Contains(all, "stg: replay") {
		t.Errorf("the replay warned:\n%s", all)
	}
}

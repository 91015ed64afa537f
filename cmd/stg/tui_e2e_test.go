package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/record"
)

// tuiCommunity is the community of testdata/tui/tui-e2e.snmprec, whose
// ifIndex 1 counts 1,250,000 octets/s in (10 Mb/s) and 250,000 out.
const tuiCommunity = "tui-e2e"

// tmux drives a private tmux server (its own socket) for one test.
type tmux struct {
	t    *testing.T
	sock string
	conf string
}

// newTmux starts nothing yet; it prepares a private socket and a config
// that keeps a pane after its command exits, and kills the server at the
// end of the test.
func newTmux(t *testing.T, dir string) *tmux {
	t.Helper()
	tm := &tmux{t: t, sock: filepath.Join(dir, "tmux.sock"), conf: filepath.Join(dir, "tmux.conf")}
	if err := os.WriteFile(tm.conf, []byte("set -g remain-on-exit on\nset -g status off\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		exec.CommandContext(ctx, "tmux", "-S", tm.sock, "kill-server").Run()
	})
	return tm
}

// newSession starts a detached session on the private server with the
// test configuration (panes stay after their command ends, no status
// line); args are new-session's: -s name, -x/-y size, the command.
func (tm *tmux) newSession(args ...string) {
	tm.t.Helper()
	tm.run(append([]string{"-f", tm.conf, "new-session", "-d"}, args...)...)
}

// run runs one tmux command on the private server and returns its output.
func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "tmux", append([]string{"-S", tm.sock}, args...)...)
	cmd.Env = terminalEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// terminalEnv is the test's environment without CI: the programs in the
// pane run in a real terminal, and termenv turns colours off whenever CI is
// set (as it is when .ci/run runs the tests).
func terminalEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CI=") {
			env = append(env, kv)
		}
	}
	return env
}

// screen returns the visible pane of a session.
func (tm *tmux) screen(session string) string { return tm.run("capture-pane", "-p", "-t", session) }

// format returns a tmux format (#{...}) evaluated for a session's pane.
func (tm *tmux) format(session, f string) string {
	return strings.TrimSpace(tm.run("display-message", "-p", "-t", session, f))
}

// exitCode waits for the exit status a session's command wrote to file.
func exitCode(t *testing.T, tm *tmux, session, file string) string {
	t.Helper()
	waitFor(t, 10*time.Second, session+" exit status", func() bool {
		b, err := os.ReadFile(file)
		return err == nil && len(bytes.TrimSpace(b)) > 0
	}, func() string { return tm.screen(session) })
	b, _ := os.ReadFile(file)
	return strings.TrimSpace(string(b))
}

// waitFor polls cond every 200 ms until it holds or limit passes.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool, show func() string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %v; screen:\n%s", what, limit, show())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// chartLines returns the rows of the chart: the axis and label rows and
// every row with the Y axis.
func chartLines(screen string) string {
	var rows []string
	for _, l := range strings.Split(screen, "\n") {
		if strings.ContainsAny(l, "│└") {
			rows = append(rows, l)
		}
	}
	return strings.Join(rows, "\n")
}

// logRows returns how many sample rows the --log file holds so far.
func logRows(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return max(bytes.Count(b, []byte("\n"))-1, 0)
}

// readout returns the average (avg column) of the in or out readout row,
// in b/s.
func readout(screen, dir string) (float64, bool) {
	for _, l := range strings.Split(screen, "\n") {
		f := strings.Fields(l)
		if len(f) >= 3 && f[0] == dir {
			return parseSI(f[2])
		}
	}
	return 0, false
}

// parseSI reads "9.95M" back into a number.
func parseSI(s string) (float64, bool) {
	mult := 1.0
	if i := strings.IndexAny(s, "kMGT"); i == len(s)-1 {
		mult = map[byte]float64{'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12}[s[i]]
		s = s[:i]
	}
	v, err := strconv.ParseFloat(s, 64)
	return v * mult, err == nil
}

func TestTUIInTmux(t *testing.T) {
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
	cmd := fmt.Sprintf("%s --router %s -c %s --if 1 -o tui --log %s; echo $? > %s",
		bin, agent.Addr(), tuiCommunity, logFile, rcFile)
	tm.newSession("-s", "e2e", "-x", "120", "-y", "40", cmd)

	// The chart and the readouts appear, on the alternate screen.
	waitFor(t, 30*time.Second, "chart with readouts", func() bool {
		s := tm.screen("e2e")
		v, ok := readout(s, "in")
		return ok && v > 0 && strings.Contains(s, "LIVE") && strings.Contains(s, "└")
	}, func() string { return tm.screen("e2e") })
	s := tm.screen("e2e")
	t.Logf("screen:\n%s", s)
	for _, want := range []string{"stg", "window", "b/s", "now", "avg", "p95", "total", "1 ", "64-bit", "rtt"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	// The readouts carry the agent's rates (loosely: the rate math has its
	// own tests, and a loaded machine skews a few polls).
	if in, _ := readout(s, "in"); in < 8.5e6 || in > 11.5e6 {
		t.Errorf("in average %.0f b/s, want the agent's 10 Mb/s within 15%%:\n%s", in, s)
	}
	if out, _ := readout(s, "out"); out < 1.7e6 || out > 2.3e6 {
		t.Errorf("out average %.0f b/s, want the agent's 2 Mb/s within 15%%:\n%s", out, s)
	}
	// In is a green area of blocks, out a blue braille line (escape codes
	// kept by -e; where the line crosses the area, on a green background).
	colored := tm.run("capture-pane", "-p", "-e", "-t", "e2e")
	for dir, re := range map[string]*regexp.Regexp{
		"in (green) area": regexp.MustCompile(`\x1b\[(32|92|38;5;10)m[\x{2581}-\x{2588}]`),
		"out (blue) line": regexp.MustCompile(`\x1b\[(34|94|38;5;12)(;[0-9;]+)?m[\x{2801}-\x{28FF}]`),
	} {
		if !re.MatchString(colored) {
			t.Errorf("no %s on screen: %q", dir, colored)
		}
	}
	if alt := tm.format("e2e", "#{alternate_on}"); alt != "1" {
		t.Errorf("alternate_on = %q while running, want 1", alt)
	}

	// space freezes the chart while --log keeps growing.
	tm.run("send-keys", "-t", "e2e", "Space")
	waitFor(t, 10*time.Second, "PAUSED header", func() bool { return strings.Contains(tm.screen("e2e"), "PAUSED") }, func() string { return tm.screen("e2e") })
	frozen := chartLines(tm.screen("e2e"))
	rows := logRows(t, logFile)
	waitFor(t, 15*time.Second, "three more --log rows while paused", func() bool { return logRows(t, logFile) >= rows+3 }, func() string { return tm.screen("e2e") })
	paused := tm.screen("e2e")
	if got := chartLines(paused); got != frozen {
		t.Errorf("the chart moved while paused:\n%s\n--- was\n%s", got, frozen)
	}
	if strings.Contains(paused, "PAUSED +0") {
		t.Errorf("header does not count the samples recorded while paused:\n%s", paused)
	}

	// space again follows the stream.
	tm.run("send-keys", "-t", "e2e", "Space")
	waitFor(t, 10*time.Second, "live chart", func() bool {
		s := tm.screen("e2e")
		return strings.Contains(s, "LIVE") && chartLines(s) != frozen
	}, func() string { return tm.screen("e2e") })

	// q exits 0 and leaves the alternate screen.
	tm.run("send-keys", "-t", "e2e", "q")
	if code := exitCode(t, tm, "e2e", rcFile); code != "0" {
		t.Errorf("stg exited %s after q, want 0", code)
	}
	waitFor(t, 5*time.Second, "dead pane", func() bool { return tm.format("e2e", "#{pane_dead}") == "1" }, func() string { return tm.screen("e2e") })
	if alt := tm.format("e2e", "#{alternate_on}"); alt != "0" {
		t.Errorf("alternate_on = %q after q: the terminal was not restored", alt)
	}
	if after := tm.screen("e2e"); strings.Contains(after, "└") || strings.Contains(after, "LIVE") {
		t.Errorf("the UI is still on screen after q:\n%s", after)
	}

	f, err := os.Open(logFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	samples, err := record.ReadCSV(f)
	if err != nil {
		t.Fatalf("--log is not a valid recording: %v", err)
	}
	if len(samples) < rows+3 {
		t.Errorf("--log holds %d rows, want at least %d", len(samples), rows+3)
	}

	// The recording replays in the same UI: w steps to the next window,
	// q exits 0. (The recording is shorter than the window, so there is
	// nothing to scroll; the model tests cover scrolling.)
	replayRC := filepath.Join(dir, "replay-rc")
	tm.run("new-session", "-d", "-s", "replay", "-x", "120", "-y", "40",
		fmt.Sprintf("%s replay --window 1m %s; echo $? > %s", bin, logFile, replayRC))
	show := func() string { return tm.screen("replay") }
	waitFor(t, 10*time.Second, "replay screen", func() bool {
		s := show()
		return strings.Contains(s, "REPLAY") && strings.Contains(s, "└")
	}, show)
	if in, _ := readout(show(), "in"); in < 8.5e6 || in > 11.5e6 {
		t.Errorf("replayed in average %.0f b/s, want 10 Mb/s within 15%%:\n%s", in, show())
	}
	tm.run("send-keys", "-t", "replay", "w")
	// The recording is shorter than both windows: it is shown whole.
	waitFor(t, 5*time.Second, "replay zoomed to 5m", func() bool { return strings.Contains(show(), " of 5m") }, show)
	tm.run("send-keys", "-t", "replay", "q")
	if code := exitCode(t, tm, "replay", replayRC); code != "0" {
		t.Errorf("stg replay exited %s after q, want 0", code)
	}
}

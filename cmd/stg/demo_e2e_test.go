package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
)

// demoTmux runs a tmux command on the test's own server socket.
func demoTmux(t *testing.T, socket string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "tmux", append([]string{"-S", socket}, args...)...)
	cmd.Env = terminalEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestDemoInTmux builds stg, runs `stg demo` in a real terminal, waits for
// stg top's table with the DNS-amplification victim ranked first, opens
// its chart with Enter and comes back with Esc, quits with q and checks
// exit status 0 and that the demo wrote nothing into its home (no cache,
// no config).
func TestDemoInTmux(t *testing.T) {
	agenttest.SkipShort(t, "tmux")
	dir := t.TempDir()
	bin := filepath.Join(dir, "stg")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := goBuild(ctx, bin).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	socket := filepath.Join(dir, "tmux.sock")
	status := filepath.Join(dir, "status")
	// The demo runs with a home of its own, where it must write nothing.
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	demoTmux(t, socket, "new-session", "-d", "-s", "demo", "-x", "120", "-y", "40",
		"env -u STG_CACHE_DIR -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u GOGC -u GOMEMLIMIT HOME="+home+" "+bin+" demo; echo $? > "+status+"; sleep 60")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", socket, "kill-server").Run() })
	tm := &tmux{t: t, sock: socket}
	show := func() string { return tm.screen("demo") }
	waitFor(t, 30*time.Second, "the victim ranked first with a rate", func() bool {
		u, rated := topFirstRow(show())
		return u == brassim.UserVictim && rated
	}, show)
	drillIn(t, tm, "demo", brassim.UserVictim)

	demoTmux(t, socket, "send-keys", "-t", "demo", "q")
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if b, err := os.ReadFile(status); err == nil && strings.TrimSpace(string(b)) != "" {
			if got := strings.TrimSpace(string(b)); got != "0" {
				t.Fatalf("stg demo exited with %s after q, want 0; screen:\n%s", got, show())
			}
			if left := filesUnder(t, home); len(left) > 0 {
				t.Errorf("stg demo left %q in its home", left)
			}
			return
		}
	}
	t.Fatalf("stg demo did not exit after q; screen:\n%s", show())
}

// filesUnder lists the files and directories under dir, relative to it.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if rel, _ := filepath.Rel(dir, path); rel != "." {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

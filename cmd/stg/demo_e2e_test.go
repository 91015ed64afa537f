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
// the charts of the demo subscribers, quits with q and checks exit status 0
// and that the demo wrote nothing into its home (no cache, no config).
func TestDemoInTmux(t *testing.T) {
	agenttest.SkipShort(t, "tmux")
	dir := t.TempDir()
	bin := filepath.Join(dir, "stg")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := goBuild(ctx, bin).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// The demo's subscribers and their interfaces, from the same seed.
	sim, err := brassim.New(brassim.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range demoUsers(sim.Sessions()) {
		_, name, _ := sim.Lookup(u)
		names = append(names, name)
	}

	socket := filepath.Join(dir, "tmux.sock")
	status := filepath.Join(dir, "status")
	// The demo runs with a home of its own, where it must write nothing.
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	demoTmux(t, socket, "new-session", "-d", "-x", "120", "-y", "40",
		"env -u STG_CACHE_DIR -u XDG_CACHE_HOME -u XDG_CONFIG_HOME HOME="+home+" "+bin+" demo; echo $? > "+status+"; sleep 60")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", socket, "kill-server").Run() })

	var screen string
	charted := func(s string) bool {
		for _, n := range names {
			if !strings.Contains(s, n) {
				return false
			}
		}
		return strings.Contains(s, "└") && strings.ContainsFunc(s, func(r rune) bool { return r > 0x2800 && r <= 0x28ff })
	}
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		if screen = demoTmux(t, socket, "capture-pane", "-p"); charted(screen) {
			break
		}
	}
	if !charted(screen) {
		t.Fatalf("no charts of %v within 15 s; screen:\n%s", names, screen)
	}
	demoTmux(t, socket, "send-keys", "q")
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if b, err := os.ReadFile(status); err == nil && strings.TrimSpace(string(b)) != "" {
			if got := strings.TrimSpace(string(b)); got != "0" {
				t.Fatalf("stg demo exited with %s after q, want 0; screen:\n%s", got, demoTmux(t, socket, "capture-pane", "-p"))
			}
			if left := filesUnder(t, home); len(left) > 0 {
				t.Errorf("stg demo left %q in its home", left)
			}
			return
		}
	}
	t.Fatalf("stg demo did not exit after q; screen:\n%s", demoTmux(t, socket, "capture-pane", "-p"))
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

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
)

// TestPipedRunKilled sends SIGINT or SIGTERM to a piped run and checks
// that it exits 0 (a signal is the normal end of an unbounded run) and
// leaves a CSV whose every line is complete and valid.
func TestPipedRunKilled(t *testing.T) {
	addr, _ := startFaultSim(t)
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			checkSignal(t, sig, []string{"--router", addr, "-c", faultCommunity, "--if", "Te0/0/0", "-i", "0.2", "-o", "csv"})
		})
	}
}

// sttyFlags returns the settings of `stty -a` output as a set of words.
func sttyFlags(out string) map[string]bool {
	set := map[string]bool{}
	for _, f := range strings.Fields(strings.ReplaceAll(out, ";", " ")) {
		set[f] = true
	}
	return set
}

// childOf returns the pid of the process named comm whose parent is ppid.
func childOf(ppid int, comm string) (int, bool) {
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(stat)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		f := strings.Fields(s[end+1:])
		if len(f) > 1 && s[open+1:end] == comm && f[1] == strconv.Itoa(ppid) {
			return pid, true
		}
	}
	return 0, false
}

// TestTUIRestoredAfterSignal runs the TUI in a tmux pane, sends SIGTERM or
// SIGHUP to the stg process, and checks that it exits 0, that the pane has
// left the alternate screen, and that `stty -a`, run in the same pane
// afterwards, finds the terminal back in cooked mode with echo. While stg
// runs, the same tty must be raw (-icanon -echo), or the check proves
// nothing.
func TestTUIRestoredAfterSignal(t *testing.T) {
	agenttest.SkipShort(t, "tmux")
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is needed (make test installs it): %v", err)
	}
	addr, _ := startFaultSim(t)
	bin := stgBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			rcFile, sttyFile := filepath.Join(dir, "rc"), filepath.Join(dir, "stty")
			tm := newTmux(t, dir)
			cmd := fmt.Sprintf("%s --router %s -c %s --if Te0/0/0 -o tui; echo $? > %s; stty -a > %s",
				bin, addr, faultCommunity, rcFile+".tmp", sttyFile)
			// rc is renamed into place only after stty has written.
			cmd += fmt.Sprintf("; mv %s %s", rcFile+".tmp", rcFile)
			tm.newSession("-s", "sig", "-x", "100", "-y", "30", cmd)
			show := func() string { return tm.screen("sig") }
			waitFor(t, 30*time.Second, "live chart", func() bool {
				return strings.Contains(show(), "LIVE") && tm.format("sig", "#{alternate_on}") == "1"
			}, show)

			panePid, err := strconv.Atoi(tm.format("sig", "#{pane_pid}"))
			if err != nil {
				t.Fatal(err)
			}
			stgPid, ok := childOf(panePid, "stg")
			if !ok {
				t.Fatalf("no stg process under the pane's shell %d", panePid)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			raw, err := exec.CommandContext(ctx, "stty", "-a", "-F", tm.format("sig", "#{pane_tty}")).Output()
			if err != nil {
				t.Fatal(err)
			}
			if f := sttyFlags(string(raw)); !f["-icanon"] || !f["-echo"] {
				t.Fatalf("the tty is not raw while the TUI runs, so the check after the signal would prove nothing:\n%s", raw)
			}

			if err := syscall.Kill(stgPid, sig); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 20*time.Second, "stg to exit", func() bool { return syscall.Kill(stgPid, 0) != nil }, show)
			if code := exitCode(t, tm, "sig", rcFile); code != "0" {
				t.Errorf("stg exited %s after %v, want 0", code, sig)
			}
			if alt := tm.format("sig", "#{alternate_on}"); alt != "0" {
				t.Errorf("alternate_on = %q after %v: the alternate screen was not left", alt, sig)
			}
			after, err := os.ReadFile(sttyFile)
			if err != nil {
				t.Fatal(err)
			}
			f := sttyFlags(string(after))
			for _, want := range []string{"icanon", "echo", "isig", "icrnl", "opost"} {
				if !f[want] {
					t.Errorf("after %v the tty lacks %s (not cooked with echo):\n%s", sig, want, after)
				}
			}
			if s := show(); strings.Contains(s, "LIVE") {
				t.Errorf("the UI is still on screen after %v:\n%s", sig, s)
			}
		})
	}
}

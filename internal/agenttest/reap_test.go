package agenttest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReapOrphans records four agents and expects reapOrphans to kill only
// the one whose test process has gone and that is still the recorded
// process, and to keep only the record of the agent whose test runs on.
func TestReapOrphans(t *testing.T) {
	dir := t.TempDir()
	type proc struct {
		*exec.Cmd
		exited chan struct{}
	}
	sleep := func() proc {
		p := proc{exec.Command("sleep", "60"), make(chan struct{})}
		p.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { _ = p.Wait(); close(p.exited) }()
		t.Cleanup(func() { _ = p.Process.Kill(); <-p.exited })
		return p
	}
	gone, orphan, kept, reused := sleep(), sleep(), sleep(), sleep()
	start := func(pid int) uint64 {
		s, ok := procStart(pid)
		if !ok {
			t.Fatalf("no start time for pid %d", pid)
		}
		return s
	}
	write := func(name string, owner int, ownerStart uint64, agent int, agentStart uint64) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(fmt.Sprintf("%d %d %d %d\n", owner, ownerStart, agent, agentStart)), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	goneStart := start(gone.Process.Pid)
	orphanRec := write("orphan", gone.Process.Pid, goneStart, orphan.Process.Pid, start(orphan.Process.Pid))
	keptRec := write("kept", os.Getpid(), start(os.Getpid()), kept.Process.Pid, start(kept.Process.Pid))
	reusedRec := write("reused", gone.Process.Pid, goneStart, reused.Process.Pid, start(reused.Process.Pid)+1)
	garbage := write("garbage", 1, 2, 3, 4)
	if err := os.WriteFile(garbage, []byte("not a record"), 0o600); err != nil {
		t.Fatal(err)
	}
	_ = gone.Process.Kill()
	<-gone.exited

	reapOrphans(dir)

	select {
	case <-orphan.exited:
	case <-time.After(5 * time.Second):
		t.Fatal("the orphaned agent still runs")
	}
	for name, p := range map[string]proc{"kept": kept, "reused": reused} {
		select {
		case <-p.exited:
			t.Errorf("the %s agent was stopped", name)
		case <-time.After(200 * time.Millisecond):
		}
	}
	for path, want := range map[string]bool{orphanRec: false, keptRec: true, reusedRec: false, garbage: false} {
		if _, err := os.Stat(path); (err == nil) != want {
			t.Errorf("record %s exists: %v, want %v", filepath.Base(path), err == nil, want)
		}
	}
}

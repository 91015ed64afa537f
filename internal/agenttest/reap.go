package agenttest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// A test binary that is killed (go test -timeout, SIGKILL) never runs its
// t.Cleanup, so the agents it started would run on. Each agent is recorded
// in a file under agentsDir naming the test process and the agent, both
// with their start times; the first agent a test binary starts first stops
// every recorded agent whose test process is gone.

// agentsDir holds one record per running agent.
var agentsDir = filepath.Join(os.TempDir(), "stg-agenttest-agents")

var (
	reapOnce  sync.Once
	selfStart uint64 // this test process's start time, set by reapOnce
)

// record notes that this test process started the agent pid, and returns
// the function that forgets it once the agent has exited.
func record(pid int) (forget func()) {
	reapOnce.Do(func() {
		reapOrphans(agentsDir)
		selfStart, _ = procStart(os.Getpid())
	})
	agent, ok := procStart(pid)
	if !ok || os.MkdirAll(agentsDir, 0o700) != nil {
		return func() {}
	}
	path := filepath.Join(agentsDir, fmt.Sprintf("%d-%d", os.Getpid(), pid))
	line := fmt.Sprintf("%d %d %d %d\n", os.Getpid(), selfStart, pid, agent)
	if os.WriteFile(path, []byte(line), 0o600) != nil {
		return func() {}
	}
	return func() { _ = os.Remove(path) }
}

// reapOrphans kills the process group of every agent recorded in dir whose
// test process has ended (or is another process by now), as long as the
// agent is still the process that was recorded, and removes those records.
func reapOrphans(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		var owner, ownerStart, agent, agentStart uint64
		if n, _ := fmt.Sscan(string(b), &owner, &ownerStart, &agent, &agentStart); n != 4 {
			_ = os.Remove(path)
			continue
		}
		if start, ok := procStart(int(owner)); ok && start == ownerStart {
			continue // its test binary still runs and will stop it
		}
		if start, ok := procStart(int(agent)); ok && start == agentStart {
			_ = syscall.Kill(-int(agent), syscall.SIGKILL) // its own process group
		}
		_ = os.Remove(path)
	}
}

// procStart returns a running process's start time (clock ticks after
// boot, field 22 of /proc/PID/stat), which tells a process from a later one
// that got its pid. A process that has exited (a zombie) has none.
func procStart(pid int) (uint64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces and parentheses: count
	// fields from the last ')'.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 20 || fields[0] == "Z" || fields[0] == "X" {
		return 0, false
	}
	start, err := strconv.ParseUint(fields[19], 10, 64)
	return start, err == nil
}

package agenttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stg-project/stg/snmp"
)

// FreeUDPPort returns a UDP port on 127.0.0.1 that was free a moment ago.
// Another process may take it before the caller binds it.
func FreeUDPPort(t testing.TB) int {
	t.Helper()
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free UDP port on 127.0.0.1: %v", err)
	}
	defer pc.Close()
	return pc.LocalAddr().(*net.UDPAddr).Port
}

// FreeTCPPort returns a TCP port on 127.0.0.1 that was free a moment ago.
// Another process may take it before the caller binds it.
func FreeTCPPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free TCP port on 127.0.0.1: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// outputLimit bounds how much of an agent's output is kept for error reports.
const outputLimit = 64 << 10

// tailBuffer keeps the last outputLimit bytes written to it; it is safe for
// the goroutines exec starts to copy output.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > outputLimit {
		b.buf = append([]byte(nil), b.buf[len(b.buf)-outputLimit:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(bytes.TrimSpace(b.buf))
}

// process is one running agent.
type process struct {
	name string
	cmd  *exec.Cmd
	out  *tailBuffer
	done chan struct{} // closed when the process has exited
	err  error         // Wait's result, valid after done
}

// startProcess runs path with args, its output captured.
func startProcess(name, path string, args, env []string) (*process, error) {
	p := &process{name: name, out: &tailBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(path, args...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	p.cmd.Env = append(os.Environ(), env...)
	// Own process group: a terminal's Ctrl-C is not the agent's business,
	// and stopping it never touches the test binary.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	forget := record(p.cmd.Process.Pid)
	go func() {
		p.err = p.cmd.Wait()
		forget()
		close(p.done)
	}()
	// The agents are the tests' clock: their counters grow with the time
	// at which they handle a request. Raise their priority where allowed,
	// so that a busy machine delays them less (best effort).
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, p.cmd.Process.Pid, agentNice)
	return p, nil
}

// agentNice is the scheduling priority of the agents when the tests run as
// root (the default is 0; lower runs first).
const agentNice = -10

// exited reports whether the process has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// signal sends sig to the process.
func (p *process) signal(sig syscall.Signal) error {
	if p.exited() {
		return fmt.Errorf("signal %s: %s has exited: %v", sig, p.name, p.err)
	}
	if err := p.cmd.Process.Signal(sig); err != nil {
		return fmt.Errorf("signal %s to %s (pid %d): %w", sig, p.name, p.cmd.Process.Pid, err)
	}
	return nil
}

// stop ends the process: SIGCONT (it may be paused), SIGTERM, and SIGKILL
// when it has not exited within a few seconds. It waits for the exit.
func (p *process) stop() error {
	if p.exited() {
		return nil
	}
	_ = p.cmd.Process.Signal(syscall.SIGCONT)
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(5 * time.Second):
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
		return nil
	case <-time.After(5 * time.Second):
		return fmt.Errorf("stop %s (pid %d): still running after SIGKILL", p.name, p.cmd.Process.Pid)
	}
}

// probeInterval is the pause between readiness probes.
const probeInterval = 100 * time.Millisecond

// waitReady sends real SNMP GETs for sysUpTime.0 with cfg until the agent
// answers (any answer, even an exception), the process exits, or timeout
// passes.
func waitReady(p *process, cfg snmp.Config, timeout time.Duration) error {
	cfg.Timeout = 200 * time.Millisecond
	cfg.Retries = 0
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c, err := snmp.Dial(ctx, cfg)
	if err != nil {
		return fmt.Errorf("wait for %s on %s: %w", p.name, cfg.Target, err)
	}
	defer c.Close()
	var lastErr error
	for {
		if p.exited() {
			return fmt.Errorf("%s exited before answering on %s (%v); output:\n%s", p.name, cfg.Target, p.err, p.out)
		}
		_, lastErr = c.Get(ctx, []string{snmp.OIDSysUpTime})
		if lastErr == nil {
			return nil
		}
		if !errors.Is(lastErr, snmp.ErrTimeout) && ctx.Err() == nil {
			return fmt.Errorf("wait for %s on %s: %w", p.name, cfg.Target, lastErr)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer on %s within %s (last error: %v); output:\n%s", p.name, cfg.Target, timeout, lastErr, p.out)
		case <-time.After(probeInterval):
		}
	}
}

// loopback returns the snmp.Target of a UDP port on 127.0.0.1.
func loopback(port int) snmp.Target {
	return snmp.Target{Transport: snmp.TransportUDP, Host: "127.0.0.1", Port: port}
}

// tempDir makes a directory under the system temp dir that other users
// (snmpsimd runs as nobody) can read, and removes it when the test ends.
func tempDir(t testing.TB, pattern string, mode os.FileMode) string {
	t.Helper()
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		t.Fatalf("make temp dir: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, mode); err != nil {
		t.Fatalf("chmod %s: %v", dir, err)
	}
	return dir
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// child is a long-running process the driver started (an agent): its own
// process group, output kept for error reports.
type child struct {
	name string
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
}

// lockedBuffer is a bytes.Buffer safe for exec's copying goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 {
		return len(p), nil // enough for an error report
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startChild starts path with args (extra environment env) in its own
// process group.
func startChild(name, path string, args, env []string) (*child, error) {
	c := &child{name: name, out: &lockedBuffer{}, done: make(chan struct{})}
	c.cmd = exec.Command(path, args...)
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		_ = c.cmd.Wait()
		close(c.done)
	}()
	return c, nil
}

// waitOutput waits until the child's output contains want, the child
// exits, or timeout passes.
func (c *child) waitOutput(want string, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if s := c.out.String(); strings.Contains(s, want) {
			return s, nil
		}
		select {
		case <-c.done:
			return "", fmt.Errorf("%s exited before printing %q; output:\n%s", c.name, want, c.out)
		case <-time.After(50 * time.Millisecond):
		}
	}
	return "", fmt.Errorf("%s did not print %q within %s; output:\n%s", c.name, want, timeout, c.out)
}

// waitHTTP waits until a GET of url answers (with 200 OK when ok200),
// the child exits, ctx ends or timeout passes; on failure it stops the
// child.
func (c *child) waitHTTP(ctx context.Context, url string, ok200 bool, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if !ok200 || resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-c.done:
			return fmt.Errorf("%s exited: %s", c.name, c.out)
		case <-ctx.Done():
			c.stop()
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.stop()
			return fmt.Errorf("%s does not answer on %s: %v; output:\n%s", c.name, url, err, c.out)
		}
	}
}

// stop ends the child's process group: SIGCONT, SIGTERM, then SIGKILL
// after a few seconds.
func (c *child) stop() {
	pg := -c.cmd.Process.Pid
	_ = syscall.Kill(pg, syscall.SIGCONT)
	_ = syscall.Kill(pg, syscall.SIGTERM)
	select {
	case <-c.done:
		return
	case <-time.After(5 * time.Second):
	}
	_ = syscall.Kill(pg, syscall.SIGKILL)
	<-c.done
}

// runResult is what one finished command left: its output, wall time and
// resource usage.
type runResult struct {
	Stdout  []byte
	Wall    time.Duration
	CPU     time.Duration // user + system, from rusage
	MaxRSSk int64         // peak resident set (VmHWM), KiB
}

// run executes path with args to its end (bounded by ctx) and measures it.
//
// The peak RSS is sampled from /proc/PID/status (VmHWM) while the command
// runs, not taken from rusage: Go starts children with vfork, and Linux
// then charges the driver's own peak RSS to the child's ru_maxrss.
func run(ctx context.Context, env []string, path string, args ...string) (runResult, error) {
	cmd := exec.CommandContext(ctx, path, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	err := cmd.Start()
	var res runResult
	if err == nil {
		done := make(chan struct{})
		hwm := make(chan int64, 1)
		go func() { hwm <- sampleHWM(cmd.Process.Pid, done) }()
		err = cmd.Wait()
		close(done)
		res.MaxRSSk = <-hwm
	}
	res.Stdout, res.Wall = out.Bytes(), time.Since(start)
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.CPU = time.Duration(syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime))
		}
	}
	if err != nil {
		return res, fmt.Errorf("%s %s: %w: %s", path, strings.Join(redactArgs(args), " "), err, firstLine(errb.String()))
	}
	return res, nil
}

// sampleHWM returns the largest VmHWM (KiB) of pid seen until done closes:
// every millisecond at first (short-lived peers), then every 50 ms.
func sampleHWM(pid int, done <-chan struct{}) int64 {
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	var peak int64
	for i := 0; ; i++ {
		if b, err := os.ReadFile(path); err == nil {
			peak = max(peak, parseHWM(b))
		}
		wait := time.Millisecond
		if i >= 100 {
			wait = 50 * time.Millisecond
		}
		select {
		case <-done:
			return peak
		case <-time.After(wait):
		}
	}
}

// parseHWM returns the VmHWM line's value in KiB from /proc/PID/status; 0
// when there is none (a zombie has none).
func parseHWM(status []byte) int64 {
	for _, l := range strings.Split(string(status), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(l, "VmHWM: %d kB", &kb); err == nil {
			return kb
		}
	}
	return 0
}

// redactArgs hides the value after -c (a community) in an argument list.
func redactArgs(args []string) []string {
	out := append([]string(nil), args...)
	for i := 0; i+1 < len(out); i++ {
		if out[i] == "-c" {
			out[i+1] = "<redacted>"
		}
	}
	return out
}

// firstLine returns the first line of s, trimmed.
func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// freeUDPPort returns a UDP port on 127.0.0.1 that was free a moment ago.
func freeUDPPort() (int, error) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free UDP port on 127.0.0.1: %w", err)
	}
	defer pc.Close()
	return pc.LocalAddr().(*net.UDPAddr).Port, nil
}

// machine describes the computer the figures were measured on.
func machine(ctx context.Context) []string {
	cpu := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	mem := "unknown"
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		for _, l := range strings.Split(string(b), "\n") {
			if _, err := fmt.Sscanf(l, "MemTotal: %d kB", &kb); err == nil {
				mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
				break
			}
		}
	}
	kernel := "unknown"
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = strings.TrimSpace(string(b))
	}
	goVersion := runtime.Version()
	if r, err := run(ctx, nil, "go", "env", "GOVERSION"); err == nil {
		goVersion = strings.TrimSpace(string(r.Stdout))
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return []string{
		fmt.Sprintf("CPU: nproc %d, %s", runtime.NumCPU(), cpu),
		"RAM: " + mem,
		"kernel: Linux " + kernel,
		"Go: " + goVersion,
		"load average at start: " + load,
	}
}

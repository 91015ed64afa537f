package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/record"
)

// binDir holds the stg binary the end-to-end tests run; TestMain removes it.
var binDir string

// build is the one `go build` of the binary, shared by every test that
// needs it; tests that do not need it never pay for it.
var build struct {
	once sync.Once
	path string
	out  []byte
	err  error
}

// TestMain makes the directory for the binary and removes it at the end.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "stg-cli-test-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// goBuild is the `go build` of cmd/stg into out, with the settings of
// `make build`: the tests run the binary that ships.
func goBuild(ctx context.Context, out string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	return cmd
}

// stgBinary builds cmd/stg once per test run and returns its path.
func stgBinary(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		build.path = filepath.Join(binDir, "stg")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		build.out, build.err = goBuild(ctx, build.path).CombinedOutput()
	})
	if build.err != nil {
		t.Fatalf("go build: %v\n%s", build.err, build.out)
	}
	return build.path
}

// result is what one run of the binary left behind.
type result struct {
	stdout, stderr string
	code           int
}

// runStg runs the binary with args and the extra environment, bounded in
// time, and returns its output and exit code.
func runStg(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, stgBinary(t), args...)
	cmd.Env = cleanEnv(append([]string{"HOME=" + t.TempDir()}, env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("run stg %q: %v", args, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("stg %q did not end within 60 s; stderr: %s", args, stderr.String())
	}
	if strings.Contains(stdout.String()+stderr.String(), community) {
		t.Errorf("stg %q printed the community", args)
	}
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
}

// cleanEnv is the test's environment without STG_* and XDG_* variables,
// plus extra. Callers set HOME to a temp dir, so that caches and keys stay
// out of the real home.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STG_") && !strings.HasPrefix(kv, "XDG_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// startSim runs `stg sim` on free loopback ports with extra flags and
// returns its SNMP address once it is ready; it is stopped with SIGINT when
// the test ends.
func startSim(t *testing.T, flags ...string) string {
	t.Helper()
	addr := "127.0.0.1:" + strconv.Itoa(agenttest.FreeUDPPort(t))
	args := append([]string{"sim", "--listen", addr, "--ssh", "127.0.0.1:" + strconv.Itoa(freeTCPPort(t))}, flags...)
	cmd := exec.Command(stgBinary(t), args...)
	cmd.Env = cleanEnv("HOME=" + t.TempDir()) // its host key goes under HOME
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		found := false
		for sc.Scan() {
			if !found && strings.Contains(sc.Text(), "Press Ctrl-C to stop") {
				found = true
				ready <- true
			}
		}
		if !found {
			ready <- false
		}
		cmd.Wait()
		close(exited)
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("stg sim ended before it was ready: %s", stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("stg sim not ready within 30 s: %s", stderr.String())
	}
	return addr
}

// freeTCPPort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// runShell runs script with sh, the stg binary as $0 and args as $@.
func runShell(t *testing.T, env []string, script string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", append([]string{"-c", script, stgBinary(t)}, args...)...)
	cmd.Env = cleanEnv(append([]string{"HOME=" + t.TempDir()}, env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("run sh: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("sh -c %q did not end within 60 s", script)
	}
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
}

// checkInterrupt starts stg, waits for three rows, sends SIGINT and checks
// that stg exits 0 with every line it wrote complete and valid.
func checkInterrupt(t *testing.T, args []string) {
	t.Helper()
	checkSignal(t, os.Interrupt, args)
}

// checkSignal starts stg, waits for three rows, sends sig and checks that
// stg exits 0 with every line it wrote complete and valid.
func checkSignal(t *testing.T, sig os.Signal, args []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, stgBinary(t), args...)
	cmd.Env = cleanEnv("HOME=" + t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	br := bufio.NewReader(io.TeeReader(pipe, &out))
	for lines := 0; lines < 4; lines++ { // header and three rows
		if _, err := br.ReadString('\n'); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("read row %d: %v; stderr %q", lines, err, stderr.String())
		}
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ctx.Err() != nil {
		t.Fatalf("stg did not stop within 60 s of %v", sig)
	}
	if err != nil {
		t.Errorf("stg after %v: %v (stderr %q), want exit 0", sig, err, stderr.String())
	}
	if !strings.HasSuffix(out.String(), "\n") {
		t.Errorf("output ends with an incomplete line: %q", out.String())
	}
	samples, err := record.ReadCSV(strings.NewReader(out.String()))
	if err != nil {
		t.Fatalf("output after %v is not a valid recording: %v\n%s", sig, err, out.String())
	}
	if len(samples) < 3 {
		t.Errorf("got %d rows, want at least the 3 read before %v", len(samples), sig)
	}
}

// envOf returns a cli.LookupEnv backed by a map: a key in the map is set,
// even to "".
func envOf(m map[string]string) cli.LookupEnv {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

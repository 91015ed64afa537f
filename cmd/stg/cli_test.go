package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/record"
	"github.com/stg-project/stg/snmp"
)

// binDir holds the stg binary the end-to-end tests run; TestMain removes it.
var binDir string

var build struct {
	once sync.Once
	path string
	out  []byte
	err  error
}

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

// stgBinary builds cmd/stg once per test run and returns its path.
func stgBinary(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		build.path = filepath.Join(binDir, "stg")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		build.out, build.err = exec.CommandContext(ctx, "go", "build", "-o", build.path, ".").CombinedOutput()
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
	cmd.Env = cleanEnv(env...)
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

// cleanEnv is the test's environment without STG_* variables, plus extra.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STG_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// The interfaces of testdata/snmpsim/cli.snmprec and their true rates in
// octets per second (the numeric variation's rate=).
var testIfaces = map[string]struct {
	ifIndex      int
	inRate, outR float64
}{
	"Gi0/0/1": {1, 1000000, 250000},
	"Vi1.195": {2, 432100, 54000},
	"Se0/1/0": {3, 100000, 25000},
}

// community is the agent's community (the data file's name). It doubles as
// the secret that must never appear in any output.
const community = "stg-s3cr3t"

// startAgent runs snmpsimd on testdata/snmpsim.
func startAgent(t *testing.T, opts ...agenttest.SnmpsimOption) string {
	t.Helper()
	return agenttest.StartSnmpsim(t, filepath.Join("testdata", "snmpsim"), opts...).Addr()
}

// checkRates asserts every row of the recording: target known, and every
// row with a rate within 1% of the agent's true rate. It returns the number
// of rows that carry a rate.
func checkRates(t *testing.T, samples []snmp.Sample) int {
	t.Helper()
	rated := 0
	for i, s := range samples {
		want, ok := testIfaces[s.Target]
		if !ok {
			t.Errorf("row %d: unknown target %q", i+1, s.Target)
			continue
		}
		if s.IfIndex != want.ifIndex {
			t.Errorf("row %d: ifindex %d, want %d", i+1, s.IfIndex, want.ifIndex)
		}
		if !s.Status.HasRate() {
			continue
		}
		rated++
		for _, c := range []struct {
			dir       string
			got, want float64
		}{{"in", s.InBps, want.inRate * 8}, {"out", s.OutBps, want.outR * 8}} {
			if math.Abs(c.got-c.want) > 0.01*c.want {
				t.Errorf("row %d (%s, %s): %s %.0f b/s, want %.0f within 1%%", i+1, s.Target, s.Status, c.dir, c.got, c.want)
			}
		}
	}
	return rated
}

func TestCLIAgainstSnmpsim(t *testing.T) {
	addr := startAgent(t)
	base := []string{"--router", addr, "-c", community}
	with := func(args ...string) []string { return append(append([]string(nil), base...), args...) }

	t.Run("csv rows and rates", func(t *testing.T) {
		t.Parallel()
		r := runStg(t, nil, with("--if", "Gi0/0/1", "--count", "5", "-o", "csv")...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		samples, err := record.ReadCSV(strings.NewReader(r.stdout))
		if err != nil {
			t.Fatalf("output is not a valid recording: %v\n%s", err, r.stdout)
		}
		if len(samples) != 5 {
			t.Errorf("got %d rows, want 5 (one per poll):\n%s", len(samples), r.stdout)
		}
		if n := checkRates(t, samples); n < 3 {
			t.Errorf("only %d rows carry a rate:\n%s", n, r.stdout)
		}
	})

	t.Run("piped output defaults to csv, two targets", func(t *testing.T) {
		t.Parallel()
		r := runStg(t, nil, "-c", community, "-i", "0.5", "--count", "4", addr, "Vi1.195", "GigabitEthernet0/0/1")
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		samples, err := record.ReadCSV(strings.NewReader(r.stdout))
		if err != nil {
			t.Fatalf("output is not a valid recording: %v\n%s", err, r.stdout)
		}
		perTarget := map[string]int{}
		for _, s := range samples {
			perTarget[s.Target]++
		}
		if perTarget["Vi1.195"] != 4 || perTarget["GigabitEthernet0/0/1"] != 4 {
			t.Errorf("rows per target %v, want 4 each", perTarget)
		}
		for i := range samples {
			if samples[i].Target == "GigabitEthernet0/0/1" {
				samples[i].Target = "Gi0/0/1" // the same row of testIfaces
			}
		}
		if n := checkRates(t, samples); n < 4 {
			t.Errorf("only %d rows carry a rate:\n%s", n, r.stdout)
		}
	})

	t.Run("jsonl", func(t *testing.T) {
		t.Parallel()
		r := runStg(t, nil, with("--if", "uplink to core", "--count", "3", "-o", "jsonl")...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		if len(lines) != 3 {
			t.Fatalf("got %d lines, want 3:\n%s", len(lines), r.stdout)
		}
		for i, line := range lines {
			var row map[string]any
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				t.Fatalf("line %d is not JSON: %v: %s", i+1, err, line)
			}
			for _, k := range record.Header {
				if _, ok := row[k]; !ok {
					t.Errorf("line %d has no %q: %s", i+1, k, line)
				}
			}
			if row["target"] != "uplink to core" || row["ifindex"] != float64(1) {
				t.Errorf("line %d: target %v ifindex %v", i+1, row["target"], row["ifindex"])
			}
		}
	})

	t.Run("32-bit interface", func(t *testing.T) {
		t.Parallel()
		r := runStg(t, nil, with("--if", "Se0/1/0", "--count", "3", "-o", "csv")...)
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "32-bit") {
			t.Errorf("stderr %q does not say the counters are 32-bit", r.stderr)
		}
		samples, err := record.ReadCSV(strings.NewReader(r.stdout))
		if err != nil {
			t.Fatal(err)
		}
		if n := checkRates(t, samples); n < 1 {
			t.Errorf("no row carries a rate:\n%s", r.stdout)
		}
	})

	t.Run("forced 64-bit on a 32-bit interface", func(t *testing.T) {
		t.Parallel()
		r := runStg(t, nil, with("--if", "Se0/1/0", "--counters", "64", "--count", "1")...)
		if r.code != 1 || !strings.Contains(r.stderr, "no 64-bit counters") || !strings.Contains(r.stderr, "--counters 32") {
			t.Errorf("exit %d, stderr %q; want 1 and a hint to use --counters 32", r.code, r.stderr)
		}
	})

	t.Run("duration", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		r := runStg(t, nil, with("--if", "Gi0/0/1", "--duration", "2s", "-o", "csv")...)
		took := time.Since(start)
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		samples, err := record.ReadCSV(strings.NewReader(r.stdout))
		if err != nil {
			t.Fatal(err)
		}
		// 2 s at 1 poll a second: 2 polls, or 3 counting the one at 0 s.
		if len(samples) < 2 || len(samples) > 3 {
			t.Errorf("got %d rows in 2 s of 1 s polls, want 2 or 3", len(samples))
		}
		if took < 2*time.Second {
			t.Errorf("ended after %v, before the 2 s duration", took)
		}
	})

	t.Run("log file alongside csv", func(t *testing.T) {
		t.Parallel()
		logPath := filepath.Join(t.TempDir(), "rec.csv")
		r := runStg(t, nil, with("--if", "Vi1.195", "--count", "3", "-o", "csv", "--log", logPath)...)
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		logged, err := os.ReadFile(logPath)
		if err != nil {
			t.Fatal(err)
		}
		if string(logged) != r.stdout {
			t.Errorf("--log file differs from stdout:\nlog:\n%s\nstdout:\n%s", logged, r.stdout)
		}
	})

	t.Run("debug log without secrets", func(t *testing.T) {
		t.Parallel()
		debugPath := filepath.Join(t.TempDir(), "debug.log")
		r := runStg(t, nil, with("--if", "Gi0/0/1", "--count", "2", "-o", "csv", "--debug", debugPath)...)
		if r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		logged, err := os.ReadFile(debugPath)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(logged), "Gi0/0/1") {
			t.Errorf("debug log does not mention the target:\n%s", logged)
		}
		if strings.Contains(string(logged), community) {
			t.Errorf("debug log shows the community:\n%s", logged)
		}
	})

	t.Run("closed pipe ends quietly", func(t *testing.T) {
		t.Parallel()
		exitFile := filepath.Join(t.TempDir(), "exit")
		script := `{ "$0" "$@"; echo $? > "$STG_TEST_EXIT"; } | head -3`
		r := runShell(t, []string{"STG_TEST_EXIT=" + exitFile}, script, with("--if", "Gi0/0/1", "-i", "0.2", "-o", "csv")...)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("sh exit %d, stderr %q; want 0 and nothing", r.code, r.stderr)
		}
		if lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n"); len(lines) != 3 {
			t.Errorf("got %d lines, want 3:\n%s", len(lines), r.stdout)
		}
		code, err := os.ReadFile(exitFile)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(string(code)) != "0" {
			t.Errorf("stg exited %s after head closed the pipe, want 0 (141 means killed by SIGPIPE)", strings.TrimSpace(string(code)))
		}
	})

	t.Run("SIGINT leaves a complete file", func(t *testing.T) {
		t.Parallel()
		checkInterrupt(t, with("--if", "Gi0/0/1", "-i", "0.3", "-o", "csv"))
	})

	t.Run("unknown interface lists the closest", func(t *testing.T) {
		t.Parallel()
		r := runStg(t, nil, with("--if", "Gi0/0/2", "--count", "1")...)
		if r.code != 1 {
			t.Errorf("exit %d, want 1", r.code)
		}
		if !strings.HasPrefix(r.stderr, "stg: ") || !strings.Contains(r.stderr, "not found") || !strings.Contains(r.stderr, "Gi0/0/1") {
			t.Errorf("stderr %q: want a not-found line naming Gi0/0/1", r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("stdout %q, want nothing", r.stdout)
		}
	})

	t.Run("--user says it is not available", func(t *testing.T) {
		t.Parallel()
		r := runStg(t, nil, with("--user", "MyUserName", "--count", "1")...)
		if r.code != 1 || !strings.Contains(r.stderr, "--user") {
			t.Errorf("exit %d, stderr %q; want 1 and a line about --user", r.code, r.stderr)
		}
	})
}

func TestCLISNMPv3(t *testing.T) {
	const user, authKey, privKey = "stgv3", "authkey-s3cr3t", "privkey-s3cr3t"
	addr := startAgent(t, agenttest.WithV3User(agenttest.V3User{
		Name: user, AuthProto: "SHA", AuthKey: authKey, PrivProto: "AES", PrivKey: privKey,
	}))
	r := runStg(t, []string{"STG_PRIV_PASS=" + privKey},
		"-v", "3", "-u", user, "-l", "authPriv", "-a", "SHA", "-A", authKey, "-x", "AES",
		"--router", addr, "--if", "Gi0/0/1", "--count", "3", "-o", "csv")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	samples, err := record.ReadCSV(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	if n := checkRates(t, samples); n < 1 {
		t.Errorf("no row carries a rate:\n%s", r.stdout)
	}
	for _, secret := range []string{authKey, privKey} {
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("output shows the passphrase %q", secret)
		}
	}
}

func TestCLINoAgent(t *testing.T) {
	const secret = "s3cr3t-community"
	port := agenttest.FreeUDPPort(t)
	start := time.Now()
	r := runStg(t, nil, "--router", "127.0.0.1:"+strconv.Itoa(port), "-c", secret, "-t", "1", "--if", "1", "--count", "1")
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	want := fmt.Sprintf("stg: probe 127.0.0.1:%d: no SNMP response from 127.0.0.1:%d within 1s — check address, community/credentials and the agent's ACL\n", port, port)
	if r.stderr != want {
		t.Errorf("stderr\n%q\nwant\n%q", r.stderr, want)
	}
	if r.stdout != "" || strings.Contains(r.stderr, secret) {
		t.Errorf("stdout %q; the secret must not appear", r.stdout)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("took %v to give up with -t 1", took)
	}
}

func TestCLIUsageAndHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"help", []string{"--help"}, 0},
		{"no arguments", nil, 2},
		{"unknown flag", []string{"r", "1", "--bogus"}, 2},
		{"interval zero", []string{"r", "1", "-i", "0"}, 2},
		{"bad router", []string{"--router", "ftp:host:21:x", "--if", "1"}, 2},
		{"bad output", []string{"r", "1", "-o", "xml", "-c", "s3cr3t-community"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runStg(t, []string{"STG_COMMUNITY=s3cr3t-community"}, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tt.code, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, "s3cr3t-community") {
				t.Error("output shows the community")
			}
			if tt.code == 0 {
				if !strings.Contains(r.stdout, "Usage:") || r.stderr != "" {
					t.Errorf("stdout %q stderr %q: want usage on stdout only", r.stdout, r.stderr)
				}
				return
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "stg: ") || !strings.HasSuffix(r.stderr, "(see stg --help)\n") {
				t.Errorf("stderr %q: want one line 'stg: <reason> (see stg --help)'", r.stderr)
			}
		})
	}
}

// runShell runs script with sh, the stg binary as $0 and args as $@.
func runShell(t *testing.T, env []string, script string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", append([]string{"-c", script, stgBinary(t)}, args...)...)
	cmd.Env = cleanEnv(env...)
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
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, stgBinary(t), args...)
	cmd.Env = cleanEnv()
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
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ctx.Err() != nil {
		t.Fatal("stg did not stop within 60 s of SIGINT")
	}
	if err != nil {
		t.Errorf("stg after SIGINT: %v (stderr %q), want exit 0", err, stderr.String())
	}
	if !strings.HasSuffix(out.String(), "\n") {
		t.Errorf("output ends with an incomplete line: %q", out.String())
	}
	samples, err := record.ReadCSV(strings.NewReader(out.String()))
	if err != nil {
		t.Fatalf("output after SIGINT is not a valid recording: %v\n%s", err, out.String())
	}
	if len(samples) < 3 {
		t.Errorf("got %d rows, want at least the 3 read before SIGINT", len(samples))
	}
}

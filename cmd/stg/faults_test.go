package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/cli"
)

// The secrets of the fault tests' simulator. Each is long and unusual, so
// finding it in any output can only mean a leak.
const (
	faultCommunity = "fault-c0mmunity-x7"
	faultV3User    = "stgfault"
	faultAuthPass  = "fault-authpass-x7"
	faultPrivPass  = "fault-privpass-x7"
	faultSSHPass   = "fault-sshpass-x7"
)

// faultSecrets are every secret a fault test hands to stg.
var faultSecrets = []string{faultCommunity, faultAuthPass, faultPrivPass, faultSSHPass, "wrong-c0mmunity-x7", "wrong-authpass-x7", "wrong-privpass-x7", "wrong-sshpass-x7"}

// startFaultSim runs `stg sim` with the fault secrets and returns its SNMP
// address and SSH port.
func startFaultSim(t *testing.T) (addr string, sshPort int) {
	t.Helper()
	sshPort = freeTCPPort(t)
	addr = startSim(t, "--ssh", "127.0.0.1:"+strconv.Itoa(sshPort), "--community", faultCommunity,
		"--v3-user", faultV3User, "--v3-auth-pass", faultAuthPass, "--v3-priv-pass", faultPrivPass,
		"--ssh-password", faultSSHPass)
	return addr, sshPort
}

// noSecret fails the test when any fault secret is in text.
func noSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range faultSecrets {
		if strings.Contains(text, s) {
			t.Errorf("%s shows the secret %q:\n%s", where, s, text)
		}
	}
}

// TestBadUserInput runs the binary with each mistake a user makes and
// checks that it prints exactly one line on stderr, starting "stg: " and
// naming what to fix, nothing on stdout, no secret, and exits with the
// documented code (1 runtime, 2 usage).
func TestBadUserInput(t *testing.T) {
	addr, sshPort := startFaultSim(t)
	notOurs := filepath.Join(t.TempDir(), "traffic.csv")
	if err := os.WriteFile(notOurs, []byte("date,bytes_in,bytes_out\n2026-11-27,1,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	v3 := func(auth, priv string) []string {
		return []string{"--router", addr, "-v", "3", "-u", faultV3User, "-A", auth, "-X", priv, "-t", "1", "--if", "Te0/0/0", "--count", "1", "-o", "csv"}
	}
	poll := func(extra ...string) []string {
		return append([]string{"--router", addr, "-c", faultCommunity, "-t", "5", "--count", "1", "-o", "csv"}, extra...)
	}
	tests := []struct {
		name string
		env  []string
		args []string
		code int
		want []string // each must be in the line
		// isolated runs stg in an empty network namespace (unshare -rn).
		isolated bool
	}{
		{"wrong community", nil, []string{"--router", addr, "-c", "wrong-c0mmunity-x7", "-t", "1", "--if", "Te0/0/0", "--count", "1", "-o", "csv"},
			1, []string{"no SNMP response from " + addr, "community"}, false},
		{"wrong community from the environment", []string{"STG_COMMUNITY=wrong-c0mmunity-x7"}, []string{"--router", addr, "-t", "1", "--if", "Te0/0/0", "--count", "1", "-o", "csv"},
			1, []string{"no SNMP response from " + addr, "community"}, false},
		{"wrong v3 auth passphrase", nil, v3("wrong-authpass-x7", faultPrivPass), 1, []string{"SNMPv3 authentication failed", "-A"}, false},
		{"unknown v3 user", nil, append(v3(faultAuthPass, faultPrivPass), "-u", "nosuchuser"), 1, []string{`the agent has no SNMPv3 user "nosuchuser"`, "-u"}, false},
		{"wrong v3 privacy passphrase", nil, v3(faultAuthPass, "wrong-privpass-x7"), 1, []string{"no SNMP response", "answered SNMPv3 engine discovery", "privacy protocol and passphrase (-x, -X)"}, false},
		// .invalid never resolves (RFC 6761) and stg answers without
		// asking a DNS server. The run is in an empty network namespace
		// (unshare -rn): had stg sent a query, the error would be "network
		// is unreachable", not "no such host" — and nothing left the box.
		{"unresolvable host", nil, []string{"--router", "bras1.invalid", "-c", faultCommunity, "--if", "Te0/0/0", "--count", "1"},
			1, []string{"resolve router bras1.invalid: no such host", "IP address"}, true},
		{"unknown interface", nil, poll("--if", "Gi9/9/9"), 1, []string{`"Gi9/9/9": not found`, "closest"}, false},
		{"unknown user", nil, poll("--user", "nobody@isp.example"), 1, []string{`"nobody@isp.example" not found`}, false},
		{"wrong SSH password", []string{"STG_SSH_PASS=wrong-sshpass-x7"},
			poll("--user", "MyUserName", "--resolve", "ssh", "--ssh-user", "noc", "--ssh-port", strconv.Itoa(sshPort),
				"--known-hosts", filepath.Join(t.TempDir(), "known_hosts"), "--ssh-accept-new"),
			1, []string{"stg: note: recorded the SSH host key", `authentication failed for user "noc"`}, false},
		{"unknown SSH host key", []string{"STG_SSH_PASS=" + faultSSHPass},
			poll("--user", "MyUserName", "--resolve", "ssh", "--ssh-user", "noc", "--ssh-port", strconv.Itoa(sshPort),
				"--known-hosts", filepath.Join(t.TempDir(), "known_hosts")),
			1, []string{"unknown host key", "--ssh-accept-new"}, false},
		{"--router and a positional interface", nil, poll("--if", "Te0/0/0", "Gi0/0/1"), 2, []string{`unexpected argument "Gi0/0/1"`, "--if"}, false},
		{"v3 flag without -v 3", nil, poll("--if", "Te0/0/0", "-A", "wrong-authpass-x7"), 2, []string{"-A is an SNMPv3 option", "-v 3"}, false},
		{"64-bit counters on SNMPv1", nil, poll("--if", "Te0/0/0", "-v", "1", "--counters", "64"), 2, []string{"--counters 64 needs -v 2c or 3"}, false},
		{"interval 0", nil, poll("--if", "Te0/0/0", "--interval", "0"), 2, []string{"--interval must be above 0"}, false},
		{"interval -1", nil, poll("--if", "Te0/0/0", "-i", "-1"), 2, []string{"--interval must be above 0"}, false},
		{"interval not a number", nil, poll("--if", "Te0/0/0", "-i", "fast"), 2, []string{"interval", "seconds"}, false},
		{"same target twice", nil, poll("--if", "Te0/0/0", "--if", "Te0/0/0"), 2, []string{`"Te0/0/0" is given twice`}, false},
		{"replay of a file not ours", nil, []string{"replay", notOurs}, 1, []string{"not an stg CSV recording", "time,router,target"}, false},
		{"replay of a missing file", nil, []string{"replay", notOurs + ".gone"}, 1, []string{"no such file"}, false},
		{"replay without a file", nil, []string{"replay"}, 2, []string{"replay takes one FILE.csv"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r result
			if tt.isolated {
				agenttest.SkipShort(t, "a network namespace (unshare -rn)")
				r = runShell(t, tt.env, `exec unshare -rn "$0" "$@"`, tt.args...)
			} else {
				r = runStg(t, tt.env, tt.args...)
			}
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", r.code, tt.code, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			// Notes (a recorded host key) may come first; then one line.
			lines := strings.SplitAfter(r.stderr, "\n")
			for len(lines) > 1 && strings.HasPrefix(lines[0], "stg: note: ") {
				lines = lines[1:]
			}
			if last := strings.Join(lines, ""); strings.Count(last, "\n") != 1 || !strings.HasPrefix(last, "stg: ") || !strings.HasSuffix(last, "\n") {
				t.Errorf("stderr %q: want exactly one line starting \"stg: \" after any notes", r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q lacks %q", r.stderr, w)
				}
			}
			noSecret(t, "output", r.stdout+r.stderr)
		})
	}
}

// TestSecretsNeverShown runs good polls that carry every kind of secret,
// by flag and by environment, with CSV and JSONL output, --log and
// --debug, and checks that none of the secrets is in any of them.
func TestSecretsNeverShown(t *testing.T) {
	addr, sshPort := startFaultSim(t)
	dir := t.TempDir()
	ssh := []string{"--user", "MyUserName", "--resolve", "ssh", "--ssh-user", "noc", "--ssh-port", strconv.Itoa(sshPort),
		"--known-hosts", filepath.Join(dir, "known_hosts"), "--ssh-accept-new"}
	tests := []struct {
		name   string
		env    []string
		args   []string
		format string
	}{
		{"community flag, csv", nil, []string{"-c", faultCommunity, "--if", "Te0/0/0"}, "csv"},
		{"community from the environment, jsonl", []string{"STG_COMMUNITY=" + faultCommunity}, []string{"--if", "Te0/0/0"}, "jsonl"},
		{"v3 passphrases by flag", nil, []string{"-v", "3", "-u", faultV3User, "-A", faultAuthPass, "-X", faultPrivPass, "--if", "Te0/0/0"}, "csv"},
		{"v3 passphrases from the environment", []string{"STG_AUTH_PASS=" + faultAuthPass, "STG_PRIV_PASS=" + faultPrivPass},
			[]string{"-v", "3", "-u", faultV3User, "--if", "Te0/0/0"}, "jsonl"},
		{"ssh password, subscriber by SSH", []string{"STG_SSH_PASS=" + faultSSHPass}, append([]string{"-c", faultCommunity}, ssh...), "csv"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			debugPath := filepath.Join(dir, fmt.Sprintf("debug%d.log", i))
			logPath := filepath.Join(dir, fmt.Sprintf("log%d.csv", i))
			args := append([]string{"--router", addr, "-t", "5", "--count", "3", "-o", tt.format, "--debug", debugPath, "--log", logPath}, tt.args...)
			r := runStg(t, tt.env, args...)
			if r.code != 0 {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if n := strings.Count(r.stdout, "\n"); n < 3 {
				t.Errorf("stdout has %d lines, want the rows of 3 polls:\n%s", n, r.stdout)
			}
			noSecret(t, "stdout", r.stdout)
			noSecret(t, "stderr", r.stderr)
			for _, path := range []string{debugPath, logPath} {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if len(b) == 0 {
					t.Errorf("%s is empty", filepath.Base(path))
				}
				noSecret(t, filepath.Base(path), string(b))
			}
		})
	}
}

// TestSecretFromEnvironmentNotInArgv checks what `ps` shows of a running
// stg whose community came from STG_COMMUNITY: /proc/PID/cmdline (argv)
// must not hold it. /proc/PID/environ must, or the test proved nothing.
func TestSecretFromEnvironmentNotInArgv(t *testing.T) {
	addr, _ := startFaultSim(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, stgBinary(t), "--router", addr, "--if", "Te0/0/0", "-i", "0.2", "-o", "csv")
	cmd.Env = cleanEnv("HOME="+t.TempDir(), "STG_COMMUNITY="+faultCommunity)
	out := &firstWrite{written: make(chan struct{})}
	cmd.Stdout = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	select { // running: it has written its header
	case <-out.written:
	case <-ctx.Done():
		t.Fatal("stg wrote nothing within 60 s")
	}
	proc := "/proc/" + strconv.Itoa(cmd.Process.Pid)
	argv, err := os.ReadFile(proc + "/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	environ, err := os.ReadFile(proc + "/environ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(argv), addr) {
		t.Fatalf("cmdline %q is not stg's", argv)
	}
	if strings.Contains(string(argv), faultCommunity) {
		t.Errorf("ps shows the community: cmdline %q", argv)
	}
	if !strings.Contains(string(environ), "STG_COMMUNITY="+faultCommunity) {
		t.Error("the community is not in the environment: the test checked nothing")
	}
}

// firstWrite is an io.Writer that discards and closes written at the first
// write.
type firstWrite struct {
	once    sync.Once
	written chan struct{}
}

// Write implements io.Writer.
func (w *firstWrite) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.written) })
	return len(p), nil
}

// TestSecretsInPanicOutput proves that what a panic prints of the
// configuration, and any %v/%+v/%#v/%s of the configuration types, carry
// no secret: the settings and snmp.Config print every secret as <redacted>.
func TestSecretsInPanicOutput(t *testing.T) {
	p, err := cli.ParsePoll([]string{"-v", "3", "-u", faultV3User, "--router", "r1", "--if", "1"},
		envOf(map[string]string{"STG_AUTH_PASS": faultAuthPass, "STG_PRIV_PASS": faultPrivPass, "STG_SSH_PASS": faultSSHPass}), cli.Files{})
	if err != nil {
		t.Fatal(err)
	}
	p.Session.SNMP.Community = faultCommunity
	cfg := p.Session.SNMP
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for name, v := range map[string]any{"*cli.PollSettings": p, "cli.PollSettings": *p, "snmp.Config": cfg, "*snmp.Config": &cfg} {
			out := fmt.Sprintf(verb, v)
			noSecret(t, verb+" of "+name, out)
			if !strings.Contains(out, "<redacted>") {
				t.Errorf("%s of %s shows no <redacted>: %s", verb, name, out)
			}
		}
	}
	// A panic prints its value's Error() (bubbletea's recovery prints it
	// with %v): an error that carries the whole configuration.
	func() {
		defer func() {
			noSecret(t, "recovered panic", fmt.Sprint(recover()))
		}()
		panic(fmt.Errorf("poll with %+v and %v", cfg, *p))
	}()
}

// TestSecretsInCrashDump makes a running stg that got every secret (by
// flag and by environment) die the way a panic does, with the runtime's
// dump of every goroutine (SIGQUIT, GOTRACEBACK=all), and checks that the
// dump holds none of them: stack traces print arguments as words, never
// the bytes of a string.
func TestSecretsInCrashDump(t *testing.T) {
	addr, _ := startFaultSim(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, stgBinary(t), "--router", addr, "-v", "3", "-u", faultV3User, "-A", faultAuthPass,
		"--if", "Te0/0/0", "-i", "0.2", "-o", "csv")
	cmd.Env = cleanEnv("HOME="+t.TempDir(), "GOTRACEBACK=all", "STG_PRIV_PASS="+faultPrivPass, "STG_SSH_PASS="+faultSSHPass)
	out := &firstWrite{written: make(chan struct{})}
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = out, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-out.written:
	case <-ctx.Done():
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("stg wrote nothing within 60 s")
	}
	if err := cmd.Process.Signal(syscall.SIGQUIT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if err == nil || ctx.Err() != nil {
		t.Fatalf("stg after SIGQUIT: %v, want the runtime's crash exit", err)
	}
	dump := stderr.String()
	if !strings.Contains(dump, "goroutine ") || !strings.Contains(dump, "main.") {
		t.Fatalf("no goroutine dump on stderr:\n%s", dump)
	}
	noSecret(t, "crash dump", dump)
}

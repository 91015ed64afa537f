package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/snmp"
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
	addr, _ := startFaultSim(t)
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
	}{
		{"wrong community", nil, []string{"--router", addr, "-c", "wrong-c0mmunity-x7", "-t", "1", "--if", "Te0/0/0", "--count", "1", "-o", "csv"},
			1, []string{"no SNMP response from " + addr, "community"}},
		{"wrong community from the environment", []string{"STG_COMMUNITY=wrong-c0mmunity-x7"}, []string{"--router", addr, "-t", "1", "--if", "Te0/0/0", "--count", "1", "-o", "csv"},
			1, []string{"no SNMP response from " + addr, "community"}},
		{"wrong v3 auth passphrase", nil, v3("wrong-authpass-x7", faultPrivPass), 1, []string{"SNMPv3 authentication failed", "-A"}},
		{"unknown v3 user", nil, append(v3(faultAuthPass, faultPrivPass), "-u", "nosuchuser"), 1, []string{"SNMPv3 authentication failed"}},
		{"wrong v3 privacy passphrase", nil, v3(faultAuthPass, "wrong-privpass-x7"), 1, []string{"no SNMP response", "credentials"}},
		// .invalid never resolves (RFC 6761); stg answers without asking
		// any DNS server, so the test sends nothing off the machine.
		{"unresolvable host", nil, []string{"--router", "bras1.invalid", "-c", faultCommunity, "--if", "Te0/0/0", "--count", "1"},
			1, []string{"resolve router bras1.invalid: no such host", "IP address"}},
		{"unknown interface", nil, poll("--if", "Gi9/9/9"), 1, []string{`"Gi9/9/9": not found`, "closest"}},
		{"unknown user", nil, poll("--user", "nobody@isp.example"), 1, []string{`"nobody@isp.example" not found`}},
		{"wrong SSH password", []string{"STG_SSH_PASS=wrong-sshpass-x7"},
			poll("--user", "MyUserName", "--resolve", "ssh", "--ssh-user", "noc", "--ssh-port", "1", "--known-hosts", os.DevNull),
			1, []string{"ssh"}},
		{"router twice", nil, poll("--if", "Te0/0/0", "Gi0/0/1"), 2, []string{`unexpected argument "Gi0/0/1"`, "--if"}},
		{"v3 flag without -v 3", nil, poll("--if", "Te0/0/0", "-A", "wrong-authpass-x7"), 2, []string{"-A is an SNMPv3 option", "-v 3"}},
		{"64-bit counters on SNMPv1", nil, poll("--if", "Te0/0/0", "-v", "1", "--counters", "64"), 2, []string{"--counters 64 needs -v 2c or 3"}},
		{"interval 0", nil, poll("--if", "Te0/0/0", "--interval", "0"), 2, []string{"--interval must be above 0"}},
		{"interval -1", nil, poll("--if", "Te0/0/0", "-i", "-1"), 2, []string{"--interval must be above 0"}},
		{"interval not a number", nil, poll("--if", "Te0/0/0", "-i", "fast"), 2, []string{"interval", "seconds"}},
		{"same target twice", nil, poll("--if", "Te0/0/0", "--if", "Te0/0/0"), 2, []string{`"Te0/0/0" is given twice`}},
		{"replay of a file not ours", nil, []string{"replay", notOurs}, 1, []string{"not an stg CSV recording", "time,router,target"}},
		{"replay of a missing file", nil, []string{"replay", notOurs + ".gone"}, 1, []string{"no such file"}},
		{"replay without a file", nil, []string{"replay"}, 2, []string{"replay takes one FILE.csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runStg(t, tt.env, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", r.code, tt.code, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "stg: ") || !strings.HasSuffix(r.stderr, "\n") {
				t.Errorf("stderr %q: want exactly one line starting \"stg: \"", r.stderr)
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
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	buf := make([]byte, 4096)
	if _, err := pipe.Read(buf); err != nil { // running: it has written its header
		t.Fatal(err)
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
	go func() {
		for {
			if _, err := pipe.Read(buf); err != nil {
				return
			}
		}
	}()
}

// TestSecretsInPanicOutput proves that a panic's output, which prints its
// value with %v, and any %v/%+v/%#v of the configuration types carry no
// secret: options and snmp.Config print every secret as <redacted>.
func TestSecretsInPanicOutput(t *testing.T) {
	o, err := parseOptions([]string{"-v", "3", "-u", faultV3User, "--router", "r1", "--if", "1"}, func(k string) string {
		return map[string]string{"STG_AUTH_PASS": faultAuthPass, "STG_PRIV_PASS": faultPrivPass, "STG_SSH_PASS": faultSSHPass}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	o.Community = faultCommunity
	target, err := snmp.ParseTarget(o.Router)
	if err != nil {
		t.Fatal(err)
	}
	cfg := o.snmpConfig(target)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for name, v := range map[string]any{"options": o, "*options": *o, "snmp.Config": cfg, "&snmp.Config": &cfg} {
			out := fmt.Sprintf(verb, v)
			noSecret(t, verb+" of "+name, out)
			if !strings.Contains(out, "<redacted>") {
				t.Errorf("%s of %s shows no <redacted>: %s", verb, name, out)
			}
		}
	}
	// What the runtime prints for panic(v): the value formatted with %v
	// when it is an error or Stringer, else its Go syntax; wrap both ways.
	for _, v := range []any{fmt.Errorf("poll with %+v", cfg), fmt.Sprint(*o)} {
		noSecret(t, "panic value", fmt.Sprint(v))
	}
}

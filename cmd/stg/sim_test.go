package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
)

func TestSimUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--bogus"}, "unknown flag"},
		{"positional argument", []string{"extra"}, "unexpected argument"},
		{"too many sessions", []string{"--sessions", "40000"}, "--sessions 40000"},
		{"no sessions", []string{"--sessions", "0"}, "--sessions 0"},
		{"public SNMP address", []string{"--listen", "0.0.0.0:1161"}, "not loopback"},
		{"public SSH address", []string{"--ssh", "192.0.2.7:22"}, "not loopback"},
		{"bad duration", []string{"--flap", "soon"}, "invalid argument"},
		{"unknown cache mode", []string{"--cache", "2s", "--cache-mode", "periodic"}, "want timer or request"},
		{"cache mode without a cache", []string{"--cache-mode", "timer"}, "needs --cache"},
		{"negative cache", []string{"--cache", "-2s"}, "want a positive duration"},
		{"too many hogs", []string{"--hogs", "21"}, "--hogs 21: want 0 to 20"},
		{"hogs without sessions for them", []string{"--sessions", "5", "--hogs", "3"}, "--hogs 3 needs --sessions 7 or more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runSim(context.Background(), tt.args, envOf(nil), nil, &stdout, &stderr)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if lines := strings.Count(stderr.String(), "\n"); lines != 1 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q: want one line containing %q", stderr.String(), tt.want)
			}
		})
	}
}

// TestSimRuns starts `stg sim` on free ports, reads its banner, asks the
// agent for sysName with net-snmp and stops it like Ctrl-C would.
func TestSimRuns(t *testing.T) {
	home := t.TempDir()
	getenv := envOf(map[string]string{"HOME": home})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr agenttest.Buffer
	done := make(chan int, 1)
	go func() {
		done <- runSim(ctx, []string{"--listen", "127.0.0.1:0", "--ssh", "127.0.0.1:0", "--community", "s3cret-community",
			"--ssh-password", "s3cret-password", "--sessions", "25", "--hogs", "2", "--hostname", "bras-test"}, getenv, nil, &stdout, &stderr)
	}()
	addrRE := regexp.MustCompile(`SNMP   udp:(127\.0\.0\.1:\d+)`)
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRE.FindStringSubmatch(stdout.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatalf("no SNMP address in the banner:\n%s\nstderr: %s", stdout.String(), stderr.String())
	}
	qctx, qcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer qcancel()
	out, err := exec.CommandContext(qctx, "snmpget", "-v2c", "-c", "s3cret-community", "-Oqv", addr, "1.3.6.1.2.1.1.5.0").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != `"bras-test"` {
		t.Errorf("snmpget sysName: %v %q", err, out)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after Ctrl-C, want 0; stderr %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("stg sim did not stop")
	}
	banner := stdout.String()
	for _, secret := range []string{"s3cret-community", "s3cret-password"} {
		if strings.Contains(banner+stderr.String(), secret) {
			t.Errorf("output shows the user-given secret %q:\n%s", secret, banner)
		}
	}
	for _, want := range []string{"(as given)", "MyUserName", "host key ssh-ed25519 SHA256:", "stg --router " + addr,
		"stg top --router " + addr, "backhaul hogs", "smallbiz-gw@biz.example    1.2/800 Mb/s"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	st, err := os.Stat(filepath.Join(home, ".config", "stg", "sim_host_ed25519_key"))
	if err != nil {
		t.Fatalf("host key not kept in the config dir: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("host key file mode %v, want 0600", st.Mode().Perm())
	}
	// The host key is all it writes, as its help says.
	if got, want := filesUnder(t, home), []string{".config", ".config/stg", ".config/stg/sim_host_ed25519_key"}; !reflect.DeepEqual(got, want) {
		t.Errorf("stg sim left %q in its home, want only %q", got, want)
	}
}

// TestSimBannerIPv6: on IPv6 loopback the banner's hints work as printed:
// OpenSSH reads its user@host as the address (no brackets), stg and
// net-snmp read the SNMP address.
func TestSimBannerIPv6(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr agenttest.Buffer
	done := make(chan int, 1)
	go func() {
		done <- runSim(ctx, []string{"--listen", "[::1]:0", "--ssh", "[::1]:0", "--sessions", "5"}, envOf(map[string]string{"HOME": t.TempDir()}), nil, &stdout, &stderr)
	}()
	sshRE := regexp.MustCompile(`(?m)^    ssh -p (\d+) (\S+) 'show users'$`)
	var m []string
	for deadline := time.Now().Add(10 * time.Second); m == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		m = sshRE.FindStringSubmatch(stdout.String())
	}
	cancel()
	if code := <-done; m == nil || code != exitOK {
		t.Fatalf("exit %d; no ssh hint in the banner:\n%s\nstderr: %s", code, stdout.String(), stderr.String())
	}
	if m[2] != "noc@::1" {
		t.Errorf("ssh hint names %q, want noc@::1", m[2])
	}
	qctx, qcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer qcancel()
	out, err := exec.CommandContext(qctx, "ssh", "-G", "-p", m[1], m[2]).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh -G %s: %v\n%s", m[2], err, out)
	}
	for _, want := range []string{"\nhostname ::1\n", "\nport " + m[1] + "\n", "user noc\n"} {
		if !strings.Contains("\n"+string(out), want) {
			t.Errorf("OpenSSH reads the hint %q without %q:\n%s", m[2], strings.TrimSpace(want), out)
		}
	}
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/internal/faultproxy"
)

// TestSSHPasswordPromptInTmux runs stg in a real terminal with SSH
// configured, no STG_SSH_PASS, no key and no ssh-agent, against a
// simulated BRAS whose SNMP cannot find the user: every --resolve mode
// that uses SSH asks for the password once, on the terminal and without
// echo, and finds the user with it.
func TestSSHPasswordPromptInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("starts tmux")
	}
	const password = "pr0mpt-s3cret"
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 20, Seed: 5, NoSubscriberMIB: true, NoAAAMIB: true,
		SSHUser: "noc", SSHPassword: password})
	_, port, _ := strings.Cut(sim.SSHAddr(), "127.0.0.1:")
	ifIndex, _, _ := sim.Lookup("MyUserName")
	bin := stgBinary(t)
	tests := []struct {
		name string
		args string
		want string
	}{
		{"resolve auto", "resolve --resolve auto", "ifIndex  " + itoa(ifIndex)},
		{"resolve ssh", "resolve --resolve ssh", "ifIndex  " + itoa(ifIndex)},
		{"poll auto", "--count 1 -o csv", fmt.Sprintf(",MyUserName,%d,", ifIndex)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			home := filepath.Join(dir, "home")
			if err := os.Mkdir(home, 0o700); err != nil {
				t.Fatal(err)
			}
			rc := filepath.Join(dir, "rc")
			// A clean environment: no STG_SSH_PASS, no SSH_AUTH_SOCK, a HOME
			// without keys.
			cmd := fmt.Sprintf("env -i PATH=%s HOME=%s TERM=xterm %s %s --router %s -c %s --user MyUserName --ssh-user noc --ssh-port %s --ssh-accept-new; echo $? > %s",
				os.Getenv("PATH"), home, bin, tt.args, sim.Addr(), sim.Community(), port, rc)
			tm := newTmux(t, dir)
			tm.newSession("-s", "p", "-x", "150", "-y", "40", cmd)
			prompt := "noc@127.0.0.1's password:" // capture-pane drops the trailing space
			waitFor(t, 20*time.Second, "the password prompt", func() bool {
				return strings.Contains(tm.screen("p"), prompt)
			}, func() string { return tm.screen("p") })
			tm.run("send-keys", "-t", "p", password, "Enter")
			if code := exitCode(t, tm, "p", rc); code != "0" {
				t.Fatalf("exit %s after the password; screen:\n%s", code, tm.screen("p"))
			}
			screen := tm.run("capture-pane", "-p", "-S", "-", "-t", "p") // with the lines scrolled off
			if n := strings.Count(screen, prompt); n != 1 {
				t.Errorf("asked %d times, want once:\n%s", n, screen)
			}
			if strings.Contains(screen, password) {
				t.Errorf("the password was echoed:\n%s", screen)
			}
			if !strings.Contains(screen, tt.want) {
				t.Errorf("screen lacks %q:\n%s", tt.want, screen)
			}
		})
	}
}

// TestSSHWithoutCredentials: with SSH configured, no terminal, no
// STG_SSH_PASS and no key, stg says how to give a password or a key,
// never an empty list of what it tried.
func TestSSHWithoutCredentials(t *testing.T) {
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 20, Seed: 5, NoSubscriberMIB: true, NoAAAMIB: true,
		SSHUser: "noc", SSHPassword: "unused-pw"})
	_, port, _ := strings.Cut(sim.SSHAddr(), "127.0.0.1:")
	for _, mode := range []string{"auto", "ssh"} {
		t.Run(mode, func(t *testing.T) {
			env := resolveEnvOf(t, map[string]string{"STG_COMMUNITY": sim.Community()})
			_, stderr := checkRun(t, []string{"resolve", "--router", sim.Addr(), "--user", "MyUserName", "--resolve", mode,
				"--ssh-user", "noc", "--ssh-port", port, "--known-hosts", filepath.Join(t.TempDir(), "known_hosts")},
				env, exitFailure, nil, []string{"STG_SSH_PASS", "ssh-agent", "terminal"})
			if strings.Contains(stderr.String(), "(tried )") || strings.Count(stderr.String(), "\n") != 1 {
				t.Errorf("stderr %q: want one line naming what to give", stderr.String())
			}
		})
	}
}

// TestSSHPromptWithdrawnInTmux: with --resolve auto, when SNMP finds the
// user while the password prompt waits, the prompt is withdrawn: stg goes
// on without an answer, the prompt line is erased and the terminal echoes
// again. The agent's replies are held back until the prompt is up.
func TestSSHPromptWithdrawnInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("starts tmux")
	}
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 20, Seed: 5, SSHUser: "noc", SSHPassword: "unused-pw"})
	_, port, _ := strings.Cut(sim.SSHAddr(), "127.0.0.1:")
	proxy := faultproxy.Start(t, faultproxy.Config{Upstream: sim.Addr(), ToClient: faultproxy.Faults{Drop: 1}})
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	rc, stty := filepath.Join(dir, "rc"), filepath.Join(dir, "stty")
	cmd := fmt.Sprintf("env -i PATH=%s HOME=%s TERM=xterm %s resolve --router %s -c %s -t 1 -r 20 --user MyUserName --ssh-user noc --ssh-port %s --ssh-accept-new; echo $? > %s; stty -a > %s",
		os.Getenv("PATH"), home, stgBinary(t), proxy.Addr(), sim.Community(), port, rc, stty)
	tm := newTmux(t, dir)
	tm.run("new-session", "-d", "-s", "w", "-x", "150", "-y", "40", cmd+"; sleep 60")
	prompt := "noc@127.0.0.1's password:"
	waitFor(t, 20*time.Second, "the password prompt", func() bool {
		return strings.Contains(tm.screen("w"), prompt)
	}, func() string { return tm.screen("w") })
	if err := proxy.SetFaults(faultproxy.Faults{}, faultproxy.Faults{}); err != nil {
		t.Fatal(err)
	}
	if code := exitCode(t, tm, "w", rc); code != "0" {
		t.Fatalf("exit %s without an answer; screen:\n%s", code, tm.screen("w"))
	}
	screen := tm.run("capture-pane", "-p", "-S", "-", "-t", "w")
	if !strings.Contains(screen, "method   snmp:csubSessionUsername") {
		t.Errorf("not found by SNMP:\n%s", screen)
	}
	if strings.Contains(screen, prompt) {
		t.Errorf("the withdrawn prompt is still on screen:\n%s", screen)
	}
	waitFor(t, 10*time.Second, "stty output", func() bool {
		b, err := os.ReadFile(stty)
		return err == nil && len(b) > 0
	}, func() string { return tm.screen("w") })
	b, _ := os.ReadFile(stty)
	if strings.Contains(" "+strings.Join(strings.Fields(string(b)), " ")+" ", " -echo ") {
		t.Errorf("the terminal no longer echoes after stg:\n%s", b)
	}
}

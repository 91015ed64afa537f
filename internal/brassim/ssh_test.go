package brassim

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// sshRun runs one exec command on the simulator and returns its output and
// the session's error.
func sshRun(t *testing.T, s *Sim, conf *ssh.ClientConfig, cmd string) (string, error) {
	t.Helper()
	c, err := ssh.Dial("tcp", s.SSHAddr(), conf)
	if err != nil {
		return "", err
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("new session: %v", err)
	}
	var out bytes.Buffer
	sess.Stdout = &out
	err = sess.Run(cmd)
	return out.String(), err
}

func clientConfig(s *Sim, auth ...ssh.AuthMethod) *ssh.ClientConfig {
	return &ssh.ClientConfig{User: "noc", Auth: auth, HostKeyCallback: ssh.FixedHostKey(s.HostKey()), Timeout: 5 * time.Second}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestSSHCommands(t *testing.T) {
	s, clock := startSim(t, Options{Sessions: 8, Seed: 1})
	ts, _ := startSim(t, Options{Sessions: 8, Seed: 1, ExecTimestamps: true})
	clock.Add(90 * time.Second)
	conf := clientConfig(s, ssh.Password("noc"))
	tests := []struct {
		name   string
		sim    *Sim
		cmd    string
		golden string
	}{
		{"show users", s, "show users", "show_users.txt"},
		{"abbreviated", s, "sh us", "show_users.txt"},
		{"include filter", s, "show users | include PPPoE", "show_users_include.txt"},
		{"ifindex with space", s, "show snmp mib ifmib ifindex Virtual-Access 1.1", "show_ifindex.txt"},
		{"ifindex full name", s, "show snmp mib ifmib ifindex Virtual-Access1.1", "show_ifindex.txt"},
		{"ifindex short name", s, "show snmp mib ifmib ifindex vi1.1", "show_ifindex.txt"},
		{"ifindex unknown interface", s, "show snmp mib ifmib ifindex Vi9.999", "invalid_interface.txt"},
		{"subscriber session", s, "show subscriber session username " + UserMine, "show_subscriber.txt"},
		{"subscriber unknown", s, "show subscriber session username nobody", "empty.txt"},
		{"unknown command", s, "show version", "invalid_command.txt"},
		{"not show", s, "configure terminal", "invalid_configure.txt"},
		{"incomplete", s, "show", "incomplete.txt"},
		{"exec timestamps", ts, "show snmp mib ifmib ifindex Vi1.1", "show_ifindex_timestamps.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := conf
			if tt.sim != s {
				c = clientConfig(tt.sim, ssh.Password("noc"))
			}
			out, err := sshRun(t, tt.sim, c, tt.cmd)
			var missing *ssh.ExitMissingError
			if !errors.As(err, &missing) {
				t.Errorf("run %q: %v, want no exit status (ExitMissingError) like IOS", tt.cmd, err)
			}
			golden(t, tt.golden, out)
		})
	}
}

// TestShowUsersColumns checks the interface table against the documented
// column positions and the 18-character user cut.
func TestShowUsersColumns(t *testing.T) {
	s, _ := startSim(t, Options{Sessions: 200, Seed: 9})
	out, err := sshRun(t, s, clientConfig(s, ssh.Password("noc")), "show users")
	var missing *ssh.ExitMissingError
	if !errors.As(err, &missing) {
		t.Fatalf("show users: %v", err)
	}
	users := map[string]Session{}
	for _, x := range s.Sessions() {
		users[x.IfName] = x
	}
	lines := strings.Split(out, "\r\n")
	if !strings.HasPrefix(lines[1], "*  2 vty 0     noc        idle") || !strings.HasSuffix(lines[1], " 127.0.0.1") {
		t.Errorf("own vty line = %q", lines[1])
	}
	rows := 0
	for _, l := range lines[4:] {
		if l == "" {
			continue
		}
		rows++
		if len(l) < 57 {
			t.Fatalf("short row %q", l)
		}
		x, ok := users[strings.TrimSpace(l[2:15])]
		if !ok {
			t.Fatalf("row %q: no session on interface %q", l, l[2:15])
		}
		want := x.User
		if len(want) > 18 {
			want = want[:18]
		}
		if got := strings.TrimSpace(l[15:34]); got != want {
			t.Errorf("user cell %q, want %q", got, want)
		}
		if got := strings.TrimSpace(l[34:47]); got != x.Mode {
			t.Errorf("mode cell %q, want %q", got, x.Mode)
		}
		if got := l[56:]; got != x.Addr {
			t.Errorf("peer cell %q, want %q", got, x.Addr)
		}
	}
	if rows != 200 {
		t.Errorf("%d interface rows, want 200", rows)
	}
}

func TestSSHAuth(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(priv)
	_, otherPriv, _ := ed25519.GenerateKey(rand.Reader)
	other, _ := ssh.NewSignerFromKey(otherPriv)
	s, _ := startSim(t, Options{Sessions: 3, AuthorizedKeys: []ssh.PublicKey{signer.PublicKey()}})
	interactive := func(answer string) ssh.AuthMethod {
		return ssh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return []string{answer}, nil })
	}
	tests := []struct {
		name string
		auth ssh.AuthMethod
		ok   bool
	}{
		{"password", ssh.Password("noc"), true},
		{"wrong password", ssh.Password("nope"), false},
		{"authorized key", ssh.PublicKeys(signer), true},
		{"unknown key", ssh.PublicKeys(other), false},
		{"keyboard-interactive", interactive("noc"), true},
		{"keyboard-interactive wrong", interactive("x"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := sshRun(t, s, clientConfig(s, tt.auth), "show users")
			var missing *ssh.ExitMissingError
			if ok := errors.As(err, &missing) && strings.Contains(out, UserMine); ok != tt.ok {
				t.Errorf("login worked = %v (err %v), want %v", ok, err, tt.ok)
			}
		})
	}
}

func TestSSHOneCommandPerConnection(t *testing.T) {
	s, _ := startSim(t, Options{Sessions: 3})
	c, err := ssh.Dial("tcp", s.SSHAddr(), clientConfig(s, ssh.Password("noc")))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	first, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	_, _ = first.Output("show users")
	done := make(chan error, 1)
	go func() {
		second, err := c.NewSession()
		if err == nil {
			_, err = second.Output("show users")
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("a second command on the same connection worked; IOS closes after one")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second command neither failed nor finished")
	}
}

func TestHostKeyPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "host_key")
	a, err := LoadHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", st.Mode().Perm())
	}
	b, err := LoadHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.PublicKey().Marshal(), b.PublicKey().Marshal()) {
		t.Errorf("host key changed between loads")
	}
	s, _ := startSim(t, Options{Sessions: 2, HostKeyPath: path})
	if !bytes.Equal(s.HostKey().Marshal(), a.PublicKey().Marshal()) {
		t.Errorf("simulator does not serve the saved host key")
	}
}

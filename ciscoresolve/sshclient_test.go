package ciscoresolve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// fixtureOutputs maps IOS commands to the text of fixture files.
func fixtureOutputs(t *testing.T, files map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for cmd, f := range files {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		out[cmd] = string(b)
	}
	return out
}

// otherKeyLine returns a fresh ed25519 public key in authorized_keys format.
func otherKeyLine(t *testing.T) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}

// rsaKeyLine returns a fresh RSA public key in authorized_keys format.
func rsaKeyLine(t *testing.T) string {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}

func fingerprint(t *testing.T, authorizedLine string) string {
	t.Helper()
	k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(authorizedLine))
	if err != nil {
		t.Fatal(err)
	}
	return ssh.FingerprintSHA256(k)
}

func writeKnownHosts(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "known_hosts")
	if len(lines) > 0 {
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func TestSSHClientRealSshd(t *testing.T) {
	sshd := agenttest.StartSshd(t, fixtureOutputs(t, map[string]string{
		"show users": "show_users_ios.txt",
		"show snmp mib ifmib ifindex Virtual-Access1.195": "ifindex_one.txt",
	}))
	base := SSHConfig{Host: sshd.Host, Port: sshd.Port, User: sshd.User, KeyFiles: []string{sshd.ClientKey},
		ConnectTimeout: 5 * time.Second, CommandTimeout: 5 * time.Second}
	ctx := context.Background()
	hostFP := fingerprint(t, sshd.HostKeyLine)

	t.Run("known host and key auth resolve the user", func(t *testing.T) {
		c := base
		c.KnownHosts = writeKnownHosts(t, sshd.KnownHostsLine())
		res, err := (&SSH{CLI: &c, Router: "sshd"}).Resolve(ctx, "MyUserName")
		if err != nil {
			t.Fatalf("Resolve over real sshd: %v", err)
		}
		if res.IfIndex != 257 || res.IfDescr != "Virtual-Access1.195" || res.IfName != "Vi1.195" {
			t.Errorf("got %+v", res)
		}
	})
	t.Run("key from ssh-agent", func(t *testing.T) {
		c := base
		c.KnownHosts = writeKnownHosts(t, sshd.KnownHostsLine())
		c.KeyFiles = nil
		c.AgentSocket = startAgent(t, sshd.ClientKey)
		out, err := c.Run(ctx, "show users")
		if err != nil || !strings.Contains(out, "MyUserName") {
			t.Fatalf("got %q, %v", out, err)
		}
	})
	t.Run("unknown host refused", func(t *testing.T) {
		c := base
		c.KnownHosts = writeKnownHosts(t)
		_, err := c.Run(ctx, "show users")
		if !errors.Is(err, ErrHostKeyUnknown) {
			t.Fatalf("err = %v, want ErrHostKeyUnknown", err)
		}
		for _, s := range []string{hostFP, "--ssh-accept-new", sshd.Addr()} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not mention %q", err, s)
			}
		}
		if _, err := os.Stat(c.KnownHosts); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("known_hosts written although the host was refused: %v", err)
		}
	})
	t.Run("accept new records the key once", func(t *testing.T) {
		c := base
		c.KnownHosts = filepath.Join(t.TempDir(), "sub", "known_hosts")
		c.AcceptNew = true
		if _, err := c.Run(ctx, "show users"); err != nil {
			t.Fatalf("first connection with accept-new: %v", err)
		}
		st, err := os.Stat(c.KnownHosts)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("known_hosts %v (%v), want mode 0600", st, err)
		}
		c.AcceptNew = false
		if _, err := c.Run(ctx, "show users"); err != nil {
			t.Fatalf("second connection from the recorded key: %v", err)
		}
		b, _ := os.ReadFile(c.KnownHosts)
		if n := strings.Count(string(b), "\n"); n != 1 {
			t.Errorf("known_hosts has %d lines, want 1:\n%s", n, b)
		}
	})
	t.Run("changed key refused even with accept-new", func(t *testing.T) {
		c := base
		other := otherKeyLine(t)
		c.KnownHosts = writeKnownHosts(t, "[127.0.0.1]:"+strconv.Itoa(sshd.Port)+" "+other)
		c.AcceptNew = true
		_, err := c.Run(ctx, "show users")
		if !errors.Is(err, ErrHostKeyChanged) {
			t.Fatalf("err = %v, want ErrHostKeyChanged", err)
		}
		if !strings.Contains(err.Error(), hostFP) || !strings.Contains(err.Error(), c.KnownHosts+":1") {
			t.Errorf("error %q does not show the offered fingerprint %s and the known_hosts line", err, hostFP)
		}
	})
	t.Run("changed key type refused as a changed key", func(t *testing.T) {
		c := base
		c.KnownHosts = writeKnownHosts(t, "[127.0.0.1]:"+strconv.Itoa(sshd.Port)+" "+rsaKeyLine(t))
		_, err := c.Run(ctx, "show users")
		if !errors.Is(err, ErrHostKeyChanged) || !strings.Contains(err.Error(), hostFP) {
			t.Fatalf("err = %v, want ErrHostKeyChanged showing %s", err, hostFP)
		}
	})
	t.Run("wrong key is an auth failure naming the user", func(t *testing.T) {
		c := base
		c.KnownHosts = writeKnownHosts(t, sshd.KnownHostsLine())
		c.KeyFiles = []string{filepath.Join(t.TempDir(), "missing")}
		c.Password = "not-the-password"
		_, err := c.Run(ctx, "show users")
		if !errors.Is(err, ErrAuthFailed) || !strings.Contains(err.Error(), strconv.Quote(sshd.User)) {
			t.Fatalf("err = %v, want ErrAuthFailed for %q", err, sshd.User)
		}
		if strings.Contains(err.Error(), "not-the-password") {
			t.Errorf("error leaks the password: %v", err)
		}
	})
	t.Run("unknown command gives IOS's error text", func(t *testing.T) {
		c := base
		c.KnownHosts = writeKnownHosts(t, sshd.KnownHostsLine())
		out, err := c.Run(ctx, "show subscriber session username MyUserName")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseSubscriberSession(strings.NewReader(out)); !errors.Is(err, ErrUnsupported) {
			t.Errorf("parse of %q: %v, want ErrUnsupported", out, err)
		}
	})
}

func TestSSHClientConnectErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	// A listener that accepts but never speaks: the login must time out.
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	t.Cleanup(func() { l.Close() })
	tests := []struct {
		name string
		port int
		want string
	}{
		{"connection refused", closedPort, "connection refused"},
		{"silent server times out", port, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := SSHConfig{Host: "127.0.0.1", Port: tt.port, User: "noc", Password: "x", KnownHosts: writeKnownHosts(t), ConnectTimeout: 500 * time.Millisecond}
			_, err := c.Run(context.Background(), "show users")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

// simSSH returns an SSHConfig for the simulator's SSH server that trusts
// its host key.
func simSSH(t testing.TB, sim *brassim.Sim) SSHConfig {
	t.Helper()
	host, port, err := net.SplitHostPort(sim.SSHAddr())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	kh := filepath.Join(t.TempDir(), "known_hosts")
	line := knownhosts.Line([]string{knownhosts.Normalize(sim.SSHAddr())}, sim.HostKey())
	if err := os.WriteFile(kh, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return SSHConfig{Host: host, Port: p, User: "noc", Password: "noc", KnownHosts: kh, ConnectTimeout: 5 * time.Second, CommandTimeout: 10 * time.Second}
}

func TestSSHSimulator(t *testing.T) {
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 200, Seed: 7, ExecTimestamps: true})
	ctx := context.Background()
	long := ""
	for _, s := range sim.Sessions() {
		if len(s.User) > UserCutWidth {
			long = s.User
			break
		}
	}
	if long == "" {
		t.Fatal("simulator has no username longer than the show users column")
	}
	for _, user := range []string{"MyUserName", long} {
		t.Run("password auth resolves like SNMP/"+user, func(t *testing.T) {
			wantIndex, wantName, ok := sim.Lookup(user)
			if !ok {
				t.Fatalf("simulator has no %s", user)
			}
			c := simSSH(t, sim)
			client := dialSim(t, sim)
			res, err := (&SSH{CLI: &c, Router: "sim", Confirm: client}).Resolve(ctx, user)
			if err != nil {
				t.Fatal(err)
			}
			if res.IfIndex != wantIndex || res.IfName != wantName || res.Note != "" {
				t.Errorf("got ifIndex %d %s (note %q), want %d %s confirmed", res.IfIndex, res.IfName, res.Note, wantIndex, wantName)
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		c := simSSH(t, sim)
		c.Password = "wrong"
		_, err := c.Run(ctx, "show users")
		if !errors.Is(err, ErrAuthFailed) || !strings.Contains(err.Error(), `"noc"`) || strings.Contains(err.Error(), "wrong") {
			t.Errorf("err = %v, want ErrAuthFailed for \"noc\" without the password", err)
		}
	})
	t.Run("prompted password asked once for all commands", func(t *testing.T) {
		c := simSSH(t, sim)
		c.Password = ""
		asked := 0
		c.PasswordPrompt = PromptOnce(func(context.Context, string) (string, error) { asked++; return "noc", nil })
		if _, err := (&SSH{CLI: &c, Router: "sim"}).Resolve(ctx, "MyUserName"); err != nil {
			t.Fatal(err)
		}
		if asked != 1 {
			t.Errorf("prompted %d times, want 1", asked)
		}
	})
	t.Run("legacy algorithms still connect", func(t *testing.T) {
		c := simSSH(t, sim)
		c.Legacy = true
		if _, err := c.Run(ctx, "show users"); err != nil {
			t.Fatal(err)
		}
	})
}

// dialSim returns an SNMP client of the simulator's agent.
func dialSim(t testing.TB, sim *brassim.Sim) snmp.Client {
	t.Helper()
	target, err := snmp.ParseTarget(sim.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c, err := snmp.Dial(context.Background(), snmp.Config{Target: target, Community: secret.Secret(sim.Community()), Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// startAgent serves an in-memory ssh-agent holding keyFile on a unix socket
// and returns the socket's path.
func startAgent(t *testing.T, keyFile string) string {
	t.Helper()
	b, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := ssh.ParseRawPrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	keyring := agent.NewKeyring()
	if err := keyring.Add(agent.AddedKey{PrivateKey: raw}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = agent.ServeAgent(keyring, c)
			}()
		}
	}()
	return sock
}

// TestSSHClientRealSshdPassword logs in to OpenSSH's sshd with a password
// (no key offered), from the config and from the prompt, and expects a
// wrong password to be an auth failure that names the user and not the
// password.
func TestSSHClientRealSshdPassword(t *testing.T) {
	const password = "noc-Secret-7"
	sshd := agenttest.StartSshd(t, fixtureOutputs(t, map[string]string{
		"show users": "show_users_ios.txt",
		"show snmp mib ifmib ifindex Virtual-Access1.195": "ifindex_one.txt",
	}), agenttest.WithSshdPassword(password))
	base := SSHConfig{Host: sshd.Host, Port: sshd.Port, User: sshd.User, KnownHosts: writeKnownHosts(t, sshd.KnownHostsLine()),
		ConnectTimeout: 5 * time.Second, CommandTimeout: 5 * time.Second}
	ctx := context.Background()

	t.Run("password resolves the user", func(t *testing.T) {
		c := base
		c.Password = password
		res, err := (&SSH{CLI: &c, Router: "sshd"}).Resolve(ctx, "MyUserName")
		if err != nil {
			t.Fatalf("Resolve with a password over real sshd: %v", err)
		}
		if res.IfIndex != 257 || res.IfDescr != "Virtual-Access1.195" {
			t.Errorf("got %+v", res)
		}
	})
	t.Run("prompted password, asked once", func(t *testing.T) {
		c := base
		asked := 0
		c.PasswordPrompt = PromptOnce(func(_ context.Context, prompt string) (string, error) {
			asked++
			if !strings.Contains(prompt, sshd.User+"@"+sshd.Host) {
				t.Errorf("prompt %q does not name user@host", prompt)
			}
			return password, nil
		})
		for i := 0; i < 2; i++ {
			if out, err := c.Run(ctx, "show users"); err != nil || !strings.Contains(out, "MyUserName") {
				t.Fatalf("run %d: %q, %v", i, out, err)
			}
		}
		if asked != 1 {
			t.Errorf("asked for the password %d times, want once", asked)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		c := base
		c.Password = "not-" + password
		_, err := c.Run(ctx, "show users")
		if !errors.Is(err, ErrAuthFailed) || !strings.Contains(err.Error(), strconv.Quote(sshd.User)) {
			t.Fatalf("err = %v, want ErrAuthFailed for %q", err, sshd.User)
		}
		if strings.Contains(err.Error(), password) {
			t.Errorf("error leaks the password: %v", err)
		}
	})
}

package ciscoresolve

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
)

// keyCopy copies a key file into a temp dir, with a passphrase when pass
// is not empty (ssh-keygen -p), and returns its path.
func keyCopy(t *testing.T, key, pass string) string {
	t.Helper()
	b, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if pass != "" {
		if out, err := exec.Command(agenttest.SSHKeygenPath, "-q", "-p", "-P", "", "-N", pass, "-f", dst).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen -p: %v: %s", err, out)
		}
	}
	return dst
}

// TestKeyWithPassphrase: a key file with a passphrase logs in to a real
// sshd; its passphrase is asked once per run (Keys), the decrypted key
// serves later logins, even those that may not ask; a wrong passphrase
// is not asked for again.
func TestKeyWithPassphrase(t *testing.T) {
	agenttest.SkipShort(t, "sshd")
	sshd := agenttest.StartSshd(t, map[string]string{"show users": "MyUserName\n"})
	const pass = "key-pass-phrase"
	key := keyCopy(t, sshd.ClientKey, pass)
	known := writeKnownHosts(t, sshd.KnownHostsLine())
	ctx := context.Background()
	newConfig := func(keys *Keys, answer string, asked *atomic.Int32) *SSHConfig {
		c := &SSHConfig{Host: sshd.Host, Port: sshd.Port, User: sshd.User, KeyFiles: []string{key}, KnownHosts: known, Keys: keys,
			ConnectTimeout: 5 * time.Second, CommandTimeout: 5 * time.Second}
		if asked != nil {
			c.PassphrasePrompt = func(_ context.Context, prompt string) (string, error) {
				asked.Add(1)
				if !strings.Contains(prompt, key) {
					t.Errorf("prompt %q does not name the key", prompt)
				}
				return answer, nil
			}
		}
		return c
	}

	keys, asked := &Keys{}, &atomic.Int32{}
	for i := 0; i < 2; i++ {
		if out, err := newConfig(keys, pass, asked).Run(ctx, "show users"); err != nil || !strings.Contains(out, "MyUserName") {
			t.Fatalf("login %d: %q, %v", i+1, out, err)
		}
	}
	if out, err := newConfig(keys, "", nil).Run(ctx, "show users"); err != nil || !strings.Contains(out, "MyUserName") {
		t.Fatalf("login without a prompt, the key decrypted before: %q, %v", out, err)
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("asked %d times for the passphrase, want once", n)
	}

	wrong, wrongAsked := &Keys{}, &atomic.Int32{}
	for i := 0; i < 2; i++ {
		_, err := newConfig(wrong, "not-the-pass", wrongAsked).Run(ctx, "show users")
		if err == nil || !strings.Contains(err.Error(), "wrong passphrase") || strings.Contains(err.Error(), "not-the-pass") {
			t.Errorf("wrong passphrase, login %d: %v", i+1, err)
		}
	}
	if n := wrongAsked.Load(); n != 1 {
		t.Errorf("asked %d times after a wrong passphrase, want once", n)
	}
}

// TestIdentitiesOnly: with IdentitiesOnly, the agent's keys that are not
// among KeyFiles are not offered, as ssh does.
func TestIdentitiesOnly(t *testing.T) {
	agenttest.SkipShort(t, "sshd")
	sshd := agenttest.StartSshd(t, map[string]string{"show users": "MyUserName\n"})
	other := filepath.Join(t.TempDir(), "other")
	if out, err := exec.Command(agenttest.SSHKeygenPath, "-q", "-t", "ed25519", "-N", "", "-f", other).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	c := SSHConfig{Host: sshd.Host, Port: sshd.Port, User: sshd.User, KeyFiles: []string{other}, KnownHosts: writeKnownHosts(t, sshd.KnownHostsLine()),
		AgentSocket: startAgent(t, sshd.ClientKey), ConnectTimeout: 5 * time.Second, CommandTimeout: 5 * time.Second}
	if _, err := c.Run(context.Background(), "show users"); err != nil {
		t.Fatalf("the agent's key, without IdentitiesOnly: %v", err)
	}
	c.IdentitiesOnly = true
	_, err := c.Run(context.Background(), "show users")
	var ae *AuthError
	if !errors.As(err, &ae) || strings.Contains(strings.Join(ae.Tried, ","), "ssh-agent") {
		t.Errorf("IdentitiesOnly with the right key only in the agent: %v, want an authentication failure without ssh-agent tried", err)
	}
}

package ciscoresolve

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
)

// TestSSHErrorMessages: what the SSH client says when it cannot log in
// tells the user what to change, once, and never an empty list of what
// it tried.
func TestSSHErrorMessages(t *testing.T) {
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 5, Seed: 7})
	ctx := context.Background()

	t.Run("wrong password says authentication failed once", func(t *testing.T) {
		c := simSSH(t, sim)
		c.Password = "wrong-password"
		_, err := c.Run(ctx, "show users")
		if !errors.Is(err, ErrAuthFailed) {
			t.Fatalf("err = %v, want ErrAuthFailed", err)
		}
		msg := err.Error()
		if n := strings.Count(strings.ToLower(msg), "authentication failed"); n != 1 {
			t.Errorf("%q says \"authentication failed\" %d times, want once", msg, n)
		}
		for _, w := range []string{`"noc"`, "tried password", "STG_SSH_PASS"} {
			if !strings.Contains(msg, w) {
				t.Errorf("%q lacks %q", msg, w)
			}
		}
	})
	t.Run("nothing to offer says how to give a password or key", func(t *testing.T) {
		c := simSSH(t, sim)
		c.Password = ""
		_, err := c.Run(ctx, "show users")
		if !errors.Is(err, ErrNoCredentials) || !errors.Is(err, ErrAuthFailed) {
			t.Fatalf("err = %v, want ErrNoCredentials (an ErrAuthFailed)", err)
		}
		msg := err.Error()
		if strings.Contains(msg, "(tried )") {
			t.Errorf("%q lists nothing tried", msg)
		}
		for _, w := range []string{`"noc"`, "STG_SSH_PASS", "ssh-agent", "~/.ssh/id_"} {
			if !strings.Contains(msg, w) {
				t.Errorf("%q lacks %q", msg, w)
			}
		}
	})
	t.Run("accept-new says it recorded the key", func(t *testing.T) {
		c := simSSH(t, sim)
		c.KnownHosts = writeKnownHosts(t)
		c.AcceptNew = true
		var notes []string
		c.Notify = func(msg string) { notes = append(notes, msg) }
		if _, err := c.Run(ctx, "show users"); err != nil {
			t.Fatal(err)
		}
		fp := sshFingerprint(sim)
		if len(notes) != 1 || !strings.Contains(notes[0], "recorded") || !strings.Contains(notes[0], fp) || !strings.Contains(notes[0], c.KnownHosts) {
			t.Errorf("notes %q, want one saying the key %s was recorded in %s", notes, fp, c.KnownHosts)
		}
		notes = nil
		if _, err := c.Run(ctx, "show users"); err != nil || len(notes) != 0 {
			t.Errorf("second run: %v, notes %q; want the key known and nothing said", err, notes)
		}
	})
	t.Run("changed key shows both fingerprints and how to remove the old one", func(t *testing.T) {
		c := simSSH(t, sim)
		other := otherKeyLine(t)
		c.KnownHosts = writeKnownHosts(t, "[127.0.0.1]:"+strconv.Itoa(c.Port)+" "+other)
		_, err := c.Run(ctx, "show users")
		if !errors.Is(err, ErrHostKeyChanged) {
			t.Fatalf("err = %v, want ErrHostKeyChanged", err)
		}
		for _, w := range []string{sshFingerprint(sim), fingerprint(t, other), c.KnownHosts + ":1",
			"ssh-keygen -R '[127.0.0.1]:" + strconv.Itoa(c.Port) + "' -f " + c.KnownHosts} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q lacks %q", err, w)
			}
		}
	})
}

// sshFingerprint is the SHA256 fingerprint of the simulator's host key.
func sshFingerprint(sim *brassim.Sim) string {
	return fingerprintOf(sim.HostKey())
}

// TestSSHPasswordPrompt: a prompt is cancelled with the context that asked
// (another resolver won the race), and the time the user takes to answer
// does not count against the login timeout.
func TestSSHPasswordPrompt(t *testing.T) {
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 5, Seed: 7})

	t.Run("cancelled while asking", func(t *testing.T) {
		c := simSSH(t, sim)
		c.Password = ""
		asking := make(chan struct{})
		c.PasswordPrompt = PromptOnce(func(ctx context.Context, _ string) (string, error) {
			close(asking)
			<-ctx.Done()
			return "", ctx.Err()
		})
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-asking; cancel() }()
		done := make(chan error, 1)
		go func() { _, err := c.Run(ctx, "show users"); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("Run did not return after its context was cancelled during the prompt")
		}
	})
	t.Run("a slow answer is not a login timeout", func(t *testing.T) {
		c := simSSH(t, sim)
		c.Password = ""
		c.ConnectTimeout = 300 * time.Millisecond
		c.PasswordPrompt = PromptOnce(func(ctx context.Context, _ string) (string, error) {
			select {
			case <-time.After(4 * c.ConnectTimeout): // the user types slowly
				return "noc", nil
			case <-ctx.Done():
				return "", ctx.Err()
			}
		})
		if out, err := c.Run(context.Background(), "show users"); err != nil || !strings.Contains(out, "Vi") {
			t.Errorf("got %q, %v; want show users after the slow answer", out, err)
		}
	})
	t.Run("asked again after a cancelled prompt, never after an answer", func(t *testing.T) {
		asked := 0
		p := PromptOnce(func(ctx context.Context, _ string) (string, error) {
			asked++
			if err := ctx.Err(); err != nil {
				return "", err
			}
			return "pw", nil
		})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := p(ctx, "p: "); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled prompt: %v", err)
		}
		for i := 0; i < 2; i++ {
			if pw, err := p(context.Background(), "p: "); pw != "pw" || err != nil {
				t.Fatalf("prompt %d: %q, %v", i, pw, err)
			}
		}
		if asked != 2 {
			t.Errorf("asked %d times, want 2 (the cancelled one and the answer)", asked)
		}
	})
}

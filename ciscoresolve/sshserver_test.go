package ciscoresolve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/stg-project/stg/secret"
)

// iosServer is a minimal in-test SSH server shaped by its ServerConfig: it
// answers one exec request with output (or never ends when hang is set) and
// closes without an exit status, as IOS does.
type iosServer struct {
	addr    string
	hostKey ssh.PublicKey
}

func startIOSServer(t *testing.T, conf *ssh.ServerConfig, output string, hang bool) *iosServer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	conf.AddHostKey(signer)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go serveIOS(c, conf, output, hang, done)
		}
	}()
	return &iosServer{addr: l.Addr().String(), hostKey: signer.PublicKey()}
}

func serveIOS(c net.Conn, conf *ssh.ServerConfig, output string, hang bool, done <-chan struct{}) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	conn, chans, reqs, err := ssh.NewServerConn(c, conf)
	if err != nil {
		return
	}
	defer conn.Close()
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		ch, chReqs, err := nc.Accept()
		if err != nil {
			return
		}
		for req := range chReqs {
			_ = req.Reply(req.Type == "exec", nil)
			if req.Type != "exec" {
				continue
			}
			_, _ = ch.Write([]byte(output))
			if hang {
				<-done
			}
			_ = ch.Close()
			return
		}
	}
}

// config returns an SSHConfig that trusts the server.
func (s *iosServer) config(t *testing.T) SSHConfig {
	t.Helper()
	host, port, _ := net.SplitHostPort(s.addr)
	p, _ := strconv.Atoi(port)
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte(knownhosts.Line([]string{knownhosts.Normalize(s.addr)}, s.hostKey)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return SSHConfig{Host: host, Port: p, User: "noc", Password: "pw", KnownHosts: kh, ConnectTimeout: 5 * time.Second, CommandTimeout: 5 * time.Second}
}

func TestSSHKeyboardInteractiveOnly(t *testing.T) {
	conf := &ssh.ServerConfig{KeyboardInteractiveCallback: func(c ssh.ConnMetadata, ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
		answers, err := ask("", "AAA login", []string{"Username: ", "Password: "}, []bool{true, false})
		if err == nil && len(answers) == 2 && answers[0] == "noc" && answers[1] == "pw" {
			return nil, nil
		}
		return nil, errors.New("denied")
	}}
	srv := startIOSServer(t, conf, "ok\n", false)
	tests := []struct {
		name, password string
		wantErr        error
	}{
		{"right password", "pw", nil},
		{"wrong password", "nope", ErrAuthFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := srv.config(t)
			c.Password = secret.Secret(tt.password)
			out, err := c.Run(context.Background(), "show users")
			if !errors.Is(err, tt.wantErr) || (err == nil && out != "ok\n") {
				t.Fatalf("got %q, %v; want error %v", out, err, tt.wantErr)
			}
		})
	}
}

func TestSSHLegacyAlgorithms(t *testing.T) {
	conf := &ssh.ServerConfig{
		Config:           ssh.Config{KeyExchanges: []string{ssh.InsecureKeyExchangeDH1SHA1}, Ciphers: []string{ssh.InsecureCipherAES128CBC}},
		PasswordCallback: func(ssh.ConnMetadata, []byte) (*ssh.Permissions, error) { return nil, nil },
	}
	srv := startIOSServer(t, conf, "old IOS\n", false)
	tests := []struct {
		legacy  bool
		wantErr bool
	}{
		{false, true},
		{true, false},
	}
	for _, tt := range tests {
		t.Run("legacy="+strconv.FormatBool(tt.legacy), func(t *testing.T) {
			c := srv.config(t)
			c.Legacy = tt.legacy
			out, err := c.Run(context.Background(), "show users")
			if (err != nil) != tt.wantErr {
				t.Fatalf("got %q, %v; want error %v", out, err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "handshake") {
				t.Errorf("error %q does not say the handshake failed", err)
			}
		})
	}
}

func TestSSHOutputHandling(t *testing.T) {
	pass := &ssh.ServerConfig{PasswordCallback: func(ssh.ConnMetadata, []byte) (*ssh.Permissions, error) { return nil, nil }}
	t.Run("no exit status and a pager prompt", func(t *testing.T) {
		srv := startIOSServer(t, pass, "a\n --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bb\n", false)
		c := srv.config(t)
		out, err := c.Run(context.Background(), "show users")
		if err != nil || out != "a\nb\n" {
			t.Fatalf("got %q, %v; want %q", out, err, "a\nb\n")
		}
	})
	t.Run("command timeout", func(t *testing.T) {
		srv := startIOSServer(t, &ssh.ServerConfig{PasswordCallback: pass.PasswordCallback}, "partial", true)
		c := srv.config(t)
		c.CommandTimeout = 300 * time.Millisecond
		_, err := c.Run(context.Background(), "show users")
		if err == nil || !strings.Contains(err.Error(), "no end of output after 300ms") {
			t.Fatalf("err = %v, want a command timeout", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		srv := startIOSServer(t, &ssh.ServerConfig{PasswordCallback: pass.PasswordCallback}, "partial", true)
		c := srv.config(t)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err := c.Run(ctx, "show users")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the context's deadline", err)
		}
	})
}

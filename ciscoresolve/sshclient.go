package ciscoresolve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/stg-project/stg/snmp"
)

// Errors of the SSH client that callers branch on.
var (
	// ErrHostKeyUnknown means the router's host key is not in known_hosts.
	ErrHostKeyUnknown = errors.New("unknown SSH host key")
	// ErrHostKeyChanged means the router offered a key other than the one
	// in known_hosts: possibly a man in the middle. It is always refused.
	ErrHostKeyChanged = errors.New("SSH host key changed")
	// ErrAuthFailed means the router refused every credential offered.
	ErrAuthFailed = errors.New("SSH authentication failed")
)

// maxOutput bounds what one command may print (a 32,000-session
// `show users` is about 2.5 MB).
const maxOutput = 64 << 20

// SSHConfig says how to reach a router's CLI. One exec command runs per
// connection, as IOS allows.
type SSHConfig struct {
	// Host is the router's name or address; Port defaults to 22.
	Host string
	Port int
	// User is the login name.
	User string
	// Password is used for password and keyboard-interactive auth; when
	// empty, PasswordPrompt (if set) asks for it when a connection first
	// needs it. Wrap the prompt with PromptOnce to ask once per process
	// rather than once per connection.
	Password       snmp.Secret
	PasswordPrompt func(prompt string) (string, error)
	// KeyFiles are private keys to offer; missing files are skipped.
	KeyFiles []string
	// AgentSocket is the ssh-agent socket (SSH_AUTH_SOCK); empty: no agent.
	AgentSocket string
	// KnownHosts is the known_hosts file host keys are checked against.
	KnownHosts string
	// AcceptNew trusts and records the key of a host not in KnownHosts.
	AcceptNew bool
	// Legacy enables diffie-hellman-group1-sha1, aes128-cbc and 3des-cbc
	// for old IOS.
	Legacy bool
	// ConnectTimeout bounds connecting and logging in; CommandTimeout bounds
	// one command's run. Zero means 10 s and 60 s.
	ConnectTimeout, CommandTimeout time.Duration
}

// DefaultKeyFiles returns the usual private key files under home/.ssh.
func DefaultKeyFiles(home string) []string {
	var out []string
	for _, n := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
		out = append(out, filepath.Join(home, ".ssh", n))
	}
	return out
}

// addr returns host:port.
func (c *SSHConfig) addr() string {
	port := c.Port
	if port == 0 {
		port = 22
	}
	return net.JoinHostPort(c.Host, strconv.Itoa(port))
}

// HostKeyError is a refused host key: unknown or changed.
type HostKeyError struct {
	// Addr is the host:port connected to.
	Addr string
	// Fingerprint is the SHA256 fingerprint of the key the host offered;
	// KeyType its algorithm.
	Fingerprint, KeyType string
	// KnownHosts is the file checked; Known lists the file:line entries
	// that hold a different key (empty for an unknown host).
	KnownHosts string
	Known      []string
	// Err is ErrHostKeyUnknown or ErrHostKeyChanged.
	Err error
}

// Error implements error.
func (e *HostKeyError) Error() string {
	if errors.Is(e.Err, ErrHostKeyChanged) {
		return fmt.Sprintf("ssh to %s: host key CHANGED: the host offered %s %s, which does not match %s; refusing to connect (if the router's key really changed, remove the old line)",
			e.Addr, e.KeyType, e.Fingerprint, strings.Join(e.Known, ", "))
	}
	return fmt.Sprintf("ssh to %s: unknown host key %s %s (not in %s): check the fingerprint, then run once with --ssh-accept-new to trust and record it",
		e.Addr, e.KeyType, e.Fingerprint, e.KnownHosts)
}

// Unwrap returns ErrHostKeyUnknown or ErrHostKeyChanged.
func (e *HostKeyError) Unwrap() error { return e.Err }

// hostKeys builds the host key check and the host key algorithms to ask
// for: those of the keys known_hosts holds for the host, so that a server
// with several keys is not taken for a changed one.
func (c *SSHConfig) hostKeys() (ssh.HostKeyCallback, []string, error) {
	if c.KnownHosts == "" {
		return nil, nil, errors.New("no known_hosts file configured")
	}
	known, err := knownhosts.New(c.KnownHosts)
	if errors.Is(err, fs.ErrNotExist) {
		known = func(string, net.Addr, ssh.PublicKey) error { return &knownhosts.KeyError{} }
	} else if err != nil {
		return nil, nil, fmt.Errorf("read known hosts %s: %w", c.KnownHosts, err)
	}
	algos := knownKeyAlgorithms(known, c.addr())
	var mu sync.Mutex
	check := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := known(hostname, remote, key)
		var ke *knownhosts.KeyError
		var re *knownhosts.RevokedError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &re):
			return fmt.Errorf("ssh to %s: host key %s is revoked in %s", hostname, ssh.FingerprintSHA256(key), c.KnownHosts)
		case !errors.As(err, &ke):
			return fmt.Errorf("ssh to %s: check host key: %w", hostname, err)
		}
		hk := &HostKeyError{Addr: hostname, Fingerprint: ssh.FingerprintSHA256(key), KeyType: key.Type(), KnownHosts: c.KnownHosts}
		if len(ke.Want) > 0 {
			for _, w := range ke.Want {
				hk.Known = append(hk.Known, fmt.Sprintf("%s:%d", w.Filename, w.Line))
			}
			hk.Err = ErrHostKeyChanged
			return hk
		}
		if !c.AcceptNew {
			hk.Err = ErrHostKeyUnknown
			return hk
		}
		mu.Lock()
		defer mu.Unlock()
		return appendKnownHost(c.KnownHosts, hostname, key)
	}
	return check, algos, nil
}

// knownKeyAlgorithms asks the known_hosts check about a throwaway key to
// learn which key types the file holds for addr, and returns the host key
// algorithms to offer: those first, then the others.
func knownKeyAlgorithms(known ssh.HostKeyCallback, addr string) []string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil
	}
	probe, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil
	}
	var ke *knownhosts.KeyError
	if !errors.As(known(addr, &net.TCPAddr{}, probe), &ke) {
		return nil
	}
	if len(ke.Want) == 0 {
		return nil // unknown host: x/crypto's defaults
	}
	var algos []string
	for _, w := range ke.Want {
		switch t := w.Key.Type(); t {
		case ssh.KeyAlgoRSA:
			algos = append(algos, ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA)
		default:
			algos = append(algos, t)
		}
	}
	// Then every other type, so that a host whose key type changed is
	// reported as a changed key rather than as a failed negotiation.
	// ssh-rsa (SHA-1) is added by hand: IOS 15 offers nothing else, and
	// SupportedAlgorithms leaves it out.
	algos = append(algos, ssh.SupportedAlgorithms().HostKeys...)
	algos = append(algos, ssh.KeyAlgoRSA)
	seen := map[string]bool{}
	out := algos[:0]
	for _, a := range algos {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out
}

// appendKnownHost records key for hostname, creating the file (0600) and
// its directory (0700) when needed.
func appendKnownHost(file, hostname string, key ssh.PublicKey) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return fmt.Errorf("record host key of %s: %w", hostname, err)
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("record host key of %s: %w", hostname, err)
	}
	_, err = fmt.Fprintln(f, knownhosts.Line([]string{knownhosts.Normalize(hostname)}, key))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("record host key of %s in %s: %w", hostname, file, err)
	}
	return nil
}

// legacyKex and legacyCiphers are x/crypto's defaults (which
// ssh.SupportedAlgorithms does not list in full: it leaves out
// diffie-hellman-group14-sha1, which IOS 15 needs) plus what old IOS needs.
var (
	legacyKex = []string{
		ssh.KeyExchangeMLKEM768X25519, ssh.KeyExchangeCurve25519, ssh.KeyExchangeECDHP256,
		ssh.KeyExchangeECDHP384, ssh.KeyExchangeECDHP521, ssh.KeyExchangeDH14SHA256,
		ssh.InsecureKeyExchangeDH14SHA1, ssh.InsecureKeyExchangeDH1SHA1,
	}
	legacyCiphers = []string{
		ssh.CipherAES128GCM, ssh.CipherAES256GCM, ssh.CipherChaCha20Poly1305,
		ssh.CipherAES128CTR, ssh.CipherAES192CTR, ssh.CipherAES256CTR,
		ssh.InsecureCipherAES128CBC, ssh.InsecureCipherTripleDESCBC,
	}
)

// clientConfig builds the ssh.ClientConfig; the returned closer releases the
// agent connection.
func (c *SSHConfig) clientConfig() (*ssh.ClientConfig, func(), []string, error) {
	check, algos, err := c.hostKeys()
	if err != nil {
		return nil, nil, nil, err
	}
	cfg := &ssh.ClientConfig{
		User:              c.User,
		HostKeyCallback:   check,
		HostKeyAlgorithms: algos,
		Timeout:           c.connectTimeout(),
	}
	if c.Legacy {
		cfg.KeyExchanges = legacyKex
		cfg.Ciphers = legacyCiphers
	}
	closer := func() {}
	var signers []ssh.Signer
	var tried []string
	if c.AgentSocket != "" {
		if conn, err := net.Dial("unix", c.AgentSocket); err == nil {
			closer = func() { conn.Close() }
			if s, err := agent.NewClient(conn).Signers(); err == nil && len(s) > 0 {
				signers = append(signers, s...)
				tried = append(tried, "ssh-agent")
			}
		}
	}
	for _, f := range c.KeyFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		s, err := ssh.ParsePrivateKey(b)
		if err != nil {
			continue // encrypted or not a key: the agent may hold it
		}
		signers = append(signers, s)
		tried = append(tried, "key "+f)
	}
	if len(signers) > 0 {
		cfg.Auth = append(cfg.Auth, ssh.PublicKeys(signers...))
	}
	if c.Password != "" || c.PasswordPrompt != nil {
		pw := c.passwordSource()
		cfg.Auth = append(cfg.Auth, ssh.PasswordCallback(pw), ssh.KeyboardInteractive(
			func(_, _ string, questions []string, echos []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i := range questions {
					if echos[i] {
						answers[i] = c.User
						continue
					}
					p, err := pw()
					if err != nil {
						return nil, err
					}
					answers[i] = p
				}
				return answers, nil
			}))
		tried = append(tried, "password", "keyboard-interactive")
	}
	return cfg, closer, tried, nil
}

// passwordSource returns the password, asking PasswordPrompt at most once.
func (c *SSHConfig) passwordSource() func() (string, error) {
	var once sync.Once
	var pw string
	var err error
	return func() (string, error) {
		once.Do(func() {
			if c.Password != "" {
				pw = c.Password.Reveal()
				return
			}
			pw, err = c.PasswordPrompt(fmt.Sprintf("%s@%s's password: ", c.User, c.Host))
		})
		return pw, err
	}
}

// PromptOnce wraps a password prompt so that it asks once and then returns
// the first answer (or error) to every later call.
func PromptOnce(prompt func(string) (string, error)) func(string) (string, error) {
	var once sync.Once
	var pw string
	var err error
	return func(p string) (string, error) {
		once.Do(func() { pw, err = prompt(p) })
		return pw, err
	}
}

func (c *SSHConfig) connectTimeout() time.Duration {
	if c.ConnectTimeout > 0 {
		return c.ConnectTimeout
	}
	return 10 * time.Second
}

func (c *SSHConfig) commandTimeout() time.Duration {
	if c.CommandTimeout > 0 {
		return c.CommandTimeout
	}
	return 60 * time.Second
}

// Run connects, runs one exec command and returns its output with any
// `--More--` prompts removed. A missing exit status (IOS) is success; the
// caller checks the text for `% Invalid input`.
func (c *SSHConfig) Run(ctx context.Context, command string) (string, error) {
	addr := c.addr()
	cfg, closeAgent, tried, err := c.clientConfig()
	if err != nil {
		return "", fmt.Errorf("ssh to %s: %w", addr, err)
	}
	defer closeAgent()
	dctx, cancel := context.WithTimeout(ctx, c.connectTimeout())
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("ssh to %s: connect: %w", addr, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(dctx, func() { conn.SetDeadline(time.Now()) })
	sc, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	stop()
	if err != nil {
		var hk *HostKeyError
		switch {
		case errors.As(err, &hk):
			return "", hk
		case strings.Contains(err.Error(), "unable to authenticate"):
			return "", fmt.Errorf("ssh to %s: authentication failed for user %q (tried %s): %w", addr, c.User, strings.Join(tried, ", "), ErrAuthFailed)
		case dctx.Err() != nil && ctx.Err() == nil:
			return "", fmt.Errorf("ssh to %s: connect and log in: timeout after %v", addr, c.connectTimeout())
		}
		return "", fmt.Errorf("ssh to %s: handshake: %w", addr, err)
	}
	client := ssh.NewClient(sc, chans, reqs)
	defer client.Close()
	return runCommand(ctx, client, addr, command, c.commandTimeout())
}

// runCommand runs command in a new session, bounded by timeout and ctx.
func runCommand(ctx context.Context, client *ssh.Client, addr, command string, timeout time.Duration) (string, error) {
	sess, err := client.NewSession()
	if err != nil {
		return "", fmt.Errorf("ssh to %s: open session: %w", addr, err)
	}
	defer sess.Close()
	var out limitedBuffer
	sess.Stdout = &out
	sess.Stderr = &out
	done := make(chan error, 1)
	go func() { done <- sess.Run(command) }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err = <-done:
	case <-ctx.Done():
		client.Close()
		<-done
		return "", fmt.Errorf("ssh to %s: run %q: %w", addr, command, ctx.Err())
	case <-timer.C:
		client.Close()
		<-done
		return "", fmt.Errorf("ssh to %s: run %q: no end of output after %v", addr, command, timeout)
	}
	var missing *ssh.ExitMissingError
	if err != nil && !errors.As(err, &missing) {
		return "", fmt.Errorf("ssh to %s: run %q: %w", addr, command, err)
	}
	if out.over {
		return "", fmt.Errorf("ssh to %s: run %q: output longer than %d bytes", addr, command, maxOutput)
	}
	return cleanPager(out.String()), nil
}

// limitedBuffer keeps the first maxOutput bytes written to it.
type limitedBuffer struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	over bool
}

// Write keeps p, or fails once the limit would be passed.
func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len()+len(p) > maxOutput {
		b.over = true
		return 0, io.ErrShortWrite
	}
	return b.buf.Write(p)
}

// String returns what was kept.
func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

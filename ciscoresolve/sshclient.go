package ciscoresolve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/stg-project/stg/secret"
)

// Errors of the SSH client that callers branch on.
var (
	// ErrHostKeyUnknown means the router's host key is not in known_hosts.
	ErrHostKeyUnknown = errors.New("unknown SSH host key")
	// ErrHostKeyChanged means the router offered a key other than the one
	// in known_hosts: possibly a man in the middle. It is always refused.
	ErrHostKeyChanged = errors.New("SSH host key changed")
	// ErrAuthFailed means the router refused every credential offered, or
	// there was none to offer (ErrNoCredentials).
	ErrAuthFailed = errors.New("SSH authentication failed")
	// ErrNoCredentials means there was neither a password (nor a way to
	// ask for one) nor a key to offer. It matches ErrAuthFailed too.
	ErrNoCredentials = fmt.Errorf("no SSH password or key to offer: %w", ErrAuthFailed)
)

// AuthError is a login the router refused. It matches ErrAuthFailed.
type AuthError struct {
	// Addr is the host:port connected to; User the login name.
	Addr, User string
	// Tried lists the credentials offered, such as "password" or
	// "key /home/noc/.ssh/id_ed25519".
	Tried []string
}

// Error implements error.
func (e *AuthError) Error() string {
	return fmt.Sprintf("ssh to %s: authentication failed for user %q (tried %s): check --ssh-user and the password (STG_SSH_PASS or the prompt), or offer a key the router accepts",
		e.Addr, e.User, strings.Join(e.Tried, ", "))
}

// Unwrap returns ErrAuthFailed.
func (e *AuthError) Unwrap() error { return ErrAuthFailed }

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
	// needs it, with the context of the Run that needs it: a prompt must
	// return when that context ends. Wrap the prompt with PromptOnce to
	// ask once per process rather than once per connection. The time the
	// prompt takes does not count against ConnectTimeout.
	Password       secret.Secret
	PasswordPrompt func(ctx context.Context, prompt string) (string, error)
	// KeyFiles are private keys to offer; missing files are skipped. A
	// key with a passphrase is offered when Keys is set: decrypted with
	// the passphrase PassphrasePrompt asks (once per run, kept in Keys),
	// or skipped when there is no prompt and Keys does not hold it yet.
	KeyFiles         []string
	Keys             *Keys
	PassphrasePrompt func(ctx context.Context, prompt string) (string, error)
	// IdentitiesOnly offers only the KeyFiles (the agent's copies
	// included), not every key ssh-agent holds.
	IdentitiesOnly bool
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
	// Notify, when set, is told what the client did that the user should
	// know, such as recording a host key under AcceptNew.
	Notify func(msg string)
	// Jumps are the ProxyJump hosts the connection goes through, first
	// first: each is logged in to with its own settings (keys only, no
	// password), its host key checked, then asked for a channel to the
	// next; their Jumps are not used.
	Jumps []*SSHConfig
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

// clientConfig builds the ssh.ClientConfig of one connection; the
// returned closer releases the agent connection, and tried lists what is
// offered. A password prompt runs with ctx and pauses login's deadline.
func (c *SSHConfig) clientConfig(ctx context.Context, login *loginDeadline) (*ssh.ClientConfig, func(), []string, error) {
	signers, tried, closer := c.keySigners(ctx, login)
	if len(signers) == 0 && c.Password == "" && c.PasswordPrompt == nil {
		closer()
		return nil, nil, nil, fmt.Errorf("ssh to %s as %q: %w: set STG_SSH_PASS, run stg on a terminal to be asked for the password, "+
			"or offer a key (~/.ssh/id_ed25519, id_ecdsa, id_rsa, or one loaded in ssh-agent)", c.addr(), c.User, ErrNoCredentials)
	}
	check, algos, err := c.hostKeys()
	if err != nil {
		closer()
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
	if len(signers) > 0 {
		cfg.Auth = append(cfg.Auth, ssh.PublicKeys(signers...))
	}
	if c.Password != "" || c.PasswordPrompt != nil {
		pw := c.passwordSource(ctx, login)
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

// passwordSource returns the password, asking PasswordPrompt at most once
// per connection; login's deadline waits while the prompt is up.
func (c *SSHConfig) passwordSource(ctx context.Context, login *loginDeadline) func() (string, error) {
	var once sync.Once
	var pw string
	var err error
	return func() (string, error) {
		once.Do(func() {
			if c.Password != "" {
				pw = c.Password.Reveal()
				return
			}
			login.pause()
			defer login.resume()
			pw, err = c.PasswordPrompt(ctx, fmt.Sprintf("%s@%s's password: ", c.User, c.Host))
		})
		return pw, err
	}
}

// PromptOnce wraps a password prompt so that it asks until it gets an
// answer, then returns that answer to every later call without asking. A
// prompt cut short by its context is not an answer: the next call asks
// again. Calls wait for a prompt in progress.
func PromptOnce(prompt func(ctx context.Context, prompt string) (string, error)) func(context.Context, string) (string, error) {
	var (
		mu       sync.Mutex
		answered bool
		pw       string
		failed   error
	)
	return func(ctx context.Context, p string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if answered || failed != nil {
			return pw, failed
		}
		got, err := prompt(ctx, p)
		switch {
		case err == nil:
			answered, pw = true, got
		case ctx.Err() == nil:
			failed = err // no terminal, say: asking again would not help
		}
		return got, err
	}
}

// loginDeadline bounds connecting and logging in on a connection, except
// while a password prompt waits for the user.
type loginDeadline struct {
	mu        sync.Mutex
	conn      net.Conn
	timeout   time.Duration
	at        time.Time
	cancelled bool
	// timer closes conn at the deadline: a channel through a jump host
	// has no deadlines of its own.
	timer *time.Timer
}

// start sets conn's deadline timeout from now.
func (l *loginDeadline) start(conn net.Conn) {
	l.mu.Lock()
	l.conn = conn
	l.mu.Unlock()
	l.resume()
}

// pause lifts the deadline while the user is asked for the password.
func (l *loginDeadline) pause() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.cancelled {
		_ = l.conn.SetDeadline(time.Time{})
		l.stopTimer()
	}
}

// resume sets the deadline timeout from now.
func (l *loginDeadline) resume() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.cancelled {
		l.at = time.Now().Add(l.timeout)
		_ = l.conn.SetDeadline(l.at)
		l.stopTimer()
		conn := l.conn
		l.timer = time.AfterFunc(l.timeout, func() { conn.Close() })
	}
}

// stopTimer stops the timer of the deadline; l.mu is held.
func (l *loginDeadline) stopTimer() {
	if l.timer != nil {
		l.timer.Stop()
	}
}

// cancel ends the login at once, for good.
func (l *loginDeadline) cancel() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cancelled = true
	l.stopTimer()
	_ = l.conn.SetDeadline(time.Now())
	_ = l.conn.Close()
}

// clear removes the deadline once logged in: commands have their own.
func (l *loginDeadline) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.cancelled {
		_ = l.conn.SetDeadline(time.Time{})
		l.stopTimer()
	}
}

// expired reports whether the login ran out of time (not cancelled).
func (l *loginDeadline) expired() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.cancelled && !time.Now().Before(l.at)
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
	conn, closeJumps, err := c.dial(ctx)
	if err != nil {
		return "", err
	}
	defer closeJumps()
	client, err := c.login(ctx, conn)
	if err != nil {
		return "", err
	}
	defer client.Close()
	return runCommand(ctx, client, c.addr(), command, c.commandTimeout())
}

// dial connects to the host: over TCP, or through its Jumps. The returned
// func closes the jump hosts' connections.
func (c *SSHConfig) dial(ctx context.Context) (net.Conn, func(), error) {
	if len(c.Jumps) > 0 {
		return c.dialJumps(ctx)
	}
	conn, err := c.dialTCP(ctx)
	return conn, func() {}, err
}

// dialTCP opens the TCP connection to the host, within ConnectTimeout.
func (c *SSHConfig) dialTCP(ctx context.Context) (net.Conn, error) {
	addr := c.addr()
	dctx, cancel := context.WithTimeout(ctx, c.connectTimeout())
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", addr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("ssh to %s: connect: %w", addr, ctx.Err())
		}
		return nil, fmt.Errorf("ssh to %s: connect: %w", addr, err)
	}
	return conn, nil
}

// login logs in over conn, the host key checked, within ConnectTimeout
// but for the time a prompt waits for the user. It closes conn when it
// fails.
func (c *SSHConfig) login(ctx context.Context, conn net.Conn) (*ssh.Client, error) {
	addr := c.addr()
	login := &loginDeadline{timeout: c.connectTimeout()}
	cfg, closeAgent, tried, err := c.clientConfig(ctx, login)
	if err != nil {
		conn.Close()
		if errors.Is(err, ErrNoCredentials) {
			return nil, err
		}
		return nil, fmt.Errorf("ssh to %s: %w", addr, err)
	}
	defer closeAgent()
	login.start(conn)
	stop := context.AfterFunc(ctx, login.cancel)
	sc, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	stop() // from here on, runCommand answers ctx
	if err != nil {
		conn.Close()
		var hk *HostKeyError
		switch {
		case errors.As(err, &hk):
			return nil, hk
		case ctx.Err() != nil:
			return nil, fmt.Errorf("ssh to %s: log in: %w", addr, ctx.Err())
		case strings.Contains(err.Error(), "unable to authenticate"):
			return nil, &AuthError{Addr: addr, User: c.User, Tried: tried}
		case login.expired():
			return nil, fmt.Errorf("ssh to %s: connect and log in: timeout after %v", addr, c.connectTimeout())
		}
		return nil, fmt.Errorf("ssh to %s: handshake: %w", addr, err)
	}
	login.clear()
	return ssh.NewClient(sc, chans, reqs), nil
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

package agenttest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// SshdPath and SSHKeygenPath are the OpenSSH programs the tests run (Debian
// package openssh-server).
var (
	SshdPath      = "/usr/sbin/sshd"
	SSHKeygenPath = "/usr/bin/ssh-keygen"
	// UnsharePath (util-linux) and OpensslPath (Debian package openssl)
	// serve WithSshdPassword.
	UnsharePath = "/usr/bin/unshare"
	OpensslPath = "/usr/bin/openssl"
)

// privsepDir is the directory OpenSSH's sshd needs when started as root.
const privsepDir = "/run/sshd"

// InvalidInput is what the replay script prints for a command it has no
// output for, as IOS does.
const InvalidInput = "% Invalid input detected at '^' marker."

// Sshd is a running OpenSSH sshd on a loopback port that logs in the
// current user with a key made for the test and, whatever the client asks
// to run, executes a forced command that replays fixed IOS outputs.
type Sshd struct {
	// Host and Port are where sshd listens (127.0.0.1).
	Host string
	Port int
	// User is the account that may log in (the user running the test).
	User string
	// ClientKey is the private key file (ed25519, no passphrase) whose
	// public half is authorized for User.
	ClientKey string
	// HostKeyLine is sshd's public host key in authorized_keys format
	// ("ssh-ed25519 AAAA...").
	HostKeyLine string
	// Password, when set by WithSshdPassword, also logs User in.
	Password string
	// Forwarding, set by WithSshdForwarding, lets clients open TCP
	// channels through this sshd, as a ProxyJump host does.
	Forwarding bool

	dir  string
	proc *process
}

// SshdOption changes how StartSshd runs sshd.
type SshdOption func(*Sshd)

// WithSshdPassword lets User log in with password pw as well. sshd checks
// passwords against /etc/shadow, so it runs in a mount namespace of its own
// in which a shadow file holding only User with pw's hash is mounted over
// the real file: the machine's accounts are not touched. It needs root.
func WithSshdPassword(pw string) SshdOption {
	return func(s *Sshd) { s.Password = pw }
}

// WithSshdForwarding lets clients open TCP channels (direct-tcpip)
// through sshd, so that it can serve as a jump host (ssh -J).
func WithSshdForwarding() SshdOption {
	return func(s *Sshd) { s.Forwarding = true }
}

// Addr returns "127.0.0.1:PORT".
func (s *Sshd) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// KnownHostsLine returns a known_hosts line trusting this sshd's host key.
func (s *Sshd) KnownHostsLine() string {
	return fmt.Sprintf("[%s]:%d %s", s.Host, s.Port, s.HostKeyLine)
}

// Commands returns the commands clients asked to run, in order.
func (s *Sshd) Commands() []string {
	b, err := os.ReadFile(filepath.Join(s.dir, "commands.log"))
	if err != nil {
		return nil
	}
	return strings.FieldsFunc(string(b), func(r rune) bool { return r == '\n' })
}

// StartSshd runs /usr/sbin/sshd -D -e on a free loopback TCP port with a
// configuration of its own in a temp dir (fresh host key, key auth only
// unless WithSshdPassword, StrictModes off, no PAM) and a ForceCommand that
// prints outputs[command] for the command the client sent, or IOS's
// `% Invalid input` otherwise. It waits until sshd greets, and stops it
// when the test ends.
func StartSshd(t testing.TB, outputs map[string]string, opts ...SshdOption) *Sshd {
	t.Helper()
	sshd := program(t, "sshd", SshdPath)
	u, err := user.Current()
	if err != nil {
		t.Fatalf("find the current user: %v", err)
	}
	if os.Geteuid() == 0 {
		if err := os.MkdirAll(privsepDir, 0o755); err != nil {
			t.Fatalf("make sshd's privilege separation dir: %v", err)
		}
	}
	dir := tempDir(t, "stg-sshd-*", 0o700)
	s := &Sshd{Host: "127.0.0.1", User: u.Username, ClientKey: filepath.Join(dir, "client_ed25519"), dir: dir}
	for _, o := range opts {
		o(s)
	}
	var shadow, unshare string
	if s.Password != "" {
		shadow, unshare = s.writeShadow(t), program(t, "unshare", UnsharePath)
	}
	hostKey := filepath.Join(dir, "ssh_host_ed25519_key")
	for _, k := range []string{hostKey, s.ClientKey} {
		if out, err := exec.Command(SSHKeygenPath, "-q", "-t", "ed25519", "-N", "", "-C", "stg-test", "-f", k).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen %s: %v: %s", k, err, out)
		}
	}
	s.HostKeyLine = readPublicKey(t, hostKey+".pub")
	writeFile(t, filepath.Join(dir, "authorized_keys"), readPublicKey(t, s.ClientKey+".pub")+"\n", 0o600)
	writeFile(t, filepath.Join(dir, "ios.sh"), replayScript(t, dir, outputs), 0o755)

	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		s.Port = freeTCPPort(t)
		conf := filepath.Join(dir, "sshd_config")
		writeFile(t, conf, sshdConfig(dir, hostKey, s.Port, s.Password != "", s.Forwarding), 0o600)
		if lastErr = s.start(sshd, conf, unshare, shadow); lastErr == nil {
			break
		}
	}
	if lastErr != nil {
		t.Fatal(lastErr)
	}
	t.Cleanup(func() {
		if err := s.proc.stop(); err != nil {
			t.Errorf("stop sshd: %v", err)
		}
	})
	return s
}

// start runs sshd with conf and waits for its SSH banner. With a shadow
// file, sshd runs in a new mount namespace (unshare) with shadow over
// /etc/shadow.
func (s *Sshd) start(sshd, conf, unshare, shadow string) error {
	path, args := sshd, []string{"-D", "-e", "-f", conf}
	if shadow != "" {
		path = unshare
		args = append([]string{"--mount", "--propagation", "private", "/bin/sh", "-c",
			`mount --bind "$0" /etc/shadow && exec "$@"`, shadow, sshd}, args...)
	}
	p, err := startProcess("sshd", path, args, nil)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if p.exited() {
			return fmt.Errorf("sshd exited before listening on %s (%v); output:\n%s", s.Addr(), p.err, p.out)
		}
		if banner(s.Addr()) {
			s.proc = p
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = p.stop()
	return fmt.Errorf("sshd did not greet on %s within 10s; output:\n%s", s.Addr(), p.out)
}

// banner reports whether an SSH server greets on addr.
func banner(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "SSH-2.0-")
}

// writeShadow writes a shadow file giving User the password Password
// (hashed by `openssl passwd -6`) and returns its path.
func (s *Sshd) writeShadow(t testing.TB) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatalf("a password login on OpenSSH sshd needs root (sshd reads /etc/shadow): run the tests as root")
	}
	cmd := exec.Command(OpensslPath, "passwd", "-6", "-stdin")
	cmd.Stdin = strings.NewReader(s.Password + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openssl passwd: %v", err)
	}
	// Only User's entry: sshd looks up nobody else, and no other
	// account's hash is copied.
	line := s.User + ":" + strings.TrimSpace(string(out)) + ":19000:0:99999:7:::\n"
	path := filepath.Join(s.dir, "shadow")
	writeFile(t, path, line, 0o600)
	return path
}

// sshdConfig is a minimal sshd_config: loopback, key auth (and password
// auth when asked), TCP forwarding when asked, the replay script forced
// for every login.
func sshdConfig(dir, hostKey string, port int, password, forwarding bool) string {
	passwordAuth, rootLogin, tcpForwarding := "no", "prohibit-password", "no"
	if password {
		passwordAuth, rootLogin = "yes", "yes"
	}
	if forwarding {
		tcpForwarding = "local"
	}
	lines := []string{
		"ListenAddress 127.0.0.1:" + strconv.Itoa(port),
		"HostKey " + hostKey,
		"PidFile " + filepath.Join(dir, "sshd.pid"),
		"AuthorizedKeysFile " + filepath.Join(dir, "authorized_keys"),
		"ForceCommand " + filepath.Join(dir, "ios.sh"),
		"UsePAM no",
		"StrictModes no",
		"PermitRootLogin " + rootLogin,
		"PubkeyAuthentication yes",
		"PasswordAuthentication " + passwordAuth,
		"KbdInteractiveAuthentication no",
		"AllowTcpForwarding " + tcpForwarding,
		"AllowAgentForwarding no",
		"X11Forwarding no",
		"PermitTTY no",
		"PrintMotd no",
		"PrintLastLog no",
		"UseDNS no",
		"LogLevel ERROR",
	}
	return strings.Join(lines, "\n") + "\n"
}

// replayScript writes each output to a file and returns a shell script that
// logs $SSH_ORIGINAL_COMMAND and prints the matching file.
func replayScript(t testing.TB, dir string, outputs map[string]string) string {
	t.Helper()
	cmds := make([]string, 0, len(outputs))
	for c := range outputs {
		cmds = append(cmds, c)
	}
	sort.Strings(cmds)
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	fmt.Fprintf(&b, "printf '%%s\\n' \"$SSH_ORIGINAL_COMMAND\" >> %s\n", shellQuote(filepath.Join(dir, "commands.log")))
	b.WriteString("case \"$SSH_ORIGINAL_COMMAND\" in\n")
	for i, c := range cmds {
		file := filepath.Join(dir, "out"+strconv.Itoa(i)+".txt")
		writeFile(t, file, outputs[c], 0o644)
		fmt.Fprintf(&b, "%s) cat %s ;;\n", shellQuote(c), shellQuote(file))
	}
	fmt.Fprintf(&b, "*) printf '%%s\\n' %s ;;\nesac\n", shellQuote(InvalidInput))
	return b.String()
}

// shellQuote quotes s for sh, also as a literal case pattern.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// freeTCPPort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freeTCPPort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free TCP port on 127.0.0.1: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func readPublicKey(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read public key: %v", err)
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		t.Fatalf("public key %s: unexpected content", path)
	}
	return f[0] + " " + f[1]
}

func writeFile(t testing.TB, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
}

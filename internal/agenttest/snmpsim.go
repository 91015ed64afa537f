package agenttest

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// SnmpsimPath is the snmpsim agent the tests run (Debian package snmpsim).
var SnmpsimPath = "/usr/bin/snmpsimd"

// V3User is an SNMPv3 user snmpsimd accepts. Protocols use snmpsimd's
// names: auth MD5, SHA, SHA224..SHA512; priv DES, 3DES, AES, AES192, AES256.
type V3User struct {
	Name      string
	AuthProto string
	AuthKey   string
	PrivProto string
	PrivKey   string
}

// SnmpsimOption changes how StartSnmpsim runs snmpsimd.
type SnmpsimOption func(*snmpsimConfig)

type snmpsimConfig struct {
	v3           *V3User
	cacheDir     string
	startTimeout time.Duration
}

// WithV3User makes snmpsimd accept SNMPv3 requests from u. Over SNMPv3 the
// context name selects the data file, as the community does over v1/v2c:
// DIR/name.snmprec answers context "name".
func WithV3User(u V3User) SnmpsimOption {
	return func(c *snmpsimConfig) { c.v3 = &u }
}

// WithCacheDir keeps snmpsimd's index in dir (made writable for nobody)
// instead of a fresh temp dir, so a large data file is indexed once. The
// index is only reused when the data files are read in place, that is when
// their directory is readable by other users.
func WithCacheDir(dir string) SnmpsimOption {
	return func(c *snmpsimConfig) { c.cacheDir = dir }
}

// WithStartTimeout bounds the wait for snmpsimd's first answer (default
// 20 s; indexing 350,000 lines takes about 15 s).
func WithStartTimeout(d time.Duration) SnmpsimOption {
	return func(c *snmpsimConfig) { c.startTimeout = d }
}

// Snmpsim is a running snmpsimd. The community of DIR/name.snmprec is name.
type Snmpsim struct {
	// Target is the agent's address, udp on 127.0.0.1.
	Target snmp.Target
	// Communities are the data files' names, one community each.
	Communities []string

	path    string // snmpsimd
	args    []string
	cfg     snmpsimConfig
	mu      sync.Mutex
	proc    *process
	stopped bool
}

// Addr returns the agent's "127.0.0.1:PORT".
func (s *Snmpsim) Addr() string { return s.Target.Addr() }

// StartSnmpsim runs snmpsimd serving the data files in dataDir (copied to a
// directory nobody can read unless already readable), on a free loopback UDP
// port, waits until it answers an SNMP GET, and stops it when the test ends.
func StartSnmpsim(t testing.TB, dataDir string, opts ...SnmpsimOption) *Snmpsim {
	t.Helper()
	path := program(t, "snmpsimd", SnmpsimPath)
	cfg := snmpsimConfig{startTimeout: 20 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	data, communities, err := snmpsimData(t, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	cache := cfg.cacheDir
	if cache == "" {
		cache = tempDir(t, "stg-snmpsim-cache-*", 0o777)
	} else if err := os.MkdirAll(cache, 0o777); err != nil {
		t.Fatalf("make snmpsim cache dir: %v", err)
	} else if err := os.Chmod(cache, 0o777); err != nil {
		t.Fatalf("chmod snmpsim cache dir: %v", err)
	}
	s := &Snmpsim{Communities: communities, cfg: cfg, path: path}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port := FreeUDPPort(t)
		s.Target = loopback(port)
		s.args = snmpsimArgs(data, cache, port, cfg)
		if lastErr = s.start(); lastErr == nil {
			break
		}
	}
	if lastErr != nil {
		t.Fatal(lastErr)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stop snmpsimd: %v", err)
		}
	})
	return s
}

func snmpsimArgs(data, cache string, port int, cfg snmpsimConfig) []string {
	args := []string{
		"--data-dir=" + data,
		"--agent-udpv4-endpoint=127.0.0.1:" + strconv.Itoa(port),
		"--cache-dir=" + cache,
		"--logging-method=null",
	}
	if os.Geteuid() == 0 {
		// As root snmpsimd refuses to run unless it can drop privileges.
		args = append(args, "--process-user=nobody", "--process-group=nogroup")
	}
	if u := cfg.v3; u != nil {
		args = append(args, "--v3-user="+u.Name)
		if u.AuthKey != "" {
			args = append(args, "--v3-auth-key="+u.AuthKey, "--v3-auth-proto="+u.AuthProto)
		}
		if u.PrivKey != "" {
			args = append(args, "--v3-priv-key="+u.PrivKey, "--v3-priv-proto="+u.PrivProto)
		}
	}
	return args
}

// start runs snmpsimd and waits for its first answer.
func (s *Snmpsim) start() error {
	p, err := startProcess("snmpsimd", s.path, s.args, nil)
	if err != nil {
		return err
	}
	cfg := snmp.Config{Target: s.Target, Version: "2c", Community: secret.Secret(s.Communities[0])}
	if err := waitReady(p, cfg, s.cfg.startTimeout); err != nil {
		_ = p.stop()
		return err
	}
	s.mu.Lock()
	s.proc, s.stopped = p, false
	s.mu.Unlock()
	return nil
}

// Stop ends snmpsimd; it is safe to call more than once.
func (s *Snmpsim) Stop() error {
	s.mu.Lock()
	p := s.proc
	s.stopped = true
	s.mu.Unlock()
	if p == nil {
		return nil
	}
	return p.stop()
}

// Restart stops snmpsimd and starts it again on the same port: every
// numeric counter and sysUpTime start again from their initial values, as
// after a real agent restart. It returns once the agent answers again.
func (s *Snmpsim) Restart() error {
	if err := s.Stop(); err != nil {
		return err
	}
	return s.start()
}

// Pause stops snmpsimd with SIGSTOP: it keeps its port but answers nothing.
func (s *Snmpsim) Pause() error { return s.signal(syscall.SIGSTOP) }

// Resume continues a paused snmpsimd with SIGCONT.
func (s *Snmpsim) Resume() error { return s.signal(syscall.SIGCONT) }

func (s *Snmpsim) signal(sig syscall.Signal) error {
	s.mu.Lock()
	p, stopped := s.proc, s.stopped
	s.mu.Unlock()
	if p == nil || stopped {
		return fmt.Errorf("signal snmpsimd: not running")
	}
	return p.signal(sig)
}

// snmpsimData returns a directory snmpsimd (running as nobody) can read
// holding dataDir's files, and the communities they define.
func snmpsimData(t testing.TB, dataDir string) (string, []string, error) {
	t.Helper()
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "", nil, fmt.Errorf("snmpsim data %s: %w", dataDir, err)
	}
	var communities []string
	readable := readableByOthers(abs)
	err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != abs && !readableByOthers(path) {
				readable = false
			}
			return nil
		}
		if name, ok := strings.CutSuffix(d.Name(), ".snmprec"); ok {
			rel, _ := filepath.Rel(abs, filepath.Join(filepath.Dir(path), name))
			communities = append(communities, filepath.ToSlash(rel))
		}
		if info, err := d.Info(); err != nil || info.Mode().Perm()&0o004 == 0 {
			readable = false
		}
		return nil
	})
	if err != nil {
		return "", nil, fmt.Errorf("read snmpsim data %s: %w", dataDir, err)
	}
	if len(communities) == 0 {
		return "", nil, fmt.Errorf("snmpsim data %s: no .snmprec files", dataDir)
	}
	if readable {
		return abs, communities, nil
	}
	dst := tempDir(t, "stg-snmpsim-data-*", 0o755)
	if err := copyTree(abs, dst); err != nil {
		return "", nil, err
	}
	return dst, communities, nil
}

// readableByOthers reports whether a user without privileges can reach and
// list dir: every parent searchable, dir readable.
func readableByOthers(dir string) bool {
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm()&0o005 != 0o005 {
		return false
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		info, err := os.Stat(p)
		if err != nil || info.Mode().Perm()&0o001 == 0 {
			return false
		}
		if p == filepath.Dir(p) {
			return true
		}
	}
}

// copyTree copies the regular files under src to dst, readable by all, and
// keeps their modification times (snmpsimd re-indexes newer files).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			return os.Chmod(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(path, target)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("copy snmpsim data: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("copy snmpsim data: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy snmpsim data to %s: %w", dst, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("copy snmpsim data to %s: %w", dst, err)
	}
	if info, err := in.Stat(); err == nil {
		_ = os.Chtimes(dst, info.ModTime(), info.ModTime())
	}
	return os.Chmod(dst, 0o644)
}

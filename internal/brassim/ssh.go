package brassim

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/subtle"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// sshTimeout bounds one SSH connection from accept to the end of its command.
const sshTimeout = 30 * time.Second

// vtyTable tracks the open SSH connections as IOS vty lines.
type vtyTable struct {
	mu    sync.Mutex
	lines map[int]vtyLine
	conns map[net.Conn]bool
}

// take allocates the lowest free vty line.
func (t *vtyTable) take(user, from string, c net.Conn) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.lines == nil {
		t.lines, t.conns = map[int]vtyLine{}, map[net.Conn]bool{}
	}
	slot := 0
	for ; ; slot++ {
		if _, used := t.lines[slot]; !used {
			break
		}
	}
	t.lines[slot] = vtyLine{slot: slot, user: user, from: from}
	t.conns[c] = true
	return slot
}

// release frees a vty line.
func (t *vtyTable) release(slot int, c net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.lines, slot)
	delete(t.conns, c)
}

// list returns the open lines in slot order.
func (t *vtyTable) list() []vtyLine {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]vtyLine, 0, len(t.lines))
	for _, l := range t.lines {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b vtyLine) int { return a.slot - b.slot })
	return out
}

// closeAll closes every open connection.
func (t *vtyTable) closeAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for c := range t.conns {
		c.Close()
	}
}

// LoadHostKey reads an SSH private key from path, or generates an ed25519
// key and saves it there (mode 0600, creating the directory) when the file
// does not exist.
func LoadHostKey(path string) (ssh.Signer, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		signer, err := ssh.ParsePrivateKey(data)
		if err != nil {
			return nil, fmt.Errorf("parse SSH host key %s: %w", path, err)
		}
		return signer, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read SSH host key: %w", err)
	}
	signer, pemBytes, err := newHostKey()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create directory for SSH host key %s: %w", path, err)
	}
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		return nil, fmt.Errorf("save SSH host key: %w", err)
	}
	return signer, nil
}

// newHostKey generates an ed25519 host key and its OpenSSH PEM encoding.
func newHostKey() (ssh.Signer, []byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generate SSH host key: %w", err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "stg simulator host key")
	if err != nil {
		return nil, nil, fmt.Errorf("encode SSH host key: %w", err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, nil, fmt.Errorf("load SSH host key: %w", err)
	}
	return signer, pem.EncodeToMemory(block), nil
}

// startSSH opens the SSH listener and serves it in the background.
func (s *Sim) startSSH() error {
	var err error
	if s.opts.HostKeyPath != "" {
		s.hostKey, err = LoadHostKey(s.opts.HostKeyPath)
	} else {
		s.hostKey, _, err = newHostKey()
	}
	if err != nil {
		return err
	}
	same := func(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
	password := func(user string, pass []byte) bool {
		return s.opts.SSHPassword != "" && same(user, s.opts.SSHUser) && same(string(pass), s.opts.SSHPassword)
	}
	denied := errors.New("authentication failed")
	conf := &ssh.ServerConfig{
		ServerVersion: "SSH-2.0-Cisco-1.25",
		PasswordCallback: func(c ssh.ConnMetadata, pass []byte) (*ssh.Permissions, error) {
			if password(c.User(), pass) {
				return nil, nil
			}
			return nil, denied
		},
		KeyboardInteractiveCallback: func(c ssh.ConnMetadata, ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			answers, err := ask("", "", []string{"Password: "}, []bool{false})
			if err == nil && len(answers) == 1 && password(c.User(), []byte(answers[0])) {
				return nil, nil
			}
			return nil, denied
		},
		PublicKeyCallback: func(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if same(c.User(), s.opts.SSHUser) {
				for _, k := range s.opts.AuthorizedKeys {
					if bytes.Equal(k.Marshal(), key.Marshal()) {
						return nil, nil
					}
				}
			}
			return nil, denied
		},
	}
	conf.AddHostKey(s.hostKey)
	s.sshConf = conf
	s.sshLn, err = net.Listen("tcp", s.opts.SSHListen)
	if err != nil {
		return fmt.Errorf("listen for SSH on %s: %w", s.opts.SSHListen, err)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.acceptSSH()
	}()
	return nil
}

// acceptSSH serves connections until the listener closes, then closes the
// connections still open.
func (s *Sim) acceptSSH() {
	var conns sync.WaitGroup
	defer conns.Wait()
	defer s.vty.closeAll()
	for {
		c, err := s.sshLn.Accept()
		if err != nil {
			return
		}
		conns.Add(1)
		go func() {
			defer conns.Done()
			s.serveSSH(c)
		}()
	}
}

// serveSSH runs one connection: a single exec request on a single session
// channel, its output, then the channel and connection close without an
// exit status, as IOS does.
func (s *Sim) serveSSH(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(sshTimeout))
	conn, chans, reqs, err := ssh.NewServerConn(c, s.sshConf)
	if err != nil {
		return
	}
	defer conn.Close()
	go ssh.DiscardRequests(reqs)
	from, _, _ := net.SplitHostPort(c.RemoteAddr().String())
	slot := s.vty.take(conn.User(), from, c)
	defer s.vty.release(slot, c)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "only session channels")
			continue
		}
		ch, chReqs, err := nc.Accept()
		if err != nil {
			return
		}
		for req := range chReqs {
			switch req.Type {
			case "exec":
				var cmd struct{ Command string }
				if err := ssh.Unmarshal(req.Payload, &cmd); err != nil {
					_ = req.Reply(false, nil)
					continue
				}
				_ = req.Reply(true, nil)
				runCLI(ch, s.cliInput(slot), cmd.Command)
				_ = ch.CloseWrite()
				_ = ch.Close()
				return
			case "pty-req", "env":
				_ = req.Reply(req.Type == "pty-req", nil)
			default:
				_ = req.Reply(false, nil)
			}
		}
		return
	}
}

// cliInput gathers what a command may show, as of now.
func (s *Sim) cliInput(slot int) cliInput {
	sessions := s.Sessions()
	snap := s.snap.Load()
	ifs := make([]ifEntry, len(snap.ifs))
	for i, f := range snap.ifs {
		ifs[i] = ifEntry{descr: f.descr, index: f.index}
	}
	return cliInput{now: s.now(), timestamps: s.opts.ExecTimestamps,
		self: slot, lines: s.vty.list(), sessions: sessions, ifs: ifs}
}

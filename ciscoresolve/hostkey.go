package ciscoresolve

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// HostKeyError is a refused host key: unknown or changed.
type HostKeyError struct {
	// Addr is the host:port connected to.
	Addr string
	// Fingerprint is the SHA256 fingerprint of the key the host offered;
	// KeyType its algorithm.
	Fingerprint, KeyType string
	// KnownHosts is the file checked; Known lists the entries that hold a
	// different key for the host, as "file:line TYPE FINGERPRINT" (empty
	// for an unknown host).
	KnownHosts string
	Known      []string
	// Err is ErrHostKeyUnknown or ErrHostKeyChanged.
	Err error
}

// Error implements error.
func (e *HostKeyError) Error() string {
	if errors.Is(e.Err, ErrHostKeyChanged) {
		return fmt.Sprintf("ssh to %s: host key CHANGED: the host offered %s %s, but %s; refusing to connect. "+
			"If the router's key really changed (check with its owner), remove the old entry with: ssh-keygen -R '%s' -f %s",
			e.Addr, e.KeyType, e.Fingerprint, strings.Join(e.Known, " and "), knownhosts.Normalize(e.Addr), e.KnownHosts)
	}
	return fmt.Sprintf("ssh to %s: unknown host key %s %s (not in %s): check the fingerprint, then run once with --ssh-accept-new to trust and record it",
		e.Addr, e.KeyType, e.Fingerprint, e.KnownHosts)
}

// Unwrap returns ErrHostKeyUnknown or ErrHostKeyChanged.
func (e *HostKeyError) Unwrap() error { return e.Err }

// fingerprintOf is the SHA256 fingerprint of a key, as OpenSSH prints it.
func fingerprintOf(key ssh.PublicKey) string { return ssh.FingerprintSHA256(key) }

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
			return fmt.Errorf("ssh to %s: host key %s is revoked in %s", hostname, fingerprintOf(key), c.KnownHosts)
		case !errors.As(err, &ke):
			return fmt.Errorf("ssh to %s: check host key: %w", hostname, err)
		}
		hk := &HostKeyError{Addr: hostname, Fingerprint: fingerprintOf(key), KeyType: key.Type(), KnownHosts: c.KnownHosts}
		if len(ke.Want) > 0 {
			for _, w := range ke.Want {
				hk.Known = append(hk.Known, fmt.Sprintf("%s:%d holds %s %s", w.Filename, w.Line, w.Key.Type(), fingerprintOf(w.Key)))
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
		if err := appendKnownHost(c.KnownHosts, hostname, key); err != nil {
			return err
		}
		if c.Notify != nil {
			c.Notify(fmt.Sprintf("recorded the SSH host key of %s (%s %s) in %s, as --ssh-accept-new asked", hostname, key.Type(), fingerprintOf(key), c.KnownHosts))
		}
		return nil
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

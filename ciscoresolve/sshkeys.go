package ciscoresolve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// Keys remembers the private keys of a run that were decrypted with a
// passphrase typed once, so that later logins (and the searches in the
// background, which may not ask) use them without asking again. A key
// whose passphrase was typed wrong is not asked for again. The zero value
// is ready to use.
type Keys struct {
	mu      sync.Mutex
	signers map[string]ssh.Signer
	failed  map[string]error
}

// decrypted returns the key of file, decrypting it with a passphrase
// from prompt the first time; it asks once per file, one prompt at a
// time.
func (k *Keys) decrypted(ctx context.Context, file string, prompt func(ctx context.Context, prompt string) (string, error)) (ssh.Signer, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if s, ok := k.signers[file]; ok {
		return s, nil
	}
	if err, ok := k.failed[file]; ok {
		return nil, err
	}
	if prompt == nil {
		return nil, fmt.Errorf("key %s has a passphrase and there is no terminal to ask it on: load it into ssh-agent", file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read key %s: %w", file, err)
	}
	pass, err := prompt(ctx, fmt.Sprintf("Enter passphrase for key '%s': ", file))
	if err != nil {
		return nil, fmt.Errorf("passphrase of key %s: %w", file, err)
	}
	s, err := ssh.ParsePrivateKeyWithPassphrase(b, []byte(pass))
	if k.signers == nil {
		k.signers, k.failed = map[string]ssh.Signer{}, map[string]error{}
	}
	if err != nil {
		err = fmt.Errorf("key %s: wrong passphrase, or not a key (%v)", file, err)
		k.failed[file] = err
		return nil, err
	}
	k.signers[file] = s
	return s, nil
}

// cached returns the key of file when it was decrypted before.
func (k *Keys) cached(file string) (ssh.Signer, bool) {
	if k == nil {
		return nil, false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	s, ok := k.signers[file]
	return s, ok
}

// keySigners returns the keys a login offers, and what they are for the
// error of a refused login: ssh-agent's (only those of KeyFiles with
// IdentitiesOnly), then the KeyFiles the agent does not hold. A key file
// with a passphrase is offered by its public key, and decrypted (asking
// its passphrase once, pausing login's deadline) only when the server
// would take it. The returned func releases the agent connection.
func (c *SSHConfig) keySigners(ctx context.Context, login *loginDeadline) ([]ssh.Signer, []string, func()) {
	closer := func() {}
	var files []ssh.Signer
	var tried []string
	filePubs := map[string]bool{}
	for _, f := range c.KeyFiles {
		s, ok := c.keyFile(ctx, f, login)
		if !ok {
			continue
		}
		files = append(files, s)
		filePubs[string(s.PublicKey().Marshal())] = true
	}
	var signers []ssh.Signer
	inAgent := map[string]bool{}
	if c.AgentSocket != "" {
		if conn, err := net.Dial("unix", c.AgentSocket); err == nil {
			closer = func() { conn.Close() }
			if s, err := agent.NewClient(conn).Signers(); err == nil {
				for _, a := range s {
					pub := string(a.PublicKey().Marshal())
					if c.IdentitiesOnly && !filePubs[pub] {
						continue // IdentitiesOnly: only the agent's copies of the key files
					}
					inAgent[pub] = true
					signers = append(signers, a)
				}
				if len(signers) > 0 {
					tried = append(tried, "ssh-agent")
				}
			}
		}
	}
	for i, s := range files {
		if inAgent[string(s.PublicKey().Marshal())] {
			continue
		}
		signers = append(signers, s)
		tried = append(tried, "key "+c.KeyFiles[i])
	}
	return signers, tried, closer
}

// keyFile reads one key file: the key, or for one with a passphrase its
// public half and a signer that decrypts it when first used. A missing
// file, or an encrypted one whose public half is unknown, is skipped.
func (c *SSHConfig) keyFile(ctx context.Context, file string, login *loginDeadline) (ssh.Signer, bool) {
	if s, ok := c.Keys.cached(file); ok {
		return s, true
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, false
	}
	s, err := ssh.ParsePrivateKey(b)
	if err == nil {
		return s, true
	}
	var missing *ssh.PassphraseMissingError
	if !errors.As(err, &missing) || c.Keys == nil {
		return nil, false
	}
	pub := missing.PublicKey
	if pub == nil { // an old PEM key: its public half beside it
		if p, err := os.ReadFile(file + ".pub"); err == nil {
			pub, _, _, _, _ = ssh.ParseAuthorizedKey(p)
		}
	}
	if pub == nil {
		return nil, false
	}
	return &lockedKey{pub: pub, load: func() (ssh.Signer, error) {
		login.pause()
		defer login.resume()
		return c.Keys.decrypted(ctx, file, c.PassphrasePrompt)
	}}, true
}

// lockedKey is a key file with a passphrase: its public key, and the key
// itself once load has decrypted it.
type lockedKey struct {
	pub  ssh.PublicKey
	load func() (ssh.Signer, error)
}

// PublicKey implements ssh.Signer.
func (k *lockedKey) PublicKey() ssh.PublicKey { return k.pub }

// Sign implements ssh.Signer.
func (k *lockedKey) Sign(rand io.Reader, data []byte) (*ssh.Signature, error) {
	s, err := k.load()
	if err != nil {
		return nil, err
	}
	return s.Sign(rand, data)
}

// SignWithAlgorithm implements ssh.AlgorithmSigner, so that an RSA key
// signs with rsa-sha2-256 or -512 as OpenSSH servers ask.
func (k *lockedKey) SignWithAlgorithm(rand io.Reader, data []byte, algorithm string) (*ssh.Signature, error) {
	s, err := k.load()
	if err != nil {
		return nil, err
	}
	if as, ok := s.(ssh.AlgorithmSigner); ok {
		return as.SignWithAlgorithm(rand, data, algorithm)
	}
	if algorithm != "" && algorithm != s.PublicKey().Type() {
		return nil, fmt.Errorf("key %s cannot sign with %s", bytes.TrimSpace(ssh.MarshalAuthorizedKey(k.pub)), algorithm)
	}
	return s.Sign(rand, data)
}
